// --strace lines in the style of FreeBSD's truss(1): `name(arg,arg,...) = 15 (0xf)` or
// ` ERR#2 'No such file or directory'`. Each ArgKind has a decoder; the formatter never throws: an
// unreadable guest pointer prints as its address. FreeBSD constants come from sys/sys/{fcntl,mman,
// signal,time,umtx,resource,ioccom,ttycom,filio}.h and machine/sysarch.h.
import { errnoMessage } from '../abi/errno.js';
import { AF, decodeSockaddr } from '../abi/socket.js';
import type { GuestMemory } from '../mmap/api.js';
import { signalName } from '../kernel/signals.js';
import type { ArgKind, ArgSpec, SyscallDef } from './types.js';

const hex = (v: bigint): string => '0x' + v.toString(16);
const i32 = (v: bigint): number => Number(BigInt.asIntN(32, v));
const u32 = (v: bigint): number => Number(v & 0xffffffffn);

/** `A|B|0x40` from a bit table; `zero` when no bit is set. */
function bits(v: number, table: readonly (readonly [number, string])[], zero = '0'): string {
  const out: string[] = [];
  let rest = v >>> 0;
  for (const [bit, name] of table) {
    if ((rest & bit) === bit && bit !== 0) { out.push(name); rest = (rest & ~bit) >>> 0; }
  }
  if (rest !== 0) out.push('0x' + rest.toString(16));
  return out.length ? out.join('|') : zero;
}

function named(v: number, names: Readonly<Record<number, string>>): string {
  return names[v] ?? String(v);
}

// sys/sys/fcntl.h
const O_BITS: [number, string][] = [
  [0x4, 'O_NONBLOCK'], [0x8, 'O_APPEND'], [0x10, 'O_SHLOCK'], [0x20, 'O_EXLOCK'], [0x40, 'O_ASYNC'],
  [0x80, 'O_FSYNC'], [0x100, 'O_NOFOLLOW'], [0x200, 'O_CREAT'], [0x400, 'O_TRUNC'], [0x800, 'O_EXCL'],
  [0x8000, 'O_NOCTTY'], [0x10000, 'O_DIRECT'], [0x20000, 'O_DIRECTORY'], [0x40000, 'O_EXEC'],
  [0x80000, 'O_TTY_INIT'], [0x100000, 'O_CLOEXEC'], [0x200000, 'O_VERIFY'], [0x400000, 'O_PATH'],
  [0x800000, 'O_RESOLVE_BENEATH'], [0x1000000, 'O_DSYNC'], [0x2000000, 'O_EMPTY_PATH'],
];
export function fmtOflags(v: number): string {
  const acc = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'][v & 3];
  const rest = bits(v & ~3, O_BITS, '');
  return rest ? `${acc}|${rest}` : acc;
}

