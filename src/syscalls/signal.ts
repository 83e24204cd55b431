// Signal state syscalls (QEMU: bsd-user/freebsd/os-signal.h, FreeBSD sys/kern/kern_sig.c). State only:
// delivery (frames, sigreturn) comes with the signal-delivery work.
//
// sigfastblock(573) is deliberately absent, so the dispatcher answers ENOSYS (FreeBSD has the number, so
// no SIGSYS). Supporting it means honouring the guest's block word at every delivery and setting
// SIGFASTBLOCK_PEND; before delivery exists, claiming success would let libthr skip sigprocmask calls it
// then relies on the kernel to replace. On ENOSYS libthr and rtld keep using sigprocmask.
import { Errno, E } from '../abi/errno.js';
import {
  changeMask, decodeSigaction, decodeSigset, encodeSigaction, encodeSigset, pendingSet, setAction, setAltStack,
  SignalError, SIGACTION_SIZE, STACK_T_SIZE, SigSet, encodeSiginfo, NSIG, SI, SIG, SIG_DFL, SIG_IGN, type SigInfo,
} from '../kernel/signals.js';
import { int, ptr } from './args.js';
import { sys, JUST_RETURN, type SyscallCtx, type SyscallDef } from './types.js';
import { hasDeliverable, postSignal } from '../kernel/sigdeliver.js';
import { now } from '../kernel/threads.js';

function rethrow(e: unknown): never {
  if (e instanceof SignalError) throw new Errno(E[e.code]);
  throw e;
}

/** Signals a CPU fault raises: a handler for one of them may look at the pc of the fault. */
const FAULT_SIGNALS = new Set<number>([SIG.SIGSEGV, SIG.SIGBUS, SIG.SIGILL, SIG.SIGFPE, SIG.SIGTRAP]);

export const signalSyscalls: SyscallDef[] = [
  sys(416, 'sigaction', 'signal ptr ptr', (c, a) => {
    const sig = int(a[0]);
    const actp = ptr(a[1]), oactp = ptr(a[2]);
    // copyin happens before the state changes; copyout after (sys_sigaction).
    const act = actp ? decodeSigaction(c.mem.read(actp, SIGACTION_SIZE)) : undefined;
    let old;
    try { old = setAction(c.proc.signals, sig, act); } catch (e) { rethrow(e); }
    if (act && act.handler !== SIG_DFL && act.handler !== SIG_IGN && FAULT_SIGNALS.has(sig) && !c.proc.wantPrecisePc) {
      c.proc.wantPrecisePc = true;
      c.proc.sched.interruptCurrent(); // the run loop switches it on before this thread goes on
    }
    if (oactp) c.mem.write(oactp, encodeSigaction(old));
    return 0;
  }),
  sys(340, 'sigprocmask', 'sigprocmaskhow sigset ptr', (c, a) => {
    const how = int(a[0]);
    const setp = ptr(a[1]), osetp = ptr(a[2]);
    const set = setp ? decodeSigset(c.mem.read(setp, 16)) : undefined;
    let old;
    try { old = changeMask(c.proc.sched.current, how, set); } catch (e) { rethrow(e); }
    if (osetp) c.mem.write(osetp, encodeSigset(old));
    // Unblocking a pending signal delivers it before the next guest instruction.
    if (hasDeliverable(c.proc, c.proc.sched.current)) c.proc.sched.interruptCurrent();
    return 0;
  }),
  sys(343, 'sigpending', 'ptr', (c, a) => {
    c.mem.write(ptr(a[0]), encodeSigset(pendingSet(c.proc.signals, c.proc.sched.current)));
    return 0;
  }),
  sys(53, 'sigaltstack', 'ptr ptr', (c, a) => {
    const ssp = ptr(a[0]), ossp = ptr(a[1]);
    let ss;
    if (ssp) {
      const b = c.mem.read(ssp, STACK_T_SIZE);
      ss = { sp: b.readBigUInt64LE(0), size: b.readBigUInt64LE(8), flags: b.readInt32LE(16) };
    }
    let old;
    try { old = setAltStack(c.proc.sched.current, c.proc.cpu.sp(), c.proc.cpu.info.minSigStackSize, ss); } catch (e) { rethrow(e); }
    if (ossp) {
      const b = Buffer.alloc(STACK_T_SIZE);
      b.writeBigUInt64LE(old.sp, 0);
      b.writeBigUInt64LE(old.size, 8);
      b.writeInt32LE(old.flags, 16);
      c.mem.write(ossp, b);
    }
    return 0;
  }),
];

/** The set argument of the sigwait family, with SIGKILL/SIGSTOP removed (they cannot be waited for). */
function readWaitSet(c: SyscallCtx, addr: number): SigSet {
  const set = new SigSet();
  set.set(decodeSigset(c.mem.read(addr, 16)));
  set.sanitize();
  return set;
}

/** Takes a pending signal of `set` for the current thread (its own first, then the process's). */
function takeFrom(c: SyscallCtx, set: SigSet): SigInfo | undefined {
  const t = c.proc.sched.current;
  let sig = t.pending.first(undefined, set);
  if (sig) return t.pending.take(sig);
  sig = c.proc.signals.pending.first(undefined, set);
  if (sig) return c.proc.signals.pending.take(sig);
  return undefined;
}

