// Process creation for guests: fork/vfork/rfork emulated as vfork, execve as a host spawn, wait4/wait6 on
// host children.
//
// A Node process cannot fork itself safely, so fork(2) saves the calling thread's registers and returns 0
// to a "child" that runs on the parent's memory, with the other guest threads frozen (the scheduler's
// `pinned`). The child's syscalls act on a copy of the descriptor table and on saved-and-restored process
// state (signal dispositions, its mask, cwd, umask, rlimits). At execve the child becomes a real host
// process: another bsdemu for a FreeBSD executable (options and guest state passed along), or the host
// program itself for a host-native one; then the parent's registers come back and fork returns the new
// host pid (the guest's pid is the host pid). An _exit before execve ends the child with that status
// (a zombie with a made-up pid that wait4 reaps). This is exactly the pattern of Go's forkAndExecInChild1
// (syscall/exec_freebsd.go) and of libc's posix_spawn (rfork(RFSPAWN)).
import koffi from 'koffi';
import { constants as osConstants } from 'node:os';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { Errno, E, hostErrno } from '../abi/errno.js';
import { addrOf, hostLibc } from '../host/libc.js';
import { parseElf, readExecutable } from '../loader/elf.js';
import type { UcContext } from '../cpu/unicorn.js';
import type { Process } from './process.js';
import type { FdEntry } from './fdtable.js';
import { SIG, SIG_IGN, SIG_DFL, NSIG, type SigAction } from './signals.js';
import { postSignal } from './sigdeliver.js';
import { kindOfHostFd, flagsOfHostFd } from './hostfd.js';

// ---- host libc ----

interface SpawnLib {
  posix_spawn(pid: Buffer, path: string, fa: Buffer, attr: Buffer, argv: Buffer, envp: Buffer): number;
  fa_init(fa: Buffer): number;
  fa_destroy(fa: Buffer): number;
  fa_adddup2(fa: Buffer, fd: number, newfd: number): number;
  fa_addclose(fa: Buffer, fd: number): number;
  attr_init(a: Buffer): number;
  attr_destroy(a: Buffer): number;
  attr_setflags(a: Buffer, flags: number): number;
  attr_setsigmask(a: Buffer, set: Buffer): number;
  attr_setsigdefault(a: Buffer, set: Buffer): number;
  attr_setpgroup(a: Buffer, pgid: number): number;
  sigemptyset(set: Buffer): number;
  sigaddset(set: Buffer, sig: number): number;
  waitpid(pid: number, status: Buffer, options: number): number;
  setsid(): number;
  setpgid(pid: number, pgid: number): number;
  getpgid(pid: number): number;
  getsid(pid: number): number;
  signal(sig: number, handler: number): number | bigint;
  kill(pid: number, sig: number): number;
  dup2(fd: number, to: number): number;
  setrlimit(res: number, lim: Buffer): number;
  getrlimit(res: number, lim: Buffer): number;
}
let lib: SpawnLib | undefined;
export function spawnLib(): SpawnLib {
  if (lib) return lib;
  const h = koffi.load(process.platform === 'darwin' ? 'libc.dylib' : 'libc.so.6');
  const f = (p: string) => h.func(p) as never;
  lib = {
    posix_spawn: f('int posix_spawn(_Out_ uint8_t *pid, const char *path, uint8_t *fa, uint8_t *attr, uint8_t *argv, uint8_t *envp)'),
    fa_init: f('int posix_spawn_file_actions_init(uint8_t *fa)'),
    fa_destroy: f('int posix_spawn_file_actions_destroy(uint8_t *fa)'),
    fa_adddup2: f('int posix_spawn_file_actions_adddup2(uint8_t *fa, int fd, int newfd)'),
    fa_addclose: f('int posix_spawn_file_actions_addclose(uint8_t *fa, int fd)'),
    attr_init: f('int posix_spawnattr_init(uint8_t *a)'),
    attr_destroy: f('int posix_spawnattr_destroy(uint8_t *a)'),
    attr_setflags: f('int posix_spawnattr_setflags(uint8_t *a, short flags)'),
    attr_setsigmask: f('int posix_spawnattr_setsigmask(uint8_t *a, uint8_t *set)'),
    attr_setsigdefault: f('int posix_spawnattr_setsigdefault(uint8_t *a, uint8_t *set)'),
    attr_setpgroup: f('int posix_spawnattr_setpgroup(uint8_t *a, int pgid)'),
    sigemptyset: f('int sigemptyset(uint8_t *set)'),
    sigaddset: f('int sigaddset(uint8_t *set, int sig)'),
    waitpid: f('int waitpid(int pid, _Out_ uint8_t *status, int options)'),
    setsid: f('int setsid(void)'),
    setpgid: f('int setpgid(int pid, int pgid)'),
    getpgid: f('int getpgid(int pid)'),
    getsid: f('int getsid(int pid)'),
    signal: f('uintptr_t signal(int sig, uintptr_t handler)'),
    kill: f('int kill(int pid, int sig)'),
    dup2: f('int dup2(int fd, int to)'),
    setrlimit: f('int setrlimit(int res, uint8_t *lim)'),
    getrlimit: f('int getrlimit(int res, _Out_ uint8_t *lim)'),
  };
  return lib;
}

