// A recording rule whose regex matcher RE2 does not take.
export default {
  name: 'record-regex-not-re2',
  rules: [
    {
      record: 'model:nv_inference_request_success:rate5m',
      expr: 'sum by (model) (rate(nv_inference_request_success{model=~"(?<!x)y"}[5m]))',
    },
  ],
};
