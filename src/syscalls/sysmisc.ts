// Scheduling parameters and assorted process/system calls: sched_* (sys/kern/p1003_1b.c, ksched.c),
// rtprio/rtprio_thread (kern_resource.c), procctl (kern_procctl.c), kenv (kern_environment.c), uuidgen
// (kern_uuid.c), shm_open2/shm_unlink (uipc_shm.c), __specialfd eventfd (kern_descrip.c, sys_eventfd.c).
//
// Scheduling is emulated: every guest thread runs on the emulator's one host thread, so policies and
// priorities are remembered and reported back, never applied to the host.
import { Errno, E, hostErrno } from '../abi/errno.js';
import { HOST_O, O } from '../abi/fcntl.js';
import { check, cpath, hostLibc, lastErrno } from '../host/libc.js';
import type { Process } from '../kernel/process.js';
import { NSIG } from '../kernel/signals.js';
import { currentPid } from '../kernel/spawn.js';
import { installHost } from './file.js';
import { int, long, ptr } from './args.js';
import { sys, type SyscallCtx, type SyscallDef } from './types.js';
import { hostRandomBytes } from '../host/random.js';

// sys/sys/sched.h
const SCHED_FIFO = 1, SCHED_OTHER = 2, SCHED_RR = 3;
// sys/sys/rtprio.h
const RTP_LOOKUP = 0, RTP_SET = 1;
const RTP_PRIO_REALTIME = 2, RTP_PRIO_NORMAL = 3, RTP_PRIO_IDLE = 4, RTP_PRIO_FIFO = 10;
const RTP_PRIO_MAX = 31;
/** sys/sys/priority.h: PRI_MAX_TIMESHARE - PRI_MIN_TIMESHARE (223 - 120). */
const TS_PRIO_SPAN = 103;
/** sys/sys/resource.h PRIO_MIN/PRIO_MAX: sched_get_priority_{min,max}(SCHED_OTHER) (ksched.c). */
const PRIO_MIN = -20, PRIO_MAX = 20;
/** ULE's round-robin slice as sched_rr_get_interval reports it (sched_slice ticks at hz 1000): 94 ms. */
const RR_INTERVAL_NS = 94_000_000;

interface SchedState { policy: number; prio: number }
interface MiscState {
  sched: SchedState;
  /** rtprio per thread id (absent: normal, 0). */
  rtprio: Map<number, { type: number; prio: number }>;
  traceCtl: number;
  trapcap: number;
  pdeathsig: number;
  noNewPrivs: boolean;
  reaper: boolean;
  kenv: Map<string, string>;
}
const states = new WeakMap<Process, MiscState>();
function st(p: Process): MiscState {
  let s = states.get(p);
  if (!s) {
    s = { sched: { policy: SCHED_OTHER, prio: 0 }, rtprio: new Map(), traceCtl: 0, trapcap: 2, pdeathsig: 0,
      noNewPrivs: false, reaper: false, kenv: new Map() };
    states.set(p, s);
  }
  return s;
}

/** pid 0 or our own: fine; another existing host process: EPERM to change; none: ESRCH. */
function checkPid(c: SyscallCtx, pid: number, modify: boolean): void {
  if (pid === 0 || pid === currentPid(c.proc)) return;
  if (pid < 0) throw new Errno(E.ESRCH);
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') throw new Errno(E.ESRCH);
  }
  if (modify) throw new Errno(E.EPERM);
}

const isSelf = (c: SyscallCtx, pid: number): boolean => pid === 0 || pid === currentPid(c.proc);

function validSchedParam(policy: number, prio: number): void {
  if (policy === SCHED_FIFO || policy === SCHED_RR) {
    if (prio < 0 || prio > RTP_PRIO_MAX) throw new Errno(E.EINVAL);
  } else if (policy === SCHED_OTHER) {
    if (prio < 0 || prio > TS_PRIO_SPAN) throw new Errno(E.EINVAL);
  } else {
    throw new Errno(E.EINVAL);
  }
}

function setScheduler(c: SyscallCtx, pid: number, policy: number, paramAddr: number): number {
  const prio = c.mem.read(paramAddr, 4).readInt32LE(0);
  if (policy !== SCHED_FIFO && policy !== SCHED_RR && policy !== SCHED_OTHER) throw new Errno(E.EINVAL);
  checkPid(c, pid, true);
  // Real-time policies need privilege (PRIV_SCHED_SETPOLICY).
  if (policy !== SCHED_OTHER && c.proc.euid !== 0) throw new Errno(E.EPERM);
  validSchedParam(policy, prio);
  st(c.proc).sched = { policy, prio };
  return 0;
}

