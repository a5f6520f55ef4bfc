import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyVerifier } from '../common/auth/api-key-verifier';
import { SessionsModule } from '../sessions/sessions.module';
import { ApiKeysAdminController } from './api-keys-admin.controller';
import { ApiKeysService } from './api-keys.service';
import { ApiKey } from './entities/api-key.entity';
import { IntrospectionController } from './introspection.controller';
import { IntrospectionService } from './introspection.service';

/** Service API keys and token introspection. Global: the app's JWT guard verifies keys through it. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ApiKey]), SessionsModule],
  controllers: [ApiKeysAdminController, IntrospectionController],
  providers: [
    ApiKeysService,
    IntrospectionService,
    { provide: ApiKeyVerifier, useExisting: ApiKeysService },
  ],
  exports: [ApiKeyVerifier],
})
export class ApiKeysModule {}
