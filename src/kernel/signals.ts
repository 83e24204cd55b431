// FreeBSD signal numbers and names (sys/sys/signal.h) and the per-process signal state.
export const SIG = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGEMT: 7, SIGFPE: 8,
  SIGKILL: 9, SIGBUS: 10, SIGSEGV: 11, SIGSYS: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGURG: 16,
  SIGSTOP: 17, SIGTSTP: 18, SIGCONT: 19, SIGCHLD: 20, SIGTTIN: 21, SIGTTOU: 22, SIGIO: 23,
  SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGINFO: 29, SIGUSR1: 30,
  SIGUSR2: 31, SIGTHR: 32, SIGLIBRT: 33,
} as const;
export type SignalName = keyof typeof SIG;
export const SIGRTMIN = 65;
export const SIGRTMAX = 126;
/** _SIG_MAXSIG */
export const NSIG = 128;

const NAMES: string[] = [];
for (const [k, v] of Object.entries(SIG)) NAMES[v] = k;
export function signalName(n: number): string {
  if (NAMES[n]) return NAMES[n];
  if (n >= SIGRTMIN && n <= SIGRTMAX) return n === SIGRTMIN ? 'SIGRTMIN' : `SIGRTMIN+${n - SIGRTMIN}`;
  return `signal ${n}`;
}

// sys/sys/signal.h
export const SIG_DFL = 0n;
export const SIG_IGN = 1n;
export const SA_ONSTACK = 0x1, SA_RESTART = 0x2, SA_RESETHAND = 0x4, SA_NOCLDSTOP = 0x8, SA_NODEFER = 0x10,
  SA_NOCLDWAIT = 0x20, SA_SIGINFO = 0x40;
export const SS_ONSTACK = 0x1, SS_DISABLE = 0x4;

/** Default action of each signal (kern_sig.c sigproptbl). */
export type DefaultAction = 'term' | 'core' | 'ignore' | 'stop' | 'cont';
export function defaultAction(sig: number): DefaultAction {
  switch (sig) {
    case SIG.SIGQUIT: case SIG.SIGILL: case SIG.SIGTRAP: case SIG.SIGABRT: case SIG.SIGEMT: case SIG.SIGFPE:
    case SIG.SIGBUS: case SIG.SIGSEGV: case SIG.SIGSYS: case SIG.SIGXCPU: case SIG.SIGXFSZ:
      return 'core';
    case SIG.SIGURG: case SIG.SIGCHLD: case SIG.SIGIO: case SIG.SIGWINCH: case SIG.SIGINFO: case SIG.SIGTHR:
    case SIG.SIGLIBRT:
      return 'ignore';
    case SIG.SIGSTOP: case SIG.SIGTSTP: case SIG.SIGTTIN: case SIG.SIGTTOU:
      return 'stop';
    case SIG.SIGCONT:
      return 'cont';
    default:
      return 'term';
  }
}

export interface SigAction {
  handler: bigint;
  flags: number;
  /** sigset_t as four 32-bit words (sys/sys/_sigset.h). */
  mask: Uint32Array;
}

/** A 128-bit signal set; bit (sig-1). */
export class SigSet {
  readonly w = new Uint32Array(4);
  has(sig: number): boolean { return (this.w[(sig - 1) >> 5] & (1 << ((sig - 1) & 31))) !== 0; }
  add(sig: number): void { this.w[(sig - 1) >> 5] |= 1 << ((sig - 1) & 31); }
  del(sig: number): void { this.w[(sig - 1) >> 5] &= ~(1 << ((sig - 1) & 31)); }
  set(words: ArrayLike<number>): void { for (let i = 0; i < 4; i++) this.w[i] = words[i] >>> 0; }
  /** SIGKILL and SIGSTOP can never be blocked. */
  sanitize(): void { this.del(SIG.SIGKILL); this.del(SIG.SIGSTOP); }
}

/** siginfo_t contents (sys/sys/signal.h); encoded by the architecture's frame code. */
export interface SigInfo {
  signo: number;
  code: number;
  errno?: number;
  pid?: number;
  uid?: number;
  status?: number;
  addr?: bigint;
  value?: bigint;
  /** _fault._trapno / _timer._timerid, the first word of the reason union. */
  trapno?: number;
}

// si_code values (sys/sys/signal.h).
export const SI = { NOINFO: 0, USER: 0x10001, QUEUE: 0x10002, TIMER: 0x10003, ASYNCIO: 0x10004, MESGQ: 0x10005,
  KERNEL: 0x10006, LWP: 0x10007 } as const;
