// BSD sockets (QEMU: bsd-user/bsd-socket.h; FreeBSD sys/kern/uipc_syscalls.c and uipc_socket.c): socket,
// socketpair, bind, listen, accept/accept4, connect, getsockname/getpeername, setsockopt/getsockopt,
// shutdown, sendto/recvfrom, sendmsg/recvmsg. A guest socket is a real host socket (kind 'socket' in the
// descriptor table), so read/write/close/fcntl/ioctl/fstat/poll/kevent work on it through the common paths.
//
// Host calls never block the emulator: sends and receives use MSG_DONTWAIT, accept and connect run with the
// host descriptor briefly non-blocking. A call that would block on a blocking guest socket parks only its
// thread (like a blocking pipe read, file.ts waitingIo) until the host descriptor is ready, then runs again.
// SO_RCVTIMEO/SO_SNDTIMEO become the park's deadline (EAGAIN when it passes, as sbwait's EWOULDBLOCK).
import { Errno, E, hostErrno } from '../abi/errno.js';
import { O } from '../abi/fcntl.js';
import {
  AF, afFromHost, afToHost, CMSG_HDR, cmsgAlign, decodeSockaddr, encodeSockaddr, HOST_CMSG_HDR, HOST_MSG,
  HOST_MSGHDR_SIZE, HOST_SO, HOST_SOCK, HOST_SOL_SOCKET, IPPROTO, MSG, MSGHDR_SIZE, msgFlagsFromHost,
  msgFlagsToHost, SCM_RIGHTS, SIN6_SIZE, SIN_SIZE, SO, SOCK, sockaddrFromHost, sockaddrToHost, sockoptToHost,
  SOL_SOCKET, TCP, type SockAddr,
} from '../abi/socket.js';
import type { OpenFile } from '../kernel/fdtable.js';
import { flagsOfHostFd, kindOfHostFd } from '../kernel/hostfd.js';
import { SIG } from '../kernel/signals.js';
import { now } from '../kernel/threads.js';
import { addrOf, check, checkN, hostLibc } from '../host/libc.js';
import { HOST_POLL, pollNow } from '../host/poll.js';
import { sockLib } from '../host/socket.js';
import { int, ptr, size } from './args.js';
import { ioReady, noteIo } from './event.js';
import { installHost, withHostNonblock } from './file.js';
import { signalSelf } from './proc.js';
import { JUST_RETURN, sys, type SyscallCtx, type SyscallDef } from './types.js';

/** What the host cannot keep for us: FreeBSD-only options and the guest's own view of names. */
interface Sock {
  domain: number;
  type: number;
  /** Guest-side values of options the host lacks or reports differently (keyed `level:name`). */
  opts: Map<string, number>;
  /** AF_UNIX: the name the guest bound (the host path may differ under --sysroot). */
  unixName?: Buffer;
  /** connect(2) in progress on a blocking socket interrupted by a signal: the next connect is EALREADY. */
  connecting?: boolean;
}

const socks = new WeakMap<OpenFile, Sock>();

function hostInt(fd: number, level: number, name: number): number {
  const b = Buffer.alloc(8);
  const lb = Buffer.alloc(4);
  lb.writeUInt32LE(4, 0);
  if (sockLib().getsockopt(fd, level, name, addrOf(b), addrOf(lb)) < 0) return -1;
  return b.readInt32LE(0);
}

/** The socket behind a guest descriptor (ENOTSOCK for other kinds); inherited sockets are learned lazily. */
function sockFile(c: SyscallCtx, fd: number): { f: OpenFile; s: Sock } {
  const f = c.proc.fds.file(fd);
  if (f.kind !== 'socket') throw new Errno(E.ENOTSOCK);
  let s = socks.get(f);
  if (!s) {
    s = { domain: afFromHost(hostInt(f.hostFd, HOST_SOL_SOCKET, HOST_SO.DOMAIN)), type: hostInt(f.hostFd, HOST_SOL_SOCKET, HOST_SO.TYPE), opts: new Map() };
    socks.set(f, s);
  }
  return { f, s };
}

const nonblocking = (f: OpenFile): boolean => (f.flags & O.NONBLOCK) !== 0;

const isAgain = (e: unknown): boolean => e instanceof Errno && e.errno === E.EAGAIN;

/** EPIPE from a send raises SIGPIPE unless MSG_NOSIGNAL or SO_NOSIGPIPE (sosend_generic / kern_sendit). */
function sigpipe(c: SyscallCtx, f: OpenFile, e: unknown, flags: number, t = c.proc.sched.current): void {
  if (e instanceof Errno && e.errno === E.EPIPE && !(flags & MSG.NOSIGNAL) && !f.nosigpipe) signalSelf(c.proc, SIG.SIGPIPE, t);
}

/**
 * One socket transfer that may wait: try `op` now; on EAGAIN, fail for a non-blocking socket (or
 * MSG_DONTWAIT), else park the thread until the host descriptor is ready (or the timeout passes) and run
 * the syscall again.
 */
