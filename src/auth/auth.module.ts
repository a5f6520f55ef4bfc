import { Module } from '@nestjs/common';
import { PasswordFailureLimiter } from '../common/rate-limit/password-failure-limiter';
import { MailModule } from '../mail/mail.module';
import { OtpModule } from '../otp/otp.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { PasswordHasher } from './password-hasher.service';

@Module({
  imports: [OtpModule, SessionsModule, UsersModule, MailModule],
  controllers: [AuthController],
  providers: [AuthService, PasswordHasher, PasswordFailureLimiter],
})
export class AuthModule {}
