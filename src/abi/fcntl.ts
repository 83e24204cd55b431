// FreeBSD open/fcntl/*at/access constants (sys/sys/fcntl.h, sys/sys/unistd.h, sys/sys/stat.h) and their
// translation to and from the Linux host. Host values: Linux <asm-generic/fcntl.h> (x86_64 and aarch64
// differ only in O_DIRECTORY/O_NOFOLLOW/O_DIRECT/O_LARGEFILE, which Node's fs.constants gives us).
import { constants as fsc } from 'node:fs';
import { Errno, E } from './errno.js';

/** sys/sys/fcntl.h open(2) flags. */
export const O = {
  RDONLY: 0x0, WRONLY: 0x1, RDWR: 0x2, ACCMODE: 0x3,
  NONBLOCK: 0x4, APPEND: 0x8, SHLOCK: 0x10, EXLOCK: 0x20, ASYNC: 0x40, FSYNC: 0x80, NOFOLLOW: 0x100,
  CREAT: 0x200, TRUNC: 0x400, EXCL: 0x800, NOCTTY: 0x8000, DIRECT: 0x10000, DIRECTORY: 0x20000,
  EXEC: 0x40000, TTY_INIT: 0x80000, CLOEXEC: 0x100000, VERIFY: 0x200000, PATH: 0x400000,
  RESOLVE_BENEATH: 0x800000, DSYNC: 0x1000000, EMPTY_PATH: 0x2000000,
} as const;
/** O_SEARCH is O_EXEC (sys/sys/fcntl.h). */
export const O_SEARCH = O.EXEC;

/** Every open flag FreeBSD 14 knows; others are ignored by kern_openat (we ignore them too). */
const O_KNOWN = (Object.values(O) as number[]).reduce((a, b) => a | b, 0);

/** sys/sys/fcntl.h *at flags. AT_FDCWD is -100 on both systems. */
export const AT = {
  FDCWD: -100, EACCESS: 0x100, SYMLINK_NOFOLLOW: 0x200, SYMLINK_FOLLOW: 0x400, REMOVEDIR: 0x800,
  RESOLVE_BENEATH: 0x2000, EMPTY_PATH: 0x4000,
} as const;

/** sys/sys/fcntl.h fcntl(2) commands. */
export const F = {
  DUPFD: 0, GETFD: 1, SETFD: 2, GETFL: 3, SETFL: 4, GETOWN: 5, SETOWN: 6, OGETLK: 7, OSETLK: 8,
  OSETLKW: 9, DUP2FD: 10, GETLK: 11, SETLK: 12, SETLKW: 13, SETLK_REMOTE: 14, READAHEAD: 15,
  RDAHEAD: 16, DUPFD_CLOEXEC: 17, DUP2FD_CLOEXEC: 18, ADD_SEALS: 19, GET_SEALS: 20, ISUNIONSTACK: 21,
  KINFO: 22,
} as const;
export const FD_CLOEXEC = 1;
/** struct flock l_type (sys/sys/fcntl.h). */
export const F_RDLCK = 1, F_UNLCK = 2, F_WRLCK = 3;
/** flock(2) operations (same values on Linux). */
export const LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;

/** access(2) modes (sys/sys/unistd.h): same values as Linux. */
export const F_OK = 0, X_OK = 1, W_OK = 2, R_OK = 4;
/** lseek whence (sys/sys/unistd.h); SEEK_DATA/SEEK_HOLE equal Linux's too. */
export const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;
/** close_range(2) flag (sys/sys/unistd.h). */
export const CLOSE_RANGE_CLOEXEC = 1 << 2;

/** sys/sys/stat.h: UTIME_NOW/UTIME_OMIT in tv_nsec. */
export const UTIME_NOW = -1, UTIME_OMIT = -2;

/** sys/sys/stat.h file types (identical to Linux's, plus S_IFWHT). */
export const S_IFMT = 0o170000, S_IFIFO = 0o010000, S_IFCHR = 0o020000, S_IFDIR = 0o040000,
  S_IFBLK = 0o060000, S_IFREG = 0o100000, S_IFLNK = 0o120000, S_IFSOCK = 0o140000, S_IFWHT = 0o160000;

