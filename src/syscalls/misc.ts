// Small process-wide syscalls: descriptor table size, login name, priorities, CPU sets (FreeBSD
// sys/kern/kern_descrip.c, kern_prot.c, kern_resource.c, kern_cpuset.c). sched_yield and thr_set_name live
// with the thread scheduler (thread.ts).
import { getPriority, setPriority, userInfo } from 'node:os';
import { Errno, E, nodeErrno } from '../abi/errno.js';
import { int, long, ptr, size } from './args.js';
import { MAXCPU, MAXFILESPERPROC } from './sysctl.js';
import { sys, type SyscallDef } from './types.js';

const MAXLOGNAME = 33;
const RLIMIT_NOFILE = 8;
// sys/sys/resource.h
const PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2, PRIO_MIN = -20, PRIO_MAX = 20;
// sys/sys/cpuset.h
export const CPU_LEVEL_ROOT = 1, CPU_LEVEL_CPUSET = 2, CPU_LEVEL_WHICH = 3;
export const CPU_WHICH_TID = 1, CPU_WHICH_PID = 2, CPU_WHICH_CPUSET = 3, CPU_WHICH_IRQ = 4, CPU_WHICH_JAIL = 5,
  CPU_WHICH_DOMAIN = 6, CPU_WHICH_INTRHANDLER = 7, CPU_WHICH_ITHREAD = 8, CPU_WHICH_TIDPID = 9;
/** sizeof(cpuset_t) in the kernel: MAXCPU bits (CPU_MAXSIZE / NBBY on amd64 14.x). */
export const CPUSET_BYTES = MAXCPU / 8;
/** Our one cpuset: the default set every process starts in (1); the root set is 0. */
const DEFAULT_SET = 1, ROOT_SET = 0;

/** The host login name, or "root" when it cannot be told. */
export function hostLogin(): string {
  try { return userInfo().username || 'root'; } catch { return process.env.LOGNAME || process.env.USER || 'root'; }
}

interface Ids { pid: number; mainTid: number }

/** cpuset_which: does (which, id) name something of ours? ESRCH for other processes and threads. */
function checkWhich(p: Ids, which: number, id: bigint): void {
  switch (which) {
    case CPU_WHICH_TID:
      if (id !== -1n && id < 100000n) throw new Errno(E.ESRCH);
      return;
    case CPU_WHICH_PID:
      if (id !== -1n && id !== BigInt(p.pid)) throw new Errno(E.ESRCH);
      return;
    case CPU_WHICH_TIDPID:
      if (id !== -1n && id !== BigInt(p.pid) && id < 100000n) throw new Errno(E.ESRCH);
      return;
    case CPU_WHICH_CPUSET:
      if (id !== -1n && id !== BigInt(DEFAULT_SET) && id !== BigInt(ROOT_SET)) throw new Errno(E.ESRCH);
      return;
    case CPU_WHICH_JAIL:
      if (id !== -1n && id !== 0n) throw new Errno(E.ESRCH);
      return;
    default: // IRQ, DOMAIN, INTRHANDLER, ITHREAD: not something a user process can ask about here
      throw new Errno(E.EINVAL);
  }
}

/**
 * The affinity mask kern_cpuset_getaffinity would copy out: `ncpus` low bits set, `size` bytes.
 * FreeBSD 14: a size over CPU_MAXSIZE/NBBY is ERANGE; a smaller size than cpuset_t is accepted when the
 * set's bits fit in it, else ERANGE.
 */
export function affinityMask(ncpus: number, sizeBytes: number): Buffer {
  if (sizeBytes > CPUSET_BYTES) throw new Errno(E.ERANGE);
  if (sizeBytes * 8 < ncpus) throw new Errno(E.ERANGE);
  const b = Buffer.alloc(sizeBytes);
  for (let i = 0; i < ncpus; i++) b[i >> 3] |= 1 << (i & 7);
  return b;
}

function checkLevel(level: number): void {
  if (level !== CPU_LEVEL_ROOT && level !== CPU_LEVEL_CPUSET && level !== CPU_LEVEL_WHICH) throw new Errno(E.EINVAL);
}

