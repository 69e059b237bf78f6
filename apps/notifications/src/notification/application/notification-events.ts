import type { EventEnvelope, EventKey, EventMap } from '@edu/contracts';
import type { OutboxMeta } from '@edu/messaging';
import type { Notification } from '../domain/notification.js';
import type { DomainEvent } from '@edu/contracts';

/**
 * Outbox entries for events a notification caused: ordered per notification, and carrying the
 * request event's correlation id so supervision can follow its notice through.
 */
export function outboxEntries(
  n: Notification,
  events: DomainEvent[],
): { key: EventKey; data: EventMap[EventKey]; meta: OutboxMeta }[] {
  const s = n.state;
  // The outbox reads only the cause's id and correlation id; the request envelope itself is not kept.
  const cause = { id: s.causeEventId, correlationId: s.correlationId } as Pick<
    EventEnvelope,
    'id' | 'correlationId'
  > as EventEnvelope;
  return events.map((e) => ({
    key: e.key,
    data: e.data,
    meta: { subject: s.id, county: s.countyCode, cause },
  }));
}
