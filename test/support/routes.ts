import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC_KEY } from '../../src/common/decorators/public.decorator';
import { AUTHENTICATED_BY_ROUTE_GUARD } from '../../src/sessions/cookie-transport/refresh-cookie.decorators';
import { RATE_LIMIT_KEY } from '../../src/rate-limit/rate-limit.decorator';

/** One route of the running app, read from its controllers' metadata (not from the docs). */
export interface AppRoute {
  /** `get`, `post`, … */
  method: string;
  /** With the global prefix and OpenAPI-style parameters: `/api/users/{id}`. */
  path: string;
  controller: string;
  handler: string;
  /** Marked @Public(), on the handler or its controller. */
  isPublic: boolean;
  /** The per-IP bucket of `@RateLimit(...)`, if any. */
  rateLimitBucket?: string;
}

/** The routes app.setup.ts keeps out of the global `api` prefix. */
const UNPREFIXED = ['dev/mailbox', 'metrics'];

/** `get /api/users/{id}`: the key the OpenAPI document uses for the same operation. */
export const routeKey = (route: AppRoute): string => `${route.method} ${route.path}`;

/** Every route of every controller of the app, one entry per path a handler serves. */
export function appRoutes(app: INestApplication): AppRoute[] {
  const routes: AppRoute[] = [];
  const paths = (target: object): string[] => {
    const value = Reflect.getMetadata(PATH_METADATA, target) as string | string[] | undefined;
    return value === undefined ? [''] : Array.isArray(value) ? value : [value];
  };
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as number | undefined;
        if (requestMethod === undefined) continue;
        // A route whose own guard authenticates (logout: access token or refresh cookie) is protected.
        const isPublic =
          Boolean(
            Reflect.getMetadata(IS_PUBLIC_KEY, handler) ??
            Reflect.getMetadata(IS_PUBLIC_KEY, controller),
          ) && !Reflect.getMetadata(AUTHENTICATED_BY_ROUTE_GUARD, handler);
        const rateLimitBucket = Reflect.getMetadata(RATE_LIMIT_KEY, handler) as string | undefined;
        for (const base of paths(controller)) {
          for (const sub of paths(handler)) {
            const own = `${base}/${sub}`.split('/').filter(Boolean);
            const segments = (UNPREFIXED.includes(own.join('/')) ? own : ['api', ...own]).map(
              (part) => part.replace(/^:(\w+)$/, '{$1}'),
            );
            routes.push({
              method: RequestMethod[requestMethod].toLowerCase(),
              path: `/${segments.join('/')}`,
              controller: controller.name,
              handler: name,
              isPublic,
              rateLimitBucket,
            });
          }
        }
      }
    }
  }
  return routes.sort((a, b) => routeKey(a).localeCompare(routeKey(b)));
}
