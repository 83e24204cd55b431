// Waiting on events (QEMU: bsd-user/freebsd/os-*.h has none of this; FreeBSD sys/kern/kern_event.c and
// sys/kern/sys_generic.c): kqueue/kqueuex/kevent (both struct layouts), poll/ppoll, select/pselect.
//
// A kqueue is a guest descriptor of kind 'kqueue' over a host /dev/null (so close, dup and the table work
// unchanged); its knotes live in a JS object keyed by the OpenFile. Readiness of pipes, sockets and ttys
// comes from host poll(2); timers, EVFILT_USER and EVFILT_SIGNAL are pure bookkeeping. A kevent that must
// wait parks the thread: `ready` re-scans the knotes, `hostFds` (recomputed each time the idle loop reads
// it) lists the descriptors to sleep on, `deadline` is the nearest of the timeout and the next timer.
//
// EV_CLEAR on descriptor filters is edge-triggered on FreeBSD (the knote re-activates when the buffer
// changes). Over level-triggered host poll it is emulated: after a report the knote stays quiet until the
// condition goes away, the amount (bytes readable / space) changes, or the guest did I/O on the file
// (file.ts calls noteIo) — enough for Go's netpoller, which retries the I/O and waits only after EAGAIN.
import { fstatSync } from 'node:fs';
import { Errno, E } from '../abi/errno.js';
import { HOST_O, O } from '../abi/fcntl.js';
import {
  decodeKevent, encodeKevent, EV, EVFILT, EVFILT_SYSCOUNT, KEVENT11_SIZE, KEVENT_SIZE, KQUEUE_CLOEXEC, type Kevent,
  NOTE_ABSTIME, NOTE_FFAND, NOTE_FFCOPY, NOTE_FFCTRLMASK, NOTE_FFLAGSMASK, NOTE_FFOR, NOTE_FILE_POLL,
  NOTE_MSECONDS, NOTE_NSECONDS, NOTE_SECONDS, NOTE_TIMER_PRECMASK, NOTE_TRIGGER, NOTE_USECONDS,
} from '../abi/kevent.js';
import { FD_SETSIZE, INFTIM, NFDBITS, POLL, POLLFD_SIZE, pollEventsFromHost, pollEventsToHost, SELECT_FLAGS } from '../abi/poll.js';
import type { OpenFile } from '../kernel/fdtable.js';
import type { Process } from '../kernel/process.js';
import { NSIG } from '../kernel/signals.js';
import { hasDeliverable, signalObservers } from '../kernel/sigdeliver.js';
import { now, type Completion, type WakeReason } from '../kernel/threads.js';
import { check, hostLibc } from '../host/libc.js';
import { HOST_POLL, hostFionread, hostPipeSize, pollNow, type HostPollFd } from '../host/poll.js';
import { int, ptr } from './args.js';
import { JUST_RETURN, sys, type SyscallCtx, type SyscallDef } from './types.js';

const NS = 1_000_000_000n;

// ---------------------------------------------------------------------------------------------------
// I/O generations: bumped by the read/write paths so EV_CLEAR knotes re-arm after the guest did I/O.

// One generation per direction: a write (or its EAGAIN) must not re-arm an EV_CLEAR read knote, whose
// EV_EOF would wake Go's writers again and again (Go's netpoller treats a read EV_EOF as writable too).
const ioGen = new WeakMap<OpenFile, number>();
const ioGenW = new WeakMap<OpenFile, number>();
/** The guest transferred data on (or got EAGAIN from) this open file: reading, writing, or unknown (both). */
export function noteIo(f: OpenFile, write?: boolean): void {
  if (write !== true) ioGen.set(f, (ioGen.get(f) ?? 0) + 1);
  if (write !== false) ioGenW.set(f, (ioGenW.get(f) ?? 0) + 1);
}
const genOf = (kn: Knote): number => ((kn.filter === EVFILT.WRITE ? ioGenW : ioGen).get(kn.file!) ?? 0);

/** Host poll events that mean "a blocked read/write can proceed" (data, EOF, error). */
export function ioReady(f: OpenFile, write: boolean): boolean {
  const r = pollNow(f.hostFd, write ? HOST_POLL.OUT : HOST_POLL.IN);
  return r !== 0;
}

// ---------------------------------------------------------------------------------------------------
// Readiness of one open file in poll(2) terms (FreeBSD revents).

