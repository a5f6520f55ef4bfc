/** The largest request body accepted (Fastify's `bodyLimit`); a larger one is 413. */
export const BODY_LIMIT_BYTES = 16 * 1024;
