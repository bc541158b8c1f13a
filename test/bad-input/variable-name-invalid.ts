// A template variable whose name has a space: Grafana cannot reference it.
export default { uid: 'var-space', title: 'Var space', schemaVersion: 41, annotations: { list: [] },
  templating: { list: [{ type: 'custom', name: 'my model', query: 'a,b' }] }, panels: [] };