/** fo_poll: FreeBSD revents of `f` for the requested `events`, now. */
function pollFile(f: OpenFile, events: number): number {
  if (f.kind === 'kqueue') {
    // kqueue_poll: readable while events are pending.
    const kq = kqueues.get(f);
    return kq && (events & (POLL.IN | POLL.RDNORM)) && scan(kq, 1, false).length > 0 ? events & (POLL.IN | POLL.RDNORM) : 0;
  }
  if (f.kind === 'file' || f.kind === 'dir') {
    // vop_stdpoll: regular files and directories are always ready for the standard events.
    return events & (POLL.IN | POLL.OUT | POLL.RDNORM | POLL.WRNORM);
  }
  const h = pollNow(f.hostFd, pollEventsToHost(events));
  let g = pollEventsFromHost(h, events);
  if (f.kind === 'pipe') {
    // Linux flags a write end whose reader is gone with POLLERR; FreeBSD's pipe_poll says POLLHUP.
    if ((g & POLL.ERR) && (f.flags & O.ACCMODE) === O.WRONLY) g = (g & ~POLL.ERR) | POLL.HUP;
    if (events & POLL.INIGNEOF) {
      g &= ~POLL.HUP; // pipe_poll skips the EOF block entirely
    } else if ((g & POLL.HUP) && (f.flags & O.ACCMODE) !== O.WRONLY) {
      g |= events & (POLL.IN | POLL.RDNORM); // EOF is readable on FreeBSD; Linux says only POLLHUP
    }
  }
  // pollrescan: "POSIX requires POLLOUT to be never set simultaneously with POLLHUP".
  if (g & POLL.HUP) g &= ~POLL.OUT;
  return g;
}

// ---------------------------------------------------------------------------------------------------
// kqueue state

interface Knote {
  ident: bigint;
  filter: number;
  /** kn_kevent.flags: the registration's flags without the actions (EV_ADD, EV_DELETE, ...). */
  flags: number;
  sfflags: number;
  sdata: bigint;
  udata: bigint;
  ext: [bigint, bigint, bigint, bigint];
  disabled: boolean;
  /** Descriptor filters: the guest fd and the open file it named at registration. */
  fd?: number;
  file?: OpenFile;
  /** EV_CLEAR on descriptor filters: quiet since the last report, and what that report saw. */
  cleared?: boolean;
  gen?: number;
  lastData?: bigint;
  lastEof?: boolean;
  /** EVFILT_TIMER: period (0 for one-shot kinds), next expiry (host monotonic ns), expirations counted. */
  period?: bigint;
  next?: bigint;
  /** EVFILT_TIMER expirations / EVFILT_SIGNAL deliveries since the last report. */
  count: bigint;
  /** EVFILT_USER: triggered (kn_hookid). */
  triggered: boolean;
}

interface Fired { data: bigint; fflags: number; eof: boolean }

class Kqueue {
  readonly knotes = new Map<string, Knote>();
  /** Wait channel of threads blocked in kevent on this queue. */
  readonly channel = {};
  constructor(readonly file: OpenFile) {}
}

const kqueues = new WeakMap<OpenFile, Kqueue>();
const procQueues = new WeakMap<Process, Set<Kqueue>>();

const keyOf = (filter: number, ident: bigint): string => `${filter}:${ident}`;
const isFdFilter = (filter: number): boolean => filter === EVFILT.READ || filter === EVFILT.WRITE;

/**
 * A signal was delivered to (or generated for) the process: EVFILT_SIGNAL knotes count it
 * (kern_sig.c tdsendsignal → KNOTE_LOCKED(p->p_klist, NOTE_SIGNAL | sig)), ignored signals included.
 * The signal code calls this.
 */
export function noteSignal(proc: Process, sig: number): void {
  noteSignalImpl(proc, sig);
}
signalObservers.push(noteSignal);

function noteSignalImpl(proc: Process, sig: number): void {
  const set = procQueues.get(proc);
  if (!set) return;
  for (const kq of set) {
    if (kq.file.refs <= 0) { set.delete(kq); continue; }
    const kn = kq.knotes.get(keyOf(EVFILT.SIGNAL, BigInt(sig)));
    if (!kn) continue;
    kn.count++;
    if (!kn.disabled) proc.sched.wake(kq.channel);
  }
}

/** Timer period in ns from data and the unit bits (timer2sbintime); -1 for a bad unit combination. */
function timerNs(data: bigint, fflags: number): bigint {
  switch (fflags & NOTE_TIMER_PRECMASK) {
    case NOTE_SECONDS: return data * NS;
    case 0: case NOTE_MSECONDS: return data * 1_000_000n;
    case NOTE_USECONDS: return data * 1000n;
    case NOTE_NSECONDS: return data;
    default: return -1n;
  }
}

