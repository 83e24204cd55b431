// Descriptor I/O (QEMU: bsd-user/bsd-file.h): read/write and their vector and positioned forms, lseek,
// close, dup, fcntl, pipe2, fsync, ftruncate, fstat. Every guest descriptor is a real host descriptor
// (src/kernel/fdtable.ts); data moves between the host kernel and guest memory without a copy whenever the
// guest range is one host block.
import { Errno, E } from '../abi/errno.js';
import {
  CLOSE_RANGE_CLOEXEC, decodeFlock, encodeFlock, F, FD_CLOEXEC, flockFromHost, flockToHost, FLOCK_SIZE, HOST_F,
  HOST_O, O, S_IFCHR, S_IFDIR, S_IFIFO, S_IFMT, S_IFREG, S_IFSOCK, SETFL_MASK, setflToHost, statusFlagsFromHost,
} from '../abi/fcntl.js';
import { encodeStat } from '../abi/stat.js';
import { fstatSync } from 'node:fs';
import { share, type FileKind, type OpenFile } from '../kernel/fdtable.js';
import { SI, SIG } from '../kernel/signals.js';
import { addrOf, check, checkN, hostLibc } from '../host/libc.js';
import { hostFstat } from '../host/stat.js';
import { int, ptr, size, uint } from './args.js';
import { signalSelf } from './proc.js';
import { ioReady, noteIo } from './event.js';
import { HOST_POLL, hostFionread, hostPipeSize } from '../host/poll.js';
import { JUST_RETURN, sys, type SyscallCtx, type SyscallDef } from './types.js';
import { now } from '../kernel/threads.js';

/** sys/sys/uio.h / sys/sys/syslimits.h */
const IOV_MAX = 1024;
const SSIZE_MAX = 0x7fffffffffffffffn;

/** libc isatty, as node:tty's (which would load node:net and streams at start-up: ~5 ms, issue 5). */
const isatty = (fd: number): boolean => hostLibc().isatty(fd) === 1;

/** The kind of a host descriptor from its st_mode. */
export function kindOfMode(mode: number, hostFd: number): FileKind {
  switch (mode & S_IFMT) {
    case S_IFREG: return 'file';
    case S_IFDIR: return 'dir';
    case S_IFIFO: return 'pipe';
    case S_IFSOCK: return 'socket';
    case S_IFCHR: return isatty(hostFd) ? 'tty' : 'other';
    default: return 'other';
  }
}

/** Puts a freshly opened host descriptor into the guest table; closes it on the host if the table is full. */
export function installHost(c: SyscallCtx, hostFd: number, flags: number, cloexec: boolean, kind: FileKind, path?: string): number {
  const file: OpenFile = { hostFd, flags, kind, path, refs: 1 };
  try {
    return c.proc.fds.install(file, cloexec);
  } catch (e) {
    hostLibc().close(hostFd);
    throw e;
  }
}

/** Host F_GETFL as FreeBSD flags. */
function hostGetfl(f: OpenFile): number {
  return statusFlagsFromHost(check(hostLibc().fcntl(f.hostFd, HOST_F.GETFL, 0), 'fcntl'));
}

/** Sets or clears host status bits (O_NONBLOCK, O_APPEND, ...) and mirrors them in the open file's flags. */
export function setStatusFlags(f: OpenFile, guestFlags: number): void {
  const L = hostLibc();
  const cur = check(L.fcntl(f.hostFd, HOST_F.GETFL, 0), 'fcntl');
  const changeable = HOST_O.APPEND | HOST_O.NONBLOCK | HOST_O.ASYNC | HOST_O.DIRECT;
  const want = (cur & ~changeable) | setflToHost(guestFlags & SETFL_MASK);
  if (want !== cur && L.fcntl(f.hostFd, HOST_F.SETFL, want) < 0) {
    // Some file systems refuse O_DIRECT; FreeBSD ignores it where unsupported, so retry without it.
    check(L.fcntl(f.hostFd, HOST_F.SETFL, want & ~HOST_O.DIRECT), 'fcntl');
  }
  f.flags = (f.flags & ~SETFL_MASK) | (guestFlags & SETFL_MASK);
}

