/**
 * npm run test:browser:client — @mailguard/client in Debian's chromium (playwright-core): a small
 * page served on another origin (http://localhost:3933) loads the built client (clients/js/dist)
 * and talks to the production build (http://localhost:3932) in cookie mode, in two tabs of one
 * browser context: sign-in by code, the refresh cookie out of reach of scripts, both tabs
 * refreshing at the same moment many times without losing the session, a reloaded tab picking
 * the session up from the cookie, and a sign-out in one tab signing the other out.
 */
import { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { startBuiltService, stopBuiltService } from './start-service';

const API_PORT = 3932;
const PAGE_PORT = 3933;
const API = `http://localhost:${API_PORT}`;
/** What this script itself calls: the service listens on IPv4 only. */
const API_DIRECT = `http://127.0.0.1:${API_PORT}`;
const PAGE = `http://localhost:${PAGE_PORT}`;
const DIST = join(__dirname, '..', '..', 'clients', 'js', 'dist');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROUNDS = 15;

const HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>MailGuard client test page</title></head>
<body><p id="status">loading</p>
<script type="module">
  import { MailGuardClient } from '/client/index.js';
  const mg = new MailGuardClient({ baseUrl: '${API}', transport: 'cookie' });
  window.events = [];
  mg.onAuthStateChange((event) => {
    window.events.push(event);
    document.getElementById('status').textContent = event;
  });
  window.mg = mg;
  document.getElementById('status').textContent = 'ready';
</script></body></html>`;

type Mg = {
  requestCode(email: string): Promise<unknown>;
  signInWithCode(email: string, otp: string): Promise<unknown>;
  refresh(): Promise<string | null>;
  getMe(): Promise<{ email: string }>;
  signOut(): Promise<void>;
  state: { signedIn: boolean };
};
declare const mg: Mg;
declare const events: string[];

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function startService(dataDir: string): Promise<ChildProcess> {
  return startBuiltService(
    {
      PORT: String(API_PORT),
      DATA_DIR: dataDir,
      PUBLIC_URL: API,
      CORS_ORIGINS: PAGE,
      RATE_LIMIT_REFRESH_PER_MINUTE: '10000',
    },
    `${API_DIRECT}/api/health/ready`,
  );
}

/** The page's origin: the test page and the built client, nothing else. */
function startPageServer(): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(HTML);
      return;
    }
    const file = normalize(join(DIST, path.replace(/^\/client\//, '')));
    if (!path.startsWith('/client/') || !file.startsWith(DIST)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(PAGE_PORT, 'localhost', () => resolve(server)));
}

async function openTab(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(`${PAGE}/`);
  await page.waitForFunction("'mg' in window");
  return page;
}

async function codeFor(email: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${API_DIRECT}/dev/mailbox`, {
      headers: { accept: 'application/json' },
    });
    const { data } = (await res.json()) as { data: { to: string; code: string | null }[] };
    const mail = data.find((entry) => entry.to === email);
    if (mail?.code) return mail.code;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no code mailed to ${email}`);
}

async function refreshCookie(context: BrowserContext) {
  return (await context.cookies(API)).find((cookie) => cookie.name === 'mailguard_refresh');
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mailguard-browser-client-'));
  const service = await startService(dataDir);
  const pages = await startPageServer();
  const browser = await chromium
    .launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    .catch(async (error: unknown) => {
      service.kill('SIGTERM');
      await new Promise((resolve) => pages.close(resolve));
      throw error;
    });
  try {
    const context = await browser.newContext();
    const a = await openTab(context);
    const b = await openTab(context);
    const email = `browser.client.${Date.now()}@example.com`;

    await a.evaluate((address) => mg.requestCode(address), email);
    const code = await codeFor(email);
    await a.evaluate(([address, otp]) => mg.signInWithCode(address, otp), [email, code]);
    const cookie = await refreshCookie(context);
    check(cookie, 'no refresh cookie after sign-in');
    check(cookie.httpOnly && cookie.sameSite === 'Strict' && cookie.path === '/', 'cookie flags');
    const visible = String(await a.evaluate('document.cookie'));
    check(!visible.includes('mailguard_refresh'), 'the refresh cookie is readable by scripts');
    check(!visible.includes(cookie.value), 'the refresh token is readable by scripts');
    await b.waitForFunction(() => mg.state.signedIn);
    console.log('signed in in tab A; tab B followed through BroadcastChannel');

    for (let round = 0; round < ROUNDS; round++) {
      const both: Promise<string | null>[] = [a, b].map((tab) => tab.evaluate(() => mg.refresh()));
      const [x, y] = await Promise.all(both);
      check(x && y, `round ${round}: a tab lost the session (${x}, ${y})`);
    }
    for (const tab of [a, b]) {
      const me = await tab.evaluate(() => mg.getMe());
      check(me.email === email, 'GET /api/users/me after the refresh storm');
    }
    console.log(`${ROUNDS} rounds of simultaneous refreshes in two tabs: the session survived`);

    // A reloaded tab has nothing in memory: the cookie alone brings the session back.
    await b.reload();
    await b.waitForFunction("'mg' in window");
    const restored = await b.evaluate(() => mg.refresh());
    check(restored, 'a reloaded tab could not restore the session from the cookie');
    check((await b.evaluate(() => mg.getMe())).email === email, 'GET /api/users/me after reload');

    await a.evaluate(() => mg.signOut());
    await b.waitForFunction(() => !mg.state.signedIn && events.includes('SIGNED_OUT'));
    check(!(await refreshCookie(context)), 'the refresh cookie survived sign-out');
    check((await b.evaluate(() => mg.refresh())) === null, 'tab B refreshed after sign-out');
    const again = await fetch(`${API_DIRECT}/api/users/token/refresh/`, {
      method: 'POST',
      headers: { cookie: `mailguard_refresh=${cookie.value}`, 'x-csrf-protection': '1' },
    });
    check(again.status === 401, `the signed-out cookie still refreshes (${again.status})`);
    console.log('client browser flow passed: cookie transport, two tabs, sign-out everywhere');
  } finally {
    await browser.close();
    await new Promise((resolve) => pages.close(resolve));
    await stopBuiltService(service, dataDir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