function sockIo(c: SyscallCtx, f: OpenFile, s: Sock, write: boolean, flags: number, op: () => number): number | typeof JUST_RETURN {
  try {
    const n = op();
    noteIo(f, write);
    return n;
  } catch (e) {
    noteIo(f, write);
    if (!isAgain(e) || nonblocking(f) || (flags & MSG.DONTWAIT)) {
      if (write) sigpipe(c, f, e, flags);
      throw e;
    }
  }
  const timeo = (write ? f.sndtimeo : f.rcvtimeo) ?? 0n;
  c.proc.sched.block({
    ready: () => ioReady(f, write),
    hostFds: [{ fd: f.hostFd, events: write ? HOST_POLL.OUT : HOST_POLL.IN }],
    deadline: timeo > 0n ? now() + timeo : undefined,
    restartable: true,
    complete: (why) => {
      if (why === 'interrupted') return { value: BigInt(E.EINTR), errno: E.EINTR };
      if (why === 'timeout') return { value: BigInt(E.EAGAIN), errno: E.EAGAIN };
      return { value: 0n, restart: true }; // ready: the syscall runs again from the start
    },
  });
  return JUST_RETURN;
}

// ---- addresses ----

/** A guest sockaddr argument → host sockaddr (AF_UNIX paths through --sysroot). */
function readAddr(c: SyscallCtx, addr: number, len: number): { sa: SockAddr; host: Buffer } {
  if (len > 255) throw new Errno(E.ENAMETOOLONG);
  const raw = c.mem.read(addr, len);
  const sa = decodeSockaddr(raw);
  if ((sa.family === AF.INET && len !== SIN_SIZE) || (sa.family === AF.INET6 && len !== SIN6_SIZE)) {
    // in_pcbbind / in6_pcbbind / tcp_usr_connect: sa_len (= namelen) must be the structure's size.
    throw new Errno(E.EINVAL);
  }
  if (sa.family === AF.UNIX) {
    const p = (sa as { path: Buffer }).path;
    const hp = p.length && p[0] === 0x2f ? Buffer.from(c.proc.paths.toHost(p.toString('latin1')), 'latin1') : p;
    return { sa, host: sockaddrToHost({ family: AF.UNIX, path: hp }) };
  }
  return { sa, host: sockaddrToHost(sa) };
}

/**
 * Copies a sockaddr out the FreeBSD way (kern_getsockname, kern_accept4, recvfrom): at most *lenAddr bytes,
 * and *lenAddr becomes the length copied (not the full length, unlike Linux).
 */
function writeAddr(c: SyscallCtx, addr: number, lenAddr: number, sa: SockAddr | null): void {
  if (!lenAddr) {
    if (addr) throw new Errno(E.EFAULT); // copyin of a NULL length pointer
    return;
  }
  const want = c.mem.readI32(lenAddr);
  if (want < 0) throw new Errno(E.EINVAL);
  if (!sa) { writeU32(c, lenAddr, 0); return; }
  const enc = encodeSockaddr(sa);
  const n = Math.min(want, enc[0] || enc.length);
  if (n > 0 && addr) c.mem.write(addr, enc.subarray(0, n));
  writeU32(c, lenAddr, addr ? n : 0);
}

function writeU32(c: SyscallCtx, addr: number, v: number): void {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0, 0);
  c.mem.write(addr, b);
}

/** The guest view of a host address; AF_UNIX host paths under --sysroot lose the prefix. */
function guestAddr(c: SyscallCtx, sa: SockAddr): SockAddr {
  if (sa.family !== AF.UNIX) return sa;
  const p = (sa as { path: Buffer }).path;
  if (!p.length || p[0] !== 0x2f) return sa;
  return { family: AF.UNIX, path: Buffer.from(c.proc.paths.toGuest(p.toString('latin1')), 'latin1') };
}

const HOST_ADDR_MAX = 128;
type NameFn = (fd: number, sa: number, lenp: number) => number;
function hostName(fd: number, fn: NameFn, what: string): SockAddr {
  const b = Buffer.alloc(HOST_ADDR_MAX);
  const lb = Buffer.alloc(4);
  lb.writeUInt32LE(HOST_ADDR_MAX, 0);
  check(fn(fd, addrOf(b), addrOf(lb)), what);
  return sockaddrFromHost(b, lb.readUInt32LE(0));
}

// ---- creation ----

function newSocket(c: SyscallCtx, hostFd: number, domain: number, type: number, nonblock: boolean, cloexec: boolean): number {
  const fd = installHost(c, hostFd, O.RDWR | (nonblock ? O.NONBLOCK : 0), cloexec, 'socket');
  socks.set(c.proc.fds.file(fd), { domain, type, opts: new Map() });
  return fd;
}

