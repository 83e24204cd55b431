// A subset of Go's own standard-library tests through `go test -exec bin/bsdemu` (scripts/go-std.mjs
// --subset), for both guest architectures; the full list runs on demand (`npm run test:go-std`).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { root } from '../helpers.js';

it('go test -exec bsdemu: the CI subset of the standard library passes on amd64 and arm64', () => {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'go-std.mjs'), '--subset', '--arch', 'amd64,arm64', '--timeout', '3m', '--no-write'],
    { encoding: 'utf8', timeout: 600_000, killSignal: 'SIGKILL' });
  expect({ status: r.status, out: r.status === 0 ? '' : r.stdout + r.stderr }).toEqual({ status: 0, out: '' });
}, 620_000);
