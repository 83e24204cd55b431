// The sysctl tree and __sysctl/__sysctlbyname semantics (FreeBSD sys/kern/kern_sysctl.c).
import { describe, expect, it } from 'vitest';
import { Errno, E } from '../../src/abi/errno.js';
import { OSRELDATE, OSRELEASE } from '../../src/kernel/process.js';
import {
  CTLFLAG_RD, CTLTYPE, findOid, MAXCPU, nameToOid, nextOid, oidToName, sysctlQuery, sysctlSyscalls, sysctlValue,
  type SysctlProc,
} from '../../src/syscalls/sysctl.js';
import type { SyscallCtx } from '../../src/syscalls/types.js';
import { FlatMem } from './flat-mem.js';


const proc: SysctlProc & { opts: object } = {
  pid: 4242, ncpus: 6, execPath: '/tmp/prog', argv: ['prog', 'a1'], stackTop: 0x7ffffffff000,
  psStrings: 0x7fffffffefc0, umask: 0o022,
  cpu: { info: { pageSize: 4096, pageSizes: [4096, 2097152, 1073741824], machine: 'amd64', machineArch: 'amd64' } },
  opts: {},
};

function errnoOf(f: () => unknown): number | undefined {
  try { f(); } catch (e) { if (e instanceof Errno) return e.errno; throw e; }
  return undefined;
}
const read = (mib: number[], cap = 4096) => sysctlQuery(proc, mib, cap, true, null);
const int32 = (mib: number[]) => read(mib).out!.readInt32LE(0);
const u64 = (mib: number[]) => read(mib).out!.readBigUInt64LE(0);
const str = (mib: number[]) => { const b = read(mib).out!; expect(b[b.length - 1]).toBe(0); return b.subarray(0, -1).toString(); };

