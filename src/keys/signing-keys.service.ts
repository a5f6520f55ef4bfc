import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, LessThan } from 'typeorm';
import { Caller, callerSessionId, ClientInfo, isApiKeyCaller } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { contextOf, EventActor, EventContext } from '../events/domain-event';
import { EventsService } from '../events/events.service';
import { SigningKeyResponse, toSigningKeyResponse } from './dto/signing-key.response';
import { SigningKey, SigningKeyStatus } from './entities/signing-key.entity';
import { generatePrivateKey, privateKeyToDer, publicJwkOf, thumbprintOf } from './jws';
import { keysConfig, KeysConfig, SigningAlgorithm } from './keys.config';
import { KeyringService } from './keyring.service';

export const SIGNING_KEY_NOT_FOUND = 'Signing key not found.';
/** Every instance re-reads the keys this often, so a change reaches all of them within 10 s. */
export const KEY_REFRESH_MS = 5_000;

/**
 * Who changes a key and the request they did it with; `null`: the service itself (first key,
 * automatic revocation) or an operator at the CLI.
 */
export type KeyChanger = { caller: Caller; client?: ClientInfo } | null;

function actorOf(changer: KeyChanger): EventActor {
  if (changer === null) return { type: 'system', id: null };
  const { caller } = changer;
  return isApiKeyCaller(caller)
    ? { type: 'api_key', id: caller.apiKeyId }
    : { type: 'admin', id: caller.id };
}

function contextOfChange(changer: KeyChanger): EventContext | undefined {
  return changer ? contextOf(changer.client, callerSessionId(changer.caller)) : undefined;
}