/**
 * A write through a descriptor changed a regular file's bytes, which mappings of the same file see at once;
 * executable ones must drop translated code (smc.c "pwrite to the file changes shared code"). `offset`
 * is undefined for writes at the file position.
 */
function wroteFile(c: SyscallCtx, f: OpenFile, n: number, pos?: bigint): number {
  if (n > 0 && f.kind === 'file') c.proc.vm.fileWritten(f.hostFd, pos, n);
  return n;
}

function failWrite(c: SyscallCtx, e: unknown, f?: OpenFile): never {
  // FreeBSD's dofilewrite: EPIPE also raises SIGPIPE (the host ignores it in Node, so we deliver it),
  // except on a socket with SO_NOSIGPIPE.
  if (e instanceof Errno && e.errno === E.EPIPE && !f?.nosigpipe) signalSelf(c.proc, SIG.SIGPIPE, c.proc.sched.current, SI.KERNEL);
  throw e;
}

function readable(c: SyscallCtx, fd: number): OpenFile {
  const f = c.proc.fds.file(fd);
  if (f.kind === 'dir') throw new Errno(E.EISDIR);
  return f;
}

/** read/pread into guest memory: straight into it when one host block holds the range, else bounced. */
function doRead(c: SyscallCtx, f: OpenFile, addr: number, len: number, pos?: bigint): number {
  const L = hostLibc();
  const hp = c.mem.hostAddress(addr, len, true);
  if (hp >= 0) {
    const n = checkN(pos === undefined ? L.read(f.hostFd, hp, len) : L.pread(f.hostFd, hp, len, pos), 'read');
    if (n > 0) c.mem.wrote(addr, n);
    return n;
  }
  const tmp = Buffer.allocUnsafe(len);
  const n = checkN(pos === undefined ? L.read(f.hostFd, addrOf(tmp), len) : L.pread(f.hostFd, addrOf(tmp), len, pos), 'read');
  c.mem.write(addr, tmp.subarray(0, n));
  return n;
}

/** One host write (no SIGPIPE handling: the caller knows which thread failed). */
function writeOnce(c: SyscallCtx, f: OpenFile, addr: number, len: number, pos?: bigint): number {
  const L = hostLibc();
  const hp = c.mem.hostAddress(addr, len, false);
  if (hp >= 0) return wroteFile(c, f, checkN(pos === undefined ? L.write(f.hostFd, hp, len) : L.pwrite(f.hostFd, hp, len, pos), 'write'), pos);
  const tmp = c.mem.read(addr, len);
  return wroteFile(c, f, checkN(pos === undefined ? L.write(f.hostFd, addrOf(tmp), len) : L.pwrite(f.hostFd, addrOf(tmp), len, pos), 'write'), pos);
}

function doWrite(c: SyscallCtx, f: OpenFile, addr: number, len: number, pos?: bigint): number {
  try {
    return writeOnce(c, f, addr, len, pos);
  } catch (e) {
    failWrite(c, e);
  }
}

interface Iov { base: number; len: number }
/** Reads a guest struct iovec array (sys/sys/_iovec.h: {void *iov_base; size_t iov_len}, 16 bytes, as Linux). */
function readIovecs(c: SyscallCtx, addr: number, cnt: number): Iov[] {
  if (cnt > IOV_MAX) throw new Errno(E.EINVAL);
  const raw = c.mem.read(addr, cnt * 16);
  const out: Iov[] = [];
  let total = 0n;
  for (let i = 0; i < cnt; i++) {
    const len = raw.readBigUInt64LE(i * 16 + 8);
    total += len;
    if (len > SSIZE_MAX || total > SSIZE_MAX) throw new Errno(E.EINVAL);
    out.push({ base: ptr(raw.readBigUInt64LE(i * 16)), len: Number(len) });
  }
  return out;
}

