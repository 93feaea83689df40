import { RequestMethod } from '@nestjs/common';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ALLOW_QUERY_TOKEN } from '../apps/api/src/auth/decorators/query-token.decorator';
import { IS_PUBLIC } from '../apps/api/src/auth/decorators/public.decorator';
import { ROLES } from '../apps/api/src/auth/decorators/roles.decorator';
import { createTestApp, TestApp } from './support/test-app';

const join = (...parts: string[]) =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');

/**
 * Every route with who may call it. A change in access shows up as a snapshot diff in review.
 */
describe('route permissions', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.close());

  it('matches the reviewed snapshot', () => {
    const routes: string[] = [];
    for (const module of app.server.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as { prototype: Record<string, unknown> } & object;
        const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
        for (const name of Object.getOwnPropertyNames(controller.prototype)) {
          const handler = controller.prototype[name];
          if (typeof handler !== 'function' || name === 'constructor') continue;
          const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
          if (path === undefined) continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
          const isPublic = Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller);
          const roles = (Reflect.getMetadata(ROLES, handler) ?? Reflect.getMetadata(ROLES, controller)) as
            string[] | undefined;
          const queryToken = Reflect.getMetadata(ALLOW_QUERY_TOKEN, handler) ? ' (token may be in ?token=)' : '';
          const access = isPublic ? 'public' : roles ? `roles: ${roles.join(',')}` : 'any member';
          routes.push(`${method} ${join(base, path)} → ${access}${queryToken}`);
        }
      }
    }
    expect(routes.sort()).toMatchSnapshot();
  });
});
