import {
  findUnsafeInput,
  findUnsafeRequest,
  MAX_INPUT_DEPTH,
  NUL_MESSAGE,
  TOO_DEEP_MESSAGE,
  unsafeInputError,
} from './unsafe-input';

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

describe('findUnsafeRequest', () => {
  it('accepts ordinary paths and queries, %25 included', () => {
    expect(
      findUnsafeRequest({ params: { id: 'me' }, query: { search: '%00' }, url: '/a?search=%2500' }),
    ).toBeNull();
  });

  it('names the path parameter or query value holding a NUL, else refuses the URL as a whole', () => {
    expect(
      findUnsafeRequest({ params: { id: 'me\0' }, query: {}, url: '/api/users/me%00' }),
    ).toEqual({ field: 'id', message: NUL_MESSAGE });
    expect(findUnsafeRequest({ params: {}, query: { x: '\0' }, url: '/api/health?x=%00' })).toEqual(
      {
        field: 'x',
        message: NUL_MESSAGE,
      },
    );
    expect(findUnsafeRequest({ params: {}, query: {}, url: '/api/health%00' })).toEqual({
      field: null,
      message: NUL_MESSAGE,
    });
  });

  it('turns a problem into the 400 VALIDATION_FAILED the pipe answers with', () => {
    const error = unsafeInputError({ field: 'id', message: NUL_MESSAGE });
    expect(error.getStatus()).toBe(400);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors).toEqual({ id: [NUL_MESSAGE] });
    expect(unsafeInputError({ field: null, message: NUL_MESSAGE }).errors).toBeUndefined();
  });
});
