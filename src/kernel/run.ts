// The run loop: pick a runnable thread, run it on the CPU until it blocks, yields, faults, exits or its
// time slice ends; serve syscalls inside the hook; turn CPU faults into FreeBSD signals; end with the
// guest's exit status.
import type { CpuFault } from '../cpu/arch.js';
import { UcErr } from '../cpu/unicorn.js';
import { Dispatcher } from '../syscalls/dispatch.js';
import { buildTable } from '../syscalls/table.js';
import type { Process } from './process.js';
import { BUS_ADRERR, BUS_OBJERR, SEGV_ACCERR, SEGV_MAPERR, SI, SIG, type SignalName } from './signals.js';
import { hostSleepNs, now } from './threads.js';
import { hostPoll, type HostPollFd } from '../host/poll.js';
import { deliverSignals, hasDeliverable, postSignal, trapSignal } from './sigdeliver.js';
import { Watchdog } from './watchdog.js';

/** Host signals forwarded to the guest (by name: numbers differ between Linux and FreeBSD). */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGWINCH', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGCONT'] as const;
/** A run with other threads runnable gets this many ms before the next one's turn. */
const SLICE_MS = 10;
/** A lone thread still returns to the event loop this often, so host signals get through. */
const LONE_SLICE_MS = 50;

export async function run(proc: Process): Promise<number> {
  const cpu = proc.cpu;
  const sched = proc.sched;
  const dispatcher = new Dispatcher(proc, buildTable());
  cpu.onSyscall(dispatcher.onSyscall);
  let fault: CpuFault | undefined;
  cpu.onFault((f) => { fault ??= f; });
  // Before any code is translated: no exit checks inside blocks where Unicorn allows it (faster code,
  // and the watchdog can stop the CPU from its own thread).
  cpu.uc.disableMidBlockExits();
  const listeners = FORWARDED.map((name) => {
    const fn = () => postSignal(proc, { signo: SIG[name], code: SI.USER });
    process.on(name, fn);
    return [name, fn] as const;
  });
  // The watchdog: a host thread that stops the CPU itself where Unicorn allows it (Unicorn.asyncStop):
  // then it starts with the program. Otherwise it arms a block hook, which costs a call per translated
  // block (~5–10% of C compute, up to ~40% of Go's short blocks) and, started later, drops the code
  // translated so far: then only programs that need it pay (several threads, or a run long enough that
  // host signals must get through a compute loop).
  const traceSched = proc.opts.debug.has('sched');
  const newWatchdog = () => {
    const w = new Watchdog(cpu.uc, () => proc.vm.invalidateCode(), traceSched);
    const ticks = w.ticks();
    if (ticks) proc.timekeep?.useTicks(ticks); // a cheap clock for the timekeep's checks
    return w;
  };
  const eager = Watchdog.cheap && cpu.uc.asyncStop() !== undefined;
  let watchdog: Watchdog | undefined = eager ? newWatchdog() : undefined;
  const started = Date.now();
  let lastYield = started;
  /** The thread whose turn it is, and when the turn began. */
  let turnOf: unknown;
  let turnStart = started;

  try {
    for (;;) {
      // Let the event loop run now and then: host signals arrive through it.
      if (Date.now() - lastYield >= LONE_SLICE_MS) {
        await new Promise((r) => setImmediate(r));
        lastYield = Date.now();
        if (proc.exit) break;
      }
      proc.itimers.fire(proc);
      sched.poll();
      let t = sched.current.state === 'runnable' && !sched.switchRequested ? sched.current : sched.pickNext();
      if (!t && sched.current.state === 'runnable') t = sched.current;
      if (!t) {
        if (!idle(proc)) break;
        await new Promise((r) => setImmediate(r));
        lastYield = Date.now();
        continue;
      }
      sched.switchRequested = false;
      if (t !== turnOf) { turnOf = t; turnStart = Date.now(); }
      sched.switchTo(t);
      if (t.resume) {
        const r = t.resume;
        t.resume = undefined;
        r();
      }
      if (t.completion) {
        const r = t.completion;
        t.completion = undefined;
        if (r.restart) cpu.rewindSyscall();
        else cpu.completeSyscall(r.value, r.value1, r.errno !== undefined);
      }
      if (hasDeliverable(proc, t) && !deliverSignals(proc, t)) break;
      if (proc.exit) break;
      fault = undefined;
      if (!watchdog && (sched.threads.size > 1 || Date.now() - started > WATCHDOG_AFTER_MS)) watchdog = newWatchdog();
      // A turn spans the runs its thread keeps (signals to itself, sigreturn): the slice is the turn's.
      watchdog?.arm(Math.max(MIN_SLICE_MS, sliceMs(sched) - (Date.now() - turnStart)));
      if (proc.wantPrecisePc) cpu.uc.ensurePreciseFaultPc(() => proc.vm.invalidateCode());
      proc.timekeep?.update();
      const t0 = traceSched ? performance.now() : 0;
      const pc0 = traceSched ? cpu.pc() : 0n;
      const err = cpu.uc.emuStart(cpu.pc(), 0n, 0, 0);
      const preempted = watchdog?.disarm() ?? false;
      if (preempted) {
        // Unicorn syncs the pc of a stop at a block start only without a code hook (precise pcs).
        const at = watchdog!.stoppedAt();
        if (at !== undefined && err === UcErr.OK && !proc.exit) cpu.setPc(at);
      }
      if (traceSched) {
        const states = [...sched.threads.values()].map((x) => `${x.tid}:${x.state[0]}`).join(' ');
        proc.opts.warn(`[sched] ${t.tid} ${pc0.toString(16)}..${cpu.pc().toString(16)} ${(performance.now() - t0).toFixed(1)}ms` +
          `${preempted ? ' preempted' : ''}${err ? ` err=${err}` : ''} [${states}]`);
      }
      if (proc.exit) break;
      if (fault || err !== UcErr.OK) {
        deliverFault(proc, fault ?? faultFromError(err));
        if (proc.exit) break;
      }
      // A stop nobody asked for is the end of a slice: let the next runnable thread go. A stop to act on
      // the running thread itself (sigreturn, a signal to itself) keeps its turn.
      if (sched.keepTurn) {
        sched.keepTurn = false;
        // ...but not past its slice: a thread that signals itself in a loop must not starve the others.
        if (Date.now() - turnStart >= SLICE_MS && !sched.switchRequested && sched.runnableCount() > 1) {
          sched.switchRequested = true;
          turnOf = undefined;
        }
      } else {
        turnOf = undefined; // the next run is a new turn, even for the same thread
        if (!sched.switchRequested && sched.runnableCount() > 1) sched.switchRequested = true;
      }
      sched.reap();
    }
  } finally {
    for (const [name, fn] of listeners) process.off(name, fn);
    await watchdog?.close();
  }
  return proc.hostExitCode();
}

