import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { PUBLIC_KEY, ROLES_KEY, type Role } from '@edu/auth';

/** One HTTP route as Nest mapped it, with the security metadata the guard reads. */
export interface Route {
  method: string;
  /** Express pattern, e.g. `/api/cases/:id/close` */
  path: string;
  /** `METHOD /path`, the key exceptions and bodies are listed under. */
  key: string;
  controller: string;
  handler: string;
  public: boolean;
  /** @Roles, or undefined: any role may read, viewers may not change. */
  roles: Role[] | undefined;
  /** Reads a JSON body (@Body). */
  takesBody: boolean;
  /** Reads the raw request (@Req): uploads. */
  takesRequest: boolean;
  /** Names of @Query parameters it reads one by one, and whether it reads a whole query DTO. */
  queryNames: string[];
  queryDto: boolean;
  params: string[];
  stateChanging: boolean;
}

// Nest's metadata keys and parameter kinds (not exported from @nestjs/common's public API).
const PATH_METADATA = 'path';
const METHOD_METADATA = 'method';
const ROUTE_ARGS_METADATA = '__routeArguments__';
const RouteParamtypes = { REQUEST: 0, BODY: 3, QUERY: 4 } as const;

const joinPath = (...parts: (string | undefined)[]) =>
  '/' +
  parts
    .flatMap((p) => (p ?? '').split('/'))
    .filter(Boolean)
    .join('/');

/**
 * Every route of the application, read from the controllers' metadata through Nest's module
 * container (what Nest's RouterExplorer maps), checked against what the Express router serves.
 */
export function nestRoutes(app: INestApplication): Route[] {
  const scanner = new MetadataScanner();
  const routes: Route[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...a: unknown[]) => object) | null;
      if (!type) continue;
      const base = Reflect.getMetadata(PATH_METADATA, type) as string | string[] | undefined;
      for (const name of scanner.getAllMethodNames(type.prototype)) {
        const fn = (type.prototype as Record<string, unknown>)[name] as object;
        const path = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
        const verb = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
        if (path === undefined || verb === undefined) continue; // an event handler
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, type, name) ?? {}) as Record<
          string,
          { data?: unknown }
        >;
        const kinds = Object.entries(args).map(([k, v]) => ({ type: Number(k.split(':')[0]), data: v.data }));
        const isPublic =
          (Reflect.getMetadata(PUBLIC_KEY, fn) as boolean | undefined) ??
          (Reflect.getMetadata(PUBLIC_KEY, type) as boolean | undefined) ??
          false;
        const roles =
          (Reflect.getMetadata(ROLES_KEY, fn) as Role[] | undefined) ??
          (Reflect.getMetadata(ROLES_KEY, type) as Role[] | undefined);
        for (const b of [base].flat()) {
          for (const p of [path].flat()) {
            const full = joinPath(b, p);
            const method = RequestMethod[verb];
            routes.push({
              method,
              path: full,
              key: `${method} ${full}`,
              controller: type.name,
              handler: name,
              public: isPublic,
              roles,
              takesBody: kinds.some((k) => k.type === RouteParamtypes.BODY),
              takesRequest: kinds.some((k) => k.type === RouteParamtypes.REQUEST),
              queryNames: kinds
                .filter((k) => k.type === RouteParamtypes.QUERY && typeof k.data === 'string')
                .map((k) => k.data as string),
              queryDto: kinds.some((k) => k.type === RouteParamtypes.QUERY && k.data === undefined),
              params: [...full.matchAll(/:(\w+)/g)].map((m) => m[1]),
              stateChanging: !['GET', 'HEAD', 'OPTIONS'].includes(method),
            });
          }
        }
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}

/** `METHOD /path` of every route the Express router serves. */
export function expressRoutes(app: INestApplication): string[] {
  const instance = app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return instance.router.stack
    .filter((l) => l.route)
    .flatMap((l) =>
      Object.keys(l.route!.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m.toUpperCase()} ${l.route!.path}`),
    )
    .sort();
}