/**
 * The lifecycle standby → active → retired → revoked, in the database (the truth every instance
 * reads). Each change locks the table, so changes are serialized, and records its event in the
 * same transaction; this instance's keyring reloads at once, the others within KEY_REFRESH_MS.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SigningKeysService.name);
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keyring: KeyringService,
    private readonly events: EventsService,
    @Inject(keysConfig.KEY) private readonly config: KeysConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.keyring.isLegacy) return;
    await this.ensureActiveKey();
    await this.keyring.refresh();
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => (this.ticking = undefined));
    }, KEY_REFRESH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  private async tick(): Promise<void> {
    try {
      await this.revokeExpiredRetired();
      await this.keyring.refresh();
    } catch (error) {
      this.logger.warn(`Refreshing signing keys failed: ${(error as Error).message}`);
    }
  }

  async list(): Promise<SigningKeyResponse[]> {
    const keys = await this.dataSource
      .getRepository(SigningKey)
      .find({ order: { createdAt: 'DESC', kid: 'ASC' } });
    return keys.map(toSigningKeyResponse);
  }

  /** A new standby key, in JWKS at once; it may sign once it has been published long enough. */
  async create(caller: KeyChanger, alg?: SigningAlgorithm): Promise<SigningKeyResponse> {
    const key = await this.change((manager) =>
      this.insert(manager, alg ?? this.defaultAlgorithm(), 'standby', caller),
    );
    return toSigningKeyResponse(key);
  }

  async activate(caller: KeyChanger, kid: string, force = false): Promise<SigningKeyResponse> {
    const key = await this.change(async (manager) => {
      const found = await this.find(manager, kid);
      if (found.status === 'active') return found;
      if (found.status !== 'standby')
        throw AppException.conflict(
          `Only a standby key can be activated; this one is ${found.status}.`,
        );
      const publishedMs = Date.now() - found.createdAt.getTime();
      if (!force && publishedMs < this.config.publishSeconds * 1000)
        throw AppException.conflict(
          `The key has been published for ${Math.floor(publishedMs / 1000)} s; verifiers may ` +
            `not have fetched it yet. Wait until it has been published for ` +
            `${this.config.publishSeconds} s (JWT_KEY_PUBLISH_SECONDS), or pass "force": true.`,
        );
      const now = new Date();
      await manager.update(SigningKey, { status: 'active' }, { status: 'retired', retiredAt: now });
      Object.assign(found, { status: 'active', activatedAt: now });
      await manager.save(found);
      await this.events.record(manager, this.event('signing_key.activated', caller, found));
      return found;
    });
    return toSigningKeyResponse(key);
  }

  /** A standby or retired key leaves JWKS; its tokens are refused from now on. */
  async revoke(caller: KeyChanger, kid: string): Promise<SigningKeyResponse> {
    const key = await this.change(async (manager) => {
      const found = await this.find(manager, kid);
      if (found.status === 'revoked') return found;
      if (found.status === 'active')
        throw AppException.conflict(
          'The active signing key cannot be revoked; activate another key first.',
        );
      Object.assign(found, { status: 'revoked', revokedAt: new Date() });
      await manager.save(found);
      await this.events.record(manager, this.event('signing_key.revoked', caller, found));
      return found;
    });
    return toSigningKeyResponse(key);
  }

  /** On a fresh install: one active key of JWT_ALGORITHM (once, whichever instance gets there first). */
  async ensureActiveKey(): Promise<void> {
    await this.change(async (manager) => {
      if (await manager.existsBy(SigningKey, { status: 'active' })) return;
      const key = await this.insert(manager, this.defaultAlgorithm(), 'active', null);
      await this.events.record(manager, this.event('signing_key.activated', null, key));
      this.logger.log(`Created the first signing key ${key.kid} (${key.alg})`);
    });
  }

  /** Retired keys whose every token has expired (access TTL + clock tolerance + 15 min). */
  async revokeExpiredRetired(): Promise<void> {
    const cutoff = new Date(Date.now() - this.config.retiredLifetimeSeconds * 1000);
    const repository = this.dataSource.getRepository(SigningKey);
    if (!(await repository.existsBy({ status: 'retired', retiredAt: LessThan(cutoff) }))) return;
    await this.change(async (manager) => {
      const expired = await manager.findBy(SigningKey, {
        status: 'retired',
        retiredAt: LessThan(cutoff),
      });
      if (expired.length === 0) return;
      const now = new Date();
      await manager.update(
        SigningKey,
        { kid: In(expired.map((key) => key.kid)) },
        { status: 'revoked', revokedAt: now },
      );
      await this.events.record(
        manager,
        ...expired.map((key) => ({
          ...this.event('signing_key.revoked', null, key),
          metadata: { alg: key.alg, reason: 'expired' },
        })),
      );
    });
  }

  private async change<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(async (manager) => {
      await manager.query('LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE');
      return work(manager);
    });
    await this.keyring.refresh();
    return result;
  }

  private async find(manager: EntityManager, kid: string): Promise<SigningKey> {
    const found = await manager.findOneBy(SigningKey, { kid });
    if (!found) throw AppException.notFound(SIGNING_KEY_NOT_FOUND);
    return found;
  }

  private async insert(
    manager: EntityManager,
    alg: SigningAlgorithm,
    status: Extract<SigningKeyStatus, 'standby' | 'active'>,
    caller: KeyChanger,
  ): Promise<SigningKey> {
    const privateKey = generatePrivateKey(alg);
    const publicJwk = publicJwkOf(privateKey);
    const kid = thumbprintOf(publicJwk);
    const key = manager.create(SigningKey, {
      kid,
      alg,
      status,
      publicJwk,
      privateKeyEncrypted: this.keyring.encryptor.encrypt(privateKeyToDer(privateKey), kid),
      activatedAt: status === 'active' ? new Date() : null,
      retiredAt: null,
      revokedAt: null,
    });
    await manager.insert(SigningKey, key);
    const saved = await manager.findOneByOrFail(SigningKey, { kid });
    await this.events.record(manager, this.event('signing_key.created', caller, saved));
    return saved;
  }

  private defaultAlgorithm(): SigningAlgorithm {
    return this.config.algorithm === 'HS256' ? 'ES256' : this.config.algorithm;
  }

  private event(
    action: 'signing_key.created' | 'signing_key.activated' | 'signing_key.revoked',
    caller: KeyChanger,
    key: SigningKey,
  ) {
    return {
      action,
      actor: actorOf(caller),
      target: { type: 'signing_key' as const, id: key.kid },
      context: contextOfChange(caller),
      metadata: { alg: key.alg },
    };
  }
}
