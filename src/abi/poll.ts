// poll(2)/select(2) ABI (sys/sys/poll.h, sys/sys/select.h) and translation of poll bits to the host.
import { HOST_POLL } from '../host/poll.js';

/** sys/sys/poll.h */
export const POLL = {
  IN: 0x0001, PRI: 0x0002, OUT: 0x0004, RDNORM: 0x0040, WRNORM: 0x0004, RDBAND: 0x0080, WRBAND: 0x0100,
  /** FreeBSD only: ignore EOF on FIFOs and pipes. */
  INIGNEOF: 0x2000, RDHUP: 0x4000,
  ERR: 0x0008, HUP: 0x0010, NVAL: 0x0020,
} as const;
/** INFTIM */
export const INFTIM = -1;

/** struct pollfd {int fd; short events; short revents;}: 8 bytes. */
export const POLLFD_SIZE = 8;

/** sys/sys/select.h: FD_SETSIZE 1024, fd_mask = unsigned long (64 bits on LP64). */
export const FD_SETSIZE = 1024;
export const NFDBITS = 64;

/** What select(2) asks of each set and counts as ready (sys/kern/sys_generic.c select_flags[]). */
export const SELECT_FLAGS = [POLL.RDNORM | POLL.HUP | POLL.ERR, POLL.WRNORM | POLL.HUP | POLL.ERR, POLL.RDBAND | POLL.ERR];

/**
 * FreeBSD requested events → host events. POLLRDNORM rides on the host's POLLIN and POLLWRNORM is
 * POLLOUT on FreeBSD; POLLINIGNEOF has no host form (the caller applies it).
 */
export function pollEventsToHost(ev: number): number {
  let h = 0;
  if (ev & (POLL.IN | POLL.RDNORM)) h |= HOST_POLL.IN | HOST_POLL.RDNORM;
  if (ev & POLL.OUT) h |= HOST_POLL.OUT | HOST_POLL.WRNORM;
  if (ev & POLL.PRI) h |= HOST_POLL.PRI;
  if (ev & POLL.RDBAND) h |= HOST_POLL.RDBAND;
  if (ev & POLL.WRBAND) h |= HOST_POLL.WRBAND;
  if (ev & POLL.RDHUP) h |= HOST_POLL.RDHUP;
  return h;
}

/** Host revents → FreeBSD revents, limited to what was requested plus POLLERR/POLLHUP/POLLNVAL. */
export function pollEventsFromHost(h: number, requested: number): number {
  let g = 0;
  if (h & (HOST_POLL.IN | HOST_POLL.RDNORM)) g |= requested & (POLL.IN | POLL.RDNORM);
  if (h & (HOST_POLL.OUT | HOST_POLL.WRNORM)) g |= requested & POLL.OUT;
  if (h & HOST_POLL.PRI) g |= requested & POLL.PRI;
  if (h & HOST_POLL.RDBAND) g |= requested & POLL.RDBAND;
  if (h & HOST_POLL.WRBAND) g |= requested & POLL.WRBAND;
  if (HOST_POLL.RDHUP && (h & HOST_POLL.RDHUP)) g |= requested & POLL.RDHUP;
  if (h & HOST_POLL.ERR) g |= POLL.ERR;
  if (h & HOST_POLL.HUP) g |= POLL.HUP;
  if (h & HOST_POLL.NVAL) g |= POLL.NVAL;
  return g;
}
