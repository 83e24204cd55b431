// Codecs of the FreeBSD file ABI (src/abi/stat.ts, fcntl.ts, termios.ts) and the host decoders
// (src/host/stat.ts) checked against Node's own view of the same files.
import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync, openSync, closeSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decodeDirents, decodeStat, decodeStatfs, direntReclen, DT, encodeDirent, encodeStat, encodeStatfs, major, makedev,
  minor, MNT, STAT_SIZE, STATFS_SIZE, type StatInfo,
} from '../../src/abi/stat.js';
import {
  AT, atFlagsToHost, decodeFlock, encodeFlock, F_RDLCK, F_UNLCK, F_WRLCK, flockFromHost, flockToHost, HOST_O, O,
  openFlagsToHost, statusFlagsFromHost,
} from '../../src/abi/fcntl.js';
import { decodeTermios, encodeTermios, HOST_TERMIOS_SIZE, speedFromHost, speedToHost, termiosFromHost, termiosToHost, V, VDISABLE } from '../../src/abi/termios.js';
import { decodeHostDirents, hostFstat, hostFstatfs, hostGetdents, hostStatAt } from '../../src/host/stat.js';
import { cpath } from '../../src/host/libc.js';

const sample: StatInfo = {
  dev: 0x1122334455667788n, ino: 0x0102030405060708n, nlink: 3n, mode: 0o100644, uid: 1000, gid: 0xfffffffe,
  rdev: makedev(136, 5), atime: { sec: 1700000000n, nsec: 123 }, mtime: { sec: -1n, nsec: 999999999 },
  ctime: { sec: 0n, nsec: 0 }, birthtime: { sec: 1500000000n, nsec: 42 }, size: 0x123456789an, blocks: 24n,
  blksize: 4096, flags: 0x20000, gen: 7n,
};

describe('struct stat (ino64, 224 bytes)', () => {
  it('puts every field at its sys/sys/stat.h offset', () => {
    const b = encodeStat(sample);
    expect(b.length).toBe(STAT_SIZE);
    expect(STAT_SIZE).toBe(224);
    expect(b.readBigUInt64LE(0)).toBe(sample.dev);
    expect(b.readBigUInt64LE(8)).toBe(sample.ino);
    expect(b.readBigUInt64LE(16)).toBe(3n);
    expect(b.readUInt16LE(24)).toBe(0o100644);
    expect(b.readUInt16LE(26)).toBe(0); // st_bsdflags
    expect(b.readUInt32LE(28)).toBe(1000);
    expect(b.readUInt32LE(32)).toBe(0xfffffffe);
    expect(b.readUInt32LE(36)).toBe(0); // st_padding1
    expect(b.readBigUInt64LE(40)).toBe(sample.rdev);
    expect(b.readBigInt64LE(48)).toBe(1700000000n);
    expect(b.readBigInt64LE(56)).toBe(123n);
    expect(b.readBigInt64LE(64)).toBe(-1n);
    expect(b.readBigInt64LE(72)).toBe(999999999n);
    expect(b.readBigInt64LE(96)).toBe(1500000000n);
    expect(b.readBigInt64LE(112)).toBe(0x123456789an);
    expect(b.readBigInt64LE(120)).toBe(24n);
    expect(b.readInt32LE(128)).toBe(4096);
    expect(b.readUInt32LE(132)).toBe(0x20000);
    expect(b.readBigUInt64LE(136)).toBe(7n);
    expect(b.subarray(144).every((x) => x === 0)).toBe(true); // st_filerev, st_spare
  });
  it('round-trips', () => {
    expect(decodeStat(encodeStat(sample))).toEqual(sample);
  });
  it('clears a reused buffer', () => {
    const b = Buffer.alloc(STAT_SIZE, 0xaa);
    encodeStat(sample, b);
    expect(b.readUInt32LE(36)).toBe(0);
    expect(b.readBigUInt64LE(216)).toBe(0n);
  });
});

describe('dev_t', () => {
  it('uses FreeBSD makedev so major()/minor() survive', () => {
    for (const [M, m] of [[0, 0], [8, 1], [136, 5], [259, 0x12345], [0x1234, 0xabcdef]]) {
      const d = makedev(M, m);
      expect([major(d), minor(d)]).toEqual([M, m]);
    }
    expect(makedev(1, 2)).toBe(0x102n);
  });
});

