// The contracts of the mmap module: what the rest of bsdemu asks of guest memory. Addresses and lengths are
// plain numbers (user addresses fit in 48 bits); file offsets too (< 2^53).

/** Page-flag bits of the page table (target pages). PROT bits are FreeBSD's PROT_READ/WRITE/EXEC. */
export const PAGE = {
  READ: 0x1,
  WRITE: 0x2,
  EXEC: 0x4,
  /** The page is mapped (possibly PROT_NONE). */
  VALID: 0x8,
  /** File page past end-of-file: access gives SIGBUS, not SIGSEGV. */
  BEYOND_EOF: 0x10,
  /** MAP_GUARD: reserved, never accessible, not replaceable without MAP_FIXED. */
  GUARD: 0x20,
} as const;
export const PAGE_PROT_MASK = 0x7;
/** Maximum protection (FreeBSD's max_protection: what mprotect may grant), PROT bits << 6. */
export const PAGE_MAXPROT_SHIFT = 6;
export const PAGE_MAXPROT_MASK = 0x7 << PAGE_MAXPROT_SHIFT;
/** minherit(2) setting (INHERIT_SHARE 0, COPY 1, NONE 2, ZERO 3) << 9, for fork. */
export const PAGE_INHERIT_SHIFT = 9;
export const PAGE_INHERIT_MASK = 0x3 << PAGE_INHERIT_SHIFT;

/** A host file for a file-backed mapping (resolved from the guest fd by the syscall layer). */
export interface MapFile {
  hostFd: number;
  /** The descriptor was opened for reading / writing (FreeBSD checks maxprot against these). */
  readable: boolean;
  writable: boolean;
}

/**
 * What a guest memory fault was, for the signal it becomes. A file page past end-of-file is
 * BUS_OBJERR on FreeBSD (vm_fault's KERN_OUT_OF_BOUNDS in sys/vm/vm_fault.c), which `faultKind` returns.
 */
export type FaultKind = 'SEGV_MAPERR' | 'SEGV_ACCERR' | 'BUS_ADRERR' | 'BUS_OBJERR';

/**
 * Guest memory as the emulator itself reads and writes it (syscall arguments, the loader, signal frames).
 * Every method checks the guest's page protections and throws `Errno(EFAULT)` where the guest could not
 * make the same access; writes into executable pages drop the stale translated code.
 */
export interface GuestMemory {
  read(addr: number, len: number): Buffer;
  /** Copy into `out` (no allocation). */
  readInto(addr: number, out: Uint8Array): void;
  write(addr: number, data: Uint8Array): void;
  /** Write ignoring guest protections (loader: filling read-only segments, the shared page). */
  writeForce(addr: number, data: Uint8Array): void;
  fill(addr: number, len: number, byte: number): void;
  readU8(addr: number): number;
  readU16(addr: number): number;
  readU32(addr: number): number;
  readI32(addr: number): number;
  readU64(addr: number): bigint;
  readI64(addr: number): bigint;
  /** Reads a 64-bit pointer as a number (addresses fit in 53 bits). */
  readPtr(addr: number): number;
  writeU8(addr: number, v: number): void;
  writeU16(addr: number, v: number): void;
  writeU32(addr: number, v: number): void;
  writeU64(addr: number, v: bigint | number): void;
  /** NUL-terminated string; EFAULT past mapped memory, ENAMETOOLONG when longer than `max`. */
  readCString(addr: number, max?: number): string;
  /** Like readCString but returns the raw bytes (no NUL). */
  readCStringBytes(addr: number, max?: number): Buffer;
  /**
   * Host address of guest [addr, addr+len) when it is one contiguous host range with the access
   * allowed (for zero-copy host calls), or -1 when the range is valid but split over host blocks.
   * Throws EFAULT when the guest could not access it.
   */
  hostAddress(addr: number, len: number, write: boolean): number;
  /** A Buffer aliasing guest memory, or null when the range is split over host blocks (same checks). */
  hostView(addr: number, len: number, write: boolean): Buffer | null;
  /** Can the guest read (write) every byte of [addr, addr+len)? */
  accessible(addr: number, len: number, write: boolean): boolean;
  /** Call after the emulator wrote guest memory behind the checks (e.g. host read() into a view). */
  wrote(addr: number, len: number): void;
}

/** The address space of a process: the mmap family plus guest memory access (implemented in mmap.ts). */
export interface AddressSpaceApi extends GuestMemory {
  mmap(addr: number, len: number, prot: number, flags: number, file: MapFile | null, offset: number): number;
  munmap(addr: number, len: number): void;
  mprotect(addr: number, len: number, prot: number): void;
  msync(addr: number, len: number, flags: number): void;
  madvise(addr: number, len: number, advice: number): void;
  minherit(addr: number, len: number, inherit: number): void;
  mincore(addr: number, len: number): Uint8Array;
  pageFlags(addr: number): number;
  faultKind(addr: number, write: boolean, exec: boolean): FaultKind;
  dump(): string;
  /** The emulator wrote file bytes: drop translated code of executable mappings of them. */
  fileWritten(hostFd: number, offset: bigint | undefined, len: number): void;
  /**
   * Drop all translated code, page range by page range over the executable mappings. Same effect as a
   * full translation-cache flush, without Unicorn 2.0.1's tb_flush, which memsets its whole 1 GiB code
   * buffer (~0.8 s and 1 GiB of RSS with MADV_HUGEPAGE; measured for issue 5).
   */
  invalidateCode(): void;
}
