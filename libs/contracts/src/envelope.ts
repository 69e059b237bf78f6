import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { EVENT_SCHEMAS, isEventKey, splitEventKey, type EventKey, type EventMap } from './event-map.js';
import { RESIDENT_ID_PATTERN } from './identity/resident-id.js';
import { isUuid } from './identity/uuid.js';
import { compileCheck, type QuickCheck } from './fast-check.js';

/** The envelope every event travels in; `id` is also the AMQP messageId. */
export interface EventEnvelope<K extends EventKey = EventKey> {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  producer: string;
  correlationId: string;
  causationId: string | null;
  /** The aggregate id: events of one subject are published in order. */
  subject: string;
  /** GB/T 2260 code of the county the event concerns. */
  county: string;
  data: EventMap[K];
}

export interface EnvelopeMeta {
  producer: string;
  subject: string;
  county: string;
  correlationId?: string;
  causationId?: string | null;
  occurredAt?: Date;
  id?: string;
}

/** Thrown when an event does not match its contract; never retried. */
export class ContractViolation extends Error {
  readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = 'ContractViolation';
  }
}

export function routingKeyOf(envelope: Pick<EventEnvelope, 'type' | 'version'>): string {
  return `${envelope.type}.v${envelope.version}`;
}

function describe(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((e) => {
    const here = path ? `${path}.${e.property}` : e.property;
    const own = Object.keys(e.constraints ?? {}).map((c) => `${here}: ${c}`);
    return [...own, ...describe(e.children ?? [], here)];
  });
}

const quickChecks = new Map<EventKey, QuickCheck>();
const notSure: QuickCheck = () => false;

/** The contract's quick check (see fast-check.ts), built on first use. */
function quickCheck(key: EventKey): QuickCheck {
  let check = quickChecks.get(key);
  if (!check) {
    check = compileCheck(EVENT_SCHEMAS[key]) ?? notSure;
    quickChecks.set(key, check);
  }
  return check;
}

/** Validates a payload against its versioned contract and refuses resident ID numbers. */
export function validatePayload<K extends EventKey>(key: K, data: unknown): EventMap[K] {
  if (typeof data !== 'object' || data === null)
    throw new ContractViolation(`${key}: data must be an object`);
  if (!quickCheck(key)(data)) {
    const instance = plainToInstance(EVENT_SCHEMAS[key] as new () => object, data);
    const errors = validateSync(instance, { forbidUnknownValues: true });
    if (errors.length > 0) throw new ContractViolation(`${key}: ${describe(errors).join('; ')}`);
  }
  if (RESIDENT_ID_PATTERN.test(JSON.stringify(data))) {
    throw new ContractViolation(`${key}: payload contains a resident ID number`);
  }
  return data as EventMap[K];
}

/** Builds a validated envelope ready for the outbox. */
export function createEnvelope<K extends EventKey>(
  key: K,
  data: EventMap[K],
  meta: EnvelopeMeta,
): EventEnvelope<K> {
  validatePayload(key, data);
  const { type, version } = splitEventKey(key);
  const id = meta.id ?? randomUUID();
  return {
    id,
    type,
    version,
    occurredAt: (meta.occurredAt ?? new Date()).toISOString(),
    producer: meta.producer,
    correlationId: meta.correlationId ?? id,
    causationId: meta.causationId ?? null,
    subject: meta.subject,
    county: meta.county,
    data,
  };
}

/** Parses and validates an envelope received from the broker. */
export function parseEnvelope(raw: unknown): EventEnvelope {
  if (typeof raw !== 'object' || raw === null) throw new ContractViolation('envelope must be an object');
  const e = raw as Record<string, unknown>;
  for (const f of ['id', 'type', 'occurredAt', 'producer', 'correlationId', 'subject', 'county'] as const) {
    if (typeof e[f] !== 'string' || e[f] === '') throw new ContractViolation(`envelope.${f} is missing`);
  }
  if (!isUuid(e.id as string)) throw new ContractViolation('envelope.id must be a UUID');
  if (!Number.isInteger(e.version)) throw new ContractViolation('envelope.version must be an integer');
  const key = `${e.type as string}.v${e.version as number}`;
  if (!isEventKey(key)) throw new ContractViolation(`unknown event ${key}`);
  validatePayload(key, e.data);
  return raw as EventEnvelope;
}
