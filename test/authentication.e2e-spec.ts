import { randomUUID } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { AppRoute, appRoutes, routeKey } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';

interface Operation {
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}

/** A concrete URL for a route: every path parameter becomes an id that exists nowhere. */
const urlOf = (route: AppRoute): string => route.path.replace(/\{\w+\}/g, randomUUID());

/**
 * Secure by default, checked from the routes themselves: every handler not marked @Public()
 * must refuse a request without a valid access token, and the docs must say so. A new route
 * needs no entry in a hand-kept list to be covered.
 */
describe('authentication of every route', () => {
  let t: TestApp;
  let routes: AppRoute[];

  beforeAll(async () => {
    t = await startTestApp();
    routes = appRoutes(t.app);
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds the protected routes in the route metadata', () => {
    const protectedRoutes = routes.filter((route) => !route.isPublic).map(routeKey);
    expect(protectedRoutes).toEqual(
      expect.arrayContaining([
        'post /api/users/logout',
        'get /api/users/me',
        'get /api/users/me/sessions',
        'delete /api/users/{id}',
        'get /api/users',
      ]),
    );
    expect(protectedRoutes).not.toContain('post /api/users/login');
  });

  it('answers 401 on every protected route without a token, with a malformed one and with a foreign one', async () => {
    const foreign = sign({ sub: randomUUID() }, 'not-the-service-key', {
      algorithm: 'HS256',
      expiresIn: 300,
    });
    const tokens = [undefined, 'not.a.jwt', foreign];
    const protectedRoutes = routes.filter((route) => !route.isPublic);
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(17);
    for (const route of protectedRoutes) {
      for (const token of tokens) {
        const res = await t.request(route.method.toUpperCase(), urlOf(route), undefined, {
          token,
        });
        expect({ route: routeKey(route), token, status: res.status, body: res.body }).toEqual({
          route: routeKey(route),
          token,
          status: 401,
          body: expect.objectContaining({ statusCode: 401, code: 'UNAUTHENTICATED' }),
        });
      }
    }
  });

  it('documents bearer security once, 401 on every protected route and `security: []` on every public one', async () => {
    const doc = (await t.get('/docs-json')).body as {
      security?: unknown[];
      paths: Record<string, Record<string, Operation>>;
    };
    expect(doc.security).toEqual([{ 'access-token': [] }]);
    for (const route of routes) {
      const operation = doc.paths[route.path]?.[route.method];
      if (route.isPublic) {
        // Public routes may be left out of the docs (metrics, dev mailbox); documented ones opt out.
        if (operation)
          expect({ route: routeKey(route), security: operation.security }).toEqual({
            route: routeKey(route),
            security: [],
          });
        continue;
      }
      // Routes that take only a service API key (introspection) name that scheme instead; routes
      // that also take an admin key name both (the OpenAPI suite checks which ones).
      const keyOnly = route.path === '/api/oauth/introspect';
      const both = [{ 'access-token': [] }, { 'api-key': [] }];
      expect({
        route: routeKey(route),
        security: operation?.security,
        unauthenticated: operation?.responses['401']?.content?.['application/json']?.schema?.$ref,
      }).toEqual({
        route: routeKey(route),
        security: keyOnly
          ? [{ 'api-key': [] }]
          : operation?.security === undefined
            ? undefined
            : both,
        unauthenticated: '#/components/schemas/ErrorBody',
      });
    }
  });
});
