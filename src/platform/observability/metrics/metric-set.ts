import { Counter, Histogram, type Registry } from 'prom-client';

interface CounterDeclaration<L extends string> {
  readonly kind: 'counter';
  readonly name: string;
  readonly help: string;
  readonly labels: readonly L[];
}

interface HistogramDeclaration<L extends string> {
  readonly kind: 'histogram';
  readonly name: string;
  readonly help: string;
  readonly labels: readonly L[];
  readonly buckets: readonly number[];
}

type Declaration = CounterDeclaration<string> | HistogramDeclaration<string>;

type Instances<D extends Record<string, Declaration>> = {
  readonly [K in keyof D]: D[K] extends CounterDeclaration<infer L>
    ? Counter<L>
    : D[K] extends HistogramDeclaration<infer L>
      ? Histogram<L>
      : never;
};

export const counter = <L extends string>(name: string, help: string, labels: readonly L[]): CounterDeclaration<L> => ({
  kind: 'counter',
  name,
  help,
  labels,
});

export const histogram = <L extends string>(
  name: string,
  help: string,
  labels: readonly L[],
  buckets: readonly number[],
): HistogramDeclaration<L> => ({ kind: 'histogram', name, help, labels, buckets });

/**
 * A context's own metrics, declared in its manifest and created in a process's registry on first
 * use: every role in one process shares the instances, and two processes never share a registry.
 */
export class MetricSet<D extends Record<string, Declaration> = Record<string, Declaration>> {
  private readonly created = new WeakMap<Registry, Instances<D>>();

  constructor(readonly declarations: D) {}

  get names(): readonly string[] {
    return Object.values(this.declarations).map((d) => d.name);
  }

  in(registry: Registry): Instances<D> {
    let instances = this.created.get(registry);
    if (!instances) {
      const entries = Object.entries(this.declarations).map(([key, d]) => {
        const common = { name: d.name, help: d.help, labelNames: [...d.labels], registers: [registry] };
        return [
          key,
          d.kind === 'counter' ? new Counter(common) : new Histogram({ ...common, buckets: [...d.buckets] }),
        ];
      });
      instances = Object.fromEntries(entries) as Instances<D>;
      this.created.set(registry, instances);
    }
    return instances;
  }
}
