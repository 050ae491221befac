import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../src/shared/domain/domain-error.js';
import { collect } from '../../../../src/shared/domain/result.js';
import { thrown } from '../../../support/thrown.js';

const fail = (field: string) => (): never => {
  throw new ValidationError(field, 'is wrong');
};

describe('collect', () => {
  it('returns every built value under its key', () => {
    expect(collect({ a: () => 1, b: () => 'two' })).toEqual({ a: 1, b: 'two' });
  });

  it('reports every failing field together, not just the first', () => {
    const error = thrown(() => collect({ a: fail('a'), b: () => 2, c: fail('c') }));
    expect(error).toMatchObject({
      code: 'validation_failed',
      errors: [
        { field: 'a', message: 'is wrong' },
        { field: 'c', message: 'is wrong' },
      ],
    });
  });

  it('lets an error that is not a ValidationError through unchanged', () => {
    const bug = new TypeError('invariant broke');
    expect(
      thrown(() =>
        collect({
          a: fail('a'),
          b: () => {
            throw bug;
          },
        }),
      ),
    ).toBe(bug);
  });
});
