#!/usr/bin/env node
// Bundles the compiled CLI (dist/**/*.js from tsc) into one CommonJS file, dist/kernel/cli.bundle.cjs:
// Node then loads one module instead of ~65, which is most of bsdemu's own start-up time (issue 5; a C
// hello spends ~35% less CPU), and bin/bsdemu can compile it with a V8 code cache (a CommonJS function
// body can go through vm.Script; an ES module cannot on Node 20). bin/bsdemu uses the bundle only while
// it is newer than every other file in dist/, so a plain `tsc` after it is never shadowed by a stale
// bundle. It lives in dist/kernel/ so that paths relative to its module URL stay right (the watchdog
// worker beside it, the project root two levels up). Without esbuild (a dev dependency) it says so and
// bsdemu runs unbundled.
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
  outfile: join(root, 'dist', 'kernel', 'cli.bundle.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // koffi loads its native module by a computed path: keep it a normal import.
  external: ['koffi'],
  // elfy's parser loads node:assert (~8 ms of start-up) for a check in code bsdemu never calls.
  alias: { assert: join(root, 'scripts', 'shims', 'assert.cjs') },
  // The sources are ES modules that find files next to themselves through import.meta.url.
  define: { 'import.meta.url': '__bsdemuModuleUrl' },
  banner: { js: "const __bsdemuModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
