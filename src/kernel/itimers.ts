// Interval timers (setitimer/getitimer, sys/kern/kern_time.c). ITIMER_REAL counts wall time and sends
// SIGALRM; ITIMER_VIRTUAL and ITIMER_PROF count the process's CPU time in FreeBSD — here the emulated
// process's run time is approximated by wall time while it runs, and they send SIGVTALRM and SIGPROF.
import { SIG, SI } from './signals.js';
import { now } from './threads.js';
import type { Process } from './process.js';
import { postSignal } from './sigdeliver.js';

export const ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
const SIGNAL_OF = [SIG.SIGALRM, SIG.SIGVTALRM, SIG.SIGPROF];

interface Timer { deadline?: bigint; interval: bigint }

export class ITimers {
  private readonly t: Timer[] = [{ interval: 0n }, { interval: 0n }, { interval: 0n }];

  /** Remaining time and interval (ns) of a timer. */
  get(which: number): { value: bigint; interval: bigint } {
    const x = this.t[which];
    const left = x.deadline === undefined ? 0n : x.deadline - now();
    return { value: left > 0n ? left : x.deadline === undefined ? 0n : 1000n, interval: x.interval };
  }

  /** Arms (value > 0) or disarms (value 0) a timer; returns the old setting. */
  set(which: number, value: bigint, interval: bigint): { value: bigint; interval: bigint } {
    const old = this.get(which);
    this.t[which] = { deadline: value > 0n ? now() + value : undefined, interval };
    return old;
  }

  /** The earliest armed deadline, for the scheduler's sleeps and slices. */
  nextDeadline(): bigint | undefined {
    let d: bigint | undefined;
    for (const x of this.t) if (x.deadline !== undefined && (d === undefined || x.deadline < d)) d = x.deadline;
    return d;
  }

  /** Sends the signal of every expired timer and re-arms periodic ones. */
  fire(proc: Process): void {
    const n = now();
    this.t.forEach((x, which) => {
      if (x.deadline === undefined || x.deadline > n) return;
      x.deadline = x.interval > 0n ? n + x.interval : undefined;
      postSignal(proc, { signo: SIGNAL_OF[which], code: SI.TIMER });
    });
  }
}