function splitType(t: number): { type: number; nonblock: boolean; cloexec: boolean; host: number } {
  const type = t & ~(SOCK.CLOEXEC | SOCK.NONBLOCK);
  const nonblock = (t & SOCK.NONBLOCK) !== 0, cloexec = (t & SOCK.CLOEXEC) !== 0;
  if (type < 1 || type > 5) throw new Errno(E.EPROTOTYPE); // socreate: no protosw of that type
  return { type, nonblock, cloexec, host: type | HOST_SOCK.CLOEXEC | (nonblock ? HOST_SOCK.NONBLOCK : 0) };
}

function socket(c: SyscallCtx, domain: number, t: number, proto: number): number {
  const hdom = afToHost(domain);
  const st = splitType(t);
  const hfd = check(sockLib().socket(hdom, st.host, proto), 'socket');
  return newSocket(c, hfd, domain, st.type, st.nonblock, st.cloexec);
}

function socketpair(c: SyscallCtx, domain: number, t: number, proto: number, sv: number): number {
  const hdom = afToHost(domain);
  const st = splitType(t);
  if (!c.mem.accessible(sv, 8, true)) throw new Errno(E.EFAULT);
  const hb = Buffer.alloc(8);
  check(sockLib().socketpair(hdom, st.host, proto, addrOf(hb)), 'socketpair');
  let a: number;
  try {
    a = newSocket(c, hb.readInt32LE(0), domain, st.type, st.nonblock, st.cloexec);
  } catch (e) {
    hostLibc().close(hb.readInt32LE(4));
    throw e;
  }
  const b = newSocket(c, hb.readInt32LE(4), domain, st.type, st.nonblock, st.cloexec);
  const out = Buffer.alloc(8);
  out.writeInt32LE(a, 0);
  out.writeInt32LE(b, 4);
  c.mem.write(sv, out);
  return 0;
}

// ---- connection set-up ----

function bind(c: SyscallCtx, fd: number, addr: number, len: number): number {
  const { f, s } = sockFile(c, fd);
  const { sa, host } = readAddr(c, addr, len);
  check(sockLib().bind(f.hostFd, addrOf(host), host.length), 'bind');
  if (sa.family === AF.UNIX) s.unixName = (sa as { path: Buffer }).path;
  return 0;
}

function connect(c: SyscallCtx, fd: number, addr: number, len: number): number | typeof JUST_RETURN {
  const { f, s } = sockFile(c, fd);
  const { host } = readAddr(c, addr, len);
  const L = sockLib();
  if (s.connecting) {
    // The first connect's wait was interrupted: FreeBSD keeps connecting in the background.
    const done = pollNow(f.hostFd, HOST_POLL.OUT) !== 0;
    if (!done) throw new Errno(E.EALREADY);
    s.connecting = false;
    const err = hostInt(f.hostFd, HOST_SOL_SOCKET, HOST_SO.ERROR);
    if (err > 0) throw new Errno(hostErrno(err));
    throw new Errno(E.EISCONN);
  }
  try {
    withHostNonblock(f, () => check(L.connect(f.hostFd, addrOf(host), host.length), 'connect'));
    return 0;
  } catch (e) {
    // Linux says EAGAIN for a unix connect whose listener's queue is full; FreeBSD blocks or ECONNREFUSED.
    if (!(e instanceof Errno && e.errno === E.EINPROGRESS) || nonblocking(f)) throw e;
  }
  s.connecting = true;
  c.proc.sched.block({
    ready: () => pollNow(f.hostFd, HOST_POLL.OUT) !== 0,
    hostFds: [{ fd: f.hostFd, events: HOST_POLL.OUT }],
    complete: (why) => {
      if (why === 'interrupted') return { value: BigInt(E.EINTR), errno: E.EINTR };
      s.connecting = false;
      const err = hostInt(f.hostFd, HOST_SOL_SOCKET, HOST_SO.ERROR);
      if (err > 0) { const g = hostErrno(err); return { value: BigInt(g), errno: g }; }
      return { value: 0n };
    },
  });
  return JUST_RETURN;
}

function listen(c: SyscallCtx, fd: number, backlog: number): number {
  const { f } = sockFile(c, fd);
  check(sockLib().listen(f.hostFd, backlog), 'listen');
  return 0;
}

