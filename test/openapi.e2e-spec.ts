import SwaggerParser from '@apidevtools/swagger-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRoutes, routeKey } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';

interface Operation {
  summary?: string;
  security?: Record<string, string[]>[];
  requestBody?: { content?: Record<string, { schema?: SchemaRef }> };
  responses: Record<
    string,
    {
      headers?: Record<string, { schema?: { type?: string } }>;
      content?: Record<string, { schema?: { $ref?: string } }>;
    }
  >;
}

interface SchemaRef {
  $ref?: string;
}

interface Schema {
  properties?: Record<string, Schema & { items?: SchemaRef; allOf?: SchemaRef[] }>;
  example?: unknown;
  $ref?: string;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, { description?: string }>;
    schemas: Record<string, Schema>;
  };
}

/** `Schema.field` for every property of `name` (and the schemas it refers to) without an example. */
function withoutExamples(doc: Document, name: string, seen = new Set<string>()): string[] {
  if (seen.has(name)) return [];
  seen.add(name);
  const missing: string[] = [];
  for (const [field, property] of Object.entries(doc.components.schemas[name]?.properties ?? {})) {
    const refs = [
      property.$ref,
      property.items?.$ref,
      ...(property.allOf ?? []).map((a) => a.$ref),
    ];
    const nested = refs.filter((ref): ref is string => typeof ref === 'string');
    if (nested.length > 0)
      nested.forEach((ref) => missing.push(...withoutExamples(doc, ref.split('/').pop()!, seen)));
    else if (property.example === undefined) missing.push(`${name}.${field}`);
  }
  return missing;
}

const ERROR_BODY = '#/components/schemas/ErrorBody';

/** Every documented operation as `method path`, e.g. `post /api/users/login`. */
function operationsOf(doc: Document): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]): [string, Operation] => [
      `${method} ${path}`,
      operation,
    ]),
  );
}

/**
 * The routes behind `@RateLimit(...)`, read from the handlers' metadata rather than from the
 * document, so a new rate-limited route whose 429 is not documented is caught.
 */
function rateLimitedRoutes(t: TestApp): string[] {
  return appRoutes(t.app)
    .filter((route) => route.rateLimitBucket)
    .map(routeKey);
}

describe('the OpenAPI document', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('validates as OpenAPI 3', async () => {
    const doc = (await t.get('/docs-json')).body;
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
  });

  it('matches the committed openapi.json (run `npm run openapi` after changing the API)', async () => {
    const served = (await t.get('/docs-json')).body;
    const committed: unknown = JSON.parse(
      readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8'),
    );
    expect(served).toEqual(committed);
  });

  it('documents every route with a summary, and every error with the common shape', async () => {
    const doc = (await t.get('/docs-json')).body as Document;
    for (const [route, operation] of operationsOf(doc)) {
      expect({ route, summary: typeof operation.summary }).toEqual({ route, summary: 'string' });
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400) {
          expect({
            route: `${route} ${status}`,
            ref: response.content?.['application/json']?.schema?.$ref,
          }).toEqual({ route: `${route} ${status}`, ref: ERROR_BODY });
        }
      }
    }
  });

  it('documents 400, 413 and 415 on every route that takes a JSON body', async () => {
    const doc = (await t.get('/docs-json')).body as Document;
    const withBody = operationsOf(doc).filter(([, operation]) => operation.requestBody);
    expect(withBody.length).toBeGreaterThan(0);
    for (const [route, operation] of withBody) {
      expect({ route, statuses: Object.keys(operation.responses) }).toEqual({
        route,
        statuses: expect.arrayContaining(['400', '413', '415']),
      });
    }
  });

  it('documents 429 with Retry-After on every rate-limited route', async () => {
    const doc = (await t.get('/docs-json')).body as Document;
    const operations = new Map(operationsOf(doc));
    const limited = rateLimitedRoutes(t);
    expect(limited).toEqual(
      expect.arrayContaining(['post /api/users/login', 'post /api/users/token/refresh']),
    );
    for (const route of limited) {
      const response = operations.get(route)?.responses['429'];
      expect({
        route,
        ref: response?.content?.['application/json']?.schema?.$ref,
        retryAfter: response?.headers?.['Retry-After']?.schema?.type,
      }).toEqual({ route, ref: ERROR_BODY, retryAfter: 'integer' });
    }
  });

  it('documents the API-key scheme beside the access token on every admin route but API-key management, with examples', async () => {
    const doc = (await t.get('/docs-json')).body as Document;
    const admin = operationsOf(doc).filter(([route]) =>
      route.split(' ')[1].startsWith('/api/admin/'),
    );
    expect(admin.length).toBeGreaterThan(20);
    for (const [route, operation] of admin) {
      const keys = !route.includes('/api/admin/api-keys');
      expect({ route, security: operation.security }).toEqual({
        route,
        security: keys ? [{ 'access-token': [] }, { 'api-key': [] }] : undefined,
      });
      if (keys)
        expect({ route, has403: '403' in operation.responses }).toEqual({ route, has403: true });
      const schemas = [
        operation.requestBody?.content?.['application/json']?.schema?.$ref,
        ...Object.entries(operation.responses)
          .filter(([status]) => Number(status) < 300)
          .map(([, response]) => response.content?.['application/json']?.schema?.$ref),
      ].filter((ref): ref is string => typeof ref === 'string');
      const missing = schemas.flatMap((ref) => withoutExamples(doc, ref.split('/').pop()!));
      expect({ route, missing }).toEqual({ route, missing: [] });
    }
  });

  it('documents the `Authorization: Token` spelling on the bearer scheme', async () => {
    const doc = (await t.get('/docs-json')).body as Document;
    expect(doc.components.securitySchemes['access-token'].description).toContain(
      'Authorization: Token <access>',
    );
  });
});
