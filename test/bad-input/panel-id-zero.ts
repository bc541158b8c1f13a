// Dashboard JSON with a panel id of 0.
export default { uid: 'zero', title: 'Zero', schemaVersion: 41, templating: { list: [] }, annotations: { list: [] },
  panels: [{ id: 0, type: 'text', title: 'Zero', gridPos: { x: 0, y: 0, w: 6, h: 4 } }] };
