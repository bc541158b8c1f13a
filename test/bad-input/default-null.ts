// Exports null.
export default null;
