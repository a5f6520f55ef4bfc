import { LoggerService, OnApplicationShutdown } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import pino, { Level, Logger } from 'pino';
import { AppConfig } from '../config/app.config';
import { currentScope, runInScope, useRequestScopes } from './request-scope';

/** Anything that could carry a secret is censored, wherever it appears in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.new_password',
  '*.confirm_password',
  '*.otp',
  '*.code',
  '*.token',
  '*.access',
  '*.refresh',
  '*.refresh_token',
  '*.access_key',
  '*.apiKey',
];

/** The request a line is written for, as every line of that request shows it. */
interface RequestFields {
  id: string;
  method: string;
  url: string;
  ip: string;
}

interface RequestScope {
  logger: AppLogger;
  request: FastifyRequest;
}

// Nest's frameworks error handlers pass (message, stack) instead of an Error.
const STACK = /\n\s*at /;

function requestFields(request: FastifyRequest): RequestFields {
  const url = request.url;
  const query = url.indexOf('?');
  return {
    id: request.id,
    method: request.method,
    url: query === -1 ? url : url.slice(0, query),
    ip: request.ip,
  };
}

/**
 * Nest's LoggerService over one pino instance, created (and its redaction compiled) once per app.
 * A line written while a request is handled carries `req` (id, method, path, ip): configureApp
 * runs the request's hooks and handler in its scope (request-scope.ts), and nothing else is done
 * per request unless a line is written. One access line per request (except health checks) comes
 * from the onResponse hook.
 */
export class AppLogger implements LoggerService, OnApplicationShutdown {
  readonly pino: Logger;
  private readonly tracksRequests: boolean;
  private readonly logsAccess: boolean;
  private readonly releaseScopes: () => void;

  constructor(config: Pick<AppConfig, 'logLevel' | 'logFile'>) {
    this.pino = pino(
      { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
      config.logFile
        ? pino.destination({ dest: config.logFile, sync: false, mkdir: true })
        : pino.destination(1),
    );
    this.tracksRequests = config.logLevel !== 'silent';
    this.logsAccess = this.pino.isLevelEnabled('info');
    this.releaseScopes = this.tracksRequests ? useRequestScopes() : () => undefined;
  }

  onApplicationShutdown(): void {
    this.releaseScopes();
  }

  /**
   * Runs `fn` for `request`: the lines written by it, and by what it awaits, name the request.
   * configureApp calls it around the hooks that start a request and around its route handler.
   */
  inRequest<R>(request: FastifyRequest, fn: () => R): R {
    if (!this.tracksRequests) return fn();
    // A route handler run from the read that brought its headers is in the scope already.
    if (currentScope<RequestScope>()?.request === request) return fn();
    return runInScope({ logger: this, request }, fn);
  }

  /** The access line of an answered request; health checks are not logged. */
  logResponse(request: FastifyRequest, reply: FastifyReply): void {
    if (!this.logsAccess || request.url.startsWith('/api/health')) return;
    const statusCode = reply.statusCode;
    this.pino.info(
      {
        req: requestFields(request),
        res: { statusCode },
        responseTime: Math.round(reply.elapsedTime),
      },
      statusCode >= 500 ? 'request errored' : 'request completed',
    );
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /**
   * Nest's calling convention: `(message, ...params, context)`; a message may be an object of
   * fields (then the first param is the text) or an Error. Several apps in one process (tests)
   * share Nest's static logger, so a request's line goes to the logger of the app handling it.
   */
  private write(level: Level, message: unknown, params: unknown[]): void {
    const scope = currentScope<RequestScope>();
    const target = scope?.logger ?? this;
    if (!target.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    if (scope) fields.req = requestFields(scope.request);
    let rest = params;
    if (params.length > 0) {
      fields.context = params[params.length - 1];
      rest = params.slice(0, -1);
    }
    if (message instanceof Error) {
      fields.err = message;
      target.pino[level](fields, ...(rest as [string?]));
    } else if (typeof message === 'object' && message !== null) {
      target.pino[level](Object.assign(fields, message), ...(rest as [string?]));
    } else if (typeof rest[0] === 'string' && rest.length === 1 && STACK.test(rest[0])) {
      fields.err = Object.assign(new Error(String(message)), { stack: rest[0] });
      target.pino[level](fields);
    } else {
      target.pino[level](fields, String(message), ...rest);
    }
  }
}
