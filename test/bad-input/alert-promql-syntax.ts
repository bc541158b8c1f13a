// An alert whose expression does not parse.
export default {
  name: 'alert-promql-syntax',
  rules: [
    {
      alert: 'QueueTooLong',
      expr: 'sum(nv_inference_pending_request_count{job="triton"} > 100',
      labels: { severity: 'warning' },
      annotations: { summary: 'Queue too long', description: 'More than 100 requests wait.' },
    },
  ],
};
