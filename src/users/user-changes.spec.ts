import { User } from './entities/user.entity';
import { actualChanges, endsSessions, forbiddenFields, toUserChanges } from './user-changes';

describe('forbiddenFields', () => {
  it('names the admin-only fields a regular user sent, and nothing for admins', () => {
    const fields = { city: 'Pune', email: 'a@example.com', is_staff: false, is_active: true };
    expect(forbiddenFields(fields, false)).toEqual(['email', 'is_active', 'is_staff']);
    expect(forbiddenFields(fields, true)).toEqual([]);
  });

  it('lets regular users send every profile field, null included', () => {
    const profile = {
      full_name: 'A',
      mobile: null,
      gender: null,
      dob: '1990-01-01',
      address: null,
      city: null,
      state: null,
      country: null,
      pincode: null,
    };
    expect(forbiddenFields(profile, false)).toEqual([]);
  });
});

describe('toUserChanges', () => {
  it('maps each request field to its column, only when sent', () => {
    expect(toUserChanges({ full_name: 'Asha', city: null, is_staff: true })).toEqual({
      fullName: 'Asha',
      city: null,
      isStaff: true,
    });
    expect(toUserChanges({})).toEqual({});
  });

  it('never carries anything else of the body onto the entity', () => {
    const body = {
      email: 'a@example.com',
      id: 'other-id',
      password_hash: 'x',
      passwordHash: 'x',
      deletedAt: null,
      is_verified: true,
      isVerified: true,
    } as Record<string, unknown>;
    expect(toUserChanges(body)).toEqual({ email: 'a@example.com' });
  });
});

describe('actualChanges and endsSessions', () => {
  const user = { email: 'a@example.com', isStaff: false, isActive: true, city: 'Pune' } as User;

  it('keeps only values that differ from the stored user', () => {
    expect(
      actualChanges(user, { email: 'a@example.com', isStaff: false, isActive: true, city: 'Goa' }),
    ).toEqual({ city: 'Goa' });
  });

  it('ends sessions for email, admin rights and deactivation, not for profile changes', () => {
    expect(endsSessions({ email: 'b@example.com' })).toBe(true);
    expect(endsSessions({ isStaff: true })).toBe(true);
    expect(endsSessions({ isStaff: false })).toBe(true);
    expect(endsSessions({ isActive: false })).toBe(true);
    expect(endsSessions({ isActive: true })).toBe(false);
    expect(endsSessions({ city: 'Goa', fullName: 'B' })).toBe(false);
  });
});