/** filt_timervalidate + start: (re)arms a timer knote from its sdata/sfflags; returns an errno or 0. */
function armTimer(kn: Knote): number {
  if (kn.sdata < 0n) return E.EINVAL;
  if (kn.sdata === 0n && (kn.flags & EV.ONESHOT) === 0) kn.sdata = 1n;
  if ((kn.sfflags & ~(NOTE_TIMER_PRECMASK | NOTE_ABSTIME)) !== 0) return E.EINVAL;
  const t = timerNs(kn.sdata, kn.sfflags);
  if (t < 0n) return E.EINVAL;
  kn.count = 0n;
  if (kn.sfflags & NOTE_ABSTIME) {
    // Absolute CLOCK_REALTIME time; fires once.
    const rel = t - BigInt(Date.now()) * 1_000_000n;
    kn.next = now() + (rel > 0n ? rel : 0n);
    kn.period = 0n;
  } else {
    kn.next = now() + t;
    kn.period = (kn.flags & EV.ONESHOT) ? 0n : t;
  }
  return 0;
}

/** Bytes from the file offset to the end of a regular file (filt_vfsread's kn_data). */
function bytesToEof(f: OpenFile): bigint {
  const size = BigInt(fstatSync(f.hostFd).size);
  const pos = hostLibc().lseek(f.hostFd, 0n, 1);
  return size - (typeof pos === 'bigint' ? pos : BigInt(pos < 0 ? 0 : pos));
}

/** filt_*read / filt_*write for a descriptor: active, data, EV_EOF. */
function fdFilter(kn: Knote, f: OpenFile): Fired | null {
  const read = kn.filter === EVFILT.READ;
  if (f.kind === 'file' || f.kind === 'dir') {
    if (!read) return { data: 0n, fflags: 0, eof: false }; // filt_vfswrite: always
    const data = bytesToEof(f);
    return data !== 0n || (kn.sfflags & NOTE_FILE_POLL) ? { data, fflags: 0, eof: false } : null;
  }
  if (f.kind === 'kqueue') {
    const kq = kqueues.get(f);
    const n = kq ? scan(kq, Infinity, false).length : 0;
    return n > 0 ? { data: BigInt(n), fflags: 0, eof: false } : null;
  }
  if (read) {
    const h = pollNow(f.hostFd, HOST_POLL.IN | HOST_POLL.RDHUP);
    if (h & HOST_POLL.NVAL) return null;
    const eof = (h & (HOST_POLL.HUP | HOST_POLL.RDHUP)) !== 0;
    if (!(h & (HOST_POLL.IN | HOST_POLL.ERR)) && !eof) return null;
    const n = hostFionread(f.hostFd);
    return { data: BigInt(n > 0 ? n : 0), fflags: 0, eof };
  }
  const h = pollNow(f.hostFd, HOST_POLL.OUT);
  if (h & HOST_POLL.NVAL) return null;
  const eof = (h & (HOST_POLL.HUP | HOST_POLL.ERR)) !== 0;
  if (!(h & HOST_POLL.OUT) && !eof) return null;
  let data = 0n;
  if (!eof && f.kind === 'pipe') {
    const used = hostFionread(f.hostFd);
    data = BigInt(Math.max(0, hostPipeSize(f.hostFd) - Math.max(0, used)));
  }
  return { data, fflags: 0, eof };
}

/** Is the knote's descriptor still the file it was registered on (close drops knotes: knote_fdclose)? */
function stillOpen(proc: Process, kn: Knote): boolean {
  return kn.file!.refs > 0 && proc.fds.has(kn.fd!) && proc.fds.file(kn.fd!) === kn.file;
}

let scanProc: Process | undefined;

/** f_event: is the knote active now, and with what data. */
function evaluate(kn: Knote): Fired | null {
  switch (kn.filter) {
    case EVFILT.READ: case EVFILT.WRITE: {
      const st = fdFilter(kn, kn.file!);
      if (!(kn.flags & EV.CLEAR)) return st;
      if (!st) { kn.cleared = false; return null; }
      if (kn.cleared && genOf(kn) === kn.gen && st.data === kn.lastData && st.eof === kn.lastEof) return null;
      return st;
    }
    case EVFILT.TIMER: {
      if (kn.next !== undefined) {
        const t = now();
        if (t >= kn.next) {
          if (kn.period) {
            const k = (t - kn.next) / kn.period + 1n;
            kn.count += k;
            kn.next += k * kn.period;
          } else {
            kn.count += 1n;
            kn.next = undefined;
          }
        }
      }
      return kn.count > 0n ? { data: kn.count, fflags: 0, eof: false } : null;
    }
    case EVFILT.USER:
      return kn.triggered ? { data: kn.sdata, fflags: kn.sfflags, eof: false } : null;
    case EVFILT.SIGNAL:
      return kn.count > 0n ? { data: kn.count, fflags: 0, eof: false } : null;
    default:
      return null;
  }
}