export const SEGV_MAPERR = 1, SEGV_ACCERR = 2, BUS_ADRALN = 1, BUS_ADRERR = 2, BUS_OBJERR = 3;

/** Pending signals with their siginfo: one instance of a classic signal, a queue of a real-time one. */
export class SigQueue extends SigSet {
  private readonly infos = new Map<number, SigInfo[]>();

  push(info: SigInfo): void {
    const sig = info.signo;
    const q = this.infos.get(sig);
    if (!q) this.infos.set(sig, [info]);
    else if (sig >= SIGRTMIN) q.push(info);
    this.add(sig);
  }

  /** Removes and returns one pending instance of `sig`. */
  take(sig: number): SigInfo {
    const q = this.infos.get(sig);
    const info = q?.shift() ?? { signo: sig, code: SI.NOINFO };
    if (!q || q.length === 0) { this.infos.delete(sig); this.del(sig); }
    return info;
  }

  /** Lowest pending signal not in `mask` (and in `only`, when given), or 0. */
  first(mask: SigSet | undefined, only?: SigSet): number {
    for (let i = 0; i < 4; i++) {
      let bits = this.w[i] & ~(mask ? mask.w[i] : 0) & (only ? only.w[i] : 0xffffffff);
      if (bits === 0) continue;
      bits >>>= 0;
      let b = 0;
      while (!(bits & (1 << b))) b++;
      return i * 32 + b + 1;
    }
    return 0;
  }

  drop(sig: number): void { this.infos.delete(sig); this.del(sig); }
}

export class SignalState {
  readonly actions: SigAction[] = [];
  /** Signals sent to the process that no thread could take yet (all threads block them). */
  readonly pending = new SigQueue();

  constructor() {
    for (let i = 0; i <= NSIG; i++) this.actions.push({ handler: SIG_DFL, flags: 0, mask: new Uint32Array(4) });
  }

  /** Is the signal's disposition "ignore" (explicitly, or by default)? */
  ignored(sig: number): boolean {
    const a = this.actions[sig];
    return a.handler === SIG_IGN || (a.handler === SIG_DFL && defaultAction(sig) === 'ignore');
  }

  caught(sig: number): boolean {
    const h = this.actions[sig].handler;
    return h !== SIG_DFL && h !== SIG_IGN;
  }
}

// ---- State operations used by the signal syscalls (sigaction, sigprocmask, sigaltstack, sigpending) ----

/** sa_flags bits kern_sigaction accepts (sys/kern/kern_sig.c); anything else is EINVAL. */
export const SA_ALLOWED = SA_ONSTACK | SA_RESTART | SA_RESETHAND | SA_NOCLDSTOP | SA_NODEFER | SA_NOCLDWAIT
  | SA_SIGINFO;
export const SIG_BLOCK = 1, SIG_UNBLOCK = 2, SIG_SETMASK = 3;

/** _SIG_VALID: 1..128. */
export const sigValid = (sig: number): boolean => sig > 0 && sig <= NSIG;

/** struct sigaction (LP64): handler u64 @0, sa_flags i32 @8, sa_mask 4×u32 @12; 32 bytes. */
export const SIGACTION_SIZE = 32;
export function encodeSigaction(a: SigAction): Buffer {
  const b = Buffer.alloc(SIGACTION_SIZE);
  b.writeBigUInt64LE(a.handler, 0);
  b.writeInt32LE(a.flags | 0, 8);
  for (let i = 0; i < 4; i++) b.writeUInt32LE(a.mask[i] >>> 0, 12 + i * 4);
  return b;
}
export function decodeSigaction(b: Uint8Array): SigAction {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const mask = new Uint32Array(4);
  for (let i = 0; i < 4; i++) mask[i] = buf.readUInt32LE(12 + i * 4);
  return { handler: buf.readBigUInt64LE(0), flags: buf.readInt32LE(8), mask };
}

/** sigset_t: four little-endian u32 words. */
export function encodeSigset(w: Uint32Array): Buffer {
  const b = Buffer.alloc(16);
  for (let i = 0; i < 4; i++) b.writeUInt32LE(w[i] >>> 0, i * 4);
  return b;
}
export function decodeSigset(b: Uint8Array): Uint32Array {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const w = new Uint32Array(4);
  for (let i = 0; i < 4; i++) w[i] = buf.readUInt32LE(i * 4);
  return w;
}

/** stack_t (LP64): ss_sp u64 @0, ss_size u64 @8, ss_flags i32 @16; 24 bytes. */
export const STACK_T_SIZE = 24;

export class SignalError extends Error {
  constructor(readonly code: 'EINVAL' | 'ENOMEM' | 'EPERM') { super(code); }
}