describe('struct statfs (2344 bytes)', () => {
  const info = {
    type: 0x87, flags: MNT.LOCAL | MNT.NOSUID, bsize: 4096n, iosize: 65536n, blocks: 1000n, bfree: 500n, bavail: -3n,
    files: 100n, ffree: 50n, namemax: 255, owner: 0, fsid: [0x1234, -5] as [number, number], fstypename: 'tmpfs',
    mntfromname: 'tmpfs', mntonname: '/tmp',
  };
  it('has the sys/sys/mount.h layout', () => {
    const b = encodeStatfs(info);
    expect(b.length).toBe(STATFS_SIZE);
    expect(b.readUInt32LE(0)).toBe(0x20140518);
    expect(b.readUInt32LE(4)).toBe(0x87);
    expect(b.readBigUInt64LE(8)).toBe(0x1008n);
    expect(b.readBigUInt64LE(16)).toBe(4096n);
    expect(b.readBigInt64LE(48)).toBe(-3n);
    expect(b.readUInt32LE(184)).toBe(255);
    expect(b.readInt32LE(196)).toBe(-5);
    expect(b.toString('latin1', 280, 285)).toBe('tmpfs');
    expect(b.toString('latin1', 1320, 1324)).toBe('/tmp');
    expect(b[1324]).toBe(0);
    const d = decodeStatfs(b);
    expect({ ...d, version: undefined }).toEqual({ ...info, version: undefined });
  });
  it('truncates names to their arrays with a NUL', () => {
    const b = encodeStatfs({ ...info, fstypename: 'x'.repeat(40), mntonname: 'y'.repeat(2000) });
    expect(decodeStatfs(b).fstypename).toBe('x'.repeat(15));
    expect(decodeStatfs(b).mntonname).toBe('y'.repeat(1023));
  });
});

describe('struct dirent', () => {
  it('rounds d_reclen to 8 with a NUL after the name', () => {
    expect(direntReclen(1)).toBe(32);
    expect(direntReclen(7)).toBe(32);
    expect(direntReclen(8)).toBe(40);
    expect(direntReclen(255)).toBe(280);
  });
  it('encodes the 24-byte header and stops when a record does not fit', () => {
    const b = Buffer.alloc(64, 0xee);
    const n1 = encodeDirent(b, 0, 64, { fileno: 77n, off: 0x7fffffffffffffffn, type: DT.REG, name: Buffer.from('hello') });
    expect(n1).toBe(32);
    expect(b.readBigUInt64LE(0)).toBe(77n);
    expect(b.readBigInt64LE(8)).toBe(0x7fffffffffffffffn);
    expect(b.readUInt16LE(16)).toBe(32);
    expect(b[18]).toBe(8);
    expect(b[19]).toBe(0);
    expect(b.readUInt16LE(20)).toBe(5);
    expect(b.readUInt16LE(22)).toBe(0);
    expect(b.toString('latin1', 24, 30)).toBe('hello\0');
    expect(encodeDirent(b, 32, 64, { fileno: 1n, off: 2n, type: DT.DIR, name: Buffer.from('a-long-name') })).toBe(0);
    const n2 = encodeDirent(b, 32, 64, { fileno: 1n, off: 2n, type: DT.DIR, name: Buffer.from('.') });
    expect(n2).toBe(32);
    expect(decodeDirents(b).map((d) => [d.name.toString(), d.type])).toEqual([['hello', 8], ['.', 4]]);
  });
});

describe('fcntl constants', () => {
  it('translates open flags to the host, always with O_CLOEXEC', () => {
    const h = openFlagsToHost(O.WRONLY | O.CREAT | O.TRUNC | O.EXCL | O.APPEND | O.NONBLOCK | O.DIRECTORY | O.NOFOLLOW);
    expect(h & 3).toBe(HOST_O.WRONLY);
    for (const bit of [HOST_O.CREAT, HOST_O.TRUNC, HOST_O.EXCL, HOST_O.APPEND, HOST_O.NONBLOCK, HOST_O.DIRECTORY, HOST_O.NOFOLLOW, HOST_O.CLOEXEC]) {
      expect(h & bit).toBe(bit);
    }
    expect(openFlagsToHost(O.RDONLY)).toBe(HOST_O.CLOEXEC);
    expect(openFlagsToHost(O.RDONLY | O.EXEC) & HOST_O.PATH).toBe(HOST_O.PATH);
    expect(() => openFlagsToHost(3)).toThrow();
  });
  it('reads host status flags back', () => {
    expect(statusFlagsFromHost(HOST_O.RDWR | HOST_O.APPEND | HOST_O.NONBLOCK)).toBe(O.RDWR | O.APPEND | O.NONBLOCK);
    expect(statusFlagsFromHost(HOST_O.WRONLY)).toBe(O.WRONLY);
  });
  it('translates *at flags', () => {
    expect(atFlagsToHost(AT.SYMLINK_NOFOLLOW)).toBe(0x100);
    expect(atFlagsToHost(AT.REMOVEDIR)).toBe(0x200);
    expect(atFlagsToHost(AT.EMPTY_PATH | AT.SYMLINK_FOLLOW)).toBe(0x1400);
    expect(atFlagsToHost(AT.EACCESS, true)).toBe(0x200);
    expect(atFlagsToHost(AT.EACCESS)).toBe(0);
  });
  it('converts struct flock between the FreeBSD and Linux layouts', () => {
    const fl = { start: 10n, len: -1n, pid: 1234, type: F_WRLCK, whence: 1, sysid: 0 };
    const g = encodeFlock(fl);
    expect(g.length).toBe(32);
    expect(g.readInt16LE(20)).toBe(3);
    expect(g.readInt16LE(22)).toBe(1);
    expect(decodeFlock(g)).toEqual(fl);
    const h = flockToHost(fl);
    expect(h.readInt16LE(0)).toBe(1); // Linux F_WRLCK
    expect(h.readBigInt64LE(8)).toBe(10n);
    expect(flockFromHost(h)).toEqual(fl);
    expect(flockToHost({ ...fl, type: F_RDLCK }).readInt16LE(0)).toBe(0);
    expect(flockToHost({ ...fl, type: F_UNLCK }).readInt16LE(0)).toBe(2);
    expect(() => flockToHost({ ...fl, type: 0 })).toThrow();
  });
});

