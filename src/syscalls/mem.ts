// The mmap family and break (QEMU: bsd-user/bsd-mem.h). The rules live in src/mmap; this file turns
// registers into arguments and descriptors into host files.
import { Errno, E } from '../abi/errno.js';
import type { MapFile } from '../mmap/api.js';
import type { SyscallCtx } from './types.js';
import { int, off, ptr, size } from './args.js';
import { sys, type SyscallDef } from './types.js';
import { RLIMIT } from './proc.js';

// sys/sys/mman.h
const MAP_FIXED = 0x10, MAP_ANON = 0x1000, MAP_GUARD = 0x2000, MAP_STACK = 0x400, MAP_EXCL = 0x4000, MAP_PRIVATE = 0x2;
const PROT_RW = 3;
// sys/sys/fcntl.h access modes
const O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1;

function mapFile(c: SyscallCtx, fd: number): MapFile {
  const f = c.proc.fds.file(fd);
  if (f.kind === 'pipe' || f.kind === 'socket' || f.kind === 'kqueue') throw new Errno(E.ENODEV);
  const acc = f.flags & O_ACCMODE;
  return { hostFd: f.hostFd, readable: acc !== O_WRONLY, writable: acc !== O_RDONLY };
}

/** Stands for "some descriptor was passed" with an anonymous kind: the mmap module rejects it. */
const NOT_A_FILE: MapFile = { hostFd: -1, readable: false, writable: false };

const pageUp = (n: number) => Math.ceil(n / 4096) * 4096;

export const memSyscalls: SyscallDef[] = [
  sys(477, 'mmap', 'ptr size prot mmapflags fd long', (c, a) => {
    const flags = int(a[3]);
    const fd = int(a[4]);
    const anon = (flags & (MAP_ANON | MAP_GUARD | MAP_STACK)) !== 0;
    // kern_mmap checks "fd != -1" for the anonymous kinds (EINVAL, in the mmap module) before it looks
    // the descriptor up (EBADF); a non-anonymous mapping needs an open file.
    let file: MapFile | null = null;
    if (fd !== -1) file = anon ? NOT_A_FILE : mapFile(c, fd);
    else if (!anon) throw new Errno(E.EBADF);
    return c.proc.vm.mmap(ptr(a[0]), size(a[1]), int(a[2]), flags, file, off(a[5]));
  }, 'ptr'),
  sys(73, 'munmap', 'ptr size', (c, a) => { c.proc.vm.munmap(ptr(a[0]), size(a[1])); return 0; }),
  sys(74, 'mprotect', 'ptr size prot', (c, a) => { c.proc.vm.mprotect(ptr(a[0]), size(a[1]), int(a[2])); return 0; }),
  sys(75, 'madvise', 'ptr size madvise', (c, a) => { c.proc.vm.madvise(ptr(a[0]), size(a[1]), int(a[2])); return 0; }),
  sys(65, 'msync', 'ptr size int', (c, a) => { c.proc.vm.msync(ptr(a[0]), size(a[1]), int(a[2])); return 0; }),
  sys(250, 'minherit', 'ptr size int', (c, a) => { c.proc.vm.minherit(ptr(a[0]), size(a[1]), int(a[2])); return 0; }),
  sys(78, 'mincore', 'ptr size ptr', (c, a) => {
    const vec = c.proc.vm.mincore(ptr(a[0]), size(a[1]));
    c.mem.write(ptr(a[2]), vec);
    return 0;
  }),
  sys(17, 'break', 'ptr', (c, a) => {
    // vm_unix.c kern_break: the break moves in whole pages; an address below the data segment just
    // returns the current break (libc's way to find the initial one); growth past RLIMIT_DATA is ENOMEM.
    const p = c.proc;
    const want = pageUp(ptr(a[0]));
    const base = p.brk.base, old = p.brk.cur;
    if (want < base) return old;
    const limit = p.rlimits.get(RLIMIT.DATA)![0];
    if (BigInt(want - base) > limit && want > old) throw new Errno(E.ENOMEM);
    if (want > c.proc.cpu.info.maxUserAddress) throw new Errno(E.ENOMEM);
    if (want > old) {
      try {
        p.vm.mmap(old, want - old, PROT_RW, MAP_FIXED | MAP_EXCL | MAP_ANON | MAP_PRIVATE, null, 0);
      } catch {
        throw new Errno(E.ENOMEM);
      }
    } else if (want < old) {
      p.vm.munmap(want, old - want);
    }
    p.brk.cur = want;
    return want;
  }, 'ptr'),
];