/** rtprio for a thread (tid) of ours; 0 = the calling thread. */
function doRtprio(c: SyscallCtx, fn: number, tid: number, addr: number): number {
  const s = st(c.proc);
  if (fn === RTP_LOOKUP) {
    const r = s.rtprio.get(tid) ?? { type: RTP_PRIO_NORMAL, prio: 0 };
    const b = Buffer.alloc(4);
    b.writeUInt16LE(r.type, 0);
    b.writeUInt16LE(r.prio, 2);
    c.mem.write(addr, b);
    return 0;
  }
  if (fn !== RTP_SET) throw new Errno(E.EINVAL);
  const b = c.mem.read(addr, 4);
  const type = b.readUInt16LE(0), prio = b.readUInt16LE(2);
  // rtp_to_pri: prio > RTP_PRIO_MAX is EINVAL; real-time and idle classes need privilege
  // (security.bsd.unprivileged_idprio is 0 by default).
  switch (type) {
    case RTP_PRIO_NORMAL: break;
    case RTP_PRIO_REALTIME: case RTP_PRIO_FIFO: case RTP_PRIO_IDLE:
      if (c.proc.euid !== 0) throw new Errno(E.EPERM);
      break;
    default: throw new Errno(E.EINVAL);
  }
  if (prio > RTP_PRIO_MAX) throw new Errno(E.EINVAL);
  s.rtprio.set(tid, { type, prio });
  return 0;
}

function currentTid(c: SyscallCtx): number {
  return c.proc.sched.current.tid;
}

// ---- procctl (sys/sys/procctl.h) ----
const P_PID = 0, P_PGID = 2;
const PROC = {
  SPROTECT: 1, REAP_ACQUIRE: 2, REAP_RELEASE: 3, REAP_STATUS: 4, REAP_GETPIDS: 5, REAP_KILL: 6, TRACE_CTL: 7,
  TRACE_STATUS: 8, TRAPCAP_CTL: 9, TRAPCAP_STATUS: 10, PDEATHSIG_CTL: 11, PDEATHSIG_STATUS: 12, ASLR_CTL: 13,
  ASLR_STATUS: 14, PROTMAX_CTL: 15, PROTMAX_STATUS: 16, STACKGAP_CTL: 17, STACKGAP_STATUS: 18,
  NO_NEW_PRIVS_CTL: 19, NO_NEW_PRIVS_STATUS: 20, WXMAP_CTL: 21, WXMAP_STATUS: 22,
} as const;
const PROC_ASLR_NOFORCE = 3, PROC_PROTMAX_NOFORCE = 3;
const PROC_STACKGAP_DISABLE = 0x2, PROC_STACKGAP_DISABLE_EXEC = 0x8;
const PROC_NO_NEW_PRIVS_ENABLE = 1, PROC_NO_NEW_PRIVS_DISABLE = 2;
const PROC_WX_MAPPINGS_PERMIT = 0x1;
const REAPER_STATUS_OWNED = 0x1;
const PROC_REAP_STATUS_SIZE = 80; // u_int flags, children, descendants; pid_t reaper, pid; u_int pad[15]

