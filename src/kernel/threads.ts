// Guest threads on one Unicorn instance (DESIGN.md): each thread is a saved CPU context; the scheduler
// runs one at a time, switching when the running thread blocks and on a time slice when several are
// runnable. Blocking syscalls park the thread with a wake condition and a completion that writes the
// syscall's result when it runs again.
import type { Cpu } from '../cpu/arch.js';
import type { UcContext } from '../cpu/unicorn.js';
import { SigQueue, SigSet, SS_DISABLE, type AltStack } from './signals.js';

/** How a parked thread's wait ended. */
export type WakeReason = 'woken' | 'timeout' | 'interrupted';

/** The syscall result a parked thread gets when it resumes. */
export interface Completion { value: bigint; value1?: bigint; errno?: number; restart?: boolean }

export interface Wait {
  /** What the thread waits on, for umtx wakes (a guest address) or other channels (any key). */
  channel?: unknown;
  /** Absolute deadline on the host monotonic clock (ns), if any. */
  deadline?: bigint;
  /** Computes the result from why the wait ended. */
  complete: (why: WakeReason) => Completion;
  /** Polled by the scheduler for waits on host events (descriptors): true when ready. */
  ready?: () => boolean;
  /**
   * Host descriptors this wait is about, with poll(2) events (POLLIN 1, POLLOUT 4): lets the idle loop
   * sleep in one host poll instead of polling `ready` on a timer.
   */
  hostFds?: { fd: number; events: number }[];
  /** A signal with SA_RESTART re-executes the syscall instead of failing it with EINTR. */
  restartable?: boolean;
}

export type ThreadState = 'runnable' | 'blocked' | 'exited';

export class Thread {
  state: ThreadState = 'runnable';
  wait?: Wait;
  /** Result to put in the registers before the thread next runs (after a blocking syscall). */
  completion?: Completion;
  ctx?: UcContext;
  /** Blocked signals (td_sigmask), thread-directed pending signals, the alternate stack (td_sigstk). */
  readonly mask = new SigSet();
  readonly pending = new SigQueue();
  /** sigsuspend/ppoll/pselect: the mask to restore once a handler returns (td_oldsigmask, TDP_OLDMASK). */
  oldMask?: Uint32Array;
  /** sigwait family: the set waited for; a matching signal completes the wait instead of a handler. */
  waitSet?: SigSet;
  /** Work to do on this thread's registers before it next runs (sigreturn), outside the syscall hook. */
  resume?: () => void;
  altstack: AltStack = { sp: 0n, size: 0n, flags: SS_DISABLE };
  name = '';
  /** thr_exit clears and wakes this word (the `state` argument). */
  exitWord = 0;

  constructor(readonly tid: number) {}
}

/** Host monotonic clock in ns. */
export const now = (): bigint => process.hrtime.bigint();

// Realtime: the host's wall clock, read once and carried forward on the monotonic clock, so both advance
// together at nanosecond resolution. Re-read when they drift apart by more than 50 ms (host clock set).
let realBase = BigInt(Date.now()) * 1000000n - process.hrtime.bigint();
export function realtimeNs(): bigint {
  const mono = process.hrtime.bigint();
  const t = realBase + mono;
  const wall = BigInt(Date.now()) * 1000000n;
  if (t - wall > 50000000n || wall - t > 50000000n) {
    realBase = wall - mono;
    return wall;
  }
  return t;
}


export class Scheduler {
  readonly threads = new Map<number, Thread>();
  current: Thread;
  private nextTid: number;
  private rr: Thread[] = [];
  /** Deadlines that are not a thread's (interval timers): the idle loop must wake for them too. */
  timerDeadline?: () => bigint | undefined;
  /** Set when the running thread must stop at once (blocked, yielded, exited). */
  switchRequested = false;

  constructor(private readonly cpu: Cpu, mainTid: number) {
    const main = new Thread(mainTid);
    this.threads.set(mainTid, main);
    this.rr.push(main);
    this.current = main;
    this.nextTid = mainTid + 1;
  }

  get live(): number {
    let n = 0;
    for (const t of this.threads.values()) if (t.state !== 'exited') n++;
    return n;
  }

  /** A new runnable thread whose registers start as a copy of the current ones, then `setup` edits. */
  spawn(setup: (ctx: UcContext) => void): Thread {
    const t = new Thread(this.nextTid++);
    const uc = this.cpu.uc;
    t.ctx = uc.contextAlloc();
    uc.contextSave(t.ctx);
    setup(t.ctx);
    this.threads.set(t.tid, t);
    this.rr.push(t);
    return t;
  }

