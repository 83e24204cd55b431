// Clocks, clock_nanosleep and getrandom (FreeBSD sys/kern/kern_time.c, sys/kern/sys_getrandom.c).
// nanosleep(240) lives with the thread scheduler (thread.ts), which can block one guest thread.
import { hostRandomFill as randomFillSync } from '../host/random.js';
import { Errno, E } from '../abi/errno.js';
import { int, ptr, size, uint } from './args.js';
import { sys, JUST_RETURN, type SyscallCtx, type SyscallDef } from './types.js';
import { ITIMER_PROF, ITIMER_REAL } from '../kernel/itimers.js';
import { realtimeNs } from '../kernel/threads.js';

// sys/sys/_clock_id.h
export const CLOCK = {
  REALTIME: 0, VIRTUAL: 1, PROF: 2, MONOTONIC: 4, UPTIME: 5, UPTIME_PRECISE: 7, UPTIME_FAST: 8,
  REALTIME_PRECISE: 9, REALTIME_FAST: 10, MONOTONIC_PRECISE: 11, MONOTONIC_FAST: 12, SECOND: 13,
  THREAD_CPUTIME_ID: 14, PROCESS_CPUTIME_ID: 15,
} as const;
/** clock_getcpuclockid2 ids: CPUCLOCK_BIT | [CPUCLOCK_PROCESS_BIT] | id (sys/sys/time.h). */
const CPUCLOCK_BIT = 0x80000000, CPUCLOCK_PROCESS_BIT = 0x40000000;
export const TIMER_ABSTIME = 1;
export const GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;
const NS = 1000000000n;

/** The clock's current value in nanoseconds; undefined for ids FreeBSD does not know (EINVAL). */
export function clockNs(id: number, pid: number): bigint | undefined {
  if ((id & CPUCLOCK_BIT) !== 0) {
    // A CPU-time clock from clock_getcpuclockid2: only this process and its (single) thread are known.
    const which = id & ~(CPUCLOCK_BIT | CPUCLOCK_PROCESS_BIT);
    if ((id & CPUCLOCK_PROCESS_BIT) !== 0 && which !== pid) throw new Errno(E.ESRCH);
    return cpuNs('both');
  }
  switch (id) {
    case CLOCK.REALTIME: case CLOCK.REALTIME_PRECISE: case CLOCK.REALTIME_FAST:
      return realtimeNs();
    case CLOCK.SECOND:
      return (realtimeNs() / NS) * NS;
    case CLOCK.MONOTONIC: case CLOCK.MONOTONIC_PRECISE: case CLOCK.MONOTONIC_FAST:
    case CLOCK.UPTIME: case CLOCK.UPTIME_PRECISE: case CLOCK.UPTIME_FAST:
      return process.hrtime.bigint();
    case CLOCK.VIRTUAL:
      return cpuNs('user');
    case CLOCK.PROF: case CLOCK.THREAD_CPUTIME_ID: case CLOCK.PROCESS_CPUTIME_ID:
      return cpuNs('both');
    default:
      return undefined;
  }
}

function cpuNs(which: 'user' | 'both'): bigint {
  const u = process.cpuUsage();
  return BigInt(which === 'user' ? u.user : u.user + u.system) * 1000n;
}

/** kern_clock_getres: 1 ns for the timecounter clocks (GHz counters), 1/hz for VIRTUAL/PROF, 1 s for SECOND. */
export function clockRes(id: number): bigint | undefined {
  if ((id & CPUCLOCK_BIT) !== 0) return 1n;
  switch (id) {
    case CLOCK.VIRTUAL: case CLOCK.PROF: return 1000000n; // howmany(1e9, hz = 1000)
    case CLOCK.SECOND: return NS;
    default: return clockNs(id, 0) === undefined ? undefined : 1n;
  }
}

/** clock_gettime's struct timespec, reused (the guest copy is made before the next call). */
const timespecOut = Buffer.alloc(16);
/** Clocks on the host's monotonic clock (as clockNs reads them). */
const MONOTONIC_CLOCKS = new Set<number>([CLOCK.MONOTONIC, CLOCK.MONOTONIC_PRECISE, CLOCK.MONOTONIC_FAST,
  CLOCK.UPTIME, CLOCK.UPTIME_PRECISE, CLOCK.UPTIME_FAST]);