/**
 * kqueue_scan without sleeping: up to `max` active knotes as kevents. With `consume`, applies what a report
 * does (EV_ONESHOT drops, EV_CLEAR resets, EV_DISPATCH disables) and moves level-triggered knotes to the
 * back so a short event list does not starve the others.
 */
function scan(kq: Kqueue, max: number, consume: boolean): Kevent[] {
  const out: Kevent[] = [];
  if (max <= 0) return out;
  for (const [key, kn] of [...kq.knotes]) {
    if (out.length >= max) break;
    if (kn.disabled) continue;
    if (kn.file && scanProc && !stillOpen(scanProc, kn)) { kq.knotes.delete(key); continue; }
    const fired = evaluate(kn);
    if (!fired) continue;
    out.push({
      ident: kn.ident, filter: kn.filter, flags: kn.flags | (fired.eof ? EV.EOF : 0), fflags: fired.fflags,
      data: fired.data, udata: kn.udata, ext: kn.ext,
    });
    if (!consume) continue;
    if (kn.flags & EV.ONESHOT) { kq.knotes.delete(key); continue; }
    if (kn.flags & EV.CLEAR) {
      kn.count = 0n;
      if (kn.filter === EVFILT.USER) kn.triggered = false;
      if (kn.file) { kn.cleared = true; kn.gen = genOf(kn); kn.lastData = fired.data; kn.lastEof = fired.eof; }
    }
    if (kn.flags & EV.DISPATCH) kn.disabled = true;
    kq.knotes.delete(key);
    kq.knotes.set(key, kn);
  }
  return out;
}

/** EVFILT_USER f_touch(EVENT_REGISTER). */
function touchUser(kn: Knote, kev: Kevent): void {
  if (kev.fflags & NOTE_TRIGGER) kn.triggered = true;
  const ffctrl = (kev.fflags & NOTE_FFCTRLMASK) >>> 0;
  const ff = kev.fflags & NOTE_FFLAGSMASK;
  switch (ffctrl) {
    case NOTE_FFAND: kn.sfflags &= ff; break;
    case NOTE_FFOR: kn.sfflags |= ff; break;
    case NOTE_FFCOPY: kn.sfflags = ff; break;
    default: break; // NOTE_FFNOP
  }
  kn.sdata = kev.data;
  if (kev.flags & EV.CLEAR) { kn.triggered = false; kn.count = 0n; }
}

