import { AppConfig } from '../../config/app.config';
import { AuthConfig } from '../auth.config';
import {
  passesCsrfChecks,
  readRefreshCookie,
  refreshCookieSettings,
  serializeRefreshCookie,
  wantsCookieTransport,
} from './refresh-cookie';

const settingsFor = (publicUrl: string, corsOrigins: string[] = []) =>
  refreshCookieSettings(
    { publicUrl, corsOrigins } as AppConfig,
    { refreshTtlSeconds: 86400 } as AuthConfig,
  );

describe('refresh cookie', () => {
  it('is __Host- and Secure everywhere but plain http on localhost', () => {
    expect(settingsFor('https://auth.example.com')).toMatchObject({
      name: '__Host-mailguard_refresh',
      secure: true,
    });
    expect(settingsFor('http://auth.internal:8080')).toMatchObject({ secure: true });
    expect(settingsFor('http://localhost:3000')).toMatchObject({
      name: 'mailguard_refresh',
      secure: false,
    });
  });

  it('serializes a new and a cleared cookie', () => {
    const secure = settingsFor('https://auth.example.com');
    expect(serializeRefreshCookie(secure, 'abc')).toBe(
      '__Host-mailguard_refresh=abc; Path=/; Max-Age=86400; HttpOnly; SameSite=Strict; Secure',
    );
    expect(serializeRefreshCookie(settingsFor('http://localhost:3000'), null)).toBe(
      'mailguard_refresh=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict',
    );
  });

  it('reads only its own, well-formed cookie', () => {
    const s = settingsFor('https://auth.example.com');
    expect(readRefreshCookie(s, 'a=1; __Host-mailguard_refresh=tok_en-1; b=2')).toBe('tok_en-1');
    expect(readRefreshCookie(s, 'mailguard_refresh=tok')).toBeNull();
    expect(readRefreshCookie(s, '__Host-mailguard_refresh=bad value')).toBeNull();
    expect(readRefreshCookie(s, undefined)).toBeNull();
  });

  it('reads the transport header in any case', () => {
    expect(wantsCookieTransport({ 'x-token-transport': 'Cookie' })).toBe(true);
    expect(wantsCookieTransport({ 'x-token-transport': 'header' })).toBe(false);
    expect(wantsCookieTransport({})).toBe(false);
  });

  it('passes CSRF checks only with the header, a trusted or absent Origin and no anonymous cross-site fetch', () => {
    const s = settingsFor('https://auth.example.com', ['https://app.example.com']);
    const ok = { 'x-csrf-protection': '1' };
    expect(passesCsrfChecks(s, ok)).toBe(true);
    expect(passesCsrfChecks(s, { ...ok, origin: 'https://auth.example.com' })).toBe(true);
    expect(
      passesCsrfChecks(s, {
        ...ok,
        origin: 'https://app.example.com',
        'sec-fetch-site': 'cross-site',
      }),
    ).toBe(true);
    expect(passesCsrfChecks(s, {})).toBe(false);
    expect(passesCsrfChecks(s, { ...ok, origin: 'https://evil.example' })).toBe(false);
    expect(passesCsrfChecks(s, { ...ok, 'sec-fetch-site': 'cross-site' })).toBe(false);
  });
});
