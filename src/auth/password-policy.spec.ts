import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { IsAcceptablePassword, passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  const email = 'asha.rao@example.com';

  it.each(['k3!vQ9#zLm', 'correct horse battery staple', 'xxxxxxxé', 'Asha.Rao@example.co'])(
    'accepts %p',
    (password) => {
      expect(passwordProblem(password, email)).toBeUndefined();
    },
  );

  it('counts characters, not bytes or UTF-16 units', () => {
    expect(passwordProblem('😀'.repeat(8), email)).toBeUndefined();
    expect(passwordProblem('😀'.repeat(7), email)).toMatch(/at least 8/);
    expect(passwordProblem('😀'.repeat(128), email)).toBeUndefined();
    expect(passwordProblem('😀'.repeat(129), email)).toMatch(/at most 128/);
  });

  it('refuses fewer than 8 and more than 128 characters', () => {
    expect(passwordProblem('k3!vQ9#', email)).toBe('Password must be at least 8 characters long.');
    expect(passwordProblem('k'.repeat(129), email)).toBe(
      'Password must be at most 128 characters long.',
    );
  });

  it('refuses the email address or its local part, in any case', () => {
    expect(passwordProblem('ASHA.RAO@EXAMPLE.COM', email)).toBe(
      'Password must not be your email address.',
    );
    expect(passwordProblem('Asha.Rao', email)).toBe('Password must not be your email address.');
  });

  it.each(['password', 'Password', '12345678', 'iloveyou', 'qwertyuiop', 'Sunshine', 'trustno1'])(
    'refuses the common password %p from the zxcvbn-ts list',
    (password) => {
      expect(passwordProblem(password, email)).toBe(
        'This password is too common. Choose one that is harder to guess.',
      );
    },
  );

  it('works without an email', () => {
    expect(passwordProblem('k3!vQ9#zLm')).toBeUndefined();
    expect(passwordProblem('password')).toMatch(/too common/);
  });
});

describe('@IsAcceptablePassword', () => {
  class Dto {
    email!: string;

    @IsAcceptablePassword('email')
    new_password!: string;
  }

  async function errorsOf(body: object): Promise<Record<string, string>[]> {
    const errors = await validate(plainToInstance(Dto, body), { stopAtFirstError: true });
    return errors.map((error) => error.constraints ?? {});
  }

  it('passes a good password', async () => {
    expect(await errorsOf({ email: 'a@example.com', new_password: 'k3!vQ9#zLm' })).toEqual([]);
  });

  it('names the broken rule, comparing against the sibling email field', async () => {
    const [missing] = await errorsOf({ email: 'a@example.com' });
    expect(Object.values(missing)).toEqual(['Password is required.']);
    const [notString] = await errorsOf({ email: 'a@example.com', new_password: 12345678 });
    expect(Object.values(notString)).toEqual(['Password must be a string.']);
    const [asEmail] = await errorsOf({
      email: 'longname@example.com',
      new_password: 'LongName',
    });
    expect(Object.values(asEmail)).toEqual(['Password must not be your email address.']);
  });
});
