import {
  BadRequestException,
  HttpException,
  ValidationPipe,
  type ArgumentMetadata,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { EventBusServer } from '@edu/messaging';
import { RedactingLogger } from '@edu/observability';
import { createDataSource, ensureDatabase, runMigrations, runtimeRoleOf } from '@edu/persistence';
import type { MixedList } from 'typeorm';
import { DomainErrorFilter } from './domain-error.filter.js';
import { applyHttpSecurity, DEFAULT_HTTP_SETTINGS, type HttpSettings } from './http-security.js';
import { UnexpectedErrorFilter } from './unexpected-error.filter.js';
import type { ServiceConfig } from './service.config.js';
import { ConfigError } from './env.js';

/**
 * Creates the database if missing and runs the service's migrations under the advisory lock, as
 * the owner (`DATABASE_URL`); then gives the runtime role (`DATABASE_RUNTIME_URL`) its rights.
 */
export async function migrateService(
  config: ServiceConfig,
  migrations: MixedList<new () => unknown>,
): Promise<string[]> {
  await ensureDatabase(config.database.url);
  const { runtimeUrl, ...owner } = config.database;
  // Two connections: one holds the advisory lock while the other runs the migrations.
  const ds = createDataSource({ ...owner, poolSize: 2 }, [], migrations);
  await ds.initialize();
  try {
    return await runMigrations(ds, config.service, runtimeRoleOf(runtimeUrl));
  } finally {
    await ds.destroy();
  }
}

export interface BootstrapOptions {
  config: ServiceConfig;
  module: unknown;
  migrations: MixedList<new () => unknown>;
  title: string;
  description: string;
  /** Listen on the HTTP port (default true). */
  listen?: boolean;
}

/** Creates, configures and starts one service: HTTP API, OpenAPI docs and the event consumer. */
export async function bootstrapService(options: BootstrapOptions): Promise<INestApplication> {
  const { config } = options;
  const logger = new RedactingLogger(config.service, config.logLevel);
  if (config.migrateOnBoot) {
    const ran = await migrateService(config, options.migrations);
    if (ran.length > 0) logger.log(`migrations applied: ${ran.join(', ')}`);
  }
  const app = await NestFactory.create<NestExpressApplication>(options.module as never, {
    logger,
    bufferLogs: true,
  });
  configureApp(app, config.http, { logRequests: true });
  const docs = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, docs));
  app.connectMicroservice({ strategy: new EventBusServer(config.messaging) });
  app.enableShutdownHooks();
  await app.startAllMicroservices();
  if (options.listen ?? true) {
    await app.listen(config.port, config.host);
    logger.log(`${config.service} listening on ${config.host}:${config.port}`);
  }
  return app;
}

/**
 * Nest's ValidationPipe, except that input class-transformer cannot even convert (an object
 * where a number is expected, say) is the client's fault: 400, not a 500.
 */
export class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (e) {
      if (e instanceof HttpException) throw e;
      throw new BadRequestException(
        `${metadata.type} ${metadata.data ?? ''} could not be read`.replace(/\s+/g, ' ').trim(),
      );
    }
  }
}

/**
 * Validation, error mapping and the HTTP protections (security headers, body and upload caps,
 * rate limit, request ids), shared by services and their tests.
 */
export function configureApp(
  app: INestApplication,
  http: HttpSettings = DEFAULT_HTTP_SETTINGS,
  options: { logRequests?: boolean } = {},
): void {
  applyHttpSecurity(app as NestExpressApplication, http, { logRequests: options.logRequests ?? false });
  app.useGlobalPipes(
    new StrictValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  // The last registered filter is asked first: domain errors, then everything else.
  app.useGlobalFilters(new UnexpectedErrorFilter(), new DomainErrorFilter());
}

/** Entry point wrapper: a configuration error is printed plainly (naming the variables) and exits 1. */
export function runService(start: () => Promise<unknown>): void {
  start().catch((e: unknown) => {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
    } else {
      process.stderr.write(`fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
    process.exit(1);
  });
}
