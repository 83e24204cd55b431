// FreeBSD's timekeep page (sys/sys/vdso.h, sys/x86/include/vdso.h): given AT_TIMEKEEP, libc and the Go
// runtime read CLOCK_MONOTONIC and CLOCK_REALTIME from the TSC and "timehands" in the shared page
// instead of making a syscall (Go reads the clock tens of thousands of times a second). bsdemu keeps
// the timehands itself: the guest's `rdtsc` reads the host TSC (Unicorn's helper), its frequency is
// measured against the host's monotonic clock, and the offset is renewed before each run of the guest
// and after each syscall (runs last ≤ 50 ms; the counter arithmetic holds for 1 s), so the guest's
// clock stays within a run's drift of the host's and never goes back. amd64 guests on x86-64 hosts
// with an invariant TSC only.
import koffi from 'koffi';
import { readFileSync } from 'node:fs';
import { rdtscStub } from '../cpu/hostcode.js';
import { realtimeNs } from '../syscalls/time.js';

// struct vdso_timekeep { u32 tk_ver, tk_enabled, tk_current; struct vdso_timehands tk_th[]; } (16 bytes
// before the array); struct vdso_timehands (amd64, 0x58 bytes): th_algo @0, th_gen @4, th_scale @8,
// th_offset_count @16, th_counter_mask @20, th_offset {sec @24, frac @32}, th_boottime {sec @40,
// frac @48}, th_x86_shift @56, th_x86_hpet_idx @60, ...
const TK_VER_CURR = 1, TH_ALGO_X86_TSC = 1;
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

let rdtscFn: bigint | undefined;
let rdtscProto: ReturnType<typeof koffi.proto> | undefined;

export class Timekeep {
  private readonly dv: DataView;
  private readonly t0: bigint;
  private readonly h0: bigint;
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

  private constructor(hostAddr: number, private readonly rdtsc: () => bigint) {
    this.dv = new DataView(koffi.view(hostAddr, TIMEKEEP_SIZE) as ArrayBuffer);
    new Uint8Array(this.dv.buffer, this.dv.byteOffset, TIMEKEEP_SIZE).fill(0);
    this.dv.setUint32(0, TK_VER_CURR, true);
    this.h0 = process.hrtime.bigint();
    this.t0 = this.rdtsc();
  }

  /** A timekeep structure at host address `hostAddr` (TIMEKEEP_SIZE bytes), where the host allows it. */
  static create(hostAddr: number): Timekeep | undefined {
    if (process.env.BSDEMU_TIMEKEEP === '0' || !invariantTsc()) return undefined;
    rdtscFn ??= rdtscStub() ?? 0n;
    if (!rdtscFn) return undefined;
    rdtscProto ??= koffi.proto('uint64_t bsdemu_rdtsc(void)');
    const fn = rdtscFn, proto = rdtscProto;
    return new Timekeep(hostAddr, () => BigInt(koffi.call(fn, proto) as number | bigint));
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
    if (h - this.h0 < CALIBRATE_NS) return;
    this.lastMs = ms;
    const t = this.rdtsc();
    if (t <= this.t0) return; // the TSC went back: leave the page as it was
    const hz = ((t - this.t0) * NS) / (h - this.h0);
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
    dv.setUint32(b + 0, TH_ALGO_X86_TSC, true);
    dv.setBigUint64(b + 8, scale, true);
    dv.setUint32(b + 16, Number(count), true);
    dv.setUint32(b + 20, 0xffffffff, true);
    dv.setBigInt64(b + 24, offset >> 64n, true);
    dv.setBigUint64(b + 32, offset & (ONE - 1n), true);
    dv.setBigInt64(b + 40, boottime >> 64n, true);
    dv.setBigUint64(b + 48, boottime & (ONE - 1n), true);
    dv.setUint32(b + 56, Number(shift), true);
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
