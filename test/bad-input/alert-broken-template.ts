// A hand-written alert whose description does not close its template action.
export default {
  name: 'template',
  rules: [
    {
      alert: 'QueueTooLong',
      expr: 'sum(nv_inference_pending_request_count{job="triton"}) > 100',
      labels: { severity: 'warning' },
      annotations: { summary: 'Queue too long', description: '{{ $value requests wait.' },
    },
  ],
};
