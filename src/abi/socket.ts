// FreeBSD socket ABI (sys/sys/socket.h, sys/sys/un.h, sys/netinet/in.h, sys/netinet6/in6.h,
// sys/netinet/tcp.h) and its translation to the Linux host (<asm-generic/socket.h>, <linux/in.h>,
// <linux/in6.h>, <linux/tcp.h>; x86_64 and aarch64 share these values). Every FreeBSD↔host number
// mapping of the socket code lives here.
import { Errno, E } from './errno.js';

// ---- FreeBSD values ----

/** Address families (sys/sys/socket.h). */
export const AF = { UNSPEC: 0, UNIX: 1, INET: 2, INET6: 28 } as const;
/** Socket types and creation flags (sys/sys/socket.h). */
export const SOCK = { STREAM: 1, DGRAM: 2, RAW: 3, RDM: 4, SEQPACKET: 5, CLOEXEC: 0x10000000, NONBLOCK: 0x20000000 } as const;
export const SOL_SOCKET = 0xffff;
/** SOL_SOCKET options (sys/sys/socket.h). */
export const SO = {
  DEBUG: 0x0001, ACCEPTCONN: 0x0002, REUSEADDR: 0x0004, KEEPALIVE: 0x0008, DONTROUTE: 0x0010,
  BROADCAST: 0x0020, USELOOPBACK: 0x0040, LINGER: 0x0080, OOBINLINE: 0x0100, REUSEPORT: 0x0200,
  TIMESTAMP: 0x0400, NOSIGPIPE: 0x0800, ACCEPTFILTER: 0x1000, BINTIME: 0x2000, NO_OFFLOAD: 0x4000,
  NO_DDP: 0x8000, REUSEPORT_LB: 0x10000,
  SNDBUF: 0x1001, RCVBUF: 0x1002, SNDLOWAT: 0x1003, RCVLOWAT: 0x1004, SNDTIMEO: 0x1005, RCVTIMEO: 0x1006,
  ERROR: 0x1007, TYPE: 0x1008, LABEL: 0x1009, PEERLABEL: 0x1010, LISTENQLIMIT: 0x1011, LISTENQLEN: 0x1012,
  LISTENINCQLEN: 0x1013, SETFIB: 0x1014, USER_COOKIE: 0x1015, PROTOCOL: 0x1016, DOMAIN: 0x1019,
} as const;
/** Protocols (sys/netinet/in.h). */
export const IPPROTO = { IP: 0, ICMP: 1, TCP: 6, UDP: 17, IPV6: 41, ICMPV6: 58 } as const;
/** IPPROTO_IP options (sys/netinet/in.h). */
export const IP = { TOS: 3, TTL: 4, MULTICAST_IF: 9, MULTICAST_TTL: 10, MULTICAST_LOOP: 11, ADD_MEMBERSHIP: 12, DROP_MEMBERSHIP: 13 } as const;
/** IPPROTO_IPV6 options (sys/netinet6/in6.h). */
export const IPV6 = {
  UNICAST_HOPS: 4, MULTICAST_IF: 9, MULTICAST_HOPS: 10, MULTICAST_LOOP: 11, JOIN_GROUP: 12, LEAVE_GROUP: 13,
  V6ONLY: 27, TCLASS: 61,
} as const;
/** IPPROTO_TCP options (sys/netinet/tcp.h). */
export const TCP = { NODELAY: 1, MAXSEG: 2, NOPUSH: 4, NOOPT: 8, KEEPINIT: 128, KEEPIDLE: 256, KEEPINTVL: 512, KEEPCNT: 1024 } as const;
/** send/recv flags (sys/sys/socket.h). */
export const MSG = {
  OOB: 0x1, PEEK: 0x2, DONTROUTE: 0x4, EOR: 0x8, TRUNC: 0x10, CTRUNC: 0x20, WAITALL: 0x40, DONTWAIT: 0x80,
  EOF: 0x100, NBIO: 0x4000, NOSIGNAL: 0x20000, CMSG_CLOEXEC: 0x40000, WAITFORONE: 0x80000,
} as const;
export const SCM_RIGHTS = 1;
/** SOCK_MAXADDRLEN (sys/sys/socket.h): longest sockaddr getsockaddr() accepts. */
export const SOCK_MAXADDRLEN = 255;
/** sizeof(struct sockaddr_in) 16, sockaddr_in6 28, sockaddr_un 106 (sun_path[104], sys/sys/un.h). */
export const SIN_SIZE = 16, SIN6_SIZE = 28, SUN_SIZE = 106, SUN_PATH = 104;
/** struct msghdr on LP64: name 0, namelen 8, iov 16, iovlen 24, control 32, controllen 40, flags 44 (48 bytes). */
export const MSGHDR_SIZE = 48;
/** struct cmsghdr {socklen_t len; int level; int type}: 12 bytes, data at _ALIGN(12) = 16 on LP64. */
export const CMSG_HDR = 16;
export const cmsgAlign = (n: number): number => (n + 7) & ~7;

