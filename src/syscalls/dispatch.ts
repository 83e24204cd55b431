// The syscall path: the CPU hook reads the number and arguments (one batch, or none where the CPU's
// registers are mapped: amd64/x86env.ts), the table names the handler, the result or errno goes back. Tracing work happens only when --strace is on.
import { Errno, E, ERESTART } from '../abi/errno.js';
import type { Process } from '../kernel/process.js';
import { SIG, defaultAction } from '../kernel/signals.js';
import { JUST_RETURN, type SyscallCtx, type SyscallDef } from './types.js';
import { formatCall, formatError, formatResult } from './strace.js';
import { freebsdSyscallName } from './names.js';

export class Dispatcher implements SyscallCtx {
  rv1: bigint | undefined;
  note?: string;
  readonly mem;
  private readonly trace?: (line: string) => void;

  constructor(readonly proc: Process, private readonly table: readonly (SyscallDef | undefined)[]) {
    this.mem = proc.mem;
    this.trace = proc.opts.strace;
  }

  /** The syscall hook. Must never throw into Unicorn. */
  readonly onSyscall = (): void => {
    const cpu = this.proc.cpu;
    const nr = cpu.syscallArgs();
    const a = cpu.args;
    const def = nr < this.table.length ? this.table[nr] : undefined;
    if (!def) {
      this.missing(nr, a);
      return;
    }
    this.rv1 = undefined;
    const callText = this.trace ? formatCall(def, a, this.mem) : '';
    try {
      const r = def.handler(this, a);
      if (r === JUST_RETURN) {
        if (this.trace) this.emit(def.ret === 'none' ? callText : `${callText} = JUSTRETURN`);
        return;
      }
      cpu.syscallReturn(r, this.rv1, false);
      if (this.trace) this.emit(callText + (def.ret === 'none' ? '' : formatResult(def, typeof r === 'bigint' ? r : BigInt(r))));
    } catch (e) {
      if (e instanceof Errno) {
        if (e.errno === ERESTART) {
          cpu.restartSyscall();
          if (this.trace) this.emit(`${callText} ERESTART`);
          return;
        }
        cpu.syscallReturn(e.errno, undefined, true);
        if (this.trace) this.emit(callText + formatError(e.errno));
        return;
      }
      this.internal(def.name, e);
    } finally {
      this.proc.timekeep?.update();
    }
  };

  private emit(line: string): void {
    this.trace!(this.note ? `${line} ${this.note}` : line);
    this.note = undefined;
  }

  /**
   * A number without a handler. FreeBSD's own nosys (a number the kernel does not have) sends SIGSYS,
   * and returns ENOSYS when SIGSYS is ignored or caught; a number FreeBSD has that bsdemu lacks returns
   * ENOSYS quietly, since programs probe for newer syscalls and fall back.
   */
  private missing(nr: number, a: BigUint64Array): void {
    const proc = this.proc;
    const name = freebsdSyscallName(nr);
    const label = name ?? `#${nr}`;
    if (this.trace) this.emit(`${label}(${Array.from(a.subarray(0, 6), (x) => '0x' + x.toString(16)).join(',')})` + formatError(E.ENOSYS));
    if (proc.opts.debug.has('unimp') && !proc.unimpReported.has(nr)) {
      proc.unimpReported.add(nr);
      proc.opts.warn(`bsdemu: unimplemented syscall ${label} (${nr})`);
    }
    if (name === undefined && !proc.signals.ignored(SIG.SIGSYS) && !proc.signals.caught(SIG.SIGSYS)
      && defaultAction(SIG.SIGSYS) === 'core') {
      proc.killedBy(SIG.SIGSYS, true, proc.cpu.pc()); // in the hook, pc is the syscall instruction
      return;
    }
    proc.cpu.syscallReturn(E.ENOSYS, undefined, true);
  }

  /** A JavaScript error inside a handler is a bsdemu bug: say so once, fail the call with EIO. */
  private internal(name: string, e: unknown): void {
    const msg = `bsdemu: internal error in ${name}: ${(e as Error)?.message ?? String(e)}`;
    if (!this.proc.internalErrors.has(msg)) {
      this.proc.internalErrors.add(msg);
      this.proc.opts.warn(msg);
      if (this.proc.opts.debug.has('stack')) this.proc.opts.warn(String((e as Error)?.stack));
    }
    this.proc.cpu.syscallReturn(E.EIO, undefined, true);
  }
}
