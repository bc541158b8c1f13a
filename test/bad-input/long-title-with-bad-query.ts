// A dashboard titled with 4,000 characters and a panel of 3,000 whose query does not parse: messages cut titles.
export default {
  uid: 'long',
  title: 'L'.repeat(4000),
  schemaVersion: 41,
  templating: { list: [] },
  annotations: { list: [] },
  panels: [
    {
      id: 1,
      type: 'timeseries',
      title: 'P'.repeat(3000),
      gridPos: { x: 0, y: 0, w: 12, h: 8 },
      targets: [{ refId: 'A', expr: 'rate(x[5m]' }],
    },
  ],
};
