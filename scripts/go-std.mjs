#!/usr/bin/env node
// Runs Go standard-library tests for FreeBSD under bsdemu:
//
//   GOOS=freebsd GOARCH=amd64 go test -short -count=1 -timeout T -exec <repo>/bin/bsdemu <pkg>
//
// one package at a time, for each --arch (amd64, arm64, or both: --arch amd64,arm64; one table column
// each), and records pass/fail and wall time (compile included). A package that fails under bsdemu is
// run again natively (GOOS=linux GOARCH=amd64, same flags) to tell "fails natively too" from a bsdemu
// problem. Writes docs/go-std-results.md (or --out FILE).
//
//   node scripts/go-std.mjs [--packages a,b,c | --subset] [--arch amd64[,arm64]] [--timeout 10m] [--jobs N]
//                           [--out FILE | --no-write] [--no-binfmt]
//
// --subset is a quick list for CI (each passes under bsdemu; < 60 s together). Exit status: 0 when every
// package passed under bsdemu or fails natively too, 1 otherwise.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bsdemu = path.join(root, 'bin', 'bsdemu');

export const FULL = [
  'strings', 'bytes', 'sort', 'strconv', 'unicode/utf8', 'math', 'math/big', 'fmt', 'encoding/json',
  'encoding/binary', 'encoding/base64', 'encoding/csv', 'regexp', 'compress/gzip', 'compress/flate',
  'archive/tar', 'archive/zip', 'crypto/sha256', 'crypto/aes', 'crypto/rand', 'hash/crc32',
  'container/heap', 'container/list', 'sync', 'sync/atomic', 'time', 'bufio', 'io', 'path/filepath',
  'text/template', 'errors', 'context', 'os', 'os/signal', 'runtime/debug',
];
// For CI (test/e2e/go-std.test.ts): packages that pass under bsdemu on both arches and together take
// about a minute for both (compilation included): threads, timers, signals (SIGURG preemption), atomics.
export const SUBSET = ['strings', 'strconv', 'fmt', 'bufio', 'context', 'sync/atomic', 'errors', 'container/list',
  'hash/crc32', 'encoding/base64', 'unicode/utf8', 'sort'];
const ARCHES = ['amd64', 'arm64'];

