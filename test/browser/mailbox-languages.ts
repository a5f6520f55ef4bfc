/**
 * The README's picture of "Mail in the reader's language": the same sign-in code mail asked for
 * in English and in German, as /dev/mailbox shows it (language beside the subject, code
 * highlighted). Runs the production build (`npm run build` first) on a fresh embedded database
 * with Debian's chromium and writes docs/img/dev-mailbox-languages.png.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startBuiltService, stopBuiltService } from './start-service';

const PORT = 3932;
const BASE = `http://127.0.0.1:${PORT}`;
const SHOT = join(__dirname, '..', '..', 'docs', 'img', 'dev-mailbox-languages.png');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mailguard-mailbox-'));
  const service = await startBuiltService(
    { PORT: String(PORT), DATA_DIR: dataDir },
    `${BASE}/api/health/ready`,
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    // The locale field here; Accept-Language or the account's stored locale work the same way.
    for (const [email, locale] of [
      ['ana@example.com', 'en'],
      ['jonas@example.com', 'de'],
    ]) {
      const res = await fetch(`${BASE}/api/users/get-otp/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, locale }),
      });
      if (res.status !== 200) throw new Error(`get-otp answered ${res.status}`);
    }
    const page = await browser.newPage({ viewport: { width: 900, height: 640 } });
    await page.goto(`${BASE}/dev/mailbox`);
    const mails = page.locator('article.mail');
    await mails.nth(1).waitFor({ timeout: 10_000 });
    for (const locale of ['en', 'de']) {
      const lang = await page.locator('.lang', { hasText: locale }).count();
      if (lang !== 1) throw new Error(`the mailbox shows no ${locale} mail`);
    }
    await page.screenshot({ path: SHOT, fullPage: true });
    console.log(`wrote ${SHOT}`);
  } finally {
    await browser.close();
    await stopBuiltService(service, dataDir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
