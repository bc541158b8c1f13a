// An alert built from a dashboard query: Grafana variables mean nothing in a Prometheus rule.
import { alertRule, queries } from 'inferboard';

export default {
  name: 'grafana-variable',
  rules: [
    alertRule({
      name: 'HighErrorRate',
      expression: queries.errorRatio().expression,
      severity: 'warning',
      summary: 'High error rate',
      description: '{{ $value | humanizePercentage }} of requests fail.',
    }),
  ],
};
