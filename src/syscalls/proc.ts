// Process identity, limits, exit and kill (QEMU: bsd-user/freebsd/os-proc.h).
import { constants as osConstants } from 'node:os';
import { Errno, E } from '../abi/errno.js';
import { NSIG, SI, signalName } from '../kernel/signals.js';
import { postSignal } from '../kernel/sigdeliver.js';
import type { Process } from '../kernel/process.js';
import type { Thread } from '../kernel/threads.js';
import { int, ptr } from './args.js';
import { sys, JUST_RETURN, type SyscallDef } from './types.js';

// sys/sys/resource.h
export const RLIMIT = { CPU: 0, FSIZE: 1, DATA: 2, STACK: 3, CORE: 4, RSS: 5, MEMLOCK: 6, NPROC: 7, NOFILE: 8,
  SBSIZE: 9, VMEM: 10, NPTS: 11, SWAP: 12, KQUEUES: 13, UMTXP: 14, PIPEBUF: 15 } as const;
const RLIM_NLIMITS = 16;
export const RLIM_INFINITY = 0x7fffffffffffffffn;

/** Limits a fresh FreeBSD/amd64 login gets (login.conf defaults under GENERIC). */
export function initialRlimits(proc: Process): void {
  const inf: [bigint, bigint] = [RLIM_INFINITY, RLIM_INFINITY];
  for (let i = 0; i < RLIM_NLIMITS; i++) proc.rlimits.set(i, inf);
  proc.rlimits.set(RLIMIT.DATA, [BigInt(proc.cpu.info.maxDataSize), BigInt(proc.cpu.info.maxDataSize)]);
  proc.rlimits.set(RLIMIT.STACK, [BigInt(proc.stackSize), BigInt(proc.cpu.info.maxStackSize)]);
  proc.rlimits.set(RLIMIT.CORE, [0n, RLIM_INFINITY]);
  proc.rlimits.set(RLIMIT.NOFILE, [BigInt(proc.fds.limit), BigInt(proc.fds.limit)]);
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
    c.proc.exitWith(int(a[0]));
    return JUST_RETURN;
  }, 'none'),
  sys(20, 'getpid', '', (c) => c.proc.pid),
  sys(39, 'getppid', '', (c) => c.proc.ppid),
  sys(24, 'getuid', '', (c) => c.proc.uid),
  sys(25, 'geteuid', '', (c) => c.proc.euid),
  sys(47, 'getgid', '', (c) => c.proc.gid),
  sys(43, 'getegid', '', (c) => c.proc.egid),
  sys(81, 'getpgrp', '', () => process.pid),
  sys(310, 'getsid', 'int', () => process.pid),
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
      if (sig !== 0) signalSelf(c.proc, sig);
      return 0;
    }
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