/** kqueue_register: one change; returns 0 or a FreeBSD errno. */
function register(c: SyscallCtx, kq: Kqueue, kev: Kevent): number {
  const f = kev.filter;
  if (f > 0 || f + EVFILT_SYSCOUNT < 0) return E.EINVAL;
  if (f !== EVFILT.READ && f !== EVFILT.WRITE && f !== EVFILT.TIMER && f !== EVFILT.USER && f !== EVFILT.SIGNAL) {
    return E.EOPNOTSUPP; // EVFILT_VNODE, PROC, PROCDESC, AIO, LIO, FS, SENDFILE, EMPTY: not emulated
  }
  let file: OpenFile | undefined;
  let fd: number | undefined;
  if (isFdFilter(f)) {
    if (kev.ident > 0x7fffffffn) return E.EBADF;
    fd = Number(kev.ident);
    if (!c.proc.fds.has(fd)) return E.EBADF;
    file = c.proc.fds.file(fd);
  }
  const key = keyOf(f, kev.ident);
  let kn = kq.knotes.get(key);
  if (kn && kn.file && !stillOpen(c.proc, kn)) { kq.knotes.delete(key); kn = undefined; }
  if (!kn) {
    if (!(kev.flags & EV.ADD)) return E.ENOENT;
    kn = {
      ident: kev.ident, filter: f,
      flags: kev.flags & ~(EV.ADD | EV.DELETE | EV.ENABLE | EV.DISABLE | EV.FORCEONESHOT),
      sfflags: kev.fflags, sdata: kev.data, udata: kev.udata, ext: [...kev.ext] as Kevent['ext'],
      disabled: (kev.flags & EV.DISABLE) !== 0, fd, file, count: 0n, triggered: false,
    };
    // f_attach
    switch (f) {
      case EVFILT.WRITE:
        if (file!.kind === 'kqueue') return E.EINVAL;
        break;
      case EVFILT.TIMER: {
        kn.flags |= EV.CLEAR; // filt_timerattach: "automatically set"
        const err = armTimer(kn);
        if (err) return err;
        break;
      }
      case EVFILT.SIGNAL:
        if (kev.ident < 1n || kev.ident > BigInt(NSIG)) return E.EINVAL;
        kn.flags |= EV.CLEAR; // filt_sigattach
        break;
      case EVFILT.USER:
        kn.sfflags &= NOTE_FFLAGSMASK;
        break;
    }
    kq.knotes.set(key, kn);
    // kqueue_register zeroes the change's fflags/data once they moved into the knote (seen in receipts).
    kev.fflags = 0;
    kev.data = 0n;
  } else {
    if (kev.flags & EV.DELETE) {
      kq.knotes.delete(key);
      return 0;
    }
    if (!(kev.flags & EV.KEEPUDATA)) kn.udata = kev.udata;
    if (f === EVFILT.USER) {
      touchUser(kn, kev);
    } else if (f === EVFILT.TIMER) {
      if (kev.flags & EV.ADD) {
        // filt_timertouch(EVENT_REGISTER): new parameters restart the timer.
        kn.sfflags = kev.fflags;
        kn.sdata = kev.data;
        const err = armTimer(kn);
        if (err) return err;
      }
    } else {
      kn.sfflags = kev.fflags;
      kn.sdata = kev.data;
    }
  }
  // done_ev_add
  if (kev.flags & EV.ENABLE) kn.disabled = false;
  else if (kev.flags & EV.DISABLE) kn.disabled = true;
  return 0;
}

/** The kqueue behind a guest descriptor, or EBADF. */
function kqOf(c: SyscallCtx, fd: number): Kqueue {
  const f = c.proc.fds.file(fd);
  const kq = f.kind === 'kqueue' ? kqueues.get(f) : undefined;
  if (!kq) throw new Errno(E.EBADF);
  return kq;
}

function newKqueue(c: SyscallCtx, cloexec: boolean): number {
  const L = hostLibc();
  const hostFd = check(L.openat(-100, '/dev/null', HOST_O.RDWR | HOST_O.CLOEXEC, 0), 'open /dev/null');
  const file: OpenFile = { hostFd, flags: O.RDWR, kind: 'kqueue', refs: 1 };
  let fd: number;
  try {
    fd = c.proc.fds.install(file, cloexec);
  } catch (e) {
    L.close(hostFd);
    throw e;
  }
  const kq = new Kqueue(file);
  kqueues.set(file, kq);
  let set = procQueues.get(c.proc);
  if (!set) procQueues.set(c.proc, (set = new Set()));
  set.add(kq);
  return fd;
}

// ---------------------------------------------------------------------------------------------------
// Timeouts

/** A wait's end: `immediate` polls; otherwise `deadline` (undefined = forever). */
interface Timeout { immediate: boolean; deadline?: bigint }

/** struct timespec timeout (NULL = forever, {0,0} = poll); negative or nsec out of range is EINVAL. */
function timespecTimeout(c: SyscallCtx, addr: number): Timeout {
  if (addr === 0) return { immediate: false };
  const sec = c.mem.readI64(addr), nsec = c.mem.readI64(addr + 8);
  if (sec < 0n || nsec < 0n || nsec >= NS) throw new Errno(E.EINVAL);
  if (sec === 0n && nsec === 0n) return { immediate: true };
  return { immediate: false, deadline: now() + sec * NS + nsec };
}

/** struct timeval timeout for select. */
function timevalTimeout(c: SyscallCtx, addr: number): Timeout {
  if (addr === 0) return { immediate: false };
  const sec = c.mem.readI64(addr), usec = c.mem.readI64(addr + 8);
  if (sec < 0n || usec < 0n || usec >= 1_000_000n) throw new Errno(E.EINVAL);
  if (sec === 0n && usec === 0n) return { immediate: true };
  return { immediate: false, deadline: now() + sec * NS + usec * 1000n };
}

// ---------------------------------------------------------------------------------------------------
// The common wait: scan now; if nothing and allowed to wait, park until ready, timeout or a signal.

/** `count` is what is ready now (without consuming); `write` copies the results out and returns the call's value. */
interface ScanResult { count: number; write(): number }

