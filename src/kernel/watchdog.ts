// Time slices for the run loop: a thread that computes without syscalls must not starve the others, and
// host signals must get through. A worker thread watches each run; when it outlasts its slice, the
// preemption hook starts calling uc_emu_stop and the CPU stops at its next block. (Unicorn's own per-run
// timeout costs a thread per run, ~80 µs, and stops at unsafe points.)
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import koffi from 'koffi';
import type { Unicorn } from '../cpu/unicorn.js';
import { F } from './watchdog-shared.js';

export class Watchdog {
  private readonly f = new Float64Array(new SharedArrayBuffer(16));
  private readonly worker: Worker;
  /** Resolves once the worker watches (until then no run is cut short). */
  readonly ready: Promise<void>;
  private readonly callback: BigUint64Array;
  private readonly idle: bigint;
  /** Where the preemption hook stores the address of the block it stopped before (x86-64 hosts). */
  private readonly stopPc?: BigUint64Array;

  /** `dropCode` drops all translated code (default: a full flush; see AddressSpaceApi.invalidateCode). */
  constructor(uc: Unicorn, dropCode: () => void = () => uc.flushCache(), debug = false) {
    const hook = uc.addPreemptHook();
    // Blocks translated before the hook existed do not call it.
    dropCode();
    this.idle = hook.idle;
    this.callback = new BigUint64Array(koffi.view(hook.slot, 8));
    if (hook.stopPc !== undefined) this.stopPc = new BigUint64Array(koffi.view(hook.stopPc, 8));
    // node:worker_threads only once a watchdog is needed (~3 ms of start-up saved for the rest, issue 5).
    const { Worker: WorkerClass } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    this.worker = new WorkerClass(new URL('./watchdog-worker.js', import.meta.url), {
      workerData: { slot: hook.slot, stop: hook.stop, sab: this.f.buffer, debug },
    });
    this.ready = new Promise((resolve) => this.worker.once('message', () => resolve()));
  }

  /** A run starts that should end after about `ms` milliseconds. */
  arm(ms: number): void {
    if (this.stopPc) this.stopPc[0] = 0n;
    this.f[F.DEADLINE] = Date.now() + Math.max(1, ms);
  }

  /**
   * The run returned: put the harmless callback back (a late swap only stops the next run early).
   * Returns true when the preemption hook was armed, i.e. the run may have been stopped by it.
   */
  disarm(): boolean {
    this.f[F.DEADLINE] = 0;
    const fired = this.callback[0] !== this.idle;
    this.callback[0] = this.idle;
    return fired;
  }

  /** After a preempted run: the pc to resume at (the block the hook stopped before), when known. */
  stoppedAt(): bigint | undefined {
    const pc = this.stopPc?.[0];
    return pc ? pc : undefined;
  }

  /**
   * Ends the worker before the process exits. It must have finished loading koffi first: a worker torn
   * down while koffi initialises aborts the whole process.
   */
  async close(): Promise<void> {
    await this.ready;
    this.f[F.QUIT] = 1;
    await new Promise((resolve) => this.worker.once('exit', resolve));
  }
}