describe('sysctl tree', () => {
  it('has the fixed OIDs of sys/sys/sysctl.h', () => {
    const fixed: [string, number[]][] = [
      ['kern.ostype', [1, 1]], ['kern.osrelease', [1, 2]], ['kern.osrevision', [1, 3]], ['kern.version', [1, 4]],
      ['kern.argmax', [1, 8]], ['kern.hostname', [1, 10]], ['kern.clockrate', [1, 12]], ['kern.proc', [1, 14]],
      ['kern.proc.pathname', [1, 14, 12]], ['kern.ngroups', [1, 18]], ['kern.boottime', [1, 21]],
      ['kern.domainname', [1, 22]], ['kern.osreldate', [1, 24]], ['kern.maxfilesperproc', [1, 27]],
      ['kern.ipc', [1, 30]], ['kern.ipc.maxsockbuf', [1, 30, 1]], ['kern.ps_strings', [1, 32]],
      ['kern.usrstack', [1, 33]], ['kern.logsigexit', [1, 34]], ['kern.iov_max', [1, 35]], ['kern.arandom', [1, 37]],
      ['vm.loadavg', [2, 2]], ['vm.overcommit', [2, 12]], ['hw.machine', [6, 1]], ['hw.model', [6, 2]],
      ['hw.ncpu', [6, 3]], ['hw.byteorder', [6, 4]], ['hw.physmem', [6, 5]], ['hw.usermem', [6, 6]],
      ['hw.pagesize', [6, 7]], ['hw.floatingpt', [6, 10]], ['hw.machine_arch', [6, 11]], ['hw.realmem', [6, 12]],
      ['user.cs_path', [8, 1]], ['user.posix2_version', [8, 10]], ['user.tzname_max', [8, 20]],
      ['sysctl.name2oid', [0, 3]], ['sysctl.oidfmt', [0, 4]],
    ];
    for (const [name, oid] of fixed) {
      expect(nameToOid(name), name).toEqual(oid);
      expect(oidToName(oid), name).toBe(name);
    }
  });

  it('gives dynamic OIDs numbers from 0x100 and finds them by name', () => {
    for (const name of ['kern.smp.maxcpus', 'kern.smp.cpus', 'kern.ipc.soacceptqueue', 'hw.pagesizes', 'hw.availpages',
      'vm.max_user_wired', 'user.localbase']) {
      const oid = nameToOid(name);
      expect(oid[oid.length - 1], name).toBeGreaterThanOrEqual(0x100);
      expect(oidToName(oid)).toBe(name);
    }
    expect(int32(nameToOid('kern.smp.maxcpus'))).toBe(MAXCPU);
    expect(int32(nameToOid('kern.smp.cpus'))).toBe(6);
    expect(read(nameToOid('kern.ipc.soacceptqueue')).out!.readUInt32LE(0)).toBe(128);
  });

  it('answers the values programs read', () => {
    expect(str([1, 1])).toBe('FreeBSD');
    expect(str([1, 2])).toBe(OSRELEASE);
    expect(int32([1, 3])).toBe(199506);
    expect(str([1, 4])).toMatch(/^FreeBSD 14\.1-RELEASE .*GENERIC\n$/);
    expect(int32([1, 24])).toBe(OSRELDATE);
    expect(int32([1, 8])).toBe(524288);
    expect(int32([1, 35])).toBe(1024);
    expect(u64([1, 33])).toBe(0x7ffffffff000n);
    expect(u64([1, 32])).toBe(0x7fffffffefc0n);
    expect(str([6, 1])).toBe('amd64');
    expect(str([6, 11])).toBe('amd64');
    expect(int32([6, 3])).toBe(6);
    expect(int32([6, 4])).toBe(1234);
    expect(int32([6, 7])).toBe(4096);
    expect(u64([6, 5])).toBeGreaterThan(0n);
    expect(int32([2, 12])).toBe(0);
    expect(str([8, 1])).toBe('/usr/bin:/bin:/usr/sbin:/sbin');
    const ps = read(nameToOid('hw.pagesizes')).out!;
    expect(ps.length).toBe(24);
    expect([ps.readBigUInt64LE(0), ps.readBigUInt64LE(8), ps.readBigUInt64LE(16)]).toEqual([4096n, 2097152n, 1073741824n]);
    const bt = read([1, 21]).out!;
    expect(bt.length).toBe(16);
    expect(Number(bt.readBigInt64LE(0))).toBeLessThanOrEqual(Date.now() / 1000);
    expect(read([1, 12]).out!.readInt32LE(0)).toBe(1000); // clockinfo.hz
    expect(read([2, 2]).out!.length).toBe(24);
  });

  it('serves kern.proc.* for the caller only', () => {
    expect(str([1, 14, 12, -1])).toBe('/tmp/prog');
    expect(str([1, 14, 12, 4242])).toBe('/tmp/prog');
    expect(errnoOf(() => read([1, 14, 12, 1]))).toBe(E.ESRCH);
    expect(errnoOf(() => read([1, 14, 12]))).toBe(E.EINVAL);
    expect(read([1, 14, 7, -1]).out!.toString('latin1')).toBe('prog\0a1\0');
    expect(read([1, 14, 40, -1]).out!.readInt32LE(0)).toBe(OSRELDATE);
  });

  it('kern.arandom gives min(oldlen, 256) fresh bytes', () => {
    const a = sysctlQuery(proc, [1, 37], 16, true, null);
    expect(a.oldlen).toBe(16);
    expect(sysctlQuery(proc, [1, 37], 1000, true, null).oldlen).toBe(256);
    expect(a.out!.equals(sysctlQuery(proc, [1, 37], 16, true, null).out!)).toBe(false);
  });

  it('fails like FreeBSD: ENOENT, EISDIR, ENOTDIR, EPERM', () => {
    expect(errnoOf(() => read([1, 9999]))).toBe(E.ENOENT);
    expect(errnoOf(() => read([77, 1]))).toBe(E.ENOENT);
    expect(errnoOf(() => nameToOid('kern.conftxt'))).toBe(E.ENOENT);
    expect(errnoOf(() => nameToOid('kern.ostype.x'))).toBe(E.ENOENT);
    expect(errnoOf(() => nameToOid('kern.proc.pathname.1'))).toBe(E.ENOENT);
    expect(errnoOf(() => read([1, 30]))).toBe(E.EISDIR);
    expect(errnoOf(() => read([1, 1, 5]))).toBe(E.ENOTDIR);
    expect(errnoOf(() => sysctlQuery(proc, [1, 10], 64, true, Buffer.from('newname')))).toBe(E.EPERM);
    expect(errnoOf(() => sysctlQuery(proc, [1, 10], 0, false, Buffer.alloc(0)))).toBe(E.EPERM);
  });

  it('size query, exact buffer and short buffer', () => {
    expect(sysctlQuery(proc, [1, 1], 0, false, null)).toEqual({ out: null, oldlen: 8, errno: 0 });
    const exact = sysctlQuery(proc, [1, 1], 8, true, null);
    expect(exact.errno).toBe(0);
    expect(exact.oldlen).toBe(8);
    const short = sysctlQuery(proc, [1, 1], 3, true, null);
    expect(short.errno).toBe(E.ENOMEM);
    expect(short.oldlen).toBe(3);
    expect(short.out!.toString()).toBe('Fre');
  });

  it('meta OIDs: name2oid, name, oidfmt, next', () => {
    const n2o = (s: string | Buffer) => {
      const b = sysctlValue(proc, [0, 3], 96, typeof s === 'string' ? Buffer.from(s) : s);
      return Array.from({ length: b.length / 4 }, (_, i) => b.readInt32LE(i * 4));
    };
    expect(n2o('kern.osreldate')).toEqual([1, 24]);
    expect(n2o(Buffer.from('hw.pagesize\0'))).toEqual([6, 7]); // libc passes the NUL, Go does not
    expect(n2o('kern')).toEqual([1]);
    expect(errnoOf(() => n2o('kern.conftxt'))).toBe(E.ENOENT);
    expect(errnoOf(() => sysctlValue(proc, [0, 3], 96, Buffer.alloc(0)))).toBe(E.ENOENT);
    expect(errnoOf(() => sysctlValue(proc, [0, 3], 96, null))).toBe(E.ENOENT);
    expect(errnoOf(() => n2o('x'.repeat(1024)))).toBe(E.ENAMETOOLONG);

    expect(sysctlValue(proc, [0, 1, 1, 14, 12, -1], 64, null).toString('latin1')).toBe('kern.proc.pathname.-1\0');
    expect(sysctlValue(proc, [0, 1, 1, 9999], 64, null).toString('latin1')).toBe('kern.9999\0');

    const fmt = (oid: number[]) => {
      const b = sysctlValue(proc, [0, 4, ...oid], 64, null);
      return { kind: b.readUInt32LE(0), fmt: b.subarray(4, b.indexOf(0, 4)).toString() };
    };
    expect(fmt([1, 24]).kind & 0xf).toBe(CTLTYPE.INT);
    expect(fmt([1, 24]).kind & CTLFLAG_RD).not.toBe(0);
    expect(fmt([1, 24]).fmt).toBe('I');
    expect(fmt([1, 1])).toMatchObject({ fmt: 'A' });
    expect(fmt([1, 1]).kind & 0xf).toBe(CTLTYPE.STRING);
    expect(fmt([1, 33]).fmt).toBe('LU');
    expect(fmt([1, 21]).fmt).toBe('S,timeval');
    expect(fmt([1]).kind & 0xf).toBe(CTLTYPE.NODE);
    expect(errnoOf(() => fmt([1, 9999]))).toBe(E.ENOENT);

    expect(nextOid([])).toEqual([1, 1]);
    expect(nextOid([1, 1])).toEqual([1, 2]);
    expect(nextOid([1, 14])).toEqual([1, 14, 7]);
    expect(nextOid([1, 14, 12, -1])).toEqual([1, 14, 38]);
    // walking the whole tree visits every leaf once and ends in ENOENT
    const seen: string[] = [];
    let cur: number[] = [];
    for (;;) {
      try { cur = nextOid(cur); } catch (e) { expect((e as Errno).errno).toBe(E.ENOENT); break; }
      seen.push(oidToName(cur));
      expect(seen.length).toBeLessThan(500);
    }
    expect(seen).toContain('hw.ncpu');
    expect(new Set(seen).size).toBe(seen.length);
    expect(findOid([6, 3]).oid.name).toBe('ncpu');
  });
});

