// Threads and the umtx wait/wake primitives (QEMU: bsd-user/freebsd/os-thread.h; FreeBSD sys/kern/kern_thr.c,
// kern_umtx.c).
import { Errno, E } from '../abi/errno.js';
import { now, type WakeReason } from '../kernel/threads.js';
import { NSIG } from '../kernel/signals.js';
import { int, ptr } from './args.js';
import { sys, JUST_RETURN, type SyscallCtx, type SyscallDef } from './types.js';
import { signalSelf } from './proc.js';

// sys/sys/umtx.h
export const UMTX_OP = {
  WAIT: 2, WAKE: 3, MUTEX_TRYLOCK: 4, MUTEX_LOCK: 5, MUTEX_UNLOCK: 6, SET_CEILING: 7, CV_WAIT: 8,
  CV_SIGNAL: 9, CV_BROADCAST: 10, WAIT_UINT: 11, RW_RDLOCK: 12, RW_WRLOCK: 13, RW_UNLOCK: 14,
  WAIT_UINT_PRIVATE: 15, WAKE_PRIVATE: 16, MUTEX_WAIT: 17, MUTEX_WAKE: 18, SEM_WAIT: 19, SEM_WAKE: 20,
  NWAKE_PRIVATE: 21, MUTEX_WAKE2: 22, SEM2_WAIT: 23, SEM2_WAKE: 24, SHM: 25, ROBUST_LISTS: 26,
  GET_MIN_TIMEOUT: 27, SET_MIN_TIMEOUT: 28,
} as const;
const UMTX_ABSTIME = 1;
const TIMESPEC_SIZE = 16;
const THR_PARAM_SIZE = 104;

/** Current value of a FreeBSD clock in ns, for absolute umtx deadlines (CLOCK_REALTIME 0, others monotonic). */
function clockNowNs(clock: number): bigint {
  return clock === 0 || clock === 9 || clock === 10 || clock === 13 ? BigInt(Date.now()) * 1_000_000n : now();
}

/**
 * The optional timeout of a umtx wait: `uaddr` carries the size of the object at `uaddr2` — a bare
 * relative timespec, or struct _umtx_time {timespec; u32 flags; u32 clockid} (umtx_copyin_umtx_time).
 */
function umtxDeadline(c: SyscallCtx, size: bigint, addr: number): bigint | undefined {
  if (addr === 0) return undefined;
  const n = Number(size);
  let sec: bigint, nsec: bigint, flags = 0, clock = 0;
  if (n <= TIMESPEC_SIZE) {
    sec = c.mem.readI64(addr); nsec = c.mem.readI64(addr + 8);
  } else {
    sec = c.mem.readI64(addr); nsec = c.mem.readI64(addr + 8);
    flags = c.mem.readU32(addr + 16); clock = c.mem.readU32(addr + 20);
  }
  if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) throw new Errno(E.EINVAL);
  const t = sec * 1_000_000_000n + nsec;
  if (flags & UMTX_ABSTIME) return now() + (t - clockNowNs(clock));
  return now() + t;
}

/** Parks the calling thread on a umtx word until woken or timed out. */
function umtxSleep(c: SyscallCtx, addr: number, deadline: bigint | undefined): typeof JUST_RETURN {
  const sched = c.proc.sched;
  if (deadline !== undefined && deadline <= now()) throw new Errno(E.ETIMEDOUT);
  sched.block({
    channel: addr,
    deadline,
    complete: (why: WakeReason) => (why === 'timeout' ? { value: BigInt(E.ETIMEDOUT), errno: E.ETIMEDOUT }
      : why === 'interrupted' ? { value: BigInt(E.EINTR), errno: E.EINTR } : { value: 0n }),
  });
  return JUST_RETURN;
}

