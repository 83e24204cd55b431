// Time slices for the run loop: a thread that computes without syscalls must not starve the others, and
// host signals must get through. Another host thread keeps time and stops a run that outlasts its slice.
//
// How it stops the CPU: where translated code has no exit checks inside blocks and no code hook
// (Unicorn.asyncStop), the timekeeper calls uc_emu_stop itself and the CPU stops at its next block
// with an exact pc; no hook in the translated code. Otherwise it raises the flag of a block hook
// (Unicorn.addPreemptHook) that stops the CPU from inside: a call in every translated block, ~5–10% of
// C compute and up to ~40% of Go's short blocks (issue 5). (Unicorn's own per-run timeout costs a
// thread per run, ~80 µs.)
//
// The timekeeper is a bare host thread running hostcode.ts's ticker on x86-64 hosts (no start-up cost,
// no memory to speak of), else a Node worker thread (~50 ms of CPU and ~10 MB to start).
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import koffi from 'koffi';
import type { Unicorn } from '../cpu/unicorn.js';
import { hostCodeSupported, tickerThreadFn } from '../cpu/hostcode.js';
import { HOST_MAP, HOST_PROT, hostMmap, hostPageSize } from '../host/hostmem.js';
import { symbolAddresses } from '../host/symbols.js';
import { F } from './watchdog-shared.js';

/** Keeps time on another host thread and raises the preemption flag at a deadline. */
interface Timekeeper {
  /** Resolves once it keeps time (until then no run is cut short). */
  readonly ready: Promise<void>;
  /** Raise the flag about `ms` milliseconds from now, unless disarmed first. */
  arm(ms: number): void;
  disarm(): void;
  close(): Promise<void>;
}

export class Watchdog {
  /** Whether starting one costs next to nothing (a bare host thread, not a Node worker). */
  static readonly cheap = hostCodeSupported;
  private readonly keeper: Timekeeper;
  /** Raised when the deadline passed (by the timekeeper, or the block hook's flag). */
  private readonly flag: BigUint64Array;
  private readonly idle: bigint;
  /** Where the preemption hook stores the address of the block it stopped before (x86-64 hosts). */
  private readonly stopPc?: BigUint64Array;

  /**
   * `dropCode` drops all translated code (default: a full flush; see AddressSpaceApi.invalidateCode):
   * blocks translated before a preemption hook existed would not call it.
   */
  constructor(uc: Unicorn, dropCode: () => void = () => uc.flushCache(), debug = false) {
    const stop = uc.asyncStop();
    const direct = stop && ThreadTicker.start(undefined, stop);
    if (direct) {
      this.keeper = direct;
      this.flag = direct.ownFlag;
      this.idle = 0n;
      return;
    }
    const hook = uc.addPreemptHook();
    // Blocks translated before the hook existed do not call it.
    dropCode();
    this.idle = hook.idle;
    this.flag = new BigUint64Array(koffi.view(hook.slot, 8));
    if (hook.stopPc !== undefined) this.stopPc = new BigUint64Array(koffi.view(hook.stopPc, 8));
    this.keeper = (hook.stop === 1n ? ThreadTicker.start(hook.slot) : undefined) ?? new WorkerTicker(hook, debug);
  }

  get ready(): Promise<void> { return this.keeper.ready; }

  /** A run starts that should end after about `ms` milliseconds. */
  arm(ms: number): void {
    if (this.stopPc) this.stopPc[0] = 0n;
    this.keeper.arm(ms);
  }

  /**
   * The run returned: lower the flag (one raised late only stops the next run early). Returns true when
   * the flag was up, i.e. the run may have been stopped by the preemption hook.
   */
  disarm(): boolean {
    this.keeper.disarm();
    const fired = this.flag[0] !== this.idle;
    this.flag[0] = this.idle;
    return fired;
  }

  /** The timekeeper's millisecond tick count (low 32 bits), where it keeps one in memory. */
  ticks(): Uint32Array | undefined {
    return this.keeper instanceof ThreadTicker ? this.keeper.tickWord : undefined;
  }

  /** After a preempted run: the pc to resume at (the block the hook stopped before), when known. */
  stoppedAt(): bigint | undefined {
    const pc = this.stopPc?.[0];
    return pc ? pc : undefined;
  }

