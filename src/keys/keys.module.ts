import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DiscoveryService } from './discovery.service';
import { SigningKey } from './entities/signing-key.entity';
import { KeyringService } from './keyring.service';
import { SigningKeysController } from './signing-keys.controller';
import { SigningKeysService } from './signing-keys.service';
import { WellKnownController } from './well-known.controller';

/** Signing keys and their lifecycle, JWKS and discovery; sessions signs and verifies through it. */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKey])],
  controllers: [WellKnownController, SigningKeysController],
  providers: [KeyringService, SigningKeysService, DiscoveryService],
  exports: [KeyringService, SigningKeysService],
})
export class KeysModule {}
