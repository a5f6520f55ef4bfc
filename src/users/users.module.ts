import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EmailValidationModule } from '../email-validation/email-validation.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { AdminRolesService } from './admin-roles.service';
import { User } from './entities/user.entity';
import { MailGuardUsersController } from './mailguard-users.controller';
import { MailGuardUsersService } from './mailguard-users.service';
import { MeSessionsController } from './me-sessions.controller';
import { MeController } from './me.controller';
import { SignInAccountsService } from './sign-in-accounts.service';
import { UserAccountsService } from './user-accounts.service';
import { UserAdminController } from './user-admin.controller';
import { UserLifecycleService } from './user-lifecycle.service';
import { UserBansService } from './user-bans.service';
import { UserCacheService } from './user-cache.service';
import { UserModerationController } from './user-moderation.controller';
import { UserSessionsAdminService } from './user-sessions-admin.service';
import { UsersController } from './users.controller';
import { UsersQueryService } from './users-query.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), SessionsModule, EmailValidationModule],
  // `me` before `:id` for readability; Fastify's router prefers static segments anyway.
  controllers: [
    MailGuardUsersController,
    MeController,
    MeSessionsController,
    UsersController,
    UserAdminController,
    UserModerationController,
  ],
  providers: [
    SignInAccountsService,
    UsersQueryService,
    UserAccountsService,
    UserLifecycleService,
    MailGuardUsersService,
    AdminRolesService,
    AdminBootstrapService,
    UserBansService,
    UserSessionsAdminService,
    UserCacheService,
  ],
  exports: [SignInAccountsService, UserCacheService],
})
export class UsersModule {}
