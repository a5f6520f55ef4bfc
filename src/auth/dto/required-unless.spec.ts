import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { LoginDto } from './login.dto';
import { RefreshDto } from './refresh.dto';
import { ResetPasswordDto } from './reset-password.dto';

/** The first failing rule of each field, as the validation pipe reports it for a missing value. */
async function firstFailures(cls: new () => object, body: object): Promise<Record<string, string>> {
  const errors = await validate(plainToInstance(cls, body));
  return Object.fromEntries(
    errors.map((error) => [error.property, Object.values(error.constraints ?? {})[0]]),
  );
}

describe('either-or body rules', () => {
  const email = 'user@example.com';

  it('login takes exactly one of otp and password', async () => {
    await expect(firstFailures(LoginDto, { email })).resolves.toEqual({ otp: 'OTP is required.' });
    await expect(firstFailures(LoginDto, { email, otp: '123456', password: 'x' })).resolves.toEqual(
      { otp: 'Send either otp or password, not both.' },
    );
    await expect(firstFailures(LoginDto, { email, otp: '123456' })).resolves.toEqual({});
    await expect(firstFailures(LoginDto, { email, password: 'secret' })).resolves.toEqual({});
  });

  it('reset takes otp or its alias token', async () => {
    const new_password = 'k3!vQ9#zLm-2026';
    await expect(firstFailures(ResetPasswordDto, { email, new_password })).resolves.toEqual({
      otp: 'OTP is required.',
    });
    await expect(
      firstFailures(ResetPasswordDto, { email, new_password, token: '123456' }),
    ).resolves.toEqual({});
  });

  it('refresh takes refresh or refresh_token, an empty string counting as none', async () => {
    const missing = { refresh: 'Refresh token is required.' };
    await expect(firstFailures(RefreshDto, {})).resolves.toEqual(missing);
    await expect(firstFailures(RefreshDto, { refresh: '' })).resolves.toEqual(missing);
    await expect(firstFailures(RefreshDto, { refresh_token: 'abc' })).resolves.toEqual({});
    await expect(firstFailures(RefreshDto, { refresh: 'abc' })).resolves.toEqual({});
  });
});
