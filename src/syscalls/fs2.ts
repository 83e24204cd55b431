// More file-system calls (FreeBSD sys/kern/vfs_syscalls.c, kern_descrip.c, vfs_cache.c, ufs_vnops.c):
// flock, [f|l]pathconf, __realpathat, mkfifo[at], mknodat, [l|f]chflags[at], the timeval utimes family,
// posix_fallocate, posix_fadvise, copy_file_range, sync, chroot, getfsstat, undelete, revoke, eaccess.
// Paths go through fs.ts's guestPath/hostDirFd like every other path call.
import { readFileSync, readlinkSync } from 'node:fs';
import { Errno, E, hostErrno } from '../abi/errno.js';
import {
  AT, atFlagsToHost, checkAtFlags, HOST_AT, HOST_O, LOCK_EX, LOCK_NB, LOCK_SH, LOCK_UN, O, S_IFBLK,
  S_IFCHR, S_IFIFO, S_IFMT, S_IFWHT,
} from '../abi/fcntl.js';
import { encodeStatfs, STATFS_SIZE } from '../abi/stat.js';
import { addrOf, check, checkN, cpath, hostLibc, lastErrno } from '../host/libc.js';
import { hostFstat, hostFstatfs, hostStatAt } from '../host/stat.js';
import type { OpenFile } from '../kernel/fdtable.js';
import { int, ptr, size } from './args.js';
import { doAccess, guestPath, hostDirFd, syncUmask } from './fs.js';
import { JUST_RETURN, sys, type SyscallCtx, type SyscallDef } from './types.js';

/** sys/sys/syslimits.h */
const MAXPATHLEN = 1024, NAME_MAX = 255, PIPE_BUF = 512, MAX_CANON = 255, MAX_INPUT = 255;
/** sys/sys/_types.h / ttydefaults: _POSIX_VDISABLE */
const POSIX_VDISABLE = 0xff;
/** sys/ufs/ufs/dinode.h */
const UFS_LINK_MAX = 32767;
/** A UFS2 default newfs: 32 KiB blocks (f_iosize), 4 KiB fragments. */
const UFS_IOSIZE = 32768, UFS_FSIZE = 4096, PAGE_SIZE = 4096;

// sys/sys/unistd.h pathconf names
const PC = {
  LINK_MAX: 1, MAX_CANON: 2, MAX_INPUT: 3, NAME_MAX: 4, PATH_MAX: 5, PIPE_BUF: 6, CHOWN_RESTRICTED: 7,
  NO_TRUNC: 8, VDISABLE: 9, ALLOC_SIZE_MIN: 10, FILESIZEBITS: 12, REC_INCR_XFER_SIZE: 14,
  REC_MAX_XFER_SIZE: 15, REC_MIN_XFER_SIZE: 16, REC_XFER_ALIGN: 17, SYMLINK_MAX: 18, MIN_HOLE_SIZE: 21,
  ASYNC_IO: 53, PRIO_IO: 54, SYNC_IO: 55, ACL_EXTENDED: 59, ACL_PATH_MAX: 60, CAP_PRESENT: 61,
  INF_PRESENT: 62, MAC_PRESENT: 63, ACL_NFS4: 64,
} as const;
/** sys/sys/unistd.h _POSIX_ASYNCHRONOUS_IO */
const POSIX_ASYNCHRONOUS_IO = 200112;

type VType = 'reg' | 'dir' | 'fifo' | 'chr' | 'tty' | 'lnk' | 'other';

/**
 * VOP_PATHCONF as a UFS2 file system (ufs_pathconf, then vop_stdpathconf) would answer it for a vnode of
 * the given type; device nodes answer like devfs (devfs_pathconf). Unknown names: EINVAL.
 */
