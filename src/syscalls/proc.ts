// Process identity, limits, exit and kill (QEMU: bsd-user/freebsd/os-proc.h).
import { constants as osConstants } from 'node:os';
import { Errno, E } from '../abi/errno.js';
import { NSIG, SI, signalName } from '../kernel/signals.js';
import { postSignal } from '../kernel/sigdeliver.js';
import type { Process } from '../kernel/process.js';
import type { Thread } from '../kernel/threads.js';
import { int, ptr } from './args.js';
import {
  currentPid, currentPpid, execve, forkBegin, forkChildExit, forkChildSetpgid, forkChildSetsid, inForkChild, isZombie,
  spawnLib, wait, waitIdMatch, waitPidMatch, WEXITED, WNOHANG, WUNTRACED, WCONTINUED, WNOWAIT, WTRAPPED,
} from '../kernel/spawn.js';
import { hostErrno } from '../abi/errno.js';
import koffi from 'koffi';
import { MAXFILESPERPROC } from './sysctl.js';
import { sys, JUST_RETURN, type SyscallDef } from './types.js';

// sys/sys/resource.h
export const RLIMIT = { CPU: 0, FSIZE: 1, DATA: 2, STACK: 3, CORE: 4, RSS: 5, MEMLOCK: 6, NPROC: 7, NOFILE: 8,
  SBSIZE: 9, VMEM: 10, NPTS: 11, SWAP: 12, KQUEUES: 13, UMTXP: 14, PIPEBUF: 15 } as const;
const RLIM_NLIMITS = 16;
export const RLIM_INFINITY = 0x7fffffffffffffffn;

/** The host's hard RLIMIT_NOFILE (Linux RLIMIT_NOFILE 7), at most kern.maxfilesperproc. */
function hostNofileMax(): number {
  const b = Buffer.alloc(16);
  if (spawnLib().getrlimit(process.platform === 'darwin' ? 8 : 7, b) !== 0) return 0;
  const max = b.readBigUInt64LE(8);
  return Number(max > BigInt(MAXFILESPERPROC) ? BigInt(MAXFILESPERPROC) : max);
}

/** Limits a fresh FreeBSD/amd64 login gets (login.conf defaults under GENERIC). */
export function initialRlimits(proc: Process): void {
  const inf: [bigint, bigint] = [RLIM_INFINITY, RLIM_INFINITY];
  for (let i = 0; i < RLIM_NLIMITS; i++) proc.rlimits.set(i, inf);
  proc.rlimits.set(RLIMIT.DATA, [BigInt(proc.cpu.info.maxDataSize), BigInt(proc.cpu.info.maxDataSize)]);
  proc.rlimits.set(RLIMIT.STACK, [BigInt(proc.stackSize), BigInt(proc.cpu.info.maxStackSize)]);
  proc.rlimits.set(RLIMIT.CORE, [0n, RLIM_INFINITY]);
  // The soft limit is our table's; the hard one what the host allows (capped at kern.maxfilesperproc), so
  // a program can raise it as Go's runtime does at start-up.
  proc.rlimits.set(RLIMIT.NOFILE, [BigInt(proc.fds.limit), BigInt(Math.max(proc.fds.limit, hostNofileMax()))]);
  proc.rlimits.set(RLIMIT.NPROC, [BigInt(6000), BigInt(6000)]);
  proc.rlimits.set(RLIMIT.PIPEBUF, [BigInt(64 * 1024), BigInt(64 * 1024)]);
}

/**
 * A signal from this process to itself or one of its threads (kill, thr_kill, SIGPIPE): posted for
 * delivery before the thread next runs.
 */
export function signalSelf(proc: Process, sig: number, thread?: Thread, code: number = thread ? SI.LWP : SI.USER): void {
  postSignal(proc, { signo: sig, code, pid: proc.pid, uid: proc.uid }, thread);
}

/** FreeBSD signal → host signal name, for signals sent to other host processes. */
function hostSignal(sig: number): string {
  const name = signalName(sig);
  if (!(name in osConstants.signals)) throw new Errno(E.EINVAL);
  return name;
}

function timeval(buf: Buffer, off: number, micros: number): void {
  buf.writeBigInt64LE(BigInt(Math.floor(micros / 1e6)), off);
  buf.writeBigInt64LE(BigInt(Math.floor(micros % 1e6)), off + 8);
}

