/** The largest request body accepted (Fastify's `bodyLimit`); a larger one is 413. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** The longest path parameter the router takes (find-my-way's `maxParamLength`); longer is 414. */
export const MAX_PARAM_LENGTH = 100;

/** The most characters of the request an error answer quotes (field names in `errors`). */
export const MAX_ECHO_CHARS = 100;
