import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EmailValidationModule } from '../email-validation/email-validation.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AdminBootstrap } from './admin-bootstrap';
import { AdminRolesService } from './admin-roles.service';
import { User } from './entities/user.entity';
import { MailGuardUsersService } from './mailguard-users.service';
import { MeController } from './me.controller';
import { SignInAccountsService } from './sign-in-accounts.service';
import { UserAccountsService } from './user-accounts.service';
import { UserLifecycleService } from './user-lifecycle.service';
import { UserResourcesController } from './user-resources.controller';
import { UsersController } from './users.controller';
import { UsersQueryService } from './users-query.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), SessionsModule, EmailValidationModule],
  // `me` before `:id` for readability; Fastify's router prefers static segments anyway.
  controllers: [UsersController, MeController, UserResourcesController],
  providers: [
    SignInAccountsService,
    UsersQueryService,
    UserAccountsService,
    UserLifecycleService,
    MailGuardUsersService,
    AdminRolesService,
    AdminBootstrap,
  ],
  exports: [SignInAccountsService],
})
export class UsersModule {}
