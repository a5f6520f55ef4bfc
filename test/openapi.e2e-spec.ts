import SwaggerParser from '@apidevtools/swagger-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp } from './support/test-app';

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
    const doc = (await t.get('/docs-json')).body as {
      paths: Record<
        string,
        Record<
          string,
          {
            summary?: string;
            responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
          }
        >
      >;
    };
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect({ route: `${method} ${path}`, summary: typeof operation.summary }).toEqual({
          route: `${method} ${path}`,
          summary: 'string',
        });
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) >= 400) {
            expect({
              route: `${method} ${path} ${status}`,
              ref: response.content?.['application/json']?.schema?.$ref,
            }).toEqual({
              route: `${method} ${path} ${status}`,
              ref: '#/components/schemas/ErrorBody',
            });
          }
        }
      }
    }
  });
});