// ---- Linux host values ----
export const HOST_O = {
  RDONLY: fsc.O_RDONLY, WRONLY: fsc.O_WRONLY, RDWR: fsc.O_RDWR,
  CREAT: fsc.O_CREAT, EXCL: fsc.O_EXCL, NOCTTY: fsc.O_NOCTTY, TRUNC: fsc.O_TRUNC, APPEND: fsc.O_APPEND,
  NONBLOCK: fsc.O_NONBLOCK, DSYNC: fsc.O_DSYNC ?? 0x1000, SYNC: fsc.O_SYNC ?? 0x101000,
  DIRECTORY: fsc.O_DIRECTORY, NOFOLLOW: fsc.O_NOFOLLOW, DIRECT: fsc.O_DIRECT ?? 0,
  ASYNC: 0x2000, CLOEXEC: 0x80000, PATH: 0x200000,
} as const;
export const HOST_AT = { FDCWD: -100, SYMLINK_NOFOLLOW: 0x100, REMOVEDIR: 0x200, SYMLINK_FOLLOW: 0x400, EACCESS: 0x200, EMPTY_PATH: 0x1000 } as const;
export const HOST_F = { DUPFD: 0, GETFD: 1, SETFD: 2, GETFL: 3, SETFL: 4, GETLK: 5, SETLK: 6, SETLKW: 7, SETOWN: 8, GETOWN: 9, DUPFD_CLOEXEC: 1030 } as const;
/** Linux struct flock l_type. */
export const HOST_F_RDLCK = 0, HOST_F_WRLCK = 1, HOST_F_UNLCK = 2;
export const HOST_UTIME_NOW = (1 << 30) - 1, HOST_UTIME_OMIT = (1 << 30) - 2;

/** Bits translated one for one between FreeBSD and the host (status flags that F_GETFL shows). */
const STATUS_PAIRS: [number, number][] = [
  [O.NONBLOCK, HOST_O.NONBLOCK], [O.APPEND, HOST_O.APPEND], [O.ASYNC, HOST_O.ASYNC],
  [O.DIRECT, HOST_O.DIRECT], [O.DSYNC, HOST_O.DSYNC],
];

/**
 * FreeBSD open flags → host open flags. Always adds O_CLOEXEC (the guest's close-on-exec lives in the
 * descriptor table). O_SHLOCK/O_EXLOCK are the caller's business (flock after open); O_TTY_INIT,
 * O_VERIFY, O_RESOLVE_BENEATH are dropped; O_EXEC/O_SEARCH/O_PATH become O_PATH.
 */
export function openFlagsToHost(f: number): number {
  let h = HOST_O.CLOEXEC;
  const acc = f & O.ACCMODE;
  if (acc === O.ACCMODE) throw new Errno(E.EINVAL);
  if (f & (O.PATH | O.EXEC)) {
    h |= HOST_O.PATH;
  } else {
    h |= acc === O.WRONLY ? HOST_O.WRONLY : acc === O.RDWR ? HOST_O.RDWR : HOST_O.RDONLY;
  }
  for (const [g, host] of STATUS_PAIRS) if (f & g) h |= host;
  if (f & O.FSYNC) h |= HOST_O.SYNC;
  if (f & O.NOFOLLOW) h |= HOST_O.NOFOLLOW;
  if (f & O.CREAT) h |= HOST_O.CREAT;
  if (f & O.TRUNC) h |= HOST_O.TRUNC;
  if (f & O.EXCL) h |= HOST_O.EXCL;
  if (f & O.NOCTTY) h |= HOST_O.NOCTTY;
  if (f & O.DIRECTORY) h |= HOST_O.DIRECTORY;
  return h;
}

/** Host F_GETFL value → FreeBSD flags (access mode and status flags). */
export function statusFlagsFromHost(h: number): number {
  let f = 0;
  if ((h & HOST_O.PATH) === HOST_O.PATH) f |= O.PATH;
  else f |= (h & 3) === HOST_O.WRONLY ? O.WRONLY : (h & 3) === HOST_O.RDWR ? O.RDWR : O.RDONLY;
  for (const [g, host] of STATUS_PAIRS) if (host && (h & host) === host) f |= g;
  if ((h & HOST_O.SYNC) === HOST_O.SYNC) f |= O.FSYNC;
  return f;
}