// sys/sys/mman.h
const PROT_BITS: [number, string][] = [[1, 'PROT_READ'], [2, 'PROT_WRITE'], [4, 'PROT_EXEC']];
export function fmtProt(v: number): string {
  const base = bits(v & 0xffff, PROT_BITS, 'PROT_NONE');
  const max = (v >>> 16) & 0xffff;
  return max ? `${base}|PROT_MAX(${bits(max, PROT_BITS, 'PROT_NONE')})` : base;
}
const MAP_BITS: [number, string][] = [
  [0x1, 'MAP_SHARED'], [0x2, 'MAP_PRIVATE'], [0x10, 'MAP_FIXED'], [0x20, 'MAP_RESERVED0020'],
  [0x40, 'MAP_RESERVED0040'], [0x80, 'MAP_RESERVED0080'], [0x100, 'MAP_RESERVED0100'],
  [0x200, 'MAP_HASSEMAPHORE'], [0x400, 'MAP_STACK'], [0x800, 'MAP_NOSYNC'], [0x1000, 'MAP_ANON'],
  [0x2000, 'MAP_GUARD'], [0x4000, 'MAP_EXCL'], [0x20000, 'MAP_NOCORE'], [0x40000, 'MAP_PREFAULT_READ'],
  [0x80000, 'MAP_32BIT'],
];
export function fmtMmapFlags(v: number): string {
  const al = (v >>> 24) & 0xff;
  const parts: string[] = [];
  const rest = bits(v & 0xffffff, MAP_BITS, '');
  if (rest) parts.push(rest);
  if (al === 1) parts.push('MAP_ALIGNED_SUPER');
  else if (al) parts.push(`MAP_ALIGNED(${al})`);
  return parts.length ? parts.join('|') : '0';
}
const MADV: Record<number, string> = {
  0: 'MADV_NORMAL', 1: 'MADV_RANDOM', 2: 'MADV_SEQUENTIAL', 3: 'MADV_WILLNEED', 4: 'MADV_DONTNEED',
  5: 'MADV_FREE', 6: 'MADV_NOSYNC', 7: 'MADV_AUTOSYNC', 8: 'MADV_NOCORE', 9: 'MADV_CORE', 10: 'MADV_PROTECT',
};
const WHENCE: Record<number, string> = { 0: 'SEEK_SET', 1: 'SEEK_CUR', 2: 'SEEK_END', 3: 'SEEK_DATA', 4: 'SEEK_HOLE' };
const FCNTL: Record<number, string> = {
  0: 'F_DUPFD', 1: 'F_GETFD', 2: 'F_SETFD', 3: 'F_GETFL', 4: 'F_SETFL', 5: 'F_GETOWN', 6: 'F_SETOWN',
  7: 'F_OGETLK', 8: 'F_OSETLK', 9: 'F_OSETLKW', 10: 'F_DUP2FD', 11: 'F_GETLK', 12: 'F_SETLK', 13: 'F_SETLKW',
  14: 'F_SETLK_REMOTE', 15: 'F_READAHEAD', 16: 'F_RDAHEAD', 17: 'F_DUPFD_CLOEXEC', 18: 'F_DUP2FD_CLOEXEC',
  19: 'F_ADD_SEALS', 20: 'F_GET_SEALS', 21: 'F_ISUNIONSTACK', 22: 'F_KINFO',
};
// sys/sys/_clock_id.h
export const CLOCK_NAMES: Record<number, string> = {
  0: 'CLOCK_REALTIME', 1: 'CLOCK_VIRTUAL', 2: 'CLOCK_PROF', 4: 'CLOCK_MONOTONIC', 5: 'CLOCK_UPTIME',
  7: 'CLOCK_UPTIME_PRECISE', 8: 'CLOCK_UPTIME_FAST', 9: 'CLOCK_REALTIME_PRECISE', 10: 'CLOCK_REALTIME_FAST',
  11: 'CLOCK_MONOTONIC_PRECISE', 12: 'CLOCK_MONOTONIC_FAST', 13: 'CLOCK_SECOND', 14: 'CLOCK_THREAD_CPUTIME_ID',
  15: 'CLOCK_PROCESS_CPUTIME_ID',
};
const HOW: Record<number, string> = { 1: 'SIG_BLOCK', 2: 'SIG_UNBLOCK', 3: 'SIG_SETMASK' };
const AT_BITS: [number, string][] = [
  [0x100, 'AT_EACCESS'], [0x200, 'AT_SYMLINK_NOFOLLOW'], [0x400, 'AT_SYMLINK_FOLLOW'], [0x800, 'AT_REMOVEDIR'],
  [0x2000, 'AT_RESOLVE_BENEATH'], [0x4000, 'AT_EMPTY_PATH'],
];
const ACCESS_BITS: [number, string][] = [[4, 'R_OK'], [2, 'W_OK'], [1, 'X_OK']];
// machine/sysarch.h (amd64)
const SYSARCH: Record<number, string> = {
  0: 'I386_GET_LDT', 1: 'I386_SET_LDT', 3: 'I386_GET_IOPERM', 4: 'I386_SET_IOPERM', 7: 'I386_GET_FSBASE',
  8: 'I386_SET_FSBASE', 9: 'I386_GET_GSBASE', 10: 'I386_SET_GSBASE', 11: 'I386_GET_XFPUSTATE',
  12: 'I386_SET_PKRU', 13: 'I386_CLEAR_PKRU', 128: 'AMD64_GET_FSBASE', 129: 'AMD64_SET_FSBASE',
  130: 'AMD64_GET_GSBASE', 131: 'AMD64_SET_GSBASE', 132: 'AMD64_GET_XFPUSTATE', 133: 'AMD64_SET_PKRU',
  134: 'AMD64_CLEAR_PKRU',
};
// sys/sys/umtx.h
const UMTX: Record<number, string> = {
  0: 'UMTX_OP_RESERVED0', 1: 'UMTX_OP_RESERVED1', 2: 'UMTX_OP_WAIT', 3: 'UMTX_OP_WAKE',
  4: 'UMTX_OP_MUTEX_TRYLOCK', 5: 'UMTX_OP_MUTEX_LOCK', 6: 'UMTX_OP_MUTEX_UNLOCK', 7: 'UMTX_OP_SET_CEILING',
  8: 'UMTX_OP_CV_WAIT', 9: 'UMTX_OP_CV_SIGNAL', 10: 'UMTX_OP_CV_BROADCAST', 11: 'UMTX_OP_WAIT_UINT',
  12: 'UMTX_OP_RW_RDLOCK', 13: 'UMTX_OP_RW_WRLOCK', 14: 'UMTX_OP_RW_UNLOCK', 15: 'UMTX_OP_WAIT_UINT_PRIVATE',
  16: 'UMTX_OP_WAKE_PRIVATE', 17: 'UMTX_OP_MUTEX_WAIT', 18: 'UMTX_OP_MUTEX_WAKE', 19: 'UMTX_OP_SEM_WAIT',
  20: 'UMTX_OP_SEM_WAKE', 21: 'UMTX_OP_NWAKE_PRIVATE', 22: 'UMTX_OP_MUTEX_WAKE2', 23: 'UMTX_OP_SEM2_WAIT',
  24: 'UMTX_OP_SEM2_WAKE', 25: 'UMTX_OP_SHM', 26: 'UMTX_OP_ROBUST_LISTS', 27: 'UMTX_OP_GET_MIN_TIMEOUT',
  28: 'UMTX_OP_SET_MIN_TIMEOUT',
};
// sys/sys/resource.h
const RLIMIT: Record<number, string> = {
  0: 'RLIMIT_CPU', 1: 'RLIMIT_FSIZE', 2: 'RLIMIT_DATA', 3: 'RLIMIT_STACK', 4: 'RLIMIT_CORE', 5: 'RLIMIT_RSS',
  6: 'RLIMIT_MEMLOCK', 7: 'RLIMIT_NPROC', 8: 'RLIMIT_NOFILE', 9: 'RLIMIT_SBSIZE', 10: 'RLIMIT_VMEM',
  11: 'RLIMIT_NPTS', 12: 'RLIMIT_SWAP', 13: 'RLIMIT_KQUEUES', 14: 'RLIMIT_UMTXP', 15: 'RLIMIT_PIPEBUF',
};