/** accept / accept4: `flags` null for accept (the new socket inherits O_NONBLOCK: ACCEPT4_INHERIT). */
function accept(c: SyscallCtx, fd: number, addr: number, lenAddr: number, flags: number | null): number | typeof JUST_RETURN {
  if (flags !== null && (flags & ~(SOCK.CLOEXEC | SOCK.NONBLOCK))) throw new Errno(E.EINVAL);
  const { f, s } = sockFile(c, fd);
  if (addr && !lenAddr) throw new Errno(E.EFAULT); // accept1: copyin(anamelen) before anything
  if (lenAddr && c.mem.readI32(lenAddr) < 0) throw new Errno(E.EINVAL);
  const nonblock = flags === null ? nonblocking(f) : (flags & SOCK.NONBLOCK) !== 0;
  const cloexec = flags !== null && (flags & SOCK.CLOEXEC) !== 0;
  return sockIo(c, f, s, false, 0, () => {
    const b = Buffer.alloc(HOST_ADDR_MAX);
    const lb = Buffer.alloc(4);
    lb.writeUInt32LE(HOST_ADDR_MAX, 0);
    const hfd = withHostNonblock(f, () => check(sockLib().accept4(f.hostFd, addrOf(b), addrOf(lb), HOST_SOCK.CLOEXEC | (nonblock ? HOST_SOCK.NONBLOCK : 0)), 'accept'));
    const nfd = newSocket(c, hfd, s.domain, s.type, nonblock, cloexec);
    try {
      writeAddr(c, addr, lenAddr, guestAddr(c, sockaddrFromHost(b, lb.readUInt32LE(0))));
    } catch (e) {
      c.proc.fds.close(nfd);
      throw e;
    }
    return nfd;
  });
}

function getName(c: SyscallCtx, fd: number, addr: number, lenAddr: number, peer: boolean): number {
  const { f, s } = sockFile(c, fd);
  if (c.mem.readI32(lenAddr) < 0) throw new Errno(E.EINVAL);
  const L = sockLib();
  let sa = guestAddr(c, hostName(f.hostFd, peer ? L.getpeername : L.getsockname, peer ? 'getpeername' : 'getsockname'));
  if (!peer && s.unixName && sa.family === AF.UNIX) sa = { family: AF.UNIX, path: s.unixName };
  writeAddr(c, addr, lenAddr, sa);
  return 0;
}

function shutdown(c: SyscallCtx, fd: number, how: number): number {
  const { f } = sockFile(c, fd);
  if (how < 0 || how > 2) throw new Errno(E.EINVAL);
  check(sockLib().shutdown(f.hostFd, how), 'shutdown');
  return 0;
}

// ---- options ----

const key = (level: number, name: number): string => `${level}:${name}`;
/** SOL_SOCKET on/off options FreeBSD reports as their so_options bit (sogetopt: so_options & name). */
const SO_BITS = new Set<number>([SO.DEBUG, SO.ACCEPTCONN, SO.REUSEADDR, SO.KEEPALIVE, SO.DONTROUTE, SO.BROADCAST,
  SO.USELOOPBACK, SO.OOBINLINE, SO.REUSEPORT, SO.TIMESTAMP, SO.NOSIGPIPE, SO.BINTIME, SO.NO_OFFLOAD, SO.NO_DDP,
  SO.REUSEPORT_LB]);
/** Options FreeBSD has and the Linux host does not: kept here, with their defaults. */
const LOCAL_OPTS: Record<string, number> = {
  [key(SOL_SOCKET, SO.USELOOPBACK)]: 0, [key(SOL_SOCKET, SO.BINTIME)]: 0, [key(SOL_SOCKET, SO.NO_OFFLOAD)]: 0,
  [key(SOL_SOCKET, SO.NO_DDP)]: 0, [key(SOL_SOCKET, SO.REUSEPORT_LB)]: 0, [key(SOL_SOCKET, SO.SETFIB)]: 0,
  [key(SOL_SOCKET, SO.USER_COOKIE)]: 0, [key(IPPROTO.TCP, TCP.KEEPINIT)]: 75, [key(IPPROTO.TCP, TCP.NOOPT)]: 0,
};
/** TF_NODELAY (sys/netinet/tcp_var.h): getsockopt(TCP_NODELAY) returns t_flags & TF_NODELAY. */
const TF_NODELAY = 0x4;

function timevalNs(b: Buffer): bigint {
  const sec = b.readBigInt64LE(0), usec = b.readBigInt64LE(8);
  if (sec < 0n || usec < 0n || usec >= 1_000_000n) throw new Errno(E.EDOM); // sooptcopyin timeval: EDOM
  return sec * 1_000_000_000n + usec * 1000n;
}

