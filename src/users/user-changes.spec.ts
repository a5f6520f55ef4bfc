import { User } from './entities/user.entity';
import {
  actualChanges,
  changedFields,
  endsSessions,
  forbiddenFields,
  toUserChanges,
} from './user-changes';

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

describe('changedFields', () => {
  it('names the request fields of the changes that differ, not every field sent', () => {
    const stored = {
      fullName: 'Old Name',
      mobile: '1234567890',
      city: 'Pune',
      state: null,
      pincode: null,
    } as User;
    const sent = toUserChanges({
      full_name: 'New Name',
      mobile: '1234567890',
      city: 'Pune',
      state: 'MH',
      pincode: '411001',
    });
    expect(changedFields(actualChanges(stored, sent)).sort()).toEqual([
      'full_name',
      'pincode',
      'state',
    ]);
  });

  it('uses request names and leaves out columns no request field sets', () => {
    expect(changedFields({ isActive: true, isStaff: false, deletedAt: null })).toEqual([
      'is_active',
      'is_staff',
    ]);
  });
});
