import { applyDecorators, Catch, UseFilters, type RpcExceptionFilter } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import type { EventKey } from '@edu/contracts';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC filter turns every error into "Internal server error"; the transport
 * needs the error itself to choose between retry and dead-letter.
 */
@Catch()
export class RethrowEventErrors implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/** `@OnEvent('aid.entitlement.overdue.v1')`: an event handler whose key is checked against the contracts. */
export function OnEvent<K extends EventKey>(key: K) {
  return applyDecorators(EventPattern(key) as MethodDecorator, UseFilters(new RethrowEventErrors()));
}