function setsockopt(c: SyscallCtx, fd: number, level: number, name: number, val: number, len: number): number {
  const { f, s } = sockFile(c, fd);
  if (len < 0) throw new Errno(E.EINVAL);
  const readInt = (): number => {
    if (len < 4) throw new Errno(E.EINVAL); // sooptcopyin: valsize < minsize
    return c.mem.readI32(val);
  };
  if (level === SOL_SOCKET) {
    switch (name) {
      case SO.NOSIGPIPE: f.nosigpipe = readInt() !== 0; return 0;
      case SO.RCVTIMEO: case SO.SNDTIMEO: {
        if (len < 16) throw new Errno(E.EINVAL);
        const ns = timevalNs(c.mem.read(val, 16));
        if (name === SO.RCVTIMEO) f.rcvtimeo = ns; else f.sndtimeo = ns;
        return 0;
      }
      case SO.SNDBUF: case SO.RCVBUF: {
        const v = readInt();
        if (v <= 0) throw new Errno(E.EINVAL);
        const m = sockoptToHost(level, name)!;
        const b = Buffer.alloc(4);
        b.writeInt32LE(v, 0);
        check(sockLib().setsockopt(f.hostFd, m.level, m.name, addrOf(b), 4), 'setsockopt');
        s.opts.set(key(level, name), v); // Linux doubles it; FreeBSD reports what was asked
        return 0;
      }
    }
  }
  const k = key(level, name);
  if (k in LOCAL_OPTS) {
    s.opts.set(k, readInt());
    return 0;
  }
  const m = sockoptToHost(level, name);
  if (!m) throw new Errno(E.ENOPROTOOPT);
  let b: Buffer;
  if (m.shape === 'raw') {
    b = c.mem.read(val, len);
  } else if (m.shape === 'linger') {
    if (len < 8) throw new Errno(E.EINVAL);
    b = c.mem.read(val, 8);
  } else {
    const v = readInt();
    b = Buffer.alloc(4);
    b.writeInt32LE(m.shape === 'bool' ? (v !== 0 ? 1 : 0) : v, 0);
  }
  check(sockLib().setsockopt(f.hostFd, m.level, m.name, addrOf(b), b.length), 'setsockopt');
  return 0;
}

function getsockopt(c: SyscallCtx, fd: number, level: number, name: number, val: number, lenAddr: number): number {
  const { f, s } = sockFile(c, fd);
  const want = c.mem.readI32(lenAddr);
  if (want < 0) throw new Errno(E.EINVAL);
  const out = (b: Buffer): number => {
    const n = Math.min(want, b.length);
    if (n > 0) c.mem.write(val, b.subarray(0, n));
    writeU32(c, lenAddr, n);
    return 0;
  };
  const outInt = (v: number): number => { const b = Buffer.alloc(4); b.writeInt32LE(v, 0); return out(b); };
  const k = key(level, name);
  if (level === SOL_SOCKET) {
    switch (name) {
      case SO.NOSIGPIPE: return outInt(f.nosigpipe ? SO.NOSIGPIPE : 0);
      case SO.RCVTIMEO: case SO.SNDTIMEO: {
        const ns = (name === SO.RCVTIMEO ? f.rcvtimeo : f.sndtimeo) ?? 0n;
        const b = Buffer.alloc(16);
        b.writeBigInt64LE(ns / 1_000_000_000n, 0);
        b.writeBigInt64LE((ns % 1_000_000_000n) / 1000n, 8);
        return out(b);
      }
      case SO.ERROR: {
        const h = hostInt(f.hostFd, HOST_SOL_SOCKET, HOST_SO.ERROR);
        return outInt(h > 0 ? hostErrno(h) : 0);
      }
      case SO.DOMAIN: return outInt(s.domain);
      case SO.LISTENQLIMIT: case SO.LISTENQLEN: case SO.LISTENINCQLEN: return outInt(0);
    }
    const kept = s.opts.get(k);
    if (kept !== undefined && (name === SO.SNDBUF || name === SO.RCVBUF)) return outInt(kept);
  }
  if (k in LOCAL_OPTS) {
    const v = s.opts.get(k) ?? LOCAL_OPTS[k];
    return outInt(level === SOL_SOCKET && SO_BITS.has(name) && v ? name : v);
  }
  const m = sockoptToHost(level, name);
  if (!m) throw new Errno(E.ENOPROTOOPT);
  const hb = Buffer.alloc(m.shape === 'raw' ? Math.max(want, 4) : 8);
  const lb = Buffer.alloc(4);
  lb.writeUInt32LE(m.shape === 'raw' ? hb.length : m.shape === 'linger' ? 8 : 4, 0);
  check(sockLib().getsockopt(f.hostFd, m.level, m.name, addrOf(hb), addrOf(lb)), 'getsockopt');
  const hl = lb.readUInt32LE(0);
  switch (m.shape) {
    case 'raw': return out(hb.subarray(0, hl));
    case 'linger': {
      const b = Buffer.from(hb.subarray(0, 8));
      if (b.readInt32LE(0)) b.writeInt32LE(SO.LINGER, 0); // l_onoff = so_options & SO_LINGER
      return out(b);
    }
    case 'bool': {
      const on = hb.readInt32LE(0) !== 0;
      const v = !on ? 0 : level === SOL_SOCKET ? name : level === IPPROTO.TCP && name === TCP.NODELAY ? TF_NODELAY : 1;
      return outInt(v);
    }
    default:
      return outInt(hb.readInt32LE(0)); // SO_TYPE, SO_PROTOCOL, IPPROTO_* numbers: the same on both
  }
}

// ---- data transfer ----

