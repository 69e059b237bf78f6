import {
  ForbiddenException,
  Inject,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AUTH_CONFIG, type AuthConfig } from './auth.config.js';
import { PUBLIC_KEY, ROLES_KEY } from './decorators.js';
import type { Principal, Role } from './roles.js';
import { InvalidToken, TokenKeysUnavailable, verifyToken } from './tokens.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * On by default for every HTTP route: bearer token required, then the route's roles.
 * Without @Roles a viewer may read but never change anything.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<{
      headers: Record<string, string | undefined>;
      method: string;
      user?: Principal;
    }>();
    const header = request.headers.authorization ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token)
      throw new UnauthorizedException('bearer token required');
    let principal: Principal;
    try {
      principal = await verifyToken(token, this.config);
    } catch (e) {
      if (e instanceof InvalidToken) throw new UnauthorizedException('invalid token');
      if (e instanceof TokenKeysUnavailable)
        throw new ServiceUnavailableException('token keys unavailable, try again shortly');
      throw e;
    }
    request.user = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role))
      throw new ForbiddenException(`role ${principal.role} may not do this`);
    if (!roles && principal.role === 'viewer' && !READ_METHODS.has(request.method)) {
      throw new ForbiddenException('viewers cannot change anything');
    }
    return true;
  }
}
