#!/usr/bin/env node
// Builds the freestanding FreeBSD guest programs used by bsdemu's tests, for amd64 and aarch64.
//
//   guest-binaries/src/<name>.c  ->  guest-binaries/build/{amd64,aarch64}/<name>
//   guest-binaries/src/hello.c   ->  guest-binaries/demo/hello-{amd64,aarch64} (committed, reproducible)
//
// Needs clang and ld.lld (Debian: apt-get install clang lld). No FreeBSD sysroot:
// the programs link only against guest-binaries/runtime/. Rebuilds only what is
// older than its sources. Prints one line per program built.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const gb = path.join(root, 'guest-binaries');
const srcDir = path.join(gb, 'src');
const rtDir = path.join(gb, 'runtime');
const force = process.argv.includes('--force');

// Per architecture: clang target and the lld emulation. A `_fbsd` emulation makes lld write
// EI_OSABI = 9 (FreeBSD); crt0.S adds the .note.tag ABI note as well. lld gives aarch64 segments its
// 64 KiB maximum page size as p_align, like Go's arm64 binaries: the loader must cope.
const ARCHES = [
  { name: 'amd64', target: 'x86_64-unknown-freebsd14', emulation: 'elf_x86_64_fbsd' },
  { name: 'aarch64', target: 'aarch64-unknown-freebsd14', emulation: 'aarch64elf_fbsd' },
];

const cflagsFor = (arch) => [
  `--target=${arch.target}`,
  '-ffreestanding', '-fno-builtin', '-nostdlib', '-nostdlibinc',
  '-O2', '-g0', '-std=gnu11', '-Wall', '-Wno-unused-function',
  '-fno-stack-protector', '-fno-pic', '-fno-pie',
  '-fno-asynchronous-unwind-tables', '-fno-unwind-tables', '-fno-ident',
  '-ffunction-sections', '-fdata-sections',
  '-I', rtDir,
];
// No build id, no PT_INTERP, non-PIE static.
const ldflagsFor = (arch) => [
  '-m', arch.emulation, '-static', '--no-pie', '-nostdlib', '-e', '_start',
  '--build-id=none', '-z', 'noexecstack', '--gc-sections', '--no-undefined',
];

function have(cmd) {
  const r = spawnSync(cmd, ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

function ensureTools() {
  const missing = ['clang', 'ld.lld'].filter((c) => !have(c));
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.log(`build-guests: missing ${missing.join(' and ')}; install the packages: clang lld (e.g. sudo apt-get install -y clang lld)`);
    process.exit(1);
  }
  console.log('build-guests: installing clang lld with apt-get');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'clang', 'lld']]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0) {
      console.log(`build-guests: apt-get ${args[0]} failed; install the packages: clang lld`);
      process.exit(1);
    }
  }
  const still = ['clang', 'ld.lld'].filter((c) => !have(c));
  if (still.length) {
    console.log(`build-guests: ${still.join(' and ')} still missing after apt-get; install the packages: clang lld`);
    process.exit(1);
  }
}

const mtime = (f) => { try { return fs.statSync(f).mtimeMs; } catch { return -1; } };
const newest = (files) => Math.max(...files.map(mtime));

function run(cmd, args, cwd = root) {
  try {
    execFileSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    console.error(`build-guests: failed: ${cmd} ${args.join(' ')}`);
    process.exit(1);
  }
}

// Relative paths keep absolute directories out of every output.
const rel = (f) => path.relative(root, f);

function compile(CFLAGS, src, obj, deps) {
  if (!force && mtime(obj) >= newest([src, ...deps])) return;
  run('clang', [...CFLAGS, '-c', rel(src), '-o', rel(obj)]);
}

function main() {
  ensureTools();
  let built = 0;
  for (const arch of ARCHES) built += buildArch(arch);
  if (built === 0) console.log('guest binaries up to date');
}

