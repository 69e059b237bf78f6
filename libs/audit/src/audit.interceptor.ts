import {
  Injectable,
  Logger,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { Observable, mergeMap } from 'rxjs';
import type { Principal } from '@edu/auth';
import { AuditLog } from './audit-log.js';
import { withAuditNote, type AuditNote } from './audit-trail.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const AUDIT_READ_KEY = 'edu:audit-read';

/** Audits a read too (an export of personal data, say): who read what, when. */
export const AuditRead = () => SetMetadata(AUDIT_READ_KEY, true);

/** A public route's caller (an SMS provider's receipt push) as the audit log names it. */
const PUBLIC_CALLER = { sub: '(public)', role: 'public' } as unknown as Principal;

interface AuditedRequest extends Request {
  user?: Principal;
  requestId?: string;
  audit?: { note: AuditNote; written: boolean; publicRoute?: boolean };
}

export function isStateChanging(req: Request): boolean {
  return !READS.has(req.method);
}

/** `POST /api/cases/:id/close`: the route's pattern, never the values in the path. */
function actionOf(req: Request): string {
  const route = (req as { route?: { path?: string } }).route?.path;
  return `${req.method} ${route ? `${req.baseUrl}${route}` : req.path}`;
}

function targetOf(req: Request, note: AuditNote, body: unknown): string | null {
  if (note.target) return note.target;
  if (req.params && Object.keys(req.params).length > 0) return req.path;
  const id = body && typeof body === 'object' ? (body as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? `${req.path}#${id}` : null;
}

/** Writes the audit row of a request, after the handler's work is done. */
export async function writeAudit(
  audit: AuditLog,
  req: AuditedRequest,
  status: number,
  body: unknown,
): Promise<void> {
  const state = req.audit ?? { note: {}, written: false };
  if (state.written) return;
  state.written = true;
  const by = req.user ?? (state.publicRoute ? PUBLIC_CALLER : undefined);
  if (!by) return;
  await audit.record({
    requestId: req.requestId,
    by,
    action: actionOf(req),
    target: targetOf(req, state.note, body),
    status,
    request: { params: req.params, query: req.query, body: req.body as unknown },
    before: state.note.before,
    after: 'after' in state.note ? state.note.after : status < 400 ? body : undefined,
    client: req.ip,
  });
}

/**
 * Every state-changing request (and reads marked @AuditRead) leaves an audit row: who, role,
 * county, action, target, status, the request (masked), and before/after as the handler noted
 * them (after defaults to the response). A success answers only once its row is written; a
 * failure's row is written when its answer is sent (AuditFinishMiddleware), with the final status.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('audit');

  constructor(
    private readonly audit: AuditLog,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<AuditedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const read = this.reflector.getAllAndOverride<boolean>(AUDIT_READ_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!isStateChanging(req) && !read) return next.handle();
    const note: AuditNote = {};
    req.audit = { note, written: false, publicRoute: !req.user };
    return new Observable((subscriber) =>
      withAuditNote(note, () =>
        next
          .handle()
          .pipe(
            mergeMap(async (body: unknown) => {
              // A streamed answer (@Res) has no body here; its status is set when it ends.
              await writeAudit(this.audit, req, res.statusCode, body);
              return body;
            }),
          )
          .subscribe(subscriber),
      ),
    );
  }
}
