import { Injectable, Logger } from '@nestjs/common';
import { MetricsService } from './metrics.service';

export type LoginMethod = 'otp' | 'magic_link' | 'password' | 'registration';

interface EventContext {
  userId?: string;
  ip?: string | null;
  /** Who acted, when not the user themselves: an admin, or a service API key (`api_key`). */
  actor?: { type: string; id: string | null };
}

/**
 * The audit trail of security events: one JSON log line each (user id, IP, outcome) and the
 * matching metric. Never given codes, tokens or passwords.
 */
@Injectable()
export class AuthEventsService {
  private readonly logger = new Logger('AuthEvents');

  constructor(private readonly metrics: MetricsService) {}

  /** `purpose`: the code's purpose (login, register, reset); observability knows no feature's types. */
  codeSent(purpose: string, context: EventContext & { delivered: boolean }): void {
    this.metrics.codes.inc({ purpose, outcome: 'sent' });
    this.logger.log({ event: 'code_sent', purpose, ...context }, 'code issued');
  }

  codeChecked(purpose: string, valid: boolean, context: EventContext = {}): void {
    this.metrics.codes.inc({ purpose, outcome: valid ? 'verified' : 'failed' });
    if (!valid) this.logger.warn({ event: 'code_failed', purpose, ...context }, 'code refused');
  }

  login(method: LoginMethod, success: boolean, context: EventContext): void {
    this.metrics.logins.inc({ method, outcome: success ? 'success' : 'failure' });
    const line = { event: success ? 'login_success' : 'login_failure', method, ...context };
    if (success) this.logger.log(line, 'signed in');
    else this.logger.warn(line, 'sign-in refused');
  }

  refreshReuse(context: EventContext & { sessionId: string }): void {
    this.logger.warn(
      { event: 'refresh_reuse_detected', outcome: 'session_revoked', ...context },
      'refresh token reuse',
    );
  }

  logout(scope: string, context: EventContext & { sessions: number }): void {
    this.logger.log({ event: 'logout', scope, ...context }, 'signed out');
  }

  adminChange(
    action: string,
    context: EventContext & { targetUserId: string; fields?: string[] },
  ): void {
    this.logger.log({ event: 'admin_change', action, ...context }, 'account changed by an admin');
  }

  accountLock(
    change: 'locked' | 'unlocked',
    context: EventContext & { by?: 'code_login' | 'admin' },
  ): void {
    this.logger.warn(
      { event: `account_${change}`, ...context },
      change === 'locked' ? 'password login locked' : 'password login unlocked',
    );
  }

  passwordChanged(context: EventContext & { sessions: number }): void {
    this.logger.log({ event: 'password_changed', ...context }, 'password changed');
  }

  passwordReset(context: EventContext): void {
    this.logger.log({ event: 'password_reset', ...context }, 'password reset');
  }
}
