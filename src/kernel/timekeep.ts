// FreeBSD's timekeep page (sys/sys/vdso.h, sys/{x86,arm64}/include/vdso.h): given AT_TIMEKEEP, libc
// and the Go runtime read CLOCK_MONOTONIC and CLOCK_REALTIME from a hardware counter and "timehands" in
// the shared page instead of making a syscall (Go reads the clock tens of thousands of times a second).
// bsdemu keeps the timehands itself, for the counter the guest reads:
//  - amd64: the TSC. Unicorn's `rdtsc` reads the host TSC; its frequency is measured against the host's
//    monotonic clock (hosts with an invariant TSC only).
//  - arm64: the generic timer. Unicorn's CNTVCT_EL0 is the host's monotonic clock in 16 ns units
//    (QEMU's GTIMER_SCALE; CNTFRQ_EL0 = 62.5 MHz), so its timehands are exact by construction.
// The offset is renewed before each run of the guest and after each syscall (runs last ≤ 50 ms; the
// counter arithmetic holds for 1 s), so the guest's clock stays within a run's drift of the host's
// and never goes back.
import koffi from 'koffi';
import { readFileSync } from 'node:fs';
import { rdtscStub } from '../cpu/hostcode.js';
import { realtimeNs } from './threads.js';

// struct vdso_timekeep { u32 tk_ver, tk_enabled, tk_current; struct vdso_timehands tk_th[]; } (16 bytes
// before the array); struct vdso_timehands (0x58 bytes on amd64 and arm64): th_algo @0, th_gen @4,
// th_scale @8, th_offset_count @16, th_counter_mask @20, th_offset {sec @24, frac @32}, th_boottime
// {sec @40, frac @48}, then the machine part: amd64 th_x86_shift @56, ...; arm64 th_physical @56
// (0: CNTVCT_EL0), ... VDSO_TH_ALGO_X86_TSC and VDSO_TH_ALGO_ARM_GENTIM are both 1.
const TK_VER_CURR = 1, TH_ALGO = 1;
const TK_HEAD = 16, TH_SIZE = 0x58, TH_NUM = 2;
/** Where the timekeep structure sits in the shared page (after the signal trampoline). */
export const TIMEKEEP_OFFSET = 0x800;
export const TIMEKEEP_SIZE = TK_HEAD + TH_NUM * TH_SIZE;

const NS = 1_000_000_000n;
const ONE = 1n << 64n; // bintime: seconds × 2^64 + frac
/** Renew the timehands at most this often (update is called more often). */
const UPDATE_MS = 5;
/** The frequency is measured over at least this long before the page is enabled. */
const CALIBRATE_NS = 20_000_000n;
/** The counter runs at most this fast (TSC >> th_x86_shift): the 32-bit counter wraps after ≥ 16 s. */
const MAX_COUNTER_HZ = 1n << 28n;
/** Unicorn's (QEMU's) generic timer: one tick per 16 ns of the host's monotonic clock. */
const GENTIM_NS = 16n;

/** Which counter the guest's timehands describe. */
export type TimekeepCounter = 'x86-tsc' | 'arm-gentim';

/** A counter's raw value now (at host monotonic time `h`) and its frequency, once known. */
type Sample = (h: bigint) => { raw: bigint; hz: bigint } | undefined;

let rdtscFn: bigint | undefined;
let rdtscProto: ReturnType<typeof koffi.proto> | undefined;

export class Timekeep {
  private readonly dv: DataView;
  private lastMs = 0;
  /** A word another thread increments every millisecond (the watchdog's ticker), once known. */
  private tickWord?: Uint32Array;
  private lastTick = 0;

  /** Use a millisecond tick count kept by another thread for the cheap check in update(). */
  useTicks(word: Uint32Array): void {
    this.tickWord = word;
    this.lastTick = word[0];
  }
  private current = 0;
  private gen = 0;
  /** The hands in force: the guest's time at a TSC value is offset + scale × ((tsc >> shift) − count). */
  private hands?: { shift: bigint; count: bigint; scale: bigint; offset: bigint };

  private constructor(hostAddr: number, private readonly sample: Sample) {
    this.dv = new DataView(koffi.view(hostAddr, TIMEKEEP_SIZE) as ArrayBuffer);
    new Uint8Array(this.dv.buffer, this.dv.byteOffset, TIMEKEEP_SIZE).fill(0);
    this.dv.setUint32(0, TK_VER_CURR, true);
  }