  /** Park the running thread (called from inside the syscall hook); the CPU stops after the hook. */
  block(wait: Wait): void {
    const t = this.current;
    t.state = 'blocked';
    t.wait = wait;
    this.requestSwitch();
  }

  /** Let others run (sched_yield, or a slice that ended). */
  yieldNow(): void {
    this.requestSwitch();
  }

  /**
   * Stop the CPU after this syscall without giving up the thread's turn: the run loop then acts on the
   * thread (delivers a signal, applies sigreturn) and runs it again.
   */
  interruptCurrent(): void {
    this.keepTurn = true;
    this.cpu.uc.emuStop();
  }

  /** The last stop was interruptCurrent: the same thread goes on (not a slice end). */
  keepTurn = false;

  exitCurrent(): void {
    this.current.state = 'exited';
    this.requestSwitch();
  }

  private requestSwitch(): void {
    this.switchRequested = true;
    this.cpu.uc.emuStop();
  }

  /** Wake up to `count` threads waiting on `channel`; returns how many were woken. */
  wake(channel: unknown, count = Infinity): number {
    let n = 0;
    for (const t of this.rr) {
      if (n >= count) break;
      if (t.state === 'blocked' && t.wait?.channel === channel && channel !== undefined) {
        this.finish(t, 'woken');
        n++;
      }
    }
    return n;
  }

  /** End a thread's wait for `why`; it becomes runnable with its syscall result pending. */
  finish(t: Thread, why: WakeReason): void {
    const w = t.wait!;
    t.wait = undefined;
    t.completion = w.complete(why);
    t.state = 'runnable';
  }

  /** Times out expired waits and completes waits whose host event is ready. */
  poll(): void {
    const n = now();
    for (const t of this.rr) {
      if (t.state !== 'blocked' || !t.wait) continue;
      if (t.wait.ready?.()) {
        // A readiness check may itself have ended this wait (a host child reaped, a signal posted).
        if (t.state === 'blocked' && t.wait) this.finish(t, 'woken');
      }
      else if (t.wait.deadline !== undefined && t.wait.deadline <= n) this.finish(t, 'timeout');
    }
  }

  runnableCount(): number {
    let n = 0;
    for (const t of this.rr) if (t.state === 'runnable') n++;
    return n;
  }

  /** A vfork-style fork child runs alone on this thread until it execs or exits (src/kernel/spawn.ts). */
  pinned?: Thread;

  /** Round robin: the first runnable thread after the current one. */
  pickNext(): Thread | undefined {
    if (this.pinned) return this.pinned.state === 'runnable' ? this.pinned : undefined;
    const i = this.rr.indexOf(this.current);
    for (let k = 1; k <= this.rr.length; k++) {
      const t = this.rr[(i + k) % this.rr.length];
      if (t.state === 'runnable') return t;
    }
    return undefined;
  }

  /** Earliest deadline of a blocked thread, and whether any waits on host events. */
  nextEvent(): { deadline?: bigint; hostWaits: boolean } {
    let deadline: bigint | undefined = this.timerDeadline?.();
    let hostWaits = false;
    for (const t of this.rr) {
      if (t.state !== 'blocked' || !t.wait) continue;
      if (t.wait.ready) hostWaits = true;
      if (t.wait.deadline !== undefined && (deadline === undefined || t.wait.deadline < deadline)) deadline = t.wait.deadline;
    }
    return { deadline, hostWaits };
  }

  /** Makes `t` the thread on the CPU, saving the outgoing one's registers. */
  switchTo(t: Thread): void {
    if (t === this.current) return;
    const uc = this.cpu.uc;
    const cur = this.current;
    if (cur.state !== 'exited') {
      cur.ctx ??= uc.contextAlloc();
      uc.contextSave(cur.ctx);
    }
    uc.contextRestore(t.ctx!);
    this.current = t;
  }

  /** Drops exited threads' contexts. */
  reap(): void {
    for (const [tid, t] of this.threads) {
      if (t.state === 'exited' && t !== this.current) {
        if (t.ctx) this.cpu.uc.contextFree(t.ctx);
        this.threads.delete(tid);
        this.rr.splice(this.rr.indexOf(t), 1);
      }
    }
  }

}

/** Host sleep without spinning (the emulator has nothing else to do). */
const sleeper = new Int32Array(new SharedArrayBuffer(4));
export function hostSleepNs(ns: bigint): void {
  if (ns <= 0n) return;
  Atomics.wait(sleeper, 0, 0, Number(ns) / 1e6);
}
