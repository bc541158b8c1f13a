// An alert label name with a dash: Prometheus 2 refuses it.
export default {
  name: 'alert-label-name-invalid',
  rules: [
    {
      alert: 'QueueTooLong',
      expr: 'sum(nv_inference_pending_request_count{job="triton"}) > 100',
      labels: { severity: 'warning', 'team-name': 'ml' },
      annotations: { summary: 'Queue too long', description: 'More than 100 requests wait.' },
    },
  ],
};