/** Guest buffer for a host call: its host address when one block holds it, else a bounce buffer. */
function guestBuf(c: SyscallCtx, addr: number, len: number, write: boolean): { hp: number; tmp?: Buffer } {
  const hp = len === 0 ? -1 : c.mem.hostAddress(addr, len, write);
  if (hp >= 0) return { hp };
  if (len > 0 && !c.mem.accessible(addr, len, write)) throw new Errno(E.EFAULT);
  const tmp = write ? Buffer.alloc(Math.max(1, len)) : len ? c.mem.read(addr, len) : Buffer.alloc(1);
  return { hp: addrOf(tmp), tmp };
}

const SEND_FLAGS = HOST_MSG.DONTWAIT | HOST_MSG.NOSIGNAL;

function sendto(c: SyscallCtx, fd: number, buf: number, len: number, flags: number, to: number, tolen: number): number | typeof JUST_RETURN {
  const { f, s } = sockFile(c, fd);
  const dest = to ? readAddr(c, to, tolen).host : null;
  return sockIo(c, f, s, true, flags, () => {
    const g = guestBuf(c, buf, len, false);
    return checkN(sockLib().sendto(f.hostFd, g.hp, len, msgFlagsToHost(flags) | SEND_FLAGS, dest ? addrOf(dest) : 0, dest ? dest.length : 0), 'sendto');
  });
}

function recvfrom(c: SyscallCtx, fd: number, buf: number, len: number, flags: number, from: number, fromLen: number): number | typeof JUST_RETURN {
  const { f, s } = sockFile(c, fd);
  if (fromLen && c.mem.readI32(fromLen) < 0) throw new Errno(E.EINVAL);
  return sockIo(c, f, s, false, flags, () => {
    const g = guestBuf(c, buf, len, true);
    const ab = Buffer.alloc(HOST_ADDR_MAX);
    const lb = Buffer.alloc(4);
    lb.writeUInt32LE(HOST_ADDR_MAX, 0);
    const n = checkN(sockLib().recvfrom(f.hostFd, g.hp, len, msgFlagsToHost(flags) | HOST_MSG.DONTWAIT, addrOf(ab), addrOf(lb)), 'recvfrom');
    if (g.tmp) { if (n > 0) c.mem.write(buf, g.tmp.subarray(0, n)); } else if (n > 0) c.mem.wrote(buf, n);
    const hl = lb.readUInt32LE(0);
    if (fromLen) writeAddr(c, from, fromLen, hl === 0 ? null : guestAddr(c, sockaddrFromHost(ab, hl)));
    return n;
  });
}

interface Iov { base: number; len: number }
function readIovecs(c: SyscallCtx, addr: number, cnt: number): Iov[] {
  if (cnt < 0 || cnt > 1024) throw new Errno(E.EMSGSIZE); // sendit/recvit: iovlen > UIO_MAXIOV
  const raw = cnt ? c.mem.read(addr, cnt * 16) : Buffer.alloc(0);
  const out: Iov[] = [];
  for (let i = 0; i < cnt; i++) {
    const len = raw.readBigUInt64LE(i * 16 + 8);
    if (len > 0x7fffffffn) throw new Errno(E.EINVAL);
    out.push({ base: ptr(raw.readBigUInt64LE(i * 16)), len: Number(len) });
  }
  return out;
}

interface GuestMsg { name: number; namelen: number; iovs: Iov[]; control: number; controllen: number }
function readMsghdr(c: SyscallCtx, addr: number): GuestMsg {
  const b = c.mem.read(addr, MSGHDR_SIZE);
  return {
    name: ptr(b.readBigUInt64LE(0)), namelen: b.readUInt32LE(8),
    iovs: readIovecs(c, ptr(b.readBigUInt64LE(16)), b.readInt32LE(24)),
    control: ptr(b.readBigUInt64LE(32)), controllen: b.readUInt32LE(40),
  };
}

/** Host iovecs over guest memory (bounce buffers where a piece spans host blocks). */
function hostIov(c: SyscallCtx, iovs: Iov[], write: boolean): { iov: Buffer; bounces: { tmp: Buffer; v: Iov }[] } {
  const iov = Buffer.alloc(Math.max(1, iovs.length) * 16);
  const bounces: { tmp: Buffer; v: Iov }[] = [];
  iovs.forEach((v, i) => {
    const g = guestBuf(c, v.base, v.len, write);
    if (g.tmp) bounces.push({ tmp: g.tmp, v });
    iov.writeBigUInt64LE(BigInt(g.hp), i * 16);
    iov.writeBigUInt64LE(BigInt(v.len), i * 16 + 8);
  });
  return { iov, bounces };
}

