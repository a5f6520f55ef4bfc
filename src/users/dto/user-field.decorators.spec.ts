import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { toFieldErrors } from '../../common/errors/validation';
import { CreateUserDto } from './create-user.dto';
import { UpdateUserDto } from './update-user.dto';
import { dobProblem, DOB_FORMAT_MESSAGE, DOB_FUTURE_MESSAGE } from './user-field.decorators';

const today = new Date('2026-06-15T12:00:00Z');

describe('dobProblem', () => {
  it.each(['1990-04-01', '2000-02-29', '1900-01-01', '2026-06-15'])('accepts %p', (value) => {
    expect(dobProblem(value, today)).toBeNull();
  });

  it.each(['1990-02-30', '2001-02-29', '1990-13-01', '1990-4-1', '01/04/1990', '', 19900401])(
    'refuses %p as not a real YYYY-MM-DD date',
    (value) => {
      expect(dobProblem(value, today)).toBe(DOB_FORMAT_MESSAGE);
    },
  );

  it('refuses dates after today and before 1900', () => {
    expect(dobProblem('2026-06-16', today)).toBe(DOB_FUTURE_MESSAGE);
    expect(dobProblem('1899-12-31', today)).toBe('Date of birth cannot be before 1900-01-01.');
    expect(dobProblem('0001-01-01', today)).toBe('Date of birth cannot be before 1900-01-01.');
  });
});

function errorsOf(type: new () => object, body: object) {
  const dto = plainToInstance(type, body);
  return { dto, errors: toFieldErrors(validateSync(dto)) };
}

describe('user DTOs', () => {
  it('accepts the example mobiles and pincodes', () => {
    for (const mobile of ['+919876543210', '1234567890', '1234567', '+123456789012345'])
      expect(errorsOf(UpdateUserDto, { mobile }).errors).toEqual({});
    for (const pincode of ['560001', 'SW1A 1AA', '12345-6789', 'ABC'])
      expect(errorsOf(UpdateUserDto, { pincode }).errors).toEqual({});
  });

  it('trims text and turns empty optional text into null', () => {
    const { dto } = errorsOf(UpdateUserDto, { full_name: '  Asha  ', city: '   ', mobile: '' });
    expect(dto).toMatchObject({ full_name: 'Asha', city: null, mobile: null });
  });

  it('refuses null where a value is required when sent', () => {
    expect(
      Object.keys(
        errorsOf(UpdateUserDto, { full_name: null, is_staff: null, email: null }).errors,
      ).sort(),
    ).toEqual(['email', 'full_name', 'is_staff']);
  });

  it('requires email, full name and mobile on create, with MailGuard’s sentence', () => {
    const { errors } = errorsOf(CreateUserDto, {});
    expect(errors).toEqual({
      email: ['Email, Full Name, and Mobile are required.'],
      full_name: ['Email, Full Name, and Mobile are required.'],
      mobile: ['Email, Full Name, and Mobile are required.'],
    });
  });
});
