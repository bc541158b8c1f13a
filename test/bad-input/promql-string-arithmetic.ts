// Arithmetic on a string literal, which Prometheus refuses.
export default { uid: 'string-math', title: 'String math', schemaVersion: 41, templating: { list: [] }, annotations: { list: [] },
  panels: [{ id: 1, type: 'timeseries', title: 'Requests', gridPos: { x: 0, y: 0, w: 12, h: 8 }, targets: [{ refId: 'A', expr: '"a" + 1' }] }] };