function pathconfValue(vt: VType, name: number): number {
  const dev = vt === 'chr' || vt === 'tty';
  switch (name) {
    case PC.LINK_MAX: return dev ? 0x7fffffff : UFS_LINK_MAX;
    case PC.NAME_MAX: return NAME_MAX;
    case PC.PIPE_BUF:
      if (vt === 'dir' || vt === 'fifo') return PIPE_BUF;
      throw new Errno(E.EINVAL);
    case PC.MAX_CANON: if (vt === 'tty') return MAX_CANON; throw new Errno(E.EINVAL);
    case PC.MAX_INPUT: if (vt === 'tty') return MAX_INPUT; throw new Errno(E.EINVAL);
    case PC.VDISABLE: if (vt === 'tty') return POSIX_VDISABLE; throw new Errno(E.EINVAL);
    case PC.FILESIZEBITS: return 64;
    case PC.SYMLINK_MAX: return MAXPATHLEN;
    case PC.PATH_MAX: return MAXPATHLEN;
    case PC.ASYNC_IO: return POSIX_ASYNCHRONOUS_IO;
    case PC.ACL_EXTENDED: case PC.ACL_NFS4: case PC.CAP_PRESENT: case PC.INF_PRESENT: case PC.MAC_PRESENT:
      return 0;
  }
  if (dev) throw new Errno(E.EINVAL);
  switch (name) {
    case PC.CHOWN_RESTRICTED: return 1;
    case PC.NO_TRUNC: return 1;
    case PC.ACL_PATH_MAX: return 3;
    case PC.MIN_HOLE_SIZE: return UFS_IOSIZE;
    case PC.PRIO_IO: return 0;
    case PC.SYNC_IO: return 0;
    case PC.ALLOC_SIZE_MIN: return UFS_FSIZE;
    case PC.REC_INCR_XFER_SIZE: return UFS_IOSIZE;
    case PC.REC_MAX_XFER_SIZE: return -1;
    case PC.REC_MIN_XFER_SIZE: return UFS_IOSIZE;
    case PC.REC_XFER_ALIGN: return PAGE_SIZE;
  }
  throw new Errno(E.EINVAL);
}

function vtypeOfMode(mode: number, isTty: () => boolean): VType {
  switch (mode & S_IFMT) {
    case 0o100000: return 'reg';
    case 0o040000: return 'dir';
    case S_IFIFO: return 'fifo';
    case 0o120000: return 'lnk';
    case S_IFCHR: return isTty() ? 'tty' : 'chr';
    default: return 'other';
  }
}

function doPathconf(c: SyscallCtx, pathAddr: number, name: number, follow: boolean): number {
  const p = guestPath(c, pathAddr);
  if (p[0] === 0) throw new Errno(E.ENOENT);
  const st = hostStatAt(HOST_AT.FDCWD, p, follow ? 0 : HOST_AT.SYMLINK_NOFOLLOW);
  const vt = vtypeOfMode(st.mode, () => {
    // Only a terminal answers MAX_CANON etc.; open it just to ask (O_PATH cannot isatty).
    const L = hostLibc();
    const fd = L.openat(HOST_AT.FDCWD, p, HOST_O.RDONLY | HOST_O.NONBLOCK | HOST_O.NOCTTY | HOST_O.CLOEXEC, 0);
    if (fd < 0) return false;
    try { return L.isatty(fd) === 1; } finally { L.close(fd); }
  });
  // lpathconf on a symlink: UFS answers for the link vnode itself.
  return pathconfValue(vt === 'lnk' ? 'reg' : vt, name);
}

function doFpathconf(c: SyscallCtx, fd: number, name: number): number {
  const f = c.proc.fds.file(fd);
  // kern_fpathconf: pipes and sockets know only _PC_PIPE_BUF.
  // A named fifo opened by path is a vnode (DTYPE_FIFO): the file system answers.
  if (f.kind === 'pipe' && f.path !== undefined) return pathconfValue('fifo', name);
  if (f.kind === 'pipe' || f.kind === 'socket') {
    if (name === PC.PIPE_BUF) return PIPE_BUF;
    throw new Errno(E.EINVAL);
  }
  if (f.kind === 'kqueue') throw new Errno(E.EOPNOTSUPP);
  const st = hostFstat(f.hostFd);
  return pathconfValue(vtypeOfMode(st.mode, () => f.kind === 'tty'), name);
}

