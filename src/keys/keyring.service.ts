import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { KeyObject } from 'node:crypto';
import { Not, Repository } from 'typeorm';
import { deriveSecretKeyObject } from '../common/secrets';
import { secretConfig, SecretConfig } from '../config/secret.config';
import { SigningKey, SigningKeyStatus } from './entities/signing-key.entity';
import { JoseHeader, privateKeyFromDer, publicKeyFromJwk } from './jws';
import { KeyEncryption } from './key-encryption';
import { AccessTokenAlgorithm, keysConfig, KeysConfig, SigningAlgorithm } from './keys.config';

/** A published key as this instance holds it: parsed once, reused until its state changes. */
export interface LoadedKey {
  kid: string;
  alg: SigningAlgorithm;
  status: Exclude<SigningKeyStatus, 'revoked'>;
  publicJwk: Record<string, string>;
  publicKey: KeyObject;
}

export interface Signer {
  alg: AccessTokenAlgorithm;
  kid?: string;
  key: KeyObject;
}

/**
 * The signing keys of this instance, in memory: every key in JWKS (standby, active, retired) as a
 * parsed public KeyObject, and the active one's private KeyObject. `refresh()` reads the table
 * (a handful of rows) and re-parses only keys it has not seen; SigningKeysService calls it after
 * each change and every few seconds, which is how every instance learns of a change.
 * With JWT_ALGORITHM=HS256 (legacy) it holds only the HMAC key derived from SECRET_KEY.
 */
@Injectable()
export class KeyringService {
  private keys = new Map<string, LoadedKey>();
  private signer: Signer | null = null;
  private fingerprint = '';
  private readonly privateKeys = new Map<string, KeyObject>();
  private readonly encryption: KeyEncryption;
  readonly legacyKey: KeyObject | null;

  constructor(
    @InjectRepository(SigningKey) private readonly repository: Repository<SigningKey>,
    @Inject(keysConfig.KEY) private readonly config: KeysConfig,
    @Inject(secretConfig.KEY) secret: SecretConfig,
  ) {
    this.encryption = new KeyEncryption(config.encryptionKey ?? secret.key);
    this.legacyKey =
      config.algorithm === 'HS256' ? deriveSecretKeyObject(secret.key, 'jwt-access') : null;
    if (this.legacyKey) this.signer = { alg: 'HS256', key: this.legacyKey };
  }

  get isLegacy(): boolean {
    return this.legacyKey !== null;
  }

  get encryptor(): KeyEncryption {
    return this.encryption;
  }

  /** Re-reads the table; returns true when something changed. */
  async refresh(): Promise<boolean> {
    if (this.isLegacy) return false;
    const rows = await this.repository.find({
      where: { status: Not('revoked') },
      order: { createdAt: 'ASC' },
    });
    const fingerprint = rows.map((row) => `${row.kid}:${row.status}`).join(',');
    if (fingerprint === this.fingerprint) return false;
    const keys = new Map<string, LoadedKey>();
    let signer: Signer | null = null;
    for (const row of rows) {
      const known = this.keys.get(row.kid);
      keys.set(row.kid, {
        kid: row.kid,
        alg: row.alg,
        status: row.status as LoadedKey['status'],
        publicJwk: row.publicJwk,
        publicKey: known?.publicKey ?? publicKeyFromJwk(row.publicJwk),
      });
      if (row.status === 'active')
        signer = { alg: row.alg, kid: row.kid, key: this.privateKeyOf(row) };
    }
    this.keys = keys;
    this.signer = signer;
    this.fingerprint = fingerprint;
    return true;
  }

  private privateKeyOf(row: SigningKey): KeyObject {
    let key = this.privateKeys.get(row.kid);
    if (!key) {
      key = privateKeyFromDer(this.encryption.decrypt(row.privateKeyEncrypted, row.kid));
      this.privateKeys.set(row.kid, key);
    }
    return key;
  }

  /** The key that signs new tokens; throws when none is active (never after a normal boot). */
  activeSigner(): Signer {
    if (!this.signer) throw new Error('No active signing key');
    return this.signer;
  }

  /**
   * The one key and algorithm a token's header may be verified with, or null. The key decides the
   * algorithm, never the header: an HS256 header on an asymmetric kid, `none` or an unknown or
   * revoked kid find nothing.
   */
  verifierFor(header: JoseHeader): Signer | null {
    if (this.legacyKey)
      return header.alg === 'HS256' ? { alg: 'HS256', key: this.legacyKey } : null;
    if (typeof header.kid !== 'string') return null;
    const key = this.keys.get(header.kid);
    return key && key.alg === header.alg
      ? { alg: key.alg, kid: key.kid, key: key.publicKey }
      : null;
  }

  /** Whether a kid still verifies (a cached verdict is only good while it does). */
  isPublished(kid: string | undefined): boolean {
    return kid === undefined ? this.isLegacy : this.keys.has(kid);
  }

  /** The keys in JWKS, oldest first. */
  published(): LoadedKey[] {
    return [...this.keys.values()];
  }
}