// ---- Linux host values ----

export const HOST_AF = { UNIX: 1, INET: 2, INET6: 10 } as const;
export const HOST_SOCK = { NONBLOCK: 0x800, CLOEXEC: 0x80000 } as const;
export const HOST_SOL_SOCKET = 1;
export const HOST_SO = {
  DEBUG: 1, REUSEADDR: 2, TYPE: 3, ERROR: 4, DONTROUTE: 5, BROADCAST: 6, SNDBUF: 7, RCVBUF: 8, KEEPALIVE: 9,
  OOBINLINE: 10, LINGER: 13, REUSEPORT: 15, RCVLOWAT: 18, SNDLOWAT: 19, TIMESTAMP: 29, ACCEPTCONN: 30,
  PROTOCOL: 38, DOMAIN: 39,
} as const;
export const HOST_IP = { TOS: 1, TTL: 2, MULTICAST_IF: 32, MULTICAST_TTL: 33, MULTICAST_LOOP: 34, ADD_MEMBERSHIP: 35, DROP_MEMBERSHIP: 36 } as const;
export const HOST_IPV6 = {
  UNICAST_HOPS: 16, MULTICAST_IF: 17, MULTICAST_HOPS: 18, MULTICAST_LOOP: 19, JOIN_GROUP: 20, LEAVE_GROUP: 21,
  V6ONLY: 26, TCLASS: 67,
} as const;
export const HOST_TCP = { NODELAY: 1, MAXSEG: 2, CORK: 3, KEEPIDLE: 4, KEEPINTVL: 5, KEEPCNT: 6 } as const;
export const HOST_MSG = {
  OOB: 0x1, PEEK: 0x2, DONTROUTE: 0x4, CTRUNC: 0x8, TRUNC: 0x20, DONTWAIT: 0x40, EOR: 0x80, WAITALL: 0x100,
  NOSIGNAL: 0x4000, CMSG_CLOEXEC: 0x40000000,
} as const;
/** Linux struct msghdr: namelen u32 at 8, iovlen size_t at 24, controllen size_t at 40, flags at 48 (56 bytes). */
export const HOST_MSGHDR_SIZE = 56;
/** Linux struct cmsghdr {size_t len; int level; int type}: data at 16. */
export const HOST_CMSG_HDR = 16;

export function afToHost(af: number): number {
  switch (af) {
    case AF.UNIX: return HOST_AF.UNIX;
    case AF.INET: return HOST_AF.INET;
    case AF.INET6: return HOST_AF.INET6;
    default: throw new Errno(E.EAFNOSUPPORT);
  }
}
export function afFromHost(af: number): number {
  switch (af) {
    case HOST_AF.UNIX: return AF.UNIX;
    case HOST_AF.INET: return AF.INET;
    case HOST_AF.INET6: return AF.INET6;
    default: return AF.UNSPEC;
  }
}

/** Option value shapes: 'int', a boolean int, a struct copied as is, or a struct with its own codec. */
export type OptShape = 'int' | 'bool' | 'linger' | 'raw' | 'timeval';
export interface OptMap { level: number; name: number; shape: OptShape }

