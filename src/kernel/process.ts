// The emulated process: its CPU, address space, descriptors, credentials, signal state and exit status.
// Plain state that a later fork (host fork or a re-exec'd emulator) can carry.
import type { Timekeep } from './timekeep.js';
import { availableParallelism, cpus } from 'node:os';
import type { Cpu } from '../cpu/arch.js';
import type { AddressSpaceApi } from '../mmap/api.js';
import { FdTable, type OpenFile } from './fdtable.js';
import { SIG, SignalState, signalName } from './signals.js';
import { PathMap } from './paths.js';
import { Scheduler } from './threads.js';
import { ITimers } from './itimers.js';

export interface ProcessOptions {
  sysroot?: string;
  /** One line per syscall goes here when tracing. */
  strace?: (line: string) => void;
  debug: Set<string>;
  stackSize: number;
  /** Emulator diagnostics (one line each). */
  warn: (line: string) => void;
}

export type ExitStatus = { code: number; signal?: undefined } | { signal: number; code?: undefined; core: boolean; pc: bigint };

/** FreeBSD 14.1, used consistently in AT_OSRELDATE, kern.osreldate and kern.osrelease. */
export const OSRELDATE = 1401000;
export const OSRELEASE = '14.1-RELEASE';

export class Process {
  readonly pid = process.pid;
  /** Thread ids start above PID_MAX (sys/sys/proc.h: PID_MAX 99999, NO_PID 100000). */
  readonly mainTid = 100001;
  readonly ppid = process.ppid;
  /**
   * Credentials (struct ucred: real, effective, saved ids, supplementary groups, login name). They start as
   * the host's and are then emulated (src/syscalls/cred.ts): set*id changes them here only, never the
   * host's, so file access stays the host user's.
   */
  uid = process.getuid?.() ?? 0;
  euid = process.geteuid?.() ?? 0;
  suid = this.euid;
  gid = process.getgid?.() ?? 0;
  egid = process.getegid?.() ?? 0;
  sgid = this.egid;
  /** Supplementary groups set by setgroups (undefined: the host's). */
  groups?: number[];
  /** setlogin(2) name (undefined: the host login name). */
  login?: string;
  readonly ncpus = Math.max(1, typeof availableParallelism === 'function' ? availableParallelism() : cpus().length);
  readonly fds = new FdTable();
  readonly signals = new SignalState();
  readonly paths: PathMap;
  umask = 0o022;
  /** Program break: base = start of the data segment (vm_daddr), cur = the page-rounded break. */
  brk = { base: 0, cur: 0 };
  execPath = '';
  argv: string[] = [];
  envp: string[] = [];
  /** Addresses the loader chose (ps_strings, stack) for sysctls. */
  psStrings = 0;
  stackTop = 0;
  stackSize = 0;
  /** Resource limits (RLIMIT_*) as [cur, max] pairs, kept for getrlimit/setrlimit. */
  readonly rlimits = new Map<number, [bigint, bigint]>();
  exit?: ExitStatus;
  /** Syscalls already reported as unimplemented (-d unimp reports each once). */
  readonly unimpReported = new Set<number>();
  /** The timekeep structure the guest reads its clock from (AT_TIMEKEEP), when there is one. */
  timekeep?: Timekeep;
  /** The guest catches a fault signal: the run loop makes fault pcs precise (Unicorn.ensurePreciseFaultPc). */
  wantPrecisePc = false;
  /** A host-side error during a syscall the emulator did not expect; reported once each. */
  readonly internalErrors = new Set<string>();

  readonly sched: Scheduler;
  readonly itimers = new ITimers();

  constructor(readonly cpu: Cpu, readonly vm: AddressSpaceApi, readonly opts: ProcessOptions) {
    this.paths = new PathMap(opts.sysroot);
    this.sched = new Scheduler(cpu, this.mainTid);
    this.sched.timerDeadline = () => this.itimers.nextDeadline();
  }

  get mem(): AddressSpaceApi { return this.vm; }

  /** Adopt the emulator's own stdin/stdout/stderr as guest descriptors 0-2. */
  inheritStdio(kindOf: (hostFd: number) => OpenFile['kind'], flagsOf: (hostFd: number) => number): void {
    for (const fd of [0, 1, 2]) {
      try {
        const file: OpenFile = { hostFd: fd, flags: flagsOf(fd), kind: kindOf(fd), refs: 1, keepOpen: true };
        this.fds.installAt(fd, file, false);
      } catch { /* closed on the host: closed for the guest too */ }
    }
  }

  /** The guest called exit(2): stop the CPU and remember the status. */
  exitWith(code: number): void {
    this.exit = { code: code & 0xff };
    this.cpu.uc.emuStop();
  }

  /** The guest dies of a signal (default action): report like a shell would. */
  killedBy(sig: number, core: boolean, pc: bigint): void {
    this.exit = { signal: sig, core, pc };
    this.cpu.uc.emuStop();
  }

  describeExit(): string | undefined {
    const e = this.exit;
    // Like a shell, stay quiet about SIGPIPE (how `prog | head` normally ends) and SIGINT (Ctrl-C).
    if (!e || e.signal === undefined || e.signal === SIG.SIGPIPE || e.signal === SIG.SIGINT) return undefined;
    return `bsdemu: guest terminated by signal ${e.signal} (${signalName(e.signal)}) at pc 0x${e.pc.toString(16)}`;
  }

  /** Host exit code for the emulator: the guest's status, or 128+N after a fatal signal. */
  hostExitCode(): number {
    const e = this.exit;
    if (!e) return 0;
    return e.signal !== undefined ? 128 + e.signal : e.code;
  }
}
