import { Logger } from '@nestjs/common';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { ConsoleConfig } from '../console.config.js';
import type { SessionStore } from '../auth/session.js';
import { upstreamPath } from './upstream-path.js';

/** Headers that belong to one connection (RFC 9110 §7.6.1), and the console's own cookie. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'cookie',
  'set-cookie',
]);

function forwardable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase()),
  );
  for (const [k, v] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(k) && !named.has(k) && v !== undefined) out[k] = v;
  }
  return out;
}

function problem(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ statusCode: status, message }));
}

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/**
 * `/api/<service>/…` → the service's `/api/…`, streamed both ways (an upload is never
 * buffered: the service's back-pressure reaches the browser), with the signed-in user's
 * token as the bearer. A request that brings its own Authorization header keeps it. The
 * services decide what the user may see and do; the console adds no rights.
 */
export function serviceProxy(config: ConsoleConfig, sessions: SessionStore) {
  const logger = new Logger('ServiceProxy');
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = upstreamPath(req.url ?? '');
    if (!target) return problem(res, 404, 'no such service route');
    let authorization = req.headers.authorization;
    if (!authorization) {
      const session = await sessions.read(req);
      if (!session) return problem(res, 401, 'not signed in');
      authorization = `Bearer ${session.token}`;
    }
    // Same-origin by construction; a cross-site form post carries a foreign Origin.
    const origin = req.headers.origin;
    if (origin && req.method !== 'GET' && req.method !== 'HEAD' && new URL(origin).host !== req.headers.host)
      return problem(res, 403, 'cross-origin request refused');

    const base = config.upstreams[target.service];
    const secure = base.protocol === 'https:';
    const forwardedFor = [req.headers['x-forwarded-for'], req.socket.remoteAddress]
      .filter(Boolean)
      .join(', ');
    const upstream = (secure ? https : http).request({
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port || (secure ? 443 : 80),
      method: req.method,
      path: target.path,
      agent: secure ? agents.https : agents.http,
      headers: {
        ...forwardable(req.headers),
        authorization,
        host: base.host,
        'x-forwarded-for': forwardedFor,
      },
    });
    upstream.on('response', (answer: IncomingMessage) => {
      res.writeHead(answer.statusCode ?? 502, forwardable(answer.headers));
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (e) => {
      logger.warn(`${target.service} unreachable: ${e.message}`);
      problem(res, 502, `${target.service} is unavailable`);
    });
    // The browser gave up (closed the tab, aborted the upload): stop the service's work too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };
}
