import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Principal, Role } from './roles.js';

export const PUBLIC_KEY = 'edu:public';
export const ROLES_KEY = 'edu:roles';

/** Health, metrics and docs: reachable without a token. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<{ user: Principal }>().user,
);
