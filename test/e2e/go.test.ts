// Differential tests for Go guests: each program in guest-binaries/go/<name> is built by
// scripts/build-guests.mjs for freebsd/amd64 and freebsd/arm64 (each run under bin/bsdemu) and for
// linux/amd64 (run natively, the reference), and both runs get the same arguments, stdin and
// environment. Stdout and the exit status must be the same; for `panic`, stderr must start with the
// same `panic:` line.
//
// A test that cannot pass yet because bsdemu lacks something is `it.fails`, with a comment naming the
// missing piece: when bsdemu gains it, the test starts "failing" and must become a normal `it`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertNoStackTrace, root, runAsync, type RunResult } from '../helpers.js';

const goBuild = join(root, 'guest-binaries', 'build', 'go');
/** GOARCH of the FreeBSD builds; every case runs on each. */
const GOARCHES = ['amd64', 'arm64'] as const;
type GoArch = (typeof GOARCHES)[number];
const freebsd = (arch: GoArch, name: string) => join(goBuild, `freebsd-${arch}`, name);
const linux = (name: string) => join(goBuild, 'linux-amd64', name);

interface Case {
  name: string;
  args?: string[];
  stdin?: string;
  env?: Record<string, string>;
  /** Pass a fresh empty temporary directory as the first argument (a separate one for each run). */
  dir?: boolean;
  /** Compare the first line of stderr too (the `panic:` line). */
  panicLine?: boolean;
  /** Run this many times; every run must match (multi-threaded programs: one lucky run proves little). */
  repeat?: number;
  /** Time limit of the run under bsdemu. */
  timeoutMs?: number;
}

// The same environment for both runs (bsdemu passes its own to the guest), without the caller's
// settings that change Go's runtime behaviour.
function envFor(c: Case): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['GODEBUG', 'GOMAXPROCS', 'GOGC', 'GOMEMLIMIT', 'GOTRACEBACK']) delete env[k];
  return { ...env, ...c.env };
}

async function runBoth(c: Case, arch: GoArch): Promise<{ emu: RunResult; native: RunResult }> {
  const dirs: string[] = [];
  const argsFor = () => {
    if (!c.dir) return c.args ?? [];
    const d = mkdtempSync(join(tmpdir(), `bsdemu-go-${c.name}-`));
    dirs.push(d);
    return [d, ...(c.args ?? [])];
  };
  try {
    const env = envFor(c);
    const emu = await runAsync([freebsd(arch, c.name), ...argsFor()], { env, input: c.stdin ?? '', timeout: c.timeoutMs ?? 90_000, killSignal: 'SIGKILL' });
    const n = spawnSync(linux(c.name), argsFor(), { env, input: c.stdin ?? '', encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
    const native = { stdout: String(n.stdout), stderr: String(n.stderr), status: n.status, signal: n.signal };
    // The programs clean up after themselves.
    for (const d of dirs) expect(readdirSync(d)).toEqual([]);
    return { emu, native };
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

async function checkArch(c: Case, arch: GoArch): Promise<void> {
  for (let i = 0; i < (c.repeat ?? 1); i++) await checkOnce(c, arch);
}

async function checkOnce(c: Case, arch: GoArch): Promise<void> {
  const { emu, native } = await runBoth(c, arch);
  assertNoStackTrace(emu.stderr);
  expect(native.status, `native run failed: ${native.stderr}`).not.toBeNull();
  expect(emu.stdout).toBe(native.stdout);
  if (c.panicLine) {
    const first = (s: string) => s.split('\n')[0];
    expect(first(native.stderr)).toMatch(/^panic: /);
    expect(first(emu.stderr)).toBe(first(native.stderr));
  }
  expect({ status: emu.status, stderr: emu.status === native.status ? '' : emu.stderr })
    .toEqual({ status: native.status, stderr: '' });
}

const FILTER_INPUT = 'hello, world\nMixed Case line\n\n  indented ünïcödé\nlast line without newline';

describe.each(GOARCHES)('Go guests (freebsd/%s under bsdemu vs linux/amd64 native)', (arch) => {
  const check = (c: Case) => checkArch(c, arch);

  it('hello', () => check({ name: 'hello', args: ['one', 'two words'] }));

  it('panic: exit status 2 and the panic line on stderr', () => check({ name: 'panic', panicLine: true }));

  it('filter: stdin to stdout with bufio', () => check({ name: 'filter', stdin: FILTER_INPUT }));

  it('filter: empty stdin', () => check({ name: 'filter', stdin: '' }));

  it('files: MkdirTemp, WriteFile, ReadDir, Rename, Stat, Chmod, Remove, Getwd', () => check({ name: 'files', dir: true }));

  it('locks: Flock, Mkfifo, Utimes, Futimes', () => check({ name: 'locks', dir: true }));

  it('timers: Sleep, After, Ticker, AfterFunc (kqueue/kevent timeouts)', () => check({ name: 'timers' }));

  it('signal: signal.Notify(SIGUSR1) and kill(getpid(), SIGUSR1)', () => check({ name: 'signal' }));

  it('nilderef: SIGSEGV becomes a recoverable runtime error', () => check({ name: 'nilderef' }));

  // fork+execve of itself through os/exec: pipes, environment, exit code, ExtraFiles, getppid, a child
  // killed by SIGTERM, exec errors.
  it('procs: os/exec and os.StartProcess', () => check({ name: 'procs', timeoutMs: 60_000 }));

  // TCP over 127.0.0.1 and [::1] (a host without ::1 prints "listen unavailable" in both runs), UDP, a unix
  // socket in the temporary directory, net/http/httptest, a refused connect.
  it('netsock: TCP/UDP/unix sockets and httptest (kqueue netpoller)', () => check({ name: 'netsock', dir: true, timeoutMs: 60_000 }));

  // Several busy threads at once; three good runs in a row.
  it('goroutines: 64 goroutines, channels, WaitGroup, Mutex', () => check({ name: 'goroutines', repeat: 3, timeoutMs: 60_000 }));

  // Four busy threads, stop-the-world GCs (SIGURG preemption of running goroutines), heap growth by
  // MAP_FIXED over reservations: twice.
  it('gcheavy: allocation and runtime.GC on GOMAXPROCS=4', () => check({ name: 'gcheavy', repeat: 2, timeoutMs: 120_000 }), 300_000);
});
