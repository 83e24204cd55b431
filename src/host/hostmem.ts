// Host virtual-memory calls through libc (koffi): the mmap module backs every guest mapping with host
// memory of its own. Pointers travel as plain numbers (user-space host addresses fit in 53 bits); koffi 3
// accepts a number where C wants `void *`. Failures throw `Errno` carrying the FreeBSD errno.
import koffi from 'koffi';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { Errno, hostErrno } from '../abi/errno.js';

const isMac = process.platform === 'darwin';

/** Host constants: Linux <bits/mman-linux.h>, macOS <sys/mman.h>; PROT_* agree on both. */
export const HOST_PROT = { NONE: 0, READ: 1, WRITE: 2, EXEC: 4 } as const;
export const HOST_MAP = {
  SHARED: 0x1,
  PRIVATE: 0x2,
  FIXED: 0x10,
  ANON: isMac ? 0x1000 : 0x20,
  // Lazy commit: a 1 GiB PROT_NONE guest reservation must not count against the host's overcommit.
  NORESERVE: isMac ? 0x40 : 0x4000,
} as const;
/** msync flags (Linux: MS_ASYNC 1, MS_INVALIDATE 2, MS_SYNC 4; macOS: MS_SYNC 0x10). */
export const HOST_MS = { ASYNC: 1, INVALIDATE: 2, SYNC: isMac ? 0x10 : 4 } as const;
/** madvise advice that discards page contents (Linux MADV_DONTNEED zero-fills; macOS MADV_FREE). */
export const HOST_MADV_DISCARD = isMac ? 5 : 4;

type Fn = (...args: unknown[]) => unknown;
interface Libc {
  mmap: Fn; munmap: Fn; mprotect: Fn; msync: Fn; madvise: Fn; getpagesize: Fn;
}
let libc: Libc | undefined;

function load(): Libc {
  if (libc) return libc;
  const h = koffi.load(isMac ? 'libc.dylib' : 'libc.so.6');
  libc = {
    // Declared with uintptr_t so results come back as numbers, not koffi pointer objects.
    mmap: h.func('uintptr_t mmap(uintptr_t addr, size_t len, int prot, int flags, int fd, int64_t off)'),
    munmap: h.func('int munmap(uintptr_t addr, size_t len)'),
    mprotect: h.func('int mprotect(uintptr_t addr, size_t len, int prot)'),
    msync: h.func('int msync(uintptr_t addr, size_t len, int flags)'),
    madvise: h.func('int madvise(uintptr_t addr, size_t len, int advice)'),
    getpagesize: h.func('int getpagesize(void)'),
  };
  return libc;
}

function fail(op: string): never {
  const e = koffi.errno();
  throw new Errno(hostErrno(e), `host ${op}: errno ${e}`);
}

const MAP_FAILED = 2 ** 64 - 1; // (void *)-1 as a uintptr_t number (rounds to 2^64)

/** Host mmap; returns the host address. */
export function hostMmap(addr: number, len: number, prot: number, flags: number, fd: number, offset: number): number {
  const r = load().mmap(addr, len, prot, flags, fd, offset) as number | bigint;
  const n = Number(r);
  if (n >= MAP_FAILED) fail('mmap');
  return n;
}

export function hostMunmap(addr: number, len: number): void {
  if ((load().munmap(addr, len) as number) !== 0) fail('munmap');
}

export function hostMprotect(addr: number, len: number, prot: number): void {
  if ((load().mprotect(addr, len, prot) as number) !== 0) fail('mprotect');
}

export function hostMsync(addr: number, len: number, flags: number): void {
  if ((load().msync(addr, len, flags) as number) !== 0) fail('msync');
}

export function hostMadvise(addr: number, len: number, advice: number): void {
  if ((load().madvise(addr, len, advice) as number) !== 0) fail('madvise');
}

let pageSize = 0;
/** The host page size (4096 on Linux x86_64; 16 KiB on Apple silicon and some arm64 Linux kernels). */
export function hostPageSize(): number {
  if (pageSize) return pageSize;
  try {
    pageSize = load().getpagesize() as number;
  } catch {
    // node:child_process only here (loading it costs ~5 ms of every start-up, issue 5).
    const { execFileSync } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
    pageSize = Number(execFileSync('getconf', ['PAGESIZE']).toString().trim());
  }
  return pageSize;
}

/**
 * Where the host mapping that contains `addr` ends (Linux /proc/self/maps), or undefined when unknown:
 * the bound for a scan of memory bsdemu did not allocate itself.
 */
export function hostMappingEnd(addr: number): number | undefined {
  let maps: string;
  try {
    maps = readFileSync('/proc/self/maps', 'latin1');
  } catch {
    return undefined;
  }
  for (const line of maps.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) r/.exec(line);
    if (!m) continue;
    const start = parseInt(m[1], 16), end = parseInt(m[2], 16);
    if (addr >= start && addr < end) return end;
  }
  return undefined;
}
