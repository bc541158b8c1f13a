// Exports an empty array.
export default [];
