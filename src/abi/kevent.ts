// kqueue/kevent ABI (sys/sys/event.h, FreeBSD 14). Two struct layouts are in use:
//  - struct kevent (kevent 560, since FreeBSD 12): ident u64 @0, filter i16 @8, flags u16 @10,
//    fflags u32 @12, data i64 @16, udata ptr @24, ext[4] u64 @32: 64 bytes.
//  - struct freebsd11_kevent (freebsd11_kevent 363, COMPAT11, Go 1.19): ident u64 @0, filter i16 @8,
//    flags u16 @10, fflags u32 @12, data intptr_t @16, udata ptr @24: 32 bytes.

/** Filters (sys/sys/event.h). EVFILT_SYSCOUNT is 13 in FreeBSD 14. */
export const EVFILT = {
  READ: -1, WRITE: -2, AIO: -3, VNODE: -4, PROC: -5, SIGNAL: -6, TIMER: -7, PROCDESC: -8, FS: -9, LIO: -10,
  USER: -11, SENDFILE: -12, EMPTY: -13,
} as const;
export const EVFILT_SYSCOUNT = 13;

/** Action and flag bits of struct kevent.flags. */
export const EV = {
  ADD: 0x0001, DELETE: 0x0002, ENABLE: 0x0004, DISABLE: 0x0008, FORCEONESHOT: 0x0100,
  ONESHOT: 0x0010, CLEAR: 0x0020, RECEIPT: 0x0040, DISPATCH: 0x0080, KEEPUDATA: 0x0200,
  /** Reserved by the system: cleared from every change on input. */
  SYSFLAGS: 0xf000, DROP: 0x1000, FLAG1: 0x2000, FLAG2: 0x4000,
  EOF: 0x8000, ERROR: 0x4000,
} as const;

/** EVFILT_USER fflags. */
export const NOTE_FFNOP = 0x00000000, NOTE_FFAND = 0x40000000, NOTE_FFOR = 0x80000000, NOTE_FFCOPY = 0xc0000000;
export const NOTE_FFCTRLMASK = 0xc0000000, NOTE_FFLAGSMASK = 0x00ffffff, NOTE_TRIGGER = 0x01000000;

/** EVFILT_READ on vnodes: report even at EOF. */
export const NOTE_FILE_POLL = 0x0002;

/** EVFILT_TIMER fflags (units; NOTE_ABSTIME: data is an absolute CLOCK_REALTIME time). */
export const NOTE_SECONDS = 0x01, NOTE_MSECONDS = 0x02, NOTE_USECONDS = 0x04, NOTE_NSECONDS = 0x08,
  NOTE_ABSTIME = 0x10;
export const NOTE_TIMER_PRECMASK = NOTE_SECONDS | NOTE_MSECONDS | NOTE_USECONDS | NOTE_NSECONDS;

/** kqueuex(2) flags. */
export const KQUEUE_CLOEXEC = 0x00000001;

export interface Kevent {
  ident: bigint;
  filter: number;
  flags: number;
  fflags: number;
  data: bigint;
  udata: bigint;
  ext: [bigint, bigint, bigint, bigint];
}

export const KEVENT_SIZE = 64;
export const KEVENT11_SIZE = 32;

/** Decodes one kevent of `size` bytes (64 or 32) at `off`. */
export function decodeKevent(b: Buffer, off: number, size: number): Kevent {
  const ext: [bigint, bigint, bigint, bigint] = [0n, 0n, 0n, 0n];
  if (size === KEVENT_SIZE) for (let i = 0; i < 4; i++) ext[i] = b.readBigUInt64LE(off + 32 + i * 8);
  return {
    ident: b.readBigUInt64LE(off), filter: b.readInt16LE(off + 8), flags: b.readUInt16LE(off + 10),
    fflags: b.readUInt32LE(off + 12), data: b.readBigInt64LE(off + 16), udata: b.readBigUInt64LE(off + 24), ext,
  };
}

/** Encodes one kevent into `b` at `off` in the 64- or 32-byte layout. */
export function encodeKevent(ev: Kevent, b: Buffer, off: number, size: number): void {
  b.writeBigUInt64LE(BigInt.asUintN(64, ev.ident), off);
  b.writeInt16LE(ev.filter, off + 8);
  b.writeUInt16LE(ev.flags & 0xffff, off + 10);
  b.writeUInt32LE(ev.fflags >>> 0, off + 12);
  b.writeBigInt64LE(BigInt.asIntN(64, ev.data), off + 16);
  b.writeBigUInt64LE(BigInt.asUintN(64, ev.udata), off + 24);
  if (size === KEVENT_SIZE) for (let i = 0; i < 4; i++) b.writeBigUInt64LE(BigInt.asUintN(64, ev.ext[i]), off + 32 + i * 8);
}
