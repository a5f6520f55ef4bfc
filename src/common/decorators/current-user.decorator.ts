import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthUser, ClientInfo } from '../auth/auth-user';

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthUser =>
    context.switchToHttp().getRequest<FastifyRequest & { user: AuthUser }>().user,
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
