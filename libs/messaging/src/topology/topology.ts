import type { Channel } from 'amqplib';
import type { MessagingConfig } from '../messaging.config.js';

export interface TopologyNames {
  events: string;
  unrouted: string;
  queue: string;
  retry: string;
  dlq: string;
}

export function topologyNames(namespace: string, service = ''): TopologyNames {
  return {
    events: `${namespace}.events`,
    unrouted: `${namespace}.unrouted`,
    queue: `${namespace}.${service}`,
    retry: `${namespace}.${service}.retry`,
    dlq: `${namespace}.${service}.dlq`,
  };
}

/**
 * The shared exchanges: a durable topic exchange whose alternate exchange catches every
 * event nobody is bound to, so an unroutable publish is kept, not dropped.
 */
export async function declareExchanges(ch: Channel, namespace: string): Promise<void> {
  const n = topologyNames(namespace);
  await ch.assertExchange(n.unrouted, 'fanout', { durable: true });
  await ch.assertQueue(n.unrouted, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await ch.bindQueue(n.unrouted, n.unrouted, '');
  await ch.assertExchange(n.events, 'topic', {
    durable: true,
    arguments: { 'alternate-exchange': n.unrouted },
  });
}

/**
 * A consuming service's queues, declared idempotently at start:
 * - `<ns>.<svc>`: quorum, bound to the keys it handles, single active consumer (order per
 *   subject across replicas); an explicit delivery limit and DLX (RabbitMQ 3.10 has no
 *   default limit, so a crashing consumer would loop forever);
 * - `<ns>.<svc>.retry`: failed messages wait `retryDelayMs`, then dead-letter back;
 * - `<ns>.<svc>.dlq`: what could not be handled, kept for an operator.
 */
export async function declareServiceQueues(
  ch: Channel,
  config: Pick<MessagingConfig, 'namespace' | 'service' | 'deliveryLimit' | 'retryDelayMs'>,
  routingKeys: string[],
): Promise<void> {
  const n = topologyNames(config.namespace, config.service);
  await declareExchanges(ch, config.namespace);
  await ch.assertQueue(n.dlq, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await ch.assertQueue(n.queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      // One active consumer at a time, the other replicas standing by: events of one
      // subject are handled in the order published, whatever the number of replicas.
      'x-single-active-consumer': true,
      'x-delivery-limit': config.deliveryLimit,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': n.dlq,
    },
  });
  await ch.assertQueue(n.retry, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-message-ttl': config.retryDelayMs,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': n.queue,
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    },
  });
  for (const key of routingKeys) await ch.bindQueue(n.queue, n.events, key);
}
