import { JwtService } from '@nestjs/jwt';
import { createHmac } from 'node:crypto';
import { Repository } from 'typeorm';
import { EnvReader } from '../config/env-parser';
import { SecretConfig } from '../config/secret.config';
import { SigningKey } from '../keys/entities/signing-key.entity';
import { generatePrivateKey, privateKeyToDer, publicJwkOf, thumbprintOf } from '../keys/jws';
import { KeyEncryption } from '../keys/key-encryption';
import { KeyringService } from '../keys/keyring.service';
import {
  AccessTokenAlgorithm,
  KeysConfig,
  readKeysConfig,
  SigningAlgorithm,
} from '../keys/keys.config';
import { AccessTokenService } from './access-token.service';
import { AuthConfig } from './auth.config';

const secret: SecretConfig = { key: 's'.repeat(40), generated: false };
const auth: AuthConfig = {
  accessTtlSeconds: 900,
  refreshTtlSeconds: 86_400,
  refreshMaxTtlSeconds: 30 * 86_400,
  clockToleranceSeconds: 30,
  reuseGraceSeconds: 10,
  issuer: 'https://auth.example.com',
  audience: 'mailguard-api',
};
const keysConfigFor = (algorithm: AccessTokenAlgorithm): KeysConfig => ({
  algorithm,
  publishSeconds: 600,
  retiredLifetimeSeconds: 1830,
  issuer: auth.issuer,
});

function rowFor(alg: SigningAlgorithm, status: SigningKey['status'] = 'active'): SigningKey {
  const privateKey = generatePrivateKey(alg);
  const publicJwk = publicJwkOf(privateKey);
  const kid = thumbprintOf(publicJwk);
  return Object.assign(new SigningKey(), {
    kid,
    alg,
    status,
    publicJwk,
    privateKeyEncrypted: new KeyEncryption(secret.key).encrypt(privateKeyToDer(privateKey), kid),
    createdAt: new Date(),
    activatedAt: null,
    retiredAt: null,
    revokedAt: null,
  });
}

async function serviceWith(algorithm: AccessTokenAlgorithm, rows: SigningKey[]) {
  const repository = { find: jest.fn(() => Promise.resolve(rows)) };
  const keyring = new KeyringService(
    repository as unknown as Repository<SigningKey>,
    keysConfigFor(algorithm),
    secret,
  );
  await keyring.refresh();
  return { keyring, tokens: new AccessTokenService(auth, keyring, new JwtService()), repository };
}

const headerOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as Record<string, unknown>;

describe('AccessTokenService', () => {
  it.each(['ES256', 'EdDSA', 'RS256'] as const)(
    'signs with the active %s key and verifies through its kid',
    async (alg) => {
      const row = rowFor(alg);
      const { tokens } = await serviceWith(alg, [row]);
      const token = tokens.issue('user-1', 'session-1', 'admin');
      expect(headerOf(token)).toEqual({ alg, typ: 'at+jwt', kid: row.kid });
      await expect(tokens.verify(token)).resolves.toMatchObject({
        sub: 'user-1',
        sid: 'session-1',
        role: 'admin',
        iss: auth.issuer,
        aud: auth.audience,
      });
    },
  );

  it('keeps verifying a retired key and forgets a revoked one (also when the verdict was cached)', async () => {
    const old = rowFor('ES256');
    const rows = [old];
    const { tokens, keyring } = await serviceWith('ES256', rows);
    const token = tokens.issue('user-1', 'session-1', 'user');
    expect(tokens.verifySync(token)).not.toBeNull();
    const next = rowFor('EdDSA');
    old.status = 'retired';
    rows.push(next);
    await keyring.refresh();
    expect(headerOf(tokens.issue('user-1', 'session-1', 'user')).kid).toBe(next.kid);
    expect(tokens.verifySync(token)).not.toBeNull();
    rows.splice(0, 1); // revoked keys are not loaded
    await keyring.refresh();
    expect(tokens.verifySync(token)).toBeNull();
  });

  it('verifies a token once and then answers from its cache, which an altered token never matches', async () => {
    const { tokens, keyring } = await serviceWith('ES256', [rowFor('ES256')]);
    const token = tokens.issue('user-1', 'session-1', 'user');
    const lookups = jest.spyOn(keyring, 'verifierFor');
    expect(tokens.verifySync(token)).toMatchObject({ sub: 'user-1' });
    expect(tokens.verifySync(token)).toMatchObject({ sub: 'user-1' });
    expect(lookups).toHaveBeenCalledTimes(1);
    // Same signature, other claims: checked (and refused) instead of taken from the cache.
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as object;
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    expect(tokens.verifySync(`${header}.${forged}.${signature}`)).toBeNull();
    expect(lookups).toHaveBeenCalledTimes(2);
  });

  it('with the legacy HS256 setting signs with the key derived from SECRET_KEY and publishes nothing', async () => {
    const { tokens, keyring, repository } = await serviceWith('HS256', [rowFor('ES256')]);
    expect(repository.find).not.toHaveBeenCalled();
    expect(keyring.published()).toEqual([]);
    const token = tokens.issue('user-1', 'session-1', 'user');
    expect(headerOf(token)).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    expect(tokens.verifySync(token)).toMatchObject({ sub: 'user-1' });
  });

  it('refuses HS256 when signing asymmetrically, even with the public key as the HMAC key', async () => {
    const row = rowFor('ES256');
    const { tokens } = await serviceWith('ES256', [row]);
    const [, payload] = tokens.issue('user-1', 'session-1', 'user').split('.');
    for (const hmacKey of [JSON.stringify(row.publicJwk), row.kid]) {
      const header = Buffer.from(
        JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid: row.kid }),
      ).toString('base64url');
      const signature = createHmac('sha256', hmacKey)
        .update(`${header}.${payload}`)
        .digest('base64url');
      expect(tokens.verifySync(`${header}.${payload}.${signature}`)).toBeNull();
    }
  });

  it('reads JWT_ALGORITHM: ES256 by default, EdDSA, RS256 or HS256, nothing else', () => {
    const read = (value?: string) => {
      const r = new EnvReader(value === undefined ? {} : { JWT_ALGORITHM: value });
      return { config: readKeysConfig(r, auth), errors: r.errors };
    };
    expect(read().config.algorithm).toBe('ES256');
    for (const alg of ['EdDSA', 'RS256', 'HS256']) expect(read(alg).config.algorithm).toBe(alg);
    expect(read('none').errors).toEqual([
      expect.stringContaining('JWT_ALGORITHM must be one of ES256, EdDSA, RS256, HS256'),
    ]);
  });
});
