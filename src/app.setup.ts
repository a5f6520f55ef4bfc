import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { INTROSPECTION_PATH } from './api-keys/introspection.controller';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { answerClientError, answerRouterError } from './common/errors/framework-errors';
import { useFormBodyParser } from './common/http/form-body-parser';
import { useJsonBodyParser } from './common/http/json-body-parser';
import { BODY_LIMIT_BYTES, MAX_PARAM_LENGTH } from './common/http/limits';
import { securityHeaders } from './common/http/security-headers';
import { findUnsafeRequest, unsafeInputError } from './common/http/unsafe-input';
import { createValidationPipe } from './common/pipes/validation.pipe';
import { appConfig, AppConfig, TrustProxy } from './config/app.config';
import { AppLogger } from './observability/app-logger';
import { MetricsService } from './observability/metrics.service';
import { RefreshCookieAnswers } from './sessions/cookie-transport/refresh-cookie.answers';
import { setupSwagger } from './swagger';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The Fastify adapter with the options that must exist before the app is created. */
export function createAdapter(trustProxy: TrustProxy = false): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: Array.isArray(trustProxy) ? trustProxy.join(',') : trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    // Answers given before any handler runs get the one error shape and the security headers too.
    frameworkErrors: answerRouterError,
    clientErrorHandler: answerClientError,
    // Log lines and X-Request-Id both read `request.id`, so they agree.
    genReqId: (req: IncomingMessage) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    // No Nest middleware: the request logger is Fastify hooks (configureApp), not middie.
    skipMiddie: true,
  });
}

/** Options for NestFactory.create / createNestApplication: no form-body parser, JSON only. */
export const APP_OPTIONS = { bodyParser: false } as const;

/** The whole HTTP pipeline; main.ts and every e2e test call this, so tests run the real thing. */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  const config = app.get<AppConfig>(appConfig.KEY);
  const logger = app.get(AppLogger);
  app.useLogger(logger);
  app.flushLogs();
  app.setGlobalPrefix('api', {
    exclude: [
      'dev/mailbox',
      'metrics',
      '.well-known/jwks.json',
      '.well-known/openid-configuration',
      '.well-known/oauth-authorization-server',
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      // Browser frontends keep the refresh token in an HttpOnly cookie (sessions/cookie-transport).
      credentials: true,
      allowedHeaders: ['Authorization', 'Content-Type', 'X-Token-Transport', 'X-CSRF-Protection'],
      maxAge: 600,
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
      // Browser code may read how long to wait, and quote the request id when reporting.
      exposedHeaders: ['Retry-After', 'X-Request-Id'],
    });
  }
  const fastify = app.getHttpAdapter().getInstance();
  // JSON in and out: any other body type is answered with 415.
  fastify.removeContentTypeParser(['text/plain']);
  useJsonBodyParser(fastify);
  // RFC 7662 clients post forms; no other route takes one.
  useFormBodyParser(fastify, [INTROSPECTION_PATH]);
  // Browser frontends: a successful sign-in or refresh answers with the refresh cookie.
  app.get(RefreshCookieAnswers).register(fastify);
  // Log lines name their request: what follows onRequest runs in its scope, and so does the route
  // handler (a body is read after that scope ends).
  fastify.addHook('onRequest', (request, _reply, done) => {
    // DRF clients may append ?format=json (DRF's URL format override); JSON is all we speak.
    const query = request.query as Record<string, unknown>;
    if (query.format === 'json') delete query.format;
    // NUL in any path or query value is a 400 before guards run, even where no handler reads it.
    const problem = findUnsafeRequest(request);
    logger.inRequest(request, () => done(problem ? unsafeInputError(problem) : undefined));
  });
  fastify.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function (request, reply) {
      return logger.inRequest(request, () => handler.call(this, request, reply));
    };
  });
  fastify.addHook('onSend', (request, reply, _payload, done) => {
    void reply.headers(securityHeaders(request.id));
    // Nothing the API answers may be cached: tokens, codes' outcomes, personal data.
    if (!reply.hasHeader('Cache-Control')) void reply.header('Cache-Control', 'no-store');
    reply.removeHeader('X-Powered-By');
    done();
  });
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.countRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode);
    logger.logResponse(request, reply);
    done();
  });
  setupSwagger(app);
  return app;
}
