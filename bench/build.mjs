// Builds the benchmark programs: each C source in bench/c and each Go program in bench/go, for FreeBSD
// (run under bsdemu) and for Linux (run under qemu-user and natively), per architecture.
//
//   bench/c/<name>.c      -> bench/build/<os>-<arch>/c-<name>
//   bench/go/<name>/      -> bench/build/<os>-<arch>/go-<name>
//
// Rebuilds only what is older than its sources. Returns, per os-arch, the programs built or why not.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const buildDir = path.join(benchDir, 'build');

// Freestanding flags as in scripts/build-guests.mjs; -fno-builtin is left out so clang may use its own
// memset/memcpy patterns (sys.h provides both functions).
const CFLAGS = ['-ffreestanding', '-nostdlib', '-nostdlibinc', '-O2', '-g0', '-std=gnu11', '-fno-stack-protector',
  '-fno-pic', '-fno-pie', '-fno-asynchronous-unwind-tables', '-fno-unwind-tables'];
const TRIPLE = {
  'freebsd-amd64': 'x86_64-unknown-freebsd14', 'linux-amd64': 'x86_64-linux-gnu',
  'freebsd-arm64': 'aarch64-unknown-freebsd14', 'linux-arm64': 'aarch64-linux-gnu',
};
// lld's emulation: *_fbsd writes EI_OSABI = 9, which bsdemu's loader accepts as the FreeBSD brand.
const EMUL = {
  'freebsd-amd64': 'elf_x86_64_fbsd', 'linux-amd64': 'elf_x86_64',
  'freebsd-arm64': 'aarch64elf', 'linux-arm64': 'aarch64linux',
};

const mtime = (f) => { try { return fs.statSync(f).mtimeMs; } catch { return -1; } };
const newest = (files) => Math.max(...files.map(mtime));

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' | ')}`);
}

export const cPrograms = () => fs.readdirSync(path.join(benchDir, 'c')).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2)).sort();
export const goPrograms = () => fs.readdirSync(path.join(benchDir, 'go'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

function buildC(os, arch, name, out) {
  const src = path.join(benchDir, 'c', `${name}.c`);
  const hdr = path.join(benchDir, 'c', 'sys.h');
  if (mtime(out) >= newest([src, hdr, fileURLToPath(import.meta.url)])) return;
  const obj = `${out}.o`;
  const key = `${os}-${arch}`;
  sh('clang', [`--target=${TRIPLE[key]}`, ...CFLAGS, '-c', src, '-o', obj]);
  // ld.lld's emulation for FreeBSD arm64 has no _fbsd suffix: set EI_OSABI by hand below.
  sh('ld.lld', ['-m', EMUL[key], '-static', '--no-pie', '-e', '_start', '--build-id=none', '-z', 'noexecstack', '-o', out, obj]);
  fs.rmSync(obj);
  if (os === 'freebsd' && arch === 'arm64') {
    const fd = fs.openSync(out, 'r+');
    fs.writeSync(fd, Buffer.from([9]), 0, 1, 7); // e_ident[EI_OSABI] = ELFOSABI_FREEBSD
    fs.closeSync(fd);
  }
}

function buildGo(os, arch, name, out) {
  const dir = path.join(benchDir, 'go', name);
  const srcs = fs.readdirSync(dir).map((f) => path.join(dir, f));
  if (mtime(out) >= newest(srcs)) return;
  sh('go', ['build', '-trimpath', '-o', out, '.'], {
    cwd: dir,
    env: { ...process.env, GOOS: os, GOARCH: arch, CGO_ENABLED: '0', GOFLAGS: '-mod=mod', GO111MODULE: 'off' },
  });
}

/** Builds everything for one os/arch; returns the error text, or undefined when all is built. */
export function build(os, arch, log = () => {}) {
  const dir = path.join(buildDir, `${os}-${arch}`);
  fs.mkdirSync(dir, { recursive: true });
  try {
    for (const n of cPrograms()) buildC(os, arch, n, path.join(dir, `c-${n}`));
    for (const n of goPrograms()) buildGo(os, arch, n, path.join(dir, `go-${n}`));
  } catch (e) {
    log(`build ${os}-${arch}: ${e.message}`);
    return e.message;
  }
  return undefined;
}

export const binary = (os, arch, prog) => path.join(buildDir, `${os}-${arch}`, prog);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const arch of ['amd64', 'arm64']) for (const os of ['freebsd', 'linux']) {
    const err = build(os, arch, console.error);
    console.log(`${os}-${arch}: ${err ? 'failed' : 'ok'}`);
  }
}
