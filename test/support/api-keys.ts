import { TestApp } from './test-app';

export interface CreatedKey {
  id: string;
  name: string;
  scopes: string[];
  key: string;
  created_at: string;
}

/** An admin user creates a service API key through the API; returns the one-time answer. */
export async function createApiKey(
  t: TestApp,
  adminToken: string,
  scopes: string[],
  name = `svc-${scopes.join('-')}`,
): Promise<CreatedKey> {
  const res = await t.post('/api/admin/api-keys', { name, scopes }, { token: adminToken });
  if (res.status !== 201) throw new Error(`api-key create answered ${res.status}: ${res.text}`);
  return res.body as CreatedKey;
}

/** POST /api/oauth/introspect as an RFC 7662 client does: a form body, the key as bearer. */
export function introspect(t: TestApp, key: string | undefined, token: string) {
  return t.post('/api/oauth/introspect', undefined, {
    token: key,
    raw: new URLSearchParams({ token }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}
