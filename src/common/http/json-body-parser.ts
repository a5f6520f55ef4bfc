import type { FastifyInstance } from 'fastify';
import { parse } from 'secure-json-parse';

export const EMPTY_JSON_BODY = 'Request body is empty but Content-Type is JSON.';
export const INVALID_JSON_BODY = 'Request body is not valid JSON.';
export const PROTOTYPE_KEY_BODY =
  'Request body must not contain __proto__ or constructor.prototype keys.';
export const COMPRESSED_BODY =
  'Compressed request bodies are not accepted: send JSON without Content-Encoding.';

/** The messages the parser answers with; the error filter passes them through as they are. */
export const JSON_BODY_MESSAGES: ReadonlySet<string> = new Set([
  EMPTY_JSON_BODY,
  INVALID_JSON_BODY,
  PROTOTYPE_KEY_BODY,
  COMPRESSED_BODY,
]);

/**
 * JSON bodies through secure-json-parse, as Fastify's own parser does, but saying what was
 * wrong: Fastify's calls valid JSON with a `__proto__` key "not valid JSON".
 */
export function useJsonBodyParser(fastify: FastifyInstance): void {
  // Before the body is read: decoded as text, a gzip body fails as a length mismatch.
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const { headers } = request;
    const encoding = headers['content-encoding']?.trim().toLowerCase();
    const hasBody =
      headers['transfer-encoding'] !== undefined ||
      (headers['content-length'] ?? '0').trim() !== '0';
    if (hasBody && encoding && encoding !== 'identity') done(badBody(COMPRESSED_BODY, 415));
    else done(null, payload);
  });
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (_request, body: string, done) => {
      if (body === '') return done(badBody(EMPTY_JSON_BODY), undefined);
      try {
        done(null, parse(body, null, { protoAction: 'error', constructorAction: 'error' }));
      } catch (error) {
        const poisoned = (error as Error).message.includes('prototype property');
        done(badBody(poisoned ? PROTOTYPE_KEY_BODY : INVALID_JSON_BODY), undefined);
      }
    },
  );
}

function badBody(message: string, statusCode = 400): Error {
  return Object.assign(new Error(message), { statusCode });
}