function doProcctl(c: SyscallCtx, idtype: number, id: bigint, com: number, data: number): number {
  const s = st(c.proc);
  const self = BigInt(currentPid(c.proc));
  // One process only: P_PID with 0 or our pid. Other pids exist only as host processes we cannot act on.
  if (idtype === P_PID) {
    if (id !== 0n && id !== self) throw new Errno(E.ESRCH);
  } else if (idtype === P_PGID) {
    if (com !== PROC.SPROTECT && com !== PROC.TRACE_CTL && com !== PROC.TRAPCAP_CTL) throw new Errno(E.EINVAL);
  } else {
    throw new Errno(E.EINVAL);
  }
  const readInt = () => c.mem.read(data, 4).readInt32LE(0);
  const writeInt = (v: number) => { const b = Buffer.alloc(4); b.writeInt32LE(v | 0); c.mem.write(data, b); return 0; };
  switch (com) {
    case PROC.SPROTECT:
      readInt();
      if (c.proc.euid !== 0) throw new Errno(E.EPERM);
      return 0;
    case PROC.REAP_ACQUIRE:
      if (data !== 0) throw new Errno(E.EINVAL);
      if (s.reaper) throw new Errno(E.EBUSY);
      s.reaper = true;
      return 0;
    case PROC.REAP_RELEASE:
      if (data !== 0) throw new Errno(E.EINVAL);
      if (!s.reaper) throw new Errno(E.EINVAL);
      s.reaper = false;
      return 0;
    case PROC.REAP_STATUS: {
      const b = Buffer.alloc(PROC_REAP_STATUS_SIZE);
      b.writeUInt32LE(s.reaper ? REAPER_STATUS_OWNED : 0, 0);
      b.writeInt32LE(s.reaper ? Number(self) : 1, 12); // our reaper: ourselves or init
      b.writeInt32LE(-1, 16); // no child tracked
      c.mem.write(data, b);
      return 0;
    }
    case PROC.TRACE_CTL: {
      const v = readInt();
      if (v < 1 || v > 3) throw new Errno(E.EINVAL);
      s.traceCtl = v;
      return 0;
    }
    case PROC.TRACE_STATUS:
      // -1: tracing disabled; 0: not traced.
      return writeInt(s.traceCtl === 2 || s.traceCtl === 3 ? -1 : 0);
    case PROC.TRAPCAP_CTL: {
      const v = readInt();
      if (v !== 1 && v !== 2) throw new Errno(E.EINVAL);
      s.trapcap = v;
      return 0;
    }
    case PROC.TRAPCAP_STATUS: return writeInt(s.trapcap);
    case PROC.PDEATHSIG_CTL: {
      if (idtype !== P_PID || id !== 0n) throw new Errno(E.EINVAL);
      const v = readInt();
      if (v < 0 || v >= NSIG) throw new Errno(E.EINVAL);
      s.pdeathsig = v;
      return 0;
    }
    case PROC.PDEATHSIG_STATUS:
      if (idtype !== P_PID || id !== 0n) throw new Errno(E.EINVAL);
      return writeInt(s.pdeathsig);
    case PROC.ASLR_STATUS: return writeInt(PROC_ASLR_NOFORCE); // fixed layout: not active
    case PROC.PROTMAX_STATUS: return writeInt(PROC_PROTMAX_NOFORCE);
    case PROC.STACKGAP_STATUS: return writeInt(PROC_STACKGAP_DISABLE | PROC_STACKGAP_DISABLE_EXEC);
    case PROC.WXMAP_STATUS: return writeInt(PROC_WX_MAPPINGS_PERMIT);
    case PROC.NO_NEW_PRIVS_CTL:
      if (readInt() !== PROC_NO_NEW_PRIVS_ENABLE) throw new Errno(E.EINVAL);
      s.noNewPrivs = true;
      return 0;
    case PROC.NO_NEW_PRIVS_STATUS:
      return writeInt(s.noNewPrivs ? PROC_NO_NEW_PRIVS_ENABLE : PROC_NO_NEW_PRIVS_DISABLE);
    case PROC.ASLR_CTL: case PROC.PROTMAX_CTL: case PROC.STACKGAP_CTL: case PROC.WXMAP_CTL:
      // Layout controls take effect at the next exec; accepted for valid values, nothing changes here.
      if (readInt() < 0) throw new Errno(E.EINVAL);
      return 0;
    case PROC.REAP_GETPIDS: case PROC.REAP_KILL:
      if (!s.reaper) throw new Errno(E.EINVAL);
      throw new Errno(E.EOPNOTSUPP);
    default:
      throw new Errno(E.EINVAL);
  }
}

// ---- kenv (sys/sys/kenv.h) ----
const KENV_GET = 0, KENV_SET = 1, KENV_UNSET = 2, KENV_DUMP = 3, KENV_DUMP_LOADER = 4, KENV_DUMP_STATIC = 5;
const KENV_MNAMELEN = 128, KENV_MVALLEN = 128;

