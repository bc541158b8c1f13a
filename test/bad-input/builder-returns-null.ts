// A builder whose build() returns nothing.
export default { build: () => null };
