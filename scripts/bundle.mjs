#!/usr/bin/env node
// Bundles the compiled CLI (dist/**/*.js from tsc) into one file, dist/kernel/cli.bundle.js: Node then
// loads one module instead of ~65, which is most of bsdemu's own start-up time (issue 5; a C hello
// spends ~35% less CPU). bin/bsdemu uses the bundle only while it is newer than every other file in
// dist/, so a plain `tsc` after it is never shadowed by a stale bundle. It lives in dist/kernel/ so
// that paths relative to its module URL stay right (the watchdog worker beside it, the project root
// two levels up). Without esbuild (a dev dependency) it says so and bsdemu runs unbundled.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.log('bundle: esbuild not installed; bsdemu runs from the unbundled dist/');
  process.exit(0);
}
await esbuild.build({
  entryPoints: [join(root, 'dist', 'cli.js')],
  outfile: join(root, 'dist', 'kernel', 'cli.bundle.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // koffi loads its native module by a computed path: keep it a normal import.
  external: ['koffi'],
  // CommonJS dependencies (commander, elfy) call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __bsdemuRequire } from 'node:module'; const require = __bsdemuRequire(import.meta.url);" },
  logLevel: 'warning',
});