const errnoCompletion = (e: number): Completion => ({ value: BigInt(e), errno: e });

function finishScan(run: () => ScanResult): Completion {
  try {
    return { value: BigInt(run().write()) };
  } catch (e) {
    if (e instanceof Errno) return errnoCompletion(e.errno);
    return errnoCompletion(E.EIO);
  }
}

/**
 * Runs `doScan`; returns its count when something is ready or the call must not wait, else parks the thread.
 * `mask` (ppoll/pselect) is the signal mask for the duration of the call; the old one comes back when the
 * call returns. poll/select/kevent are never restarted after a signal (FreeBSD turns ERESTART into EINTR).
 */
function waitFor(c: SyscallCtx, to: Timeout, doScan: () => ScanResult, opts: {
  /** Host descriptors to sleep on (read afresh at each idle); undefined: only `ready` can tell. */
  hostFds: () => HostPollFd[] | undefined; mask?: Uint32Array; channel?: unknown; extraDeadline?: () => bigint | undefined;
}): number | typeof JUST_RETURN {
  const sched = c.proc.sched;
  const t = sched.current;
  // kern_pselect/kern_ppoll: the temporary mask holds for the call; a signal handler that interrupts it
  // saves the old one in its frame (td_oldsigmask, TDP_OLDMASK: Thread.oldMask), otherwise it comes back
  // when the call returns.
  if (opts.mask) {
    t.oldMask = t.mask.w.slice();
    t.mask.set(opts.mask);
    t.mask.sanitize();
  }
  const restore = (): void => {
    if (opts.mask && t.oldMask) {
      t.mask.set(t.oldMask);
      t.oldMask = undefined;
    }
  };
  let r: ScanResult;
  try {
    r = doScan();
  } catch (e) {
    restore();
    throw e;
  }
  if (r.count > 0 || to.immediate || (to.deadline !== undefined && to.deadline <= now())) {
    restore();
    return r.write();
  }
  let deadline = to.deadline;
  const extra = opts.extraDeadline?.();
  if (extra !== undefined && (deadline === undefined || extra < deadline)) deadline = extra;
  const hostFds = opts.hostFds;
  sched.block({
    channel: opts.channel,
    deadline,
    ready: () => { try { return doScan().count > 0; } catch { return true; } },
    get hostFds() { return hostFds(); },
    complete: (why: WakeReason) => {
      restore();
      if (why === 'interrupted') return errnoCompletion(E.EINTR);
      return finishScan(doScan);
    },
  });
  // A signal the temporary mask unblocks, already pending, ends the wait at once (sigsuspend-like).
  if (opts.mask && hasDeliverable(c.proc, t)) sched.finish(t, 'interrupted');
  return JUST_RETURN;
}

// ---------------------------------------------------------------------------------------------------
// kevent

function kevent(c: SyscallCtx, a: BigUint64Array, size: number): number | typeof JUST_RETURN {
  const kq = kqOf(c, int(a[0]));
  const changes = ptr(a[1]), nchanges = int(a[2]);
  let events = ptr(a[3]), nevents = int(a[4]);
  const tsAddr = ptr(a[5]);
  if (nchanges < 0 || nevents < 0) throw new Errno(E.EINVAL);
  scanProc = c.proc;
  // kqueue_kevent: changes in chunks of KQ_NEVENTS (8), errors posted to the event list as they happen.
  let nerrors = 0;
  const KQ_NEVENTS = 8;
  for (let i = 0; i < nchanges; i += KQ_NEVENTS) {
    const n = Math.min(KQ_NEVENTS, nchanges - i);
    const raw = c.mem.read(changes + i * size, n * size);
    for (let k = 0; k < n; k++) {
      const kev = decodeKevent(raw, k * size, size);
      if (kev.filter === 0) continue;
      kev.flags &= ~EV.SYSFLAGS;
      const error = register(c, kq, kev);
      if (error !== 0 || (kev.flags & EV.RECEIPT)) {
        if (nevents === 0) {
          if (error) throw new Errno(error);
          return 0;
        }
        kev.flags = EV.ERROR;
        kev.data = BigInt(error);
        const out = Buffer.alloc(size);
        encodeKevent(kev, out, 0, size);
        c.mem.write(events, out);
        events += size;
        nevents--;
        nerrors++;
      }
    }
  }
  // A trigger or a new active knote may concern a thread already waiting on this queue.
  if (nchanges > 0 && scan(kq, 1, false).length > 0) c.proc.sched.wake(kq.channel);
  if (nerrors) return nerrors;
  if (nevents === 0) return 0;
  const to = timespecTimeout(c, tsAddr);
  const evAddr = events, max = nevents;
  const proc = c.proc;
  const doScan = (): ScanResult => {
    scanProc = proc;
    return {
      count: scan(kq, max, false).length,
      write() {
        const evs = scan(kq, max, true);
        if (evs.length === 0) return 0;
        const out = Buffer.alloc(evs.length * size);
        evs.forEach((ev, i) => encodeKevent(ev, out, i * size, size));
        c.mem.write(evAddr, out);
        return evs.length;
      },
    };
  };
  return waitFor(c, to, doScan, {
    channel: kq.channel,
    hostFds: () => kqHostFds(kq),
    extraDeadline: () => nextTimer(kq),
  });
}

