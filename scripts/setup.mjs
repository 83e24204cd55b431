// Makes sure bsdemu can load libunicorn (2.0.1 or newer). Order (DESIGN.md): $BSDEMU_LIBUNICORN, the
// system library, then a project-local copy extracted without root from Debian's libunicorn2 package
// (`apt-get download` + `dpkg-deb -x` into .local/unicorn). Prints one line; never fails the install.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const localDir = join(root, '.local', 'unicorn');
const { libUnicornCandidates } = await import(join(root, 'dist', 'cpu', 'libpath.js')).catch(() => ({}));

function found() {
  if (!libUnicornCandidates) return undefined;
  return libUnicornCandidates().find((p) => existsSync(p));
}

const have = found();
if (have) {
  console.log(`bsdemu: using libunicorn at ${have}`);
  process.exit(0);
}
if (process.platform !== 'linux') {
  console.log('bsdemu: libunicorn not found: install unicorn 2 (e.g. `brew install unicorn`) or set BSDEMU_LIBUNICORN');
  process.exit(0);
}
try {
  const tmp = join(root, '.local', 'download');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync('apt-get', ['download', 'libunicorn2'], { cwd: tmp, stdio: ['ignore', 'ignore', 'pipe'] });
  const deb = readdirSync(tmp).find((f) => f.startsWith('libunicorn2') && f.endsWith('.deb'));
  if (!deb) throw new Error('apt-get download produced no package');
  mkdirSync(localDir, { recursive: true });
  execFileSync('dpkg-deb', ['-x', join(tmp, deb), localDir]);
  rmSync(tmp, { recursive: true, force: true });
  const now = found();
  if (!now) throw new Error('the package did not contain libunicorn.so.2');
  console.log(`bsdemu: extracted libunicorn from Debian's libunicorn2 into ${now}`);
} catch (e) {
  console.log(`bsdemu: libunicorn not found and could not be extracted (${e.message.split('\n')[0]}): run \`sudo apt-get install libunicorn2\` or set BSDEMU_LIBUNICORN`);
}
