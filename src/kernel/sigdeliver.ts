// Posting and delivering signals (sys/kern/kern_sig.c: tdsendsignal, postsig, sigexit, trapsignal).
// A signal is posted to a thread (or to the process, then to a thread that does not block it); a thread
// that waits in an interruptible syscall is woken; before a thread next runs, its deliverable signals are
// acted on: ignored, the default action, or a frame that enters the guest's handler.
import type { Process } from './process.js';
import {
  defaultAction, encodeSiginfo, SA_NODEFER, SA_ONSTACK, SA_RESETHAND, SA_RESTART, SA_SIGINFO, SIG, SIG_DFL,
  SS_DISABLE, SS_ONSTACK, type SigInfo,
} from './signals.js';
import type { Thread } from './threads.js';

/** Hooks other subsystems register (EVFILT_SIGNAL counts deliveries). */
export const signalObservers: ((proc: Process, sig: number) => void)[] = [];

/** The thread that takes a process-directed signal: the current one if it does not block it, else any. */
function pickThread(proc: Process, sig: number): Thread | undefined {
  const cur = proc.sched.current;
  const live = [...proc.sched.threads.values()].filter((t) => t.state !== 'exited');
  // A thread in sigwait for this signal takes it first (it usually blocks it).
  const waiter = live.find((t) => t.waitSet?.has(sig));
  if (waiter) return waiter;
  if (cur.state !== 'exited' && !cur.mask.has(sig)) return cur;
  return live.find((t) => !t.mask.has(sig));
}

/**
 * Posts `info.signo` to `target` (thread-directed) or to the process. Ignored signals are discarded;
 * a thread parked in an interruptible wait is woken (EINTR, or a restart under SA_RESTART).
 */
export function postSignal(proc: Process, info: SigInfo, target?: Thread): void {
  const sig = info.signo;
  const s = proc.signals;
  for (const f of signalObservers) f(proc, sig);
  if (sig !== SIG.SIGKILL && s.ignored(sig) && !(target ?? pickThread(proc, sig))?.waitSet?.has(sig)) return;
  if (sig === SIG.SIGKILL) {
    proc.killedBy(sig, false, proc.cpu.pc());
    return;
  }
  const t = target ?? pickThread(proc, sig);
  if (!t) {
    s.pending.push(info);
    return;
  }
  t.pending.push(info);
  if (t.state === 'blocked' && t.wait && (!t.mask.has(sig) || t.waitSet?.has(sig))) interrupt(proc, t, sig);
  // The running thread acts on it before it next executes guest code.
  if (t === proc.sched.current && t.state === 'runnable') proc.sched.interruptCurrent();
}

/** Ends a thread's interruptible wait because of `sig`. */
function interrupt(proc: Process, t: Thread, sig: number): void {
  const w = t.wait!;
  if (t.waitSet?.has(sig)) {
    proc.sched.finish(t, 'woken');
    return;
  }
  const restart = w.restartable && (proc.signals.actions[sig].flags & SA_RESTART) !== 0 && proc.signals.caught(sig);
  t.wait = undefined;
  t.completion = restart ? { value: 0n, restart: true } : w.complete('interrupted');
  t.state = 'runnable';
}

/** The next pending signal the thread can take (its own first, then the process's), or 0. */
function nextDeliverable(proc: Process, t: Thread): { sig: number; info: SigInfo } | undefined {
  let sig = t.pending.first(t.mask);
  if (sig) return { sig, info: t.pending.take(sig) };
  sig = proc.signals.pending.first(t.mask);
  if (sig) return { sig, info: proc.signals.pending.take(sig) };
  return undefined;
}

export function hasDeliverable(proc: Process, t: Thread): boolean {
  return t.pending.first(t.mask) !== 0 || proc.signals.pending.first(t.mask) !== 0;
}

/**
 * postsig for every deliverable signal of the thread now on the CPU. Returns false when the process
 * ended (default action, or a frame that could not be written).
 */
export function deliverSignals(proc: Process, t: Thread): boolean {
  for (let guard = 0; guard < 64; guard++) {
    const next = nextDeliverable(proc, t);
    if (!next) break;
    const { sig, info } = next;
    const s = proc.signals;
    const act = s.actions[sig];
    if (s.ignored(sig)) continue;
    if (act.handler === SIG_DFL) {
      const d = defaultAction(sig);
      if (d === 'term' || d === 'core') {
        proc.killedBy(sig, d === 'core', proc.cpu.pc());
        return false;
      }
      if (d === 'stop') process.kill(process.pid, 'SIGSTOP');
      continue;
    }
    if (!enterHandler(proc, t, sig, info)) return false;
  }
  return true;
}

function enterHandler(proc: Process, t: Thread, sig: number, info: SigInfo): boolean {
  const cpu = proc.cpu;
  const act = proc.signals.actions[sig];
  const sp = cpu.sp();
  const alt = t.altstack;
  const altOn = (alt.flags & SS_DISABLE) === 0;
  const onStack = altOn && sp >= alt.sp && sp - alt.sp < alt.size;
  const useAlt = altOn && !onStack && (act.flags & SA_ONSTACK) !== 0;
  const oldMask = t.oldMask ?? t.mask.w.slice();
  t.oldMask = undefined;
  try {
    cpu.sendSignal(proc.mem, {
      sig, handler: act.handler, siginfo: (act.flags & SA_SIGINFO) !== 0, info: encodeSiginfo({ ...info, signo: sig }),
      code: info.code, addr: info.addr ?? 0n, oldMask,
      stack: { sp: alt.sp, size: alt.size, flags: altOn ? (onStack ? SS_ONSTACK : 0) : SS_DISABLE },
      onStack, altTop: useAlt ? alt.sp + alt.size : undefined, sigcode: BigInt(cpu.info.sharedPage),
    });
  } catch {
    // sendsig: an unwritable stack kills the process with SIGILL.
    proc.killedBy(SIG.SIGILL, true, cpu.pc());
    return false;
  }
  // The handler runs with its sa_mask and (unless SA_NODEFER) the signal itself blocked.
  const m = t.mask.w;
  for (let i = 0; i < 4; i++) m[i] |= act.mask[i];
  if (!(act.flags & SA_NODEFER)) t.mask.add(sig);
  t.mask.sanitize();
  if (act.flags & SA_RESETHAND) {
    proc.signals.actions[sig] = { handler: SIG_DFL, flags: act.flags & ~SA_SIGINFO, mask: act.mask };
  }
  return true;
}

/**
 * A synchronous trap (trapsignal): delivered at once to the faulting thread when caught and not blocked;
 * otherwise the default action, even for an ignored or blocked signal (the process cannot go on).
 */
export function trapSignal(proc: Process, info: SigInfo): void {
  const t = proc.sched.current;
  const sig = info.signo;
  if (proc.signals.caught(sig) && !t.mask.has(sig)) {
    t.pending.push(info);
    deliverSignals(proc, t);
    return;
  }
  proc.killedBy(sig, defaultAction(sig) === 'core' || defaultAction(sig) === 'term', proc.cpu.pc());
}
