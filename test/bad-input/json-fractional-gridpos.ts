// Dashboard JSON with a panel half a column wide.
export default {
  uid: 'fraction',
  title: 'Fraction',
  schemaVersion: 41,
  panels: [{ id: 1, type: 'text', title: 'Half', gridPos: { x: 0, y: 0, w: 6.5, h: 4 } }],
};
