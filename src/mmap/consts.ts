// FreeBSD's memory-call constants, from sys/sys/mman.h (and vm_mmap.c where noted).

export const PROT = { NONE: 0, READ: 1, WRITE: 2, EXEC: 4, ALL: 7 } as const;
/** PROT_MAX(p) = p << 16; PROT_MAX_EXTRACT / PROT_EXTRACT undo it. */
export const PROT_MAX_SHIFT = 16;

export const MAP = {
  SHARED: 0x1,
  PRIVATE: 0x2,
  FIXED: 0x10,
  RESERVED0020: 0x20, // once MAP_RENAME: silently ignored
  RESERVED0040: 0x40, // once MAP_NORESERVE: silently ignored
  RESERVED0080: 0x80, // EINVAL
  RESERVED0100: 0x100, // EINVAL
  HASSEMAPHORE: 0x200,
  STACK: 0x400,
  NOSYNC: 0x800,
  ANON: 0x1000,
  GUARD: 0x2000,
  EXCL: 0x4000,
  NOCORE: 0x20000,
  PREFAULT_READ: 0x40000,
  /** LP64 only: place the mapping below MAP_32BIT_MAX_ADDR. */
  '32BIT': 0x80000,
} as const;
export const MAP_ALIGNMENT_SHIFT = 24;
export const MAP_ALIGNMENT_MASK = 0xff << MAP_ALIGNMENT_SHIFT; // negative as an int32: use >>> 0
export const MAP_ALIGNED = (n: number) => (n << MAP_ALIGNMENT_SHIFT) >>> 0;
export const MAP_ALIGNED_SUPER = MAP_ALIGNED(1);
/** vm_mmap.c: MAP_32BIT mappings end at or below 2 GiB. */
export const MAP_32BIT_MAX_ADDR = 2 ** 31;
/** amd64/arm64 superpage (NBPDR / L2_SIZE): what MAP_ALIGNED_SUPER aims for. */
export const SUPERPAGE_SIZE = 2 * 1024 * 1024;

/** Flags kern_mmap accepts (anything else is EINVAL). */
export const MAP_KNOWN =
  MAP.SHARED | MAP.PRIVATE | MAP.FIXED | MAP.HASSEMAPHORE | MAP.STACK | MAP.NOSYNC | MAP.ANON | MAP.EXCL |
  MAP.NOCORE | MAP.PREFAULT_READ | MAP.GUARD | MAP['32BIT'];
/** Flags MAP_GUARD may be combined with. */
export const MAP_GUARD_OK = MAP.FIXED | MAP.GUARD | MAP.EXCL | MAP['32BIT'];

export const MS = { SYNC: 0, ASYNC: 1, INVALIDATE: 2 } as const;

export const MADV = {
  NORMAL: 0, RANDOM: 1, SEQUENTIAL: 2, WILLNEED: 3, DONTNEED: 4, FREE: 5, NOSYNC: 6, AUTOSYNC: 7,
  NOCORE: 8, CORE: 9, PROTECT: 10,
} as const;

export const INHERIT = { SHARE: 0, COPY: 1, NONE: 2, ZERO: 3 } as const;

/** mincore(2) result bits. */
export const MINCORE_INCORE = 0x1;
