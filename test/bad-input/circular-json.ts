// Dashboard JSON that refers to itself.
const json: Record<string, unknown> = { uid: 'circle', title: 'Circle', schemaVersion: 41, panels: [] };
json.self = json;
export default json;