describe('termios', () => {
  // A Linux "sane" tty: iflag ICRNL|IXON|IMAXBEL|IUTF8, oflag OPOST|ONLCR, cflag CS8|CREAD|B38400,
  // lflag ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE; c_cc: ^C ^\ DEL ^U ^D 0 1.
  const host = Buffer.alloc(HOST_TERMIOS_SIZE);
  host.writeUInt32LE(0x100 | 0x400 | 0x2000 | 0x4000, 0);
  host.writeUInt32LE(0x1 | 0x4, 4);
  host.writeUInt32LE(0x30 | 0x80 | 0xf, 8);
  host.writeUInt32LE(0x1 | 0x2 | 0x8 | 0x10 | 0x20 | 0x8000 | 0x200 | 0x800, 12);
  [3, 0x1c, 0x7f, 0x15, 4, 0, 1].forEach((v, i) => { host[17 + i] = v; });

  it('translates a host tty to FreeBSD bits', () => {
    const t = termiosFromHost(host, 15, 15);
    expect(t.iflag).toBe(0x100 | 0x200 | 0x2000); // ICRNL IXON IMAXBEL
    expect(t.oflag).toBe(0x1 | 0x2); // OPOST ONLCR
    expect(t.cflag).toBe(0x300 | 0x800); // CS8 CREAD
    expect(t.lflag).toBe(0x80 | 0x100 | 0x8 | 0x2 | 0x4 | 0x400 | 0x40 | 0x1);
    expect(t.cc[V.INTR]).toBe(3);
    expect(t.cc[V.EOF]).toBe(4);
    expect(t.cc[V.ERASE]).toBe(0x7f);
    expect(t.cc[V.MIN]).toBe(1);
    expect(t.cc[V.TIME]).toBe(0);
    expect(t.cc[V.EOL]).toBe(VDISABLE);
    expect(t.cc[V.STATUS]).toBe(VDISABLE);
    expect(t.ispeed).toBe(38400);
    const b = encodeTermios(t);
    expect(b.length).toBe(44);
    expect(b[16 + V.INTR]).toBe(3);
    expect(b.readUInt32LE(40)).toBe(38400);
    expect(decodeTermios(b)).toEqual(t);
  });
  it('translates back, keeping host-only bits', () => {
    const t = termiosFromHost(host, 15, 15);
    t.lflag &= ~0x8; // ECHO off
    t.cc[V.MIN] = 0;
    const h = termiosToHost(t, host);
    expect(h.readUInt32LE(12) & 0x8).toBe(0);
    expect(h.readUInt32LE(12) & 0x2).toBe(0x2);
    expect(h.readUInt32LE(0) & 0x4000).toBe(0x4000); // IUTF8 kept
    expect(h.readUInt32LE(8) & 0xf).toBe(0xf); // CBAUD kept
    expect(h[17 + 6]).toBe(0);
    expect(h[17 + 0]).toBe(3);
    expect(h.readUInt32LE(8) & 0x30).toBe(0x30);
  });
  it('maps speeds', () => {
    expect(speedFromHost(13)).toBe(9600);
    expect(speedFromHost(0x1002)).toBe(115200);
    expect(speedToHost(115200)).toBe(0x1002);
    expect(speedToHost(12345)).toBeUndefined();
  });
});

