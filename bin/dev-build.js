// The TypeScript sources of a checkout, bundled into plain JavaScript once and kept in .build/
// until a source changes, so `npm start` starts like the image's dist/ and faster: no loader hook
// in front of every import (tsx's costs seconds at each start, most of it on node_modules), and
// the pure-ESM packages of hundreds of small files each (INLINE) are read as one file, not 900.
// esbuild only strips types; `npm run typecheck` checks them.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const BUILD = join(ROOT, '.build');
/** Bundled in: ESM only, no file of their own read at run time, nobody else at run time imports them. */
const INLINE = ['typebox', 'drizzle-orm', 'jose', 'uuid'];
/** Builds kept besides the current one: a process still running from one may import a chunk later. */
const KEEP = 3;

/** The compiled entry point for these sources: built now if they (or what is bundled in) changed. */
export async function compiledEntry() {
  const esbuild = await import('esbuild');
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const files = sources(SRC);
  const out = join(BUILD, fingerprint(files, esbuild.version));
  const entry = join(out, 'cli.js');
  if (!existsSync(entry)) await build(esbuild, external(manifest), out, entry);
  return pathToFileURL(entry).href;
}

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sources(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
    })
    .sort();
}

/** Every package but the inlined ones stays an import, resolved in node_modules at run time. */
function external(manifest) {
  const names = Object.keys({
    ...manifest.dependencies,
    ...manifest.devDependencies,
    ...manifest.optionalDependencies,
  });
  return names.filter((name) => !INLINE.includes(name)).flatMap((name) => [name, `${name}/*`]);
}

/** A digest of the sources, package.json, the inlined packages' versions, the compiler and this file. */
function fingerprint(files, compilerVersion) {
  const hash = createHash('sha256')
    .update(compilerVersion)
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .update(readFileSync(join(ROOT, 'package.json')));
  for (const name of INLINE) hash.update(readFileSync(join(ROOT, 'node_modules', name, 'package.json')));
  for (const file of files) hash.update(relative(SRC, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * Into a directory of its own, renamed into place when complete: several processes starting at
 * once (tests do) each build, the first rename wins, and nobody imports a half-written tree.
 */
async function build(esbuild, externals, out, entry) {
  const scratch = join(BUILD, `tmp-${process.pid}-${randomUUID()}`);
  mkdirSync(BUILD, { recursive: true });
  // A person at a terminal learns why this start takes a second longer; a pipe gets only the logs.
  if (process.stderr.isTTY) process.stderr.write('portico: compiling src/ into .build/ (again only after a change)…\n');
  try {
    await esbuild.build({
      entryPoints: [join(SRC, 'apps', 'cli.ts')],
      outdir: scratch,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: externals,
      // Stack traces name the .ts file and line; the sources themselves are on disk, not in the map.
      sourcemap: true,
      sourcesContent: false,
      logLevel: 'error',
      // Code bundled in may call require(); in an ES module there is none unless made.
      banner: {
        js: "import { createRequire as __portico_require } from 'node:module'; const require = __portico_require(import.meta.url);",
      },
    });
    renameSync(scratch, out);
  } catch (error) {
    if (existsSync(entry)) return;
    // A source that does not parse: esbuild has printed where, a stack would add nothing.
    if (Array.isArray(error.errors) && error.errors.length > 0) process.exit(1);
    throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  prune(out);
}

function prune(current) {
  const builds = readdirSync(BUILD)
    .map((name) => join(BUILD, name))
    .filter((path) => path !== current && !relative(BUILD, path).startsWith('tmp-'))
    .map((path) => ({ path, at: statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.at - a.at);
  for (const old of builds.slice(KEEP)) rmSync(old.path, { recursive: true, force: true });
}