function usage(msg) {
  if (msg) console.error(`go-std: ${msg}`);
  console.error('usage: node scripts/go-std.mjs [--packages a,b,c | --subset] [--arch amd64[,arm64]] [--timeout 10m] [--jobs N] [--out FILE | --no-write] [--no-binfmt]');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { packages: FULL, arches: ['amd64'], timeout: '10m', jobs: 1, out: path.join(root, 'docs', 'go-std-results.md'), write: true, listName: 'full', binfmt: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    switch (flag) {
      case '--packages': o.packages = val().split(',').map((s) => s.trim()).filter(Boolean); o.listName = 'custom'; break;
      case '--subset': o.packages = SUBSET; o.listName = 'subset'; break;
      case '--arch': o.arches = val().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--timeout': o.timeout = val(); break;
      case '--jobs': o.jobs = Math.max(1, Number(val()) || 1); break;
      case '--out': o.out = path.resolve(val()); break;
      case '--no-write': o.write = false; break;
      case '--no-binfmt': o.binfmt = false; break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown option ${a}`);
    }
  }
  for (const a of o.arches) if (!ARCHES.includes(a)) usage(`--arch ${a}: bsdemu runs ${ARCHES.join(', ')} guests`);
  if (o.arches.length === 0) usage('no --arch');
  if (o.packages.length === 0) usage('no packages');
  return o;
}

/** "10m", "90s", "1h" → milliseconds. */
function durationMs(s) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(s);
  if (!m) usage(`bad duration ${s}`);
  return Number(m[1]) * { ms: 1, s: 1e3, m: 60e3, h: 3600e3 }[m[2]];
}

function goVersion() {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error('go-std: go not found; install the package: golang-go');
    process.exit(1);
  }
  return r.stdout.trim();
}

/** One `go test` run; resolves with {ok, ms, output}. A hard limit a minute past -timeout ends a hang. */
function goTest(pkg, goos, arch, timeout, exec) {
  // -v names the running test when a package hangs; -count=1 keeps the test cache out of the times.
  const args = ['test', '-v', '-short', '-count=1', `-timeout=${timeout}`, ...(exec ? ['-exec', exec] : []), pkg];
  const env = { ...process.env, GOOS: goos, GOARCH: arch, CGO_ENABLED: '0', GOPROXY: 'off', GOFLAGS: '' };
  for (const k of ['GODEBUG', 'GOMAXPROCS', 'GOGC']) delete env[k];
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn('go', args, { env, cwd: os.tmpdir(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const add = (d) => { if (output.length < 4_000_000) output += d; };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    let killed = false;
    const hard = setTimeout(() => {
      killed = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, durationMs(timeout) + 60_000);
    child.on('close', (code) => {
      clearTimeout(hard);
      resolve({ ok: code === 0 && !killed, ms: Date.now() - t0, output, killed });
    });
  });
}

/** The first failing test and why, from go test's output. */
export function reason(output, killed) {
  const lines = output.split('\n');
  if (killed) {
    const last = [...lines].reverse().find((l) => /^=== (RUN|CONT)\s/.test(l));
    return `hung (killed a minute after -timeout)${last ? ` in \`${last.replace(/^=== \w+\s+/, '').trim()}\`` : ''}`;
  }
  const find = (re) => lines.find((l) => re.test(l));
  const cut = (s, n = 110) => (s.length > n ? `${s.slice(0, n - 1)}…` : s).replace(/\|/g, '\\|').replace(/`/g, "'");
  const bits = [];
  const failTest = find(/^\s*--- FAIL: /);
  if (failTest) {
    const name = failTest.trim().replace(/^--- FAIL: /, '').replace(/ \(.*\)$/, '');
    // The first message under it (file.go:NN: ...).
    const i = lines.indexOf(failTest);
    const msg = lines.slice(i + 1, i + 6).map((l) => l.trim()).find((l) => /^\w[\w.]*\.go:\d+:/.test(l));
    bits.push(`\`${name}\`${msg ? `: ${cut(msg)}` : ''}`);
  }
  const timedOut = find(/^panic: test timed out after/);
  if (timedOut) {
    const running = lines.slice(lines.indexOf(timedOut)).find((l) => /^\s*Test\w+/.test(l) || /^goroutine \d+ \[.*\]:/.test(l));
    const runningTest = lines.find((l) => /^\s+(Test|Example|Benchmark)\w+ \(/.test(l));
    bits.push(`${cut(timedOut.trim())}${runningTest ? ` (running: \`${runningTest.trim().replace(/ \(.*/, '')}\`)` : running ? '' : ''}`);
  }
  const fatal = find(/^(fatal error: |panic: (?!test timed out)|unexpected fault address|runtime: )/);
  if (fatal && !timedOut) {
    const sig = find(/^\[signal /);
    bits.push(`${cut(fatal.trim())}${sig ? ` ${cut(sig.trim(), 80)}` : ''}`);
  }
  const emu = find(/^bsdemu: /);
  if (emu) bits.push(cut(emu.trim()));
  if (!bits.length) {
    const build = find(/\[(build|setup) failed\]/) || find(/^#/) || find(/cannot|error/i) || find(/^FAIL/) || lines.find((l) => l.trim());
    bits.push(cut((build ?? 'failed (no output)').trim()));
  }
  return bits.join('; ');
}

const fmtTime = (ms) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const version = goVersion();
  if (!fs.existsSync(path.join(root, 'dist', 'cli.js'))) {
    console.error('go-std: dist/ is missing; run npm run build first');
    process.exit(1);
  }
  console.log(`go-std: ${o.packages.length} packages, freebsd/${o.arches.join('+')} under bsdemu, -timeout ${o.timeout}, ${o.jobs} at a time (${version})`);
  // Some tests start a host program (/bin/sh, nohup) that executes the FreeBSD test binary itself: with
  // binfmt_misc (root), the host kernel hands it to bsdemu as on a machine with qemu-user-binfmt.
  const binfmt = o.binfmt ? await setUpBinfmt() : 'off (--no-binfmt)';
  console.log(`go-std: binfmt_misc: ${binfmt}`);
  const results = new Array(o.packages.length);
  let next = 0;
  const started = Date.now();
  async function worker() {
    for (;;) {
      const i = next++;
      if (i >= o.packages.length) return;
      const pkg = o.packages[i];
      const r = { pkg, emu: {}, why: {} };
      for (const arch of o.arches) {
        const emu = await goTest(pkg, 'freebsd', arch, o.timeout, bsdemu);
        r.emu[arch] = emu;
        r.why[arch] = emu.ok ? '' : reason(emu.output, emu.killed);
      }
      // The native reference is linux/amd64 for every guest arch (the host's own).
      if (o.arches.some((a) => !r.emu[a].ok)) r.native = await goTest(pkg, 'linux', 'amd64', o.timeout, undefined);
      results[i] = r;
      const nat = r.native ? `; native ${r.native.ok ? 'ok' : 'FAIL'}` : '';
      for (const arch of o.arches) {
        const emu = r.emu[arch];
        console.log(`${emu.ok ? 'ok  ' : 'FAIL'} ${pkg.padEnd(16)} ${arch.padEnd(5)} ${fmtTime(emu.ms).padStart(10)}${emu.ok ? '' : nat}${r.why[arch] ? `  ${r.why[arch]}` : ''}`);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(o.jobs, o.packages.length) }, worker));
  const total = Date.now() - started;

  // Counted per (package, arch) run.
  const runs = results.flatMap((r) => o.arches.map((a) => ({ ok: r.emu[a].ok, nativeFails: r.native !== undefined && !r.native.ok })));
  const passed = runs.filter((x) => x.ok).length;
  const bothFail = runs.filter((x) => !x.ok && x.nativeFails).length;
  const emuOnly = runs.length - passed - bothFail;
  console.log(`go-std: ${passed}/${runs.length} pass under bsdemu, ${emuOnly} fail only under bsdemu, ${bothFail} fail natively too (${fmtTime(total)})`);

  if (o.write) {
    const date = new Date().toISOString().slice(0, 10);
    const rows = results.map((r) => {
      const native = r.native ? (r.native.ok ? 'pass' : 'FAIL (fails natively too)') : '—';
      const cols = o.arches.map((a) => `${r.emu[a].ok ? 'pass' : '**FAIL**'} | ${fmtTime(r.emu[a].ms)}`).join(' | ');
      const why = o.arches.filter((a) => r.why[a]).map((a) => (o.arches.length > 1 ? `${a}: ${r.why[a]}` : r.why[a])).join('; ');
      return `| \`${r.pkg}\` | ${cols} | ${native} | ${why} |`;
    });
    const md = [
      '# Go standard library tests under bsdemu',
      '',
      `Measured ${date} with \`node scripts/go-std.mjs${o.listName === 'subset' ? ' --subset' : ''}${o.arches.join(',') !== 'amd64' ? ` --arch ${o.arches.join(',')}` : ''}${o.timeout !== '10m' ? ` --timeout ${o.timeout}` : ''}${o.jobs > 1 ? ` --jobs ${o.jobs}` : ''}\` (${version}, host ${os.cpus().length} CPUs).`,
      `Each package: \`GOOS=freebsd GOARCH=${o.arches.join('|')} go test -v -short -count=1 -timeout=${o.timeout} -exec <repo>/bin/bsdemu <pkg>\`;`,
      'time is wall time including compilation. A package that fails under bsdemu is also run natively',
      `(\`GOOS=linux\`, same flags); "—" means it was not needed. ${o.jobs > 1 ? `${o.jobs} packages ran at a time.` : ''}`.trimEnd(),
      `FreeBSD executables started by host programs (a test that runs \`/bin/sh -c <test binary>\`): binfmt_misc ${binfmt}.`,
      '',
      `**${passed}/${runs.length} pass under bsdemu**; ${emuOnly} fail only under bsdemu; ${bothFail} fail natively too. Total ${fmtTime(total)}.`,
      '',
      `| package | ${o.arches.map((a) => `bsdemu ${a} | time`).join(' | ')} | native (linux/amd64) | first failure / reason |`,
      `|---|${o.arches.map(() => '---|---|').join('')}---|---|`,
      ...rows,
      '',
    ].join('\n');
    fs.mkdirSync(path.dirname(o.out), { recursive: true });
    fs.writeFileSync(o.out, md);
    console.log(`go-std: wrote ${path.relative(process.cwd(), o.out) || o.out}`);
  }
  process.exit(emuOnly > 0 ? 1 : 0);
}

/** Registers bsdemu with binfmt_misc for this run when it can (removed at exit); says what it did. */
async function setUpBinfmt() {
  const { binfmtUsable, register, registered, unregister } = await import('./binfmt.mjs');
  if (registered().length === 2) return 'on (registered by `npm run binfmt -- register`)';
  if (!binfmtUsable()) return 'off (needs root and a mounted /proc/sys/fs/binfmt_misc)';
  const added = register('bsdemu-gostd');
  const drop = () => unregister(added);
  process.on('exit', drop);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { drop(); process.exit(130); });
  return 'on (registered for the run)';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