function writeTimespec(buf: Buffer, off: number, ns: bigint): void {
  buf.writeBigInt64LE(ns / NS, off);
  buf.writeBigInt64LE(ns % NS, off + 8);
}

/** A guest struct timespec as nanoseconds; EINVAL when tv_nsec is outside [0, 1e9). */
function readTimespec(b: Buffer): { sec: bigint; nsec: bigint } {
  return { sec: b.readBigInt64LE(0), nsec: b.readBigInt64LE(8) };
}

const SLEEP_CLOCKS = new Set<number>([
  CLOCK.REALTIME, CLOCK.REALTIME_PRECISE, CLOCK.REALTIME_FAST, CLOCK.SECOND, CLOCK.MONOTONIC,
  CLOCK.MONOTONIC_PRECISE, CLOCK.MONOTONIC_FAST, CLOCK.UPTIME, CLOCK.UPTIME_PRECISE, CLOCK.UPTIME_FAST,
]);

/**
 * kern_clock_nanosleep: returns an errno (0 for success) rather than throwing, because clock_nanosleep
 * reports errors as its return value (kern_posix_error) while nanosleep uses the carry flag.
 */
/** The host monotonic deadline of a clock_nanosleep, or the errno (or 0) it returns at once. */
export function clockNanosleep(clockId: number, flags: number, sec: bigint, nsec: bigint): number | { deadline: bigint } {
  if (nsec < 0n || nsec >= NS) return E.EINVAL;
  if ((flags & ~TIMER_ABSTIME) !== 0) return E.EINVAL;
  if (clockId === CLOCK.THREAD_CPUTIME_ID || clockId === CLOCK.PROCESS_CPUTIME_ID
    || (clockId & CPUCLOCK_BIT) !== 0) return E.EOPNOTSUPP; // ENOTSUP
  if (!SLEEP_CLOCKS.has(clockId)) return E.EINVAL;
  if ((flags & TIMER_ABSTIME) === 0 && (sec < 0n || (sec === 0n && nsec === 0n))) return 0;
  const want = sec * NS + nsec;
  let deadline: bigint;
  if (flags & TIMER_ABSTIME) {
    const now = clockNs(clockId, 0)!;
    if (want <= now) return 0;
    deadline = process.hrtime.bigint() + (want - now);
  } else {
    deadline = process.hrtime.bigint() + want;
  }
  return { deadline };
}

const RANDOM_CHUNK = 64 * 1024;

