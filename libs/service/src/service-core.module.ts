import { Injectable, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import { AuditModule } from '@edu/audit';
import { AuthModule } from '@edu/auth';
import { BrokerHealthCheck, MessagingModule } from '@edu/messaging';
import { HEALTH_CHECKS, HealthController, type HealthCheck } from '@edu/observability';
import { dataSourceOptions } from '@edu/persistence';
import { Clock, SystemClock } from './clock.js';
import { SERVICE_CONFIG, type ServiceConfig } from './service.config.js';

@Injectable()
export class DatabaseHealthCheck implements HealthCheck {
  readonly name = 'database';
  constructor(private readonly dataSource: DataSource) {}
  async check(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}

export interface ServiceCoreOptions {
  entities: MixedList<(new () => unknown) | EntitySchema>;
  migrations: MixedList<new () => unknown>;
  /** Override the clock (tests). */
  clock?: Clock;
  /** Run the outbox relay in this process (default true). */
  relay?: boolean;
}

/**
 * What every service has: its database, the outbox/inbox and relay, auth on every route, the
 * audit log of every change (`GET /api/audit`), health and metrics, the clock and its config.
 * Apps import it once in their root module.
 */
@Module({})
export class ServiceCoreModule {
  static forRoot(config: ServiceConfig, options: ServiceCoreOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: SERVICE_CONFIG, useValue: config },
      { provide: Clock, useValue: options.clock ?? new SystemClock() },
      DatabaseHealthCheck,
      {
        provide: HEALTH_CHECKS,
        useFactory: (db: DatabaseHealthCheck, broker: BrokerHealthCheck) => [db, broker],
        inject: [DatabaseHealthCheck, BrokerHealthCheck],
      },
    ];
    return {
      module: ServiceCoreModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(config.database, options.entities, options.migrations)),
        AuthModule.forRoot(config.auth),
        MessagingModule.forService(config.messaging, { relay: options.relay }),
        AuditModule,
      ],
      controllers: [HealthController],
      providers,
      exports: [SERVICE_CONFIG, Clock],
    };
  }
}
