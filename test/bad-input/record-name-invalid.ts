// A recording rule whose name has a dash.
export default {
  name: 'record-name-invalid',
  rules: [
    {
      record: 'model:requests-per-second',
      expr: 'sum by (model) (rate(nv_inference_request_success[5m]))',
    },
  ],
};