/** A FreeBSD (level, name) → host option, or undefined when the host has none (the caller decides). */
export function sockoptToHost(level: number, name: number): OptMap | undefined {
  const m = (lv: number, nm: number, shape: OptShape = 'int'): OptMap => ({ level: lv, name: nm, shape });
  switch (level) {
    case SOL_SOCKET:
      switch (name) {
        case SO.DEBUG: return m(HOST_SOL_SOCKET, HOST_SO.DEBUG, 'bool');
        case SO.ACCEPTCONN: return m(HOST_SOL_SOCKET, HOST_SO.ACCEPTCONN, 'bool');
        case SO.REUSEADDR: return m(HOST_SOL_SOCKET, HOST_SO.REUSEADDR, 'bool');
        case SO.KEEPALIVE: return m(HOST_SOL_SOCKET, HOST_SO.KEEPALIVE, 'bool');
        case SO.DONTROUTE: return m(HOST_SOL_SOCKET, HOST_SO.DONTROUTE, 'bool');
        case SO.BROADCAST: return m(HOST_SOL_SOCKET, HOST_SO.BROADCAST, 'bool');
        case SO.OOBINLINE: return m(HOST_SOL_SOCKET, HOST_SO.OOBINLINE, 'bool');
        case SO.REUSEPORT: return m(HOST_SOL_SOCKET, HOST_SO.REUSEPORT, 'bool');
        case SO.TIMESTAMP: return m(HOST_SOL_SOCKET, HOST_SO.TIMESTAMP, 'bool');
        case SO.LINGER: return m(HOST_SOL_SOCKET, HOST_SO.LINGER, 'linger');
        case SO.SNDBUF: return m(HOST_SOL_SOCKET, HOST_SO.SNDBUF);
        case SO.RCVBUF: return m(HOST_SOL_SOCKET, HOST_SO.RCVBUF);
        case SO.SNDLOWAT: return m(HOST_SOL_SOCKET, HOST_SO.SNDLOWAT);
        case SO.RCVLOWAT: return m(HOST_SOL_SOCKET, HOST_SO.RCVLOWAT);
        case SO.ERROR: return m(HOST_SOL_SOCKET, HOST_SO.ERROR);
        case SO.TYPE: return m(HOST_SOL_SOCKET, HOST_SO.TYPE);
        case SO.PROTOCOL: return m(HOST_SOL_SOCKET, HOST_SO.PROTOCOL);
        case SO.DOMAIN: return m(HOST_SOL_SOCKET, HOST_SO.DOMAIN);
        default: return undefined;
      }
    case IPPROTO.TCP:
      switch (name) {
        case TCP.NODELAY: return m(IPPROTO.TCP, HOST_TCP.NODELAY, 'bool');
        case TCP.MAXSEG: return m(IPPROTO.TCP, HOST_TCP.MAXSEG);
        case TCP.NOPUSH: return m(IPPROTO.TCP, HOST_TCP.CORK, 'bool');
        case TCP.KEEPIDLE: return m(IPPROTO.TCP, HOST_TCP.KEEPIDLE);
        case TCP.KEEPINTVL: return m(IPPROTO.TCP, HOST_TCP.KEEPINTVL);
        case TCP.KEEPCNT: return m(IPPROTO.TCP, HOST_TCP.KEEPCNT);
        default: return undefined;
      }
    case IPPROTO.IP:
      switch (name) {
        case IP.TOS: return m(IPPROTO.IP, HOST_IP.TOS);
        case IP.TTL: return m(IPPROTO.IP, HOST_IP.TTL);
        case IP.MULTICAST_IF: return m(IPPROTO.IP, HOST_IP.MULTICAST_IF, 'raw');
        case IP.MULTICAST_TTL: return m(IPPROTO.IP, HOST_IP.MULTICAST_TTL, 'raw');
        case IP.MULTICAST_LOOP: return m(IPPROTO.IP, HOST_IP.MULTICAST_LOOP, 'raw');
        case IP.ADD_MEMBERSHIP: return m(IPPROTO.IP, HOST_IP.ADD_MEMBERSHIP, 'raw');
        case IP.DROP_MEMBERSHIP: return m(IPPROTO.IP, HOST_IP.DROP_MEMBERSHIP, 'raw');
        default: return undefined;
      }
    case IPPROTO.IPV6:
      switch (name) {
        case IPV6.UNICAST_HOPS: return m(IPPROTO.IPV6, HOST_IPV6.UNICAST_HOPS);
        case IPV6.MULTICAST_IF: return m(IPPROTO.IPV6, HOST_IPV6.MULTICAST_IF);
        case IPV6.MULTICAST_HOPS: return m(IPPROTO.IPV6, HOST_IPV6.MULTICAST_HOPS);
        case IPV6.MULTICAST_LOOP: return m(IPPROTO.IPV6, HOST_IPV6.MULTICAST_LOOP);
        case IPV6.JOIN_GROUP: return m(IPPROTO.IPV6, HOST_IPV6.JOIN_GROUP, 'raw');
        case IPV6.LEAVE_GROUP: return m(IPPROTO.IPV6, HOST_IPV6.LEAVE_GROUP, 'raw');
        case IPV6.V6ONLY: return m(IPPROTO.IPV6, HOST_IPV6.V6ONLY, 'bool');
        case IPV6.TCLASS: return m(IPPROTO.IPV6, HOST_IPV6.TCLASS);
        default: return undefined;
      }
    default:
      return undefined;
  }
}

