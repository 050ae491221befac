import { describe, expect, it } from 'vitest';
import { parseIfMatch } from '../../../src/platform/http/if-match.js';
import { thrown } from '../../support/thrown.js';

describe('If-Match (RFC 9110 §13.1.1, strong comparison)', () => {
  it.each([
    [undefined, undefined],
    ['*', undefined],
    [' * ', undefined],
    ['"3"', [3]],
    ['"2", "3"', [2, 3]],
    ['W/"3"', []],
    ['W/"3", "4"', [4]],
    ['"abc"', []],
    ['""', []],
  ])('%s matches the versions %j', (header, versions) => {
    expect(parseIfMatch(header)).toEqual(versions);
  });

  it.each(['3', 'yesterday', '"3', '"3",', 'W/3', '"3" "4"', '', 'w/"3"'])(
    'refuses %j as malformed (400)',
    (header) => {
      expect(thrown(() => parseIfMatch(header))).toMatchObject({
        code: 'validation_failed',
        errors: [{ field: 'If-Match' }],
      });
    },
  );
});