export const miscSyscalls: SyscallDef[] = [
  sys(89, 'getdtablesize', '', (c) => {
    const lim = c.proc.rlimits.get(RLIMIT_NOFILE)?.[0] ?? BigInt(c.proc.fds.limit);
    return Number(lim < BigInt(MAXFILESPERPROC) ? lim : BigInt(MAXFILESPERPROC));
  }),
  sys(49, 'getlogin', 'obuf:1 uint', (c, a) => {
    // sys_getlogin: namelen capped at MAXLOGNAME; the name with its NUL must fit, else ERANGE.
    let namelen = Number(a[1] & 0xffffffffn);
    if (namelen > MAXLOGNAME) namelen = MAXLOGNAME;
    const name = Buffer.concat([Buffer.from((c.proc.login ?? hostLogin()).slice(0, MAXLOGNAME - 1)), Buffer.alloc(1)]);
    if (name.length > namelen) throw new Errno(E.ERANGE);
    c.mem.write(ptr(a[0]), name);
    return 0;
  }),
  sys(100, 'getpriority', 'int int', (c, a) => {
    const which = int(a[0]), who = int(a[1]);
    if (which !== PRIO_PROCESS && which !== PRIO_PGRP && which !== PRIO_USER) throw new Errno(E.EINVAL);
    const target = which === PRIO_PROCESS && who !== 0 && who !== c.proc.pid ? who : 0;
    try {
      return getPriority(target);
    } catch (e) {
      throw new Errno(nodeErrno(e) === E.EPERM ? E.EPERM : E.ESRCH);
    }
  }),
  sys(96, 'setpriority', 'int int int', (c, a) => {
    const which = int(a[0]), who = int(a[1]);
    let prio = int(a[2]);
    if (which !== PRIO_PROCESS && which !== PRIO_PGRP && which !== PRIO_USER) throw new Errno(E.EINVAL);
    prio = Math.max(PRIO_MIN, Math.min(PRIO_MAX, prio));
    const target = which === PRIO_PROCESS && who !== 0 && who !== c.proc.pid ? who : 0;
    try {
      setPriority(target, Math.min(prio, 19)); // the host's nice range ends at 19
    } catch (e) {
      const err = nodeErrno(e);
      // donice(): raising priority without privilege is EACCES on FreeBSD.
      throw new Errno(err === E.EPERM || err === E.EACCES ? E.EACCES : err === E.ESRCH ? E.ESRCH : E.EINVAL);
    }
    return 0;
  }),
  sys(486, 'cpuset_getid', 'int int long ptr', (c, a) => {
    const level = int(a[0]), which = int(a[1]), id = long(a[2]);
    checkLevel(level);
    if (level === CPU_LEVEL_WHICH && which !== CPU_WHICH_CPUSET) throw new Errno(E.EINVAL);
    checkWhich(c.proc, which, id);
    const setid = level === CPU_LEVEL_ROOT ? ROOT_SET : DEFAULT_SET;
    c.mem.writeU32(ptr(a[3]), setid);
    return 0;
  }),
  sys(487, 'cpuset_getaffinity', 'int int long size ptr', (c, a) => {
    const level = int(a[0]), which = int(a[1]), id = long(a[2]);
    const sz = size(a[3]);
    if (sz > CPUSET_BYTES) throw new Errno(E.ERANGE);
    checkLevel(level);
    checkWhich(c.proc, which, id);
    c.mem.write(ptr(a[4]), affinityMask(c.proc.ncpus, sz));
    return 0;
  }),
  sys(488, 'cpuset_setaffinity', 'int int long size ptr', (c, a) => {
    // Accepted and forgotten: guest threads all run on the emulator's one host thread anyway.
    const level = int(a[0]), which = int(a[1]), id = long(a[2]);
    const sz = size(a[3]);
    if (sz > CPUSET_BYTES) throw new Errno(E.ERANGE);
    checkLevel(level);
    checkWhich(c.proc, which, id);
    const mask = c.mem.read(ptr(a[4]), sz);
    // A set with no CPU we have is EINVAL in cpuset_testupdate / EDEADLK for an empty set (kern_cpuset.c).
    let any = false;
    for (let i = 0; i < Math.min(c.proc.ncpus, sz * 8); i++) if (mask[i >> 3] & (1 << (i & 7))) { any = true; break; }
    if (!any) throw new Errno(mask.some((x) => x !== 0) ? E.EINVAL : E.EDEADLK);
    return 0;
  }),
];