/**
 * kern_sigaction: read the old action, then install the new one. SIGKILL/SIGSTOP may be read and set to
 * SIG_DFL, nothing else. SIGKILL and SIGSTOP are dropped from sa_mask (SIG_CANTMASK). Installing an
 * action that ignores the signal discards it from the pending set.
 */
export function setAction(s: SignalState, sig: number, act: SigAction | undefined): SigAction {
  if (!sigValid(sig)) throw new SignalError('EINVAL');
  const cur = s.actions[sig];
  const old: SigAction = { handler: cur.handler, flags: cur.flags, mask: cur.mask.slice() };
  if (act) {
    if ((sig === SIG.SIGKILL || sig === SIG.SIGSTOP) && act.handler !== SIG_DFL) throw new SignalError('EINVAL');
    if ((act.flags & ~SA_ALLOWED) !== 0) throw new SignalError('EINVAL');
    const mask = new SigSet();
    mask.set(act.mask);
    mask.sanitize();
    s.actions[sig] = { handler: act.handler, flags: act.flags, mask: mask.w.slice() };
    if (s.ignored(sig)) s.pending.drop(sig);
  }
  return old;
}

/** kern_sigprocmask: returns the old mask; `set` undefined only reads. */
export function changeMask(s: { mask: SigSet }, how: number, set: Uint32Array | undefined): Uint32Array {
  const old = s.mask.w.slice();
  if (set) {
    const w = s.mask.w;
    switch (how) {
      case SIG_BLOCK: for (let i = 0; i < 4; i++) w[i] |= set[i]; break;
      case SIG_UNBLOCK: for (let i = 0; i < 4; i++) w[i] &= ~set[i]; break;
      case SIG_SETMASK: for (let i = 0; i < 4; i++) w[i] = set[i]; break;
      default: throw new SignalError('EINVAL');
    }
    s.mask.sanitize();
  }
  return old;
}

/** Pending signals that are blocked or not: sigpending reports the process and thread sets together. */
export function pendingSet(s: SignalState, t: { pending: SigSet }): Uint32Array {
  const w = s.pending.w.slice();
  for (let i = 0; i < 4; i++) w[i] |= t.pending.w[i];
  return w;
}

/**
 * kern_sigaltstack. `sp` is the current stack pointer (to tell whether the thread runs on the alternate
 * stack). Returns the old stack with SS_ONSTACK set when on it.
 */
export interface AltStack { sp: bigint; size: bigint; flags: number }

export function setAltStack(s: { altstack: AltStack }, sp: bigint, minSize: number,
  ss: { sp: bigint; size: bigint; flags: number } | undefined): { sp: bigint; size: bigint; flags: number } {
  const cur = s.altstack;
  const onStack = (cur.flags & SS_DISABLE) === 0 && sp - cur.sp < cur.size && sp >= cur.sp;
  // kern_sigaltstack: the old flags are SS_DISABLE without an alternate stack, else SS_ONSTACK or 0.
  const old = { sp: cur.sp, size: cur.size, flags: (cur.flags & SS_DISABLE) ? SS_DISABLE : onStack ? SS_ONSTACK : 0 };
  if (ss) {
    if (onStack) throw new SignalError('EPERM');
    if ((ss.flags & ~SS_DISABLE) !== 0) throw new SignalError('EINVAL');
    if ((ss.flags & SS_DISABLE) === 0) {
      if (ss.size < BigInt(minSize)) throw new SignalError('ENOMEM');
      s.altstack = { sp: ss.sp, size: ss.size, flags: 0 };
    } else {
      s.altstack = { sp: cur.sp, size: cur.size, flags: SS_DISABLE };
    }
  }
  return old;
}

/** siginfo_t on LP64 (sys/sys/signal.h): 80 bytes. */
export const SIGINFO_SIZE = 80;
export function encodeSiginfo(i: SigInfo): Buffer {
  const b = Buffer.alloc(SIGINFO_SIZE);
  b.writeInt32LE(i.signo, 0);
  b.writeInt32LE(i.errno ?? 0, 4);
  b.writeInt32LE(i.code, 8);
  b.writeInt32LE(i.pid ?? 0, 12);
  b.writeUInt32LE((i.uid ?? 0) >>> 0, 16);
  b.writeInt32LE(i.status ?? 0, 20);
  b.writeBigUInt64LE(BigInt.asUintN(64, i.addr ?? 0n), 24);
  b.writeBigUInt64LE(BigInt.asUintN(64, i.value ?? 0n), 32);
  b.writeInt32LE(i.trapno ?? 0, 40);
  return b;
}
