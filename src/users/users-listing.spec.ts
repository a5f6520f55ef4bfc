import { likePattern, parseOrdering } from './users-listing';

describe('parseOrdering', () => {
  it('reads allow-listed fields, a leading - meaning descending', () => {
    expect(parseOrdering('-created_at')).toEqual([{ field: 'created_at', descending: true }]);
    expect(parseOrdering('email, -last_login')).toEqual([
      { field: 'email', descending: false },
      { field: 'last_login', descending: true },
    ]);
  });

  it.each(['password_hash', 'email,email', 'email,-email', '', '--email', 'id', 'created_at;drop'])(
    'refuses %p',
    (value) => {
      expect(parseOrdering(value)).toBeNull();
    },
  );

  it('refuses non-strings (repeated query parameters arrive as arrays)', () => {
    expect(parseOrdering(['email', '-email'])).toBeNull();
  });
});

describe('likePattern', () => {
  it('lower-cases the term and takes LIKE wildcards literally', () => {
    expect(likePattern('Asha')).toBe('%asha%');
    expect(likePattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});