  /** Ends the timekeeper before the process exits. */
  close(): Promise<void> {
    return this.keeper.close();
  }
}

/** hostcode.ts's ticker on a pthread: 1 ms ticks; the block's words are documented at tickerThreadFn. */
class ThreadTicker implements Timekeeper {
  readonly ready = Promise.resolve();
  private constructor(private readonly words: BigUint64Array, private readonly join: () => void) {}

  /** Word 0, the tick count, as a u32 view (its low half on little-endian hosts). */
  get tickWord(): Uint32Array { return new Uint32Array(this.words.buffer, this.words.byteOffset, 1); }

  /** The flag word the ticker raises when started without one (word 3 of its block). */
  get ownFlag(): BigUint64Array { return this.words.subarray(3, 4); }

  /** Raises `flag` (default: its own) and calls `stop` (if any) at each deadline. */
  static start(flag?: bigint, stop?: { fn: bigint; arg: bigint }): ThreadTicker | undefined {
    const fn = tickerThreadFn();
    if (fn === undefined) return undefined;
    let nanosleep: bigint;
    let libc: ReturnType<typeof koffi.load>;
    try {
      [nanosleep] = symbolAddresses(null, ['nanosleep']);
      libc = koffi.load(process.platform === 'darwin' ? 'libSystem.B.dylib' : 'libc.so.6');
    } catch {
      return undefined;
    }
    const block = hostMmap(0, hostPageSize(), HOST_PROT.READ | HOST_PROT.WRITE, HOST_MAP.PRIVATE | HOST_MAP.ANON, -1, 0);
    const words = new BigUint64Array(koffi.view(block, 80));
    words[4] = flag ?? BigInt(block + 24);
    words[5] = nanosleep;
    words[6] = 0n; words[7] = BigInt(TICK_NS); // struct timespec { tv_sec, tv_nsec }
    words[8] = stop?.fn ?? 0n;
    words[9] = stop?.arg ?? 0n;
    const create = libc.func('int pthread_create(_Out_ uint64_t *thread, void *attr, uintptr_t fn, uintptr_t arg)');
    const join = libc.func('int pthread_join(uint64_t thread, void *ret)');
    const tid = [0n];
    if (create(tid, null, fn, block) !== 0) return undefined;
    return new ThreadTicker(words, () => join(tid[0], null));
  }

  arm(ms: number): void {
    // The tick in progress is partly over: one more, so a run gets at least `ms`.
    this.words[1] = this.words[0] + BigInt(Math.max(1, Math.ceil(ms * 1e6 / TICK_NS))) + 1n;
  }

  disarm(): void {
    this.words[1] = 0n;
  }

  async close(): Promise<void> {
    this.words[1] = 0n;
    this.words[2] = 1n;
    this.join(); // at most one tick
  }
}
const TICK_NS = 1_000_000;

/** A Node worker thread that raises the flag (hosts where bsdemu writes no machine code). */
class WorkerTicker implements Timekeeper {
  private readonly f = new Float64Array(new SharedArrayBuffer(16));
  private readonly worker: Worker;
  readonly ready: Promise<void>;

  constructor(hook: { slot: bigint; stop: bigint }, debug: boolean) {
    // node:worker_threads only once a watchdog is needed (~3 ms of start-up saved for the rest, issue 5).
    const { Worker: WorkerClass } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    this.worker = new WorkerClass(new URL('./watchdog-worker.js', import.meta.url), {
      workerData: { slot: hook.slot, stop: hook.stop, sab: this.f.buffer, debug },
    });
    this.ready = new Promise((resolve) => this.worker.once('message', () => resolve()));
  }

  arm(ms: number): void {
    this.f[F.DEADLINE] = Date.now() + Math.max(1, ms);
  }

  disarm(): void {
    this.f[F.DEADLINE] = 0;
  }

  /** The worker must have finished loading koffi first: one torn down while koffi initialises aborts the process. */
  async close(): Promise<void> {
    await this.ready;
    this.f[F.QUIT] = 1;
    await new Promise((resolve) => this.worker.once('exit', resolve));
  }
}