describe('host decoders (Linux statx, statfs, getdents64)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bsdemu-abi-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const onLinux = process.platform === 'linux';

  it.runIf(onLinux)('statx agrees with Node fs.statSync', () => {
    const f = join(dir, 'f');
    writeFileSync(f, 'x'.repeat(5000), { mode: 0o640 });
    const s = hostStatAt(-100, cpath(f), 0);
    const n = statSync(f, { bigint: true });
    expect(s.ino).toBe(n.ino);
    expect(s.size).toBe(5000n);
    expect(s.mode).toBe(Number(n.mode));
    expect(s.nlink).toBe(n.nlink);
    expect(s.uid).toBe(Number(n.uid));
    expect(s.blocks).toBe(n.blocks);
    expect(s.mtime.sec * 1000000000n + BigInt(s.mtime.nsec)).toBe(n.mtimeNs);
    const fd = openSync(f, 'r');
    try {
      expect(hostFstat(fd).ino).toBe(n.ino);
      const sf = hostFstatfs(fd);
      expect(sf.bsize > 0n).toBe(true);
      expect(sf.fstypename.length).toBeGreaterThan(0);
      expect(sf.mntonname.startsWith('/')).toBe(true);
    } finally {
      closeSync(fd);
    }
    symlinkSync('f', join(dir, 'l'));
    expect(hostStatAt(-100, cpath(join(dir, 'l')), 0x100).mode & 0o170000).toBe(0o120000);
  });

  it.runIf(onLinux)('getdents64 records decode', () => {
    const d = join(dir, 'd');
    mkdirSync(d);
    writeFileSync(join(d, 'one'), '');
    mkdirSync(join(d, 'two'));
    const fd = openSync(d, 'r');
    try {
      const buf = Buffer.alloc(4096);
      const n = hostGetdents(fd, buf);
      const names = [...decodeHostDirents(buf, n)].map((e) => `${e.name.toString()}:${e.type}`).sort();
      expect(names).toEqual(['.:4', '..:4', 'one:8', 'two:4'].sort());
      expect(hostGetdents(fd, buf)).toBe(0);
    } finally {
      closeSync(fd);
    }
  });
});

describe.runIf(process.platform === 'linux')('read/write/readv/writev when guest memory spans host blocks', async () => {
  // A guest memory whose every range is "split over host blocks": the handlers must bounce through Buffers.
  const { fileSyscalls } = await import('../../src/syscalls/file.js');
  const { FdTable } = await import('../../src/kernel/fdtable.js');
  const mem = Buffer.alloc(4096);
  const fakeMem = {
    hostAddress: (_a: number, len: number) => (len === 0 ? 0 : -1),
    read: (a: number, n: number) => Buffer.from(mem.subarray(a, a + n)),
    write: (a: number, d: Uint8Array) => { mem.set(d, a); },
    wrote: () => {},
  };
  const fds = new FdTable();
  const ctx = { proc: { fds, vm: { fileWritten: () => {} } }, mem: fakeMem, rv1: 0n } as never;
  const call = (name: string, ...args: (number | bigint)[]) => {
    const def = fileSyscalls.find((d) => d.name === name)!;
    return def.handler(ctx, BigUint64Array.from(args.map((x) => BigInt.asUintN(64, BigInt(x)))));
  };
  const dir = mkdtempSync(join(tmpdir(), 'bsdemu-bounce-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bounces', () => {
    const f = join(dir, 'b');
    writeFileSync(f, '');
    const hfd = openSync(f, 'r+');
    const fd = fds.install({ hostFd: hfd, flags: 2, kind: 'file', refs: 1 }, false);
    mem.write('hello, world', 100);
    expect(call('write', fd, 100, 12)).toBe(12);
    expect(call('pread', fd, 200, 5, 7)).toBe(5);
    expect(mem.toString('latin1', 200, 205)).toBe('world');
    // writev of two iovecs {300,3} {400,2}, iovec array at 1000
    mem.write('abc', 300);
    mem.write('de', 400);
    mem.writeBigUInt64LE(300n, 1000); mem.writeBigUInt64LE(3n, 1008);
    mem.writeBigUInt64LE(400n, 1016); mem.writeBigUInt64LE(2n, 1024);
    expect(call('writev', fd, 1000, 2)).toBe(5);
    expect(readFileSync(f, 'latin1')).toBe('hello, worldabcde');
    // readv back at offset 10 into {500,4} {600,10}
    mem.writeBigUInt64LE(500n, 1100); mem.writeBigUInt64LE(4n, 1108);
    mem.writeBigUInt64LE(600n, 1116); mem.writeBigUInt64LE(10n, 1124);
    expect(call('preadv', fd, 1100, 2, 10)).toBe(7);
    expect(mem.toString('latin1', 500, 504)).toBe('ldab');
    expect(mem.toString('latin1', 600, 603)).toBe('cde');
    fds.close(fd);
  });
});
