import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { securityHeaders } from '../http/security-headers';
import { toErrorResponse } from './to-error-response';

/*
 * Answers written before any handler runs, so neither the exception filter nor the onSend hook
 * sees them: each handler here builds the one error shape and adds the security headers itself.
 */

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Fastify's `frameworkErrors`: the router could not decode the path (bad percent-encoding, 400)
 * or a path parameter is over `maxParamLength` (414).
 */
export function answerRouterError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const { body, headers } = toErrorResponse(error);
  void reply
    .code(body.statusCode)
    .headers({ ...headers, ...securityHeaders(request.id), 'Cache-Control': 'no-store' })
    .type(JSON_TYPE)
    .send(body);
}

/** The status Node itself would answer a request its HTTP parser refused with. */
function clientErrorStatus(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/**
 * Fastify's `clientErrorHandler` (Node's `clientError` event): the request could not be parsed,
 * e.g. headers over the limit. There is no request object yet, so the answer is written to the
 * socket as raw HTTP, as Node's own handler does, and the connection is closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Only before anything was written: a keep-alive socket may be mid-way through an answer.
  if (socket.writable && socket.bytesWritten === 0) {
    const { body } = toErrorResponse({
      statusCode: clientErrorStatus(error.code),
      code: error.code,
    });
    const payload = JSON.stringify(body);
    const headers: Record<string, string> = {
      'Content-Type': JSON_TYPE,
      'Content-Length': String(Buffer.byteLength(payload)),
      'Cache-Control': 'no-store',
      Connection: 'close',
      ...securityHeaders(randomUUID()),
    };
    const head = [
      `HTTP/1.1 ${body.statusCode} ${STATUS_CODES[body.statusCode] ?? ''}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.write(`${head.join('\r\n')}\r\n\r\n${payload}`);
  }
  socket.destroy(error);
}