/** Points a host descriptor at /dev/null (dup2), dropping what it held while keeping the number valid. */
export function detachHostFd(fd: number): void {
  try {
    const nul = openSync('/dev/null', 'r+');
    spawnLib().dup2(nul, fd);
    closeSync(nul);
  } catch { /* nothing better to do */ }
}

// glibc <spawn.h>
const POSIX_SPAWN_SETPGROUP = 0x02, POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSID = 0x80;
const HOST_WNOHANG = 1;
const HOST_F_DUPFD_CLOEXEC = 1030;
/** Linux pidfd_open (x86_64 and the generic table of aarch64 agree). */
const SYS_pidfd_open = 434;

/** Host signal number → FreeBSD (by name); host numbers without a FreeBSD name map to themselves. */
function signalFromHost(n: number): number {
  for (const [name, v] of Object.entries(osConstants.signals)) if (v === n && name in SIG) return SIG[name as keyof typeof SIG];
  return n;
}
/** FreeBSD signal number → host, or undefined when the host has no such signal. */
export function signalToHost(sig: number): number | undefined {
  for (const [name, v] of Object.entries(SIG)) if (v === sig) return (osConstants.signals as Record<string, number>)[name];
  return undefined;
}

/** A host wait status (Linux <bits/waitstatus.h>) as FreeBSD's (sys/sys/wait.h: the same layout, FreeBSD numbers). */
function statusFromHost(st: number): number {
  const low = st & 0x7f;
  if (low === 0) return st & 0xff00; // exited: code << 8
  if ((st & 0xff) === 0x7f) return 0x7f | (signalFromHost((st >> 8) & 0xff) << 8); // stopped
  return signalFromHost(low) | (st & 0x80); // killed (core flag 0x80)
}

// ---- per-process state ----

export interface Child {
  pid: number;
  /** Host process behind it; absent for a child that ended before execve. */
  host?: boolean;
  pidfd: number;
  /** FreeBSD wait status once it ended. */
  status?: number;
}

interface ForkChild {
  ctx: UcContext;
  pid: number;
  fds: (FdEntry | undefined)[];
  actions: SigAction[];
  mask: Uint32Array;
  cwd: string;
  umask: number;
  rlimits: [number, [bigint, bigint]][];
  setsid: boolean;
  pgid?: number;
  /** Guest pages around the stack pointer at the fork, put back when the parent resumes. */
  stack: [number, Buffer][];
}

