import { parseDuration } from './env-parser';

describe('parseDuration', () => {
  it.each([
    ['900', 900],
    ['15m', 900],
    ['1d', 86_400],
    ['2h', 7200],
    ['30s', 30],
  ])('%s is %i seconds', (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds);
  });

  it.each(['', '15 minutes', '-5', '1.5h', 'm'])('refuses %p', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});
