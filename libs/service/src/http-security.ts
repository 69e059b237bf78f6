import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { EnvReader } from './env.js';

/** Limits and protections of the HTTP API, from the environment. */
export interface HttpSettings {
  /** Largest JSON body accepted (413 above). */
  bodyLimitBytes: number;
  /** Largest uploaded file (CSV or XLSX, raw body or multipart), 413 above. */
  uploadMaxBytes: number;
  /** Requests a minute per client address, 0 for no limit. */
  rateLimitPerMinute: number;
  /** Requests a client may make at once before the per-minute rate applies. */
  rateLimitBurst: number;
  /** Proxy hops in front of the service whose X-Forwarded-For is believed (0: none). */
  trustProxyHops: number;
}

export const DEFAULT_HTTP_SETTINGS: HttpSettings = {
  bodyLimitBytes: 1024 * 1024,
  uploadMaxBytes: 512 * 1024 * 1024,
  rateLimitPerMinute: 0,
  rateLimitBurst: 120,
  trustProxyHops: 0,
};

export function readHttpSettings(r: EnvReader, nodeEnv: string): HttpSettings {
  return {
    bodyLimitBytes: r.int(
      'HTTP_BODY_LIMIT_BYTES',
      DEFAULT_HTTP_SETTINGS.bodyLimitBytes,
      1024,
      64 * 1024 * 1024,
    ),
    uploadMaxBytes: r.int('UPLOAD_MAX_BYTES', DEFAULT_HTTP_SETTINGS.uploadMaxBytes, 1024, 8 * 1024 ** 3),
    // On in production; off elsewhere so that tests and benchmarks on one machine are not throttled.
    rateLimitPerMinute: r.int('RATE_LIMIT_PER_MINUTE', nodeEnv === 'production' ? 600 : 0, 0, 1_000_000),
    rateLimitBurst: r.int('RATE_LIMIT_BURST', DEFAULT_HTTP_SETTINGS.rateLimitBurst, 1, 100_000),
    trustProxyHops: r.int('TRUST_PROXY_HOPS', DEFAULT_HTTP_SETTINGS.trustProxyHops, 0, 10),
  };
}

/** The request id of a request (set by `requestContext`), echoed in X-Request-Id. */
export function requestIdOf(req: IncomingMessage): string | undefined {
  return (req as { requestId?: string }).requestId;
}

const GOOD_REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/** Takes the caller's X-Request-Id when it is well-formed (a proxy's), else makes one. */
function requestContext(req: Request, res: Response, next: NextFunction) {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && GOOD_REQUEST_ID.test(given) ? given : randomUUID();
  (req as { requestId?: string }).requestId = id;
  res.setHeader('X-Request-Id', id);
  next();
}

/*
 * The headers helmet would set, for an API that serves JSON and files and no pages except the
 * OpenAPI viewer. Nothing is cached: most answers hold personal data.
 */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function securityHeaders(req: Request, res: Response, next: NextFunction) {
  const docs =
    req.path === '/api/docs' || req.path.startsWith('/api/docs/') || req.path.startsWith('/api/docs-');
  res.setHeader('Content-Security-Policy', docs ? DOCS_CSP : API_CSP);
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Origin-Agent-Cluster', '?1');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-DNS-Prefetch-Control', 'off');
  res.setHeader('X-Download-Options', 'noopen');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Permitted-Cross-Domain-Policies', 'none');
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/**
 * A token bucket per client address: `burst` requests at once, refilled at `perMinute`.
 * In-process, so each replica counts on its own; buckets unused for a while are dropped.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private sweptAt = 0;

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when the request may go, else the seconds to wait. */
  take(key: string): number {
    const now = this.now();
    const rate = this.perMinute / 60_000;
    this.sweep(now);
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }

  private sweep(now: number) {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    const full = (this.burst / this.perMinute) * 60_000;
    for (const [key, b] of this.buckets) if (now - b.at > full) this.buckets.delete(key);
  }
}

const UNLIMITED = /^\/(health\/|metrics$)/;

function rateLimit(settings: HttpSettings) {
  const limiter = new RateLimiter(settings.rateLimitPerMinute, settings.rateLimitBurst);
  return (req: Request, res: Response, next: NextFunction) => {
    // Probes and scrapes come from the platform, not from users.
    if (UNLIMITED.test(req.path)) return next();
    const wait = limiter.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (wait === 0) return next();
    res.setHeader('Retry-After', String(wait));
    res.status(429).json({ statusCode: 429, error: 'Too Many Requests', message: `retry in ${wait} s` });
  };
}