/** flock(2) (kern_descrip.c sys_flock): vnodes only; no LOCK_EX/SH/UN bit is EBADF. */
function doFlock(c: SyscallCtx, fd: number, how: number): number | typeof JUST_RETURN {
  const f = c.proc.fds.file(fd);
  if (f.kind === 'pipe' || f.kind === 'socket' || f.kind === 'kqueue') throw new Errno(E.EOPNOTSUPP);
  let op: number;
  if (how & LOCK_UN) op = LOCK_UN;
  else if (how & LOCK_EX) op = LOCK_EX;
  else if (how & LOCK_SH) op = LOCK_SH;
  else throw new Errno(E.EBADF);
  const L = hostLibc();
  if (op === LOCK_UN) { check(L.flock(f.hostFd, LOCK_UN), 'flock'); return 0; }
  if (L.flock(f.hostFd, op | LOCK_NB) === 0) return 0;
  const err = hostErrno(lastErrno());
  if (err !== E.EWOULDBLOCK || (how & LOCK_NB)) throw new Errno(err);
  // Held elsewhere and the guest wants to wait: park this guest thread (another guest thread may be the
  // holder) and retry the non-blocking lock whenever the scheduler polls; signals interrupt (EINTR, or a
  // restart under SA_RESTART), as lf_advlock's interruptible sleep does.
  c.proc.sched.block({
    ready: () => L.flock(f.hostFd, op | LOCK_NB) === 0,
    restartable: true,
    complete: (why) => (why === 'woken' ? { value: 0n } : { value: BigInt(E.EINTR), errno: E.EINTR }),
  });
  return JUST_RETURN;
}

/** mkfifo/mkfifoat (kern_mkfifoat): mode & ALLPERMS & ~umask. */
function doMkfifo(c: SyscallCtx, dirfd: number, pathAddr: number, mode: number): number {
  const p = guestPath(c, pathAddr);
  if (p[0] === 0) throw new Errno(E.ENOENT);
  syncUmask(c);
  check(hostLibc().mknodat(hostDirFd(c, dirfd, p), p, S_IFIFO | (mode & 0o7777), 0n), 'mknodat');
  return 0;
}

/** mknodat (kern_mknodat): fifos with dev 0 are mkfifo; devices and whiteouts need privilege; else EINVAL. */
function doMknod(c: SyscallCtx, dirfd: number, pathAddr: number, mode: number, dev: bigint): number {
  switch (mode & S_IFMT) {
    case S_IFCHR:
    case S_IFBLK:
    case S_IFWHT:
      if (c.proc.euid !== 0) throw new Errno(E.EPERM);
      // Privileged: a device node on the host file system would carry a Linux device number that means
      // nothing to the guest; whiteouts do not exist there. Refuse like a file system without them.
      throw new Errno(E.EOPNOTSUPP);
    case S_IFIFO:
      if (dev === 0n) return doMkfifo(c, dirfd, pathAddr, mode);
      throw new Errno(E.EINVAL);
    default:
      throw new Errno(E.EINVAL);
  }
}

/**
 * chflags family: the host file systems keep no BSD file flags (st_flags always reads 0). Setting 0 is
 * a successful no-op once the file is found; other flags are EOPNOTSUPP, what VOP_SETATTR answers on a
 * FreeBSD file system without flag support (and what cp -p / install tolerate).
 */
function doChflags(c: SyscallCtx, dirfd: number, pathAddr: number, flags: bigint, atflag: number): number {
  checkAtFlags(atflag, AT.SYMLINK_NOFOLLOW | AT.RESOLVE_BENEATH | AT.EMPTY_PATH);
  const p = guestPath(c, pathAddr);
  if (p[0] === 0 && !(atflag & AT.EMPTY_PATH)) throw new Errno(E.ENOENT);
  hostStatAt(hostDirFd(c, dirfd, p, (atflag & AT.EMPTY_PATH) !== 0), p, atFlagsToHost(atflag));
  return chflagsResult(flags);
}
function chflagsResult(flags: bigint): number {
  if ((flags & 0xffffffffn) !== 0n) throw new Errno(E.EOPNOTSUPP);
  return 0;
}

