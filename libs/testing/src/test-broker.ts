import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqplib, { type ChannelModel, type Channel } from 'amqplib';
import { MESSAGING_DEFAULTS, topologyNames, type MessagingConfig } from '@edu/messaging';
import { uniqueName } from './test-database.js';

export const TEST_AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Messaging settings for a test: its own namespace, short delays. */
export function testMessagingConfig(service: string, namespace = uniqueName('t')): MessagingConfig {
  return {
    ...MESSAGING_DEFAULTS,
    urls: [TEST_AMQP_URL],
    namespace,
    service,
    retryDelayMs: 200,
    maxAttempts: 3,
    relayPollMs: 100,
    relayBusyPollMs: 20,
    publishTimeoutMs: 5000,
  };
}

/** A plain amqplib connection for a test to look at queues directly. */
export async function openProbe(): Promise<{ connection: ChannelModel; channel: Channel }> {
  const connection = await amqplib.connect(TEST_AMQP_URL);
  const channel = await connection.createChannel();
  return { connection, channel };
}

/** Deletes every exchange and queue of a test namespace. */
export async function deleteTopology(namespace: string, services: string[]): Promise<void> {
  const connection = await amqplib.connect(TEST_AMQP_URL);
  try {
    const ch = await connection.createChannel();
    for (const s of services) {
      const n = topologyNames(namespace, s);
      for (const q of [n.queue, n.retry, n.dlq]) await ch.deleteQueue(q);
    }
    const n = topologyNames(namespace);
    await ch.deleteQueue(n.unrouted);
    await ch.deleteExchange(n.events);
    await ch.deleteExchange(n.unrouted);
    await ch.close();
  } finally {
    await connection.close();
  }
}

const run = promisify(execFile);

/** Stops or starts the local broker application (fault tests only; run them serially). */
export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', args, { timeout: 120000 });
  return stdout;
}

/** Publishes an envelope with the properties the outbox relay sets (message id, subject header). */
export function publishEnvelope(
  channel: Channel,
  namespace: string,
  envelope: { id: string; type: string; version: number; subject: string; county: string },
): void {
  const key = `${envelope.type}.v${envelope.version}`;
  channel.publish(topologyNames(namespace).events, key, Buffer.from(JSON.stringify(envelope)), {
    persistent: true,
    messageId: envelope.id,
    type: key,
    contentType: 'application/json',
    headers: { subject: envelope.subject, county: envelope.county },
  });
}
