/**
 * npm run test:browser — a person's first minutes, in a real browser: Swagger UI's "Try it out"
 * on get-otp, the code read from /dev/mailbox, login, Authorize, GET /api/users/me. Runs the
 * production build on a fresh embedded database, drives Debian's chromium with playwright-core,
 * and saves a screenshot of every step to test/.artifacts/screenshots (ignored by git).
 */
import { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, Locator, Page } from 'playwright-core';
import { startBuiltService, stopBuiltService } from './start-service';

const PORT = 3931;
const BASE = `http://127.0.0.1:${PORT}`;
const SHOTS = join(__dirname, '..', '.artifacts', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function startService(dataDir: string): Promise<ChildProcess> {
  return startBuiltService({ PORT: String(PORT), DATA_DIR: dataDir }, `${BASE}/api/health/ready`);
}

/** Expands an operation, presses "Try it out", optionally fills the body, executes, returns the answer. */
async function tryItOut(
  page: Page,
  operationId: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const operation = page.locator(`[id$="-${operationId}"]`).first();
  await operation.locator('.opblock-summary').first().click();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  if (body !== undefined)
    await operation.locator('textarea.body-param__text').fill(JSON.stringify(body, null, 2));
  await operation.getByRole('button', { name: 'Execute' }).click();
  const response = operation.locator('.live-responses-table tbody .response').first();
  await response.waitFor({ timeout: 15_000 });
  await response.scrollIntoViewIfNeeded();
  const status = Number((await response.locator('.response-col_status').innerText()).trim());
  const text = await responseBody(response);
  return { status, text };
}

async function responseBody(response: Locator): Promise<string> {
  const code = response.locator('.response-col_description pre').first();
  await code.waitFor();
  return code.innerText();
}

async function main(): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'mailguard-browser-'));
  const service = await startService(dataDir);
  const browser = await chromium.launch({
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
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const email = `browser.${Date.now()}@example.com`;

    await page.goto(`${BASE}/docs`);
    await page.getByText('MailGuard API').first().waitFor();
    await page.screenshot({ path: join(SHOTS, '1-swagger-ui.png') });

    const sent = await tryItOut(page, 'AuthController_getOtp', { email });
    if (sent.status !== 200) throw new Error(`get-otp answered ${sent.status}: ${sent.text}`);
    await page.screenshot({ path: join(SHOTS, '2-get-otp.png') });

    const mailbox = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await mailbox.goto(`${BASE}/dev/mailbox`);
    const mail = mailbox.locator('article.mail', { hasText: email }).first();
    await mail.waitFor({ timeout: 10_000 });
    const code = (await mail.locator('.code').innerText()).trim();
    if (!/^\d{6}$/.test(code)) throw new Error(`no code in the mailbox: "${code}"`);
    await mailbox.screenshot({ path: join(SHOTS, '3-dev-mailbox.png') });

    const login = await tryItOut(page, 'AuthController_login', { email, otp: code });
    if (login.status !== 200) throw new Error(`login answered ${login.status}: ${login.text}`);
    const { access } = JSON.parse(login.text) as { access: string };
    await page.screenshot({ path: join(SHOTS, '4-login.png') });

    await page.locator('.auth-wrapper .authorize').click();
    const dialog = page.locator('.modal-ux');
    // The first scheme is the user's access token (the second, `api-key`, is for services).
    const scheme = dialog.locator('form').filter({ hasText: 'access-token' });
    await scheme.locator('input[type="text"]').fill(access);
    await scheme.locator('button.modal-btn.auth.authorize').click();
    await page.screenshot({ path: join(SHOTS, '5-authorize.png') });
    await dialog.locator('button.btn-done').first().click();

    const me = await tryItOut(page, 'MeController_get_me');
    if (me.status !== 200 || !me.text.includes(email))
      throw new Error(`GET /api/users/me answered ${me.status}: ${me.text}`);
    await page.screenshot({ path: join(SHOTS, '6-users-me.png'), fullPage: false });
    console.log(
      `browser flow passed: signed in as ${email} through Swagger UI; screenshots in ${SHOTS}`,
    );
  } finally {
    await browser.close();
    await stopBuiltService(service, dataDir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
