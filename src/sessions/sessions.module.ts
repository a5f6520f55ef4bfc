import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeysModule } from '../keys/keys.module';
import { AccessTokenAuthenticator } from '../common/auth/access-token-authenticator';
import { AccessTokenService } from './access-token.service';
import { BearerAuthService } from './bearer-auth.service';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session } from './entities/session.entity';
import { SessionStatusService } from './session-status.service';
import { SessionsService } from './sessions.service';
import { UserSessionsService } from './user-sessions.service';

@Module({
  imports: [JwtModule.register({}), KeysModule, TypeOrmModule.forFeature([Session, RefreshToken])],
  providers: [
    AccessTokenService,
    SessionStatusService,
    SessionsService,
    UserSessionsService,
    BearerAuthService,
    { provide: AccessTokenAuthenticator, useExisting: BearerAuthService },
  ],
  exports: [
    SessionsService,
    UserSessionsService,
    AccessTokenService,
    SessionStatusService,
    AccessTokenAuthenticator,
  ],
})
export class SessionsModule {}
