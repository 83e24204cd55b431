import { describe, expect, it } from 'vitest';
import { PageFlags } from '../../src/mmap/pageflags.js';
import { PAGE } from '../../src/mmap/api.js';

const P = 0x1000;
const RW = PAGE.READ | PAGE.WRITE | PAGE.VALID;
const R = PAGE.READ | PAGE.VALID;

describe('PageFlags', () => {
  it('starts empty and stores ranges', () => {
    const f = new PageFlags();
    expect(f.get(0x5000)).toBe(0);
    expect(f.isEmpty(0, 2 ** 47)).toBe(true);
    f.set(0x10000, 0x10000 + 2 ** 30, RW); // 1 GiB: one range
    expect([...f.ranges()]).toEqual([{ start: 0x10000, end: 0x10000 + 2 ** 30, flags: RW }]);
    expect(f.get(0x10000 + 12345 * P)).toBe(RW);
    expect(f.get(0x10000 + 2 ** 30)).toBe(0);
  });

  it('splits on set in the middle and merges equal neighbours back', () => {
    const f = new PageFlags();
    f.set(0x10000, 0x20000, RW);
    f.set(0x14000, 0x16000, R);
    expect([...f.ranges()]).toEqual([
      { start: 0x10000, end: 0x14000, flags: RW },
      { start: 0x14000, end: 0x16000, flags: R },
      { start: 0x16000, end: 0x20000, flags: RW },
    ]);
    f.set(0x14000, 0x16000, RW);
    expect([...f.ranges()]).toEqual([{ start: 0x10000, end: 0x20000, flags: RW }]);
    f.set(0x12000, 0x13000, 0);
    expect([...f.ranges()].length).toBe(2);
    expect(f.isEmpty(0x12000, 0x13000)).toBe(true);
    expect(f.isEmpty(0x11000, 0x13000)).toBe(false);
  });

  it('merges with neighbours on both sides', () => {
    const f = new PageFlags();
    f.set(0x1000, 0x2000, R);
    f.set(0x3000, 0x4000, R);
    f.set(0x2000, 0x3000, R);
    expect([...f.ranges()]).toEqual([{ start: 0x1000, end: 0x4000, flags: R }]);
  });

  it('update applies set/clear over mapped and unmapped pages; updateMapped only over mapped', () => {
    const f = new PageFlags();
    f.set(0x1000, 0x3000, RW);
    f.update(0x2000, 0x4000, PAGE.EXEC, PAGE.WRITE);
    expect([...f.ranges()]).toEqual([
      { start: 0x1000, end: 0x2000, flags: RW },
      { start: 0x2000, end: 0x3000, flags: R | PAGE.EXEC },
      { start: 0x3000, end: 0x4000, flags: PAGE.EXEC },
    ]);
    const g = new PageFlags();
    g.set(0x1000, 0x2000, RW);
    g.set(0x3000, 0x4000, RW);
    g.updateMapped(0, 0x10000, 0, PAGE.WRITE);
    expect([...g.ranges()]).toEqual([
      { start: 0x1000, end: 0x2000, flags: R },
      { start: 0x3000, end: 0x4000, flags: R },
    ]);
    g.updateMapped(0, 0x10000, 0, 0xff); // clearing everything unmaps
    expect(g.isEmpty(0, 0x10000)).toBe(true);
  });

  it('allHave needs every page mapped with the flags', () => {
    const f = new PageFlags();
    f.set(0x1000, 0x3000, RW);
    f.set(0x4000, 0x5000, RW);
    expect(f.allHave(0x1000, 0x3000, PAGE.WRITE)).toBe(true);
    expect(f.allHave(0x1000, 0x5000, PAGE.VALID)).toBe(false); // hole at 0x3000
    f.set(0x2000, 0x3000, R);
    expect(f.allHave(0x1000, 0x3000, PAGE.WRITE)).toBe(false);
    expect(f.allHave(0x1000, 0x3000, PAGE.READ)).toBe(true);
  });

  it('findFree: first fit, alignment, limits', () => {
    const f = new PageFlags();
    f.set(0x10000, 0x20000, RW);
    f.set(0x21000, 0x22000, RW);
    expect(f.findFree(0x10000, 0x100000, 0x1000, P)).toBe(0x20000);
    expect(f.findFree(0x10000, 0x100000, 0x2000, P)).toBe(0x22000);
    expect(f.findFree(0x10000, 0x100000, 0x1000, 0x10000)).toBe(0x20000);
    expect(f.findFree(0x10000, 0x100000, 0x2000, 0x10000)).toBe(0x30000);
    expect(f.findFree(0x1000, 0x100000, 0x4000, P)).toBe(0x1000);
    expect(f.findFree(0x10000, 0x23000, 0x2000, P)).toBe(-1);
    expect(f.findFree(0x22000, 0x24000, 0x2000, P)).toBe(0x22000);
    // alignment larger than the address space fits nowhere
    expect(f.findFree(0x1000, 2 ** 47, 0x1000, 2 ** 63)).toBe(-1);
  });

  it('dump lists ranges with protections and markers', () => {
    const f = new PageFlags();
    f.set(0x1000, 0x3000, RW | (7 << 6));
    f.set(0x5000, 0x6000, PAGE.VALID | PAGE.GUARD);
    const d = f.dump();
    expect(d).toContain('000000001000 000000003000 000000002000 rw-  rwx');
    expect(d).toContain('guard');
    expect(d.trim().split('\n').length).toBe(3);
  });
});
