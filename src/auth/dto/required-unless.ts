import { applyDecorators } from '@nestjs/common';
import { ValidateBy, ValidateIf } from 'class-validator';

interface EitherOrMessages {
  missing: string;
  /** Refuse the two together, with this message. */
  both?: string;
  /** An empty string counts as not given. */
  blankIsMissing?: boolean;
}

/**
 * An either-or body rule, stated on the field its message names: required unless `alternative`
 * is given, and with `both` the two may not come together. Place it
 * last (lowest): property decorators register bottom-up, and for a missing value the first
 * failing rule is the one reported.
 */
export function RequiredUnless(alternative: string, messages: EitherOrMessages): PropertyDecorator {
  const given = (value: unknown): boolean =>
    value !== undefined && value !== null && !(messages.blankIsMissing && value === '');
  const otherOf = (object: object): unknown => (object as Record<string, unknown>)[alternative];
  const rules = [
    ValidateIf((object: object, value: unknown) => given(value) || !given(otherOf(object))),
    ValidateBy(
      { name: 'requiredUnless', validator: { validate: given } },
      { message: messages.missing },
    ),
  ];
  if (messages.both)
    rules.push(
      ValidateBy(
        {
          name: 'notTogether',
          validator: { validate: (_value, args) => !args || !given(otherOf(args.object)) },
        },
        { message: messages.both },
      ),
    );
  return applyDecorators(...rules);
}
