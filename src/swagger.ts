import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, OperationObject, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_OPERATION, ApiKeyAccess } from './common/decorators/api-key-access.decorator';
import { PUBLIC_OPERATION } from './common/decorators/public.decorator';
import { Role, ROLES_OPERATION } from './common/decorators/roles.decorator';
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

type MarkedOperation = OperationObject & {
  [PUBLIC_OPERATION]?: boolean;
  [ROLES_OPERATION]?: Role[];
  [API_KEY_OPERATION]?: ApiKeyAccess;
};

/**
 * The document's `security` covers every operation; a public one (marked by @Public()) gets
 * `security: []` instead, and every other one documents the guard's 401. An operation that also
 * takes a service API key (as the JWT guard decides: `@AcceptsApiKeys`, or `@Roles('admin')`
 * unless `@RefusesApiKeys`) lists both schemes, either of which is enough.
 */
function withAuthenticationDocs(document: OpenAPIObject): OpenAPIObject {
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations as Record<string, MarkedOperation>)) {
      if (typeof operation !== 'object' || !operation.responses) continue;
      const keyScope = acceptedKeyScope(operation);
      if (operation[PUBLIC_OPERATION]) {
        operation.security = [];
      } else {
        if (keyScope) {
          operation.security = [{ [BEARER_SCHEME]: [] }, { [API_KEY_SCHEME]: [] }];
          const forbidden = operation.responses['403'] as { description?: string } | undefined;
          if (forbidden?.description)
            forbidden.description += `, or an API key without scope \`${keyScope}\``;
        }
        operation.responses['401'] ??= {
          description: keyScope
            ? `No valid access token or \`${keyScope}\` API key (UNAUTHENTICATED; a revoked key included)`
            : 'No valid access token (UNAUTHENTICATED)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
        };
      }
      delete operation[PUBLIC_OPERATION];
      delete operation[ROLES_OPERATION];
      delete operation[API_KEY_OPERATION];
    }
  }
  return document;
}

/** The scope of the API keys an operation takes beside access tokens, as the JWT guard reads it. */
function acceptedKeyScope(operation: MarkedOperation): string | null {
  const access = operation[API_KEY_OPERATION];
  if (access) return access.kind === 'accepts' ? access.scope : null;
  return operation[ROLES_OPERATION]?.includes('admin') ? 'admin' : null;
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
