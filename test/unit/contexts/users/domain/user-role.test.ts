import { describe, expect, it } from 'vitest';
import { parseRoles } from '../../../../../src/contexts/users/domain/user-role.js';
import { thrown } from '../../../../support/thrown.js';

describe('parseRoles', () => {
  it('defaults to the user role when none are given', () => {
    expect(parseRoles(undefined)).toEqual(['user']);
  });

  it('defaults to the user role when the list is empty', () => {
    expect(parseRoles([])).toEqual(['user']);
  });

  it('removes duplicates and sorts the roles', () => {
    expect(parseRoles(['user', 'admin', 'user'])).toEqual(['admin', 'user']);
  });

  it('refuses unknown roles and names them', () => {
    expect(thrown(() => parseRoles(['user', 'root', 'owner']))).toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'roles', message: 'unknown role(s): root, owner' }],
    });
  });
});
