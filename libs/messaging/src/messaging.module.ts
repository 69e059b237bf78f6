import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HealthCheck } from '@edu/observability';
import { BrokerConnection } from './broker-connection.js';
import { Inbox } from './inbox/inbox.js';
import type { MessagingConfig } from './messaging.config.js';
import { Outbox } from './outbox/outbox.js';
import { OutboxRelay } from './outbox/outbox-relay.js';

export const MESSAGING_CONFIG = Symbol('MESSAGING_CONFIG');

@Injectable()
export class BrokerHealthCheck implements HealthCheck {
  readonly name = 'broker';
  constructor(private readonly broker: BrokerConnection) {}
  async check(): Promise<void> {
    if (!this.broker.connected) throw new Error('not connected');
  }
}

@Injectable()
class RelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly broker: BrokerConnection,
    @Inject(MESSAGING_CONFIG) private readonly config: MessagingConfig & { relay: boolean },
  ) {}
  async onApplicationBootstrap() {
    if (this.config.relay) await this.relay.start();
  }
  // Before the database pool closes (TypeORM closes it in onApplicationShutdown).
  async beforeApplicationShutdown() {
    await this.relay.stop();
    await this.broker.close();
  }
}

@Module({})
export class MessagingModule {
  /** Outbox, inbox and the relay for one service; the consumer transport is connected in main. */
  static forService(config: MessagingConfig, options: { relay?: boolean } = {}): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_CONFIG, useValue: { ...config, relay: options.relay ?? true } },
        {
          provide: BrokerConnection,
          useFactory: () => new BrokerConnection(config.urls, `${config.service}-relay`),
        },
        { provide: Outbox, useValue: new Outbox(config.service, config.outboxNotify) },
        { provide: Inbox, useFactory: (ds: DataSource) => new Inbox(ds), inject: [DataSource] },
        {
          provide: OutboxRelay,
          useFactory: (ds: DataSource, broker: BrokerConnection) => new OutboxRelay(ds, broker, config),
          inject: [DataSource, BrokerConnection],
        },
        RelayLifecycle,
        BrokerHealthCheck,
      ],
      exports: [MESSAGING_CONFIG, BrokerConnection, Outbox, Inbox, OutboxRelay, BrokerHealthCheck],
    };
  }
}
