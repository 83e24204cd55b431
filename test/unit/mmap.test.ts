// AddressSpace over a recording fake backend, with 4 KiB and 16 KiB host pages.
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../src/mmap/mmap.js';
import { PAGE, PAGE_INHERIT_SHIFT, PAGE_MAXPROT_SHIFT, type MapFile } from '../../src/mmap/api.js';
import { INHERIT, MADV, MAP, MAP_ALIGNED, MAP_ALIGNED_SUPER, MS, PROT } from '../../src/mmap/consts.js';
import { E, Errno } from '../../src/abi/errno.js';
import { FakeBackend } from './fake-backend.js';
import { HOST_MS } from '../../src/host/hostmem.js';

const T = 0x1000;
const BASE = 0x800000000;
const RW = PROT.READ | PROT.WRITE;
const RX = PROT.READ | PROT.EXEC;
const ANON = MAP.ANON | MAP.PRIVATE;
const PROT_MAX = (p: number) => p << 16;

function errnoOf(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    if (e instanceof Errno) return e.errno;
    throw e;
  }
  return 0;
}

function setup(hostPage: number, extra: { reservedVa?: number } = {}) {
  const be = new FakeBackend(hostPage);
  const as = new AddressSpace({ backend: be, minAddress: 0x1000, maxAddress: 0x800000000000, mmapBase: BASE, ...extra });
  return { be, as };
}

function file(be: FakeBackend, fd: number, data: Buffer, readable = true, writable = true): MapFile {
  be.files.set(fd, data);
  return { hostFd: fd, readable, writable };
}

const pattern = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff));

