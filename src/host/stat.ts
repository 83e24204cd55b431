// Host file status for the guest's stat/statfs/getdirentries: Linux statx(2) (one layout for every
// architecture, and it has the birth time), statfs(2), getdents64(2), each decoded into the host-neutral
// forms of src/abi/stat.ts.
import { readFileSync, readlinkSync } from 'node:fs';
import { Errno, E } from '../abi/errno.js';
import { makedev, MNT, type StatInfo, type StatfsInfo, type Timespec } from '../abi/stat.js';
import { addrOf, check, checkN, cpath, hostLibc, HOST_SYS_getdents64 } from './libc.js';

// <linux/stat.h>
const STATX_BASIC_STATS = 0x7ff, STATX_BTIME = 0x800;
const STATX_SIZE = 256;
export const HOST_AT_EMPTY_PATH = 0x1000;

const statxBuf = Buffer.alloc(STATX_SIZE);

/** struct statx_timestamp { i64 tv_sec; u32 tv_nsec; i32 pad } */
const ts = (b: Buffer, off: number): Timespec => ({ sec: b.readBigInt64LE(off), nsec: b.readUInt32LE(off + 8) });

/**
 * Decodes a Linux struct statx: stx_mask u32 @0, stx_blksize u32 @4, stx_attributes u64 @8, stx_nlink u32 @16,
 * stx_uid @20, stx_gid @24, stx_mode u16 @28, stx_ino u64 @32, stx_size @40, stx_blocks @48,
 * stx_attributes_mask @56, stx_atime @64, stx_btime @80, stx_ctime @96, stx_mtime @112 (16 bytes each),
 * stx_rdev_major u32 @128, stx_rdev_minor @132, stx_dev_major @136, stx_dev_minor @140.
 */
export function decodeStatx(b: Buffer): StatInfo {
  const mask = b.readUInt32LE(0);
  const ctime = ts(b, 96);
  return {
    dev: makedev(b.readUInt32LE(136), b.readUInt32LE(140)),
    ino: b.readBigUInt64LE(32),
    nlink: BigInt(b.readUInt32LE(16)),
    mode: b.readUInt16LE(28),
    uid: b.readUInt32LE(20),
    gid: b.readUInt32LE(24),
    rdev: makedev(b.readUInt32LE(128), b.readUInt32LE(132)),
    atime: ts(b, 64),
    mtime: ts(b, 112),
    ctime,
    // FreeBSD reports birth time where the file system keeps it; without one, tv_sec -1 (like UFS1).
    birthtime: mask & STATX_BTIME ? ts(b, 80) : { sec: -1n, nsec: 0 },
    size: b.readBigUInt64LE(40),
    blocks: b.readBigUInt64LE(48),
    blksize: b.readUInt32LE(4),
    flags: 0,
    gen: 0n,
  };
}

/** statx(dirfd, path, flags): flags are Linux AT_* bits. */
export function hostStatAt(dirfd: number, path: string | Buffer, linuxFlags: number): StatInfo {
  check(hostLibc().statx(dirfd, typeof path === 'string' ? cpath(path) : path, linuxFlags,
    STATX_BASIC_STATS | STATX_BTIME, addrOf(statxBuf)), 'statx');
  return decodeStatx(statxBuf);
}

export function hostFstat(fd: number): StatInfo {
  return hostStatAt(fd, EMPTY, HOST_AT_EMPTY_PATH);
}
const EMPTY = Buffer.from([0]);

// ---- statfs ----
/** Linux file-system magic numbers (<linux/magic.h>) → FreeBSD type names (vfsconf vfc_name). */
const FS_NAMES: Record<number, string> = {
  0xef53: 'ext2fs', 0x01021994: 'tmpfs', 0x858458f6: 'tmpfs', 0x6969: 'nfs', 0x9fa0: 'procfs',
  0x1373: 'devfs', 0x62656572: 'sysfs', 0x794c7630: 'unionfs', 0x9123683e: 'btrfs', 0x58465342: 'xfs',
  0x2fc12fc1: 'zfs', 0x4d44: 'msdosfs', 0x5346544e: 'ntfs', 0x65735546: 'fusefs', 0x72b6: 'jffs2',
  0x73717368: 'squashfs', 0x9660: 'cd9660', 0x01021997: 'p9fs', 0x61756673: 'aufs',
  0x27e0eb: 'cgroupfs', 0x63677270: 'cgroupfs', 0x64626720: 'debugfs', 0xff534d42: 'smbfs', 0xfe534d42: 'smbfs',
};
/** FreeBSD vfc_typenum of the file systems FreeBSD ships (sys/kern/vfs_init.c assigns them at load; the
 * numbers of a GENERIC 14 kernel), so f_type is plausible; others get a stable number from their name. */
const FS_TYPENUMS: Record<string, number> = {
  ufs: 0x35, zfs: 0xde, tmpfs: 0x87, nfs: 0x3a, devfs: 0x71, procfs: 0x02, msdosfs: 0x32, cd9660: 0xbd,
  ext2fs: 0x9a, fusefs: 0xed, unionfs: 0x4b, nullfs: 0x29, fdescfs: 0x59,
};
const typenum = (name: string): number =>
  FS_TYPENUMS[name] ?? ([...name].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7) & 0xff);

// Linux ST_* flags from statfs f_flags
const ST_RDONLY = 1, ST_NOSUID = 2, ST_NOEXEC = 8, ST_SYNCHRONOUS = 16, ST_NOATIME = 1024;

interface Mount { dev: string; point: string; type: string; source: string }
function mounts(): Mount[] {
  let text = '';
  try { text = readFileSync('/proc/self/mountinfo', 'utf8'); } catch { return []; }
  const unesc = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
  const out: Mount[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-');
    if (f.length < 5 || dash < 0) continue;
    out.push({ dev: f[2], point: unesc(f[4]), type: f[dash + 1] ?? '', source: unesc(f[dash + 2] ?? '') });
  }
  return out;
}

