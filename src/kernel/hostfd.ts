// What a host descriptor the guest inherits is: its kind and its open flags in FreeBSD terms.
import { fstatSync } from 'node:fs';
import { constants } from 'node:fs';
import { hostLibc } from '../host/libc.js';
import koffi from 'koffi';
import type { FileKind } from './fdtable.js';

let fcntl: ((fd: number, cmd: number, arg: number) => number) | undefined;
function hostFcntl(): typeof fcntl {
  if (!fcntl) {
    const libc = koffi.load(process.platform === 'darwin' ? 'libc.dylib' : 'libc.so.6');
    fcntl = libc.func('int fcntl(int fd, int cmd, int arg)');
  }
  return fcntl;
}

export function kindOfHostFd(fd: number): FileKind {
  const st = fstatSync(fd);
  if (st.isFIFO()) return 'pipe';
  if (st.isSocket()) return 'socket';
  if (st.isDirectory()) return 'dir';
  // libc isatty rather than node:tty, whose load costs ~5 ms of start-up (issue 5).
  if (st.isCharacterDevice()) return hostLibc().isatty(fd) === 1 ? 'tty' : 'other';
  return st.isFile() ? 'file' : 'other';
}

// sys/sys/fcntl.h
const F_O_NONBLOCK = 0x4, F_O_APPEND = 0x8;
const HOST_F_GETFL = 3; // the same on Linux and macOS

/** F_GETFL of a host descriptor, as FreeBSD flag bits (access mode, O_APPEND, O_NONBLOCK). */
export function flagsOfHostFd(fd: number): number {
  const fl = hostFcntl()!(fd, HOST_F_GETFL, 0);
  if (fl < 0) throw new Error(`fcntl(${fd}) failed`);
  return (fl & 3) | (fl & constants.O_NONBLOCK ? F_O_NONBLOCK : 0) | (fl & constants.O_APPEND ? F_O_APPEND : 0);
}
