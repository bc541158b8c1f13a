// An alert label named __name__, which Prometheus reserves.
export default {
  name: 'alert-label-name-reserved',
  rules: [
    {
      alert: 'QueueTooLong',
      expr: 'sum(nv_inference_pending_request_count{job="triton"}) > 100',
      labels: { severity: 'warning', __name__: 'queue' },
      annotations: { summary: 'Queue too long', description: 'More than 100 requests wait.' },
    },
  ],
};
