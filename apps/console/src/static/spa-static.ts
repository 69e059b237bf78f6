import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * What the page may load: only this origin's scripts; styles inline too (React and ECharts set
 * style attributes); no framing.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * Serves the built single-page app: hashed assets (cached for a year, and the `.gz` made at
 * build time when the browser accepts gzip), and index.html for every other page path so
 * the app's own router takes over.
 */
export function spaStatic(root: string) {
  const base = normalize(root + sep);
  const index = join(base, 'index.html');
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const url = new URL(req.url ?? '/', 'http://console');
    let file: string;
    try {
      file = normalize(join(base, decodeURIComponent(url.pathname)));
    } catch {
      return next();
    }
    if (!file.startsWith(base)) return next();
    const isAsset = existsSync(file) && statSync(file).isFile();
    // A missing file under /assets is a 404, not the app (a stale tab asking for an old chunk).
    if (!isAsset && (url.pathname.startsWith('/assets/') || extname(url.pathname) !== '')) return next();
    const path = isAsset ? file : index;
    if (!existsSync(path)) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('the console has not been built: run npm run build');
      return;
    }
    const gz = `${path}.gz`;
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && existsSync(gz);
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': path.includes(`${sep}assets${sep}`)
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
      vary: 'accept-encoding',
      'content-length': String(statSync(gzip ? gz : path).size),
    };
    if (gzip) headers['content-encoding'] = 'gzip';
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    createReadStream(gzip ? gz : path).pipe(res);
  };
}
