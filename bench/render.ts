/**
 * Writes `<date>.md` again from `<date>.json` (after a change to the report's layout):
 * `tsx bench/render.ts bench/results/<date>.json`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { markdown } from './lib/report.js';
import type { BenchReport } from './lib/results.js';

const files = process.argv.slice(2).filter((file) => file.endsWith('.json'));
if (files.length === 0) {
  console.error('usage: tsx bench/render.ts <results.json>…');
  process.exit(2);
}
for (const file of files) {
  const report = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
  writeFileSync(file.replace(/\.json$/, '.md'), markdown(report));
  console.log(`${file.replace(/\.json$/, '.md')} written`);
}
