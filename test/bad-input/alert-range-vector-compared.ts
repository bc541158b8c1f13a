// An alert comparing a range vector with a number: it parses, but Prometheus refuses the type.
export default {
  name: 'alert-range-vector-compared',
  rules: [
    {
      alert: 'TooManyFailures',
      expr: 'sum(nv_inference_request_failure{job="triton"}[5m]) > 10',
      labels: { severity: 'warning' },
      annotations: { summary: 'Failures', description: 'More than 10 failures.' },
    },
  ],
};