// flock(2) operations (sys/sys/fcntl.h), pathconf names (sys/sys/unistd.h), procctl commands
// (sys/sys/procctl.h), scheduling policies (sys/sys/sched.h).
const FLOCK_BITS: [number, string][] = [[1, 'LOCK_SH'], [2, 'LOCK_EX'], [4, 'LOCK_NB'], [8, 'LOCK_UN']];
const PATHCONF: Record<number, string> = {
  1: '_PC_LINK_MAX', 2: '_PC_MAX_CANON', 3: '_PC_MAX_INPUT', 4: '_PC_NAME_MAX', 5: '_PC_PATH_MAX', 6: '_PC_PIPE_BUF',
  7: '_PC_CHOWN_RESTRICTED', 8: '_PC_NO_TRUNC', 9: '_PC_VDISABLE', 10: '_PC_ALLOC_SIZE_MIN', 12: '_PC_FILESIZEBITS',
  14: '_PC_REC_INCR_XFER_SIZE', 15: '_PC_REC_MAX_XFER_SIZE', 16: '_PC_REC_MIN_XFER_SIZE', 17: '_PC_REC_XFER_ALIGN',
  18: '_PC_SYMLINK_MAX', 21: '_PC_MIN_HOLE_SIZE', 53: '_PC_ASYNC_IO', 54: '_PC_PRIO_IO', 55: '_PC_SYNC_IO',
  59: '_PC_ACL_EXTENDED', 60: '_PC_ACL_PATH_MAX', 61: '_PC_CAP_PRESENT', 62: '_PC_INF_PRESENT', 63: '_PC_MAC_PRESENT',
  64: '_PC_ACL_NFS4',
};
const PROCCTL: Record<number, string> = {
  1: 'PROC_SPROTECT', 2: 'PROC_REAP_ACQUIRE', 3: 'PROC_REAP_RELEASE', 4: 'PROC_REAP_STATUS', 5: 'PROC_REAP_GETPIDS',
  6: 'PROC_REAP_KILL', 7: 'PROC_TRACE_CTL', 8: 'PROC_TRACE_STATUS', 9: 'PROC_TRAPCAP_CTL', 10: 'PROC_TRAPCAP_STATUS',
  11: 'PROC_PDEATHSIG_CTL', 12: 'PROC_PDEATHSIG_STATUS', 13: 'PROC_ASLR_CTL', 14: 'PROC_ASLR_STATUS',
  15: 'PROC_PROTMAX_CTL', 16: 'PROC_PROTMAX_STATUS', 17: 'PROC_STACKGAP_CTL', 18: 'PROC_STACKGAP_STATUS',
  19: 'PROC_NO_NEW_PRIVS_CTL', 20: 'PROC_NO_NEW_PRIVS_STATUS', 21: 'PROC_WXMAP_CTL', 22: 'PROC_WXMAP_STATUS',
};
const SCHED_POLICY: Record<number, string> = { 1: 'SCHED_FIFO', 2: 'SCHED_OTHER', 3: 'SCHED_RR' };

