// Dashboard JSON with a panel left of the grid.
export default { uid: 'neg', title: 'Neg', schemaVersion: 41, templating: { list: [] }, annotations: { list: [] },
  panels: [{ id: 1, type: 'text', title: 'Left', gridPos: { x: -1, y: 0, w: 6, h: 4 } }] };