/** Guest struct timeval[2] → host struct timespec[2] for utimensat, or null for "now". */
function hostTimesFromTimeval(c: SyscallCtx, addr: number): Buffer | null {
  if (addr === 0) return null;
  const g = c.mem.read(addr, 32);
  const h = Buffer.alloc(32);
  for (let i = 0; i < 2; i++) {
    const sec = g.readBigInt64LE(i * 16), usec = g.readBigInt64LE(i * 16 + 8);
    // kern_utimesat → getutimes: tv_usec outside [0, 1000000) is EINVAL.
    if (usec < 0n || usec >= 1000000n) throw new Errno(E.EINVAL);
    h.writeBigInt64LE(sec, i * 16);
    h.writeBigInt64LE(usec * 1000n, i * 16 + 8);
  }
  return h;
}

function doUtimes(c: SyscallCtx, dirfd: number, pathAddr: number, tvAddr: number, nofollow: boolean): number {
  const p = guestPath(c, pathAddr);
  if (p[0] === 0) throw new Errno(E.ENOENT);
  const t = hostTimesFromTimeval(c, tvAddr);
  check(hostLibc().utimensat(hostDirFd(c, dirfd, p), p, t ? addrOf(t) : 0,
    nofollow ? HOST_AT.SYMLINK_NOFOLLOW : 0), 'utimensat');
  return 0;
}

/** posix_fallocate / posix_fadvise report errors in the return value (kern_posix_error), not errno. */
function posixError(fn: () => void): number {
  try {
    fn();
    return 0;
  } catch (e) {
    if (e instanceof Errno) return e.errno;
    throw e;
  }
}

/** kern_posix_fallocate: EINVAL for bad ranges, EFBIG for wrap, ESPIPE pipes, ENODEV other non-files. */
function doFallocate(c: SyscallCtx, fd: number, offset: bigint, len: bigint): void {
  if (offset < 0n || len <= 0n) throw new Errno(E.EINVAL);
  if (offset > 0x7fffffffffffffffn - len) throw new Errno(E.EFBIG);
  const f = c.proc.fds.file(fd);
  // Not seekable (no DFLAG_SEEKABLE): ESPIPE; then FWRITE; then vn_fallocate wants a regular file.
  notSeekable(f);
  if ((f.flags & O.ACCMODE) === O.RDONLY) throw new Errno(E.EBADF);
  if (f.kind !== 'file') throw new Errno(E.ENODEV);
  const r = hostLibc().posix_fallocate(f.hostFd, offset, len);
  if (r !== 0) throw new Errno(hostErrno(r));
}

/** Pipes, sockets and kqueues have no DFLAG_SEEKABLE (a named fifo opened by path is a vnode). */
function notSeekable(f: OpenFile): void {
  if ((f.kind === 'pipe' && f.path === undefined) || f.kind === 'socket' || f.kind === 'kqueue') {
    throw new Errno(E.ESPIPE);
  }
}

/** sys/sys/fcntl.h POSIX_FADV_NORMAL..POSIX_FADV_NOREUSE = 0..5. */
const POSIX_FADV_NOREUSE = 5;
function doFadvise(c: SyscallCtx, fd: number, offset: bigint, len: bigint, advice: number): void {
  if (offset < 0n || len < 0n || offset > 0x7fffffffffffffffn - len) throw new Errno(E.EINVAL);
  if (advice < 0 || advice > POSIX_FADV_NOREUSE) throw new Errno(E.EINVAL);
  const f = c.proc.fds.file(fd);
  // kern_posix_fadvise: not seekable is ESPIPE; any other non-vnode is ENODEV (all ours are vnodes then).
  notSeekable(f);
  // Advice only: nothing to do (the host page cache decides on its own).
}

/**
 * copy_file_range (vfs_syscalls.c kern_copy_file_range): flags must be 0; infd readable, outfd writable
 * and not O_APPEND (EBADF); both regular files (EISDIR for directories, EINVAL otherwise); overlapping
 * ranges of one file are EINVAL. The host call does the copy, with a read/write loop where it cannot.
 */