/** F_SETFL: FreeBSD's FCNTLFLAGS (sys/sys/fcntl.h) that the host shares: status bits → host bits. */
export const SETFL_MASK = O.APPEND | O.NONBLOCK | O.ASYNC | O.FSYNC | O.DIRECT | O.DSYNC;
export function setflToHost(f: number): number {
  let h = 0;
  for (const [g, host] of STATUS_PAIRS) if (f & g) h |= host;
  return h;
}

/** Checks *at flags against what the call accepts (FreeBSD answers EINVAL for any other bit). */
export function checkAtFlags(flags: number, allowed: number): void {
  if (flags & ~allowed) throw new Errno(E.EINVAL);
}

/** FreeBSD *at flags → Linux *at flags (only the bits the call allowed). */
export function atFlagsToHost(f: number, forAccess = false): number {
  let h = 0;
  if (f & AT.SYMLINK_NOFOLLOW) h |= HOST_AT.SYMLINK_NOFOLLOW;
  if (f & AT.SYMLINK_FOLLOW) h |= HOST_AT.SYMLINK_FOLLOW;
  if (f & AT.EMPTY_PATH) h |= HOST_AT.EMPTY_PATH;
  if (f & AT.REMOVEDIR) h |= HOST_AT.REMOVEDIR;
  if (forAccess && (f & AT.EACCESS)) h |= HOST_AT.EACCESS;
  return h;
}

export const isKnownOpenFlags = (f: number): boolean => (f & ~O_KNOWN) === 0;

/** FreeBSD l_type → Linux l_type, or EINVAL. */
export function lockTypeToHost(t: number): number {
  switch (t) {
    case F_RDLCK: return HOST_F_RDLCK;
    case F_WRLCK: return HOST_F_WRLCK;
    case F_UNLCK: return HOST_F_UNLCK;
    default: throw new Errno(E.EINVAL);
  }
}
export function lockTypeFromHost(t: number): number {
  return t === HOST_F_RDLCK ? F_RDLCK : t === HOST_F_WRLCK ? F_WRLCK : F_UNLCK;
}

/**
 * FreeBSD struct flock (sys/sys/fcntl.h), 32 bytes on LP64:
 * { off_t l_start @0; off_t l_len @8; pid_t l_pid @16; short l_type @20; short l_whence @22; int l_sysid @24 }.
 */
export interface Flock { start: bigint; len: bigint; pid: number; type: number; whence: number; sysid: number }
export const FLOCK_SIZE = 32;
export function decodeFlock(b: Buffer): Flock {
  return { start: b.readBigInt64LE(0), len: b.readBigInt64LE(8), pid: b.readInt32LE(16), type: b.readInt16LE(20),
    whence: b.readInt16LE(22), sysid: b.readInt32LE(24) };
}
export function encodeFlock(l: Flock): Buffer {
  const b = Buffer.alloc(FLOCK_SIZE);
  b.writeBigInt64LE(l.start, 0);
  b.writeBigInt64LE(l.len, 8);
  b.writeInt32LE(l.pid, 16);
  b.writeInt16LE(l.type, 20);
  b.writeInt16LE(l.whence, 22);
  b.writeInt32LE(l.sysid, 24);
  return b;
}
/** Linux struct flock (x86_64 and aarch64): { short l_type @0; short l_whence @2; off_t l_start @8; off_t l_len @16; pid_t l_pid @24 }. */
export const HOST_FLOCK_SIZE = 32;
export function flockToHost(l: Flock): Buffer {
  const b = Buffer.alloc(HOST_FLOCK_SIZE);
  b.writeInt16LE(lockTypeToHost(l.type), 0);
  b.writeInt16LE(l.whence, 2);
  b.writeBigInt64LE(l.start, 8);
  b.writeBigInt64LE(l.len, 16);
  b.writeInt32LE(l.pid, 24);
  return b;
}
export function flockFromHost(b: Buffer, sysid = 0): Flock {
  return { type: lockTypeFromHost(b.readInt16LE(0)), whence: b.readInt16LE(2), start: b.readBigInt64LE(8),
    len: b.readBigInt64LE(16), pid: b.readInt32LE(24), sysid };
}
