import { canonicalizeEmail } from './canonical-email';

describe('canonicalizeEmail', () => {
  it.each([
    ['  User@Example.COM ', 'user@example.com'],
    ['a.b+tag@sub.example.org', 'a.b+tag@sub.example.org'],
    ['user@bücher.example', 'user@xn--bcher-kva.example'],
    ['USER@EXAMPLE.com\t', 'user@example.com'],
    // NFC: a decomposed ü (u + combining diaeresis) is the same domain as the composed one.
    ['user@bu\u0308cher.example', 'user@xn--bcher-kva.example'],
  ])('%p becomes %p', (input, expected) => {
    expect(canonicalizeEmail(input)).toBe(expected);
  });

  it.each([
    'plainaddress',
    '@example.com',
    'user@',
    'user@localhost',
    'us er@example.com',
    '"quoted"@example.com',
    'a,b@example.com',
    '<user@example.com>',
    'user\u0000@example.com',
    'user\r\nBcc:x@example.com',
    'user@example.com\r\nBcc: x@example.com',
    'us\u0007er@example.com',
    'user\u007f@example.com',
    'üser@example.com',
    'user@example..com',
    'user@-example.com',
    `${'a'.repeat(65)}@example.com`,
    `user@${'a'.repeat(250)}.com`,
    'user@example.123',
    '.user@example.com',
  ])('refuses %p', (input) => {
    expect(canonicalizeEmail(input)).toBeUndefined();
  });

  it('refuses non-strings', () => {
    expect(canonicalizeEmail(42)).toBeUndefined();
    expect(canonicalizeEmail(['a@b.co'])).toBeUndefined();
  });
});