function umtxOp(c: SyscallCtx, a: BigUint64Array): number | typeof JUST_RETURN {
  const obj = ptr(a[0]);
  const op = int(a[1]);
  const val = a[2];
  const sched = c.proc.sched;
  switch (op) {
    case UMTX_OP.WAIT: {
      const deadline = umtxDeadline(c, a[3], ptr(a[4]));
      if (c.mem.readU64(obj) !== val) return 0;
      return umtxSleep(c, obj, deadline);
    }
    case UMTX_OP.WAIT_UINT: case UMTX_OP.WAIT_UINT_PRIVATE: {
      const deadline = umtxDeadline(c, a[3], ptr(a[4]));
      if (BigInt(c.mem.readU32(obj)) !== (val & 0xffffffffn)) return 0;
      return umtxSleep(c, obj, deadline);
    }
    case UMTX_OP.WAKE: case UMTX_OP.WAKE_PRIVATE: {
      const n = Number(val > 0x7fffffffn ? 0x7fffffffn : val);
      sched.wake(obj, n);
      return 0;
    }
    case UMTX_OP.NWAKE_PRIVATE: {
      // obj is an array of `val` pointers; wake every waiter on each.
      const count = int(a[2]);
      for (let i = 0; i < count; i++) sched.wake(c.mem.readPtr(obj + i * 8));
      return 0;
    }
    case UMTX_OP.SEM2_WAIT: {
      // struct _usem2 {u32 count; u32 flags}: USEM_HAS_WAITERS 0x80000000 in count.
      const deadline = umtxDeadline(c, a[3], ptr(a[4]));
      const count = c.mem.readU32(obj);
      if ((count & 0x7fffffff) !== 0) return 0;
      c.mem.writeU32(obj, (count | 0x80000000) >>> 0);
      return umtxSleep(c, obj, deadline);
    }
    case UMTX_OP.SEM2_WAKE: {
      const count = c.mem.readU32(obj);
      const woke = sched.wake(obj, 1);
      if (woke === 0 || !hasWaiters(c, obj)) c.mem.writeU32(obj, (count & 0x7fffffff) >>> 0);
      return 0;
    }
    case UMTX_OP.GET_MIN_TIMEOUT:
      c.mem.writeU64(obj, 0n);
      return 0;
    case UMTX_OP.SET_MIN_TIMEOUT:
      return 0;
    default:
      throw new Errno(E.EINVAL);
  }
}

function hasWaiters(c: SyscallCtx, addr: number): boolean {
  for (const t of c.proc.sched.threads.values()) if (t.state === 'blocked' && t.wait?.channel === addr) return true;
  return false;
}

