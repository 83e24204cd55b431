// ioctl(2) (QEMU: bsd-user/bsd-ioctl.c): the terminal and descriptor requests C libraries and Go ask for,
// answered from the host tty through libc so a terminal answers truthfully; anything else is ENOTTY.
import { Errno, E } from '../abi/errno.js';
import { O } from '../abi/fcntl.js';
import {
  decodeTermios, encodeTermios, HOST_IOCTL, HOST_TERMIOS_SIZE, IOCTL, speedToHost, TERMIOS_SIZE, termiosFromHost,
  termiosToHost, WINSIZE_SIZE,
} from '../abi/termios.js';
import type { OpenFile } from '../kernel/fdtable.js';
import { addrOf, check, hostLibc } from '../host/libc.js';
import { int, ptr } from './args.js';
import { setStatusFlags } from './file.js';
import { sys, type SyscallCtx, type SyscallDef } from './types.js';

function hostTermios(f: OpenFile): Buffer {
  const b = Buffer.alloc(HOST_TERMIOS_SIZE + 4);
  check(hostLibc().tcgetattr(f.hostFd, addrOf(b)), 'tcgetattr');
  return b;
}

/** An ioctl whose argument is a plain struct copied out of (`out`) or into (`in`) the host call. */
function passStruct(c: SyscallCtx, f: OpenFile, hostReq: number, addr: number, len: number, dir: 'in' | 'out'): number {
  const b = dir === 'in' ? c.mem.read(addr, len) : Buffer.alloc(len);
  if (dir === 'out' && !c.mem.accessible(addr, len, true)) throw new Errno(E.EFAULT);
  check(hostLibc().ioctl(f.hostFd, hostReq, addrOf(b)), 'ioctl');
  if (dir === 'out') c.mem.write(addr, b);
  return 0;
}

function ioctl(c: SyscallCtx, fd: number, req: number, arg: bigint): number {
  const ent = c.proc.fds.get(fd);
  const f = ent.file;
  const addr = ptr(arg);
  const L = hostLibc();
  switch (req) {
    case IOCTL.FIOCLEX: ent.cloexec = true; return 0;
    case IOCTL.FIONCLEX: ent.cloexec = false; return 0;
    case IOCTL.FIONBIO: {
      const on = c.mem.readI32(addr) !== 0;
      setStatusFlags(f, on ? f.flags | O.NONBLOCK : f.flags & ~O.NONBLOCK);
      return 0;
    }
    case IOCTL.FIOASYNC: {
      const on = c.mem.readI32(addr) !== 0;
      setStatusFlags(f, on ? f.flags | O.ASYNC : f.flags & ~O.ASYNC);
      return 0;
    }
    case IOCTL.FIONREAD:
      if (f.kind === 'dir') throw new Errno(E.ENOTTY);
      return passStruct(c, f, HOST_IOCTL.FIONREAD, addr, 4, 'out');
    case IOCTL.TIOCGETA: {
      if (!c.mem.accessible(addr, TERMIOS_SIZE, true)) throw new Errno(E.EFAULT);
      const h = hostTermios(f);
      const t = termiosFromHost(h, L.cfgetispeed(addrOf(h)), L.cfgetospeed(addrOf(h)));
      c.mem.write(addr, encodeTermios(t));
      return 0;
    }
    case IOCTL.TIOCSETA:
    case IOCTL.TIOCSETAW:
    case IOCTL.TIOCSETAF: {
      const t = decodeTermios(c.mem.read(addr, TERMIOS_SIZE));
      const h = termiosToHost(t, hostTermios(f));
      const is = speedToHost(t.ispeed), os = speedToHost(t.ospeed);
      // Speeds the host cannot express keep their current value (best effort).
      if (os !== undefined) L.cfsetospeed(addrOf(h), os);
      if (is !== undefined) L.cfsetispeed(addrOf(h), t.ispeed === 0 ? (os ?? 0) : is);
      const act = req === IOCTL.TIOCSETA ? 0 : req === IOCTL.TIOCSETAW ? 1 : 2; // TCSANOW/TCSADRAIN/TCSAFLUSH
      check(L.tcsetattr(f.hostFd, act, addrOf(h)), 'tcsetattr');
      return 0;
    }
    case IOCTL.TIOCGWINSZ: return passStruct(c, f, HOST_IOCTL.TIOCGWINSZ, addr, WINSIZE_SIZE, 'out');
    case IOCTL.TIOCSWINSZ: return passStruct(c, f, HOST_IOCTL.TIOCSWINSZ, addr, WINSIZE_SIZE, 'in');
    case IOCTL.TIOCGPGRP: return passStruct(c, f, HOST_IOCTL.TIOCGPGRP, addr, 4, 'out');
    case IOCTL.TIOCSPGRP: return passStruct(c, f, HOST_IOCTL.TIOCSPGRP, addr, 4, 'in');
    case IOCTL.TIOCGSID: return passStruct(c, f, HOST_IOCTL.TIOCGSID, addr, 4, 'out');
    case IOCTL.TIOCOUTQ: return passStruct(c, f, HOST_IOCTL.TIOCOUTQ, addr, 4, 'out');
    case IOCTL.TIOCSCTTY: check(L.ioctl(f.hostFd, HOST_IOCTL.TIOCSCTTY, 0), 'ioctl'); return 0;
    case IOCTL.TIOCNOTTY: check(L.ioctl(f.hostFd, HOST_IOCTL.TIOCNOTTY, 0), 'ioctl'); return 0;
    case IOCTL.TIOCEXCL: check(L.ioctl(f.hostFd, HOST_IOCTL.TIOCEXCL, 0), 'ioctl'); return 0;
    case IOCTL.TIOCNXCL: check(L.ioctl(f.hostFd, HOST_IOCTL.TIOCNXCL, 0), 'ioctl'); return 0;
    default:
      throw new Errno(E.ENOTTY);
  }
}

export const ioctlSyscalls: SyscallDef[] = [
  // sys_ioctl: `com` is u_long but only its low 32 bits are meaningful (FreeBSD truncates and warns).
  sys(54, 'ioctl', 'fd ioctl ptr', (c, a) => ioctl(c, int(a[0]), Number(a[1] & 0xffffffffn), a[2])),
];
