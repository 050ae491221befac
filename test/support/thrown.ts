/**
 * The error a function throws, so a test can assert its `code` and `errors` instead of only
 * "something threw". Fails loudly when nothing is thrown.
 */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the function to throw, but it returned');
}
