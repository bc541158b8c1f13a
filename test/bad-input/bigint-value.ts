// Dashboard JSON with a BigInt, which JSON cannot hold.
export default { uid: 'big', title: 'Big', schemaVersion: 41, panels: [], refresh: 10n };
