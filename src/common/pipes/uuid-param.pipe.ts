import { ParseUUIDPipe } from '@nestjs/common';
import { AppException } from '../errors/app.exception';

/** A UUID route parameter; anything else names nothing, so it is a 404 like an unknown id. */
export function uuidParam(notFoundMessage: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => AppException.notFound(notFoundMessage) });
}
