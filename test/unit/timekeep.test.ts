// The timekeep structure (AT_TIMEKEEP) as the guest's clock readers use it: Go's binuptime and
// FreeBSD libc's __vdso_clock_gettime compute offset + scale × ((tsc >> shift) − offset_count).
import { describe, expect, it } from 'vitest';
import koffi from 'koffi';
import { Timekeep, TIMEKEEP_SIZE } from '../../src/kernel/timekeep.js';
import { rdtscStub } from '../../src/cpu/hostcode.js';
import { HOST_MAP, HOST_PROT, hostMmap } from '../../src/host/hostmem.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CLOCK_MONOTONIC in ns as a guest computes it from the structure (Go's nanotime1 rounding). */
function guestMonotonic(dv: DataView, counter: () => bigint): bigint | undefined {
  if (dv.getUint32(0, true) !== 1 || dv.getUint32(4, true) === 0) return undefined;
  const b = 16 + dv.getUint32(8, true) * 0x58;
  if (dv.getUint32(b, true) !== 1 || dv.getUint32(b + 4, true) === 0) return undefined;
  const scale = dv.getBigUint64(b + 8, true), count = BigInt(dv.getUint32(b + 16, true));
  const mask = BigInt(dv.getUint32(b + 20, true)), shift = BigInt(dv.getUint32(b + 56, true));
  let sec = dv.getBigInt64(b + 24, true);
  let frac = dv.getBigUint64(b + 32, true);
  const delta = ((counter() >> shift) - count) & mask;
  frac += BigInt.asUintN(64, scale * delta);
  if (frac >= 1n << 64n) { frac -= 1n << 64n; sec++; }
  return 1_000_000_000n * sec + ((1_000_000_000n * (frac >> 32n)) >> 32n);
}

/**
 * Renews the timehands now and then over `rounds` short sleeps; each time the guest's clock must lie
 * within 100 µs of the host's and never go back.
 */
async function followsHost(t: Timekeep, dv: DataView, counter: () => bigint, rounds: number): Promise<void> {
  let last = 0n;
  for (let i = 0; i < rounds; i++) {
    await sleep(i % 3 === 0 ? 7 : 1);
    t.update();
    for (let k = 0; k < 3; k++) {
      const h0 = process.hrtime.bigint();
      const g = guestMonotonic(dv, counter)!;
      const h1 = process.hrtime.bigint();
      expect(g).toBeGreaterThanOrEqual(last);
      last = g;
      expect(Number(g - h0)).toBeGreaterThan(-100_000);
      expect(Number(g - h1)).toBeLessThan(100_000);
    }
  }
}

describe('timekeep (AT_TIMEKEEP)', () => {
  const stub = rdtscStub();
  const tk = stub === undefined ? undefined : (() => {
    const host = hostMmap(0, 4096, HOST_PROT.READ | HOST_PROT.WRITE, HOST_MAP.PRIVATE | HOST_MAP.ANON, -1, 0);
    const t = Timekeep.create(host, 'x86-tsc');
    return t && { t, dv: new DataView(koffi.view(host, TIMEKEEP_SIZE) as ArrayBuffer) };
  })();
  const onTsc = tk ? it : it.skip; // x86-64 hosts with an invariant TSC
  const proto = koffi.proto('uint64_t test_rdtsc(void)');
  const rdtsc = () => BigInt(koffi.call(stub!, proto) as number | bigint);

  onTsc('is disabled until calibrated, then follows the host clock within 100 µs and never goes back', async () => {
    const { t, dv } = tk!;
    t.update();
    expect(dv.getUint32(4, true)).toBe(0); // tk_enabled: not calibrated yet
    await sleep(30);
    t.update();
    expect(dv.getUint32(4, true)).toBe(1);
    await followsHost(t, dv, rdtsc, 40);
  });

  it('arm64: the generic timer (host monotonic clock / 16 ns) needs no calibration and is exact', async () => {
    const host = hostMmap(0, 4096, HOST_PROT.READ | HOST_PROT.WRITE, HOST_MAP.PRIVATE | HOST_MAP.ANON, -1, 0);
    const t = Timekeep.create(host, 'arm-gentim')!;
    const dv = new DataView(koffi.view(host, TIMEKEEP_SIZE) as ArrayBuffer);
    t.update();
    expect([dv.getUint32(0, true), dv.getUint32(4, true)]).toEqual([1, 1]); // tk_ver, tk_enabled
    expect(dv.getUint32(16 + dv.getUint32(8, true) * 0x58 + 56, true)).toBe(0); // th_physical: CNTVCT_EL0
    await followsHost(t, dv, () => process.hrtime.bigint() / 16n, 20); // what Unicorn's CNTVCT_EL0 reads
  });
});