describe('__sysctl and __sysctlbyname through guest memory', () => {
  const sysctl = sysctlSyscalls.find((d) => d.nr === 202)!;
  const byname = sysctlSyscalls.find((d) => d.nr === 570)!;
  function call(def: typeof sysctl, mem: FlatMem, args: number[]): number | bigint {
    const c = { proc, mem, rv1: 0n } as unknown as SyscallCtx;
    const r = def.handler(c, BigUint64Array.from(args.map((x) => BigInt.asUintN(64, BigInt(x)))));
    return r as number;
  }
  const MIB = 0x10000, OLD = 0x10100, LEN = 0x10200, NEW = 0x10300;
  function setup(mib: number[], oldlen: number) {
    const mem = new FlatMem();
    mib.forEach((v, i) => mem.buf.writeInt32LE(v, i * 4));
    mem.writeU64(LEN, oldlen);
    return mem;
  }

  it('reads kern.ostype, writes *oldlenp', () => {
    const mem = setup([1, 1], 64);
    expect(call(sysctl, mem, [MIB, 2, OLD, LEN, 0, 0])).toBe(0);
    expect(mem.readCString(OLD)).toBe('FreeBSD');
    expect(mem.readU64(LEN)).toBe(8n);
  });

  it('old == NULL gives the size; a short buffer gets a partial copy and ENOMEM', () => {
    let mem = setup([1, 1], 0);
    expect(call(sysctl, mem, [MIB, 2, 0, LEN, 0, 0])).toBe(0);
    expect(mem.readU64(LEN)).toBe(8n);
    mem = setup([1, 1], 3);
    expect(errnoOf(() => call(sysctl, mem, [MIB, 2, OLD, LEN, 0, 0]))).toBe(E.ENOMEM);
    expect(mem.read(OLD, 4).toString('latin1')).toBe('Fre\0');
    expect(mem.readU64(LEN)).toBe(3n);
  });

  it('checks namelen and pointers', () => {
    const mem = setup([1, 1], 64);
    expect(errnoOf(() => call(sysctl, mem, [MIB, 1, OLD, LEN, 0, 0]))).toBe(E.EINVAL);
    expect(errnoOf(() => call(sysctl, mem, [MIB, 25, OLD, LEN, 0, 0]))).toBe(E.EINVAL);
    expect(errnoOf(() => call(sysctl, mem, [0x9000, 2, OLD, LEN, 0, 0]))).toBe(E.EFAULT);
    expect(errnoOf(() => call(sysctl, mem, [MIB, 2, 0x9000, LEN, 0, 0]))).toBe(E.EFAULT);
  });

  it('name2oid with the name in the new buffer (Go style, no NUL)', () => {
    const mem = setup([0, 3], 96);
    mem.write(NEW, Buffer.from('kern.smp.maxcpus'));
    expect(call(sysctl, mem, [MIB, 2, OLD, LEN, NEW, 16])).toBe(0);
    expect(mem.readU64(LEN)).toBe(12n);
    expect([mem.readI32(OLD), mem.readI32(OLD + 4)]).toEqual([1, nameToOid('kern.smp')[1]]);
  });

  it('__sysctlbyname reads by name, leaves *oldlenp alone on error', () => {
    let mem = setup([], 64);
    mem.put(NEW, 'vm.overcommit');
    expect(call(byname, mem, [NEW, 13, OLD, LEN, 0, 0])).toBe(0);
    expect(mem.readU64(LEN)).toBe(4n);
    expect(mem.readI32(OLD)).toBe(0);
    mem = setup([], 3);
    mem.put(NEW, 'kern.ostype');
    expect(errnoOf(() => call(byname, mem, [NEW, 11, OLD, LEN, 0, 0]))).toBe(E.ENOMEM);
    expect(mem.readU64(LEN)).toBe(3n);
    expect(errnoOf(() => call(byname, mem, [NEW, 0, OLD, LEN, 0, 0]))).toBe(E.EINVAL);
    mem.put(NEW, 'kern.conftxt');
    expect(errnoOf(() => call(byname, mem, [NEW, 12, OLD, LEN, 0, 0]))).toBe(E.ENOENT);
  });
});