// sys/sys/ioccom.h: _IO/_IOR/_IOW/_IOWR(group, num, len)
const IOC_VOID = 0x20000000, IOC_OUT = 0x40000000, IOC_IN = 0x80000000;
const ioc = (dir: number, g: string, n: number, len: number): number =>
  (dir | ((len & 0x1fff) << 16) | (g.charCodeAt(0) << 8) | n) >>> 0;
const TERMIOS = 44, WINSIZE = 8, INT = 4;
export const IOCTL_NAMES: Record<number, string> = {
  [ioc(IOC_OUT, 't', 19, TERMIOS)]: 'TIOCGETA',
  [ioc(IOC_IN, 't', 20, TERMIOS)]: 'TIOCSETA',
  [ioc(IOC_IN, 't', 21, TERMIOS)]: 'TIOCSETAW',
  [ioc(IOC_IN, 't', 22, TERMIOS)]: 'TIOCSETAF',
  [ioc(IOC_OUT, 't', 104, WINSIZE)]: 'TIOCGWINSZ',
  [ioc(IOC_IN, 't', 103, WINSIZE)]: 'TIOCSWINSZ',
  [ioc(IOC_OUT, 't', 119, INT)]: 'TIOCGPGRP',
  [ioc(IOC_IN, 't', 118, INT)]: 'TIOCSPGRP',
  [ioc(IOC_OUT, 't', 99, INT)]: 'TIOCGSID',
  [ioc(IOC_OUT, 't', 26, INT)]: 'TIOCGETD',
  [ioc(IOC_IN, 't', 27, INT)]: 'TIOCSETD',
  [ioc(IOC_VOID, 't', 97, 0)]: 'TIOCSCTTY',
  [ioc(IOC_VOID, 't', 113, 0)]: 'TIOCNOTTY',
  [ioc(IOC_VOID, 't', 13, 0)]: 'TIOCEXCL',
  [ioc(IOC_VOID, 't', 14, 0)]: 'TIOCNXCL',
  [ioc(IOC_IN, 't', 16, INT)]: 'TIOCFLUSH',
  [ioc(IOC_VOID, 't', 94, 0)]: 'TIOCDRAIN',
  [ioc(IOC_VOID, 't', 28, 0)]: 'TIOCPTMASTER',
  [ioc(IOC_OUT, 't', 115, INT)]: 'TIOCOUTQ',
  [ioc(IOC_VOID, 'f', 1, 0)]: 'FIOCLEX',
  [ioc(IOC_VOID, 'f', 2, 0)]: 'FIONCLEX',
  [ioc(IOC_OUT, 'f', 127, INT)]: 'FIONREAD',
  [ioc(IOC_IN, 'f', 126, INT)]: 'FIONBIO',
  [ioc(IOC_IN, 'f', 125, INT)]: 'FIOASYNC',
  [ioc(IOC_IN, 'f', 124, INT)]: 'FIOSETOWN',
  [ioc(IOC_OUT, 'f', 123, INT)]: 'FIOGETOWN',
  [ioc(IOC_OUT, 'f', 122, INT)]: 'FIODTYPE',
  [ioc(IOC_OUT, 'f', 118, INT)]: 'FIONWRITE',
  [ioc(IOC_OUT, 'f', 117, INT)]: 'FIONSPACE',
  [ioc(IOC_IN | IOC_OUT, 'f', 97, 8)]: 'FIOSEEKDATA',
  [ioc(IOC_IN | IOC_OUT, 'f', 98, 8)]: 'FIOSEEKHOLE',
};

