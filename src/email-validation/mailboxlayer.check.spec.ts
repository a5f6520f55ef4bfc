import { Logger } from '@nestjs/common';
import { AtomicStore } from '../cache/atomic-store';
import { MemoryAtomicStore } from '../cache/memory-atomic-store';
import { EnvReader } from '../config/env-parser';
import { EmailValidationConfig, readEmailValidationConfig } from './email-validation.config';
import { MailboxlayerCheck } from './mailboxlayer.check';

const KEY = 'secret-mailboxlayer-key';
// The defaults, with a fake URL and a short timeout.
const config: EmailValidationConfig = {
  ...readEmailValidationConfig(new EnvReader({})),
  mailboxlayerApiKey: KEY,
  mailboxlayerUrl: 'http://mailboxlayer.invalid/api/check',
  mailboxlayerTimeoutMs: 300,
};
const good = { format_valid: true, mx_found: true, smtp_check: true, disposable: false };

const ttls: number[] = [];

function memoryCache(): AtomicStore {
  const store = new MemoryAtomicStore();
  const setJson = store.setJson.bind(store);
  store.setJson = (key: string, value: unknown, ttlMs: number) => {
    ttls.push(ttlMs);
    return setJson(key, value, ttlMs);
  };
  return store;
}

function check(overrides: Partial<EmailValidationConfig> = {}) {
  return new MailboxlayerCheck({ ...config, ...overrides }, memoryCache(), {
    key: 'k'.repeat(40),
    generated: false,
  });
}

function answer(body: unknown, status = 200): Response {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

describe('MailboxlayerCheck', () => {
  let fetchMock: jest.SpyInstance;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    fetchMock = jest.spyOn(globalThis, 'fetch');
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('sends access_key, email, smtp=1 and format=1', async () => {
    fetchMock.mockResolvedValue(answer(good));
    await expect(check().check('user@example.com')).resolves.toBeUndefined();
    const url = new URL(String(fetchMock.mock.calls[0][0]));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      access_key: KEY,
      email: 'user@example.com',
      smtp: '1',
      format: '1',
    });
  });

  it.each([
    [{ format_valid: false }, {}, 'Enter a valid email address.'],
    [{ mx_found: false }, {}, 'The email domain cannot receive mail.'],
    [{ mx_found: false }, { rejectNoMx: false }, undefined],
    [{ smtp_check: false }, {}, 'This mailbox does not exist or does not accept mail.'],
    [{ smtp_check: false }, { rejectSmtpFail: false }, undefined],
    [{ disposable: true }, {}, 'Disposable email addresses are not allowed.'],
    [{ disposable: true }, { rejectDisposable: false }, undefined],
  ])('judges %p with %p as %p', async (fields, rules, reason) => {
    fetchMock.mockResolvedValue(answer({ ...good, ...fields }));
    await expect(check(rules).check('user@example.com')).resolves.toBe(reason);
  });

  it('caches verdicts for 24 hours but not provider failures', async () => {
    ttls.length = 0;
    const subject = check();
    fetchMock.mockResolvedValueOnce(answer({ success: false, error: { code: 104 } }));
    await subject.check('user@example.com');
    fetchMock.mockResolvedValueOnce(answer({ ...good, smtp_check: false }));
    await subject.check('user@example.com');
    await subject.check('user@example.com');
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(ttls).toEqual([86_400_000]);
  });

  it.each([
    ['success: false in a 200', () => answer({ success: false, error: { code: 101 } })],
    ['a 500', () => answer('oops', 500)],
    ['invalid JSON', () => answer('{not json')],
    ['an unexpected body', () => answer({ hello: 'world' })],
  ])('treats %s as a provider failure: fail open accepts, fail closed refuses', async (_, make) => {
    fetchMock.mockImplementation(() => Promise.resolve(make()));
    await expect(check().check('user@example.com')).resolves.toBeUndefined();
    await expect(check({ failOpen: false }).check('user@example.com')).resolves.toBe(
      'The email address could not be verified right now. Try again later.',
    );
  });

  it('never logs the API key, even when the network error quotes the URL', async () => {
    fetchMock.mockRejectedValue(
      Object.assign(new TypeError(`fetch failed for ${config.mailboxlayerUrl}?access_key=${KEY}`), {
        cause: { code: 'ECONNREFUSED' },
      }),
    );
    await check().check('user@example.com');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain('ECONNREFUSED');
    expect(JSON.stringify(warn.mock.calls)).not.toContain(KEY);
  });
});
