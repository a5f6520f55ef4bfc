import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { API_KEY_PREFIX, ApiKeyVerifier } from '../common/auth/api-key-verifier';
import { ApiKeyCaller, AuthUser, ClientInfo } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { deriveKey, hmacHex } from '../common/secrets';
import { secretConfig, SecretConfig } from '../config/secret.config';
import { actorOf, DomainEvent } from '../events/domain-event';
import { EventsService } from '../events/events.service';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import {
  ApiKeyListResponse,
  CreatedApiKeyResponse,
  toApiKeyResponse,
  toCreatedApiKeyResponse,
} from './dto/api-key.response';
import { ApiKey } from './entities/api-key.entity';

export const API_KEY_NOT_FOUND = 'API key not found.';

/** How stale `last_used_at` may get: a busy key writes it at most this often. */
const LAST_USED_RESOLUTION_MS = 60_000;

const FIND_LIVE = `
  SELECT id, name, scopes, last_used_at AS "lastUsedAt"
  FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`;

const TOUCH = `
  UPDATE api_keys SET last_used_at = now()
  WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`;

interface LiveKeyRow {
  id: string;
  name: string;
  scopes: ApiKeyCaller['scopes'];
  lastUsedAt: Date | null;
}

/**
 * Service credentials: created by admins and shown once, stored as a keyed hash, revocable.
 * Every request looks its key up in the database, so a revocation holds from the next request on,
 * on every instance.
 */
@Injectable()
export class ApiKeysService implements ApiKeyVerifier {
  private readonly hashKey: Buffer;

  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly events: EventsService,
    @Inject(secretConfig.KEY) secret: SecretConfig,
  ) {
    this.hashKey = deriveKey(secret.key, 'api-key');
  }

  async create(
    admin: AuthUser,
    dto: CreateApiKeyDto,
    client: ClientInfo,
  ): Promise<CreatedApiKeyResponse> {
    const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url');
    const saved = await this.keys.manager.transaction(async (manager) => {
      const key = await manager.getRepository(ApiKey).save(
        manager.getRepository(ApiKey).create({
          name: dto.name,
          scopes: dto.scopes,
          keyHash: this.hash(secret),
          createdBy: admin.id,
        }),
      );
      await this.events.record(manager, this.event('api_key.created', admin, key, client));
      return key;
    });
    return toCreatedApiKeyResponse(saved, secret);
  }

  async list(): Promise<ApiKeyListResponse> {
    const keys = await this.keys.find({
      where: { revokedAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return { data: keys.map(toApiKeyResponse) };
  }

  /** Revoked for good; a revoked or unknown id is 404. */
  async revoke(admin: AuthUser, id: string, client: ClientInfo): Promise<void> {
    await this.keys.manager.transaction(async (manager) => {
      const repository = manager.getRepository(ApiKey);
      const key = await repository.findOne({
        where: { id, revokedAt: IsNull() },
        lock: { mode: 'pessimistic_write' },
      });
      if (!key) throw AppException.notFound(API_KEY_NOT_FOUND);
      await repository.update({ id }, { revokedAt: () => 'now()' });
      await this.events.record(manager, this.event('api_key.revoked', admin, key, client));
    });
  }

  /** The caller a presented key stands for, or null when it is unknown or revoked. */
  async verify(presented: string): Promise<ApiKeyCaller | null> {
    const [row] = await this.keys.query<LiveKeyRow[]>(FIND_LIVE, [this.hash(presented)]);
    if (!row) return null;
    if (row.lastUsedAt === null || Date.now() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS)
      await this.keys.query(TOUCH, [row.id]);
    return { apiKeyId: row.id, name: row.name, scopes: row.scopes };
  }

  private hash(presented: string): string {
    return hmacHex(this.hashKey, presented);
  }

  private event(
    action: 'api_key.created' | 'api_key.revoked',
    admin: AuthUser,
    key: ApiKey,
    client: ClientInfo,
  ): DomainEvent {
    return {
      action,
      actor: actorOf(admin),
      target: { type: 'api_key', id: key.id },
      context: { ...client, sessionId: admin.sessionId },
      metadata: { name: key.name, scopes: key.scopes },
    };
  }
}
