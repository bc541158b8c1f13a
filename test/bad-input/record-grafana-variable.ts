// A recording rule that uses Grafana's rate interval.
export default {
  name: 'record-grafana-variable',
  rules: [
    {
      record: 'model:nv_inference_request_success:rate',
      expr: 'sum by (model) (rate(nv_inference_request_success[$__rate_interval]))',
    },
  ],
};