/**
 * The child runs on the parent's stack: its calls overwrite return addresses and locals the parent still
 * needs (Go's RawSyscall returns through a slot that the child's next RawSyscall reuses). A real fork would
 * keep the child's writes private, so putting these pages back is exactly fork's semantics for them.
 */
const STACK_BELOW = 128 * 1024, STACK_ABOVE = 64 * 1024, PAGE = 4096;
function snapshotStack(proc: Process): [number, Buffer][] {
  const sp = Number(proc.cpu.sp());
  const out: [number, Buffer][] = [];
  const lo = Math.max(0, Math.floor((sp - STACK_BELOW) / PAGE) * PAGE);
  for (let a = lo; a < sp + STACK_ABOVE; a += PAGE) {
    if (proc.mem.accessible(a, PAGE, true)) out.push([a, proc.mem.read(a, PAGE)]);
  }
  return out;
}

class ProcState {
  readonly children = new Map<number, Child>();
  fork?: ForkChild;
  timer?: NodeJS.Timeout;
}
const states = new WeakMap<Process, ProcState>();
function state(proc: Process): ProcState {
  let s = states.get(proc);
  if (!s) states.set(proc, s = new ProcState());
  return s;
}

/** The pid getpid reports: the child's own (made-up until execve) while a fork child runs. */
export function currentPid(proc: Process): number {
  return states.get(proc)?.fork?.pid ?? proc.pid;
}
export function currentPpid(proc: Process): number {
  return states.get(proc)?.fork ? proc.pid : proc.ppid;
}
export function inForkChild(proc: Process): boolean {
  return states.get(proc)?.fork !== undefined;
}

/** Made-up pids for children that end before execve: counting down from FreeBSD's PID_MAX (99999). */
let fakePid = 99999;

// ---- fork ----

/** fork/vfork/rfork(RFPROC): start the vfork-style child; returns 0 (rv1 = 1, as FreeBSD's cpu_fork). */
export function forkBegin(proc: Process): number {
  const st = state(proc);
  if (st.fork) throw new Errno(E.EAGAIN); // a fork inside the child: not emulated
  const uc = proc.cpu.uc;
  const ctx = uc.contextAlloc();
  const t = proc.sched.current;
  // Registers written inside the syscall hook do not all stick (the pc moves on after it): save them once
  // the hook is over, past the fork instruction, and restore them the same way (as sigreturn does).
  t.resume = () => uc.contextSave(ctx);
  proc.sched.interruptCurrent();
  st.fork = {
    ctx, pid: fakePid--, stack: snapshotStack(proc),
    fds: proc.fds.forkCopy(),
    actions: proc.signals.actions.map((a) => ({ handler: a.handler, flags: a.flags, mask: a.mask.slice() })),
    mask: t.mask.w.slice(),
    cwd: process.cwd(),
    umask: proc.umask,
    rlimits: [...proc.rlimits].map(([k, v]) => [k, [v[0], v[1]]]),
    setsid: false,
  };
  proc.sched.pinned = t;
  return 0;
}

/** Ends the child: parent state and registers come back, fork returns `pid` in the parent. */
function forkEnd(proc: Process, pid: number): void {
  const st = state(proc);
  const f = st.fork!;
  st.fork = undefined;
  proc.fds.restore(f.fds);
  f.actions.forEach((a, i) => { proc.signals.actions[i] = a; });
  proc.sched.current.mask.set(f.mask);
  if (process.cwd() !== f.cwd) { try { process.chdir(f.cwd); } catch { /* parent's cwd gone */ } }
  proc.umask = f.umask;
  proc.rlimits.clear();
  for (const [k, v] of f.rlimits) proc.rlimits.set(k, v);
  proc.sched.pinned = undefined;
  for (const [a, b] of f.stack) { try { proc.mem.write(a, b); } catch { /* unmapped by the child */ } }
  const uc = proc.cpu.uc;
  proc.sched.current.resume = () => {
    uc.contextRestore(f.ctx);
    uc.contextFree(f.ctx);
    proc.cpu.completeSyscall(BigInt(pid), 0n, false);
  };
  proc.sched.interruptCurrent();
}

