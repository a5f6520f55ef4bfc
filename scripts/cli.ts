/**
 * Operator commands, run from the shell against the configured database (and Redis):
 *   npm run cli -- users:promote <email>   make an existing account an admin
 *   npm run cli -- users:demote <email>    withdraw admin rights (never from the last active admin)
 * Both end the account's sessions, as a change of admin rights through the API does.
 *   npm run cli -- keys:list                       the signing keys (kid, alg, status, dates)
 *   npm run cli -- keys:create [ES256|EdDSA|RS256] a standby key, published in JWKS at once
 *   npm run cli -- keys:activate <kid> [--force]   sign with it (publish-before-use unless --force)
 *   npm run cli -- keys:revoke <kid>               a standby or retired key leaves JWKS
 * With the embedded database, stop the service first (PGlite serves one process).
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
import { EventsModule } from '../src/events/events.module';
import { SigningKeyResponse } from '../src/keys/dto/signing-key.response';
import { SIGNING_ALGORITHMS, SigningAlgorithm } from '../src/keys/keys.config';
import { SigningKeysService } from '../src/keys/signing-keys.service';
import { ObservabilityModule } from '../src/observability/observability.module';
import { SessionsModule } from '../src/sessions/sessions.module';
import { AdminRolesService } from '../src/users/admin-roles.service';
import { UserCacheService } from '../src/users/user-cache.service';

const USAGE =
  'usage: npm run cli -- users:promote <email> | users:demote <email> | keys:list | ' +
  'keys:create [ES256|EdDSA|RS256] | keys:activate <kid> [--force] | keys:revoke <kid>';

export interface CliResult {
  code: number;
  output: string;
}

/** Runs one command; the exit code is 0 on success (also when nothing had to change). */
export async function runCommand(
  args: string[],
  roles: AdminRolesService,
  keys?: SigningKeysService,
): Promise<CliResult> {
  if (args[0]?.startsWith('keys:') && keys) return runKeysCommand(args, keys);
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

function describeKey(key: SigningKeyResponse): string {
  const dates = [
    `created ${key.created_at}`,
    key.activated_at && `activated ${key.activated_at}`,
    key.retired_at && `retired ${key.retired_at}`,
    key.revoked_at && `revoked ${key.revoked_at}`,
  ];
  return `${key.kid}  ${key.alg.padEnd(5)}  ${key.status.padEnd(7)}  ${dates.filter(Boolean).join(', ')}`;
}

/** The signing-key lifecycle from the shell; the actor of its audit events is `system`. */
export async function runKeysCommand(args: string[], keys: SigningKeysService): Promise<CliResult> {
  const [command, ...rest] = args;
  const force = rest.includes('--force');
  const [argument, ...extra] = rest.filter((arg) => arg !== '--force');
  try {
    if (command === 'keys:list' && rest.length === 0)
      return { code: 0, output: (await keys.list()).map(describeKey).join('\n') || 'No keys.' };
    if (command === 'keys:create' && !force && extra.length === 0) {
      if (argument !== undefined && !(SIGNING_ALGORITHMS as readonly string[]).includes(argument))
        return {
          code: 2,
          output: `Unknown algorithm ${argument}; one of ${SIGNING_ALGORITHMS.join(', ')}.`,
        };
      const key = await keys.create(null, argument as SigningAlgorithm | undefined);
      return { code: 0, output: `Created standby key (in JWKS now):\n${describeKey(key)}` };
    }
    if (command === 'keys:activate' && argument && extra.length === 0) {
      const key = await keys.activate(null, argument, force);
      return {
        code: 0,
        output: `Active; every instance signs with it within 10 s:\n${describeKey(key)}`,
      };
    }
    if (command === 'keys:revoke' && argument && !force && extra.length === 0) {
      const key = await keys.revoke(null, argument);
      return { code: 0, output: `Revoked; its tokens are refused:\n${describeKey(key)}` };
    }
  } catch (error) {
    if (error instanceof AppException) return { code: 1, output: error.message };
    throw error;
  }
  return { code: 2, output: USAGE };
}

/**
 * What the commands need: configuration, logging and audit events (sessions records them), the
 * database, the shared cache (for revocations and cached user objects) and sessions. Not UsersModule: its ADMIN_EMAIL
 * bootstrap would run before the command.
 */
@Module({
  imports: [ObservabilityModule, DatabaseModule, AppCacheModule, EventsModule, SessionsModule],
  providers: [AdminRolesService, UserCacheService],
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
    const result = await runCommand(args, app.get(AdminRolesService), app.get(SigningKeysService));
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