const STR_MAX = 128;
const PATH_MAX = 1024;
const BUF_MAX = 32;

/** Bytes as a C string literal body: \n \t \" \\ escaped, other non-printables as \ooo. */
export function escapeBytes(b: Uint8Array): string {
  let s = '';
  for (const c of b) {
    if (c === 0x0a) s += '\\n';
    else if (c === 0x09) s += '\\t';
    else if (c === 0x0d) s += '\\r';
    else if (c === 0x22) s += '\\"';
    else if (c === 0x5c) s += '\\\\';
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += '\\' + c.toString(8).padStart(3, '0');
  }
  return s;
}

/** A guest C string, quoted; longer than `max` bytes → truncated with `...`; unreadable → the address. */
function cstring(mem: GuestMemory, addr: bigint, max: number): string {
  if (addr === 0n) return 'NULL';
  const a = Number(addr);
  if (addr >= 0x20000000000000n) return hex(addr);
  // Read what is readable, up to max+1 bytes, page by page (a string may end just before unmapped memory).
  const chunks: Buffer[] = [];
  let got = 0;
  while (got <= max) {
    const pageLeft = 4096 - ((a + got) % 4096);
    const n = Math.min(pageLeft, max + 1 - got);
    let b: Buffer;
    try { b = mem.read(a + got, n); } catch { break; }
    const z = b.indexOf(0);
    if (z >= 0) { chunks.push(b.subarray(0, z)); return `"${escapeBytes(Buffer.concat(chunks))}"`; }
    chunks.push(b);
    got += n;
  }
  if (got === 0) return hex(addr);
  const all = Buffer.concat(chunks);
  return `"${escapeBytes(all.subarray(0, Math.min(all.length, max)))}"...`;
}

function buffer(mem: GuestMemory, addr: bigint, len: bigint): string {
  if (addr === 0n) return 'NULL';
  const n = len > BigInt(BUF_MAX) ? BUF_MAX : Number(len);
  try {
    const b = mem.read(Number(addr), n);
    return `"${escapeBytes(b)}"${len > BigInt(BUF_MAX) ? '...' : ''}`;
  } catch {
    return hex(addr);
  }
}

function sigset(mem: GuestMemory, addr: bigint): string {
  if (addr === 0n) return '0x0';
  try {
    const b = mem.read(Number(addr), 16);
    const sigs: string[] = [];
    for (let sig = 1; sig <= 128; sig++) {
      const w = b.readUInt32LE(((sig - 1) >> 5) * 4);
      if (w & (1 << ((sig - 1) & 31))) sigs.push(signalName(sig).replace(/ /g, ''));
    }
    if (sigs.length > 16) {
      const words = [0, 4, 8, 12].map((o) => '0x' + b.readUInt32LE(o).toString(16));
      return `{ ${words.join(',')} }`;
    }
    return sigs.length ? `{ ${sigs.join('|')} }` : '{ }';
  } catch {
    return hex(addr);
  }
}

function timespec(mem: GuestMemory, addr: bigint): string {
  if (addr === 0n) return '0x0';
  try {
    const b = mem.read(Number(addr), 16);
    const sec = b.readBigInt64LE(0), nsec = b.readBigInt64LE(8);
    const ns = nsec >= 0n && nsec < 1000000000n ? nsec.toString().padStart(9, '0') : nsec.toString();
    return `{ ${sec}.${ns} }`;
  } catch {
    return hex(addr);
  }
}

function mib(mem: GuestMemory, addr: bigint, count: bigint): string {
  if (addr === 0n) return '0x0';
  const n = count > 24n ? 24 : Number(count);
  try {
    const b = mem.read(Number(addr), n * 4);
    const parts: number[] = [];
    for (let i = 0; i < n; i++) parts.push(b.readInt32LE(i * 4));
    return `{ ${parts.join('.')} }`;
  } catch {
    return hex(addr);
  }
}

