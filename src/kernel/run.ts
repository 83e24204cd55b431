// The run loop: start the CPU, serve syscalls inside the hook, turn CPU faults into FreeBSD signals, and
// end with the guest's exit status.
import type { CpuFault } from '../cpu/arch.js';
import { UcErr } from '../cpu/unicorn.js';
import { Dispatcher } from '../syscalls/dispatch.js';
import { buildTable } from '../syscalls/table.js';
import type { Process } from './process.js';
import { defaultAction, SIG, type SignalName } from './signals.js';
import { signalSelf } from '../syscalls/proc.js';

export function run(proc: Process): number {
  const cpu = proc.cpu;
  const dispatcher = new Dispatcher(proc, buildTable());
  cpu.onSyscall(dispatcher.onSyscall);
  let fault: CpuFault | undefined;
  cpu.onFault((f) => { fault ??= f; });

  let pc = cpu.pc();
  for (;;) {
    fault = undefined;
    const err = cpu.uc.emuStart(pc);
    if (proc.exit) break;
    if (fault || err !== UcErr.OK) {
      deliverFault(proc, fault ?? faultFromError(err));
      if (proc.exit) break;
    }
    pc = cpu.pc();
  }
  return proc.hostExitCode();
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
  // A blocked or ignored synchronous fault signal still kills (FreeBSD trapsignal resets it to default).
  if (proc.signals.caught(sig) && !proc.signals.mask.has(sig)) {
    signalSelf(proc, sig);
    // Delivery into guest handlers arrives with the signal-frame work; until then the default applies.
  }
  proc.killedBy(sig, defaultAction(sig) === 'core', proc.cpu.pc());
}
