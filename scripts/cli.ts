/**
 * Operator commands, run from the shell against the configured database (and Redis):
 *   npm run cli -- users:promote <email>   make an existing account an admin
 *   npm run cli -- users:demote <email>    withdraw admin rights (never from the last active admin)
 * Both end the account's sessions, as a change of admin rights through the API does. With the
 * embedded database, stop the service first (PGlite serves one process).
 */
import 'reflect-metadata';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppCacheModule } from '../src/cache/cache.module';
import { canonicalizeEmail } from '../src/common/email/canonical-email';
import { AppException } from '../src/common/errors/app.exception';
import { AppConfigModule } from '../src/config/config.module';
import { Configuration, loadConfiguration } from '../src/config/configuration';
import { DatabaseModule } from '../src/database/database.module';
import { ObservabilityModule } from '../src/observability/observability.module';
import { SessionsModule } from '../src/sessions/sessions.module';
import { AdminRolesService } from '../src/users/admin-roles.service';

const USAGE = 'usage: npm run cli -- users:promote <email> | users:demote <email>';

export interface CliResult {
  code: number;
  output: string;
}

/** Runs one command; the exit code is 0 on success (also when nothing had to change). */
export async function runCommand(args: string[], roles: AdminRolesService): Promise<CliResult> {
  const [command, rawEmail, ...rest] = args;
  if (!['users:promote', 'users:demote'].includes(command) || !rawEmail || rest.length > 0)
    return { code: 2, output: USAGE };
  const email = canonicalizeEmail(rawEmail);
  if (!email) return { code: 1, output: `Not a valid email address: ${rawEmail}` };
  const promote = command === 'users:promote';
  try {
    const result = await roles.setStaff(email, promote);
    if (result.outcome === 'not_found')
      return { code: 1, output: `No account with the email ${email}.` };
    const inactive = result.active ? '' : ' (the account is deactivated or deleted)';
    if (result.outcome === 'unchanged')
      return {
        code: 0,
        output: `${email} ${promote ? 'is already an admin' : 'is not an admin'}${inactive}.`,
      };
    return {
      code: 0,
      output: `${email} ${promote ? 'is now an admin' : 'is no longer an admin'}${inactive}; its sessions were ended.`,
    };
  } catch (error) {
    if (error instanceof AppException) return { code: 1, output: error.message };
    throw error;
  }
}

/**
 * What the commands need: configuration, logging and audit events (sessions records them), the
 * database, the shared cache (for revocations) and sessions. Not UsersModule: its ADMIN_EMAIL
 * bootstrap would run before the command.
 */
@Module({
  imports: [ObservabilityModule, DatabaseModule, AppCacheModule, SessionsModule],
  providers: [AdminRolesService],
})
class CliModule {
  static forRoot(config: Configuration): DynamicModule {
    return { module: CliModule, imports: [AppConfigModule.forRoot(config)] };
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length === 0 || args[0] === '--help') {
    console.log(USAGE);
    process.exitCode = args.length === 0 ? 2 : 0;
    return;
  }
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(loadConfiguration()), {
    logger: ['error', 'warn'],
  });
  try {
    const result = await runCommand(args, app.get(AdminRolesService));
    (result.code === 0 ? console.log : console.error)(result.output);
    process.exitCode = result.code;
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
