// FreeBSD file-status structures (LP64: amd64 and arm64 share these layouts):
//  - struct stat, ino64 form (sys/sys/stat.h, FreeBSD >= 12), 224 bytes, for fstat 551 / fstatat 552;
//  - struct statfs (sys/sys/mount.h, STATFS_VERSION 0x20140518, MNAMELEN 1024), 2344 bytes;
//  - struct dirent (sys/sys/dirent.h, FreeBSD >= 12), 24-byte header, for getdirentries 554;
//  - struct timespec (sys/sys/_timespec.h), 16 bytes.
// The host side (src/host/stat.ts) fills the neutral StatInfo/StatfsInfo; this module only encodes.

/** A file's status in host-neutral form. Times are [seconds, nanoseconds]. */
export interface StatInfo {
  dev: bigint;
  ino: bigint;
  nlink: bigint;
  mode: number;
  uid: number;
  gid: number;
  rdev: bigint;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  birthtime: Timespec;
  size: bigint;
  blocks: bigint;
  blksize: number;
  /** st_flags (chflags); Linux has no equivalent we map, so 0. */
  flags: number;
  gen: bigint;
}

export interface Timespec { sec: bigint; nsec: number }

export const TIMESPEC_SIZE = 16;
export function encodeTimespec(b: Buffer, off: number, t: Timespec): void {
  b.writeBigInt64LE(t.sec, off);
  b.writeBigInt64LE(BigInt(t.nsec), off + 8);
}
export function decodeTimespec(b: Buffer, off: number): Timespec {
  return { sec: b.readBigInt64LE(off), nsec: Number(b.readBigInt64LE(off + 8)) };
}

/** FreeBSD makedev (sys/sys/types.h __makedev): keeps major()/minor() meaningful in the guest. */
export function makedev(major: number, minor: number): bigint {
  return (BigInt(major & 0xffffff00) << 32n) | BigInt((major & 0xff) << 8)
    | (BigInt(minor & 0xff00) << 24n) | BigInt((minor & 0xffff00ff) >>> 0);
}
export function major(d: bigint): number {
  return Number(((d >> 32n) & 0xffffff00n) | ((d >> 8n) & 0xffn));
}
export function minor(d: bigint): number {
  return Number(((d >> 24n) & 0xff00n) | (d & 0xffff00ffn));
}

/**
 * struct stat (sys/sys/stat.h, !__i386__ form):
 *   dev_t st_dev @0 (u64); ino_t st_ino @8 (u64); nlink_t st_nlink @16 (u64); mode_t st_mode @24 (u16);
 *   short st_bsdflags @26; uid_t st_uid @28; gid_t st_gid @32; int st_padding1 @36; dev_t st_rdev @40;
 *   struct timespec st_atim @48, st_mtim @64, st_ctim @80, st_birthtim @96; off_t st_size @112;
 *   blkcnt_t st_blocks @120; blksize_t st_blksize @128 (i32); fflags_t st_flags @132 (u32);
 *   u64 st_gen @136; u64 st_filerev @144; u64 st_spare[9] @152.  Total 224.
 */
