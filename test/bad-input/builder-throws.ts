// A builder whose build() throws.
export default { build(): never { throw new Error('database unavailable'); } };
