// truss-style --strace formatting (src/syscalls/strace.ts).
import { describe, expect, it } from 'vitest';
import { Errno, E } from '../../src/abi/errno.js';
import { escapeBytes, fmtMmapFlags, fmtOflags, fmtProt, formatCall, formatError, formatResult } from '../../src/syscalls/strace.js';
import { sys, type SyscallDef } from '../../src/syscalls/types.js';
import type { GuestMemory } from '../../src/mmap/api.js';
import { FlatMem } from './flat-mem.js';


const noop = () => 0;
function line(spec: string, args: (number | bigint)[], mem = new FlatMem(), name = 'f'): string {
  const def = sys(1, name, spec, noop);
  const a = new BigUint64Array(8);
  args.forEach((v, i) => { a[i] = BigInt.asUintN(64, BigInt(v)); });
  return formatCall(def, a, mem as unknown as GuestMemory);
}

describe('strace argument decoders', () => {
  it('integers, pointers and descriptors', () => {
    expect(line('int uint long ulong size', [-1, -1, -5, 7, 4096])).toBe('f(-1,4294967295,-5,7,4096)');
    expect(line('int', [0x12345678ffffffffn])).toBe('f(-1)'); // int args are 32 bits
    expect(line('hex ptr ptr', [255, 0, 0x7fff0000])).toBe('f(0xff,0x0,0x7fff0000)');
    expect(line('fd atfd atfd', [3, -100, 5])).toBe('f(3,AT_FDCWD,5)');
  });

  it('strings from guest memory, escaped and truncated; bad pointers as addresses', () => {
    const mem = new FlatMem();
    mem.put(0x10000, '/etc/malloc.conf');
    mem.put(0x10100, 'a\nb\t"c"\\\x01\xff');
    expect(line('path', [0x10000], mem, 'readlink')).toBe('readlink("/etc/malloc.conf")');
    expect(line('str', [0x10100], mem)).toBe('f("a\\nb\\t\\"c\\"\\\\\\001\\377")');
    mem.put(0x10200, 'x'.repeat(300));
    expect(line('str', [0x10200], mem)).toBe(`f("${'x'.repeat(128)}"...)`);
    expect(line('path', [0x5000], mem)).toBe('f(0x5000)');
    expect(line('path', [0], mem)).toBe('f(NULL)');
    // a string running into unmapped memory: what was readable, then ...
    mem.write(0x1fffc, Buffer.from('abcd'));
    expect(line('str', [0x1fffc], mem)).toBe('f("abcd"...)');
  });

  it('buffers: input quoted up to 32 bytes, output as the pointer', () => {
    const mem = new FlatMem();
    mem.write(0x10000, Buffer.from('hello\n'));
    expect(line('fd buf:2 size', [1, 0x10000, 6], mem, 'write')).toBe('write(1,"hello\\n",6)');
    mem.write(0x10100, Buffer.alloc(40, 0x41));
    expect(line('fd buf:2 size', [1, 0x10100, 40], mem)).toBe(`f(1,"${'A'.repeat(32)}"...,40)`);
    expect(line('fd obuf:2 size', [0, 0x10000, 100], mem, 'read')).toBe('read(0,0x10000,100)');
    expect(line('fd buf:2 size', [1, 0x3000, 4], mem)).toBe('f(1,0x3000,4)');
  });

  it('flag and enum decoders', () => {
    expect(fmtOflags(0)).toBe('O_RDONLY');
    expect(fmtOflags(0x200 | 0x100000 | 1)).toBe('O_WRONLY|O_CREAT|O_CLOEXEC');
    expect(fmtOflags(2 | 0x20000000)).toBe('O_RDWR|0x20000000');
    expect(line('mode', [0o644])).toBe('f(0644)');
    expect(line('octal', [0])).toBe('f(0)');
    expect(fmtProt(0)).toBe('PROT_NONE');
    expect(fmtProt(3)).toBe('PROT_READ|PROT_WRITE');
    expect(fmtProt(1 | (7 << 16))).toBe('PROT_READ|PROT_MAX(PROT_READ|PROT_WRITE|PROT_EXEC)');
    expect(fmtMmapFlags(0x1002 | (21 << 24))).toBe('MAP_PRIVATE|MAP_ANON|MAP_ALIGNED(21)');
    expect(fmtMmapFlags(0x2000)).toBe('MAP_GUARD');
    expect(fmtMmapFlags(0x1 | (1 << 24))).toBe('MAP_SHARED|MAP_ALIGNED_SUPER');
    expect(line('signal signal signal', [30, 65, 0])).toBe('f(SIGUSR1,SIGRTMIN,0)');
    expect(line('whence fcntlcmd fcntlcmd', [0, 3, 99])).toBe('f(SEEK_SET,F_GETFL,99)');
    expect(line('ioctl ioctl ioctl', [0x402c7413, 0x40087468, 0x12345678])).toBe('f(TIOCGETA,TIOCGWINSZ,0x12345678)');
    expect(line('ioctl', [0x4004667f])).toBe('f(FIONREAD)');
    expect(line('clockid clockid clockid', [4, 0, 99])).toBe('f(CLOCK_MONOTONIC,CLOCK_REALTIME,99)');
    expect(line('sigprocmaskhow', [1])).toBe('f(SIG_BLOCK)');
    expect(line('atflags atflags', [0x200, 0])).toBe('f(AT_SYMLINK_NOFOLLOW,0)');
    expect(line('sysarch madvise', [129, 5])).toBe('f(AMD64_SET_FSBASE,MADV_FREE)');
    expect(line('access access', [6, 0])).toBe('f(R_OK|W_OK,F_OK)');
    expect(line('umtxop rlimit', [15, 8])).toBe('f(UMTX_OP_WAIT_UINT_PRIVATE,RLIMIT_NOFILE)');
  });

  it('structures read from memory: mib, sigset, timespec', () => {
    const mem = new FlatMem();
    mem.buf.writeInt32LE(1, 0); mem.buf.writeInt32LE(24, 4);
    expect(line('mib:1 uint', [0x10000, 2], mem, '__sysctl')).toBe('__sysctl({ 1.24 },2)');
    mem.buf.writeInt32LE(-1, 8);
    expect(line('mib:1 uint', [0x10000, 3], mem)).toBe('f({ 1.24.-1 },3)');
    const set = Buffer.alloc(16);
    set.writeUInt32LE((1 << 1) | (1 << 29), 0); // SIGINT, SIGUSR1
    mem.write(0x10100, set);
    expect(line('sigprocmaskhow sigset ptr', [1, 0x10100, 0], mem)).toBe('f(SIG_BLOCK,{ SIGINT|SIGUSR1 },0x0)');
    mem.write(0x10200, Buffer.alloc(16));
    expect(line('sigset', [0x10200], mem)).toBe('f({ })');
    const ts = Buffer.alloc(16);
    ts.writeBigInt64LE(1n, 0); ts.writeBigInt64LE(500n, 8);
    mem.write(0x10300, ts);
    expect(line('timespec ptr', [0x10300, 0], mem, 'nanosleep')).toBe('nanosleep({ 1.000000500 },0x0)');
    expect(line('timespec', [0x4000], mem)).toBe('f(0x4000)');
  });

  it('never throws, even with a memory that always fails', () => {
    const bad = new Proxy({}, { get: () => () => { throw new Errno(E.EFAULT); } }) as unknown as GuestMemory;
    const def: SyscallDef = sys(1, 'g', 'path str buf:3 size mib:5 uint sigset timespec', noop);
    const a = BigUint64Array.from([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
    expect(formatCall(def, a, bad)).toBe('g(0x1,0x2,0x3,4,0x5,6,0x7,0x8)');
    const weird = new Proxy({}, { get: () => () => { throw new TypeError('boom'); } }) as unknown as GuestMemory;
    expect(() => formatCall(def, a, weird)).not.toThrow();
  });
});

describe('strace results', () => {
  it('decimal with hex, hex only for pointers, errors with strerror', () => {
    expect(formatResult(sys(1, 'f', '', noop), 15n)).toBe(' = 15 (0xf)');
    expect(formatResult(sys(1, 'f', '', noop, 'ptr'), 0x800000000n)).toBe(' = 0x800000000');
    expect(formatResult(sys(1, 'f', '', noop, 'hex'), 255n)).toBe(' = 0xff');
    expect(formatError(2)).toBe(" ERR#2 'No such file or directory'");
    expect(formatError(78)).toBe(" ERR#78 'Function not implemented'");
  });
  it('escapes bytes like truss', () => {
    expect(escapeBytes(Buffer.from([0x41, 0x0a, 0x00, 0x7f]))).toBe('A\\n\\000\\177');
  });
});
