// A recording rule with annotations, which Prometheus refuses.
export default {
  name: 'record-with-annotations',
  rules: [
    {
      record: 'model:nv_inference_request_success:rate5m',
      expr: 'sum by (model) (rate(nv_inference_request_success[5m]))',
      annotations: { summary: 'not for recording rules' },
    },
  ],
};