export const procSyscalls: SyscallDef[] = [
  sys(1, 'exit', 'int', (c, a) => {
    if (!forkChildExit(c.proc, int(a[0]))) c.proc.exitWith(int(a[0]));
    return JUST_RETURN;
  }, 'none'),
  // fork, vfork, rfork(RFPROC): a vfork-style child on the parent's memory until execve or _exit
  // (src/kernel/spawn.ts); rv1 is 1 in the child, 0 in the parent (amd64/arm64 cpu_fork).
  sys(2, 'fork', '', (c) => { const r = forkBegin(c.proc); c.rv1 = 1n; return r; }),
  sys(66, 'vfork', '', (c) => { const r = forkBegin(c.proc); c.rv1 = 1n; return r; }),
  sys(251, 'rfork', 'hex', (c, a) => {
    // sys/sys/unistd.h: RFFDG 0x4, RFPROC 0x10, RFMEM 0x20, RFNOWAIT 0x40, RFCFDG 0x1000, RFTHREAD 0x2000,
    // RFSIGSHARE 0x4000, RFLINUXTHPN 0x10000, RFTSIGZMB 0x80000, RFSPAWN 0x80000000.
    const flags = Number(a[0] & 0xffffffffn);
    if (flags & 0x80000000) { const r = forkBegin(c.proc); c.rv1 = 1n; return r; }
    if (flags & (0x2000 | 0x4000 | 0x10000)) throw new Errno(E.EINVAL);
    if (!(flags & 0x10)) return 0; // no new process: descriptor-table sharing changes, nothing to do here
    const r = forkBegin(c.proc);
    if (flags & 0x1000) for (const fd of c.proc.fds.list()) c.proc.fds.close(fd);
    c.rv1 = 1n;
    return r;
  }),
  sys(59, 'execve', 'path ptr ptr', (c, a) => {
    execve(c.proc, ptr(a[0]), ptr(a[1]), ptr(a[2]));
    return JUST_RETURN;
  }),
  sys(7, 'wait4', 'int ptr hex ptr', (c, a) => {
    const options = int(a[2]);
    if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOWAIT | WTRAPPED | WEXITED | 0x80000000)) throw new Errno(E.EINVAL);
    const r = wait(c.proc, waitPidMatch(int(a[0])), options | WEXITED, { statusAddr: ptr(a[1]), rusageAddr: ptr(a[3]), wrusage: false, infoAddr: 0 });
    return r === undefined ? JUST_RETURN : r;
  }),
  sys(532, 'wait6', 'int long ptr hex ptr ptr', (c, a) => {
    const options = int(a[3]);
    if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOWAIT | WTRAPPED | WEXITED | 0x80000000)) throw new Errno(E.EINVAL);
    if (!(options & (WEXITED | WUNTRACED | WCONTINUED | WTRAPPED))) throw new Errno(E.EINVAL);
    const r = wait(c.proc, waitIdMatch(int(a[0]), Number(BigInt.asIntN(64, a[1]))), options,
      { statusAddr: ptr(a[2]), rusageAddr: ptr(a[4]), wrusage: true, infoAddr: ptr(a[5]) });
    return r === undefined ? JUST_RETURN : r;
  }),
  sys(147, 'setsid', '', (c) => {
    const pid = forkChildSetsid(c.proc);
    if (pid !== undefined) return pid;
    const r = spawnLib().setsid();
    if (r < 0) throw new Errno(hostErrno(koffi.errno()));
    return r;
  }),
  sys(82, 'setpgid', 'int int', (c, a) => {
    const pid = int(a[0]), pgid = int(a[1]);
    if (pgid < 0) throw new Errno(E.EINVAL);
    if (forkChildSetpgid(c.proc, pid, pgid)) return 0;
    if (spawnLib().setpgid(pid === c.proc.pid ? 0 : pid, pgid === c.proc.pid ? 0 : pgid) < 0) throw new Errno(hostErrno(koffi.errno()));
    return 0;
  }),
  sys(207, 'getpgid', 'int', (c, a) => {
    const r = spawnLib().getpgid(int(a[0]));
    if (r < 0) throw new Errno(hostErrno(koffi.errno()));
    return r;
  }),
  sys(20, 'getpid', '', (c) => currentPid(c.proc)),
  sys(39, 'getppid', '', (c) => currentPpid(c.proc)),
  sys(24, 'getuid', '', (c) => c.proc.uid),
  sys(25, 'geteuid', '', (c) => c.proc.euid),
  sys(47, 'getgid', '', (c) => c.proc.gid),
  sys(43, 'getegid', '', (c) => c.proc.egid),
  sys(81, 'getpgrp', '', () => spawnLib().getpgid(0)),
  sys(310, 'getsid', 'int', (c, a) => {
    const r = spawnLib().getsid(int(a[0]));
    if (r < 0) throw new Errno(hostErrno(koffi.errno()));
    return r;
  }),
  sys(253, 'issetugid', '', () => 0),
  sys(79, 'getgroups', 'int ptr', (c, a) => {
    // The host's supplementary groups, with the effective gid first like FreeBSD's cr_groups[0].
    const n = int(a[0]);
    const groups = [c.proc.egid, ...(process.getgroups?.() ?? []).filter((g) => g !== c.proc.egid)];
    if (n === 0) return groups.length;
    if (n < groups.length) throw new Errno(E.EINVAL);
    const buf = Buffer.alloc(groups.length * 4);
    groups.forEach((g, i) => buf.writeUInt32LE(g >>> 0, i * 4));
    c.mem.write(ptr(a[1]), buf);
    return groups.length;
  }),
  sys(194, 'getrlimit', 'rlimit ptr', (c, a) => {
    const which = int(a[0]);
    const lim = c.proc.rlimits.get(which);
    if (!lim) throw new Errno(E.EINVAL);
    const buf = Buffer.alloc(16);
    buf.writeBigInt64LE(lim[0], 0);
    buf.writeBigInt64LE(lim[1], 8);
    c.mem.write(ptr(a[1]), buf);
    return 0;
  }),
  sys(195, 'setrlimit', 'rlimit ptr', (c, a) => {
    const which = int(a[0]);
    const old = c.proc.rlimits.get(which);
    if (!old) throw new Errno(E.EINVAL);
    const buf = c.mem.read(ptr(a[1]), 16);
    let cur = buf.readBigInt64LE(0), max = buf.readBigInt64LE(8);
    if (cur < 0n) cur = RLIM_INFINITY;
    if (max < 0n) max = RLIM_INFINITY;
    if (cur > max) throw new Errno(E.EINVAL);
    if (max > old[1] && c.proc.euid !== 0) throw new Errno(E.EPERM);
    c.proc.rlimits.set(which, [cur, max]);
    if (which === RLIMIT.NOFILE) c.proc.fds.limit = Number(cur > 1000000n ? 1000000n : cur);
    return 0;
  }),
  sys(117, 'getrusage', 'int ptr', (c, a) => {
    // struct rusage (sys/sys/resource.h): two timevals then 14 longs, 144 bytes on LP64.
    const who = int(a[0]);
    if (who !== 0 && who !== -1 && who !== 1) throw new Errno(E.EINVAL);
    const buf = Buffer.alloc(144);
    if (who !== -1) {
      const u = process.resourceUsage();
      timeval(buf, 0, u.userCPUTime);
      timeval(buf, 16, u.systemCPUTime);
      buf.writeBigInt64LE(BigInt(u.maxRSS), 32); // ru_maxrss, KiB
      buf.writeBigInt64LE(BigInt(u.minorPageFault), 32 + 8 * 4); // ru_minflt
      buf.writeBigInt64LE(BigInt(u.majorPageFault), 32 + 8 * 5); // ru_majflt
      buf.writeBigInt64LE(BigInt(u.fsRead), 32 + 8 * 7); // ru_inblock
      buf.writeBigInt64LE(BigInt(u.fsWrite), 32 + 8 * 8); // ru_oublock
      buf.writeBigInt64LE(BigInt(u.voluntaryContextSwitches), 32 + 8 * 12); // ru_nvcsw
      buf.writeBigInt64LE(BigInt(u.involuntaryContextSwitches), 32 + 8 * 13); // ru_nivcsw
    }
    c.mem.write(ptr(a[1]), buf);
    return 0;
  }),
  sys(37, 'kill', 'int signal', (c, a) => {
    const pid = int(a[0]), sig = int(a[1]);
    if (sig < 0 || sig > NSIG) throw new Errno(E.EINVAL);
    if (pid === c.proc.pid || pid === 0 || pid === -1) {
      if (sig !== 0 && !inForkChild(c.proc)) signalSelf(c.proc, sig);
      return 0;
    }
    if (isZombie(c.proc, pid)) return 0;
    try {
      process.kill(pid < -1 ? pid : pid, sig === 0 ? 0 : hostSignal(sig));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Errno(code === 'ESRCH' ? E.ESRCH : code === 'EPERM' ? E.EPERM : E.EINVAL);
    }
    return 0;
  }),
  sys(165, 'sysarch', 'sysarch ptr', (c, a) => {
    const r = c.proc.cpu.sysarch?.(int(a[0]), ptr(a[1]), c.mem);
    if (r === undefined) throw new Errno(E.EINVAL);
    return r;
  }),
];
