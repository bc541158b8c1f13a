// An annotation name with a dot: Prometheus 2 refuses it.
export default {
  name: 'alert-annotation-name-invalid',
  rules: [
    {
      alert: 'QueueTooLong',
      expr: 'sum(nv_inference_pending_request_count{job="triton"}) > 100',
      labels: { severity: 'warning' },
      annotations: { summary: 'Queue too long', description: 'More than 100 requests wait.', 'runbook.url': 'https://example.com' },
    },
  ],
};