export const STAT_SIZE = 224;
export function encodeStat(s: StatInfo, b: Buffer = Buffer.alloc(STAT_SIZE)): Buffer {
  b.fill(0, 0, STAT_SIZE);
  b.writeBigUInt64LE(BigInt.asUintN(64, s.dev), 0);
  b.writeBigUInt64LE(BigInt.asUintN(64, s.ino), 8);
  b.writeBigUInt64LE(BigInt.asUintN(64, s.nlink), 16);
  b.writeUInt16LE(s.mode & 0xffff, 24);
  b.writeUInt32LE(s.uid >>> 0, 28);
  b.writeUInt32LE(s.gid >>> 0, 32);
  b.writeBigUInt64LE(BigInt.asUintN(64, s.rdev), 40);
  encodeTimespec(b, 48, s.atime);
  encodeTimespec(b, 64, s.mtime);
  encodeTimespec(b, 80, s.ctime);
  encodeTimespec(b, 96, s.birthtime);
  b.writeBigInt64LE(BigInt.asIntN(64, s.size), 112);
  b.writeBigInt64LE(BigInt.asIntN(64, s.blocks), 120);
  b.writeInt32LE(s.blksize | 0, 128);
  b.writeUInt32LE(s.flags >>> 0, 132);
  b.writeBigUInt64LE(BigInt.asUintN(64, s.gen), 136);
  return b;
}
export function decodeStat(b: Buffer): StatInfo {
  return {
    dev: b.readBigUInt64LE(0), ino: b.readBigUInt64LE(8), nlink: b.readBigUInt64LE(16), mode: b.readUInt16LE(24),
    uid: b.readUInt32LE(28), gid: b.readUInt32LE(32), rdev: b.readBigUInt64LE(40),
    atime: decodeTimespec(b, 48), mtime: decodeTimespec(b, 64), ctime: decodeTimespec(b, 80),
    birthtime: decodeTimespec(b, 96), size: b.readBigInt64LE(112), blocks: b.readBigInt64LE(120),
    blksize: b.readInt32LE(128), flags: b.readUInt32LE(132), gen: b.readBigUInt64LE(136),
  };
}

/** File-system status in host-neutral form. */
export interface StatfsInfo {
  /** FreeBSD f_type (vfsconf type number); we report a stable number per type name. */
  type: number;
  /** FreeBSD MNT_* flags. */
  flags: bigint;
  bsize: bigint;
  iosize: bigint;
  blocks: bigint;
  bfree: bigint;
  bavail: bigint;
  files: bigint;
  ffree: bigint;
  namemax: number;
  owner: number;
  fsid: [number, number];
  fstypename: string;
  mntfromname: string;
  mntonname: string;
}

/** sys/sys/mount.h MNT_* flags that statfs reports. */
export const MNT = {
  RDONLY: 0x1n, SYNCHRONOUS: 0x2n, NOEXEC: 0x4n, NOSUID: 0x8n, ASYNC: 0x40n, LOCAL: 0x1000n,
  ROOTFS: 0x4000n, NOSYMFOLLOW: 0x400000n, NOATIME: 0x10000000n,
} as const;

/**
 * struct statfs (sys/sys/mount.h, FreeBSD >= 12):
 *   u32 f_version @0 (STATFS_VERSION 0x20140518); u32 f_type @4; u64 f_flags @8; u64 f_bsize @16;
 *   u64 f_iosize @24; u64 f_blocks @32; u64 f_bfree @40; i64 f_bavail @48; u64 f_files @56; i64 f_ffree @64;
 *   u64 f_syncwrites @72, f_asyncwrites @80, f_syncreads @88, f_asyncreads @96; u64 f_spare[10] @104;
 *   u32 f_namemax @184; uid_t f_owner @188; fsid_t f_fsid @192 (2 x i32); char f_charspare[80] @200;
 *   char f_fstypename[16] @280 (MFSNAMELEN); char f_mntfromname[1024] @296; char f_mntonname[1024] @1320.
 *   Total 2344.
 */
