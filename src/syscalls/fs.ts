// Path-based file-system calls (QEMU: bsd-user/bsd-file.h, freebsd/os-stat.h): open/openat, the stat
// family, statfs, getdirentries, mkdir/unlink/rename/link/symlink/readlink and their *at forms, chmod/
// chown/access/utimensat, truncate, umask, chdir/fchdir/__getcwd. Paths pass through
// `proc.paths.toHost()` (--sysroot); *at calls go to the host *at calls with the directory's host
// descriptor, so relative lookups are the host kernel's own.
import { readlinkSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { Errno, E, nodeErrno } from '../abi/errno.js';
import {
  AT, atFlagsToHost, checkAtFlags, HOST_AT, HOST_O, HOST_UTIME_NOW, HOST_UTIME_OMIT, LOCK_EX, LOCK_NB, LOCK_SH, O,
  openFlagsToHost, R_OK, UTIME_NOW, UTIME_OMIT, W_OK, X_OK, HOST_F, S_IFDIR, S_IFIFO, S_IFMT, S_IFREG,
} from '../abi/fcntl.js';
import { encodeDirent, encodeStat, encodeStatfs, STATFS_SIZE } from '../abi/stat.js';
import { addrOf, check, checkN, cpath, hostLibc, lastErrno } from '../host/libc.js';
import { pollNow } from '../host/poll.js';
import { decodeHostDirents, hostFstat, hostFstatfs, hostGetdents, hostStatAt } from '../host/stat.js';
import { int, ptr, size } from './args.js';
import { installHost, kindOfMode } from './file.js';
import { JUST_RETURN, sys, type SyscallCtx, type SyscallDef } from './types.js';

/** sys/sys/syslimits.h PATH_MAX (copyinstr's limit, NUL included). */
const MAXPATHLEN = 1024;

/** A guest path argument as a NUL-terminated host path (sysroot applied to absolute paths). */
export function guestPath(c: SyscallCtx, addr: number): Buffer {
  const raw = c.mem.readCStringBytes(addr, MAXPATHLEN);
  if (c.proc.paths.root && raw[0] === 0x2f) return cpath(c.proc.paths.toHost(raw.toString('utf8')));
  return cpath(raw);
}

const isEmpty = (p: Buffer) => p[0] === 0;
const isAbsolute = (p: Buffer) => p[0] === 0x2f;

/**
 * The host directory descriptor for a *at call: AT_FDCWD stays AT_FDCWD; an absolute path ignores the
 * descriptor (as namei does); otherwise the guest descriptor's host descriptor (EBADF if not open).
 */
export function hostDirFd(c: SyscallCtx, dirfd: number, p: Buffer, emptyOk = false): number {
  if (dirfd === AT.FDCWD) return HOST_AT.FDCWD;
  if (isAbsolute(p)) return HOST_AT.FDCWD;
  const f = c.proc.fds.file(dirfd);
  if (!(emptyOk && isEmpty(p)) && f.kind !== 'dir') throw new Errno(E.ENOTDIR);
  return f.hostFd;
}

/** The host path a new descriptor was opened by, for fchdir and diagnostics. */
function hostPathOf(c: SyscallCtx, dirfd: number, p: Buffer): string {
  const s = p.subarray(0, p.length - 1).toString('utf8');
  if (isAbsolute(p)) return s;
  const base = dirfd === AT.FDCWD ? process.cwd() : c.proc.fds.file(dirfd).path ?? process.cwd();
  return resolvePath(base, s);
}

/** Keeps the host umask equal to the guest's, so creating calls get exactly the host kernel's semantics. */
let hostUmask = -1;
export function syncUmask(c: SyscallCtx): void {
  if (c.proc.umask !== hostUmask) {
    process.umask(c.proc.umask);
    hostUmask = c.proc.umask;
  }
}

/** open/openat (sys/kern/vfs_syscalls.c kern_openat). */
function doOpen(c: SyscallCtx, dirfd: number, pathAddr: number, flags: number, mode: number): number | typeof JUST_RETURN {
  const L = hostLibc();
  let p = guestPath(c, pathAddr);
  let hdir: number;
  if (isEmpty(p)) {
    if (!(flags & O.EMPTY_PATH)) throw new Errno(E.ENOENT);
    // O_EMPTY_PATH: reopen the descriptor itself (through Linux's /proc magic link).
    const f = c.proc.fds.file(dirfd);
    p = cpath(`/proc/self/fd/${f.hostFd}`);
    hdir = HOST_AT.FDCWD;
  } else {
    hdir = hostDirFd(c, dirfd, p);
  }
  let hflags = openFlagsToHost(flags);
  if (flags & O.CREAT) syncUmask(c);
  // An open that may wait (a FIFO until its other end opens) must not stall the other guest threads:
  // the host open is non-blocking, and a wait parks only this thread (see fifoOpen).
  const mayWait = !(flags & O.NONBLOCK) && (flags & O.ACCMODE) !== O.RDWR;
  if (mayWait) hflags |= HOST_O.NONBLOCK;
  // kern_openat: cmode = (mode & ~cmask) & ALLPERMS & ~S_ISTXT
  const hmode = mode & 0o6777;
  let hfd = L.openat(hdir, p, hflags, hmode) as number;
  if (hfd < 0 && mayWait && lastErrno() === HOST_ENXIO && (flags & O.ACCMODE) === O.WRONLY) {
    // A FIFO with no reader: FreeBSD's writer sleeps in the open until one comes.
    return fifoWait(c, () => L.openat(hdir, p, hflags, hmode) as number, (fd) => finishOpen(c, fd, flags, dirfd, p, mayWait));
  }
  hfd = check(hfd, 'openat');
  const st = hostFstatSafe(hfd);
  if (mayWait && st !== undefined && (st.mode & S_IFMT) === S_IFIFO && (flags & O.ACCMODE) === O.RDONLY) {
    // A FIFO reader waits for a writer: here, until the FIFO has data or a writer came and went.
    return fifoWait(c, () => (fifoHasWriterSign(hfd) ? hfd : -1), (fd) => finishOpen(c, fd, flags, dirfd, p, mayWait),
      () => L.close(hfd));
  }
  return finishOpen(c, hfd, flags, dirfd, p, mayWait);
}

const HOST_ENXIO = 6;

function hostFstatSafe(hfd: number): ReturnType<typeof hostFstat> | undefined {
  try { return hostFstat(hfd); } catch { return undefined; }
}

/** poll(2) on a FIFO's read end: data (POLLIN), or POLLHUP (a writer opened and closed since our open). */
function fifoHasWriterSign(hfd: number): boolean {
  return pollNow(hfd, 1 /* POLLIN */) !== 0;
}

/**
 * Parks the opening thread until `attempt` gives a descriptor, then completes the open with `finish`.
 * Signals interrupt the wait (EINTR, or a restart under SA_RESTART), as FreeBSD's fifo_open sleep does.
 */
function fifoWait(c: SyscallCtx, attempt: () => number, finish: (hfd: number) => number, abandon?: () => void): typeof JUST_RETURN {
  let got = -1;
  c.proc.sched.block({
    ready: () => (got = attempt()) >= 0,
    restartable: true,
    complete: (why) => {
      if (why !== 'woken') {
        abandon?.();
        return { value: BigInt(E.EINTR), errno: E.EINTR };
      }
      try {
        return { value: BigInt(finish(got)) };
      } catch (e) {
        if (e instanceof Errno) return { value: BigInt(e.errno), errno: e.errno };
        throw e;
      }
    },
  });
  return JUST_RETURN;
}

/** The rest of an open once the host descriptor exists: locks, the descriptor table. */
function finishOpen(c: SyscallCtx, hfd: number, flags: number, dirfd: number, p: Buffer, addedNonblock: boolean): number {
  const L = hostLibc();
  try {
    const st = hostFstat(hfd);
    const kind = kindOfMode(st.mode, hfd);
    // Drop the O_NONBLOCK added for the open itself where it changes I/O (not on regular files).
    const t = st.mode & S_IFMT;
    if (addedNonblock && t !== S_IFREG && t !== S_IFDIR) {
      const fl = L.fcntl(hfd, HOST_F.GETFL, 0);
      if (fl >= 0) L.fcntl(hfd, HOST_F.SETFL, fl & ~HOST_O.NONBLOCK);
    }
    if (flags & (O.SHLOCK | O.EXLOCK)) {
      // O_SHLOCK/O_EXLOCK take a flock(2) lock at open time (blocking unless O_NONBLOCK).
      const op = (flags & O.EXLOCK ? LOCK_EX : LOCK_SH) | (flags & O.NONBLOCK ? LOCK_NB : 0);
      check(L.flock(hfd, op), 'flock');
    }
    const keep = O.ACCMODE | O.NONBLOCK | O.APPEND | O.ASYNC | O.FSYNC | O.DIRECT | O.DSYNC | O.SHLOCK | O.EXLOCK
      | O.EXEC | O.PATH;
    return installHost(c, hfd, flags & keep, (flags & O.CLOEXEC) !== 0, kind, hostPathOf(c, dirfd, p));
  } catch (e) {
    L.close(hfd);
    throw e;
  }
}

/** fstatat (kern_statat): AT_SYMLINK_NOFOLLOW, AT_RESOLVE_BENEATH, AT_EMPTY_PATH. */
function doStatAt(c: SyscallCtx, dirfd: number, pathAddr: number, bufAddr: number, flags: number): number {
  checkAtFlags(flags, AT.SYMLINK_NOFOLLOW | AT.RESOLVE_BENEATH | AT.EMPTY_PATH);
  const p = guestPath(c, pathAddr);
  if (isEmpty(p) && !(flags & AT.EMPTY_PATH)) throw new Errno(E.ENOENT);
  const st = hostStatAt(hostDirFd(c, dirfd, p, (flags & AT.EMPTY_PATH) !== 0), p, atFlagsToHost(flags));
  c.mem.write(bufAddr, encodeStat(st));
  return 0;
}

function doMkdir(c: SyscallCtx, dirfd: number, pathAddr: number, mode: number): number {
  const p = guestPath(c, pathAddr);
  syncUmask(c);
  // kern_mkdirat: va_mode = (mode & ACCESSPERMS) & ~cmask
  check(hostLibc().mkdirat(hostDirFd(c, dirfd, p), p, mode & 0o777), 'mkdirat');
  return 0;
}

function doUnlink(c: SyscallCtx, dirfd: number, pathAddr: number, flags: number): number {
  checkAtFlags(flags, AT.REMOVEDIR | AT.RESOLVE_BENEATH);
  const p = guestPath(c, pathAddr);
  try {
    check(hostLibc().unlinkat(hostDirFd(c, dirfd, p), p, atFlagsToHost(flags)), 'unlinkat');
  } catch (e) {
    // kern_funlinkat: unlinking a directory is EPERM on FreeBSD (Linux says EISDIR).
    if (e instanceof Errno && e.errno === E.EISDIR && !(flags & AT.REMOVEDIR)) throw new Errno(E.EPERM);
    throw e;
  }
  return 0;
}

function doRename(c: SyscallCtx, ofd: number, fromAddr: number, nfd: number, toAddr: number): number {
  const from = guestPath(c, fromAddr), to = guestPath(c, toAddr);
  check(hostLibc().renameat(hostDirFd(c, ofd, from), from, hostDirFd(c, nfd, to), to), 'renameat');
  return 0;
}

function doLink(c: SyscallCtx, ofd: number, fromAddr: number, nfd: number, toAddr: number, flags: number): number {
  checkAtFlags(flags, AT.SYMLINK_FOLLOW | AT.RESOLVE_BENEATH | AT.EMPTY_PATH);
  const from = guestPath(c, fromAddr), to = guestPath(c, toAddr);
  if (isEmpty(from) && !(flags & AT.EMPTY_PATH)) throw new Errno(E.ENOENT);
  check(hostLibc().linkat(hostDirFd(c, ofd, from, (flags & AT.EMPTY_PATH) !== 0), from, hostDirFd(c, nfd, to), to,
    atFlagsToHost(flags)), 'linkat');
  return 0;
}

function doSymlink(c: SyscallCtx, targetAddr: number, dirfd: number, pathAddr: number): number {
  // The link's contents are stored as given: no sysroot translation.
  const target = cpath(c.mem.readCStringBytes(targetAddr, MAXPATHLEN));
  const p = guestPath(c, pathAddr);
  check(hostLibc().symlinkat(target, hostDirFd(c, dirfd, p), p), 'symlinkat');
  return 0;
}

function doReadlink(c: SyscallCtx, dirfd: number, pathAddr: number, bufAddr: number, len: number): number {
  const p = guestPath(c, pathAddr);
  const L = hostLibc();
  const hdir = hostDirFd(c, dirfd, p);
  const hp = c.mem.hostAddress(bufAddr, len, true);
  if (hp >= 0) {
    const n = checkN(L.readlinkat(hdir, p, hp, len), 'readlinkat');
    c.mem.wrote(bufAddr, n);
    return n;
  }
  const tmp = Buffer.allocUnsafe(len);
  const n = checkN(L.readlinkat(hdir, p, addrOf(tmp), len), 'readlinkat');
  c.mem.write(bufAddr, tmp.subarray(0, n));
  return n;
}

function doChmod(c: SyscallCtx, dirfd: number, pathAddr: number, mode: number, flags: number): number {
  checkAtFlags(flags, AT.SYMLINK_NOFOLLOW | AT.RESOLVE_BENEATH | AT.EMPTY_PATH);
  const p = guestPath(c, pathAddr);
  const L = hostLibc();
  if (isEmpty(p) && (flags & AT.EMPTY_PATH)) {
    check(L.fchmod(c.proc.fds.file(dirfd).hostFd, mode & 0o7777), 'fchmod');
    return 0;
  }
  check(L.fchmodat(hostDirFd(c, dirfd, p), p, mode & 0o7777, atFlagsToHost(flags & AT.SYMLINK_NOFOLLOW)), 'fchmodat');
  return 0;
}

function doChown(c: SyscallCtx, dirfd: number, pathAddr: number, uid: number, gid: number, flags: number): number {
  checkAtFlags(flags, AT.SYMLINK_NOFOLLOW | AT.RESOLVE_BENEATH | AT.EMPTY_PATH);
  const p = guestPath(c, pathAddr);
  if (isEmpty(p) && !(flags & AT.EMPTY_PATH)) throw new Errno(E.ENOENT);
  check(hostLibc().fchownat(hostDirFd(c, dirfd, p, true), p, uid >>> 0, gid >>> 0, atFlagsToHost(flags)), 'fchownat');
  return 0;
}

export function doAccess(c: SyscallCtx, dirfd: number, pathAddr: number, mode: number, flags: number): number {
  checkAtFlags(flags, AT.EACCESS | AT.SYMLINK_NOFOLLOW | AT.RESOLVE_BENEATH | AT.EMPTY_PATH);
  if (mode & ~(R_OK | W_OK | X_OK)) throw new Errno(E.EINVAL);
  const p = guestPath(c, pathAddr);
  if (isEmpty(p) && !(flags & AT.EMPTY_PATH)) throw new Errno(E.ENOENT);
  check(hostLibc().faccessat(hostDirFd(c, dirfd, p, true), p, mode, atFlagsToHost(flags, true)), 'faccessat');
  return 0;
}

/** Guest struct timespec[2] (UTIME_NOW -1 / UTIME_OMIT -2) → host timespec[2] (Linux values), or 0 for NULL. */
function hostTimes(c: SyscallCtx, addr: number): Buffer | null {
  if (addr === 0) return null;
  const g = c.mem.read(addr, 32);
  const h = Buffer.alloc(32);
  for (let i = 0; i < 2; i++) {
    const sec = g.readBigInt64LE(i * 16);
    const nsec = g.readBigInt64LE(i * 16 + 8);
    let hn: bigint;
    if (nsec === BigInt(UTIME_NOW)) hn = BigInt(HOST_UTIME_NOW);
    else if (nsec === BigInt(UTIME_OMIT)) hn = BigInt(HOST_UTIME_OMIT);
    else if (nsec < 0n || nsec >= 1000000000n) throw new Errno(E.EINVAL);
    else hn = nsec;
    h.writeBigInt64LE(sec, i * 16);
    h.writeBigInt64LE(hn, i * 16 + 8);
  }
  return h;
}

function doUtimens(c: SyscallCtx, dirfd: number, pathAddr: number, timesAddr: number, flags: number): number {
  checkAtFlags(flags, AT.SYMLINK_NOFOLLOW | AT.RESOLVE_BENEATH | AT.EMPTY_PATH);
  const p = guestPath(c, pathAddr);
  const t = hostTimes(c, timesAddr);
  const L = hostLibc();
  if (isEmpty(p)) {
    if (!(flags & AT.EMPTY_PATH)) throw new Errno(E.ENOENT);
    check(L.futimens(c.proc.fds.file(dirfd).hostFd, t ? addrOf(t) : 0), 'futimens');
    return 0;
  }
  check(L.utimensat(hostDirFd(c, dirfd, p), p, t ? addrOf(t) : 0, atFlagsToHost(flags & AT.SYMLINK_NOFOLLOW)), 'utimensat');
  return 0;
}

/**
 * getdirentries(fd, buf, count, basep): Linux dirent64 records re-encoded as FreeBSD's struct dirent.
 * FreeBSD's records are longer, so a host batch may not fit: the host directory offset is moved back to
 * the first record left out (its predecessor's d_off), which keeps lseek/telldir/seekdir consistent.
 * *basep gets the directory offset before the call, as in kern_getdirentries.
 */
function doGetdirentries(c: SyscallCtx, fd: number, bufAddr: number, count: number, basep: number): number {
  const f = c.proc.fds.file(fd);
  if (f.kind !== 'dir') throw new Errno(E.EINVAL);
  const L = hostLibc();
  const base = BigInt(check(L.lseek(f.hostFd, 0n, 1), 'lseek'));
  const want = Math.min(count, 1 << 20);
  const hbuf = Buffer.alloc(Math.max(want, 512));
  const n = hostGetdents(f.hostFd, hbuf.subarray(0, want));
  const out = Buffer.alloc(want);
  let pos = 0;
  let resumeAt: bigint | undefined;
  let lastOff = base;
  for (const d of decodeHostDirents(hbuf, n)) {
    const len = encodeDirent(out, pos, want, { fileno: d.ino, off: d.off, type: d.type, name: d.name });
    if (len === 0) {
      if (pos === 0) {
        // Not even one record fits the caller's buffer (FreeBSD: EINVAL). Put the offset back.
        check(L.lseek(f.hostFd, base, 0), 'lseek');
        throw new Errno(E.EINVAL);
      }
      resumeAt = lastOff;
      break;
    }
    pos += len;
    lastOff = d.off;
  }
  if (resumeAt !== undefined) check(L.lseek(f.hostFd, resumeAt, 0), 'lseek');
  if (pos > 0) c.mem.write(bufAddr, out.subarray(0, pos));
  if (basep !== 0) c.mem.writeU64(basep, base);
  return pos;
}

function doStatfs(c: SyscallCtx, hostFd: number, bufAddr: number): number {
  if (!c.mem.accessible(bufAddr, STATFS_SIZE, true)) throw new Errno(E.EFAULT);
  const info = hostFstatfs(hostFd);
  info.mntonname = c.proc.paths.toGuest(info.mntonname);
  c.mem.write(bufAddr, encodeStatfs(info));
  return 0;
}

export const fsSyscalls: SyscallDef[] = [
  sys(5, 'open', 'path oflags mode', (c, a) => doOpen(c, AT.FDCWD, ptr(a[0]), int(a[1]), int(a[2]))),
  sys(499, 'openat', 'atfd path oflags mode', (c, a) => doOpen(c, int(a[0]), ptr(a[1]), int(a[2]), int(a[3]))),
  sys(552, 'fstatat', 'atfd path ptr atflags', (c, a) => doStatAt(c, int(a[0]), ptr(a[1]), ptr(a[2]), int(a[3]))),
  sys(555, 'statfs', 'path ptr', (c, a) => {
    const p = guestPath(c, ptr(a[0]));
    const L = hostLibc();
    const hfd = check(L.openat(HOST_AT.FDCWD, p, HOST_O.PATH | HOST_O.CLOEXEC, 0), 'openat');
    try { return doStatfs(c, hfd, ptr(a[1])); } finally { L.close(hfd); }
  }),
  sys(556, 'fstatfs', 'fd ptr', (c, a) => doStatfs(c, c.proc.fds.file(int(a[0])).hostFd, ptr(a[1]))),
  sys(554, 'getdirentries', 'fd ptr size ptr', (c, a) => doGetdirentries(c, int(a[0]), ptr(a[1]), size(a[2]), ptr(a[3]))),
  sys(136, 'mkdir', 'path mode', (c, a) => doMkdir(c, AT.FDCWD, ptr(a[0]), int(a[1]))),
  sys(496, 'mkdirat', 'atfd path mode', (c, a) => doMkdir(c, int(a[0]), ptr(a[1]), int(a[2]))),
  sys(137, 'rmdir', 'path', (c, a) => doUnlink(c, AT.FDCWD, ptr(a[0]), AT.REMOVEDIR)),
  sys(10, 'unlink', 'path', (c, a) => doUnlink(c, AT.FDCWD, ptr(a[0]), 0)),
  sys(503, 'unlinkat', 'atfd path atflags', (c, a) => doUnlink(c, int(a[0]), ptr(a[1]), int(a[2]))),
  sys(128, 'rename', 'path path', (c, a) => doRename(c, AT.FDCWD, ptr(a[0]), AT.FDCWD, ptr(a[1]))),
  sys(501, 'renameat', 'atfd path atfd path', (c, a) => doRename(c, int(a[0]), ptr(a[1]), int(a[2]), ptr(a[3]))),
  // link(2) follows a symlink source on FreeBSD (kern_linkat with AT_SYMLINK_FOLLOW); Linux's does not.
  sys(9, 'link', 'path path', (c, a) => doLink(c, AT.FDCWD, ptr(a[0]), AT.FDCWD, ptr(a[1]), AT.SYMLINK_FOLLOW)),
  sys(495, 'linkat', 'atfd path atfd path atflags', (c, a) => doLink(c, int(a[0]), ptr(a[1]), int(a[2]), ptr(a[3]), int(a[4]))),
  sys(57, 'symlink', 'str path', (c, a) => doSymlink(c, ptr(a[0]), AT.FDCWD, ptr(a[1]))),
  sys(502, 'symlinkat', 'str atfd path', (c, a) => doSymlink(c, ptr(a[0]), int(a[1]), ptr(a[2]))),
  sys(58, 'readlink', 'path obuf:2 size', (c, a) => doReadlink(c, AT.FDCWD, ptr(a[0]), ptr(a[1]), size(a[2]))),
  sys(500, 'readlinkat', 'atfd path obuf:3 size', (c, a) => doReadlink(c, int(a[0]), ptr(a[1]), ptr(a[2]), size(a[3]))),
  sys(15, 'chmod', 'path mode', (c, a) => doChmod(c, AT.FDCWD, ptr(a[0]), int(a[1]), 0)),
  sys(490, 'fchmodat', 'atfd path mode atflags', (c, a) => doChmod(c, int(a[0]), ptr(a[1]), int(a[2]), int(a[3]))),
  sys(124, 'fchmod', 'fd mode', (c, a) => {
    check(hostLibc().fchmod(c.proc.fds.file(int(a[0])).hostFd, int(a[1]) & 0o7777), 'fchmod');
    return 0;
  }),
  sys(16, 'chown', 'path int int', (c, a) => doChown(c, AT.FDCWD, ptr(a[0]), int(a[1]), int(a[2]), 0)),
  sys(254, 'lchown', 'path int int', (c, a) => doChown(c, AT.FDCWD, ptr(a[0]), int(a[1]), int(a[2]), AT.SYMLINK_NOFOLLOW)),
  sys(491, 'fchownat', 'atfd path int int atflags', (c, a) => doChown(c, int(a[0]), ptr(a[1]), int(a[2]), int(a[3]), int(a[4]))),
  sys(123, 'fchown', 'fd int int', (c, a) => {
    check(hostLibc().fchown(c.proc.fds.file(int(a[0])).hostFd, int(a[1]) >>> 0, int(a[2]) >>> 0), 'fchown');
    return 0;
  }),
  sys(33, 'access', 'path access', (c, a) => doAccess(c, AT.FDCWD, ptr(a[0]), int(a[1]), 0)),
  sys(489, 'faccessat', 'atfd path access atflags', (c, a) => doAccess(c, int(a[0]), ptr(a[1]), int(a[2]), int(a[3]))),
  sys(547, 'utimensat', 'atfd path timespec atflags', (c, a) => doUtimens(c, int(a[0]), ptr(a[1]), ptr(a[2]), int(a[3]))),
  sys(546, 'futimens', 'fd timespec', (c, a) => {
    const f = c.proc.fds.file(int(a[0]));
    const t = hostTimes(c, ptr(a[1]));
    check(hostLibc().futimens(f.hostFd, t ? addrOf(t) : 0), 'futimens');
    return 0;
  }),
  sys(479, 'truncate', 'path long', (c, a) => {
    const len = BigInt.asIntN(64, a[1]);
    const p = guestPath(c, ptr(a[0]));
    if (len < 0n) throw new Errno(E.EINVAL);
    check(hostLibc().truncate(p, len), 'truncate');
    return 0;
  }),
  sys(60, 'umask', 'octal', (c, a) => {
    const old = c.proc.umask;
    c.proc.umask = int(a[0]) & 0o777;
    return old;
  }),
  sys(12, 'chdir', 'path', (c, a) => {
    const p = guestPath(c, ptr(a[0]));
    try {
      process.chdir(p.subarray(0, p.length - 1).toString('utf8'));
    } catch (e) {
      throw new Errno(nodeErrno(e));
    }
    return 0;
  }),
  sys(13, 'fchdir', 'fd', (c, a) => {
    const f = c.proc.fds.file(int(a[0]));
    if (f.kind !== 'dir') throw new Errno(E.ENOTDIR);
    check(hostLibc().fchdir(f.hostFd), 'fchdir');
    // Node caches its cwd and only refreshes it through process.chdir: tell it where we are now.
    try { process.chdir(readlinkSync('/proc/self/cwd')); } catch { /* directory gone: host cwd stays right */ }
    return 0;
  }),
  sys(326, '__getcwd', 'obuf:1 size', (c, a) => {
    const bufAddr = ptr(a[0]);
    const len = Math.min(size(a[1]), MAXPATHLEN);
    if (len < 2) throw new Errno(E.EINVAL);
    const tmp = Buffer.alloc(4096);
    if (hostLibc().getcwd(addrOf(tmp), tmp.length) === 0) check(-1, 'getcwd');
    const host = tmp.subarray(0, tmp.indexOf(0)).toString('utf8');
    const guest = cpath(c.proc.paths.toGuest(host));
    if (guest.length > len) throw new Errno(E.ERANGE);
    c.mem.write(bufAddr, guest);
    return 0;
  }),
];
