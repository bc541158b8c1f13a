// An alert with a misspelt field, which fails the whole rule file in Prometheus.
export default {
  name: 'alert-unknown-field',
  rules: [
    {
      alert: 'QueueTooLong',
      expr: 'sum(nv_inference_pending_request_count{job="triton"}) > 100',
      labels: { severity: 'warning' },
      anotations: { summary: 'Queue too long' },
    },
  ],
};