export const threadSyscalls: SyscallDef[] = [
  sys(432, 'thr_self', 'ptr', (c, a) => {
    c.mem.writeU64(ptr(a[0]), BigInt(c.proc.sched.current.tid));
    return 0;
  }),
  sys(455, 'thr_new', 'ptr int', (c, a) => {
    // struct thr_param (sys/sys/thr.h), 104 bytes on LP64.
    const p = ptr(a[0]);
    if (int(a[1]) < THR_PARAM_SIZE) throw new Errno(E.EINVAL);
    const m = c.mem;
    const start = m.readU64(p), arg = m.readU64(p + 8), stackBase = m.readU64(p + 16), stackSize = m.readU64(p + 24);
    const tls = m.readU64(p + 32), childTid = m.readPtr(p + 48), parentTid = m.readPtr(p + 56);
    const proc = c.proc;
    const t = proc.sched.spawn((ctx) => proc.cpu.setupThread(ctx, start, arg, stackBase, stackSize, tls === 0n ? undefined : tls));
    // New thread inherits the creator's signal mask (thread_create → kern_thr_alloc copies td_sigmask).
    t.mask.set(proc.sched.current.mask.w);
    if (childTid) m.writeU64(childTid, BigInt(t.tid));
    if (parentTid) m.writeU64(parentTid, BigInt(t.tid));
    return 0;
  }),
  sys(431, 'thr_exit', 'ptr', (c, a) => {
    const proc = c.proc;
    const state = ptr(a[0]);
    if (state) {
      // sys_thr_exit: store 1 (long; libthr's TID_TERMINATED) and wake waiters on it.
      try { c.mem.writeU64(state, 1n); } catch { /* FreeBSD ignores a bad address here */ }
      proc.sched.wake(state);
    }
    if (proc.sched.live <= 1) {
      proc.exitWith(0);
      return JUST_RETURN;
    }
    proc.sched.exitCurrent();
    return JUST_RETURN;
  }, 'none'),
  sys(433, 'thr_kill', 'long signal', (c, a) => {
    const tid = Number(BigInt.asIntN(64, a[0])), sig = int(a[1]);
    if (sig < 0 || sig > NSIG) throw new Errno(E.EINVAL);
    const t = tid === -1 ? c.proc.sched.current : c.proc.sched.threads.get(tid);
    if (!t || t.state === 'exited') throw new Errno(E.ESRCH);
    if (sig !== 0) signalSelf(c.proc, sig, t);
    return 0;
  }),
  sys(481, 'thr_kill2', 'int long signal', (c, a) => {
    const pid = int(a[0]), tid = Number(BigInt.asIntN(64, a[1])), sig = int(a[2]);
    if (pid !== c.proc.pid && pid !== 0) throw new Errno(E.ESRCH);
    if (sig < 0 || sig > NSIG) throw new Errno(E.EINVAL);
    const t = c.proc.sched.threads.get(tid);
    if (!t || t.state === 'exited') throw new Errno(E.ESRCH);
    if (sig !== 0) signalSelf(c.proc, sig, t);
    return 0;
  }),
  sys(443, 'thr_wake', 'long', (c, a) => {
    const t = c.proc.sched.threads.get(Number(BigInt.asIntN(64, a[0])));
    if (!t) throw new Errno(E.ESRCH);
    c.proc.sched.wake(`suspend:${t.tid}`);
    return 0;
  }),
  sys(442, 'thr_suspend', 'timespec', (c, a) => {
    const tsAddr = ptr(a[0]);
    let deadline: bigint | undefined;
    if (tsAddr) deadline = now() + c.mem.readI64(tsAddr) * 1_000_000_000n + c.mem.readI64(tsAddr + 8);
    c.proc.sched.block({
      channel: `suspend:${c.proc.sched.current.tid}`, deadline,
      complete: (why) => (why === 'timeout' ? { value: BigInt(E.ETIMEDOUT), errno: E.ETIMEDOUT } : { value: 0n }),
    });
    return JUST_RETURN;
  }),
  sys(464, 'thr_set_name', 'long str', (c, a) => {
    const t = c.proc.sched.threads.get(Number(BigInt.asIntN(64, a[0])));
    if (!t) throw new Errno(E.ESRCH);
    t.name = ptr(a[1]) ? c.mem.readCString(ptr(a[1]), 32) : '';
    return 0;
  }),
  sys(454, '_umtx_op', 'ptr umtxop ulong ptr ptr', umtxOp),
  sys(331, 'sched_yield', '', (c) => {
    if (c.proc.sched.runnableCount() > 1) c.proc.sched.yieldNow();
    return 0;
  }),
  sys(240, 'nanosleep', 'timespec ptr', (c, a) => {
    const req = ptr(a[0]);
    const sec = c.mem.readI64(req), nsec = c.mem.readI64(req + 8);
    if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) throw new Errno(E.EINVAL);
    const dur = sec * 1_000_000_000n + nsec;
    const sched = c.proc.sched;
    // Always park, even alone: the run loop must stay free to fire timers and take host signals.
    const rmtp = ptr(a[1]);
    const deadline = now() + dur;
    sched.block({
      deadline,
      complete: (why) => {
        if (why === 'interrupted') {
          if (rmtp) {
            const left = deadline - now();
            const l = left > 0n ? left : 0n;
            c.mem.writeU64(rmtp, l / 1_000_000_000n);
            c.mem.writeU64(rmtp + 8, l % 1_000_000_000n);
          }
          return { value: BigInt(E.EINTR), errno: E.EINTR };
        }
        return { value: 0n };
      },
    });
    return JUST_RETURN;
  }),
];
