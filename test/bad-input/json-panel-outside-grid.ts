// Dashboard JSON with a panel past column 24.
export default {
  uid: 'grid',
  title: 'Grid',
  schemaVersion: 41,
  panels: [{ id: 1, type: 'text', title: 'Off the edge', gridPos: { x: 20, y: 0, w: 10, h: 4 } }],
};