/** A single-threaded program gets the watchdog once it has run this long. */
const WATCHDOG_AFTER_MS = 200;

/** The shortest run: a thread always gets this long, so it can reach a point where it can be preempted. */
const MIN_SLICE_MS = 2;

/** How long the next run may last: a slice, cut short (not below the minimum) by a parked thread's timeout. */
function sliceMs(sched: Process['sched']): number {
  let ms = sched.runnableCount() > 1 ? SLICE_MS : LONE_SLICE_MS;
  const { deadline } = sched.nextEvent();
  if (deadline !== undefined) ms = Math.max(MIN_SLICE_MS, Math.min(ms, Number(deadline - now()) / 1e6));
  return ms;
}

/**
 * Nothing is runnable: sleep in one host poll over every parked thread's host descriptors, until the
 * earliest deadline, at most IDLE_CAP_NS so the event loop (host signals) gets its turn. Waits that can
 * only be checked through `ready()` (no `hostFds`) are re-checked every millisecond. With no deadline,
 * no descriptor and no such wait, nothing can ever wake a thread: say so instead of hanging. Returns
 * false when the process is over.
 */
function idle(proc: Process): boolean {
  const sched = proc.sched;
  const { deadline } = sched.nextEvent();
  const fds: HostPollFd[] = [];
  let polled = false;
  for (const t of sched.threads.values()) {
    if (t.state !== 'blocked' || !t.wait) continue;
    const hostFds = t.wait.hostFds;
    if (hostFds) fds.push(...hostFds);
    else if (t.wait.ready) polled = true;
  }
  if (deadline === undefined && fds.length === 0 && !polled) {
    const n = sched.live;
    proc.opts.warn(`bsdemu: deadlock: ${n === 1 ? 'the only thread is' : `all ${n} threads are`} blocked forever`);
    proc.exit = { code: 1 };
    return false;
  }
  const cap = polled ? 1_000_000n : IDLE_CAP_NS;
  let wait = deadline === undefined ? cap : deadline - now();
  if (wait > cap) wait = cap;
  if (wait <= 0n) return true;
  if (fds.length) hostPoll(fds, Math.ceil(Number(wait) / 1e6));
  else hostSleepNs(wait);
  return true;
}
const IDLE_CAP_NS = 50_000_000n;

function faultFromError(err: UcErr): CpuFault {
  switch (err) {
    case UcErr.INSN_INVALID: return { kind: 'insn', signal: 'SIGILL', code: 1 };
    case UcErr.READ_UNALIGNED: case UcErr.WRITE_UNALIGNED: case UcErr.FETCH_UNALIGNED:
      return { kind: 'insn', signal: 'SIGBUS', code: 1 };
    default: return { kind: 'insn', signal: 'SIGSEGV', code: 0 };
  }
}

/** A synchronous fault: SIGSEGV/SIGBUS from memory (which, and its si_code, from the page table), or the trap's signal. */
function deliverFault(proc: Process, f: CpuFault): void {
  const pc = proc.cpu.pc();
  if (f.kind === 'mem') {
    const kind = proc.vm.faultKind(f.addr, f.access === 'write', f.access === 'exec');
    const signo = kind.startsWith('BUS') ? SIG.SIGBUS : SIG.SIGSEGV;
    const code = kind === 'SEGV_MAPERR' ? SEGV_MAPERR : kind === 'SEGV_ACCERR' ? SEGV_ACCERR
      : kind === 'BUS_OBJERR' ? BUS_OBJERR : BUS_ADRERR;
    // T_PAGEFLT (12): si_trapno as FreeBSD's trap() reports it.
    trapSignal(proc, { signo, code, addr: BigInt(f.addr), trapno: 12 });
  } else {
    trapSignal(proc, { signo: SIG[f.signal as SignalName], code: f.code, addr: pc });
  }
}
