#!/usr/bin/env node
// In a checkout (src/ is there): the TypeScript sources, compiled into .build/ when they changed
// (bin/dev-build.js). In the image (no src/): the compiled dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../src/apps/cli.ts', import.meta.url));
if (existsSync(source)) {
  const { compiledEntry } = await import('./dev-build.js');
  // Stack traces name the compiled .build/ files. With NODE_OPTIONS=--enable-source-maps they name
  // the .ts files and lines, but Node then parses and keeps every module's source map from its
  // load on: ~35 MB more in every process, for stacks rarely printed (the image has no maps at all).
  await import(await compiledEntry());
} else {
  await import(new URL('../dist/apps/cli.js', import.meta.url).href);
}
