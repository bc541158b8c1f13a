// A value whose toJSON throws when the dashboard is serialized.
export default { uid: 'tojson', title: 'toJSON', schemaVersion: 41, panels: [], description: { toJSON() { throw new Error('cannot serialize the description'); } } };
