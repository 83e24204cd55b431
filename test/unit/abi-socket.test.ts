// FreeBSD sockaddr codecs and option/flag translation (src/abi/socket.ts) against hand-built bytes.
import { describe, expect, it } from 'vitest';
import { Errno } from '../../src/abi/errno.js';
import {
  AF, decodeSockaddr, encodeSockaddr, IPPROTO, IPV6, MSG, msgFlagsFromHost, msgFlagsToHost, SO, sockaddrFromHost,
  sockaddrToHost, sockoptToHost, SOL_SOCKET, TCP,
} from '../../src/abi/socket.js';

describe('sockaddr', () => {
  it('sockaddr_in: sa_len, family byte, port in network order', () => {
    const g = Buffer.from([16, 2, 0x1f, 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const sa = decodeSockaddr(g);
    expect(sa).toMatchObject({ family: AF.INET, port: 8080 });
    expect(encodeSockaddr(sa)).toEqual(g);
    const h = sockaddrToHost(sa);
    expect(h.readUInt16LE(0)).toBe(2);
    expect([...h.subarray(2, 8)]).toEqual([0x1f, 0x90, 127, 0, 0, 1]);
    expect(encodeSockaddr(sockaddrFromHost(h, 16))).toEqual(g);
  });

  it('sockaddr_in6: 28 bytes, AF_INET6 28 (Linux 10), scope id', () => {
    const g = Buffer.alloc(28);
    g[0] = 28; g[1] = 28; g.writeUInt16BE(443, 2); g[23] = 1; g.writeUInt32LE(3, 24);
    const sa = decodeSockaddr(g);
    expect(sa).toMatchObject({ family: AF.INET6, port: 443, scope: 3 });
    const h = sockaddrToHost(sa);
    expect(h.readUInt16LE(0)).toBe(10);
    expect(encodeSockaddr(sockaddrFromHost(h, 28))).toEqual(g);
  });

  it('sockaddr_un: path up to the NUL; unnamed is the 16-byte sun_noname', () => {
    const g = Buffer.alloc(12);
    g[0] = 12; g[1] = 1; g.write('/tmp/s', 2);
    const sa = decodeSockaddr(g);
    expect(sa).toMatchObject({ family: AF.UNIX });
    expect((sa as { path: Buffer }).path.toString()).toBe('/tmp/s');
    const enc = encodeSockaddr(sa);
    expect(enc[0]).toBe(2 + 6 + 1);
    const none = encodeSockaddr(sockaddrFromHost(Buffer.from([1, 0]), 2));
    expect([...none.subarray(0, 2)]).toEqual([16, 1]);
    expect(none.length).toBe(16);
  });

  it('getsockaddr limits: too long is ENAMETOOLONG, too short EINVAL', () => {
    expect(() => decodeSockaddr(Buffer.alloc(256))).toThrow(Errno);
    expect(() => decodeSockaddr(Buffer.alloc(1))).toThrow(Errno);
  });
});

describe('options and flags', () => {
  it('maps FreeBSD option numbers to Linux ones', () => {
    expect(sockoptToHost(SOL_SOCKET, SO.REUSEADDR)).toEqual({ level: 1, name: 2, shape: 'bool' });
    expect(sockoptToHost(SOL_SOCKET, SO.RCVBUF)).toEqual({ level: 1, name: 8, shape: 'int' });
    expect(sockoptToHost(IPPROTO.TCP, TCP.KEEPIDLE)).toEqual({ level: 6, name: 4, shape: 'int' });
    expect(sockoptToHost(IPPROTO.IPV6, IPV6.V6ONLY)).toEqual({ level: 41, name: 26, shape: 'bool' });
    expect(sockoptToHost(SOL_SOCKET, 0x7777)).toBeUndefined();
  });

  it('translates MSG_* both ways', () => {
    expect(msgFlagsToHost(MSG.PEEK | MSG.WAITALL | MSG.EOR)).toBe(0x2 | 0x100 | 0x80);
    expect(msgFlagsFromHost(0x20 | 0x8)).toBe(MSG.TRUNC | MSG.CTRUNC);
  });
});

describe('--strace sockaddr arguments', () => {
  it('decodes AF_INET, AF_INET6 and AF_UNIX names; a bad one stays a pointer', async () => {
    const { formatCall } = await import('../../src/syscalls/strace.js');
    const { sys } = await import('../../src/syscalls/types.js');
    const { FlatMem } = await import('./flat-mem.js');
    const mem = new FlatMem();
    mem.write(0x10000, Buffer.from([16, 2, 0x1f, 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]));
    const six = Buffer.alloc(28); six[0] = 28; six[1] = 28; six.writeUInt16BE(80, 2); six[23] = 1;
    mem.write(0x10100, six);
    mem.write(0x10200, Buffer.from('\x09\x01/tmp/s\0', 'latin1'));
    const def = sys(104, 'bind', 'fd sockaddr:2 int', () => 0);
    const call = (addr: number, len: number) => formatCall(def, BigUint64Array.from([3n, BigInt(addr), BigInt(len)]),
      mem as never);
    expect(call(0x10000, 16)).toBe('bind(3,{ AF_INET 127.0.0.1:8080 },16)');
    expect(call(0x10100, 28)).toBe('bind(3,{ AF_INET6 [0:0:0:0:0:0:0:1]:80 },28)');
    expect(call(0x10200, 9)).toBe('bind(3,{ AF_UNIX "/tmp/s" },9)');
    expect(call(0x10000, 1)).toBe('bind(3,0x10000,1)');
  });
});
