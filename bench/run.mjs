#!/usr/bin/env node
// npm run bench [-- --quick] [-- --runs N] [-- --arch amd64,arm64] [-- --timeout S] [-- FILTER]
// npm run bench -- --render   (rewrite results.md from the last run's bench/build/results.json)
//
// Runs every benchmark program (bench/programs.mjs) under bsdemu (FreeBSD build), qemu-user (Linux build),
// natively (Linux build, host arch only) and, for compute, on raw Unicorn (bench/raw-unicorn.mjs).
// Runners alternate per round (A B C, then C B A, ...), several rounds; the table shows medians.
// Wall time is measured here around the child; peak RSS and CPU time (user + system, all threads) come
// from GNU time's %M %U %S. On a loaded machine CPU time is the steadier of the two.
// Writes bench/results.md unless a FILTER is given (a partial table would overwrite the full one):
// then it prints the table only; --write forces the file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchDir, binary, build } from './build.mjs';
import { programs, FILE_MB, RSS_SLACK_KB } from './programs.mjs';
import { renderResults } from './report.mjs';

const root = path.resolve(benchDir, '..');
const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const value = (f, d) => { const i = argv.indexOf(f); return i >= 0 ? argv[i + 1] : d; };
const quick = flag('--quick');
const runs = Number(value('--runs', quick ? 3 : 5));
const arches = value('--arch', 'amd64,arm64').split(',');
const filter = argv.filter((a, i) => !a.startsWith('--') && !['--runs', '--arch', '--timeout'].includes(argv[i - 1]))[0];
const writeFile = flag('--write') || !filter;