/** FreeBSD MSG_* → host MSG_*; flags the host lacks (MSG_EOF, MSG_NBIO) are dropped. */
export function msgFlagsToHost(f: number): number {
  let h = 0;
  if (f & MSG.OOB) h |= HOST_MSG.OOB;
  if (f & MSG.PEEK) h |= HOST_MSG.PEEK;
  if (f & MSG.DONTROUTE) h |= HOST_MSG.DONTROUTE;
  if (f & MSG.EOR) h |= HOST_MSG.EOR;
  if (f & MSG.WAITALL) h |= HOST_MSG.WAITALL;
  if (f & MSG.CMSG_CLOEXEC) h |= HOST_MSG.CMSG_CLOEXEC;
  return h;
}
/** Host msg_flags of a received message → FreeBSD. */
export function msgFlagsFromHost(h: number): number {
  let f = 0;
  if (h & HOST_MSG.OOB) f |= MSG.OOB;
  if (h & HOST_MSG.EOR) f |= MSG.EOR;
  if (h & HOST_MSG.TRUNC) f |= MSG.TRUNC;
  if (h & HOST_MSG.CTRUNC) f |= MSG.CTRUNC;
  return f;
}

/** A decoded socket address. */
export type SockAddr =
  | { family: typeof AF.INET; port: number; addr: Buffer }
  | { family: typeof AF.INET6; port: number; flowinfo: number; addr: Buffer; scope: number }
  | { family: typeof AF.UNIX; path: Buffer }
  | { family: number; raw: Buffer };

/**
 * A FreeBSD sockaddr as the guest passed it (getsockaddr: namelen > SOCK_MAXADDRLEN is ENAMETOOLONG, shorter
 * than the sa_len/sa_family header is EINVAL; the kernel sets sa_len = namelen).
 */
export function decodeSockaddr(b: Buffer): SockAddr {
  if (b.length > SOCK_MAXADDRLEN) throw new Errno(E.ENAMETOOLONG);
  if (b.length < 2) throw new Errno(E.EINVAL);
  const family = b[1];
  switch (family) {
    case AF.INET:
      if (b.length < SIN_SIZE) throw new Errno(E.EINVAL);
      return { family, port: b.readUInt16BE(2), addr: Buffer.from(b.subarray(4, 8)) };
    case AF.INET6:
      if (b.length < SIN6_SIZE) throw new Errno(E.EINVAL);
      return { family, port: b.readUInt16BE(2), flowinfo: b.readUInt32BE(4), addr: Buffer.from(b.subarray(8, 24)), scope: b.readUInt32LE(24) };
    case AF.UNIX: {
      // sun_path: the bytes after the header up to the first NUL (uipc_bindat copies sun_len - 2 bytes).
      const p = b.subarray(2, Math.min(b.length, 2 + SUN_PATH));
      const nul = p.indexOf(0);
      return { family, path: Buffer.from(nul >= 0 ? p.subarray(0, nul) : p) };
    }
    default:
      return { family, raw: Buffer.from(b) };
  }
}

