// A panel datasource uid of 41 characters; Grafana allows 40.
export default {
  uid: 'ds-long', title: 'DS long', schemaVersion: 41, templating: { list: [] },
  panels: [{ id: 1, type: 'timeseries', title: 'Requests', gridPos: { x: 0, y: 0, w: 12, h: 8 },
    datasource: { type: 'prometheus', uid: 'p'.repeat(41) }, targets: [{ refId: 'A', expr: 'up' }] }],
};
