import { AsyncLocalStorage } from 'node:async_hooks';

/** What a handler tells the audit log about the request it is serving. */
export interface AuditNote {
  /** The state before the change (masked before it is stored). */
  before?: unknown;
  /** The state after the change; default: the response body. */
  after?: unknown;
  /** What was changed, e.g. `case:<id>`; default: the route's ids or the response's id. */
  target?: string;
}

const storage = new AsyncLocalStorage<AuditNote>();

/** Runs `fn` with a fresh note that handlers below can fill in. */
export function withAuditNote<T>(note: AuditNote, fn: () => T): T {
  return storage.run(note, fn);
}

/**
 * Called from an application handler serving a state-changing request: records what the
 * audit row should say. Outside a request (a consumer, a sweep) it does nothing.
 */
export function noteForAudit(note: AuditNote): void {
  const current = storage.getStore();
  if (current) Object.assign(current, note);
}
