// Dashboard JSON with one panel id twice.
export default {
  uid: 'ids',
  title: 'Ids',
  schemaVersion: 41,
  panels: [
    { id: 1, type: 'text', title: 'One', gridPos: { x: 0, y: 0, w: 12, h: 4 } },
    { id: 1, type: 'text', title: 'Two', gridPos: { x: 12, y: 0, w: 12, h: 4 } },
  ],
};
