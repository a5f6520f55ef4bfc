/**
 * npx ts-node --transpile-only bench/token-verify.ts
 * CPU per access-token check: an ES256 and an HS256 check through @nestjs/jwt (as the service does
 * on a cache miss), and a verified-token cache hit of AccessTokenService (what GET /api/users/me
 * pays for a token it has seen before).
 */
import { JwtService } from '@nestjs/jwt';
import { createPublicKey, createSecretKey, randomBytes } from 'node:crypto';
import { generatePrivateKey, signJws } from '../src/keys/jws';
import { KeyringService } from '../src/keys/keyring.service';
import { AccessTokenService } from '../src/sessions/access-token.service';
import { AuthConfig } from '../src/sessions/auth.config';

const now = Math.floor(Date.now() / 1000);
const auth = {
  issuer: 'https://auth.example.com',
  audience: 'mailguard-api',
  clockToleranceSeconds: 30,
  accessTtlSeconds: 900,
} as AuthConfig;
const claims = { iss: auth.issuer, sub: 'u', aud: auth.audience, exp: now + 900, iat: now };
const payload = { ...claims, jti: 'j', sid: 's', role: 'user' };

function time(label: string, calls: number, run: () => unknown): void {
  for (let i = 0; i < 2000; i++) run();
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) run();
  const used = process.cpuUsage(before);
  console.log(`${label}: ${((used.user + used.system) / calls).toFixed(2)} µs of CPU per call`);
}

const es256 = generatePrivateKey('ES256');
const es256Public = createPublicKey(es256);
const es256Token = signJws({ alg: 'ES256', typ: 'at+jwt', kid: 'k' }, payload, es256, 'ES256');
const hs256 = createSecretKey(randomBytes(32));
const hs256Token = signJws({ alg: 'HS256', typ: 'at+jwt' }, payload, hs256, 'HS256');
const keyring = {
  verifierFor: () => ({ alg: 'ES256', kid: 'k', key: es256Public }),
  isPublished: () => true,
} as unknown as KeyringService;
const jwt = new JwtService();
const tokens = new AccessTokenService(auth, keyring, jwt);
// Typed string | Buffer by @nestjs/jwt; jsonwebtoken takes the KeyObject.
const check = (token: string, alg: 'ES256' | 'HS256', key: unknown): object =>
  jwt.verify<object>(token, { algorithms: [alg], publicKey: key as Buffer });
// Each request brings its own copy of the token string (so its hash is computed afresh).
const fresh = (token: string) => token.slice(0, -1) + token.slice(-1);

for (let round = 1; round <= 3; round++) {
  time('ES256 check through @nestjs/jwt', 20_000, () =>
    check(fresh(es256Token), 'ES256', es256Public),
  );
  time('HS256 check through @nestjs/jwt', 200_000, () => check(fresh(hs256Token), 'HS256', hs256));
  time('AccessTokenService.verifySync, cache hit', 200_000, () =>
    tokens.verifySync(fresh(es256Token)),
  );
}