/** exit(2) in a fork child: a zombie with that status; the parent goes on. Returns false outside a child. */
export function forkChildExit(proc: Process, code: number): boolean {
  const st = states.get(proc);
  if (!st?.fork) return false;
  const pid = st.fork.pid;
  st.children.set(pid, { pid, pidfd: -1, status: (code & 0xff) << 8 });
  forkEnd(proc, pid);
  const info = { signo: SIG.SIGCHLD, code: CLD_EXITED, pid, uid: proc.uid, status: code & 0xff };
  setImmediate(() => { if (!proc.exit) postSignal(proc, info); });
  return true;
}

/** setsid/setpgid in a fork child: recorded for the spawn. Returns false outside a child. */
export function forkChildSetsid(proc: Process): number | undefined {
  const f = states.get(proc)?.fork;
  if (!f) return undefined;
  f.setsid = true;
  return f.pid;
}
export function forkChildSetpgid(proc: Process, pid: number, pgid: number): boolean {
  const f = states.get(proc)?.fork;
  if (!f || (pid !== 0 && pid !== f.pid)) return false;
  f.pgid = pgid === f.pid ? 0 : pgid;
  return true;
}

// ---- execve ----

interface Image { path: string; argv: string[]; bsdemu: boolean }

/** What to run for `path` (a guest path), or the errno FreeBSD's execve would give. */
function resolveImage(proc: Process, path: string, argv: string[], depth = 0): Image {
  if (path === '') throw new Errno(E.ENOENT);
  const host = proc.paths.toHost(path);
  let st;
  try { st = statSync(host); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Errno(code === 'ENOTDIR' ? E.ENOTDIR : code === 'EACCES' ? E.EACCES : code === 'ENAMETOOLONG' ? E.ENAMETOOLONG : code === 'ELOOP' ? E.ELOOP : E.ENOENT);
  }
  if (!st.isFile()) throw new Errno(E.EACCES);
  if (hostLibc().faccessat(-100, host, 1 /* X_OK */, 0) < 0) throw new Errno(E.EACCES);
  const head = Buffer.alloc(256);
  let n = 0;
  try {
    const fd = openSync(host, 'r');
    try { n = readSync(fd, head, 0, 256, 0); } finally { closeSync(fd); }
  } catch { throw new Errno(E.EACCES); }
  if (n >= 4 && head.readUInt32BE(0) === 0x7f454c46) {
    try {
      parseElf(host, readExecutable(host));
      return { path: host, argv, bsdemu: true };
    } catch { /* not a FreeBSD executable bsdemu can run */ }
    // A host program (no sysroot copy of it): run it natively, like the host paths the guest already sees.
    const machine = head.readUInt16LE(18);
    const hostMachine = process.arch === 'x64' ? 62 : process.arch === 'arm64' ? 183 : -1;
    if (head[4] === 2 && machine === hostMachine) return { path: host, argv, bsdemu: false };
    throw new Errno(E.ENOEXEC);
  }
  if (n >= 2 && head[0] === 0x23 && head[1] === 0x21 && depth === 0) {
    // "#!interpreter [one argument]" (sys/kern/imgact_shell.c): argv becomes interp [arg] path args...
    const line = head.subarray(2, n).toString('latin1').split('\n')[0].trim();
    const m = /^(\S+)(?:\s+(.*))?$/.exec(line);
    if (!m) throw new Errno(E.ENOEXEC);
    const interp = m[1];
    const args = [interp, ...(m[2] ? [m[2].trim()] : []), path, ...argv.slice(1)];
    try {
      return resolveImage(proc, interp, args, depth + 1);
    } catch (e) {
      throw e instanceof Errno && e.errno === E.ENOEXEC ? e : new Errno(E.ENOENT);
    }
  }
  throw new Errno(E.ENOEXEC);
}

