/** Words PromQL uses that are not metric names. */
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
]);

/** Grafana's built-in interval variables; 30 s covers enough 1 s scrapes for `rate`. */
export function replaceGrafanaVariables(expr: string, interval = '30s'): string {
  return expr.replace(/\$\{?__(rate_interval|interval|range)\}?/g, interval);
}

/**
 * The metric names an expression selects: what is left after dropping strings, label matchers,
 * ranges, grouping clauses, function calls and keywords. Enough for the expressions of this
 * repository (checked against the names Prometheus has), not a PromQL parser.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()/g)) {
    const word = match[1]!;
    if (!KEYWORDS.has(word.toLowerCase())) names.add(word);
  }
  return [...names];
}

/**
 * Alert rules here are `<expression> <comparison> <number>`. Returns the expression without the
 * threshold (so it returns data even when the alert would not fire), or null for any other shape.
 */
export function withoutThreshold(expr: string): { left: string; operator: string; threshold: number } | null {
  const match = /^([\s\S]*\S)\s*(>=|<=|==|!=|>|<)\s*(?:bool\s+)?(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i.exec(expr.trim());
  if (!match) return null;
  const left = match[1]!;
  let depth = 0;
  for (const char of left) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (depth < 0) return null;
  }
  return depth === 0 ? { left, operator: match[2]!, threshold: Number(match[3]) } : null;
}
