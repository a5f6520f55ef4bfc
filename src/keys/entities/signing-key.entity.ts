import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SigningAlgorithm } from '../keys.config';

export type SigningKeyStatus = 'standby' | 'active' | 'retired' | 'revoked';

/** One key pair that signs (active) or verifies (standby, active, retired) access tokens. */
@Entity({ name: 'signing_keys' })
// At most one key signs: two instances creating the first key at once cannot both succeed.
@Index('signing_keys_one_active', ['status'], { unique: true, where: `status = 'active'` })
export class SigningKey {
  /** The RFC 7638 thumbprint of the public key. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 8 })
  alg!: SigningAlgorithm;

  @Column({ type: 'varchar', length: 16 })
  status!: SigningKeyStatus;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: Record<string, string>;

  /** PKCS#8 DER, AES-256-GCM encrypted (KeyEncryption); never leaves the keys module. */
  @Column({ name: 'private_key_encrypted', type: 'text' })
  privateKeyEncrypted!: string;

  /** Also when it was published in JWKS. */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
