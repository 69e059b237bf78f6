import { Logger } from '@nestjs/common';
import amqp, { type AmqpConnectionManager, type ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import { batchSocketWrites } from './socket-batching.js';

/**
 * One connection (with reconnects across the listed nodes) per role in a process. Each
 * connection starts at a random node of the list and moves on to the next one when its node
 * goes away, so the replicas of a service spread over a cluster's nodes and fail over.
 */
export class BrokerConnection {
  private readonly manager: AmqpConnectionManager;
  private readonly logger: Logger;

  constructor(urls: string[], name: string) {
    this.logger = new Logger(`Broker:${name}`);
    this.manager = amqp.connect(rotate(urls, Math.floor(Math.random() * urls.length)), {
      heartbeatIntervalInSeconds: 5,
      reconnectTimeInSeconds: 1,
      connectionOptions: { clientProperties: { connection_name: name } },
    });
    this.manager.on('connect', ({ connection, url }) => {
      if (!batchSocketWrites(connection))
        this.logger.warn('amqplib changed shape: frames are written one by one');
      this.logger.log(`connected to ${hostOf(url)}`);
    });
    this.manager.on('disconnect', ({ err }) => this.logger.warn(`disconnected: ${err?.message ?? 'closed'}`));
    this.manager.on('connectFailed', ({ err }) => this.logger.warn(`connect failed: ${err.message}`));
  }

  get connected(): boolean {
    return this.manager.isConnected();
  }

  /** A confirm channel; `setup` runs again after every reconnect. */
  channel(name: string, setup: (ch: ConfirmChannel) => Promise<void>): ChannelWrapper {
    return this.manager.createChannel({ name, confirm: true, json: false, setup });
  }

  async close(): Promise<void> {
    await this.manager.close();
  }
}

/** The same nodes, starting from the `start`th. */
export function rotate<T>(items: readonly T[], start: number): T[] {
  if (items.length === 0) return [];
  const k = ((start % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

function hostOf(url: unknown): string {
  try {
    const u = new URL(typeof url === 'string' ? url : String((url as { url?: string }).url ?? ''));
    return `${u.hostname}:${u.port || 5672}`;
  } catch {
    return 'broker';
  }
}
