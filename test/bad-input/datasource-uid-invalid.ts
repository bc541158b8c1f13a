// A target whose datasource uid has a space, which Grafana's uid rules refuse.
export default {
  uid: 'ds', title: 'DS', schemaVersion: 41, templating: { list: [] },
  panels: [{ id: 1, type: 'timeseries', title: 'Requests', gridPos: { x: 0, y: 0, w: 12, h: 8 },
    datasource: { type: 'prometheus', uid: 'my prometheus' }, targets: [{ refId: 'A', expr: 'up', datasource: { type: 'prometheus', uid: 'my prometheus' } }] }],
};