export const STATFS_SIZE = 2344;
export const STATFS_VERSION = 0x20140518;
export const MFSNAMELEN = 16, MNAMELEN = 1024;
function putStr(b: Buffer, off: number, cap: number, s: string): void {
  const bytes = Buffer.from(s, 'utf8').subarray(0, cap - 1);
  bytes.copy(b, off);
}
export function encodeStatfs(s: StatfsInfo): Buffer {
  const b = Buffer.alloc(STATFS_SIZE);
  b.writeUInt32LE(STATFS_VERSION, 0);
  b.writeUInt32LE(s.type >>> 0, 4);
  b.writeBigUInt64LE(s.flags, 8);
  b.writeBigUInt64LE(s.bsize, 16);
  b.writeBigUInt64LE(s.iosize, 24);
  b.writeBigUInt64LE(s.blocks, 32);
  b.writeBigUInt64LE(s.bfree, 40);
  b.writeBigInt64LE(s.bavail, 48);
  b.writeBigUInt64LE(s.files, 56);
  b.writeBigInt64LE(s.ffree, 64);
  b.writeUInt32LE(s.namemax >>> 0, 184);
  b.writeUInt32LE(s.owner >>> 0, 188);
  b.writeInt32LE(s.fsid[0] | 0, 192);
  b.writeInt32LE(s.fsid[1] | 0, 196);
  putStr(b, 280, MFSNAMELEN, s.fstypename);
  putStr(b, 296, MNAMELEN, s.mntfromname);
  putStr(b, 1320, MNAMELEN, s.mntonname);
  return b;
}
export function decodeStatfs(b: Buffer): StatfsInfo & { version: number } {
  const str = (off: number, cap: number) => {
    const s = b.subarray(off, off + cap);
    const z = s.indexOf(0);
    return s.subarray(0, z < 0 ? cap : z).toString('utf8');
  };
  return {
    version: b.readUInt32LE(0), type: b.readUInt32LE(4), flags: b.readBigUInt64LE(8), bsize: b.readBigUInt64LE(16),
    iosize: b.readBigUInt64LE(24), blocks: b.readBigUInt64LE(32), bfree: b.readBigUInt64LE(40),
    bavail: b.readBigInt64LE(48), files: b.readBigUInt64LE(56), ffree: b.readBigInt64LE(64),
    namemax: b.readUInt32LE(184), owner: b.readUInt32LE(188), fsid: [b.readInt32LE(192), b.readInt32LE(196)],
    fstypename: str(280, MFSNAMELEN), mntfromname: str(296, MNAMELEN), mntonname: str(1320, MNAMELEN),
  };
}

/** sys/sys/dirent.h d_type values (the same numbers as Linux's DT_*, plus DT_WHT). */
export const DT = { UNKNOWN: 0, FIFO: 1, CHR: 2, DIR: 4, BLK: 6, REG: 8, LNK: 10, SOCK: 12, WHT: 14 } as const;

/**
 * struct dirent (sys/sys/dirent.h, FreeBSD >= 12):
 *   ino_t d_fileno @0 (u64); off_t d_off @8 (cookie of the NEXT entry); u16 d_reclen @16; u8 d_type @18;
 *   u8 d_pad0 @19; u16 d_namlen @20; u16 d_pad1 @22; char d_name[MAXNAMLEN + 1] @24, NUL-terminated.
 *   _GENERIC_DIRSIZ: d_reclen = roundup2(24 + namlen + 1, 8).
 */
export const DIRENT_HEADER = 24;
export const MAXNAMLEN = 255;
export const direntReclen = (namlen: number): number => (DIRENT_HEADER + namlen + 1 + 7) & ~7;

export interface DirentInfo { fileno: bigint; off: bigint; type: number; name: Buffer }

/** Writes one record at `at`; returns its length, or 0 when it does not fit before `end`. */
export function encodeDirent(b: Buffer, at: number, end: number, d: DirentInfo): number {
  const namlen = Math.min(d.name.length, MAXNAMLEN);
  const reclen = direntReclen(namlen);
  if (at + reclen > end) return 0;
  b.fill(0, at, at + reclen);
  b.writeBigUInt64LE(BigInt.asUintN(64, d.fileno), at);
  b.writeBigInt64LE(BigInt.asIntN(64, d.off), at + 8);
  b.writeUInt16LE(reclen, at + 16);
  b.writeUInt8(d.type, at + 18);
  b.writeUInt16LE(namlen, at + 20);
  d.name.copy(b, at + DIRENT_HEADER, 0, namlen);
  return reclen;
}
export function decodeDirents(b: Buffer): DirentInfo[] {
  const out: DirentInfo[] = [];
  for (let at = 0; at + DIRENT_HEADER <= b.length;) {
    const reclen = b.readUInt16LE(at + 16);
    if (reclen === 0) break;
    const namlen = b.readUInt16LE(at + 20);
    out.push({ fileno: b.readBigUInt64LE(at), off: b.readBigInt64LE(at + 8), type: b.readUInt8(at + 18),
      name: Buffer.from(b.subarray(at + DIRENT_HEADER, at + DIRENT_HEADER + namlen)) });
    at += reclen;
  }
  return out;
}