export const timeSyscalls: SyscallDef[] = [
  sys(232, 'clock_gettime', 'clockid ptr', (c, a) => {
    const id = int(a[0]);
    const b = timespecOut;
    if (MONOTONIC_CLOCKS.has(id)) {
      // The clock Go's nanotime reads all the time: numbers only, no BigInt (issue 5).
      const [sec, nsec] = process.hrtime();
      b.writeUInt32LE(sec % 4294967296, 0); b.writeUInt32LE(Math.floor(sec / 4294967296), 4);
      b.writeUInt32LE(nsec, 8); b.writeUInt32LE(0, 12);
    } else {
      const ns = clockNs(id, c.proc.pid);
      if (ns === undefined) throw new Errno(E.EINVAL);
      writeTimespec(b, 0, ns);
    }
    c.mem.write(ptr(a[1]), b);
    if (c.proc.opts.strace) c.note = `{ ${b.readBigInt64LE(0)}.${b.readBigInt64LE(8).toString().padStart(9, '0')} }`;
    return 0;
  }),
  sys(234, 'clock_getres', 'clockid ptr', (c, a) => {
    const res = clockRes(int(a[0]));
    if (res === undefined) throw new Errno(E.EINVAL);
    const tp = ptr(a[1]);
    if (tp) {
      const b = Buffer.alloc(16);
      writeTimespec(b, 0, res);
      c.mem.write(tp, b);
    }
    return 0;
  }),
  sys(116, 'gettimeofday', 'ptr ptr', (c, a) => {
    const tp = ptr(a[0]), tzp = ptr(a[1]);
    if (tp) {
      const ns = realtimeNs();
      const b = Buffer.alloc(16);
      b.writeBigInt64LE(ns / NS, 0);
      b.writeBigInt64LE((ns % NS) / 1000n, 8);
      c.mem.write(tp, b);
    }
    if (tzp) c.mem.write(tzp, Buffer.alloc(8)); // struct timezone { minuteswest 0, dsttime 0 }
    return 0;
  }),
  sys(244, 'clock_nanosleep', 'clockid int timespec ptr', (c, a) => {
    let t;
    try {
      t = readTimespec(c.mem.read(ptr(a[2]), 16));
    } catch (e) {
      if (e instanceof Errno) return e.errno; // kern_posix_error: the errno is the return value
      throw e;
    }
    const r = clockNanosleep(int(a[0]), int(a[1]), t.sec, t.nsec);
    if (typeof r === 'number') return r;
    // Park the thread; an interrupting signal makes it return EINTR as its value (kern_posix_error)
    // and, for a relative sleep, the time left in rmtp.
    const rmtp = (int(a[1]) & TIMER_ABSTIME) === 0 ? ptr(a[3]) : 0;
    c.proc.sched.block({
      deadline: r.deadline,
      complete: (why) => {
        if (why !== 'interrupted') return { value: 0n };
        if (rmtp) {
          const left = r.deadline - process.hrtime.bigint();
          const b = Buffer.alloc(16);
          writeTimespec(b, 0, left > 0n ? left : 0n);
          c.mem.write(rmtp, b);
        }
        return { value: BigInt(E.EINTR) };
      },
    });
    return JUST_RETURN;
  }),
  sys(563, 'getrandom', 'obuf:1 size hex', (c, a) => {
    const flags = uint(a[2]);
    if ((flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) !== 0) throw new Errno(E.EINVAL);
    const addr = ptr(a[0]);
    const len = size(a[1]);
    // FreeBSD caps buflen at IOSIZE_MAX (SSIZE_MAX here) and returns the count; the random device is
    // always seeded on the host, so GRND_NONBLOCK never sees EAGAIN.
    let done = 0;
    while (done < len) {
      const n = Math.min(RANDOM_CHUNK, len - done);
      const chunk = randomFillSync(Buffer.alloc(n));
      c.mem.write(addr + done, chunk);
      done += n;
    }
    return done;
  }),
];

/** struct itimerval {struct timeval it_interval; struct timeval it_value} (sys/sys/time.h): 32 bytes. */
function readItimerval(c: SyscallCtx, addr: number): { interval: bigint; value: bigint } {
  const b = c.mem.read(addr, 32);
  const tv = (o: number) => {
    const sec = b.readBigInt64LE(o), usec = b.readBigInt64LE(o + 8);
    // itimerfix: negative or ≥ 1e6 µs is EINVAL; a value below the clock tick rounds up to it.
    if (sec < 0n || usec < 0n || usec >= 1_000_000n) throw new Errno(E.EINVAL);
    return sec * 1_000_000_000n + usec * 1000n;
  };
  return { interval: tv(0), value: tv(16) };
}

function writeItimerval(c: SyscallCtx, addr: number, v: { value: bigint; interval: bigint }): void {
  const b = Buffer.alloc(32);
  const put = (o: number, ns: bigint) => {
    const us = (ns + 999n) / 1000n; // never report a running timer as 0
    b.writeBigInt64LE(us / 1_000_000n, o);
    b.writeBigInt64LE(us % 1_000_000n, o + 8);
  };
  put(0, v.interval);
  put(16, v.value);
  c.mem.write(addr, b);
}

const checkWhich = (which: number) => {
  if (which < ITIMER_REAL || which > ITIMER_PROF) throw new Errno(E.EINVAL);
  return which;
};

timeSyscalls.push(
  sys(83, 'setitimer', 'int ptr ptr', (c, a) => {
    const which = checkWhich(int(a[0]));
    const next = readItimerval(c, ptr(a[1]));
    const old = c.proc.itimers.set(which, next.value, next.value > 0n ? next.interval : 0n);
    if (ptr(a[2])) writeItimerval(c, ptr(a[2]), old);
    return 0;
  }),
  sys(86, 'getitimer', 'int ptr', (c, a) => {
    writeItimerval(c, ptr(a[1]), c.proc.itimers.get(checkWhich(int(a[0]))));
    return 0;
  }),
);
