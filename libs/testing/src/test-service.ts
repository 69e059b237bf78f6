import type { INestApplication } from '@nestjs/common';
import { bootstrapService, type ServiceConfig } from '@edu/service';

export interface TestService {
  app: INestApplication;
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

/**
 * Boots a service's root module exactly as main.ts does (bootstrapService: validation, error
 * mapping, OpenAPI, the event consumer, the redacting logger at `config.logLevel`), on a
 * free port of 127.0.0.1. The config should point at an already migrated test schema
 * (createTestDatabase) and a test namespace (testMessagingConfig).
 */
export async function startTestService(module: unknown, config: ServiceConfig): Promise<TestService> {
  const app = await bootstrapService({
    config: { ...config, host: '127.0.0.1', port: 0, migrateOnBoot: false },
    module,
    migrations: [],
    title: config.service,
    description: 'test',
  });
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
