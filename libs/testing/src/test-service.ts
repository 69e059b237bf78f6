import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventBusServer } from '@edu/messaging';
import { configureApp, type ServiceConfig } from '@edu/service';

export interface TestService {
  app: INestApplication;
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

/**
 * Boots a service's root module as main.ts would (validation, error mapping, the event
 * consumer), listening on a free port of 127.0.0.1. The config should point at a test
 * schema (createTestDatabase) and namespace (testMessagingConfig).
 */
export async function startTestService(module: unknown, config: ServiceConfig): Promise<TestService> {
  const app = await NestFactory.create(module as never, { logger: ['error', 'warn'] });
  configureApp(app);
  app.connectMicroservice({ strategy: new EventBusServer(config.messaging) });
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
