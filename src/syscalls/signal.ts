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
  SignalError, SIGACTION_SIZE, STACK_T_SIZE,
} from '../kernel/signals.js';
import { int, ptr } from './args.js';
import { sys, type SyscallDef } from './types.js';

function rethrow(e: unknown): never {
  if (e instanceof SignalError) throw new Errno(E[e.code]);
  throw e;
}

export const signalSyscalls: SyscallDef[] = [
  sys(416, 'sigaction', 'signal ptr ptr', (c, a) => {
    const sig = int(a[0]);
    const actp = ptr(a[1]), oactp = ptr(a[2]);
    // copyin happens before the state changes; copyout after (sys_sigaction).
    const act = actp ? decodeSigaction(c.mem.read(actp, SIGACTION_SIZE)) : undefined;
    let old;
    try { old = setAction(c.proc.signals, sig, act); } catch (e) { rethrow(e); }
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
