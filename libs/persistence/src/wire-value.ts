import pgUtils from 'pg/lib/utils.js';

/**
 * A statement parameter in the form pg sends it (an array as its Postgres literal, a date as
 * text, an object as JSON), computed now rather than when the statement is sent. pg maps the
 * parameters as it writes the statement, on the event loop between its parse and its bind,
 * where Postgres waits for it; a caller that builds a large statement while Postgres runs the
 * one before can map it then instead. pg sends a string as it is.
 */
export function wireValue(value: unknown): unknown {
  return pgUtils.prepareValue(value);
}