/** FreeBSD control messages → host ones (SCM_RIGHTS descriptors become host descriptors). */
function controlToHost(c: SyscallCtx, addr: number, len: number): Buffer | null {
  if (!addr || len === 0) return null;
  if (len < 12) throw new Errno(E.EINVAL);
  const src = c.mem.read(addr, len);
  const parts: Buffer[] = [];
  for (let off = 0; off + 12 <= len;) {
    const clen = src.readUInt32LE(off), level = src.readInt32LE(off + 4), type = src.readInt32LE(off + 8);
    if (clen < 12 || off + clen > len) throw new Errno(E.EINVAL);
    const data = src.subarray(off + CMSG_HDR, off + clen);
    let hdata: Buffer = Buffer.from(data);
    let hlevel = level;
    if (level === SOL_SOCKET) {
      hlevel = HOST_SOL_SOCKET;
      if (type !== SCM_RIGHTS) throw new Errno(E.EINVAL); // SCM_CREDS & co: not emulated
      hdata = Buffer.alloc(data.length);
      for (let i = 0; i + 4 <= data.length; i += 4) hdata.writeInt32LE(c.proc.fds.file(data.readInt32LE(i)).hostFd, i);
    }
    const h = Buffer.alloc(cmsgAlign(HOST_CMSG_HDR + hdata.length));
    h.writeBigUInt64LE(BigInt(HOST_CMSG_HDR + hdata.length), 0);
    h.writeInt32LE(hlevel, 8);
    h.writeInt32LE(type, 12);
    hdata.copy(h, HOST_CMSG_HDR);
    parts.push(h);
    off += cmsgAlign(clen);
  }
  return Buffer.concat(parts);
}

/** Host control messages → FreeBSD ones in guest memory; returns the length written and whether cut. */
function controlFromHost(c: SyscallCtx, h: Buffer, hlen: number, addr: number, room: number, cloexec: boolean): { len: number; trunc: boolean } {
  const out: Buffer[] = [];
  let used = 0, trunc = false;
  for (let off = 0; off + HOST_CMSG_HDR <= hlen;) {
    const clen = Number(h.readBigUInt64LE(off)), level = h.readInt32LE(off + 8), type = h.readInt32LE(off + 12);
    if (clen < HOST_CMSG_HDR) break;
    let data = Buffer.from(h.subarray(off + HOST_CMSG_HDR, off + clen));
    let glevel = level;
    if (level === HOST_SOL_SOCKET) {
      glevel = SOL_SOCKET;
      if (type === SCM_RIGHTS) {
        const g = Buffer.alloc(data.length);
        for (let i = 0; i + 4 <= data.length; i += 4) {
          const hfd = data.readInt32LE(i);
          const kind = kindOfHostFd(hfd);
          const gfd = installHost(c, hfd, flagsOfHostFd(hfd), cloexec, kind);
          if (kind === 'socket') sockFile(c, gfd);
          g.writeInt32LE(gfd, i);
        }
        data = g;
      }
    }
    const size = cmsgAlign(CMSG_HDR + data.length);
    if (used + CMSG_HDR + data.length > room) { trunc = true; break; }
    const b = Buffer.alloc(Math.min(size, room - used));
    b.writeUInt32LE(CMSG_HDR + data.length, 0);
    b.writeInt32LE(glevel, 4);
    b.writeInt32LE(type, 8);
    data.copy(b, CMSG_HDR);
    out.push(b);
    used += b.length;
    off += cmsgAlign(clen);
  }
  if (used) c.mem.write(addr, Buffer.concat(out));
  return { len: used, trunc };
}

function sendmsg(c: SyscallCtx, fd: number, msgAddr: number, flags: number): number | typeof JUST_RETURN {
  const { f, s } = sockFile(c, fd);
  const m = readMsghdr(c, msgAddr);
  const dest = m.name ? readAddr(c, m.name, m.namelen).host : null;
  const ctl = controlToHost(c, m.control, m.controllen);
  return sockIo(c, f, s, true, flags, () => {
    const { iov } = hostIov(c, m.iovs, false);
    const h = Buffer.alloc(HOST_MSGHDR_SIZE);
    if (dest) { h.writeBigUInt64LE(BigInt(addrOf(dest)), 0); h.writeUInt32LE(dest.length, 8); }
    h.writeBigUInt64LE(BigInt(addrOf(iov)), 16);
    h.writeBigUInt64LE(BigInt(m.iovs.length), 24);
    if (ctl) { h.writeBigUInt64LE(BigInt(addrOf(ctl)), 32); h.writeBigUInt64LE(BigInt(ctl.length), 40); }
    return checkN(sockLib().sendmsg(f.hostFd, addrOf(h), msgFlagsToHost(flags) | SEND_FLAGS), 'sendmsg');
  });
}