/** Environment variable carrying guest state across an execve into another bsdemu (read by cli). */
export const INHERIT_ENV = 'BSDEMU_INHERIT';
interface Inherited { fds: number[]; mask: number[]; ign: number[] }

/** Spawns the image with the guest descriptor table `fds` as its fd layout; returns the host pid. */
function spawnHost(proc: Process, img: Image, argv0: string, envp: string[], opts: { setsid: boolean; pgid?: number }): number {
  const L = spawnLib();
  const layout = new Map<number, number>();
  for (const fd of proc.fds.list()) {
    const e = proc.fds.get(fd);
    if (!e.cloexec) layout.set(fd, e.file.hostFd);
  }
  const t = proc.sched.current;
  let file = img.path;
  let argv = [argv0, ...img.argv.slice(1)];
  let env = envp;
  if (img.bsdemu) {
    const ign: number[] = [];
    for (let s = 1; s <= NSIG; s++) if (proc.signals.actions[s]?.handler === SIG_IGN) ign.push(s);
    const inh: Inherited = { fds: [...layout.keys()], mask: [...t.mask.w], ign };
    const opt: string[] = [];
    if (proc.paths.root) opt.push('-L', proc.paths.root);
    if (proc.opts.debug.size) opt.push('-d', [...proc.opts.debug].join(','));
    if (proc.stackSize && proc.stackSize !== proc.cpu.info.defaultStackSize) opt.push('-s', String(proc.stackSize));
    if (opt.length || argv0 !== img.path || argv0.startsWith('-')) opt.push('-0', argv0);
    file = process.execPath;
    argv = [process.execPath, ...process.execArgv, process.argv[1], ...opt, img.path, ...img.argv.slice(1)];
    env = [...envp.filter((e) => !e.startsWith(INHERIT_ENV + '=')), `${INHERIT_ENV}=${JSON.stringify(inh)}`];
  }
  // The layout through temporary close-on-exec copies above every target, so no dup2 overwrites a source.
  const base = Math.max(3, ...layout.keys()) + 1;
  const tmps: number[] = [];
  const fa = Buffer.alloc(1024), attr = Buffer.alloc(1024), set = Buffer.alloc(256), dfl = Buffer.alloc(256);
  L.fa_init(fa);
  L.attr_init(attr);
  try {
    for (const [target, hostFd] of layout) {
      const tmp = hostLibc().fcntl(hostFd, HOST_F_DUPFD_CLOEXEC, base);
      if (tmp < 0) throw new Errno(hostErrno(koffi.errno()));
      tmps.push(tmp);
      L.fa_adddup2(fa, tmp, target);
    }
    for (let i = 0; i < 3; i++) if (!layout.has(i)) L.fa_addclose(fa, i);
    // A clean signal state for the new image: bsdemu gets the guest's through INHERIT_ENV; a host program
    // gets the guest mask and default dispositions (Node ignores SIGPIPE and SIGXFSZ; FreeBSD's exec keeps
    // only the guest's own ignores).
    L.sigemptyset(set);
    if (!img.bsdemu) for (let s = 1; s <= 31; s++) if (t.mask.has(s)) { const h = signalToHost(s); if (h) L.sigaddset(set, h); }
    L.sigemptyset(dfl);
    for (const name of ['SIGPIPE', 'SIGXFSZ'] as const) {
      if (img.bsdemu || proc.signals.actions[SIG[name]].handler !== SIG_IGN) L.sigaddset(dfl, osConstants.signals[name]);
    }
    let flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (opts.setsid) flags |= POSIX_SPAWN_SETSID;
    else if (opts.pgid !== undefined) { flags |= POSIX_SPAWN_SETPGROUP; L.attr_setpgroup(attr, opts.pgid); }
    L.attr_setflags(attr, flags);
    L.attr_setsigmask(attr, set);
    L.attr_setsigdefault(attr, dfl);
    const keep: Buffer[] = [];
    const vec = (strs: string[]): Buffer => {
      const v = Buffer.alloc((strs.length + 1) * 8);
      strs.forEach((s, i) => {
        const b = Buffer.from(s + '\0', 'utf8');
        keep.push(b);
        v.writeBigUInt64LE(BigInt(addrOf(b)), i * 8);
      });
      return v;
    };
    const pidBuf = Buffer.alloc(4);
    const r = L.posix_spawn(pidBuf, file, fa, attr, vec(argv), vec(env));
    if (r !== 0) throw new Errno(hostErrno(r));
    keep.length = 0;
    return pidBuf.readInt32LE(0);
  } finally {
    L.fa_destroy(fa);
    L.attr_destroy(attr);
    for (const tmp of tmps) hostLibc().close(tmp);
  }
}

