// Where libunicorn comes from, in DESIGN.md's order: $BSDEMU_LIBUNICORN, the system library, then the
// project-local copy that `npm run setup` extracts from Debian's libunicorn2 package.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const localLibDir = join(projectRoot, '.local', 'unicorn');

const SYSTEM_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/libunicorn.so.2',
  '/usr/lib/aarch64-linux-gnu/libunicorn.so.2',
  '/usr/lib/libunicorn.so.2',
  '/usr/local/lib/libunicorn.so.2',
  '/opt/homebrew/lib/libunicorn.2.dylib',
  '/usr/local/lib/libunicorn.2.dylib',
];

export const INSTALL_HINT =
  'libunicorn (2.0.1 or newer) not found: install it with `sudo apt-get install libunicorn2`, ' +
  'run `npm run setup` to extract a project-local copy, or set BSDEMU_LIBUNICORN to its path';

export function libUnicornCandidates(): string[] {
  const out: string[] = [];
  if (process.env.BSDEMU_LIBUNICORN) out.push(process.env.BSDEMU_LIBUNICORN);
  out.push(...SYSTEM_CANDIDATES);
  for (const arch of ['x86_64-linux-gnu', 'aarch64-linux-gnu']) {
    out.push(join(localLibDir, 'usr', 'lib', arch, 'libunicorn.so.2'));
  }
  return out;
}

/** Returns the path of the library to load; the bare soname lets the dynamic linker search as a last try. */
export function findLibUnicorn(): string {
  if (process.env.BSDEMU_LIBUNICORN) return process.env.BSDEMU_LIBUNICORN;
  for (const p of libUnicornCandidates()) if (existsSync(p)) return p;
  return process.platform === 'darwin' ? 'libunicorn.2.dylib' : 'libunicorn.so.2';
}