function doCopyFileRange(c: SyscallCtx, a: BigUint64Array): number {
  const infd = int(a[0]), inoffp = ptr(a[1]), outfd = int(a[2]), outoffp = ptr(a[3]);
  const len = size(a[4]);
  // sys_copy_file_range copies the offsets in before anything else (EFAULT first).
  const inGiven = inoffp ? c.mem.read(inoffp, 8).readBigInt64LE(0) : undefined;
  const outGiven = outoffp ? c.mem.read(outoffp, 8).readBigInt64LE(0) : undefined;
  if (uintFlags(a[5]) !== 0) throw new Errno(E.EINVAL);
  const fin = c.proc.fds.file(infd), fout = c.proc.fds.file(outfd);
  if ((fin.flags & O.ACCMODE) === O.WRONLY || (fout.flags & O.ACCMODE) === O.RDONLY
    || (fout.flags & O.APPEND)) throw new Errno(E.EBADF);
  if (fin.kind === 'dir' || fout.kind === 'dir') throw new Errno(E.EISDIR);
  if (fin.kind !== 'file' || fout.kind !== 'file') throw new Errno(E.EINVAL);
  const L = hostLibc();
  const inOff = Buffer.alloc(8), outOff = Buffer.alloc(8);
  let inPos = inGiven ?? BigInt(L.lseek(fin.hostFd, 0n, 1));
  let outPos = outGiven ?? BigInt(L.lseek(fout.hostFd, 0n, 1));
  if (inPos < 0n || outPos < 0n) throw new Errno(E.EINVAL);
  const sin = hostFstat(fin.hostFd), sout = hostFstat(fout.hostFd);
  if (sin.dev === sout.dev && sin.ino === sout.ino
    && inPos < outPos + BigInt(len) && outPos < inPos + BigInt(len)) throw new Errno(E.EINVAL);
  if (len === 0) return 0;
  inOff.writeBigInt64LE(inPos);
  outOff.writeBigInt64LE(outPos);
  let n = Number(L.copy_file_range(fin.hostFd, addrOf(inOff), fout.hostFd, addrOf(outOff), len, 0));
  if (n < 0) {
    const err = lastErrno();
    const he = hostErrno(err);
    if (he !== E.EXDEV && he !== E.EOPNOTSUPP && he !== E.ENOSYS && he !== E.EINVAL) throw new Errno(he);
    // Fallback: one bounded pread/pwrite round (a short count is allowed; callers loop).
    const chunk = Buffer.allocUnsafe(Math.min(len, 1 << 20));
    const r = checkN(L.pread(fin.hostFd, addrOf(chunk), chunk.length, inPos), 'pread');
    n = r > 0 ? checkN(L.pwrite(fout.hostFd, addrOf(chunk), r, outPos), 'pwrite') : 0;
  }
  inPos += BigInt(n);
  outPos += BigInt(n);
  // Offsets: through the pointers when given, else the descriptors' own offsets move.
  if (inoffp) c.mem.writeU64(inoffp, BigInt.asUintN(64, inPos));
  else check(L.lseek(fin.hostFd, inPos, 0), 'lseek');
  if (outoffp) c.mem.writeU64(outoffp, BigInt.asUintN(64, outPos));
  else check(L.lseek(fout.hostFd, outPos, 0), 'lseek');
  return n;
}
const uintFlags = (x: bigint): number => Number(x & 0xffffffffn);

/** getfsstat(buf, bufsize, mode): every host mount (as statfs reports it), up to bufsize / sizeof(statfs). */
const MNT_WAIT = 1, MNT_NOWAIT = 2;
function doGetfsstat(c: SyscallCtx, bufAddr: number, bufsize: bigint, mode: number): number {
  if (mode !== MNT_WAIT && mode !== MNT_NOWAIT) throw new Errno(E.EINVAL);
  if (bufsize < 0n) throw new Errno(E.EINVAL);
  const max = bufAddr === 0 ? Infinity : Number(bufsize / BigInt(STATFS_SIZE));
  let mounts: string[] = [];
  try {
    mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').filter((l) => l).map((l) =>
      l.split(' ')[1].replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))));
  } catch { mounts = ['/']; }
  const L = hostLibc();
  let count = 0;
  const seen = new Set<string>();
  for (const m of mounts) {
    if (seen.has(m)) continue;
    seen.add(m);
    const hfd = L.openat(HOST_AT.FDCWD, cpath(m), HOST_O.PATH | HOST_O.CLOEXEC, 0);
    if (hfd < 0) continue;
    try {
      if (bufAddr !== 0 && count < max) {
        const info = hostFstatfs(hfd);
        info.mntonname = c.proc.paths.toGuest(info.mntonname);
        c.mem.write(bufAddr + count * STATFS_SIZE, encodeStatfs(info));
      }
      count++;
    } catch (e) {
      if (e instanceof Errno && e.errno === E.EFAULT) throw e;
      // a mount that vanished or cannot be asked: left out
    } finally {
      L.close(hfd);
    }
  }
  return bufAddr === 0 ? count : Math.min(count, max);
}

