// Dashboard JSON with a variable named like Grafana's $__interval.
export default {
  uid: 'builtin',
  title: 'Builtin',
  schemaVersion: 41,
  templating: { list: [{ name: '__interval', type: 'custom', query: '5m' }] },
  panels: [],
};