/** Host descriptors a blocked kevent sleeps on: enabled, not quiet descriptor knotes. */
function kqHostFds(kq: Kqueue): HostPollFd[] | undefined {
  const out: HostPollFd[] = [];
  for (const kn of kq.knotes.values()) {
    // A host signal (forwarded by the run loop) may fire an EVFILT_SIGNAL knote: not a descriptor event,
    // so this wait is checked by polling and never called a deadlock.
    if (kn.filter === EVFILT.SIGNAL && !kn.disabled) return undefined;
    if (kn.disabled || !kn.file || kn.file.refs <= 0) continue;
    if (kn.file.kind === 'file' || kn.file.kind === 'dir' || kn.file.kind === 'kqueue') continue;
    // A quiet EV_CLEAR knote whose condition still holds would make the host poll return at once.
    if (kn.cleared && fdFilter(kn, kn.file)) continue;
    out.push({ fd: kn.file.hostFd, events: kn.filter === EVFILT.READ ? HOST_POLL.IN | HOST_POLL.RDHUP : HOST_POLL.OUT });
  }
  return out;
}

function nextTimer(kq: Kqueue): bigint | undefined {
  let d: bigint | undefined;
  for (const kn of kq.knotes.values()) {
    if (kn.filter === EVFILT.TIMER && !kn.disabled && kn.next !== undefined && (d === undefined || kn.next < d)) d = kn.next;
  }
  return d;
}

// ---------------------------------------------------------------------------------------------------
// poll / ppoll

function doPoll(c: SyscallCtx, fdsAddr: number, nfds: number, to: Timeout, mask?: Uint32Array): number | typeof JUST_RETURN {
  // sys_poll: nfds beyond both the descriptor limit and FD_SETSIZE is EINVAL.
  if (nfds < 0 || (nfds > c.proc.fds.limit && nfds > FD_SETSIZE)) throw new Errno(E.EINVAL);
  const raw = nfds ? c.mem.read(fdsAddr, nfds * POLLFD_SIZE) : Buffer.alloc(0);
  const fds = c.proc.fds;
  const doScan = (): ScanResult => {
    let count = 0;
    const rev: number[] = [];
    for (let i = 0; i < nfds; i++) {
      const fd = raw.readInt32LE(i * 8);
      const ev = raw.readUInt16LE(i * 8 + 4);
      let r = 0;
      if (fd >= 0) r = fds.has(fd) ? pollFile(fds.file(fd), ev) : POLL.NVAL;
      rev.push(r);
      if (r) count++;
    }
    return {
      count,
      write() {
        for (let i = 0; i < nfds; i++) raw.writeUInt16LE(rev[i], i * 8 + 6);
        if (nfds) c.mem.write(fdsAddr, raw);
        return count;
      },
    };
  };
  return waitFor(c, to, doScan, {
    mask,
    hostFds: () => {
      const out: HostPollFd[] = [];
      for (let i = 0; i < nfds; i++) {
        const fd = raw.readInt32LE(i * 8);
        if (fd < 0 || !fds.has(fd)) continue;
        const f = fds.file(fd);
        if (f.kind === 'kqueue' || f.kind === 'file' || f.kind === 'dir') continue;
        out.push({ fd: f.hostFd, events: pollEventsToHost(raw.readUInt16LE(i * 8 + 4)) });
      }
      return out;
    },
  });
}

// ---------------------------------------------------------------------------------------------------
// select / pselect

