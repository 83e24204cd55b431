// The run loop: pick a runnable thread, run it on the CPU until it blocks, yields, faults, exits or its
// time slice ends; serve syscalls inside the hook; turn CPU faults into FreeBSD signals; end with the
// guest's exit status.
import type { CpuFault } from '../cpu/arch.js';
import { UcErr } from '../cpu/unicorn.js';
import { Dispatcher } from '../syscalls/dispatch.js';
import { buildTable } from '../syscalls/table.js';
import type { Process } from './process.js';
import { defaultAction, SIG, type SignalName } from './signals.js';
import { hostSleepNs, now, Scheduler } from './threads.js';

export function run(proc: Process): number {
  const cpu = proc.cpu;
  const sched = proc.sched;
  const dispatcher = new Dispatcher(proc, buildTable());
  cpu.onSyscall(dispatcher.onSyscall);
  let fault: CpuFault | undefined;
  cpu.onFault((f) => { fault ??= f; });

  for (;;) {
    sched.poll();
    let t = sched.current.state === 'runnable' && !sched.switchRequested ? sched.current : sched.pickNext();
    if (!t && sched.current.state === 'runnable') t = sched.current;
    if (!t) {
      if (!idle(proc)) break;
      continue;
    }
    sched.switchRequested = false;
    sched.switchTo(t);
    if (t.completion) {
      const r = t.completion;
      t.completion = undefined;
      cpu.completeSyscall(r.value, r.value1 ?? 0n, r.errno !== undefined);
    }
    fault = undefined;
    const slice = sched.runnableCount() > 1 ? Scheduler.SLICE_US : 0;
    const err = cpu.uc.emuStart(cpu.pc(), 0n, slice, 0);
    if (proc.exit) break;
    if (fault || err !== UcErr.OK) {
      deliverFault(proc, fault ?? faultFromError(err));
      if (proc.exit) break;
    }
    if (slice && !sched.switchRequested) sched.switchRequested = true; // slice over: rotate
    sched.reap();
  }
  return proc.hostExitCode();
}

/**
 * Nothing is runnable: sleep until the earliest deadline, or poll host events; with neither, every
 * thread waits forever — say so instead of hanging. Returns false when the process is over.
 */
function idle(proc: Process): boolean {
  const { deadline, hostWaits } = proc.sched.nextEvent();
  if (deadline === undefined && !hostWaits) {
    const n = proc.sched.live;
    proc.opts.warn(`bsdemu: deadlock: ${n === 1 ? 'the only thread is' : `all ${n} threads are`} blocked forever`);
    proc.exit = { code: 1 };
    return false;
  }
  const wait = deadline === undefined ? 1_000_000n : deadline - now();
  hostSleepNs(hostWaits && wait > 1_000_000n ? 1_000_000n : wait);
  return true;
}

function faultFromError(err: UcErr): CpuFault {
  switch (err) {
    case UcErr.INSN_INVALID: return { kind: 'insn', signal: 'SIGILL', code: 1 };
    case UcErr.READ_UNALIGNED: case UcErr.WRITE_UNALIGNED: case UcErr.FETCH_UNALIGNED:
      return { kind: 'insn', signal: 'SIGBUS', code: 1 };
    default: return { kind: 'insn', signal: 'SIGSEGV', code: 0 };
  }
}

/** A synchronous fault: SIGSEGV/SIGBUS from memory (which one, from the page table), or the trap's signal. */
function deliverFault(proc: Process, f: CpuFault): void {
  let sig: number;
  if (f.kind === 'mem') {
    const kind = proc.vm.faultKind(f.addr, f.access === 'write', f.access === 'exec');
    sig = kind.startsWith('BUS') ? SIG.SIGBUS : SIG.SIGSEGV;
  } else {
    sig = SIG[f.signal as SignalName];
  }
  // Delivery into guest handlers arrives with the signal-frame work; until then the default applies.
  proc.killedBy(sig, defaultAction(sig) === 'core', proc.cpu.pc());
}
