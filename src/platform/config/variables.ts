/**
 * Configuration as one typed table of environment variables. Each entry names the variable, the
 * field it fills, how its text is read, its default and its line of documentation; the values'
 * type, the loader, `--help` and the README check all come from that one table, so a default is
 * written once. Hand-written because the few libraries that do this (envalid, convict) have no
 * defaults derived from other values, nor help text in this shape.
 */

/** What a parser makes of a variable's text: its value, or why it is refused ("must be …"). */
export type Parsed<T> = { readonly value: T } | { readonly problem: string };

export interface Parser<T> {
  read(text: string): Parsed<T>;
  /** Read as written, spaces included (secrets); every other variable is trimmed first. */
  readonly untrimmed?: boolean;
}

/** A default computed from the fields parsed before it; `shown` is what help and docs print. */
export interface Derived<T, C> {
  readonly shown: string;
  readonly from: (parsed: C) => T;
}

export interface VariableSpec<T, D, C> {
  readonly env: string;
  readonly parser: Parser<T>;
  /** Text in the variable's own syntax (read by `parser` and shown as is), or a derived value. */
  readonly default: string | Derived<D, C>;
  readonly doc: string;
}

/** One line of documentation: what `--help` prints and the README's configuration table holds. */
export interface VariableDoc {
  readonly env: string;
  readonly doc: string;
  readonly shown: string;
}

/** Absent: the field is null, and the doc line says what that means. */
export const unset: Derived<null, unknown> = { shown: 'unset', from: () => null };

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;
type Entry = { readonly field: string } & VariableSpec<unknown, unknown, Record<string, unknown>>;
type Check<C> = (values: C) => string | null;
type With<C, K extends string, V> = C & { readonly [P in K]: V };
/** The values a table reads: `Values<typeof TABLE>` is the configuration's type. */
export type Values<Table> = Table extends VariableTable<infer C> ? { readonly [K in keyof C]: C[K] } : never;

export class VariableTable<C extends object> {
  private constructor(
    private readonly entries: readonly Entry[],
    private readonly checks: readonly Check<C>[],
  ) {}

  static create(): VariableTable<object> {
    return new VariableTable([], []);
  }

  /** One more variable, read after (and so able to derive its default from) those before it. */
  add<K extends string, T, D = never>(field: K, spec: VariableSpec<T, D, C>): VariableTable<With<C, K, T | D>> {
    if (this.entries.some((e) => e.field === field || e.env === spec.env)) {
      throw new Error(`configuration table: ${field} (${spec.env}) is declared twice`);
    }
    const entry = { field, ...spec } as Entry;
    return new VariableTable<With<C, K, T | D>>([...this.entries, entry], this.checks);
  }

  /** A rule across fields; `rule` answers the problem, or null. */
  check(rule: Check<C>): VariableTable<C> {
    return new VariableTable(this.entries, [...this.checks, rule]);
  }

  get docs(): readonly VariableDoc[] {
    return this.entries.map(({ env, doc, default: d }) => ({ env, doc, shown: typeof d === 'string' ? d : d.shown }));
  }

  /** Every variable on its own line, names aligned: the `--help` epilogue. */
  help(): string {
    const width = Math.max(...this.entries.map((e) => e.env.length));
    return this.docs.map((v) => `  ${v.env.padEnd(width)}  ${v.doc} (default: ${v.shown})`).join('\n');
  }

  /** Reads every variable, then the cross-field rules; throws one ConfigError with every problem. */
  read(env: Env): C {
    const values: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const entry of this.entries) {
      const parsed = readEntry(entry, env[entry.env], values);
      if ('problem' in parsed) problems.push(`${entry.env} ${parsed.problem}`);
      values[entry.field] = 'value' in parsed ? parsed.value : readDefault(entry, values);
    }
    for (const rule of this.checks) {
      const problem = rule(values as C);
      if (problem !== null) problems.push(problem);
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return values as C;
  }
}

function readEntry(entry: Entry, raw: string | undefined, values: Record<string, unknown>): Parsed<unknown> {
  const text = entry.parser.untrimmed ? raw : raw?.trim();
  return text === undefined || text === '' ? { value: readDefault(entry, values) } : entry.parser.read(text);
}

/** A refused value falls back to the default, so later defaults still derive and every problem shows. */
function readDefault(entry: Entry, values: Record<string, unknown>): unknown {
  const fallback = entry.default;
  if (typeof fallback !== 'string') return fallback.from(values);
  const parsed = entry.parser.read(fallback);
  if ('problem' in parsed) throw new Error(`configuration table: default of ${entry.env} ${parsed.problem}`);
  return parsed.value;
}

const accept = <T>(value: T): Parsed<T> => ({ value });

/** A parser of one's own (the table's composition root may need one no other variable does). */
export const parser = <T>(read: (text: string) => Parsed<T>): Parser<T> => ({ read });

export const text = (): Parser<string> => parser(accept);

/** Kept exactly as written: a passphrase may begin or end with a space. */
export const secret = (): Parser<string> => ({ read: accept, untrimmed: true });

/** True when the variable is `expected`, false for any other text (`NODE_ENV=development`). */
export const equals = (expected: string): Parser<boolean> => parser((t) => accept(t === expected));

/** `true` or `false`, nothing else: a typo must not turn a switch off. */
export const flag = (): Parser<boolean> =>
  parser((t) =>
    t === 'true' || t === 'false' ? accept(t === 'true') : { problem: `must be true or false, got "${t}"` },
  );

export const integer = (min: number, max: number): Parser<number> =>
  parser((t) => {
    const value = Number(t);
    return Number.isInteger(value) && value >= min && value <= max
      ? accept(value)
      : { problem: `must be an integer from ${min} to ${max}, got "${t}"` };
  });

/** The text as given, once it parses as a URL of one of `protocols` ("https:"); never echoed, it may hold a password. */
export const url = (...protocols: string[]): Parser<string> =>
  parser((t) => {
    let protocol: string;
    try {
      protocol = new URL(t).protocol;
    } catch {
      return { problem: 'is not a valid URL' };
    }
    if (protocols.includes(protocol)) return accept(t);
    return { problem: `must start with ${protocols.map((p) => `${p}//`).join(' or ')}` };
  });

/** Comma-separated exact web origins (`https://app.example.com`): scheme, host and port, no path. */
export const origins = (): Parser<readonly string[]> =>
  parser((t) => {
    const list = t.split(',').map((o) => o.trim());
    const bad = list.find((o) => {
      try {
        return new URL(o).origin !== o;
      } catch {
        return true;
      }
    });
    return bad === undefined ? accept(list) : { problem: `must be origins like https://app.example.com, got "${bad}"` };
  });

export const oneOf = <const V extends string>(...values: V[]): Parser<V> =>
  parser((t) =>
    (values as string[]).includes(t) ? accept(t as V) : { problem: `must be one of ${values.join(', ')}` },
  );

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000 };
const duration = (part: string): number => {
  const match = /^(\d+)(ms|s|m)$/.exec(part.trim());
  return match ? Number(match[1]) * UNITS[match[2]!]! : Number.NaN;
};

/** Comma-separated durations ("500ms,5s,2m") in milliseconds: 1 to `most` of them, each from 1 ms to `longest`. */
export const durations = (most: number, longest: string): Parser<readonly number[]> =>
  parser((t) => {
    const values = t.split(',').map(duration);
    return values.length <= most && values.every((v) => Number.isFinite(v) && v >= 1 && v <= duration(longest))
      ? accept(values)
      : { problem: `must be 1 to ${most} durations up to ${longest}, like "5s,30s,5m", got "${t}"` };
  });
