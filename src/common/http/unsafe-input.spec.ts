import { findUnsafeInput, MAX_INPUT_DEPTH, NUL_MESSAGE, TOO_DEEP_MESSAGE } from './unsafe-input';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('findUnsafeInput', () => {
  it('accepts ordinary bodies and queries', () => {
    expect(
      findUnsafeInput({ email: 'a@example.com', tags: ['x'], profile: { city: 'Pune' } }),
    ).toBeNull();
    expect(findUnsafeInput('plain')).toBeNull();
    expect(findUnsafeInput(undefined)).toBeNull();
    expect(findUnsafeInput(nested(MAX_INPUT_DEPTH))).toBeNull();
  });

  it('names the field holding a NUL character', () => {
    expect(findUnsafeInput({ full_name: 'a\0b' })).toEqual({
      field: 'full_name',
      message: NUL_MESSAGE,
    });
    expect(findUnsafeInput({ profile: { city: ['ok', 'x\0'] } })).toEqual({
      field: 'profile.city.1',
      message: NUL_MESSAGE,
    });
    expect(findUnsafeInput({ 'bad\0key': 1 })).toEqual({ field: null, message: NUL_MESSAGE });
  });

  it('refuses nesting beyond the limit without overflowing the stack', () => {
    expect(findUnsafeInput(nested(MAX_INPUT_DEPTH + 1))).toEqual({
      field: null,
      message: TOO_DEEP_MESSAGE,
    });
    expect(findUnsafeInput({ email: nested(100_000) })).toEqual({
      field: null,
      message: TOO_DEEP_MESSAGE,
    });
  });
});