function doKenv(c: SyscallCtx, what: number, nameAddr: number, valAddr: number, len: number): number {
  const env = st(c.proc).kenv;
  if (what === KENV_DUMP || what === KENV_DUMP_LOADER || what === KENV_DUMP_STATIC) {
    // The kernel environment we emulate starts empty (no loader, no static env); the dump is
    // "name=value\0" records, the return value the size needed.
    if (what !== KENV_DUMP) throw new Errno(E.ENOENT);
    const dump = Buffer.concat([...env].map(([k, v]) => cpath(`${k}=${v}`)));
    if (len < 0) throw new Errno(E.EINVAL);
    if (valAddr !== 0 && len > 0) c.mem.write(valAddr, dump.subarray(0, Math.min(len, dump.length)));
    return dump.length;
  }
  if (what !== KENV_GET && what !== KENV_SET && what !== KENV_UNSET) throw new Errno(E.EINVAL);
  if (what !== KENV_GET && c.proc.euid !== 0) throw new Errno(E.EPERM); // PRIV_KENV_SET / UNSET
  let name: string;
  try { name = c.mem.readCString(nameAddr, KENV_MNAMELEN); } catch (e) {
    if (e instanceof Errno && e.errno === E.ENAMETOOLONG) throw new Errno(E.EINVAL);
    throw e;
  }
  if (what === KENV_GET) {
    const v = env.get(name);
    if (v === undefined) throw new Errno(E.ENOENT);
    const b = cpath(v);
    if (len < 1) throw new Errno(E.EINVAL);
    const n = Math.min(len, b.length);
    const out = Buffer.from(b.subarray(0, n));
    out[n - 1] = 0;
    c.mem.write(valAddr, out);
    return n;
  }
  if (what === KENV_UNSET) {
    if (!env.delete(name)) throw new Errno(E.ENOENT);
    return 0;
  }
  if (len < 1) throw new Errno(E.EINVAL);
  if (len > KENV_MVALLEN + 1) throw new Errno(E.EINVAL);
  let value: string;
  try { value = c.mem.readCString(valAddr, len); } catch (e) {
    if (e instanceof Errno && e.errno === E.ENAMETOOLONG) throw new Errno(E.EINVAL);
    throw e;
  }
  env.set(name, value);
  return 0;
}

// ---- uuidgen (kern_uuid.c): version-1 (time-based) uuids, consecutive timestamps for a batch ----
const UUID_GREGORIAN_OFFSET = 0x01b21dd213814000n; // 100 ns units from 1582-10-15 to 1970-01-01
let uuidLast = 0n;
/** The clock sequence and node id, random per process (chosen at the first uuidgen). */
let uuidClockSeq = -1;
let uuidNode: Buffer = Buffer.alloc(6);

function doUuidgen(c: SyscallCtx, addr: number, count: number): number {
  if (count < 1 || count > 2048) throw new Errno(E.EINVAL);
  if (uuidClockSeq < 0) {
    uuidClockSeq = hostRandomBytes(2).readUInt16LE(0) & 0x3fff;
    uuidNode = hostRandomBytes(6);
    uuidNode[0] |= 0x01; // the multicast bit: not a MAC address
  }
  const now = BigInt(Date.now()) * 10000n + UUID_GREGORIAN_OFFSET;
  if (now <= uuidLast) uuidClockSeq = (uuidClockSeq + 1) & 0x3fff;
  let t = now;
  const out = Buffer.alloc(16 * count);
  for (let i = 0; i < count; i++, t++) {
    const o = i * 16;
    out.writeUInt32LE(Number(t & 0xffffffffn), o);                           // time_low
    out.writeUInt16LE(Number((t >> 32n) & 0xffffn), o + 4);                  // time_mid
    out.writeUInt16LE(Number((t >> 48n) & 0x0fffn) | 0x1000, o + 6);         // time_hi_and_version (v1)
    out[o + 8] = ((uuidClockSeq >> 8) & 0x3f) | 0x80;                        // clock_seq_hi_and_reserved
    out[o + 9] = uuidClockSeq & 0xff;
    uuidNode.copy(out, o + 10);
  }
  uuidLast = t - 1n;
  c.mem.write(addr, out);
  return 0;
}

// ---- POSIX shared memory ----
/** sys/sys/mman.h: SHM_ANON is (char *)1; shm_open2 flags. */
const SHM_ANON = 1;
const SHM_ALLOW_SEALING = 0x1, SHM_GROW_ON_WRITE = 0x2, SHM_LARGEPAGE = 0x4;
/** Linux memfd_create flags. */
const MFD_CLOEXEC = 0x1, MFD_ALLOW_SEALING = 0x2;
const SHM_DIR = '/dev/shm';