const HOST_ARCH = { x64: 'amd64', arm64: 'arm64' }[process.arch];
const QEMU = { amd64: 'qemu-x86_64', arm64: 'qemu-aarch64' };
// GNU time: `%M` is the child's peak resident set in KB (from wait4's ru_maxrss); %U %S its CPU seconds.
const GNU_TIME = fs.existsSync('/usr/bin/time') && /^\d+ [\d.]+ [\d.]+$/.test(spawnSync('/usr/bin/time', ['-f', '%M %U %S', 'true'], { encoding: 'utf8' }).stderr.trim()) ? '/usr/bin/time' : undefined;
/** A run taking longer than this is killed and counted as a failure (timeout). */
const TIMEOUT_S = Number(value('--timeout', 60));
const have = (cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;

function log(s) { process.stderr.write(s + '\n'); }

/** One run: wall seconds, peak RSS KB (or undefined), stdout. */
function measure(cmd, args) {
  const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}`);
  // coreutils timeout kills a hung run (SIGKILL: bsdemu forwards SIGTERM to a guest that may never take it).
  // GNU time still reports the peak RSS: wait4's ru_maxrss covers the waited-for descendants too.
  const limited = ['timeout', '-s', 'KILL', String(TIMEOUT_S), cmd, ...args];
  const full = GNU_TIME ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, ...limited]] : [limited[0], limited.slice(1)];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  let rss, cpu;
  if (GNU_TIME) {
    try {
      const [m, u, sy] = fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      rss = m; cpu = u + sy;
      fs.rmSync(rssFile);
    } catch { /* none */ }
  }
  const err = r.status === 137 && wall >= TIMEOUT_S ? `timed out after ${TIMEOUT_S} s\n${r.stderr}` : r.stderr;
  return { wall, rss, cpu, out: r.stdout, err, status: r.status };
}

function makeFile(mb) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bsdemu-bench-'));
  const f = path.join(dir, `data-${mb}M`);
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + (i >> 10)) & 0xff;
  const fd = fs.openSync(f, 'w');
  for (let i = 0; i < mb; i++) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  return { dir, file: f };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : undefined; };

/** Why arm64 (or any arch) cannot run under bsdemu now, or undefined when it can. */
function archUsable(arch) {
  const err = build('freebsd', arch, log) ?? build('linux', arch, log);
  if (err) return `build failed: ${err.split('\n')[0]}`;
  const r = spawnSync(process.execPath, [path.join(root, 'bin/bsdemu'), binary('freebsd', arch, 'c-hello')], { encoding: 'utf8' });
  if (r.status !== 0) return `bsdemu does not run FreeBSD/${arch} guests yet (${(r.stderr || '').trim().split('\n')[0]})`;
  if (!have(QEMU[arch])) return `${QEMU[arch]} missing (apt-get install qemu-user)`;
  return undefined;
}

function runArch(arch, data) {
  const runners = [
    { id: 'bsdemu', cmd: (p, a) => [process.execPath, [path.join(root, 'bin/bsdemu'), binary('freebsd', arch, p), ...a]] },
    { id: 'qemu', cmd: (p, a) => [QEMU[arch], [binary('linux', arch, p), ...a]] },
  ];
  if (HOST_ARCH === arch) runners.push({ id: 'native', cmd: (p, a) => [binary('linux', arch, p), a] });
  const rawRunner = { id: 'raw', cmd: (p, a) => [process.execPath, [path.join(benchDir, 'raw-unicorn.mjs'), binary('freebsd', arch, p), ...a]] };
  const rows = [];
  for (const prog of programs) {
    if (filter && !prog.name.includes(filter)) continue;
    const args = (quick && prog.quick ? prog.quick : prog.args).map((a) => (a === '$FILE' ? data.file : a));
    const list = prog.raw && arch === 'amd64' ? [...runners, rawRunner] : runners;
    const samples = Object.fromEntries(list.map((r) => [r.id, { wall: [], rss: [], cpu: [], bad: undefined }]));
    // One unmeasured run each first: the page cache, bsdemu's V8 code cache and the CPU caches warm up,
    // as for every run but a machine's very first. Start-up rows are cheap: more rounds (the noise of a
    // shared machine is larger than their differences).
    for (const r of list) { const [cmd, a] = r.cmd(prog.name, args); measure(cmd, a); }
    const rounds = prog.target.kind === 'startup' ? Math.max(runs, 11) : runs;
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? [...list].reverse() : list;
      for (const r of order) {
        const [cmd, a] = r.cmd(prog.name, args);
        const m = measure(cmd, a);
        const s = samples[r.id];
        if (m.status !== 0 || !prog.out.test(m.out)) {
          const lines = (m.out + m.err).trim().split('\n');
          const why = lines.find((l) => /Error|bsdemu:|timed out/.test(l)) ?? lines.slice(-2).join(' | ');
          s.bad ??= `exit ${m.status}: ${why.slice(0, 240)}`;
          continue;
        }
        s.wall.push(m.wall);
        if (m.rss !== undefined) s.rss.push(m.rss);
        if (m.cpu !== undefined) s.cpu.push(m.cpu);
      }
    }
    const row = { name: prog.name, args: args.map((a) => (a === data.file ? `<${quick ? FILE_MB.quick : FILE_MB.full} MiB file>` : a)).join(' '), target: prog.target, res: {} };
    for (const [id, s] of Object.entries(samples)) row.res[id] = { wall: median(s.wall), cpu: median(s.cpu), rss: s.rss.length ? Math.max(...s.rss) : undefined, n: s.wall.length, bad: s.bad, min: s.wall.length ? Math.min(...s.wall) : undefined, max: s.wall.length ? Math.max(...s.wall) : undefined };
    const fmt = (id) => row.res[id]?.wall !== undefined ? row.res[id].wall.toFixed(3) : (row.res[id]?.bad ? 'FAIL' : '-');
    log(`${arch} ${prog.name.padEnd(14)} bsdemu ${fmt('bsdemu')}  qemu ${fmt('qemu')}  native ${fmt('native')}${list.includes(rawRunner) ? `  raw ${fmt('raw')}` : ''}`);
    for (const [id, r] of Object.entries(row.res)) if (r.bad) log(`  ${id}: ${r.bad}`);
    rows.push(row);
  }
  return rows;
}

/** The measurements behind results.md, kept so the report can be re-rendered (`--render`) without rerunning. */
const rawFile = path.join(benchDir, 'build', 'results.json');

function main() {
  if (flag('--render')) {
    const m = JSON.parse(fs.readFileSync(rawFile, 'utf8'));
    fs.writeFileSync(path.join(benchDir, 'results.md'), renderResults(m));
    log('re-rendered bench/results.md from bench/build/results.json');
    return;
  }
  if (!fs.existsSync(path.join(root, 'dist/cli.js'))) {
    log('bench: dist/ missing, running npm run build');
    if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
  }
  // The floor under every bsdemu start-up: node itself starting and exiting (no module of ours loaded).
  const nodeFloor = { wall: [], cpu: [] };
  for (let i = 0; i < Math.max(runs, 11); i++) {
    const m = measure(process.execPath, ['-e', '0']);
    nodeFloor.wall.push(m.wall);
    if (m.cpu !== undefined) nodeFloor.cpu.push(m.cpu);
  }
  log(`node -e 0: median ${median(nodeFloor.wall).toFixed(3)} s wall`);
  const mb = quick ? FILE_MB.quick : FILE_MB.full;
  const data = makeFile(mb);
  const results = [];
  try {
    for (const arch of arches) {
      const why = arch === 'amd64' ? (build('freebsd', arch, log) ?? build('linux', arch, log)) : archUsable(arch);
      if (why) { log(`${arch}: skipped (${why})`); results.push({ arch, skipped: why }); continue; }
      results.push({ arch, rows: runArch(arch, data) });
    }
  } finally {
    fs.rmSync(data.dir, { recursive: true, force: true });
  }
  const m = { results, runs, nodeFloor: { wall: median(nodeFloor.wall), cpu: median(nodeFloor.cpu) }, quick, gnuTime: !!GNU_TIME, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, load: os.loadavg(), date: new Date().toISOString(), node: process.version, rssSlackKb: RSS_SLACK_KB };
  const md = renderResults(m);
  if (writeFile) {
    fs.writeFileSync(path.join(benchDir, 'results.md'), md);
    fs.writeFileSync(rawFile, JSON.stringify(m, null, 1));
    log('wrote bench/results.md (raw numbers: bench/build/results.json)');
  }
  else process.stdout.write(md);
  for (const r of results) if (r.skipped) console.log(`${r.arch}: skipped (${r.skipped})`);
}

main();
