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
export const MINSIGSTKSZ = 2048 * 4; // amd64/arm64 MINSIGSTKSZ

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

export class SignalState {
  readonly actions: SigAction[] = [];
  /** The (single, for now) thread's blocked mask. */
  readonly mask = new SigSet();
  readonly pending = new SigSet();
  altstack = { sp: 0n, size: 0n, flags: SS_DISABLE };

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