/** The mount holding `realPath` on device major:minor. */
function mountOf(realPath: string | undefined, major: number, minor: number): Mount | undefined {
  const all = mounts();
  const dev = `${major}:${minor}`;
  const under = (m: Mount) => realPath !== undefined && (m.point === '/' || realPath === m.point || realPath.startsWith(m.point + '/'));
  const best = (ms: Mount[]) => ms.filter(under).sort((a, b) => b.point.length - a.point.length)[0];
  const sameDev = all.filter((m) => m.dev === dev);
  return best(sameDev) ?? sameDev[0] ?? best(all);
}

const statfsBuf = Buffer.alloc(128);

/**
 * Decodes Linux struct statfs (64-bit: x86_64 and aarch64): f_type @0, f_bsize @8, f_blocks @16,
 * f_bfree @24, f_bavail @32, f_files @40, f_ffree @48, f_fsid @56 (2 x i32), f_namelen @64, f_frsize @72,
 * f_flags @80.
 */
function decodeHostStatfs(b: Buffer, mount: Mount | undefined, uid: number): StatfsInfo {
  const magic = Number(b.readBigUInt64LE(0) & 0xffffffffn);
  const name = (mount && FS_NAMES_BY_LINUX_TYPE[mount.type]) ?? FS_NAMES[magic] ?? mount?.type ?? 'unknown';
  const lf = Number(b.readBigUInt64LE(80) & 0xffffffffn);
  let flags = 0n;
  if (lf & ST_RDONLY) flags |= MNT.RDONLY;
  if (lf & ST_NOSUID) flags |= MNT.NOSUID;
  if (lf & ST_NOEXEC) flags |= MNT.NOEXEC;
  if (lf & ST_SYNCHRONOUS) flags |= MNT.SYNCHRONOUS;
  if (lf & ST_NOATIME) flags |= MNT.NOATIME;
  if (!['nfs', 'smbfs', 'p9fs', 'fusefs'].includes(name)) flags |= MNT.LOCAL;
  if (mount?.point === '/') flags |= MNT.ROOTFS;
  const frsize = b.readBigInt64LE(72);
  const bsize = b.readBigInt64LE(8);
  return {
    type: typenum(name),
    flags,
    bsize: frsize > 0n ? frsize : bsize,
    iosize: bsize,
    blocks: b.readBigUInt64LE(16),
    bfree: b.readBigUInt64LE(24),
    bavail: b.readBigInt64LE(32),
    files: b.readBigUInt64LE(40),
    ffree: b.readBigInt64LE(48),
    namemax: Number(b.readBigInt64LE(64)),
    owner: mount?.point === '/' ? 0 : uid,
    fsid: [b.readInt32LE(56), b.readInt32LE(60)],
    fstypename: name,
    mntfromname: mount?.source ?? name,
    mntonname: mount?.point ?? '/',
  };
}
/** Linux mountinfo type names → FreeBSD names where FreeBSD has the same file system. */
const FS_NAMES_BY_LINUX_TYPE: Record<string, string> = {
  ext2: 'ext2fs', ext3: 'ext2fs', ext4: 'ext2fs', tmpfs: 'tmpfs', nfs: 'nfs', nfs4: 'nfs', proc: 'procfs',
  devtmpfs: 'devfs', overlay: 'unionfs', vfat: 'msdosfs', msdos: 'msdosfs', iso9660: 'cd9660', zfs: 'zfs',
  fuse: 'fusefs', '9p': 'p9fs', cifs: 'smbfs', smb3: 'smbfs',
};

function realPathOfFd(fd: number): string | undefined {
  try { return readlinkSync(`/proc/self/fd/${fd}`); } catch { return undefined; }
}

export function hostFstatfs(fd: number): StatfsInfo {
  check(hostLibc().fstatfs(fd, addrOf(statfsBuf)), 'fstatfs');
  const b = Buffer.from(statfsBuf);
  const st = hostFstat(fd);
  const dev = st.dev;
  const maj = Number(((dev >> 32n) & 0xffffff00n) | ((dev >> 8n) & 0xffn));
  const min = Number(((dev >> 24n) & 0xff00n) | (dev & 0xffff00ffn));
  return decodeHostStatfs(b, mountOf(realPathOfFd(fd), maj, min), st.uid);
}

// ---- getdents64 ----
export interface HostDirent { ino: bigint; off: bigint; type: number; name: Buffer; reclen: number }

/** Reads raw Linux dirent64 records into `buf`; returns the byte count (0 at the end). */
export function hostGetdents(fd: number, buf: Buffer): number {
  const n = checkN(hostLibc().syscall4(HOST_SYS_getdents64, fd, addrOf(buf), buf.length), 'getdents64');
  if (n > buf.length) throw new Errno(E.EIO);
  return n;
}

/** Linux struct linux_dirent64: d_ino u64 @0, d_off i64 @8, d_reclen u16 @16, d_type u8 @18, d_name @19. */
export function* decodeHostDirents(buf: Buffer, n: number): Generator<HostDirent> {
  for (let at = 0; at < n;) {
    const reclen = buf.readUInt16LE(at + 16);
    if (reclen === 0) break;
    const nameStart = at + 19;
    let z = buf.indexOf(0, nameStart);
    if (z < 0 || z > at + reclen) z = at + reclen;
    yield { ino: buf.readBigUInt64LE(at), off: buf.readBigInt64LE(at + 8), type: buf[at + 18],
      name: buf.subarray(nameStart, z), reclen };
    at += reclen;
  }
}
