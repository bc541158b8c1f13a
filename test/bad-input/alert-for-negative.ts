// An alert whose for is negative.
export default {
  name: 'alert-for-negative',
  rules: [
    {
      alert: 'QueueTooLong',
      expr: 'sum(nv_inference_pending_request_count{job="triton"}) > 100',
      for: '-5m',
      labels: { severity: 'warning' },
      annotations: { summary: 'Queue too long', description: 'More than 100 requests wait.' },
    },
  ],
};
