import type { FastifyInstance } from 'fastify';

const FORM = 'application/x-www-form-urlencoded';

/**
 * `application/x-www-form-urlencoded` bodies, only on the routes listed (RFC 7662 introspection);
 * every other route keeps answering them 415 as it answers any body that is not JSON. A repeated
 * field stays a list, which the route's validation refuses.
 */
export function useFormBodyParser(fastify: FastifyInstance, routes: readonly string[]): void {
  const allowed = new Set(routes);
  fastify.addContentTypeParser(FORM, { parseAs: 'string' }, (request, body: string, done) => {
    if (!allowed.has(request.routeOptions.url ?? '')) return done(unsupported(), undefined);
    const fields: Record<string, string | string[]> = {};
    for (const [name, value] of new URLSearchParams(body)) {
      const seen = Object.hasOwn(fields, name) ? fields[name] : undefined;
      const next = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
      Object.defineProperty(fields, name, {
        value: next,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    done(null, fields);
  });
}

/** The same error Fastify gives a content type it has no parser for. */
function unsupported(): Error {
  return Object.assign(new Error('Unsupported Media Type'), {
    statusCode: 415,
    code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
  });
}
