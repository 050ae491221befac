import { ValidationError } from '../../../shared/domain/domain-error.js';

export const USER_ROLES = ['user', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export function parseRoles(raw: readonly string[] | undefined): UserRole[] {
  if (raw === undefined || raw.length === 0) return ['user'];
  const unknown = raw.filter((r) => !(USER_ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) throw new ValidationError('roles', `unknown role(s): ${unknown.join(', ')}`);
  return [...new Set(raw as UserRole[])].sort();
}
