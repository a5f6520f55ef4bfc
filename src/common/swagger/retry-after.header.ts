import { ApiResponseOptions } from '@nestjs/swagger';

/** The `Retry-After` header of 429 and 503 answers, as Swagger documents a response header. */
export const RETRY_AFTER_HEADER: NonNullable<ApiResponseOptions['headers']> = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', minimum: 1 },
  },
};