/** Host iovec array over guest memory, or null when some piece spans host blocks. */
function hostIovecs(c: SyscallCtx, iovs: Iov[], write: boolean): Buffer | null {
  const b = Buffer.alloc(Math.max(1, iovs.length) * 16);
  for (let i = 0; i < iovs.length; i++) {
    const hp = c.mem.hostAddress(iovs[i].base, iovs[i].len, write);
    if (hp < 0) return null;
    b.writeBigUInt64LE(BigInt(hp), i * 16);
    b.writeBigUInt64LE(BigInt(iovs[i].len), i * 16 + 8);
  }
  return b;
}

function doReadv(c: SyscallCtx, f: OpenFile, iovAddr: number, cnt: number, pos?: bigint): number {
  const L = hostLibc();
  const iovs = readIovecs(c, iovAddr, cnt);
  const hv = hostIovecs(c, iovs, true);
  if (hv) {
    const n = checkN(pos === undefined ? L.readv(f.hostFd, addrOf(hv), iovs.length) : L.preadv(f.hostFd, addrOf(hv), iovs.length, pos), 'readv');
    let left = n;
    for (const v of iovs) {
      if (left <= 0) break;
      const k = Math.min(left, v.len);
      c.mem.wrote(v.base, k);
      left -= k;
    }
    return n;
  }
  const total = iovs.reduce((s, v) => s + v.len, 0);
  const tmp = Buffer.allocUnsafe(total);
  const n = checkN(pos === undefined ? L.read(f.hostFd, addrOf(tmp), total) : L.pread(f.hostFd, addrOf(tmp), total, pos), 'readv');
  let at = 0;
  for (const v of iovs) {
    if (at >= n) break;
    const k = Math.min(n - at, v.len);
    c.mem.write(v.base, tmp.subarray(at, at + k));
    at += k;
  }
  return n;
}

function writevOnce(c: SyscallCtx, f: OpenFile, iovs: Iov[], pos?: bigint): number {
  const L = hostLibc();
  const hv = hostIovecs(c, iovs, false);
  if (hv) return wroteFile(c, f, checkN(pos === undefined ? L.writev(f.hostFd, addrOf(hv), iovs.length) : L.pwritev(f.hostFd, addrOf(hv), iovs.length, pos), 'writev'), pos);
  // Gathered into one buffer so the write stays one atomic host write.
  const tmp = Buffer.concat(iovs.map((v) => c.mem.read(v.base, v.len)));
  return wroteFile(c, f, checkN(pos === undefined ? L.write(f.hostFd, addrOf(tmp), tmp.length) : L.pwrite(f.hostFd, addrOf(tmp), tmp.length, pos), 'writev'), pos);
}

function doWritev(c: SyscallCtx, f: OpenFile, iovAddr: number, cnt: number, pos?: bigint): number {
  const iovs = readIovecs(c, iovAddr, cnt);
  try {
    return writevOnce(c, f, iovs, pos);
  } catch (e) {
    failWrite(c, e);
  }
}

// ---- Blocking I/O on pipes, ttys, sockets and devices without stalling the other guest threads ----

/** Kinds whose reads and writes can wait (regular files and directories never do). */
const mayWait = (f: OpenFile): boolean => f.kind === 'pipe' || f.kind === 'tty' || f.kind === 'socket'
  || (f.kind === 'other' && !neverBlocks(f));

/**
 * Linux memory devices that never block: /dev/null, zero, full, random, urandom (major 1, minors 3 5 7 8 9,
 * Documentation/admin-guide/devices.txt). They skip the readiness poll before each read and write, which
 * cost more than the write itself (a 1-byte write to /dev/null, issue 5). Cached per open file.
 */