/** __realpathat(fd, path, buf, size, flags): the canonical path as the guest sees it (sysroot removed). */
function doRealpathat(c: SyscallCtx, dirfd: number, pathAddr: number, bufAddr: number, sz: number, flags: number): number {
  if (flags !== 0) throw new Errno(E.EINVAL);
  const p = guestPath(c, pathAddr);
  if (p[0] === 0) throw new Errno(E.ENOENT);
  const L = hostLibc();
  const hfd = check(L.openat(hostDirFd(c, dirfd, p), p, HOST_O.PATH | HOST_O.CLOEXEC, 0), 'openat');
  let host: string;
  try {
    host = readlinkSync(`/proc/self/fd/${hfd}`);
  } catch {
    throw new Errno(E.ENOENT);
  } finally {
    L.close(hfd);
  }
  const out = cpath(c.proc.paths.toGuest(host));
  // vn_fullpath_hardlink: the buffer is capped at MAXPATHLEN; a path that does not fit is ENOMEM.
  if (out.length > Math.min(sz, MAXPATHLEN)) throw new Errno(E.ENOMEM);
  c.mem.write(bufAddr, out);
  return 0;
}

export const fs2Syscalls: SyscallDef[] = [
  sys(131, 'flock', 'fd flockop', (c, a) => doFlock(c, int(a[0]), int(a[1]))),
  sys(191, 'pathconf', 'path pathconf', (c, a) => doPathconf(c, ptr(a[0]), int(a[1]), true)),
  sys(513, 'lpathconf', 'path pathconf', (c, a) => doPathconf(c, ptr(a[0]), int(a[1]), false)),
  sys(192, 'fpathconf', 'fd pathconf', (c, a) => doFpathconf(c, int(a[0]), int(a[1]))),
  sys(574, '__realpathat', 'atfd path ptr size int', (c, a) =>
    doRealpathat(c, int(a[0]), ptr(a[1]), ptr(a[2]), size(a[3]), int(a[4]))),
  sys(132, 'mkfifo', 'path mode', (c, a) => doMkfifo(c, AT.FDCWD, ptr(a[0]), int(a[1]))),
  sys(497, 'mkfifoat', 'atfd path mode', (c, a) => doMkfifo(c, int(a[0]), ptr(a[1]), int(a[2]))),
  sys(559, 'mknodat', 'atfd path mode hex', (c, a) => doMknod(c, int(a[0]), ptr(a[1]), int(a[2]), a[3])),
  sys(34, 'chflags', 'path hex', (c, a) => doChflags(c, AT.FDCWD, ptr(a[0]), a[1], 0)),
  sys(391, 'lchflags', 'path hex', (c, a) => doChflags(c, AT.FDCWD, ptr(a[0]), a[1], AT.SYMLINK_NOFOLLOW)),
  sys(540, 'chflagsat', 'atfd path hex atflags', (c, a) => doChflags(c, int(a[0]), ptr(a[1]), a[2], int(a[3]))),
  sys(35, 'fchflags', 'fd hex', (c, a) => {
    const f = c.proc.fds.file(int(a[0]));
    if (f.kind === 'pipe' || f.kind === 'socket' || f.kind === 'kqueue') throw new Errno(E.EINVAL); // getvnode
    return chflagsResult(a[1]);
  }),
  sys(138, 'utimes', 'path ptr', (c, a) => doUtimes(c, AT.FDCWD, ptr(a[0]), ptr(a[1]), false)),
  sys(276, 'lutimes', 'path ptr', (c, a) => doUtimes(c, AT.FDCWD, ptr(a[0]), ptr(a[1]), true)),
  sys(494, 'futimesat', 'atfd path ptr', (c, a) => doUtimes(c, int(a[0]), ptr(a[1]), ptr(a[2]), false)),
  sys(206, 'futimes', 'fd ptr', (c, a) => {
    const f = c.proc.fds.file(int(a[0]));
    const t = hostTimesFromTimeval(c, ptr(a[1]));
    if (f.kind === 'pipe' || f.kind === 'socket' || f.kind === 'kqueue') throw new Errno(E.EINVAL); // getvnode
    check(hostLibc().futimens(f.hostFd, t ? addrOf(t) : 0), 'futimens');
    return 0;
  }),
  sys(530, 'posix_fallocate', 'fd long long', (c, a) =>
    posixError(() => doFallocate(c, int(a[0]), BigInt.asIntN(64, a[1]), BigInt.asIntN(64, a[2])))),
  sys(531, 'posix_fadvise', 'fd long long int', (c, a) =>
    posixError(() => doFadvise(c, int(a[0]), BigInt.asIntN(64, a[1]), BigInt.asIntN(64, a[2]), int(a[3])))),
  sys(569, 'copy_file_range', 'fd ptr fd ptr size hex', (c, a) => doCopyFileRange(c, a)),
  sys(36, 'sync', '', () => { hostLibc().sync(); return 0; }),
  sys(61, 'chroot', 'path', (c, a) => {
    // kern_chroot: privilege first (PRIV_VFS_CHROOT), then the lookup (must be a directory).
    if (c.proc.euid !== 0) throw new Errno(E.EPERM);
    const p = guestPath(c, ptr(a[0]));
    if (p[0] === 0) throw new Errno(E.ENOENT);
    const st = hostStatAt(HOST_AT.FDCWD, p, 0);
    if ((st.mode & S_IFMT) !== 0o040000) throw new Errno(E.ENOTDIR);
    // Changing the emulated root is not supported: only chroot to the current root is a (no-op) success.
    const root = hostStatAt(HOST_AT.FDCWD, cpath(c.proc.paths.root ?? '/'), 0);
    if (root.dev === st.dev && root.ino === st.ino) return 0;
    throw new Errno(E.EPERM);
  }),
  sys(557, 'getfsstat', 'ptr long int', (c, a) => doGetfsstat(c, ptr(a[0]), BigInt.asIntN(64, a[1]), int(a[2]))),
  sys(205, 'undelete', 'path', (c, a) => {
    // No whiteouts on our file systems: an existing name, or a name without a whiteout, is EEXIST once
    // its directory is found (kern_undelete).
    const p = guestPath(c, ptr(a[0]));
    if (p[0] === 0) throw new Errno(E.ENOENT);
    const s = p.subarray(0, p.length - 1).toString('utf8').replace(/\/+$/, '');
    const slash = s.lastIndexOf('/');
    const dir = slash < 0 ? '.' : slash === 0 ? '/' : s.slice(0, slash);
    const st = hostStatAt(HOST_AT.FDCWD, cpath(dir), 0);
    if ((st.mode & S_IFMT) !== 0o040000) throw new Errno(E.ENOTDIR);
    throw new Errno(E.EEXIST);
  }),
  sys(56, 'revoke', 'path', (c, a) => {
    // sys_revoke: character devices only (EINVAL), owner or privileged (EPERM). Revoking a host device
    // is not ours to do, so an allowed revoke is accepted without effect.
    const p = guestPath(c, ptr(a[0]));
    if (p[0] === 0) throw new Errno(E.ENOENT);
    const st = hostStatAt(HOST_AT.FDCWD, p, 0);
    if ((st.mode & S_IFMT) !== S_IFCHR) throw new Errno(E.EINVAL);
    if (c.proc.euid !== 0 && st.uid !== c.proc.euid) throw new Errno(E.EPERM);
    return 0;
  }),
  sys(376, 'eaccess', 'path access', (c, a) => doAccess(c, AT.FDCWD, ptr(a[0]), int(a[1]), AT.EACCESS)),
];
