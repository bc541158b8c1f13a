// Dashboard JSON from an old Grafana.
export default { uid: 'old', title: 'Old', schemaVersion: 16, panels: [] };