const memDevices = new WeakMap<OpenFile, boolean>();
function neverBlocks(f: OpenFile): boolean {
  let v = memDevices.get(f);
  if (v === undefined) {
    v = false;
    if (process.platform === 'linux') {
      try {
        const st = fstatSync(f.hostFd);
        const major = (st.rdev >>> 8) & 0xfff, minor = (st.rdev & 0xff) | ((st.rdev >>> 12) & ~0xff);
        v = st.isCharacterDevice() && major === 1 && [3, 5, 7, 8, 9].includes(minor);
      } catch { /* not known: poll as before */ }
    }
    memDevices.set(f, v);
  }
  return v;
}

/**
 * read/write on a descriptor that may have to wait: try now (host poll, then the call: no O_NONBLOCK on the
 * host descriptor, which other processes may share); if it would block, EAGAIN with the guest's
 * O_NONBLOCK, else park the thread until the host descriptor is ready and do the call then. `empty`
 * transfers (length 0) go straight through, as FreeBSD returns 0 for them without waiting.
 */
function waitingIo(c: SyscallCtx, f: OpenFile, write: boolean, empty: boolean, op: () => number): number | typeof JUST_RETURN {
  if (f.kind === 'kqueue') throw new Errno(E.EOPNOTSUPP); // kqueueops: fo_read/fo_write = invfo_rdwr
  if (!mayWait(f) || empty) return write ? failing(c, op) : op();
  const nonblock = (f.flags & O.NONBLOCK) !== 0;
  // A blocking socket write larger than the free buffer space would stall the host call and every guest
  // thread with it (the reader may be one of them): with other threads alive, the host call runs
  // non-blocking, so the guest gets what fitted (a short write, as after a signal) or waits for room.
  if (write && f.kind === 'socket' && !nonblock && c.proc.sched.live > 1) {
    const blocking = op;
    op = () => withHostNonblock(f, blocking);
  }
  if (ioReady(f, write)) {
    try {
      const n = op();
      noteIo(f, write);
      return n;
    } catch (e) {
      // The host descriptor may be non-blocking (shared with another process): wait like FreeBSD would.
      if (!(e instanceof Errno && e.errno === E.EAGAIN) || nonblock) {
        if (write) failWrite(c, e, f);
        throw e;
      }
    }
  }
  noteIo(f, write);
  if (nonblock) throw new Errno(E.EAGAIN);
  const sched = c.proc.sched;
  const t = sched.current;
  const timeo = write ? f.sndtimeo : f.rcvtimeo; // sockets: SO_SNDTIMEO/SO_RCVTIMEO (sbwait: EWOULDBLOCK)
  sched.block({
    ready: () => ioReady(f, write),
    hostFds: [{ fd: f.hostFd, events: write ? HOST_POLL.OUT : HOST_POLL.IN }],
    deadline: timeo ? now() + timeo : undefined,
    restartable: true,
    complete: (why) => {
      if (why === 'interrupted') return { value: BigInt(E.EINTR), errno: E.EINTR };
      if (why === 'timeout') return { value: BigInt(E.EAGAIN), errno: E.EAGAIN };
      try {
        const n = op();
        noteIo(f, write);
        return { value: BigInt(n) };
      } catch (e) {
        const errno = e instanceof Errno ? e.errno : E.EIO;
        if (write && errno === E.EPIPE && !f.nosigpipe) signalSelf(c.proc, SIG.SIGPIPE, t);
        return { value: BigInt(errno), errno };
      }
    },
  });
  return JUST_RETURN;
}

/**
 * Runs `fn` with the host descriptor non-blocking (it mirrors the guest's O_NONBLOCK otherwise, and is
 * left as it is when that is set).
 */
export function withHostNonblock<T>(f: OpenFile, fn: () => T): T {
  if ((f.flags & O.NONBLOCK) !== 0) return fn();
  const L = hostLibc();
  const fl = check(L.fcntl(f.hostFd, HOST_F.GETFL, 0), 'fcntl');
  check(L.fcntl(f.hostFd, HOST_F.SETFL, fl | HOST_O.NONBLOCK), 'fcntl');
  try {
    return fn();
  } finally {
    L.fcntl(f.hostFd, HOST_F.SETFL, fl);
  }
}