/** A sockaddr in FreeBSD layout (with sa_len). Unnamed AF_UNIX addresses are sun_noname (16 bytes, uipc_usrreq.c). */
export function encodeSockaddr(sa: SockAddr): Buffer {
  switch (sa.family) {
    case AF.INET: {
      const s = sa as Extract<SockAddr, { family: 2 }>;
      const b = Buffer.alloc(SIN_SIZE);
      b[0] = SIN_SIZE; b[1] = AF.INET; b.writeUInt16BE(s.port, 2); s.addr.copy(b, 4);
      return b;
    }
    case AF.INET6: {
      const s = sa as Extract<SockAddr, { family: 28 }>;
      const b = Buffer.alloc(SIN6_SIZE);
      b[0] = SIN6_SIZE; b[1] = AF.INET6; b.writeUInt16BE(s.port, 2); b.writeUInt32BE(s.flowinfo, 4);
      s.addr.copy(b, 8); b.writeUInt32LE(s.scope, 24);
      return b;
    }
    case AF.UNIX: {
      const s = sa as Extract<SockAddr, { family: 1 }>;
      if (s.path.length === 0) {
        const b = Buffer.alloc(16);
        b[0] = 16; b[1] = AF.UNIX;
        return b;
      }
      const n = Math.min(s.path.length, SUN_PATH - 1);
      const b = Buffer.alloc(2 + n + 1);
      b[0] = b.length; b[1] = AF.UNIX; s.path.copy(b, 2, 0, n);
      return b;
    }
    default: {
      const s = sa as { family: number; raw: Buffer };
      return Buffer.from(s.raw);
    }
  }
}

/** A host (Linux) sockaddr for `sa`; unix paths come already translated by the caller. */
export function sockaddrToHost(sa: SockAddr): Buffer {
  switch (sa.family) {
    case AF.INET: {
      const s = sa as Extract<SockAddr, { family: 2 }>;
      const b = Buffer.alloc(16);
      b.writeUInt16LE(HOST_AF.INET, 0); b.writeUInt16BE(s.port, 2); s.addr.copy(b, 4);
      return b;
    }
    case AF.INET6: {
      const s = sa as Extract<SockAddr, { family: 28 }>;
      const b = Buffer.alloc(28);
      b.writeUInt16LE(HOST_AF.INET6, 0); b.writeUInt16BE(s.port, 2); b.writeUInt32BE(s.flowinfo, 4);
      s.addr.copy(b, 8); b.writeUInt32LE(s.scope, 24);
      return b;
    }
    case AF.UNIX: {
      const s = sa as Extract<SockAddr, { family: 1 }>;
      if (s.path.length >= 108) throw new Errno(E.ENAMETOOLONG);
      const b = Buffer.alloc(2 + s.path.length + 1);
      b.writeUInt16LE(HOST_AF.UNIX, 0); s.path.copy(b, 2);
      return b;
    }
    default:
      throw new Errno(E.EAFNOSUPPORT);
  }
}

/** A host sockaddr of `len` bytes → decoded (AF_UNSPEC when the host gave nothing). */
export function sockaddrFromHost(b: Buffer, len: number): SockAddr {
  if (len < 2) return { family: AF.UNIX, path: Buffer.alloc(0) };
  const fam = b.readUInt16LE(0);
  switch (fam) {
    case HOST_AF.INET: return { family: AF.INET, port: b.readUInt16BE(2), addr: Buffer.from(b.subarray(4, 8)) };
    case HOST_AF.INET6:
      return { family: AF.INET6, port: b.readUInt16BE(2), flowinfo: b.readUInt32BE(4), addr: Buffer.from(b.subarray(8, 24)), scope: b.readUInt32LE(24) };
    case HOST_AF.UNIX: {
      const p = b.subarray(2, Math.max(2, len));
      const nul = p.indexOf(0);
      return { family: AF.UNIX, path: Buffer.from(nul >= 0 ? p.subarray(0, nul) : p) };
    }
    default: return { family: AF.UNSPEC, raw: Buffer.from([2, 0]) };
  }
}
