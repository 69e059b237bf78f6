import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestIdOf } from './http-security.js';

/**
 * Every exception no other filter took. HTTP exceptions answer as Nest would. Anything else is
 * a fault of ours: the client gets a bare 500 with the request id, and the log gets the error's
 * class, its message and stack (through the redacting logger) and the route's pattern — never
 * the path, query or body, which may carry a child's ID number or name.
 */
@Catch()
export class UnexpectedErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') throw error;
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (res.headersSent) {
      res.end();
      return;
    }
    if (error instanceof HttpException) {
      const body = error.getResponse();
      res
        .status(error.getStatus())
        .json(typeof body === 'string' ? { statusCode: error.getStatus(), message: body } : body);
      return;
    }
    const requestId = requestIdOf(req);
    const route = (req as { route?: { path?: string } }).route?.path ?? '(no route)';
    const e = error instanceof Error ? error : new Error(String(error));
    this.logger.error(
      `${req.method} ${route} failed [${requestId ?? '-'}]: ${e.name}: ${e.message}`,
      e.stack,
    );
    res.status(500).json({ statusCode: 500, message: 'Internal server error', requestId });
  }
}
