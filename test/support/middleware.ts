/**
 * A bus middleware that writes `${name}:before` and `${name}:after` into `trail` around the rest of
 * the chain: shows the order middleware runs in. Fits the command and the query bus alike.
 */
export const recording =
  (name: string, trail: string[]) =>
  async <M, R>(message: M, next: (message: M) => Promise<R>): Promise<R> => {
    trail.push(`${name}:before`);
    const result = await next(message);
    trail.push(`${name}:after`);
    return result;
  };
