import { disposableDomainCheck, isDisposableDomain } from './disposable-domains';

describe('isDisposableDomain', () => {
  it.each(['mailinator.com', 'MAILINATOR.COM', 'guerrillamail.com', 'yopmail.com'])(
    'knows %p from the npm list',
    (domain) => {
      expect(isDisposableDomain(domain)).toBe(true);
    },
  );

  it('matches subdomains of a listed domain', () => {
    expect(isDisposableDomain('x.mailinator.com')).toBe(true);
    expect(isDisposableDomain('a.b.yopmail.com')).toBe(true);
  });

  it.each(['example.com', 'gmail.com', 'mailinator.com.example.org', 'com'])(
    'passes %p',
    (domain) => {
      expect(isDisposableDomain(domain)).toBe(false);
    },
  );

  it('gives the reason as a check', async () => {
    await expect(disposableDomainCheck.check('a@x.mailinator.com')).resolves.toBe(
      'Disposable email addresses are not allowed.',
    );
    await expect(disposableDomainCheck.check('a@example.com')).resolves.toBeUndefined();
  });
});
