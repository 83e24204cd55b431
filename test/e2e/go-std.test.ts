// A subset of Go's own standard-library tests through `go test -exec bin/bsdemu` (scripts/go-std.mjs
// --subset), for both guest architectures; the full list runs on demand (`npm run test:go-std`).
// Asynchronous: a minute-long synchronous child would starve the vitest worker's own messaging.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { root } from '../helpers.js';

function run(args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const limit = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('error', reject);
    child.on('close', (status) => { clearTimeout(limit); resolve({ status, out }); });
  });
}

it('go test -exec bsdemu: the CI subset of the standard library passes on amd64 and arm64', async () => {
  const r = await run([join(root, 'scripts', 'go-std.mjs'), '--subset', '--arch', 'amd64,arm64', '--timeout', '3m', '--no-write']);
  expect({ status: r.status, out: r.status === 0 ? '' : r.out }).toEqual({ status: 0, out: '' });
}, 620_000);
