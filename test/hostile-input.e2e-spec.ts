import { gzipSync } from 'node:zlib';
import { uniqueEmail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { signInByCode, SignedIn } from './support/auth';
import { usersEnv } from './support/users';

const NUL_MESSAGE = 'Text must not contain NUL (\\u0000) characters.';

function nestedArrays(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** Input that is valid JSON but no handler could store or walk: always a clear 400, never a 500. */
describe('hostile and mistyped input', () => {
  let t: TestApp;
  let user: SignedIn;
  const adminEmail = uniqueEmail('admin');

  beforeAll(async () => {
    t = await startTestApp(usersEnv(adminEmail));
    user = await signInByCode(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses NUL characters in body fields and names the field', async () => {
    const patched = await t.patch(
      '/api/users/me',
      { full_name: 'a\u0000b' },
      { token: user.access },
    );
    expect(patched.status).toBe(400);
    expect(patched.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: NUL_MESSAGE,
      errors: { full_name: [NUL_MESSAGE] },
    });
    const registered = await t.post('/api/users/register/', {
      email: uniqueEmail('nul'),
      password: 'k3!vQ9#zLm-2026',
      full_name: 'x\u0000',
    });
    expect(registered.status).toBe(400);
    expect(registered.body.errors).toEqual({ full_name: [NUL_MESSAGE] });
    const me = await t.get('/api/users/me', { token: user.access });
    expect(me.body.full_name).toBe('');
  });

  it('refuses NUL characters in the query string', async () => {
    const admin = await signInByCode(t, adminEmail);
    const listed = await t.get('/api/users/?search=%00abc', { token: admin.access });
    expect(listed.status).toBe(400);
    expect(listed.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: { search: [NUL_MESSAGE] },
    });
  });

  it('refuses deeply nested bodies with 400', async () => {
    const cases = [
      [nestedArrays(5000), 'Request body must be a JSON object.'],
      [`{"email":${nestedArrays(5000)}}`, 'Request input is nested more than 16 levels deep.'],
    ];
    for (const [raw, message] of cases) {
      const res = await t.post('/api/users/get-otp/', undefined, {
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message });
    }
  });

  it('says a JSON body is empty when it is', async () => {
    const res = await t.post('/api/users/get-otp/', undefined, {
      raw: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Request body is empty but Content-Type is JSON.');
  });

  it('says why a body with a __proto__ key is refused', async () => {
    const res = await t.post('/api/users/get-otp/', undefined, {
      raw: '{"email":"a@example.com","__proto__":{"x":1}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      'Request body must not contain __proto__ or constructor.prototype keys.',
    );
  });

  it('answers a value of the wrong JSON type with a "must be a string" message', async () => {
    const cases: [string, string, Record<string, unknown>, string, string][] = [
      [
        'POST',
        '/api/users/login/',
        { email: 'a@example.com', password: 123 },
        'password',
        'Password must be a string.',
      ],
      [
        'POST',
        '/api/users/token/refresh/',
        { refresh: 123 },
        'refresh',
        'Refresh token must be a string.',
      ],
      ['PATCH', '/api/users/me', { full_name: 123 }, 'full_name', 'Full name must be a string.'],
      ['PATCH', '/api/users/me', { full_name: ['a'] }, 'full_name', 'Full name must be a string.'],
      ['PATCH', '/api/users/me', { city: true }, 'city', 'City must be a string.'],
      ['PATCH', '/api/users/me', { mobile: 1234567890 }, 'mobile', 'Mobile must be a string.'],
    ];
    for (const [method, path, body, field, message] of cases) {
      const res = await t.request(method, path, body, { token: user.access });
      expect({ path, status: res.status, body: res.body }).toEqual({
        path,
        status: 400,
        body: {
          statusCode: 400,
          error: 'Bad Request',
          code: 'VALIDATION_FAILED',
          message,
          errors: { [field]: [message] },
        },
      });
    }
    const limit = await t.get('/dev/mailbox?limit=abc', {
      headers: { accept: 'application/json' },
    });
    expect(limit.status).toBe(400);
    expect(limit.body.message).toBe('limit must be a whole number.');
  });

  it('refuses a body that is not a JSON object', async () => {
    for (const raw of ['[1,2]', 'null', '"text"', '42']) {
      const res = await t.request('PATCH', '/api/users/me', undefined, {
        raw,
        token: user.access,
        headers: { 'content-type': 'application/json' },
      });
      expect({ raw, status: res.status, body: res.body }).toEqual({
        raw,
        status: 400,
        body: {
          statusCode: 400,
          error: 'Bad Request',
          code: 'VALIDATION_FAILED',
          message: 'Request body must be a JSON object.',
        },
      });
    }
    const loggedOut = await t.post('/api/users/logout/', undefined, {
      raw: 'null',
      token: user.access,
      headers: { 'content-type': 'application/json' },
    });
    expect(loggedOut.status).toBe(400);
    expect((await t.get('/api/users/me', { token: user.access })).status).toBe(200);
  });

  it('sends the security headers on error answers too, and no CORS headers unless configured', async () => {
    for (const res of [
      await t.get('/api/users/me', { headers: { origin: 'https://app.example.com' } }),
      await t.get('/api/nowhere', { headers: { origin: 'https://app.example.com' } }),
    ]) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('names the Bearer scheme on 401 answers', async () => {
    const res = await t.get('/api/users/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('says a date of birth before 1900 is too early, whatever its year looks like', async () => {
    const res = await t.patch('/api/users/me', { dob: '0001-01-01' }, { token: user.access });
    expect(res.body.errors).toEqual({ dob: ['Date of birth cannot be before 1900-01-01.'] });
  });

  it('refuses a compressed body with 415 saying why', async () => {
    const res = await t.post('/api/users/get-otp/', undefined, {
      raw: gzipSync(JSON.stringify({ email: 'a@example.com' })),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Compressed request bodies are not accepted: send JSON without Content-Encoding.',
    });
  });

  it("takes DRF's ?format=json override and ignores it", async () => {
    const admin = await signInByCode(t, adminEmail);
    const listed = await t.get('/api/users/?format=json', { token: admin.access });
    expect(listed.status).toBe(200);
    const me = await t.get('/api/users/me?format=json', { token: user.access });
    expect(me.status).toBe(200);
    const other = await t.get('/api/users/?format=xml', { token: admin.access });
    expect(other.status).toBe(400);
  });

  it('treats a blank email as missing', async () => {
    const res = await t.post('/api/users/get-otp/', { email: '   ' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: 'Email is required.' });
  });
});