function recvmsg(c: SyscallCtx, fd: number, msgAddr: number, flags: number): number | typeof JUST_RETURN {
  const { f, s } = sockFile(c, fd);
  const m = readMsghdr(c, msgAddr);
  return sockIo(c, f, s, false, flags, () => {
    const { iov, bounces } = hostIov(c, m.iovs, true);
    const ab = Buffer.alloc(HOST_ADDR_MAX);
    const ctl = m.control && m.controllen ? Buffer.alloc(m.controllen * 2 + 64) : null;
    const h = Buffer.alloc(HOST_MSGHDR_SIZE);
    h.writeBigUInt64LE(BigInt(addrOf(ab)), 0); h.writeUInt32LE(HOST_ADDR_MAX, 8);
    h.writeBigUInt64LE(BigInt(addrOf(iov)), 16);
    h.writeBigUInt64LE(BigInt(m.iovs.length), 24);
    if (ctl) { h.writeBigUInt64LE(BigInt(addrOf(ctl)), 32); h.writeBigUInt64LE(BigInt(ctl.length), 40); }
    const n = checkN(sockLib().recvmsg(f.hostFd, addrOf(h), msgFlagsToHost(flags) | HOST_MSG.DONTWAIT | HOST_MSG.CMSG_CLOEXEC), 'recvmsg');
    // Data into guest memory.
    let left = n;
    for (const v of m.iovs) {
      if (left <= 0) break;
      const k = Math.min(left, v.len);
      const b = bounces.find((x) => x.v === v);
      if (b) c.mem.write(v.base, b.tmp.subarray(0, k)); else c.mem.wrote(v.base, k);
      left -= k;
    }
    let gflags = msgFlagsFromHost(h.readInt32LE(48));
    // msghdr out-fields: msg_namelen (FreeBSD: min of the room and sa_len), msg_controllen, msg_flags.
    const hl = h.readUInt32LE(8);
    let namelen = 0;
    if (m.name && hl > 0) {
      const enc = encodeSockaddr(guestAddr(c, sockaddrFromHost(ab, hl)));
      namelen = Math.min(m.namelen, enc[0] || enc.length);
      if (namelen) c.mem.write(m.name, enc.subarray(0, namelen));
    }
    let controllen = 0;
    if (ctl) {
      const r = controlFromHost(c, ctl, Number(h.readBigUInt64LE(40)), m.control, m.controllen, (flags & MSG.CMSG_CLOEXEC) !== 0);
      controllen = r.len;
      if (r.trunc) gflags |= MSG.CTRUNC;
    }
    const ob = Buffer.alloc(4);
    ob.writeUInt32LE(namelen, 0); c.mem.write(msgAddr + 8, ob);
    ob.writeUInt32LE(controllen, 0); c.mem.write(msgAddr + 40, ob);
    ob.writeInt32LE(gflags, 0); c.mem.write(msgAddr + 44, ob);
    return n;
  });
}

export const netSyscalls: SyscallDef[] = [
  sys(97, 'socket', 'int hex int', (c, a) => socket(c, int(a[0]), int(a[1]), int(a[2]))),
  sys(135, 'socketpair', 'int hex int ptr', (c, a) => socketpair(c, int(a[0]), int(a[1]), int(a[2]), ptr(a[3]))),
  sys(104, 'bind', 'fd sockaddr:2 int', (c, a) => bind(c, int(a[0]), ptr(a[1]), int(a[2]))),
  sys(98, 'connect', 'fd sockaddr:2 int', (c, a) => connect(c, int(a[0]), ptr(a[1]), int(a[2]))),
  sys(106, 'listen', 'fd int', (c, a) => listen(c, int(a[0]), int(a[1]))),
  sys(30, 'accept', 'fd ptr ptr', (c, a) => accept(c, int(a[0]), ptr(a[1]), ptr(a[2]), null)),
  sys(541, 'accept4', 'fd ptr ptr hex', (c, a) => accept(c, int(a[0]), ptr(a[1]), ptr(a[2]), int(a[3]))),
  sys(32, 'getsockname', 'fd ptr ptr', (c, a) => getName(c, int(a[0]), ptr(a[1]), ptr(a[2]), false)),
  sys(31, 'getpeername', 'fd ptr ptr', (c, a) => getName(c, int(a[0]), ptr(a[1]), ptr(a[2]), true)),
  sys(105, 'setsockopt', 'fd hex hex ptr int', (c, a) => setsockopt(c, int(a[0]), int(a[1]), int(a[2]), ptr(a[3]), int(a[4]))),
  sys(118, 'getsockopt', 'fd hex hex ptr ptr', (c, a) => getsockopt(c, int(a[0]), int(a[1]), int(a[2]), ptr(a[3]), ptr(a[4]))),
  sys(134, 'shutdown', 'fd int', (c, a) => shutdown(c, int(a[0]), int(a[1]))),
  sys(133, 'sendto', 'fd buf:2 size hex sockaddr:5 int', (c, a) => sendto(c, int(a[0]), ptr(a[1]), size(a[2]), int(a[3]), ptr(a[4]), int(a[5]))),
  sys(29, 'recvfrom', 'fd obuf:2 size hex ptr ptr', (c, a) => recvfrom(c, int(a[0]), ptr(a[1]), size(a[2]), int(a[3]), ptr(a[4]), ptr(a[5]))),
  sys(28, 'sendmsg', 'fd ptr hex', (c, a) => sendmsg(c, int(a[0]), ptr(a[1]), int(a[2]))),
  sys(27, 'recvmsg', 'fd ptr hex', (c, a) => recvmsg(c, int(a[0]), ptr(a[1]), int(a[2]))),
];

