/** The one helper of pg's internals the statement cache uses: pg's own mapping of a parameter to its wire form. */
declare module 'pg/lib/utils.js' {
  const utils: { prepareValue(value: unknown): unknown };
  export default utils;
}
