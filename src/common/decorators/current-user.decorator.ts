import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthUser, Caller, ClientInfo, isApiKeyCaller } from '../auth/auth-user';
import { AppException } from '../errors/app.exception';

/**
 * The signed-in user. A service API key is never a user: should a route that takes keys still ask
 * for a user, the key gets 401 here rather than reaching code that expects one.
 */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthUser => {
    const caller = context.switchToHttp().getRequest<FastifyRequest & { user?: Caller }>().user;
    if (caller && isApiKeyCaller(caller)) throw AppException.unauthenticated();
    return caller as AuthUser;
  },
);

/** Whoever passed the guards: a signed-in user, or a service API key on routes that take one. */
export const CurrentCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): Caller =>
    context.switchToHttp().getRequest<FastifyRequest & { user: Caller }>().user,
);

const MAX_USER_AGENT = 255;
const MAX_ACCEPT_LANGUAGE = 1024;

export const Client = createParamDecorator((_: unknown, context: ExecutionContext): ClientInfo => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const userAgent = request.headers['user-agent'];
  const acceptLanguage = request.headers['accept-language'];
  return {
    ip: request.ip ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, MAX_USER_AGENT) : null,
    acceptLanguage:
      typeof acceptLanguage === 'string' ? acceptLanguage.slice(0, MAX_ACCEPT_LANGUAGE) : null,
    requestId: request.id,
  };
});
