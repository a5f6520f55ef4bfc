import {
  guardedLookup,
  isBlockedAddress,
  targetProblem,
  URL_INVALID,
  URL_REFUSED,
} from './webhook-target';

describe('webhook targets (SSRF)', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '172.31.255.255',
    '192.168.0.10',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
  ])('blocks %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'lets %s through',
    (address) => {
      expect(isBlockedAddress(address)).toBe(false);
    },
  );

  it('accepts only http(s) URLs without credentials', async () => {
    await expect(targetProblem('ftp://example.com/x', true)).resolves.toBe(URL_INVALID);
    await expect(targetProblem('https://user:pw@example.com/x', true)).resolves.toBe(URL_INVALID);
    await expect(targetProblem('nonsense', true)).resolves.toBe(URL_INVALID);
    await expect(targetProblem('http://127.0.0.1/x', true)).resolves.toBeNull();
    await expect(targetProblem('http://127.0.0.1/x', false)).resolves.toBe(URL_REFUSED);
    await expect(targetProblem('http://LOCALHOST./x', false)).resolves.toBe(URL_REFUSED);
  });

  it('refuses at connection time a name that resolves to a blocked address', async () => {
    const lookup = guardedLookup(false);
    const error = await new Promise<Error | null>((resolve) =>
      lookup('localhost', { family: 0 }, (err) => resolve(err)),
    );
    expect(error?.message).toMatch(/refused/);
    const allowed = guardedLookup(true);
    const address = await new Promise<string>((resolve, reject) =>
      allowed('localhost', { family: 0 }, (err, addr) =>
        err ? reject(err) : resolve(addr as string),
      ),
    );
    expect(isBlockedAddress(address)).toBe(true);
  });
});