function failing(c: SyscallCtx, op: () => number): number {
  try {
    return op();
  } catch (e) {
    failWrite(c, e);
  }
}

/**
 * How much of a `len`-byte write to a pipe to attempt so the host call cannot block while other guest
 * threads (perhaps the reader) wait to run: a host pipe write larger than its free space sleeps until all
 * of it is written. Writes of up to PIPE_BUF stay whole (atomic); a larger one becomes a partial write of
 * what fits, as with a signal-interrupted FreeBSD pipe write. With a single thread nothing else could run,
 * so the whole write goes to the host.
 */
function pipeChunk(c: SyscallCtx, f: OpenFile, len: number): number {
  const PIPE_BUF = 4096;
  if (f.kind !== 'pipe' || len <= PIPE_BUF || c.proc.sched.live <= 1) return len;
  const used = hostFionread(f.hostFd);
  const free = hostPipeSize(f.hostFd) - Math.max(0, used);
  return Math.max(PIPE_BUF, Math.min(len, free));
}

/** off_t argument for positioned I/O: negative is EINVAL (FreeBSD kern_preadv/kern_pwritev for vnodes). */
function position(f: OpenFile, x: bigint): bigint {
  const p = BigInt.asIntN(64, x);
  if (f.kind === 'pipe' || f.kind === 'socket') throw new Errno(E.ESPIPE);
  if (p < 0n && f.kind !== 'other' && f.kind !== 'tty') throw new Errno(E.EINVAL);
  return p;
}

function dupTo(c: SyscallCtx, from: number, to: number, cloexec: boolean): number {
  const fds = c.proc.fds;
  const file = fds.file(from);
  if (to < 0 || to >= fds.limit) throw new Errno(E.EBADF);
  if (from === to) {
    // kern_dup FDDUP_FIXED with old == new: nothing changes except F_DUP2FD_CLOEXEC setting the flag.
    if (cloexec) fds.get(to).cloexec = true;
    return to;
  }
  fds.installAt(to, share(file), cloexec);
  return to;
}

function fcntl(c: SyscallCtx, fd: number, cmd: number, arg: bigint): number {
  const fds = c.proc.fds;
  const L = hostLibc();
  const ent = fds.get(fd);
  const f = ent.file;
  const iarg = int(arg);
  switch (cmd) {
    case F.DUPFD:
    case F.DUPFD_CLOEXEC:
      if (iarg < 0 || iarg >= fds.limit) throw new Errno(E.EINVAL);
      return fds.install(share(f), cmd === F.DUPFD_CLOEXEC, iarg);
    case F.DUP2FD:
    case F.DUP2FD_CLOEXEC:
      return dupTo(c, fd, iarg, cmd === F.DUP2FD_CLOEXEC);
    case F.GETFD:
      return ent.cloexec ? FD_CLOEXEC : 0;
    case F.SETFD:
      ent.cloexec = (iarg & FD_CLOEXEC) !== 0;
      return 0;
    case F.GETFL: {
      // The host knows the live status bits (shared with dup'ed and inherited descriptors); keep the
      // FreeBSD-only bits (O_SHLOCK, O_EXLOCK, O_EXEC, ...) from the open.
      const host = hostGetfl(f);
      return (f.flags & ~(O.ACCMODE | SETFL_MASK | O.PATH)) | host;
    }
    case F.SETFL:
      setStatusFlags(f, iarg);
      return 0;
    case F.GETOWN:
      return check(L.fcntl(f.hostFd, HOST_F.GETOWN, 0), 'fcntl');
    case F.SETOWN:
      check(L.fcntl(f.hostFd, HOST_F.SETOWN, iarg >>> 0), 'fcntl');
      return 0;
    case F.GETLK:
    case F.SETLK:
    case F.SETLKW: {
      const addr = ptr(arg);
      const fl = decodeFlock(c.mem.read(addr, FLOCK_SIZE));
      if (fl.whence < 0 || fl.whence > 2) throw new Errno(E.EINVAL);
      const hb = flockToHost(fl);
      const hcmd = cmd === F.GETLK ? HOST_F.GETLK : cmd === F.SETLK ? HOST_F.SETLK : HOST_F.SETLKW;
      check(L.fcntl(f.hostFd, hcmd, addrOf(hb)), 'fcntl');
      if (cmd === F.GETLK) c.mem.write(addr, encodeFlock(flockFromHost(hb, fl.sysid)));
      return 0;
    }
    case F.READAHEAD:
    case F.RDAHEAD:
      return 0; // read-ahead hints: accepted and ignored
    case F.ISUNIONSTACK:
      return 0; // libc opendir asks whether to merge union-mount listings: never a union here
    default:
      // F_ADD_SEALS/F_GET_SEALS (shm only), F_KINFO, F_SETLK_REMOTE, the old F_O*LK and unknown commands.
      throw new Errno(E.EINVAL);
  }
}

