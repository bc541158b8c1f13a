// Dashboard JSON defining $model twice.
export default {
  uid: 'twice',
  title: 'Twice',
  schemaVersion: 41,
  templating: { list: [{ name: 'model', type: 'custom', query: 'a' }, { name: 'model', type: 'custom', query: 'b' }] },
  panels: [],
};