/** A FreeBSD sockaddr argument: `{ AF_INET 127.0.0.1:80 }`, `{ AF_INET6 [0:0:0:0:0:0:0:1]:80 }`, `{ AF_UNIX "/p" }`. */
function sockaddr(mem: GuestMemory, addr: bigint, len: bigint): string {
  if (addr === 0n) return '0x0';
  try {
    const sa = decodeSockaddr(mem.read(Number(addr), Number(len > 255n ? 255n : len)));
    switch (sa.family) {
      case AF.INET: { const s = sa as { addr: Buffer; port: number }; return `{ AF_INET ${[...s.addr].join('.')}:${s.port} }`; }
      case AF.INET6: {
        const s = sa as { addr: Buffer; port: number };
        const groups: string[] = [];
        for (let i = 0; i < 16; i += 2) groups.push(s.addr.readUInt16BE(i).toString(16));
        return `{ AF_INET6 [${groups.join(':')}]:${s.port} }`;
      }
      case AF.UNIX: return `{ AF_UNIX ${JSON.stringify((sa as { path: Buffer }).path.toString('latin1'))} }`;
      default: return `{ family ${sa.family} }`;
    }
  } catch {
    return hex(addr);
  }
}

function signal(v: number): string {
  return v > 0 && v <= 128 ? signalName(v).replace(/ /g, '') : String(v);
}

/** One argument, decoded by its kind. Exported for tests. */
export function formatArg(kind: ArgKind, spec: ArgSpec, a: BigUint64Array, i: number, mem: GuestMemory): string {
  const v = a[i] ?? 0n;
  const lenArg = spec.len !== undefined ? (a[spec.len] ?? 0n) : 0n;
  switch (kind) {
    case 'int': return String(i32(v));
    case 'uint': return String(u32(v));
    case 'long': return String(BigInt.asIntN(64, v));
    case 'ulong': case 'size': return v.toString();
    case 'hex': case 'ptr': case 'obuf': return hex(v);
    case 'fd': return String(i32(v));
    case 'atfd': return i32(v) === -100 ? 'AT_FDCWD' : String(i32(v));
    case 'path': return cstring(mem, v, PATH_MAX);
    case 'str': return cstring(mem, v, STR_MAX);
    case 'buf': return buffer(mem, v, spec.len !== undefined ? lenArg : 0n);
    case 'sockaddr': return sockaddr(mem, v, lenArg);
    case 'oflags': return fmtOflags(u32(v));
    case 'mode': case 'octal': { const m = u32(v); return m === 0 ? '0' : '0' + m.toString(8); }
    case 'prot': return fmtProt(u32(v));
    case 'mmapflags': return fmtMmapFlags(u32(v));
    case 'signal': return signal(i32(v));
    case 'whence': return named(i32(v), WHENCE);
    case 'fcntlcmd': return named(i32(v), FCNTL);
    case 'ioctl': return IOCTL_NAMES[u32(v)] ?? hex(v & 0xffffffffn);
    case 'clockid': return named(i32(v), CLOCK_NAMES);
    case 'sigprocmaskhow': return named(i32(v), HOW);
    case 'atflags': return bits(u32(v), AT_BITS);
    case 'mib': return mib(mem, v, spec.len !== undefined ? lenArg : 2n);
    case 'sysarch': return named(i32(v), SYSARCH);
    case 'madvise': return named(i32(v), MADV);
    case 'access': return bits(u32(v), ACCESS_BITS, 'F_OK');
    case 'umtxop': return named(i32(v), UMTX);
    case 'rlimit': return named(i32(v), RLIMIT);
    case 'sigset': return sigset(mem, v);
    case 'timespec': return timespec(mem, v);
    case 'flockop': return bits(u32(v), FLOCK_BITS);
    case 'pathconf': return named(i32(v), PATHCONF);
    case 'procctl': return named(i32(v), PROCCTL);
    case 'schedpolicy': return named(i32(v), SCHED_POLICY);
    default: return hex(v);
  }
}

export function formatCall(def: SyscallDef, a: BigUint64Array, mem: GuestMemory): string {
  const parts = def.args.map((spec, i) => {
    try {
      return formatArg(spec.kind, spec, a, i, mem);
    } catch {
      return hex(a[i] ?? 0n);
    }
  });
  return `${def.name}(${parts.join(',')})`;
}

export function formatResult(def: SyscallDef, v: bigint): string {
  if (def.ret === 'ptr' || def.ret === 'hex') return ` = ${hex(v)}`;
  return ` = ${BigInt.asIntN(64, v)} (${hex(v)})`;
}

export function formatError(errno: number): string {
  return ` ERR#${errno} '${errnoMessage(errno)}'`;
}