/** A FreeBSD shm name (it must start with '/', any further '/' allowed) as one host file name. */
function shmHostPath(c: SyscallCtx, addr: number): Buffer {
  const raw = c.mem.readCStringBytes(addr, 1024).toString('utf8');
  if (!raw.startsWith('/')) throw new Errno(E.EINVAL);
  const name = 'bsdemu.' + raw.slice(1).replace(/%/g, '%25').replace(/\//g, '%2F');
  if (Buffer.byteLength(name) > 255) throw new Errno(E.ENAMETOOLONG);
  return cpath(`${SHM_DIR}/${name}`);
}

function doShmOpen(c: SyscallCtx, pathArg: bigint, flags: number, mode: number, shmflags: number): number {
  // kern_shm_open2
  const acc = flags & O.ACCMODE;
  if (acc !== O.RDONLY && acc !== O.RDWR) throw new Errno(E.EINVAL);
  if (flags & ~(O.ACCMODE | O.CREAT | O.EXCL | O.TRUNC | O.CLOEXEC)) throw new Errno(E.EINVAL);
  if (shmflags & SHM_LARGEPAGE) throw new Errno(E.ENOTTY); // no large-page objects here
  if (shmflags & ~(SHM_ALLOW_SEALING | SHM_GROW_ON_WRITE | SHM_LARGEPAGE)) throw new Errno(E.EINVAL);
  const cloexec = (flags & O.CLOEXEC) !== 0;
  const L = hostLibc();
  const cmode = mode & ~c.proc.umask & 0o777;
  if (pathArg === BigInt(SHM_ANON)) {
    if (acc === O.RDONLY) throw new Errno(E.EINVAL); // a read-only anonymous object is pointless
    const hfd = check(L.memfd_create('bsdemu-shm', MFD_CLOEXEC | (shmflags & SHM_ALLOW_SEALING ? MFD_ALLOW_SEALING : 0)),
      'memfd_create');
    L.fchmod(hfd, cmode);
    return installHost(c, hfd, O.RDWR, cloexec, 'file');
  }
  const hp = shmHostPath(c, ptr(pathArg));
  let hflags = (acc === O.RDWR ? HOST_O.RDWR : HOST_O.RDONLY) | HOST_O.NOFOLLOW | HOST_O.CLOEXEC;
  if (flags & O.CREAT) hflags |= HOST_O.CREAT;
  if (flags & O.EXCL) hflags |= HOST_O.EXCL;
  // kern_shm_open2 truncates an existing object only when it was opened O_RDWR; O_RDONLY|O_TRUNC is no error.
  if ((flags & O.TRUNC) && acc === O.RDWR) hflags |= HOST_O.TRUNC;
  const saved = process.umask(0);
  let hfd: number;
  try {
    hfd = L.openat(-100, hp, hflags, cmode);
  } finally {
    process.umask(saved);
  }
  if (hfd < 0) throw new Errno(hostErrno(lastErrno()));
  return installHost(c, hfd, acc, cloexec, 'file');
}

// ---- __specialfd (sys/sys/specialfd.h): SPECIALFD_EVENTFD ----
const SPECIALFD_EVENTFD = 1;
/** sys/sys/eventfd.h */
const EFD_SEMAPHORE = 0x1, EFD_NONBLOCK = 0x4, EFD_CLOEXEC = 0x100000;
const HOST_EFD_SEMAPHORE = 1, HOST_EFD_NONBLOCK = 0x800, HOST_EFD_CLOEXEC = 0x80000;

function doSpecialfd(c: SyscallCtx, type: number, req: number, len: number): number {
  if (type !== SPECIALFD_EVENTFD) throw new Errno(E.EINVAL);
  if (len !== 8) throw new Errno(E.EINVAL); // sizeof(struct specialfd_eventfd)
  const b = c.mem.read(req, 8);
  const initval = b.readUInt32LE(0), flags = b.readInt32LE(4);
  if (flags & ~(EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC)) throw new Errno(E.EINVAL);
  const hfd = check(hostLibc().eventfd(initval, HOST_EFD_CLOEXEC | (flags & EFD_SEMAPHORE ? HOST_EFD_SEMAPHORE : 0)
    | (flags & EFD_NONBLOCK ? HOST_EFD_NONBLOCK : 0)), 'eventfd');
  // 'pipe' kind: blocking reads and writes wait in the scheduler like a pipe's, lseek is ESPIPE.
  return installHost(c, hfd, O.RDWR | (flags & EFD_NONBLOCK ? O.NONBLOCK : 0), (flags & EFD_CLOEXEC) !== 0, 'pipe');
}

export const sysmiscSyscalls: SyscallDef[] = [
  sys(327, 'sched_setparam', 'int ptr', (c, a) => {
    const pid = int(a[0]);
    const prio = c.mem.read(ptr(a[1]), 4).readInt32LE(0);
    checkPid(c, pid, true);
    const s = st(c.proc).sched;
    validSchedParam(s.policy, prio);
    s.prio = prio;
    return 0;
  }),
  sys(328, 'sched_getparam', 'int ptr', (c, a) => {
    checkPid(c, int(a[0]), false);
    const b = Buffer.alloc(4);
    // Another (host) process: reported as a plain time-sharing one.
    b.writeInt32LE(isSelf(c, int(a[0])) ? st(c.proc).sched.prio : 0);
    c.mem.write(ptr(a[1]), b);
    return 0;
  }),
  sys(329, 'sched_setscheduler', 'int schedpolicy ptr', (c, a) => setScheduler(c, int(a[0]), int(a[1]), ptr(a[2]))),
  sys(330, 'sched_getscheduler', 'int', (c, a) => {
    checkPid(c, int(a[0]), false);
    return isSelf(c, int(a[0])) ? st(c.proc).sched.policy : SCHED_OTHER;
  }),
  sys(332, 'sched_get_priority_max', 'schedpolicy', (_c, a) => {
    const p = int(a[0]);
    if (p === SCHED_FIFO || p === SCHED_RR) return RTP_PRIO_MAX;
    if (p === SCHED_OTHER) return PRIO_MAX;
    throw new Errno(E.EINVAL);
  }),
  sys(333, 'sched_get_priority_min', 'schedpolicy', (_c, a) => {
    const p = int(a[0]);
    if (p === SCHED_FIFO || p === SCHED_RR) return 0;
    if (p === SCHED_OTHER) return PRIO_MIN;
    throw new Errno(E.EINVAL);
  }),
  sys(334, 'sched_rr_get_interval', 'int ptr', (c, a) => {
    checkPid(c, int(a[0]), false);
    const b = Buffer.alloc(16);
    b.writeBigInt64LE(0n, 0);
    b.writeBigInt64LE(BigInt(RR_INTERVAL_NS), 8);
    c.mem.write(ptr(a[1]), b);
    return 0;
  }),
  sys(166, 'rtprio', 'int int ptr', (c, a) => {
    const fn = int(a[0]), pid = int(a[1]);
    checkPid(c, pid, fn === RTP_SET);
    // Another (host) process: looked up as normal priority 0 (a key no thread of ours has).
    return doRtprio(c, fn, isSelf(c, pid) ? c.proc.mainTid : -1, ptr(a[2]));
  }),
  sys(466, 'rtprio_thread', 'int int ptr', (c, a) => {
    const fn = int(a[0]);
    let tid = int(a[1]);
    if (tid === 0) tid = currentTid(c);
    else if (!c.proc.sched.threads.has(tid)) throw new Errno(E.ESRCH);
    return doRtprio(c, fn, tid, ptr(a[2]));
  }),
  sys(544, 'procctl', 'int long procctl ptr', (c, a) => doProcctl(c, int(a[0]), long(a[1]), int(a[2]), ptr(a[3]))),
  sys(390, 'kenv', 'int str ptr int', (c, a) => doKenv(c, int(a[0]), ptr(a[1]), ptr(a[2]), int(a[3]))),
  sys(392, 'uuidgen', 'ptr int', (c, a) => doUuidgen(c, ptr(a[0]), int(a[1]))),
  sys(571, 'shm_open2', 'ptr oflags mode hex str', (c, a) => doShmOpen(c, a[0], int(a[1]), int(a[2]), int(a[3]))),
  sys(483, 'shm_unlink', 'path', (c, a) => {
    check(hostLibc().unlinkat(-100, shmHostPath(c, ptr(a[0])), 0), 'unlink');
    return 0;
  }),
  sys(577, '__specialfd', 'int ptr size', (c, a) => doSpecialfd(c, int(a[0]), ptr(a[1]), Number(a[2] & 0xffffffffn))),
];


