import { ValidationError, type DomainError } from './domain-error.js';

/**
 * Builds several value objects and reports every failure together instead of stopping at the first.
 */
export function collect<T extends Record<string, () => unknown>>(factories: T): { [K in keyof T]: ReturnType<T[K]> } {
  const values: Record<string, unknown> = {};
  const failures: ValidationError[] = [];
  for (const [key, make] of Object.entries(factories)) {
    try {
      values[key] = make();
    } catch (error) {
      if (error instanceof ValidationError) failures.push(error);
      else throw error;
    }
  }
  if (failures.length > 0) throw ValidationError.combine(failures) satisfies DomainError;
  return values as { [K in keyof T]: ReturnType<T[K]> };
}
