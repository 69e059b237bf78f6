import { splitEventKey, type EventKey } from '@edu/contracts';

/*
 * Set-based outbox writes: one INSERT … SELECT makes the envelopes of every row a
 * reconciliation statement touched, in the statement's transaction. The envelope is the
 * one Outbox.addMany builds (id, type, version, occurredAt, producer, correlationId,
 * causationId, subject, county, data); the integration test validates the rows written
 * here against the contracts.
 */

/** Fen (a non-negative bigint expression) as the contracts' money text, "625.00". */
export function yuanSql(fen: string): string {
  return `((${fen}) / 100)::text || '.' || lpad(((${fen}) % 100)::text, 2, '0')`;
}

/** A date as YYYY-MM-DD. */
export function dateSql(d: string): string {
  return `to_char(${d}, 'YYYY-MM-DD')`;
}

/**
 * `INSERT INTO outbox … SELECT` for the rows of `from`, which must yield the columns
 * `subject`, `county` and `data` (jsonb). `occurredAt` and `producer` are SQL expressions
 * (usually parameters).
 */
export function outboxInsertSql(key: EventKey, from: string, occurredAt: string, producer: string): string {
  const { type, version } = splitEventKey(key);
  return `INSERT INTO outbox (id, routing_key, subject, envelope)
    SELECT ev.id, '${key}', ev.subject, jsonb_build_object(
      'id', ev.id, 'type', '${type}', 'version', ${version}, 'occurredAt', ${occurredAt}::text,
      'producer', ${producer}::text, 'correlationId', ev.id, 'causationId', NULL, 'subject', ev.subject,
      'county', ev.county, 'data', ev.data)
    FROM (SELECT gen_random_uuid() AS id, f.subject::text AS subject, f.county::text AS county, f.data
          FROM (${from}) f) ev`;
}