describe.each([4096, 16384])('AddressSpace, host page %i', (H) => {
  describe('argument checks (FreeBSD kern_mmap order)', () => {
    it('rejects unknown prot bits before PROT_MAX subset (EINVAL, then ENOTSUP)', () => {
      const { as } = setup(H);
      expect(errnoOf(() => as.mmap(0, T, 0x8, ANON, null, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(0, T, PROT_MAX(PROT.READ) | RW | 0x8, ANON, null, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(0, T, PROT_MAX(PROT.READ) | RW, ANON, null, 0))).toBe(E.EOPNOTSUPP);
      // ENOTSUP comes before the zero-length EINVAL
      expect(errnoOf(() => as.mmap(0, 0, PROT_MAX(PROT.READ) | RW, ANON, null, 0))).toBe(E.EOPNOTSUPP);
    });

    it('accepts PROT_MAX, strips it from prot and records it as the maximum', () => {
      const { as } = setup(H);
      const a = as.mmap(0, T, PROT_MAX(RW) | PROT.READ, ANON, null, 0);
      expect(as.pageFlags(a) & 7).toBe(PROT.READ);
      expect((as.pageFlags(a) >> PAGE_MAXPROT_SHIFT) & 7).toBe(RW);
      expect(errnoOf(() => as.mprotect(a, T, PROT.EXEC))).toBe(E.EACCES);
      as.mprotect(a, T, RW);
    });

    it('zero length, MAP_ANON with fd or offset: EINVAL', () => {
      const { as, be } = setup(H);
      expect(errnoOf(() => as.mmap(0, 0, RW, ANON, null, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(0, T, RW, ANON, file(be, 3, Buffer.alloc(T)), 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(0, T, RW, ANON, null, T))).toBe(E.EINVAL);
    });

    it('MAP_STACK needs fd -1 and PROT_READ|PROT_WRITE, and is anonymous', () => {
      const { as, be } = setup(H);
      expect(errnoOf(() => as.mmap(0, 4 * T, PROT.READ, MAP.STACK | MAP.PRIVATE, null, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(0, 4 * T, RW, MAP.STACK, file(be, 3, Buffer.alloc(T)), 0))).toBe(E.EINVAL);
      const a = as.mmap(0, 4 * T, RW, MAP.STACK | MAP.PRIVATE, null, 0);
      expect(as.pageFlags(a) & 7).toBe(RW);
      expect(be.take('allocAnon').length).toBe(1);
      as.writeU64(a + 4 * T - 8, 42n);
      expect(as.readU64(a + 4 * T - 8)).toBe(42n);
    });

    it('unknown flags are EINVAL, the two reserved-and-ignored ones are not', () => {
      const { as } = setup(H);
      expect(errnoOf(() => as.mmap(0, T, RW, ANON | 0x80, null, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(0, T, RW, ANON | 0x100, null, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(0, T, RW, ANON | 0x10000, null, 0))).toBe(E.EINVAL);
      expect(as.mmap(0, T, RW, ANON | 0x20 | 0x40, null, 0)).toBe(BASE);
    });

    it('MAP_EXCL without MAP_FIXED and SHARED|PRIVATE are EINVAL', () => {
      const { as } = setup(H);
      expect(errnoOf(() => as.mmap(BASE, T, RW, ANON | MAP.EXCL, null, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(0, T, RW, MAP.ANON | MAP.SHARED | MAP.PRIVATE, null, 0))).toBe(E.EINVAL);
    });

    it('length wrap is ENOMEM, before the alignment check', () => {
      const { as } = setup(H);
      expect(errnoOf(() => as.mmap(0, 2 ** 64 - 1, RW, ANON | MAP_ALIGNED(5), null, 0))).toBe(E.ENOMEM);
    });

    it('MAP_FIXED: unaligned or out-of-range addresses are EINVAL, before descriptor checks', () => {
      const { as, be } = setup(H);
      const ro = file(be, 4, Buffer.alloc(2 * T), true, false);
      expect(errnoOf(() => as.mmap(BASE + 8, T, RW, ANON | MAP.FIXED, null, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(BASE + 8, T, RW, MAP.SHARED | MAP.FIXED, ro, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(0, T, RW, ANON | MAP.FIXED, null, 0))).toBe(E.EINVAL); // below vm_map_min
      expect(errnoOf(() => as.mmap(0x800000000000 - T, 2 * T, RW, ANON | MAP.FIXED, null, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(BASE, T, RW, MAP.SHARED, ro, 0))).toBe(E.EACCES);
    });

    it('descriptor checks: EBADF without a file, EINVAL without SHARED/PRIVATE, EACCES per access mode', () => {
      const { as, be } = setup(H);
      expect(errnoOf(() => as.mmap(0, T, PROT.READ, MAP.PRIVATE, null, 0))).toBe(E.EBADF);
      const f = file(be, 5, Buffer.alloc(T));
      expect(errnoOf(() => as.mmap(0, T, PROT.READ, 0, f, 0))).toBe(E.EINVAL);
      const wo = file(be, 6, Buffer.alloc(T), false, true);
      expect(errnoOf(() => as.mmap(0, T, PROT.READ, MAP.SHARED, wo, 0))).toBe(E.EACCES);
      const ro = file(be, 7, Buffer.alloc(T), true, false);
      expect(errnoOf(() => as.mmap(0, T, RW, MAP.SHARED, ro, 0))).toBe(E.EACCES);
      // private writable mapping of a read-only file is fine (copy-on-write)
      const a = as.mmap(0, T, RW, MAP.PRIVATE, ro, 0);
      expect(be.take('mapFile')[0]).toMatchObject({ shared: false, writable: true });
      // shared read-only mapping: the maximum protection lacks WRITE, so mprotect(RW) is EACCES
      const b = as.mmap(0, T, PROT.READ, MAP.SHARED, ro, 0);
      expect(be.take('mapFile')[1]).toMatchObject({ shared: true, writable: false });
      expect(errnoOf(() => as.mprotect(b, T, RW))).toBe(E.EACCES);
      expect(a).not.toBe(b);
    });
  });

  describe('placement', () => {
    it('non-fixed mappings go first-fit from mmapBase, or from a hint', () => {
      const { as } = setup(H);
      const a = as.mmap(0, 3 * T, RW, ANON, null, 0);
      const b = as.mmap(0, T, RW, ANON, null, 0);
      expect(a).toBe(BASE);
      expect(b).toBe(BASE + 3 * T);
      as.munmap(a + T, T);
      expect(as.mmap(0, T, RW, ANON, null, 0)).toBe(BASE + T);
      expect(as.mmap(0x40000000, T, RW, ANON, null, 0)).toBe(0x40000000);
      expect(as.mmap(0x40000000 + 5, T, RW, ANON, null, 0)).toBe(0x40001000); // occupied hint: next free
    });

    it('wraps once to low memory and fails with ENOMEM when nothing fits', () => {
      const { as } = setup(H, { reservedVa: 0x100000 });
      // mmapBase is above reservedVa: the search starts low
      expect(as.mmap(0, 0x10000, RW, ANON, null, 0)).toBe(0x1000);
      expect(as.mmap(0xf0000, 0x20000, RW, ANON, null, 0)).toBe(0x11000); // hint too high: wraps
      expect(errnoOf(() => as.mmap(0, 0x100000, RW, ANON, null, 0))).toBe(E.ENOMEM);
      expect(errnoOf(() => as.mmap(0xff000, 2 * T, RW, ANON | MAP.FIXED, null, 0))).toBe(E.EINVAL);
      expect(as.mmap(0xff000, T, RW, ANON | MAP.FIXED, null, 0)).toBe(0xff000);
    });

    it('MAP_ALIGNED(n) aligns to 2^n; n outside [12, 63] is EINVAL', () => {
      const { as } = setup(H);
      as.mmap(0, T, RW, ANON, null, 0);
      const a = as.mmap(0, T, RW, ANON | MAP_ALIGNED(21), null, 0);
      expect(a % 2 ** 21).toBe(0);
      expect(a).toBe(BASE + 2 ** 21);
      expect(errnoOf(() => as.mmap(0, T, RW, ANON | MAP_ALIGNED(11), null, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(0, T, RW, ANON | MAP_ALIGNED(64), null, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(0, T, RW, ANON | MAP_ALIGNED(2), null, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(0, T, RW, ANON | MAP_ALIGNED(63), null, 0))).toBe(E.ENOMEM);
    });

    it('MAP_ALIGNED_SUPER means 2 MiB alignment for lengths of 2 MiB or more', () => {
      const { as } = setup(H);
      as.mmap(0, T, RW, ANON, null, 0);
      expect(as.mmap(0, 2 * T, RW, ANON | MAP_ALIGNED_SUPER, null, 0)).toBe(BASE + T);
      expect(as.mmap(0, 4 << 20, RW, ANON | MAP_ALIGNED_SUPER, null, 0)).toBe(BASE + (2 << 20));
    });

    it('MAP_32BIT places below 2 GiB; fixed above is EINVAL', () => {
      const { as } = setup(H);
      const a = as.mmap(0, 0x10000, RW, ANON | MAP['32BIT'], null, 0);
      expect(a + 0x10000).toBeLessThanOrEqual(2 ** 31);
      const b = as.mmap(BASE, T, RW, ANON | MAP['32BIT'], null, 0);
      expect(b).toBeLessThan(2 ** 31);
      expect(errnoOf(() => as.mmap(2 ** 31 - T, 2 * T, RW, ANON | MAP.FIXED | MAP['32BIT'], null, 0))).toBe(E.EINVAL);
    });
  });

  describe('MAP_FIXED, MAP_EXCL, MAP_GUARD', () => {
    it('MAP_FIXED replaces what was there; MAP_FIXED|MAP_EXCL over it is ENOMEM', () => {
      const { as, be } = setup(H);
      const a = as.mmap(BASE, 8 * T, RW, ANON | MAP.FIXED, null, 0);
      as.write(a, Buffer.alloc(8 * T, 0xaa));
      expect(errnoOf(() => as.mmap(a + 2 * T, T, RW, ANON | MAP.FIXED | MAP.EXCL, null, 0))).toBe(E.ENOMEM);
      expect(as.readU8(a + 2 * T)).toBe(0xaa); // untouched
      expect(as.mmap(a + 8 * T, T, RW, ANON | MAP.FIXED | MAP.EXCL, null, 0)).toBe(a + 8 * T);
      be.reset();
      expect(as.mmap(a + 2 * T, 2 * T, PROT.READ, ANON | MAP.FIXED, null, 0)).toBe(a + 2 * T);
      expect(as.readU8(a + 2 * T)).toBe(0);
      expect(as.readU8(a + T)).toBe(0xaa);
      expect(as.readU8(a + 4 * T)).toBe(0xaa);
      expect(as.pageFlags(a + 2 * T) & 7).toBe(PROT.READ);
      // Unicorn: the old region goes, three new ones come
      // Unicorn: only the old region under the change goes, three new ones come (a + 8T is another mapping)
      expect(be.take('ucUnmap').map((c) => [c.addr, c.len])).toEqual([[a, 8 * T]]);
      expect(be.take('ucMap').map((c) => [c.addr - a, c.len, c.perms])).toEqual([
        [0, 2 * T, RW], [2 * T, 2 * T, PROT.READ], [4 * T, 4 * T, RW],
      ]);
    });

    it('MAP_GUARD: PROT_NONE only, no fd/offset/other flags, unmapped in Unicorn, skipped by searches', () => {
      const { as, be } = setup(H);
      expect(errnoOf(() => as.mmap(0, T, PROT.READ, MAP.GUARD, null, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(0, T, 0, MAP.GUARD | MAP.PRIVATE, null, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(0, T, 0, MAP.GUARD | MAP.ANON, null, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(0, T, 0, MAP.GUARD | MAP.STACK, null, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mmap(0, T, 0, MAP.GUARD, file(be, 3, Buffer.alloc(T)), 0))).toBe(E.EINVAL);
      be.reset();
      const g = as.mmap(0, 4 * T, 0, MAP.GUARD | MAP_ALIGNED(16), null, 0);
      expect(g % 0x10000).toBe(0);
      expect(be.calls).toEqual([]); // no host memory, nothing for Unicorn
      expect(as.pageFlags(g)).toBe(PAGE.VALID | PAGE.GUARD);
      expect(as.faultKind(g, false, false)).toBe('SEGV_MAPERR');
      expect(as.accessible(g, 1, false)).toBe(false);
      expect(as.mmap(0, T, RW, ANON, null, 0)).toBe(g + 4 * T);
      as.mprotect(g, 4 * T, RW); // guard pages keep PROT_NONE
      expect(as.pageFlags(g)).toBe(PAGE.VALID | PAGE.GUARD);
      expect(as.mincore(g, T)[0]).toBe(0);
      expect(errnoOf(() => as.mmap(g, T, RW, ANON | MAP.FIXED | MAP.EXCL, null, 0))).toBe(E.ENOMEM);
      expect(as.mmap(g, T, RW, ANON | MAP.FIXED, null, 0)).toBe(g);
      expect(as.pageFlags(g) & PAGE.GUARD).toBe(0);
    });
  });

  describe('unmapping and protection', () => {
    it('partial munmap of the middle keeps both ends and gives back whole host pages only', () => {
      const { as, be } = setup(H);
      const len = 16 * T;
      const a = as.mmap(0, len, RW, ANON, null, 0);
      const block = be.take('allocAnon')[0];
      expect(block.len).toBe(Math.ceil(len / H) * H);
      as.write(a, pattern(len));
      be.reset();
      as.munmap(a + T, 6 * T);
      expect(as.pageFlags(a + T)).toBe(0);
      expect(as.readU8(a)).toBe(pattern(1)[0]);
      expect(as.read(a + 7 * T, 4).equals(pattern(len).subarray(7 * T, 7 * T + 4))).toBe(true);
      expect(as.faultKind(a + 2 * T, false, false)).toBe('SEGV_MAPERR');
      expect(be.take('ucUnmap')).toEqual([{ op: 'ucUnmap', addr: a, len }]);
      expect(be.take('ucMap').map((c) => [c.addr - a, c.len])).toEqual([[0, T], [7 * T, 9 * T]]);
      // host pages wholly inside [T, 7T) and unused by the rest
      const rel = be.take('release').map((c) => [c.off, c.len]);
      // (16 KiB host pages: host page 0 still holds guest page 0, host page 1 still holds guest page 7)
      expect(rel).toEqual(H === 4096 ? [[T, 6 * T]] : []);
      as.munmap(a + 7 * T, T);
      expect(be.take('release').map((c) => [c.off, c.len]).slice(-1)).toEqual(H === 4096 ? [[7 * T, T]] : [[H, H]]);
      // unmapping everything else returns the whole block
      be.reset();
      as.munmap(a, len);
      expect(be.take('release').map((c) => [c.off, c.len])).toEqual([[0, block.len]]);
      expect(as.isFree(a, len)).toBe(true);
    });

    it('munmap: zero length and out-of-range are EINVAL, unmapped ranges are fine, unaligned addr rounds', () => {
      const { as } = setup(H);
      expect(errnoOf(() => as.munmap(BASE, 0))).toBe(E.EINVAL);
      expect(errnoOf(() => as.munmap(0, T))).toBe(E.EINVAL);
      expect(errnoOf(() => as.munmap(0x800000000000 - T, 2 * T))).toBe(E.EINVAL);
      as.munmap(BASE, T);
      const a = as.mmap(0, 2 * T, RW, ANON, null, 0);
      as.munmap(a + 10, 1); // page 0
      expect(as.pageFlags(a)).toBe(0);
      expect(as.pageFlags(a + T)).not.toBe(0);
    });

    it('mprotect splits Unicorn regions, skips holes, checks max_prot', () => {
      const { as, be } = setup(H);
      const a = as.mmap(0, 4 * T, RW, ANON, null, 0);
      be.reset();
      as.mprotect(a + T, T, PROT.READ);
      expect(be.take('ucUnmap')).toEqual([{ op: 'ucUnmap', addr: a, len: 4 * T }]);
      expect(be.take('ucMap').map((c) => [c.addr - a, c.len, c.perms])).toEqual([[0, T, RW], [T, T, PROT.READ], [2 * T, 2 * T, RW]]);
      expect(errnoOf(() => as.write(a + T, Buffer.of(1)))).toBe(E.EFAULT);
      as.writeForce(a + T, Buffer.of(1));
      expect(as.readU8(a + T)).toBe(1);
      as.write(a + 2 * T, Buffer.of(2));
      // PROT_NONE pages leave Unicorn (every access faults anyway); the page flags still make the
      // fault SEGV_ACCERR, not MAPERR
      be.reset();
      as.mprotect(a, T, PROT.NONE);
      expect(be.take('ucUnmap')).toEqual([{ op: 'ucUnmap', addr: a, len: T }]);
      expect(be.take('ucMap')).toEqual([]);
      expect(as.faultKind(a, false, false)).toBe('SEGV_ACCERR');
      expect(errnoOf(() => as.read(a, 1))).toBe(E.EFAULT);
      // holes are not an error (vm_map_protect skips them)
      as.mprotect(a, 64 * T, RW);
      expect(as.pageFlags(a) & 7).toBe(RW);
      expect(as.pageFlags(a + 10 * T)).toBe(0);
      as.mprotect(BASE * 4, T, RW);
      expect(errnoOf(() => as.mprotect(a, T, 0x8))).toBe(E.EINVAL);
      expect(errnoOf(() => as.mprotect(a, T, PROT_MAX(PROT.READ) | RW))).toBe(E.EOPNOTSUPP);
      expect(errnoOf(() => as.mprotect(a, 2 ** 64 - 1, RW))).toBe(E.EINVAL);
      // lowering max_prot sticks
      as.mprotect(a, T, PROT_MAX(PROT.READ) | PROT.READ);
      expect(errnoOf(() => as.mprotect(a, T, RW))).toBe(E.EACCES);
    });

    it('exec-only and write-only pages are readable (amd64 pmap)', () => {
      const { as, be } = setup(H);
      const a = as.mmap(0, T, PROT.EXEC, ANON, null, 0);
      expect(be.take('ucMap')[0].perms).toBe(RX);
      expect(as.accessible(a, 8, false)).toBe(true);
      expect(as.accessible(a, 8, true)).toBe(false);
    });
  });

  describe('translation-cache invalidation', () => {
    it('fires exactly when an executable page loses EXEC, gains WRITE, or is unmapped/replaced', () => {
      const { as, be } = setup(H);
      const inv = () => be.take('invalidate').map((c) => [c.start, c.end]);
      const d = as.mmap(0, 2 * T, RW, ANON, null, 0);
      const x = as.mmap(0, 4 * T, RX, ANON, null, 0);
      expect(inv()).toEqual([]);
      as.mprotect(d, 2 * T, PROT.READ); // not executable: nothing
      as.mprotect(d, 2 * T, RW);
      expect(inv()).toEqual([]);
      as.mprotect(x, T, RX | PROT.WRITE); // gains WRITE
      expect(inv()).toEqual([[x, x + T]]);
      be.reset();
      as.mprotect(x, T, RX); // RWX -> RX: neither
      expect(inv()).toEqual([]);
      as.mprotect(x, 2 * T, PROT.READ); // loses EXEC
      expect(inv()).toEqual([[x, x + 2 * T]]);
      be.reset();
      as.mprotect(x, 4 * T, RX); // pages 0-1 gain EXEC, 2-3 unchanged: nothing to drop
      expect(inv()).toEqual([]);
      as.munmap(x + 3 * T, T);
      expect(inv()).toEqual([[x + 3 * T, x + 4 * T]]);
      be.reset();
      as.mmap(x, T, RX, ANON | MAP.FIXED, null, 0); // replaced
      expect(inv()).toEqual([[x, x + T]]);
      be.reset();
      as.writeForce(x + T + 5, Buffer.of(0x90, 0x90)); // the emulator writes code
      expect(inv()).toEqual([[x + T, x + 2 * T]]);
      be.reset();
      as.write(d, Buffer.of(1)); // data page: nothing
      as.wrote(d, 10);
      expect(inv()).toEqual([]);
    });
  });

  describe('file mappings', () => {
    it('unaligned offset: mapped from the page below, returns addr + page offset', () => {
      const { as, be } = setup(H);
      const data = pattern(3 * T);
      const f = file(be, 3, data);
      const p = as.mmap(0, 100, PROT.READ, MAP.PRIVATE, f, T + 100);
      expect(p % T).toBe(100);
      expect(as.read(p, 100).equals(data.subarray(T + 100, T + 200))).toBe(true);
      const mf = be.take('mapFile')[0];
      expect(mf.off % H).toBe(0);
      expect(mf.off).toBe(Math.floor(T / H) * H);
      // fixed: the address must share the offset's page remainder
      expect(as.mmap(BASE + 0x100000 + 100, 100, PROT.READ, MAP.PRIVATE | MAP.FIXED, f, T + 100)).toBe(BASE + 0x100000 + 100);
      expect(errnoOf(() => as.mmap(BASE + 0x200000 + 50, 100, PROT.READ, MAP.PRIVATE | MAP.FIXED, f, T + 100))).toBe(E.EINVAL);
    });

    it('file offset not aligned to the host page maps from the host page below with a delta', () => {
      const { as, be } = setup(H);
      const data = pattern(8 * T);
      const f = file(be, 3, data);
      const a = as.mmap(0, 2 * T, PROT.READ, MAP.PRIVATE, f, 5 * T);
      const mf = be.take('mapFile')[0];
      const hostOff = Math.floor((5 * T) / H) * H;
      expect(mf.off).toBe(hostOff);
      expect(mf.len).toBe(Math.ceil((5 * T - hostOff + 2 * T) / H) * H);
      expect(as.read(a, 2 * T).equals(data.subarray(5 * T, 7 * T))).toBe(true);
      const um = be.take('ucMap')[0];
      expect(um.host - as.hostAddress(a, 1, false)).toBe(0);
    });

    it('pages wholly past EOF are BEYOND_EOF: valid, unmapped in Unicorn, SIGBUS; the tail reads zero', () => {
      const { as, be } = setup(H);
      const f = file(be, 3, pattern(5000));
      const a = as.mmap(0, 4 * T, RW, MAP.PRIVATE, f, 0);
      const mf = be.take('mapFile')[0];
      expect(mf.len).toBe(Math.ceil(2 * T / H) * H); // up to EOF rounded to the host page
      expect(mf.len).toBeLessThanOrEqual(Math.ceil(5000 / H) * H);
      expect(be.take('ucMap').map((c) => [c.addr - a, c.len])).toEqual([[0, 2 * T]]);
      expect(as.pageFlags(a + 2 * T) & (PAGE.VALID | PAGE.BEYOND_EOF)).toBe(PAGE.VALID | PAGE.BEYOND_EOF);
      expect(as.faultKind(a + 3 * T, false, false)).toBe('BUS_OBJERR');
      expect(as.faultKind(a + T, true, false)).toBe('SEGV_ACCERR');
      expect(as.readU8(a + 4999)).toBe(pattern(5000)[4999]);
      expect(as.read(a + 5000, 2 * T - 5000).every((b) => b === 0)).toBe(true);
      expect(errnoOf(() => as.read(a + 2 * T, 1))).toBe(E.EFAULT);
      expect(errnoOf(() => as.writeForce(a + 2 * T, Buffer.of(1)))).toBe(E.EFAULT);
      expect([...as.mincore(a, 4 * T)]).toEqual([1, 1, 0, 0]);
      // mprotect keeps them beyond EOF and out of Unicorn
      be.reset();
      as.mprotect(a, 4 * T, PROT.READ);
      expect(be.take('ucMap').map((c) => [c.addr - a, c.len, c.perms])).toEqual([[0, 2 * T, PROT.READ]]);
      // a mapping entirely past EOF needs no host memory
      be.reset();
      const b = as.mmap(0, T, PROT.READ, MAP.PRIVATE, f, 2 * T);
      expect(be.take('mapFile')).toEqual([]);
      expect(as.faultKind(b, false, false)).toBe('BUS_OBJERR');
    });

    it('msync: host msync of shared file pages; ENOMEM for holes; EINVAL for ASYNC|INVALIDATE', () => {
      const { as, be } = setup(H);
      const f = file(be, 3, pattern(4 * T));
      const a = as.mmap(0, 4 * T, RW, MAP.SHARED, f, 0);
      const p = as.mmap(0, T, RW, ANON, null, 0);
      as.msync(a, 4 * T, MS.SYNC);
      as.msync(a + T, 10, MS.ASYNC | 0);
      as.msync(p, T, MS.SYNC); // anonymous: nothing to write back
      const calls = be.take('msync');
      expect(calls.length).toBe(2);
      expect(calls[0].flags).toBe(HOST_MS.SYNC);
      expect(calls[1].flags).toBe(HOST_MS.ASYNC);
      expect(calls[0].host).toBe(as.hostAddress(a, 1, false));
      expect(errnoOf(() => as.msync(a, T, MS.ASYNC | MS.INVALIDATE))).toBe(E.EINVAL);
      as.munmap(a + 3 * T, T);
      expect(errnoOf(() => as.msync(a, 4 * T, MS.SYNC))).toBe(E.ENOMEM);
      expect(errnoOf(() => as.msync(BASE * 8, 0, MS.SYNC))).toBe(E.ENOMEM);
    });
  });

  describe('madvise, minherit, mincore', () => {
    it('madvise validates; MADV_FREE discards whole host pages of private anonymous memory only', () => {
      const { as, be } = setup(H);
      const a = as.mmap(0, 16 * T, RW, ANON, null, 0);
      expect(errnoOf(() => as.madvise(a, T, 11))).toBe(E.EINVAL);
      expect(errnoOf(() => as.madvise(a, T, -1))).toBe(E.EINVAL);
      expect(errnoOf(() => as.madvise(0, T, MADV.NORMAL))).toBe(E.EINVAL);
      expect(errnoOf(() => as.madvise(a, 2 ** 64, MADV.NORMAL))).toBe(E.EINVAL);
      expect(errnoOf(() => as.madvise(a, T, MADV.PROTECT))).toBe(E.EPERM);
      as.madvise(BASE * 4, T, MADV.WILLNEED); // holes are fine
      as.madvise(a, 16 * T, MADV.DONTNEED);
      expect(be.take('discard')).toEqual([]);
      as.madvise(a, 16 * T, MADV.FREE);
      const d = be.take('discard');
      expect(d.length).toBe(1);
      expect(d[0].host).toBe(as.hostAddress(a, 1, false));
      expect(d[0].len).toBe(Math.floor(16 * T / H) * H);
      be.reset();
      as.madvise(a + T, T, MADV.FREE); // less than a host page when H > T: nothing
      expect(be.take('discard').length).toBe(H === T ? 1 : 0);
    });

    it('minherit validates and records', () => {
      const { as } = setup(H);
      const a = as.mmap(0, 2 * T, RW, ANON, null, 0);
      expect(errnoOf(() => as.minherit(a, T, 4))).toBe(E.EINVAL);
      as.minherit(a, T, INHERIT.NONE);
      expect((as.pageFlags(a) >> PAGE_INHERIT_SHIFT) & 3).toBe(INHERIT.NONE);
      expect((as.pageFlags(a + T) >> PAGE_INHERIT_SHIFT) & 3).toBe(INHERIT.COPY);
    });

    it('mincore: one byte per page, ENOMEM for unmapped pages', () => {
      const { as } = setup(H);
      const a = as.mmap(0, 3 * T, RW, ANON, null, 0);
      expect([...as.mincore(a + 10, 2 * T)]).toEqual([1, 1, 1]);
      expect(errnoOf(() => as.mincore(a, 4 * T))).toBe(E.ENOMEM);
      expect(as.mincore(a, 0).length).toBe(0);
    });
  });

  describe('GuestMemory', () => {
    it('reads and writes across mappings, checks protections, strings', () => {
      const { as } = setup(H);
      const a = as.mmap(BASE, T, RW, ANON | MAP.FIXED, null, 0);
      const b = as.mmap(BASE + T, T, RW, ANON | MAP.FIXED, null, 0);
      const s = Buffer.from('hello, world\0');
      as.write(b - 5, s); // crosses two host blocks
      expect(as.readCString(b - 5)).toBe('hello, world');
      expect(errnoOf(() => as.readCString(b - 5, 12))).toBe(E.ENAMETOOLONG);
      expect(as.readCString(b - 5, 13)).toBe('hello, world');
      expect(as.hostView(b - 5, 10, false)).toBeNull();
      expect(as.hostAddress(b - 5, 10, false)).toBe(-1);
      expect(as.hostView(a, 5, false)!.length).toBe(5);
      as.writeU64(a + 8, 0x1122334455667788n);
      expect(as.readU64(a + 8)).toBe(0x1122334455667788n);
      expect(as.readU32(a + 8)).toBe(0x55667788);
      expect(as.readI32(a + 12)).toBe(0x11223344);
      as.writeU32(a + 16, 0xffffffff);
      expect(as.readI32(a + 16)).toBe(-1);
      as.writeU16(a + 20, 0xbeef);
      expect(as.readU16(a + 20)).toBe(0xbeef);
      as.writeU64(a + 24, 0x7fff12345678);
      expect(as.readPtr(a + 24)).toBe(0x7fff12345678);
      as.fill(a + 100, 10, 0x41);
      expect(as.read(a + 100, 10).toString()).toBe('AAAAAAAAAA');
      expect(errnoOf(() => as.read(b + T - 4, 8))).toBe(E.EFAULT);
      as.fill(b + T - 4, 4, 0x78);
      expect(errnoOf(() => as.readCString(b + T - 4))).toBe(E.EFAULT);
      expect(as.accessible(a, 2 * T, true)).toBe(true);
      expect(as.accessible(a, 2 * T + 1, false)).toBe(false);
      expect(errnoOf(() => as.read(-1, 1))).toBe(E.EFAULT);
    });

    it('dump shows the table', () => {
      const { as } = setup(H);
      as.mmap(BASE, T, RW, ANON | MAP.FIXED, null, 0);
      expect(as.dump()).toContain('000800000000 000800001000 000000001000 rw-');
    });
  });
});

// A -d page log line appears for each call.
describe('logging', () => {
  it('logs mmap/munmap/mprotect', () => {
    const lines: string[] = [];
    const as = new AddressSpace({ backend: new FakeBackend(4096), minAddress: 0x1000, maxAddress: 2 ** 47, mmapBase: BASE, log: (l) => lines.push(l) });
    const a = as.mmap(0, T, RW, ANON, null, 0);
    as.mprotect(a, T, PROT.READ);
    as.munmap(a, T);
    expect(lines.length).toBe(3);
    expect(lines[0]).toMatch(/^mmap: .* = 0x800000000$/);
  });
});
