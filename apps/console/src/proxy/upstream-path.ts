import { UPSTREAMS, type UpstreamName } from '../console.config.js';

const NAMES = new Set<string>(UPSTREAMS.map((u) => u.name));

/**
 * `/api/<service>/<rest>?q` → the service and `/api/<rest>?q`; null when the service is
 * unknown or the path tries to climb out of `/api` (dot segments, encoded or not).
 */
export function upstreamPath(url: string): { service: UpstreamName; path: string } | null {
  const m = /^\/api\/([a-z-]+)(\/[^?#]*)?(\?[^#]*)?$/.exec(url);
  if (!m || !NAMES.has(m[1])) return null;
  const rest = m[2] ?? '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return null;
  }
  if (decoded.split(/[/\\]/).some((s) => s === '..' || s === '.') || decoded.includes('\0')) return null;
  return { service: m[1] as UpstreamName, path: `/api${rest === '/' ? '' : rest}${m[3] ?? ''}` };
}