/** Refuses, before a byte is read, an upload whose declared length is over the cap. */
function uploadCap(settings: HttpSettings) {
  return (req: Request, res: Response, next: NextFunction) => {
    (req as { uploadMaxBytes?: number }).uploadMaxBytes = settings.uploadMaxBytes;
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > settings.uploadMaxBytes) {
      res.setHeader('Connection', 'close');
      res.status(413).json({
        statusCode: 413,
        error: 'Payload Too Large',
        message: `the body is larger than ${settings.uploadMaxBytes} bytes`,
      });
      return;
    }
    next();
  };
}

/** The upload cap a request was given by the bootstrap (readUpload and CSV bodies honour it). */
export function uploadLimitOf(req: IncomingMessage, fallback: number = DEFAULT_HTTP_SETTINGS.uploadMaxBytes) {
  return (req as { uploadMaxBytes?: number }).uploadMaxBytes ?? fallback;
}

const ROUTE_LOGGER = new Logger('http');

/**
 * One line per API request when the answer is sent: method, the route's pattern (never the
 * path or query, which may carry personal data), status, time, request id and who called.
 */
function requestLog(req: Request, res: Response, next: NextFunction) {
  if (!req.path.startsWith('/api/') || req.path.startsWith('/api/docs')) return next();
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const route = (req as { route?: { path?: string } }).route?.path;
    const user = (req as { user?: { sub: string; role: string } }).user;
    const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
    ROUTE_LOGGER.log({
      request: requestIdOf(req),
      method: req.method,
      route: route ? `${req.baseUrl}${route}` : '(no route)',
      status: res.statusCode,
      ms,
      ...(user ? { sub: user.sub, role: user.role } : {}),
    });
  });
  next();
}

const MAX_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** What is wrong with a parsed JSON body, if anything: too deep, prototype keys, NUL characters. */
export function bodyProblem(body: unknown): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value: body, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return 'text may not contain NUL characters';
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) return `the body is nested deeper than ${MAX_DEPTH} levels`;
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `the key "${key}" is not allowed`;
      if (key.includes('\u0000')) return 'keys may not contain NUL characters';
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return null;
}

/** Bodies only as JSON, CSV or XLSX (raw or multipart); anything else is refused before it is read. */
const BODY_TYPES =
  /^(application\/([a-z.+-]*\+)?json|text\/csv|text\/plain|application\/csv|application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet|multipart\/form-data)\s*(;|$)/i;

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function refuse(res: Response, status: number, message: string) {
  res
    .status(status)
    .json({ statusCode: status, error: status === 415 ? 'Unsupported Media Type' : 'Bad Request', message });
}

function contentTypeCheck(req: Request, res: Response, next: NextFunction) {
  if (hasBody(req) && !BODY_TYPES.test(req.headers['content-type'] ?? '')) {
    return refuse(
      res,
      415,
      'send JSON (application/json), CSV (text/csv) or XLSX, raw or as multipart field "file"',
    );
  }
  next();
}

/** NUL characters in the URL or the JSON body, prototype keys and absurd nesting are refused (400). */
function inputCheck(req: Request, res: Response, next: NextFunction) {
  let url: string;
  try {
    url = decodeURIComponent(req.url);
  } catch {
    return refuse(res, 400, 'the URL is not validly percent-encoded');
  }
  if (url.includes('\u0000')) return refuse(res, 400, 'the URL may not contain NUL characters');
  if (req.body !== undefined && typeof req.body === 'object') {
    const problem = bodyProblem(req.body);
    if (problem) return refuse(res, 400, problem);
  }
  next();
}

/** Registers the HTTP protections, before Nest adds its routes and parsers. */
export function applyHttpSecurity(
  app: NestExpressApplication,
  settings: HttpSettings,
  options: { logRequests: boolean },
): void {
  app.disable('x-powered-by');
  app.set('trust proxy', settings.trustProxyHops);
  app.use(requestContext);
  app.use(securityHeaders);
  if (settings.rateLimitPerMinute > 0) app.use(rateLimit(settings));
  if (options.logRequests) app.use(requestLog);
  app.use(uploadCap(settings));
  app.use(contentTypeCheck);
  // JSON bodies up to the limit. Form-encoded bodies are not parsed (no API takes them): a
  // middleware named as Nest's parser keeps Nest from adding its default one.
  app.useBodyParser('json', { limit: settings.bodyLimitBytes });
  app.use(function urlencodedParser(_req: Request, _res: Response, next: NextFunction) {
    next();
  });
  app.use(inputCheck);
}