function doSelect(c: SyscallCtx, nd: number, sets: number[], to: Timeout, mask?: Uint32Array): number | typeof JUST_RETURN {
  if (nd < 0) throw new Errno(E.EINVAL);
  const fds = c.proc.fds;
  // kern_select: nd is cut to the highest open descriptor + 1; set bits past that are EBADF
  // (select_check_badfd). Bits are read for at most the descriptor limit.
  const ndu = Math.min(nd, fds.limit);
  const words = Math.ceil(ndu / NFDBITS);
  const bits = sets.map((addr) => (addr && words ? c.mem.read(addr, words * 8) : undefined));
  const wanted: { fd: number; set: number }[] = [];
  for (let s = 0; s < 3; s++) {
    const b = bits[s];
    if (!b) continue;
    for (let fd = 0; fd < ndu; fd++) {
      if (!(b[fd >> 3] & (1 << (fd & 7)))) continue;
      if (!fds.has(fd)) throw new Errno(E.EBADF);
      wanted.push({ fd, set: s });
    }
  }
  const doScan = (): ScanResult => {
    const out = bits.map((b) => (b ? Buffer.alloc(b.length) : undefined));
    let count = 0;
    for (const w of wanted) {
      if (!fds.has(w.fd)) throw new Errno(E.EBADF);
      const r = pollFile(fds.file(w.fd), SELECT_FLAGS[w.set]);
      if (r & SELECT_FLAGS[w.set]) {
        out[w.set]![w.fd >> 3] |= 1 << (w.fd & 7);
        count++;
      }
    }
    return {
      count,
      write() {
        for (let s = 0; s < 3; s++) if (out[s]) c.mem.write(sets[s], out[s]!);
        return count;
      },
    };
  };
  return waitFor(c, to, doScan, {
    mask,
    hostFds: () => {
      const out: HostPollFd[] = [];
      for (const w of wanted) {
        if (!fds.has(w.fd)) continue;
        const f = fds.file(w.fd);
        if (f.kind === 'kqueue' || f.kind === 'file' || f.kind === 'dir') continue;
        out.push({ fd: f.hostFd, events: w.set === 0 ? HOST_POLL.IN : w.set === 1 ? HOST_POLL.OUT : HOST_POLL.PRI });
      }
      return out;
    },
  });
}

function readMask(c: SyscallCtx, addr: number): Uint32Array | undefined {
  if (!addr) return undefined;
  const b = c.mem.read(addr, 16);
  return Uint32Array.from([b.readUInt32LE(0), b.readUInt32LE(4), b.readUInt32LE(8), b.readUInt32LE(12)]);
}

export const eventSyscalls: SyscallDef[] = [
  sys(362, 'kqueue', '', (c) => newKqueue(c, false)),
  sys(583, 'kqueuex', 'hex', (c, a) => {
    const flags = int(a[0]);
    if (flags & ~KQUEUE_CLOEXEC) throw new Errno(E.EINVAL);
    return newKqueue(c, (flags & KQUEUE_CLOEXEC) !== 0);
  }),
  sys(560, 'kevent', 'fd ptr int ptr int timespec', (c, a) => kevent(c, a, KEVENT_SIZE)),
  sys(363, 'freebsd11_kevent', 'fd ptr int ptr int timespec', (c, a) => kevent(c, a, KEVENT11_SIZE)),
  sys(209, 'poll', 'ptr uint int', (c, a) => {
    const ms = int(a[2]);
    if (ms !== INFTIM && ms < 0) throw new Errno(E.EINVAL);
    const to: Timeout = ms === INFTIM ? { immediate: false } : ms === 0 ? { immediate: true }
      : { immediate: false, deadline: now() + BigInt(ms) * 1_000_000n };
    return doPoll(c, ptr(a[0]), uint32(a[1]), to);
  }),
  sys(545, 'ppoll', 'ptr uint timespec sigset', (c, a) => {
    const to = timespecTimeout(c, ptr(a[2]));
    return doPoll(c, ptr(a[0]), uint32(a[1]), to, readMask(c, ptr(a[3])));
  }),
  sys(93, 'select', 'int ptr ptr ptr ptr', (c, a) => {
    const to = timevalTimeout(c, ptr(a[4]));
    return doSelect(c, int(a[0]), [ptr(a[1]), ptr(a[2]), ptr(a[3])], to);
  }),
  sys(522, 'pselect', 'int ptr ptr ptr timespec sigset', (c, a) => {
    const to = timespecTimeout(c, ptr(a[4]));
    return doSelect(c, int(a[0]), [ptr(a[1]), ptr(a[2]), ptr(a[3])], to, readMask(c, ptr(a[5])));
  }),
];

/** nfds_t is u_int; values past INT_MAX fail the limit check as EINVAL. */
function uint32(x: bigint): number {
  return Number(x & 0xffffffffn);
}
