import { Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { AppException } from '../errors/app.exception';

/**
 * A UUID route parameter in its one (lower-case) spelling, so comparisons with stored ids hold
 * whatever case the client used. Anything else names nothing: a 404 like an unknown id.
 */
@Injectable()
export class UuidParamPipe implements PipeTransform<unknown, string> {
  constructor(private readonly notFoundMessage: string) {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !isUUID(value))
      throw AppException.notFound(this.notFoundMessage);
    return value.toLowerCase();
  }
}

export function uuidParam(notFoundMessage: string): UuidParamPipe {
  return new UuidParamPipe(notFoundMessage);
}
