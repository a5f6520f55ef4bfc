import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { JwtAuthGuard } from './common/guards/jwt-auth.guard';
import { RolesGuard } from './common/guards/roles.guard';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';

/** What the global guards answer: never an Observable. */
type GuardAnswer = boolean | Promise<boolean>;

export interface InOrderGuard extends CanActivate {
  canActivate(context: ExecutionContext): GuardAnswer;
}

/**
 * The one global guard (APP_GUARD): who is calling (401), may they (403), then per-IP budgets
 * (429), in that order. One guard rather than three because Nest wraps every registered guard's
 * answer in promises of its own; here a guard that answers at once is not awaited, so a public
 * route without a budget passes all three in one synchronous call.
 */
@Injectable()
export class AppGuard implements CanActivate {
  private readonly guards: readonly InOrderGuard[];

  constructor(authentication: JwtAuthGuard, roles: RolesGuard, rateLimit: RateLimitGuard) {
    this.guards = [authentication, roles, rateLimit];
  }

  canActivate(context: ExecutionContext): GuardAnswer {
    return runInOrder(this.guards, context);
  }
}

/** The guards from `from` on, in order: the first refusal (a throw, or false) stops the rest. */
export function runInOrder(
  guards: readonly InOrderGuard[],
  context: ExecutionContext,
  from = 0,
): GuardAnswer {
  for (let index = from; index < guards.length; index++) {
    const answer = guards[index].canActivate(context);
    if (answer === false) return false;
    if (answer !== true) {
      return answer.then((allowed) => allowed && runInOrder(guards, context, index + 1));
    }
  }
  return true;
}
