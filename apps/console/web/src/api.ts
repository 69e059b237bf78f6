/** The five services, each behind `/api/<service>/…` on the console's own origin. */
export type Service =
  'dropout-control' | 'student-aid' | 'school-construction' | 'supervision' | 'notifications';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function queryString(q: Query = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function apiUrl(service: Service, path: string, query?: Query): string {
  return `/api/${service}${path}${queryString(query)}`;
}

/** Set by the session: what to do when the services say the sign-in has lapsed. */
let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

async function errorOf(res: Response): Promise<ApiError> {
  let message = res.statusText;
  try {
    const body = (await res.json()) as { message?: string | string[] };
    if (body.message) message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
  } catch {
    // not JSON: the status text will do
  }
  if (res.status === 401) onUnauthorized();
  return new ApiError(res.status, message);
}

export interface Page<T> {
  items: T;
  /** From X-Total-Count, where the service sends it. */
  total: number | null;
}

/** A JSON call through the console; the session cookie carries the user's token. */
export async function call<T>(
  service: Service,
  path: string,
  init: { method?: string; query?: Query; body?: unknown; signal?: AbortSignal } = {},
): Promise<Page<T>> {
  const res = await fetch(apiUrl(service, path, init.query), {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    signal: init.signal,
    headers: init.body !== undefined ? { 'content-type': 'application/json' } : undefined,
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  if (!res.ok) throw await errorOf(res);
  const text = await res.text();
  const total = res.headers.get('x-total-count');
  return { items: (text ? JSON.parse(text) : null) as T, total: total === null ? null : Number(total) };
}

export async function get<T>(
  service: Service,
  path: string,
  query?: Query,
  signal?: AbortSignal,
): Promise<T> {
  return (await call<T>(service, path, { query, signal })).items;
}

export async function post<T>(service: Service, path: string, body: unknown = {}): Promise<T> {
  return (await call<T>(service, path, { method: 'POST', body })).items;
}

export async function put<T>(service: Service, path: string, body: unknown = {}): Promise<T> {
  return (await call<T>(service, path, { method: 'PUT', body })).items;
}
