// One Arch per guest architecture: everything register- or ABI-shaped lives behind this interface, so
// nothing outside src/cpu/<arch> knows a register name.
import type { TimekeepCounter } from '../kernel/timekeep.js';
import type { Unicorn } from './unicorn.js';
import type { GuestMemory } from '../mmap/api.js';

/** Static facts of a guest architecture (FreeBSD's sys/<arch>/include/vmparam.h, elf.h). */
export interface ArchInfo {
  readonly name: 'amd64' | 'aarch64';
  readonly elfMachine: number;
  /** hw.machine and hw.machine_arch */
  readonly machine: string;
  readonly machineArch: string;
  readonly pageSize: number;
  /** hw.pagesizes / AT_PAGESIZES */
  readonly pageSizes: readonly number[];
  /** VM_MAXUSER_ADDRESS: first address past user space. */
  readonly maxUserAddress: number;
  /** USRSTACK: top of the initial stack; the shared page starts here. */
  readonly usrStack: number;
  readonly sharedPage: number;
  readonly sharedPageSize: number;
  /** Load bias of a static PIE (ET_DYN without PT_INTERP). */
  readonly etDynBase: number;
  /** Default and maximum data-segment size (RLIMIT_DATA), stack size (RLIMIT_STACK). */
  readonly maxDataSize: number;
  readonly defaultStackSize: number;
  readonly maxStackSize: number;
  /** MINSIGSTKSZ (sigaltstack's smallest stack). */
  readonly minSigStackSize: number;
  /** Signal trampoline machine code, placed at the start of the shared page. */
  readonly sigcode: Uint8Array;
  /** AT_HWCAP / AT_HWCAP2 when the architecture has them. */
  readonly hwcap?: number;
  readonly hwcap2?: number;
  /** The counter the guest's clock readers use with AT_TIMEKEEP (src/kernel/timekeep.ts). */
  readonly timekeepCounter?: TimekeepCounter;
}

/** What sendsig needs to build a frame (machine-independent part). */
export interface SignalFrame {
  sig: number;
  handler: bigint;
  /** SA_SIGINFO: pass &siginfo, else the old-style code. */
  siginfo: boolean;
  info: Buffer;
  code: number;
  addr: bigint;
  /** Mask restored by sigreturn. */
  oldMask: Uint32Array;
  /** uc_stack as reported to the handler. */
  stack: { sp: bigint; size: bigint; flags: number };
  /** The thread was already on its alternate stack. */
  onStack: boolean;
  /** Deliver on the alternate stack: its top. */
  altTop?: bigint;
  /** The trampoline's address (shared page). */
  sigcode: bigint;
}

/** Where a stop of the CPU came from, as the run loop sees it. */
export type CpuFault =
  | { kind: 'mem'; signal: 'SIGSEGV' | 'SIGBUS'; addr: number; access: 'read' | 'write' | 'exec' }
  | { kind: 'insn'; signal: 'SIGILL' | 'SIGFPE' | 'SIGTRAP' | 'SIGSEGV' | 'SIGBUS'; code: number };

/** A live CPU of one architecture over a Unicorn instance. */
export interface Cpu {
  readonly info: ArchInfo;
  readonly uc: Unicorn;
  /**
   * Reads the syscall number and eight argument words in one batch, applying the indirect forms
   * syscall(0) and __syscall(198) (the real number is the first argument). Returns the number (a
   * u_int, as FreeBSD's sa->code); the arguments are then in `args` (a fixed array, overwritten by the
   * next call).
   */
  syscallArgs(): number;
  readonly args: BigUint64Array;
  /**
   * Sets the success or error result (FreeBSD: error = carry flag + positive errno). `v1` is the
   * second result word; undefined leaves what FreeBSD starts td_retval[1] from (the caller's rdx on
   * amd64, so it comes back unchanged; 0 on arm64).
   */
  syscallReturn(v0: number | bigint, v1: bigint | undefined, error: boolean): void;
  /** Sets a syscall result outside the hook (a parked thread resuming); v1 undefined keeps rdx/x1. */
  completeSyscall(v0: bigint, v1: bigint | undefined, error: boolean): void;
  /** From inside the syscall hook: make the syscall instruction execute again (ERESTART). */
  restartSyscall(): void;
  /** Installs the syscall hook. */
  onSyscall(fn: () => void): void;
  /** Installs the fault hooks; `fn` is called once per fault with what happened. */
  onFault(fn: (f: CpuFault) => void): void;
  /** Registers at exec: FreeBSD's exec_setregs. */
  setEntryState(entry: number, stack: number): void;
  /** The program counter; inside the syscall hook, the address of the syscall instruction. */
  pc(): bigint;
  setPc(pc: bigint): void;
  sp(): bigint;
  setSp(sp: bigint): void;
  /** Thread pointer (amd64 FS base, arm64 TPIDR_EL0). */
  tlsBase(): bigint;
  setTlsBase(v: bigint): void;
  /**
   * Registers of a new thread (thr_new), edited in its saved context: stack pointer as FreeBSD's
   * cpu_set_upcall sets it, pc = start, first argument = arg, TLS base.
   */
  setupThread(ctx: import('./unicorn.js').UcContext, start: bigint, arg: bigint, stackBase: bigint, stackSize: bigint, tls: bigint | undefined): void;
  /** Outside the hook: move the pc back onto the syscall instruction (restart after a signal). */
  rewindSyscall(): void;
  /**
   * sendsig: builds the signal frame below the stack pointer (or at the top of the alternate stack) from
   * the current registers and points the CPU at the trampoline with the handler's arguments. Throws
   * Errno(EFAULT) when the frame cannot be written.
   */
  sendSignal(mem: GuestMemory, f: SignalFrame): void;
  /** sigreturn: restores the registers from the ucontext at `ucp`; returns the signal mask to install. */
  sigreturn(mem: GuestMemory, ucp: number): Uint32Array;
  /** Machine-specific sysarch(2); returns undefined for an unknown op (EINVAL). */
  sysarch?(op: number, parm: number, mem: GuestMemory): number | undefined;
}
