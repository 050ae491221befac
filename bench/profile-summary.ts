/**
 * Where a CPU profile's time went: `tsx bench/profile-summary.ts <file.cpuprofile> [--top 25]`
 * prints self time by package and by function as markdown (`npm run bench -- --profile` writes
 * such profiles of the service process and runs this on them).
 */
import { basename } from 'node:path';
import { profileMarkdown, summarizeProfile } from './lib/profile.js';

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
const files = args.filter((_, i) => topIndex < 0 || (i !== topIndex && i !== topIndex + 1));
if (files.length === 0 || !Number.isInteger(top) || top < 1) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile>… [--top N]');
  process.exit(2);
}
for (const file of files) console.log(profileMarkdown(basename(file), summarizeProfile(file, top)));