/** Reads a NULL-terminated vector of C strings from guest memory (argv, envp). */
function readVector(proc: Process, addr: number): string[] {
  const out: string[] = [];
  if (!addr) return out;
  for (let i = 0; i < 262144; i++) {
    const p = proc.mem.readPtr(addr + i * 8);
    if (!p) return out;
    out.push(proc.mem.readCString(p, 262144));
  }
  throw new Errno(E.E2BIG);
}

/** execve(2): in a fork child, spawn and resume the parent; otherwise replace the guest (spawn, wait, exit). */
export function execve(proc: Process, pathAddr: number, argvAddr: number, envpAddr: number): void {
  const path = proc.mem.readCString(pathAddr, 1024);
  const argv = readVector(proc, argvAddr);
  const envp = readVector(proc, envpAddr);
  const img = resolveImage(proc, path, argv.length ? argv : [path]);
  const argv0 = img.argv === argv || argv.length === 0 ? (argv[0] ?? path) : img.argv[0];
  const st = state(proc);
  const f = st.fork;
  const pid = spawnHost(proc, img, argv0, envp, { setsid: f?.setsid ?? false, pgid: f?.pgid });
  if (f) {
    st.children.set(pid, { pid, host: true, pidfd: pidfdOpen(pid) });
    watch(proc);
    forkEnd(proc, pid);
    return;
  }
  // No fork: the guest becomes the new program. Wait here (the old image is gone) and end the same way.
  const buf = Buffer.alloc(4);
  let r: number;
  do { r = spawnLib().waitpid(pid, buf, 0); } while (r < 0 && hostErrno(koffi.errno()) === E.EINTR);
  const s = statusFromHost(buf.readInt32LE(0));
  proc.exitWith((s & 0x7f) === 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f));
}

function pidfdOpen(pid: number): number {
  if (process.platform !== 'linux') return -1;
  const r = Number(hostLibc().syscall4(SYS_pidfd_open, pid, 0, 0));
  return r >= 0 ? r : -1;
}

// sys/sys/signal.h CLD_*
const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;

/** Collects a host child's status if it ended (posting SIGCHLD); true when it has a status. */
function reapHost(proc: Process, c: Child): boolean {
  if (c.status !== undefined) return true;
  if (!c.host) return false;
  const buf = Buffer.alloc(4);
  const r = spawnLib().waitpid(c.pid, buf, HOST_WNOHANG);
  if (r === 0) return false;
  if (r < 0 && hostErrno(koffi.errno()) !== E.ECHILD) return false;
  c.status = r < 0 ? 0 : statusFromHost(buf.readInt32LE(0));
  if (c.pidfd >= 0) { hostLibc().close(c.pidfd); c.pidfd = -1; }
  const sig = c.status & 0x7f;
  // Posted from the event loop: this runs inside wait checks (the scheduler's poll, a syscall), where a
  // signal that interrupts the waiting thread would pull its wait away mid-way.
  const info = {
    signo: SIG.SIGCHLD, code: sig === 0 ? CLD_EXITED : c.status & 0x80 ? CLD_DUMPED : CLD_KILLED,
    pid: c.pid, uid: proc.uid, status: sig === 0 ? (c.status >> 8) & 0xff : sig,
  };
  setImmediate(() => { if (!proc.exit) postSignal(proc, info); });
  return true;
}

