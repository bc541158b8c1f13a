// The default export is a plain string.
export default 'triton';