export const fileSyscalls: SyscallDef[] = [
  sys(3, 'read', 'fd obuf:2 size', (c, a) => {
    const f = readable(c, int(a[0]));
    const addr = ptr(a[1]), len = size(a[2]);
    return waitingIo(c, f, false, len === 0, () => doRead(c, f, addr, len));
  }),
  sys(4, 'write', 'fd buf:2 size', (c, a) => {
    const f = c.proc.fds.file(int(a[0]));
    const addr = ptr(a[1]), len = size(a[2]);
    return waitingIo(c, f, true, len === 0, () => writeOnce(c, f, addr, pipeChunk(c, f, len)));
  }),
  sys(475, 'pread', 'fd obuf:2 size long', (c, a) => {
    const f = readable(c, int(a[0]));
    return doRead(c, f, ptr(a[1]), size(a[2]), position(f, a[3]));
  }),
  sys(476, 'pwrite', 'fd buf:2 size long', (c, a) => {
    const f = c.proc.fds.file(int(a[0]));
    return doWrite(c, f, ptr(a[1]), size(a[2]), position(f, a[3]));
  }),
  sys(120, 'readv', 'fd ptr uint', (c, a) => {
    const f = readable(c, int(a[0]));
    const iovAddr = ptr(a[1]), cnt = uint(a[2]);
    const total = readIovecs(c, iovAddr, cnt).reduce((s, v) => s + v.len, 0);
    return waitingIo(c, f, false, total === 0, () => doReadv(c, f, iovAddr, cnt));
  }),
  sys(121, 'writev', 'fd ptr uint', (c, a) => {
    const f = c.proc.fds.file(int(a[0]));
    const iovs = readIovecs(c, ptr(a[1]), uint(a[2]));
    const total = iovs.reduce((s, v) => s + v.len, 0);
    return waitingIo(c, f, true, total === 0, () => writevOnce(c, f, iovs));
  }),
  sys(289, 'preadv', 'fd ptr uint long', (c, a) => {
    const f = readable(c, int(a[0]));
    return doReadv(c, f, ptr(a[1]), uint(a[2]), position(f, a[3]));
  }),
  sys(290, 'pwritev', 'fd ptr uint long', (c, a) => {
    const f = c.proc.fds.file(int(a[0]));
    return doWritev(c, f, ptr(a[1]), uint(a[2]), position(f, a[3]));
  }),
  sys(478, 'lseek', 'fd long whence', (c, a) => {
    const f = c.proc.fds.file(int(a[0]));
    if (f.kind === 'pipe' || f.kind === 'socket') throw new Errno(E.ESPIPE);
    const r = check(hostLibc().lseek(f.hostFd, BigInt.asIntN(64, a[1]), int(a[2])), 'lseek');
    return typeof r === 'bigint' ? r : BigInt(r);
  }),
  sys(6, 'close', 'fd', (c, a) => { c.proc.fds.close(int(a[0])); return 0; }),
  sys(509, 'closefrom', 'int', (c, a) => {
    const low = Math.max(0, int(a[0]));
    for (const fd of c.proc.fds.list()) if (fd >= low) c.proc.fds.close(fd);
    return 0;
  }),
  sys(575, 'close_range', 'uint uint int', (c, a) => {
    const low = uint(a[0]), high = uint(a[1]), flags = int(a[2]);
    if (low > high || (flags & ~CLOSE_RANGE_CLOEXEC) !== 0) throw new Errno(E.EINVAL);
    for (const fd of c.proc.fds.list()) {
      if (fd < low || fd > high) continue;
      if (flags & CLOSE_RANGE_CLOEXEC) c.proc.fds.get(fd).cloexec = true;
      else c.proc.fds.close(fd);
    }
    return 0;
  }),
  sys(41, 'dup', 'fd', (c, a) => {
    const fds = c.proc.fds;
    return fds.install(share(fds.file(uint(a[0]))), false);
  }),
  sys(90, 'dup2', 'fd fd', (c, a) => dupTo(c, uint(a[0]), uint(a[1]), false)),
  sys(92, 'fcntl', 'fd fcntlcmd hex', (c, a) => fcntl(c, int(a[0]), int(a[1]), a[2])),
  sys(542, 'pipe2', 'ptr oflags', (c, a) => {
    const addr = ptr(a[0]);
    const flags = int(a[1]);
    if (flags & ~(O.CLOEXEC | O.NONBLOCK)) throw new Errno(E.EINVAL);
    const hb = Buffer.alloc(8);
    check(hostLibc().pipe2(addrOf(hb), HOST_O.CLOEXEC | (flags & O.NONBLOCK ? HOST_O.NONBLOCK : 0)), 'pipe2');
    const nb = flags & O.NONBLOCK;
    const cloexec = (flags & O.CLOEXEC) !== 0;
    const r = installHost(c, hb.readInt32LE(0), O.RDONLY | nb, cloexec, 'pipe');
    let w: number;
    try {
      w = installHost(c, hb.readInt32LE(4), O.WRONLY | nb, cloexec, 'pipe');
    } catch (e) {
      c.proc.fds.close(r);
      throw e;
    }
    const out = Buffer.alloc(8);
    out.writeInt32LE(r, 0);
    out.writeInt32LE(w, 4);
    try {
      c.mem.write(addr, out);
    } catch (e) {
      c.proc.fds.close(r);
      c.proc.fds.close(w);
      throw e;
    }
    return 0;
  }),
  sys(95, 'fsync', 'fd', (c, a) => { check(hostLibc().fsync(c.proc.fds.file(int(a[0])).hostFd), 'fsync'); return 0; }),
  sys(550, 'fdatasync', 'fd', (c, a) => { check(hostLibc().fdatasync(c.proc.fds.file(int(a[0])).hostFd), 'fdatasync'); return 0; }),
  sys(480, 'ftruncate', 'fd long', (c, a) => {
    const f = c.proc.fds.file(int(a[0]));
    const len = BigInt.asIntN(64, a[1]);
    if (len < 0n) throw new Errno(E.EINVAL);
    if (f.kind !== 'file') throw new Errno(E.EINVAL);
    if ((f.flags & O.ACCMODE) === O.RDONLY) throw new Errno(E.EINVAL);
    check(hostLibc().ftruncate(f.hostFd, len), 'ftruncate');
    return 0;
  }),
  sys(551, 'fstat', 'fd ptr', (c, a) => {
    const f = c.proc.fds.file(int(a[0]));
    c.mem.write(ptr(a[1]), encodeStat(hostFstat(f.hostFd)));
    return 0;
  }),
];
