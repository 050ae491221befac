import { expect } from 'vitest';
import type { DomainEvent } from '../../src/shared/domain/domain-event.js';

/**
 * Command handler tests as given / when / then, in the spirit of Emmett's DeciderSpecification:
 *
 *   await spec.given(user).when(deactivate(user.id)).then({ result: {…}, events: [...] });
 *   await spec.when(deactivate(unknownId)).thenThrows({ code: 'not_found' });
 *
 * Every scenario builds a fresh in-memory fixture, stores what `given` names, handles the one
 * command, and checks what came out. `then` and `thenThrows` answer the fixture, so a test can go
 * on to check the stored state.
 */

/** What every handler fixture has: the outbox the handler's events land in. */
export interface SpecFixture {
  readonly outbox: { readonly events: readonly DomainEvent[] };
}

export interface Handler<C, R> {
  handle(command: C): Promise<R>;
}

/** A `given` step: something to store (an aggregate, an account), or a function that sets state up. */
export type Given<F, S> = S | ((fixture: F) => unknown);

export interface Expected<R> {
  /** What the handler answers (`toEqual`; an absent key is not checked). */
  readonly result?: R;
  /** Exactly the events the command appended to the outbox, in order (`toEqual`, matchers allowed). */
  readonly events?: readonly unknown[];
}

/** An error class, a message (substring or pattern), or fields the error must have. */
export type ExpectedError = (abstract new (...args: never[]) => Error) | string | RegExp | Record<string, unknown>;

export interface Then<F, R> {
  then(expected: Expected<R>): Promise<F & { readonly result: R }>;
  /**
   * The command must fail with `error`. A command that fails appends nothing (its unit of work
   * rolled back) unless `events` says what it did append (a reuse that revokes, say).
   */
  thenThrows(error: ExpectedError, options?: { events?: readonly unknown[] }): Promise<F & { readonly error: unknown }>;
}

export interface When<F, C, R> {
  when(command: C): Then<F, R>;
}

export interface Specification<O, F, S, C, R> extends When<F, C, R> {
  /** The same handler on a fixture built with other options (a failing outbox, say). */
  with(options: O): Specification<O, F, S, C, R>;
  given(...steps: readonly Given<F, S>[]): When<F, C, R>;
}

export interface SpecDefinition<O, F extends SpecFixture, S, C, R> {
  fixture(options: O): F;
  seed(fixture: F, item: S): unknown;
  handler(fixture: F): Handler<C, R>;
}

type Outcome<R> = { readonly ok: true; readonly result: R } | { readonly ok: false; readonly error: unknown };

export function specification<O extends object, F extends SpecFixture, S, C, R>(
  definition: SpecDefinition<O, F, S, C, R>,
  options: O = {} as O,
): Specification<O, F, S, C, R> {
  const given = (...steps: readonly Given<F, S>[]): When<F, C, R> => ({
    when: (command) => {
      const run = async () => {
        const fixture = definition.fixture(options);
        for (const step of steps) {
          if (typeof step === 'function') await (step as (fixture: F) => unknown)(fixture);
          else await definition.seed(fixture, step);
        }
        // Only what the command appends counts, not what setting the scene did.
        const before = fixture.outbox.events.length;
        const outcome: Outcome<R> = await definition
          .handler(fixture)
          .handle(command)
          .then(
            (result) => ({ ok: true as const, result }),
            (error: unknown) => ({ ok: false as const, error }),
          );
        return { fixture, outcome, appended: () => fixture.outbox.events.slice(before) };
      };
      return {
        // Not async: awaiting a scenario without `then` calls this with a function, and must fail at once.
        then: (expected) => {
          if (typeof expected === 'function') throw new TypeError('end the scenario with then({…}) or thenThrows(…)');
          return run().then(({ fixture, outcome, appended }) => {
            if (!outcome.ok) throw outcome.error;
            if ('result' in expected) expect(outcome.result).toEqual(expected.result);
            if (expected.events !== undefined) expect(appended()).toEqual(expected.events);
            return { ...fixture, result: outcome.result };
          });
        },
        thenThrows: async (error, { events = [] } = {}) => {
          const { fixture, outcome, appended } = await run();
          if (outcome.ok)
            expect.fail(`expected the command to fail, but it answered ${JSON.stringify(outcome.result)}`);
          expectError(outcome.error, error);
          expect(appended()).toEqual(events);
          return { ...fixture, error: outcome.error };
        },
      };
    },
  });
  return {
    with: (other) => specification(definition, other),
    given,
    when: (command) => given().when(command),
  };
}

function expectError(actual: unknown, expected: ExpectedError): void {
  if (typeof expected === 'function') expect(actual).toBeInstanceOf(expected);
  else if (typeof expected === 'string' || expected instanceof RegExp) {
    expect(() => {
      throw actual;
    }).toThrow(expected);
  } else expect(actual).toMatchObject(expected);
}