  /** A timekeep structure at host address `hostAddr` (TIMEKEEP_SIZE bytes), where the host allows it. */
  static create(hostAddr: number, counter: TimekeepCounter): Timekeep | undefined {
    if (process.env.BSDEMU_TIMEKEEP === '0') return undefined;
    if (counter === 'arm-gentim') {
      return new Timekeep(hostAddr, (h) => ({ raw: h / GENTIM_NS, hz: NS / GENTIM_NS }));
    }
    if (!invariantTsc()) return undefined;
    rdtscFn ??= rdtscStub() ?? 0n;
    if (!rdtscFn) return undefined;
    rdtscProto ??= koffi.proto('uint64_t bsdemu_rdtsc(void)');
    const fn = rdtscFn, proto = rdtscProto;
    const rdtsc = () => BigInt(koffi.call(fn, proto) as number | bigint);
    // The TSC's rate, measured from here on; the page stays disabled until CALIBRATE_NS have passed.
    const h0 = process.hrtime.bigint(), t0 = rdtsc();
    return new Timekeep(hostAddr, (h) => {
      if (h - h0 < CALIBRATE_NS) return undefined;
      const raw = rdtsc();
      return raw > t0 ? { raw, hz: ((raw - t0) * NS) / (h - h0) } : undefined; // a TSC going back: leave it
    });
  }

  /**
   * Renews the timehands if the last renewal is UPDATE_MS old: call before the guest runs and after
   * each syscall (a handler may have blocked for longer than the counter arithmetic's 1 s).
   */
  update(): void {
    const tw = this.tickWord;
    if (tw) {
      // The watchdog thread's 1 ms tick count: a memory read, where performance.now() costs ~70 ns (a
      // quarter of a syscall).
      if (((tw[0] - this.lastTick) >>> 0) < UPDATE_MS) return;
      this.lastTick = tw[0];
    }
    const ms = performance.now();
    if (ms - this.lastMs < UPDATE_MS) return;
    const h = process.hrtime.bigint();
    const now = this.sample(h);
    if (!now) return;
    this.lastMs = ms;
    const { raw: t, hz } = now;
    let shift = 0n;
    while (hz >> shift > MAX_COUNTER_HZ) shift++;
    const count = (t >> shift) & 0xffffffffn;
    const scale = ONE / (hz >> shift);
    // Now as the guest sees it through the old hands, and as the host does: the later of the two, so
    // the guest's clock never goes back.
    let offset = (h * ONE) / NS;
    const old = this.hands;
    if (old) {
      const seen = old.offset + old.scale * (((t >> old.shift) - old.count) & 0xffffffffn);
      if (seen > offset) offset = seen;
    }
    const boottime = ((realtimeNs() - h) * ONE) / NS;
    const next = 1 - this.current;
    const b = TK_HEAD + next * TH_SIZE, dv = this.dv;
    dv.setUint32(b + 4, 0, true); // th_gen 0: being written
    dv.setUint32(b + 0, TH_ALGO, true);
    dv.setBigUint64(b + 8, scale, true);
    dv.setUint32(b + 16, Number(count), true);
    dv.setUint32(b + 20, 0xffffffff, true);
    dv.setBigInt64(b + 24, offset >> 64n, true);
    dv.setBigUint64(b + 32, offset & (ONE - 1n), true);
    dv.setBigInt64(b + 40, boottime >> 64n, true);
    dv.setBigUint64(b + 48, boottime & (ONE - 1n), true);
    dv.setUint32(b + 56, Number(shift), true); // amd64 th_x86_shift; arm64 th_physical (0: shift is 0)
    this.gen = this.gen >= 0xfffffffe ? 1 : this.gen + 1;
    dv.setUint32(b + 4, this.gen, true);
    dv.setUint32(8, next, true); // tk_current
    dv.setUint32(4, 1, true); // tk_enabled
    this.current = next;
    this.hands = { shift, count, scale, offset };
  }
}

/** The host TSC runs at a constant rate, also when the CPU idles (Linux: constant_tsc and nonstop_tsc). */
function invariantTsc(): boolean {
  try {
    const flags = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'latin1'))?.[1].split(/\s+/) ?? [];
    return flags.includes('constant_tsc') && flags.includes('nonstop_tsc');
  } catch {
    return false;
  }
}