function buildArch(arch) {
  const CFLAGS = cflagsFor(arch);
  const LDFLAGS = ldflagsFor(arch);
  const outDir = path.join(gb, 'build', arch.name);
  const objDir = path.join(outDir, 'obj');
  const demoOut = path.join(gb, 'demo', `hello-${arch.name}`);
  fs.mkdirSync(objDir, { recursive: true });
  fs.mkdirSync(path.dirname(demoOut), { recursive: true });

  const headers = fs.readdirSync(rtDir).filter((f) => f.endsWith('.h')).map((f) => path.join(rtDir, f));
  const scriptSelf = fileURLToPath(import.meta.url);
  const common = [...headers, scriptSelf];

  const rtSources = ['crt0.S', 'syscall.c', 'rt.c'];
  const rtObjs = rtSources.map((s) => {
    const src = path.join(rtDir, s);
    const obj = path.join(objDir, `rt-${path.basename(s).replace(/\.[cS]$/, '')}.o`);
    compile(CFLAGS, src, obj, common);
    return obj;
  });

  const programs = fs.readdirSync(srcDir).filter((f) => f.endsWith('.c')).sort();
  let built = 0;
  for (const file of programs) {
    const name = file.slice(0, -2);
    const src = path.join(srcDir, file);
    const obj = path.join(objDir, `${name}.o`);
    const out = path.join(outDir, name);
    compile(CFLAGS, src, obj, common);
    if (!force && mtime(out) >= newest([obj, ...rtObjs])) continue;
    run('ld.lld', [...LDFLAGS, '-o', rel(out), ...rtObjs.map(rel), rel(obj)]);
    console.log(`built ${rel(out)}`);
    built++;
  }

  // A static PIE (ET_DYN without PT_INTERP) of hello, for the loader's load-bias path. The runtime does
  // not relocate itself, so the build must leave no dynamic relocations (checked by the e2e test).
  const pieDir = path.join(objDir, 'pie');
  fs.mkdirSync(pieDir, { recursive: true });
  const PIE_CFLAGS = CFLAGS.map((f) => (f === '-fno-pic' ? '-fPIE' : f === '-fno-pie' ? '-fPIE' : f));
  const pieObjs = [...rtSources.map((s) => path.join(rtDir, s)), path.join(srcDir, 'hello.c')].map((src) => {
    const obj = path.join(pieDir, path.basename(src).replace(/\.[cS]$/, '.o'));
    if (force || mtime(obj) < newest([src, ...common])) run('clang', [...PIE_CFLAGS, '-c', rel(src), '-o', rel(obj)]);
    return obj;
  });
  const pieOut = path.join(outDir, 'hello-pie');
  if (force || mtime(pieOut) < newest(pieObjs)) {
    const pieLd = LDFLAGS.filter((f) => f !== '--no-pie' && f !== '-static');
    run('ld.lld', [...pieLd, '-pie', '--no-dynamic-linker', '-z', 'notext', '-o', rel(pieOut), ...pieObjs.map(rel)]);
    console.log(`built ${rel(pieOut)}`);
    built++;
  }

  // The committed demo: hello, stripped. Same bytes on every build.
  const helloObj = path.join(objDir, 'hello.o');
  if (force || mtime(demoOut) < newest([helloObj, ...rtObjs])) {
    const tmp = `${demoOut}.tmp`;
    run('ld.lld', [...LDFLAGS, '--strip-all', '-o', rel(tmp), ...rtObjs.map(rel), rel(helloObj)]);
    const fresh = fs.readFileSync(tmp);
    let old = null;
    try { old = fs.readFileSync(demoOut); } catch { /* first build */ }
    if (old && Buffer.compare(old, fresh) === 0) {
      fs.rmSync(tmp);
      const now = new Date();
      fs.utimesSync(demoOut, now, now);
    } else {
      fs.renameSync(tmp, demoOut);
      fs.chmodSync(demoOut, 0o755);
      console.log(`built ${rel(demoOut)}`);
      built++;
    }
  }
  return built;
}

// ---- Go guests ----------------------------------------------------------------------------------
//   guest-binaries/go/<name>/*.go  ->  guest-binaries/build/go/freebsd-amd64/<name>   (run under bsdemu)
//                                  ->  guest-binaries/build/go/freebsd-arm64/<name>   (run under bsdemu)
//                                  ->  guest-binaries/build/go/linux-amd64/<name>     (native reference)
// One module (guest-binaries/go/go.mod), standard library only. CGO_ENABLED=0, -trimpath. Offline:
// GOPROXY=off and -mod=mod never reach the network (there is nothing to download). GOCACHE/GOPATH keep
// their defaults. Needs `go` (Debian: golang-go).
const goDir = path.join(gb, 'go');
const goTargets = [['freebsd', 'amd64'], ['freebsd', 'arm64'], ['linux', 'amd64']];

function ensureGo() {
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.log('build-guests: missing go; install the package: golang-go (e.g. sudo apt-get install -y golang-go)');
    process.exit(1);
  }
  console.log('build-guests: installing golang-go with apt-get');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'golang-go']]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0) {
      console.log(`build-guests: apt-get ${args[0]} failed; install the package: golang-go`);
      process.exit(1);
    }
  }
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    console.log('build-guests: go still missing after apt-get; install the package: golang-go');
    process.exit(1);
  }
}

function buildGo() {
  if (!fs.existsSync(path.join(goDir, 'go.mod'))) return;
  const names = fs.readdirSync(goDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.readdirSync(path.join(goDir, d.name)).some((f) => f.endsWith('.go')))
    .map((d) => d.name).sort();
  const srcs = (name) => fs.readdirSync(path.join(goDir, name)).filter((f) => f.endsWith('.go')).map((f) => path.join(goDir, name, f));
  const common = [path.join(goDir, 'go.mod')];
  const plan = goTargets.map(([goos, goarch]) => {
    const out = path.join(gb, 'build', 'go', `${goos}-${goarch}`);
    const stale = names.filter((n) => force || mtime(path.join(out, n)) < newest([...srcs(n), ...common]));
    return { goos, goarch, out, stale };
  });
  if (plan.every((p) => p.stale.length === 0)) {
    console.log('go guest binaries up to date');
    return;
  }
  ensureGo();
  for (const { goos, goarch, out, stale } of plan) {
    if (stale.length === 0) continue;
    fs.mkdirSync(out, { recursive: true });
    const env = { ...process.env, GOOS: goos, GOARCH: goarch, CGO_ENABLED: '0', GOPROXY: 'off', GOFLAGS: '-mod=mod', GO111MODULE: 'on' };
    // With -o naming an existing directory, one go build writes every listed main package there.
    const args = ['build', '-trimpath', '-o', path.relative(goDir, out) + path.sep, ...stale.map((n) => `./${n}`)];
    const r = spawnSync('go', args, { cwd: goDir, env, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) {
      console.error(`build-guests: failed: GOOS=${goos} GOARCH=${goarch} go ${args.join(' ')}`);
      process.exit(1);
    }
    for (const n of stale) {
      // go build leaves the mtime of an unchanged binary alone; touch it so the staleness check holds.
      const now = new Date();
      fs.utimesSync(path.join(out, n), now, now);
      console.log(`built ${rel(path.join(out, n))}`);
    }
  }
}

main();
buildGo();