/** While host children run, look for their end now and then so SIGCHLD arrives without a wait4. */
function watch(proc: Process): void {
  const st = state(proc);
  if (st.timer) return;
  st.timer = setInterval(() => {
    let live = 0;
    for (const c of st.children.values()) if (!reapHost(proc, c)) live++;
    if (!live) { clearInterval(st.timer); st.timer = undefined; }
  }, 20);
  st.timer.unref();
}

// ---- wait4 / wait6 ----

// sys/sys/wait.h
export const WNOHANG = 1, WUNTRACED = 2, WCONTINUED = 4, WNOWAIT = 8, WEXITED = 16, WTRAPPED = 32;
// sys/sys/wait.h idtype_t
const P_PID = 0, P_PGID = 2, P_ALL = 7;

export interface WaitOut { statusAddr: number; rusageAddr: number; wrusage: boolean; infoAddr: number }

/**
 * kern_wait6: the children `match` selects; one that ended is reported (and reaped unless WNOWAIT).
 * Blocks the thread until one ends unless WNOHANG. Returns the pid, 0 (WNOHANG, none ended yet).
 */
export function wait(proc: Process, match: (c: Child) => boolean, options: number, out: WaitOut): number | undefined {
  const st = state(proc);
  const mine = () => [...st.children.values()].filter(match);
  if (mine().length === 0) throw new Errno(E.ECHILD);
  const report = (c: Child): number => {
    const s = c.status!;
    if (out.statusAddr) proc.mem.writeU32(out.statusAddr, s);
    if (out.rusageAddr) proc.mem.write(out.rusageAddr, Buffer.alloc(out.wrusage ? 288 : 144));
    if (out.infoAddr) {
      const sig = s & 0x7f;
      const code = sig === 0 ? CLD_EXITED : s & 0x80 ? CLD_DUMPED : CLD_KILLED;
      const b = Buffer.alloc(80); // siginfo_t on LP64 (sys/sys/signal.h)
      b.writeInt32LE(SIG.SIGCHLD, 0); b.writeInt32LE(code, 8); b.writeInt32LE(c.pid, 12);
      b.writeInt32LE(proc.uid, 16); b.writeInt32LE(sig === 0 ? (s >> 8) & 0xff : sig, 20);
      proc.mem.write(out.infoAddr, b);
    }
    if (!(options & WNOWAIT)) st.children.delete(c.pid);
    return c.pid;
  };
  const done = () => mine().find((c) => reapHost(proc, c));
  const now = done();
  if (now) return report(now);
  if (!(options & WEXITED)) throw new Errno(E.EINVAL);
  if (options & WNOHANG) return 0;
  const fds = mine().map((c) => c.pidfd);
  proc.sched.block({
    ready: () => done() !== undefined || mine().length === 0,
    hostFds: fds.every((fd) => fd >= 0) ? fds.map((fd) => ({ fd, events: 1 })) : undefined,
    restartable: true,
    complete: (why) => {
      if (why === 'interrupted') return { value: BigInt(E.EINTR), errno: E.EINTR };
      const c = done();
      if (!c) return { value: BigInt(E.ECHILD), errno: E.ECHILD };
      try { return { value: BigInt(report(c)) }; } catch (e) {
        const errno = e instanceof Errno ? e.errno : E.EFAULT;
        return { value: BigInt(errno), errno };
      }
    },
  });
  return undefined;
}

/** wait4's pid argument as a filter: -1 any, >0 that one, 0 / <-1 a process group (all ours, here). */
export const waitPidMatch = (pid: number) => (c: Child) => pid <= 0 || pid < -1 ? true : c.pid === pid;

