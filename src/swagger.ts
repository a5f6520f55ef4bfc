import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, OperationObject, SwaggerModule } from '@nestjs/swagger';
import { PUBLIC_OPERATION } from './common/decorators/public.decorator';
import { SERVICE_UNAVAILABLE_MESSAGE } from './common/errors/app.exception';
import { ErrorBody, errorBody } from './common/errors/error-body';
import { ErrorCode } from './common/errors/error-codes';
import { API_KEY_SCHEME, BEARER_SCHEME } from './common/swagger/api-key-security';
import { RETRY_AFTER_HEADER } from './common/swagger/retry-after.header';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('MailGuard API')
    .setDescription(
      'Sign-in with one-time codes sent by email, password accounts, sessions with rotating refresh ' +
        'tokens, and user management. Routes of the two Django systems MailGuard replaces keep their ' +
        'paths, fields, messages and status codes. Every error has one shape (`ErrorBody`).',
    )
    .setVersion('1.0')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'The access token of a login, refresh or confirmation: `Authorization: Bearer <access>`. ' +
          '`Authorization: Token <access>` (the Django REST Framework spelling, any case) is accepted ' +
          'too, for legacy clients; Swagger UI sends Bearer. A refresh token is never accepted here. ' +
          'A missing, expired, revoked or malformed token gets 401 UNAUTHENTICATED.',
      },
      BEARER_SCHEME,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'mgk_…',
        description:
          'A service API key (`Authorization: Bearer mgk_…`), created by an admin through ' +
          'POST /api/admin/api-keys. Scope `introspect`: token introspection. Scope `admin`: the ' +
          'admin routes, user management included, except API-key management. A key is never a ' +
          'user: routes for the signed-in user answer it 401.',
      },
      API_KEY_SCHEME,
    )
    // Secure by default, as the global JWT guard is: @Public() operations opt out (`security: []`).
    .addSecurityRequirements(BEARER_SCHEME)
    .addGlobalResponse({
      status: 503,
      type: ErrorBody,
      description:
        'The database or the cache is out of reach (SERVICE_UNAVAILABLE), on any route that needs them; retry after `Retry-After` seconds',
      headers: RETRY_AFTER_HEADER,
      example: errorBody(503, ErrorCode.SERVICE_UNAVAILABLE, SERVICE_UNAVAILABLE_MESSAGE),
    })
    .addTag('auth', 'Codes, login, tokens, registration and password reset')
    .addTag('users', 'Profiles and user management')
    .addTag('sessions', 'Your signed-in devices')
    .addTag('health', 'Liveness and readiness')
    .build();
  return withAuthenticationDocs(withReadableAliasIds(SwaggerModule.createDocument(app, config)));
}

/**
 * A handler serving two paths (`me` and `profile`, `verify-otp` and `confirm-otp`) gets ids like
 * `MeController_get[1]`; client generators want identifiers, so name each after its path instead.
 */
function withReadableAliasIds(document: OpenAPIObject): OpenAPIObject {
  for (const [path, operations] of Object.entries(document.paths)) {
    const segment =
      path
        .split('/')
        .filter((part) => part && !part.startsWith('{'))
        .pop() ?? '';
    const suffix = segment.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
    for (const operation of Object.values(operations as Record<string, { operationId?: string }>)) {
      if (operation.operationId && /\[\d+\]$/.test(operation.operationId)) {
        operation.operationId = `${operation.operationId.replace(/\[\d+\]$/, '')}_${suffix}`;
      }
    }
  }
  return document;
}

type MaybePublic = OperationObject & { [PUBLIC_OPERATION]?: boolean };

/**
 * The document's `security` covers every operation; a public one (marked by @Public()) gets
 * `security: []` instead, and every other one documents the guard's 401.
 */
function withAuthenticationDocs(document: OpenAPIObject): OpenAPIObject {
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations as Record<string, MaybePublic>)) {
      if (typeof operation !== 'object' || !operation.responses) continue;
      if (operation[PUBLIC_OPERATION]) {
        delete operation[PUBLIC_OPERATION];
        operation.security = [];
      } else {
        operation.responses['401'] ??= {
          description: 'No valid access token (UNAUTHENTICATED)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
        };
      }
    }
  }
  return document;
}

/** Swagger UI at /docs, the OpenAPI document at /docs-json. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'MailGuard API',
    swaggerOptions: {
      persistAuthorization: true,
      displayRequestDuration: true,
      tryItOutEnabled: false,
    },
  });
}
