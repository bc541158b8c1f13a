// An alert whose keep_firing_for is not a duration.
export default {
  name: 'alert-keep-firing-for-bad',
  rules: [
    {
      alert: 'QueueTooLong',
      expr: 'sum(nv_inference_pending_request_count{job="triton"}) > 100',
      keep_firing_for: '5x',
      labels: { severity: 'warning' },
      annotations: { summary: 'Queue too long', description: 'More than 100 requests wait.' },
    },
  ],
};
