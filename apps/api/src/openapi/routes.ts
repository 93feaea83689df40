import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC } from '../auth/decorators/public.decorator';
import { ALLOW_QUERY_TOKEN } from '../auth/decorators/query-token.decorator';
import { ROLES } from '../auth/decorators/roles.decorator';

export type Access = 'public' | 'member' | 'admin';

export interface RouteInfo {
  method: string;
  /** Nest's form, `/channels/:channelId`. */
  path: string;
  access: Access;
  queryToken: boolean;
}

const join = (...parts: string[]) =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');

/** Every controller route with who may call it, read from the same metadata the global AuthGuard reads. */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const routes: RouteInfo[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as { prototype: Record<string, unknown> } & object;
      const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number] ?? 'GET';
        const isPublic = (Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller)) as
          boolean | undefined;
        const roles = (Reflect.getMetadata(ROLES, handler) ?? Reflect.getMetadata(ROLES, controller)) as
          string[] | undefined;
        routes.push({
          method,
          path: join(base, path),
          access: isPublic ? 'public' : roles?.includes('admin') ? 'admin' : 'member',
          queryToken: Boolean(Reflect.getMetadata(ALLOW_QUERY_TOKEN, handler)),
        });
      }
    }
  }
  return routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}
