// A hand-written alert whose `for` has its units out of order.
export default {
  name: 'for-order',
  rules: [
    {
      alert: 'QueueTooLong',
      expr: 'sum(nv_inference_pending_request_count{job="triton"}) > 100',
      for: '30s5m',
      labels: { severity: 'warning' },
      annotations: { summary: 'Queue too long', description: 'More than 100 requests wait.' },
    },
  ],
};
