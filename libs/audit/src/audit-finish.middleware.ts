import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AuditLog } from './audit-log.js';
import { isStateChanging, writeAudit } from './audit.interceptor.js';

/**
 * The audit row of a state-changing request that did not succeed — refused by the guard (an
 * authenticated caller without the role), by validation or by the domain, or failed — written
 * when the answer is sent, with its final status. Calls without a valid token are not audited
 * (there is nobody to name); the request log has them.
 */
@Injectable()
export class AuditFinishMiddleware implements NestMiddleware {
  private readonly logger = new Logger('audit');

  constructor(private readonly audit: AuditLog) {}

  use(req: Request, res: Response, next: NextFunction) {
    if (!isStateChanging(req)) return next();
    res.on('finish', () => {
      writeAudit(this.audit, req, res.statusCode, undefined).catch((e: Error) =>
        this.logger.error(
          `audit row of ${req.method} request ${(req as { requestId?: string }).requestId ?? '-'} not written: ${e.message}`,
        ),
      );
    });
    next();
  }
}