/** wait6's (idtype, id) as a filter; EINVAL for kinds we cannot tell apart. */
export function waitIdMatch(idtype: number, id: number): (c: Child) => boolean {
  if (idtype === P_PID) return (c) => c.pid === id;
  if (idtype === P_ALL || idtype === P_PGID) return () => true;
  throw new Errno(E.EINVAL);
}

/** kill(2) aimed at a child that already ended (a zombie): accepted, no effect. */
export function isZombie(proc: Process, pid: number): boolean {
  const c = states.get(proc)?.children.get(pid);
  return c !== undefined && reapHost(proc, c);
}

// ---- the spawned bsdemu's side (cli) ----

/** Takes the inherited guest state out of the environment the new guest would see. */
export function takeInherited(env: Map<string, string>): Inherited | undefined {
  const ign = takeHostIgnored(env);
  const v = env.get(INHERIT_ENV);
  if (v === undefined) return ign.length ? { fds: [0, 1, 2], mask: [], ign } : undefined;
  env.delete(INHERIT_ENV);
  try { return JSON.parse(v) as Inherited; } catch { return undefined; }
}

/** Set by bin/bsdemu-binfmt: the host signals ignored when bsdemu was executed (Linux SigIgn, hex). */
export const HOST_SIGIGN_ENV = 'BSDEMU_HOST_SIGIGN';

/**
 * Host signals that were ignored at exec, as FreeBSD numbers: execve keeps SIG_IGN (nohup relies on it),
 * but Node resets every disposition when it starts, so a shell wrapper reads them first.
 */
function takeHostIgnored(env: Map<string, string>): number[] {
  const v = env.get(HOST_SIGIGN_ENV);
  if (v === undefined) return [];
  env.delete(HOST_SIGIGN_ENV);
  if (!/^[0-9a-fA-F]{1,16}$/.test(v)) return [];
  const mask = BigInt('0x' + v);
  const out: number[] = [];
  for (const [name, hostNr] of Object.entries(osConstants.signals)) {
    const fb = (SIG as Record<string, number>)[name];
    if (fb !== undefined && hostNr >= 1 && hostNr <= 64 && (mask >> BigInt(hostNr - 1)) & 1n) out.push(fb);
  }
  return out;
}

/** Applies it: descriptors beyond stdio, closed stdio, the signal mask and ignored signals (kern_exec.c keeps them). */
export function applyInherited(proc: Process, inh: Inherited): void {
  for (const fd of [0, 1, 2]) if (!inh.fds.includes(fd) && proc.fds.has(fd)) proc.fds.close(fd);
  for (const fd of inh.fds) {
    if (fd < 3 || proc.fds.has(fd)) continue;
    try {
      proc.fds.installAt(fd, { hostFd: fd, flags: flagsOfHostFd(fd), kind: kindOfHostFd(fd), refs: 1 }, false);
      hostLibc().fcntl(fd, 2 /* F_SETFD */, 1 /* FD_CLOEXEC */);
    } catch { /* not open after all */ }
  }
  if (Array.isArray(inh.mask)) proc.sched.current.mask.set(inh.mask);
  proc.sched.current.mask.sanitize();
  for (const s of inh.ign ?? []) {
    if (s > 0 && s <= NSIG && s !== SIG.SIGKILL && s !== SIG.SIGSTOP) proc.signals.actions[s] = { handler: SIG_IGN, flags: 0, mask: new Uint32Array(4) };
  }
}

/**
 * A spawned bsdemu whose guest died of a signal dies of the same host signal, so the parent guest's wait
 * sees WIFSIGNALED as on FreeBSD. No core file (the host's would be the emulator's). Returns only when
 * the signal did not end the process.
 */
export function dieLikeGuest(sig: number): void {
  const h = signalToHost(sig);
  if (h === undefined) return;
  const L = spawnLib();
  L.setrlimit(4 /* RLIMIT_CORE */, Buffer.alloc(16));
  L.signal(h, Number(SIG_DFL));
  L.kill(process.pid, h);
}
