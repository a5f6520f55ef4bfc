import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeysModule } from '../keys/keys.module';
import { AccessTokenService } from './access-token.service';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session } from './entities/session.entity';
import { JwtStrategy } from './jwt.strategy';
import { SessionStatusService } from './session-status.service';
import { SessionsService } from './sessions.service';
import { UserSessionsService } from './user-sessions.service';

@Module({
  imports: [
    PassportModule,
    JwtModule.register({}),
    KeysModule,
    TypeOrmModule.forFeature([Session, RefreshToken]),
  ],
  providers: [
    AccessTokenService,
    SessionStatusService,
    SessionsService,
    UserSessionsService,
    JwtStrategy,
  ],
  exports: [SessionsService, UserSessionsService, AccessTokenService, SessionStatusService],
})
export class SessionsModule {}
