import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toErrorResponse } from './to-error-response';

/** The single place where errors become HTTP answers. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { body, headers, log } = toErrorResponse(exception);
    if (log === 'error') this.logger.error(describe(exception, true));
    if (log === 'warn') this.logger.warn(`dependency unavailable: ${describe(exception, false)}`);
    if (reply.sent) return;
    if (headers) void reply.headers(headers);
    void reply
      .status(body.statusCode)
      .header('Cache-Control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(body);
  }
}

function describe(exception: unknown, withStack: boolean): string {
  const { stack, message } = (exception ?? {}) as { stack?: unknown; message?: unknown };
  if (withStack && typeof stack === 'string') return stack;
  return typeof message === 'string' ? message : String(exception);
}