/**
 * kern_sigtimedwait: a pending signal of the set is taken at once; otherwise the thread waits until one
 * is posted (the wait's completion takes it) or the timeout passes (EAGAIN).
 */
function sigwaitCommon(c: SyscallCtx, setAddr: number, deadline: bigint | undefined, done: (info: SigInfo) => bigint,
  onTimeout: () => { value: bigint; errno?: number }, interruptible: boolean): number | bigint | typeof JUST_RETURN {
  const set = readWaitSet(c, setAddr);
  const got = takeFrom(c, set);
  if (got) return done(got);
  if (deadline !== undefined && deadline <= now()) {
    const r = onTimeout();
    if (r.errno) throw new Errno(r.errno);
    return r.value;
  }
  const t = c.proc.sched.current;
  t.waitSet = set;
  c.proc.sched.block({
    deadline,
    restartable: !interruptible,
    complete: (why) => {
      t.waitSet = undefined;
      if (why === 'timeout') return onTimeout();
      if (why === 'interrupted') return { value: BigInt(E.EINTR), errno: E.EINTR };
      const info = takeFrom(c, set);
      return info ? { value: done(info) } : { value: BigInt(E.EINTR), errno: E.EINTR };
    },
  });
  return JUST_RETURN;
}

function timeoutDeadline(c: SyscallCtx, addr: number): bigint | undefined {
  if (addr === 0) return undefined;
  const sec = c.mem.readI64(addr), nsec = c.mem.readI64(addr + 8);
  if (nsec < 0n || nsec >= 1_000_000_000n) throw new Errno(E.EINVAL);
  return now() + (sec < 0n ? 0n : sec * 1_000_000_000n + nsec);
}

signalSyscalls.push(
  sys(417, 'sigreturn', 'ptr', (c, a) => {
    // Registers are restored outside the syscall hook, before the thread runs again.
    const t = c.proc.sched.current;
    const ucp = ptr(a[0]);
    const cpu = c.proc.cpu;
    const mem = c.mem;
    mem.read(ucp, 16); // EFAULT now, not later
    t.resume = () => {
      let mask: Uint32Array;
      try {
        mask = cpu.sigreturn(mem, ucp);
      } catch {
        // A corrupt context: FreeBSD fails sigreturn with EINVAL and the thread goes on after it.
        cpu.completeSyscall(BigInt(E.EINVAL), 0n, true);
        return;
      }
      t.mask.set(mask);
      t.mask.sanitize();
    };
    c.proc.sched.interruptCurrent();
    return JUST_RETURN;
  }, 'none'),
  sys(341, 'sigsuspend', 'sigset', (c, a) => {
    // The temporary mask holds until a handler runs; the frame then saves the old one (TDP_OLDMASK).
    const t = c.proc.sched.current;
    const set = decodeSigset(c.mem.read(ptr(a[0]), 16));
    t.oldMask = t.mask.w.slice();
    t.mask.set(set);
    t.mask.sanitize();
    c.proc.sched.block({
      complete: () => ({ value: BigInt(E.EINTR), errno: E.EINTR }),
    });
    if (hasDeliverable(c.proc, t)) c.proc.sched.finish(t, 'interrupted');
    return JUST_RETURN;
  }),
  sys(429, 'sigwait', 'sigset ptr', (c, a) => {
    // sigwait returns the error number as its value, never EINTR (sys_sigwait).
    const out = ptr(a[1]);
    return sigwaitCommon(c, ptr(a[0]), undefined, (info) => { c.mem.writeU32(out, info.signo); return 0n; },
      () => ({ value: 0n }), false);
  }),
  sys(346, 'sigwaitinfo', 'sigset ptr', (c, a) => {
    const out = ptr(a[1]);
    return sigwaitCommon(c, ptr(a[0]), undefined, (info) => {
      if (out) c.mem.write(out, encodeSiginfo(info));
      return BigInt(info.signo);
    }, () => ({ value: 0n }), true);
  }),
  sys(345, 'sigtimedwait', 'sigset ptr timespec', (c, a) => {
    const out = ptr(a[1]);
    return sigwaitCommon(c, ptr(a[0]), timeoutDeadline(c, ptr(a[2])), (info) => {
      if (out) c.mem.write(out, encodeSiginfo(info));
      return BigInt(info.signo);
    }, () => ({ value: BigInt(E.EAGAIN), errno: E.EAGAIN }), true);
  }),
  sys(456, 'sigqueue', 'int signal ptr', (c, a) => {
    const pid = int(a[0]), sig = int(a[1]);
    if (pid !== c.proc.pid && pid !== 0) throw new Errno(E.ESRCH);
    if (sig < 0 || sig > NSIG) throw new Errno(E.EINVAL);
    if (sig !== 0) postSignal(c.proc, { signo: sig, code: SI.QUEUE, pid: c.proc.pid, uid: c.proc.uid, value: a[2] });
    return 0;
  }),
);
