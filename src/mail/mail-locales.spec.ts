import {
  isRtl,
  lookupLocale,
  parseAcceptLanguage,
  resolveLocale,
  supportedLocale,
} from './mail-locales';

describe('parseAcceptLanguage', () => {
  it.each([
    ['', []],
    ['de', ['de']],
    ['fr-CA, fr;q=0.9, en;q=0.8', ['fr-CA', 'fr', 'en']],
    ['en;q=0.5, de', ['de', 'en']],
    ['es;q=0.8, pt;q=0.8, de;q=0.9', ['de', 'es', 'pt']],
    ['de;q=0, en', ['en']],
    ['*;q=0.1, fr', ['fr', '*']],
    ['en;q=2, de;q=abc, fr', ['fr']],
    ['<script>, 12, de-DE', ['de-DE']],
    ['en ; q = 0.7 , de', ['de', 'en']],
  ])('%j → %j', (header, expected) => {
    expect(parseAcceptLanguage(header)).toEqual(expected);
  });

  it('stays bounded for a huge header', () => {
    expect(parseAcceptLanguage(Array(10_000).fill('xx').join(',')).length).toBeLessThanOrEqual(32);
  });
});

describe('lookupLocale (RFC 4647 lookup)', () => {
  it.each([
    ['fr-CA', 'fr'],
    ['pt', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['PT-br', 'pt-BR'],
    ['de-CH-1996', 'de'],
    ['zh-Hant-x-private, es-419;q=0.8', 'es'],
    ['it, ja;q=0.9, de;q=0.1', 'de'],
    ['it, ja', undefined],
    ['*', undefined],
    [undefined, undefined],
  ])('%j → %j', (header, expected) => {
    expect(lookupLocale(header)).toBe(expected);
  });
});

describe('resolveLocale', () => {
  it('takes the field, then the stored locale, then Accept-Language, then the default', () => {
    const header = 'es-MX,es;q=0.9';
    expect(resolveLocale({ requested: 'fr', stored: 'de', acceptLanguage: header }, 'en')).toBe(
      'fr',
    );
    expect(resolveLocale({ stored: 'de', acceptLanguage: header }, 'en')).toBe('de');
    expect(resolveLocale({ stored: null, acceptLanguage: header }, 'en')).toBe('es');
    expect(resolveLocale({ acceptLanguage: 'it' }, 'pt-BR')).toBe('pt-BR');
    expect(resolveLocale({}, 'de')).toBe('de');
  });

  it('spells supported locales as bundled and knows the direction', () => {
    expect(supportedLocale('pt-br')).toBe('pt-BR');
    expect(supportedLocale('pt')).toBeUndefined();
    expect(isRtl('ar-EG')).toBe(true);
    expect(isRtl('de')).toBe(false);
  });
});
