import { NestFactory } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RedactingLogger } from '@edu/observability';
import { SessionStore } from './auth/session.js';
import type { ConsoleConfig } from './console.config.js';
import { ConsoleModule } from './console.module.js';
import { serviceProxy } from './proxy/service-proxy.js';
import { spaStatic } from './static/spa-static.js';

/** The operations console: the single-page app and `/api/<service>/…` on one origin. */
export async function startConsole(config: ConsoleConfig) {
  const logger = new RedactingLogger('console', config.logLevel);
  // No body parsing: API bodies (uploads of any size) stream through the proxy untouched.
  const app = await NestFactory.create(ConsoleModule.register(config), {
    logger,
    bufferLogs: true,
    bodyParser: false,
  });
  const proxy = serviceProxy(config, app.get(SessionStore));
  const assets = spaStatic(config.staticDir);
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const url = req.url ?? '/';
    if (url.startsWith('/api/')) {
      proxy(req, res).catch((e: Error) => {
        logger.error(`proxy: ${e.message}`);
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
      return;
    }
    if (/^\/(auth|health)(\/|$)/.test(url)) return next();
    assets(req, res, next);
  });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  logger.log(`console listening on ${config.host}:${config.port} (sign-in: ${config.authMode})`);
  return app;
}
