import { Module } from '@nestjs/common';
import { PasswordFailureLimiterService } from './password-failure-limiter.service';
import { EmailValidationModule } from '../email-validation/email-validation.module';
import { MailModule } from '../mail/mail.module';
import { OtpModule } from '../otp/otp.module';
import { CookieTransportModule } from '../sessions/cookie-transport/cookie-transport.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AccountLockAdminController } from './account-lock-admin.controller';
import { AccountLockService } from './account-lock.service';
import { AuthService } from './auth.service';
import { MeEmailChangeController } from './me-email-change.controller';
import { MePasswordController } from './me-password.controller';
import { EmailChangeService } from './email-change.service';
import { PasswordChangeService } from './password-change.service';
import { BreachedPasswordsService } from './breached-passwords.service';
import { CodeMailService } from './code-mail.service';
import { PasswordHasherService } from './password-hasher.service';
import { PasswordResetService } from './password-reset.service';
import { RegistrationService } from './registration.service';
import { SignInNoticeService } from './sign-in-notice.service';

@Module({
  imports: [
    OtpModule,
    SessionsModule,
    CookieTransportModule,
    UsersModule,
    MailModule,
    EmailValidationModule,
  ],
  controllers: [
    AuthController,
    MePasswordController,
    MeEmailChangeController,
    AccountLockAdminController,
  ],
  providers: [
    AuthService,
    PasswordChangeService,
    AccountLockService,
    BreachedPasswordsService,
    CodeMailService,
    RegistrationService,
    PasswordResetService,
    PasswordHasherService,
    PasswordFailureLimiterService,
    SignInNoticeService,
    EmailChangeService,
  ],
})
export class AuthModule {}
