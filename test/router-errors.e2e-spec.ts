import { mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueEmail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { signInByCode, SignedIn } from './support/auth';
import { createUser, usersEnv } from './support/users';

const NUL_MESSAGE = 'Text must not contain NUL (\\u0000) characters.';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: any;
  text: string;
}

/**
 * Sends bytes exactly as given over a plain TCP socket and reads the answer until the server
 * closes: fetch and node:http refuse to send some of these requests, or fix them on the way.
 */
function rawRequest(port: number, request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    // The server may reset the connection after answering a request it refused to read.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (chunks.length === 0) reject(error);
    });
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const end = raw.indexOf('\r\n\r\n');
      if (end < 0) return reject(new Error(`no HTTP answer: ${JSON.stringify(raw)}`));
      const [statusLine, ...headerLines] = raw.slice(0, end).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const text = raw.slice(end + 4);
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: the assertions will say so
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body, text });
    });
    socket.end(request);
  });
}

function get(path: string, headers: Record<string, string> = {}): string {
  const lines = Object.entries({ Host: 'localhost', Connection: 'close', ...headers }).map(
    ([name, value]) => `${name}: ${value}`,
  );
  return `GET ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** API.md Conventions: the one error shape with a contract code, the security headers, an id. */
function expectContractError(res: RawResponse, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(Object.keys(res.body).sort()).toEqual(
    expect.arrayContaining(['code', 'error', 'message', 'statusCode']),
  );
  expect(res.body.statusCode).toBe(status);
  expect(typeof res.body.message).toBe('string');
  expect(res.body.message.length).toBeLessThanOrEqual(100);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['x-request-id']).toBeTruthy();
  expect(res.headers['x-powered-by']).toBeUndefined();
}

/** Answers given before any handler runs: the router, the body parser, Node's HTTP parser. */
describe('answers of the router and the HTTP parser', () => {
  const logFile = join(mkdtempSync(join(tmpdir(), 'mailguard-router-')), 'app.log');
  const adminEmail = uniqueEmail('admin');
  let t: TestApp;
  let port: number;
  let user: SignedIn;

  beforeAll(async () => {
    t = await startTestApp({ ...usersEnv(adminEmail), LOG_FILE: logFile, LOG_LEVEL: 'info' });
    port = Number(new URL(t.baseUrl).port);
    user = await signInByCode(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers a path with bad percent-encoding with 400 VALIDATION_FAILED', async () => {
    for (const path of ['/api/users/%ZZ', '/api/users/%C3%28', '/api/users/%E0%A4%A/restore']) {
      const res = await rawRequest(port, get(path, { Authorization: `Bearer ${user.access}` }));
      expectContractError(res, 400, 'VALIDATION_FAILED');
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
        message: 'The path is not valid percent-encoded UTF-8.',
      });
      expect(res.headers['x-request-id']).toMatch(UUID);
    }
  });

  it('keeps a sane incoming X-Request-Id on router answers', async () => {
    const res = await rawRequest(port, get('/api/users/%ZZ', { 'X-Request-Id': 'trace-bad-url' }));
    expectContractError(res, 400, 'VALIDATION_FAILED');
    expect(res.headers['x-request-id']).toBe('trace-bad-url');
  });

  it('answers a path parameter over 100 characters with 414 URI_TOO_LONG, echoing nothing', async () => {
    const long = 'A'.repeat(101);
    const res = await rawRequest(port, get(`/api/users/${long}`));
    expectContractError(res, 414, 'URI_TOO_LONG');
    expect(res.body).toEqual({
      statusCode: 414,
      error: 'URI Too Long',
      code: 'URI_TOO_LONG',
      message: 'A path segment is longer than 100 characters.',
    });
    expect(res.text).not.toContain('AAAAAAAAAA');
    // At the limit the route answers as usual: no token, 401.
    const atLimit = await rawRequest(port, get(`/api/users/${'A'.repeat(100)}`));
    expectContractError(atLimit, 401, 'UNAUTHENTICATED');
  });

  it('answers headers over the limit with 431 HEADERS_TOO_LARGE, straight from the socket', async () => {
    const res = await rawRequest(port, get('/api/health', { 'X-Padding': 'a'.repeat(17 * 1024) }));
    expectContractError(res, 431, 'HEADERS_TOO_LARGE');
    expect(res.body).toEqual({
      statusCode: 431,
      error: 'Request Header Fields Too Large',
      code: 'HEADERS_TOO_LARGE',
      message: 'The request headers are too large.',
    });
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(res.headers.connection).toBe('close');
    // The server is still there for the next client.
    expect((await t.get('/api/health')).status).toBe(200);
  });

  it('answers a request that is not HTTP with 400 VALIDATION_FAILED', async () => {
    const res = await rawRequest(port, 'NOT HTTP AT ALL\r\n\r\n');
    expectContractError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.message).toBe('The request is not valid HTTP.');
  });

  it('refuses NUL in a path parameter with 400 before any guard runs', async () => {
    for (const token of [user.access, undefined]) {
      const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
      const res = await rawRequest(port, get('/api/users/me%00', headers));
      expectContractError(res, 400, 'VALIDATION_FAILED');
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
        message: NUL_MESSAGE,
        errors: { id: [NUL_MESSAGE] },
      });
    }
    const restore = await t.post('/api/users/%00/restore', undefined, { token: user.access });
    expect(restore.status).toBe(400);
    expect(restore.body.errors).toEqual({ id: [NUL_MESSAGE] });
  });

  it('refuses NUL in a query value on routes that read no query, naming the parameter', async () => {
    for (const path of ['/api/health?x=%00', '/api/health/ready?probe=a%00b']) {
      const res = await rawRequest(port, get(path));
      expectContractError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual({ [path.includes('probe') ? 'probe' : 'x']: [NUL_MESSAGE] });
    }
  });

  it('refuses NUL anywhere else in the path or query, matched route or not', async () => {
    for (const path of ['/api/health%00', '/api/nowhere/%00', '/api/health?a%00b=1']) {
      const res = await rawRequest(port, get(path));
      expectContractError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.message).toBe(NUL_MESSAGE);
    }
    // A literal NUL byte in the request line never reaches a handler either.
    const literal = await rawRequest(port, get('/api/health?x=a\0b'));
    expectContractError(literal, 400, 'VALIDATION_FAILED');
  });

  it('keeps the shape and headers on unknown routes, wrong methods and body errors', async () => {
    const cases: [string, number, string][] = [
      [get(`/api/${'x'.repeat(300)}`), 404, 'NOT_FOUND'],
      [
        'PUT /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
        404,
        'NOT_FOUND',
      ],
      [
        'POST /api/users/get-otp/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n' +
          'Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi',
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'POST /api/users/get-otp/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n' +
          'Content-Type: application/json\r\nContent-Length: 5\r\n\r\n{"a":',
        400,
        'VALIDATION_FAILED',
      ],
    ];
    for (const [request, status, code] of cases) {
      const res = await rawRequest(port, request);
      expectContractError(res, status, code);
      expect(res.text).not.toContain('xxxxxxxxxx');
    }
  });

  it('never quotes more than 100 characters of the request, field names included', async () => {
    const key = 'k'.repeat(5000);
    const unknownField = await t.post('/api/users/get-otp/', { email: 'a@example.com', [key]: 1 });
    expect(unknownField.status).toBe(400);
    const nulKey = await rawRequest(port, get(`/api/health?${'q'.repeat(3000)}=%00`));
    expectContractError(nulKey, 400, 'VALIDATION_FAILED');
    for (const body of [unknownField.body, nulKey.body]) {
      expect(body.message.length).toBeLessThanOrEqual(100);
      const names = Object.keys(body.errors ?? {});
      expect(names).toHaveLength(1);
      expect(names[0].length).toBe(100);
      expect(names[0].endsWith('…')).toBe(true);
    }
  });

  it('names only the fields an admin PATCH changed in the admin_change log event', async () => {
    const admin = await signInByCode(t, adminEmail);
    const target = await createUser(t, admin.access, { city: 'Pune' });
    const res = await t.patch(
      `/api/users/${target.id}`,
      {
        full_name: 'Renamed User',
        mobile: '1234567890',
        city: 'Pune',
        state: 'MH',
        pincode: '411001',
      },
      { token: admin.access },
    );
    expect(res.status).toBe(200);
    let event: { fields?: string[] } | undefined;
    for (let i = 0; i < 100 && !event; i++) {
      event = readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => line.includes('"admin_change"') && line.includes(target.id))
        .map((line) => JSON.parse(line) as { action: string; fields?: string[] })
        .find((line) => line.action === 'update');
      if (!event) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // mobile and city were sent unchanged; five sent, three changed.
    expect(event?.fields?.sort()).toEqual(['full_name', 'pincode', 'state']);
  });
});
