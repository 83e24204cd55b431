// Host poll(2) and the few ioctls the event code needs, through koffi. Host values here, never FreeBSD's:
// src/abi/poll.ts translates. Linux <asm-generic/poll.h>; macOS/BSD values where they differ.
import koffi from 'koffi';

const darwin = process.platform === 'darwin';

/** Host poll bits. */
export const HOST_POLL = {
  IN: 0x1, PRI: 0x2, OUT: 0x4, ERR: 0x8, HUP: 0x10, NVAL: 0x20, RDNORM: 0x40, RDBAND: 0x80,
  WRNORM: darwin ? 0x4 : 0x100, WRBAND: darwin ? 0x100 : 0x200,
  /** Linux POLLRDHUP (peer shut down writing); macOS has none. */
  RDHUP: darwin ? 0 : 0x2000,
} as const;

/** FIONREAD: bytes ready to read (Linux 0x541B; BSD _IOR('f', 127, int)). */
const HOST_FIONREAD = darwin ? 0x4004667f : 0x541b;
/** Linux F_GETPIPE_SZ. */
const HOST_F_GETPIPE_SZ = 1032;

interface PollLib {
  poll(fds: number, n: number, timeout: number): number;
  ioctl(fd: number, req: number, arg: number): number;
  fcntl(fd: number, cmd: number, arg: number): number;
}
let lib: PollLib | undefined;
function L(): PollLib {
  if (lib) return lib;
  const h = koffi.load(darwin ? 'libc.dylib' : 'libc.so.6');
  lib = {
    poll: h.func('int poll(uintptr_t fds, unsigned long n, int timeout)') as never,
    ioctl: h.func('int ioctl(int fd, unsigned long req, uintptr_t arg)') as never,
    fcntl: h.func('int fcntl(int fd, int cmd, uintptr_t arg)') as never,
  };
  return lib;
}

export interface HostPollFd { fd: number; events: number }

let scratch = Buffer.alloc(8 * 64);

/**
 * One host poll over `fds` (struct pollfd {int fd; short events; short revents}, 8 bytes, on every host);
 * returns the revents in order. `timeoutMs` 0 polls, -1 waits forever. EINTR counts as "nothing ready".
 */
export function hostPoll(fds: readonly HostPollFd[], timeoutMs: number): number[] {
  const n = fds.length;
  if (scratch.length < n * 8) scratch = Buffer.alloc(n * 8 * 2);
  const b = scratch;
  for (let i = 0; i < n; i++) {
    b.writeInt32LE(fds[i].fd, i * 8);
    b.writeInt16LE(fds[i].events << 16 >> 16, i * 8 + 4);
    b.writeInt16LE(0, i * 8 + 6);
  }
  const r = L().poll(n === 0 ? 0 : Number(koffi.address(b)), n, Math.trunc(timeoutMs));
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = r > 0 ? b.readUInt16LE(i * 8 + 6) : 0;
  return out;
}

/** revents of one descriptor right now (no waiting). */
export function pollNow(fd: number, events: number): number {
  return hostPoll([{ fd, events }], 0)[0];
}

const intBuf = Buffer.alloc(8);
/** FIONREAD on a host descriptor: bytes that a read would return now (pipes, sockets, ttys); -1 on failure. */
export function hostFionread(fd: number): number {
  intBuf.writeInt32LE(0, 0);
  if (L().ioctl(fd, HOST_FIONREAD, Number(koffi.address(intBuf))) < 0) return -1;
  return intBuf.readInt32LE(0);
}

/** Capacity of a host pipe (Linux F_GETPIPE_SZ), or 64 KiB where the host cannot say. */
export function hostPipeSize(fd: number): number {
  if (darwin) return 65536;
  const r = L().fcntl(fd, HOST_F_GETPIPE_SZ, 0);
  return r > 0 ? r : 65536;
}
