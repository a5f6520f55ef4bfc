import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { appConfig, AppConfig } from '../config/app.config';
import { jwkOf } from './dto/signing-key.response';
import { JwksResponse, DiscoveryResponse } from './dto/discovery.response';
import { keysConfig, KeysConfig } from './keys.config';
import { KeyringService } from './keyring.service';

/** A public document with its entity tag, so clients revalidate with If-None-Match. */
export interface CacheableDocument<T> {
  body: T;
  etag: string;
}

function cacheable<T>(body: T): CacheableDocument<T> {
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('base64url');
  return { body, etag: `"${digest.slice(0, 27)}"` };
}

/** JWKS and the discovery documents, built from the keyring and PUBLIC_URL. */
@Injectable()
export class DiscoveryService {
  constructor(
    private readonly keyring: KeyringService,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(keysConfig.KEY) private readonly config: KeysConfig,
  ) {}

  /** Every standby, active and retired key: public members only. Empty with legacy HS256. */
  jwks(): CacheableDocument<JwksResponse> {
    return cacheable({ keys: this.keyring.published().map(jwkOf) });
  }

  discovery(): CacheableDocument<DiscoveryResponse> {
    const base = this.app.publicUrl;
    const algorithms = [...new Set(this.keyring.published().map((key) => key.alg))];
    return cacheable({
      issuer: this.config.issuer,
      jwks_uri: `${base}/.well-known/jwks.json`,
      token_endpoint: `${base}/api/users/token/refresh/`,
      introspection_endpoint: `${base}/api/oauth/introspect`,
      grant_types_supported: ['refresh_token'],
      response_types_supported: ['none'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: algorithms,
      token_endpoint_auth_methods_supported: ['none'],
    });
  }
}
