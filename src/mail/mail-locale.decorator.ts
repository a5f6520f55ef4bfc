import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, ValidateIf } from 'class-validator';
import { MAIL_LOCALES, supportedLocale } from './mail-locales';

export const LOCALE_MESSAGE = `Locale must be one of ${MAIL_LOCALES.join(', ')}.`;

/**
 * An optional `locale` field: one of the bundled mail languages, any letter case (`pt-br` is
 * stored as `pt-BR`); anything else is a 400. With `nullable`, null clears it.
 */
export function MailLocaleField(description: string, nullable = false): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      enum: MAIL_LOCALES,
      example: 'de',
      description,
      ...(nullable ? { nullable: true, type: String } : {}),
    }),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (supportedLocale(value) ?? value) : value,
    ),
    nullable ? IsOptional() : ValidateIf((_object: object, value: unknown) => value !== undefined),
    IsIn(MAIL_LOCALES, { message: LOCALE_MESSAGE }),
  );
}
