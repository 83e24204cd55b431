// FreeBSD errno values (sys/sys/errno.h) and the translation of host errors, always by name: Linux and
// macOS number them differently from 35 on.
import { constants } from 'node:os';

export const E = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, EINTR: 4, EIO: 5, ENXIO: 6, E2BIG: 7, ENOEXEC: 8, EBADF: 9,
  ECHILD: 10, EDEADLK: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14, ENOTBLK: 15, EBUSY: 16, EEXIST: 17,
  EXDEV: 18, ENODEV: 19, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENFILE: 23, EMFILE: 24, ENOTTY: 25,
  ETXTBSY: 26, EFBIG: 27, ENOSPC: 28, ESPIPE: 29, EROFS: 30, EMLINK: 31, EPIPE: 32, EDOM: 33,
  ERANGE: 34, EAGAIN: 35, EINPROGRESS: 36, EALREADY: 37, ENOTSOCK: 38, EDESTADDRREQ: 39,
  EMSGSIZE: 40, EPROTOTYPE: 41, ENOPROTOOPT: 42, EPROTONOSUPPORT: 43, ESOCKTNOSUPPORT: 44,
  EOPNOTSUPP: 45, EPFNOSUPPORT: 46, EAFNOSUPPORT: 47, EADDRINUSE: 48, EADDRNOTAVAIL: 49,
  ENETDOWN: 50, ENETUNREACH: 51, ENETRESET: 52, ECONNABORTED: 53, ECONNRESET: 54, ENOBUFS: 55,
  EISCONN: 56, ENOTCONN: 57, ESHUTDOWN: 58, ETOOMANYREFS: 59, ETIMEDOUT: 60, ECONNREFUSED: 61,
  ELOOP: 62, ENAMETOOLONG: 63, EHOSTDOWN: 64, EHOSTUNREACH: 65, ENOTEMPTY: 66, EPROCLIM: 67,
  EUSERS: 68, EDQUOT: 69, ESTALE: 70, EREMOTE: 71, EBADRPC: 72, ERPCMISMATCH: 73,
  EPROGUNAVAIL: 74, EPROGMISMATCH: 75, EPROCUNAVAIL: 76, ENOLCK: 77, ENOSYS: 78, EFTYPE: 79,
  EAUTH: 80, ENEEDAUTH: 81, EIDRM: 82, ENOMSG: 83, EOVERFLOW: 84, ECANCELED: 85, EILSEQ: 86,
  ENOATTR: 87, EDOOFUS: 88, EBADMSG: 89, EMULTIHOP: 90, ENOLINK: 91, EPROTO: 92, ENOTCAPABLE: 93,
  ECAPMODE: 94, ENOTRECOVERABLE: 95, EOWNERDEAD: 96, EINTEGRITY: 97,
  // Aliases (same numbers, FreeBSD's errno.h).
  ENOTSUP: 45, EWOULDBLOCK: 35,
} as const;
export type ErrnoName = keyof typeof E;

/** Kernel-internal pseudo errors (sys/sys/errno.h, _KERNEL): restart the syscall / leave registers as set. */
export const ERESTART = -1;
export const EJUSTRETURN = -2;

const NAMES: string[] = [];
for (const [k, v] of Object.entries(E)) NAMES[v] ??= k; // the first name of a number is its own
export const errnoName = (n: number): string => NAMES[n] ?? `E#${n}`;

// strerror texts as FreeBSD's libc prints them (lib/libc/gen/errlst.c), for truss-style traces.
const MESSAGES: Record<number, string> = {
  1: 'Operation not permitted', 2: 'No such file or directory', 3: 'No such process',
  4: 'Interrupted system call', 5: 'Input/output error', 6: 'Device not configured',
  7: 'Argument list too long', 8: 'Exec format error', 9: 'Bad file descriptor', 10: 'No child processes',
  11: 'Resource deadlock avoided', 12: 'Cannot allocate memory', 13: 'Permission denied', 14: 'Bad address',
  15: 'Block device required', 16: 'Device busy', 17: 'File exists', 18: 'Cross-device link',
  19: 'Operation not supported by device', 20: 'Not a directory', 21: 'Is a directory',
  22: 'Invalid argument', 23: 'Too many open files in system', 24: 'Too many open files',
  25: 'Inappropriate ioctl for device', 26: 'Text file busy', 27: 'File too large',
  28: 'No space left on device', 29: 'Illegal seek', 30: 'Read-only file system', 31: 'Too many links',
  32: 'Broken pipe', 33: 'Numerical argument out of domain', 34: 'Result too large',
  35: 'Resource temporarily unavailable', 36: 'Operation now in progress',
  37: 'Operation already in progress', 38: 'Socket operation on non-socket',
  39: 'Destination address required', 40: 'Message too long', 41: 'Protocol wrong type for socket',
  42: 'Protocol not available', 43: 'Protocol not supported', 44: 'Socket type not supported',
  45: 'Operation not supported', 46: 'Protocol family not supported',
  47: 'Address family not supported by protocol family', 48: 'Address already in use',
  49: "Can't assign requested address", 50: 'Network is down', 51: 'Network is unreachable',
  52: 'Network dropped connection on reset', 53: 'Software caused connection abort',
  54: 'Connection reset by peer', 55: 'No buffer space available', 56: 'Socket is already connected',
  57: 'Socket is not connected', 58: "Can't send after socket shutdown",
  59: "Too many references: can't splice", 60: 'Operation timed out', 61: 'Connection refused',
  62: 'Too many levels of symbolic links', 63: 'File name too long', 64: 'Host is down',
  65: 'No route to host', 66: 'Directory not empty', 67: 'Too many processes', 68: 'Too many users',
  69: 'Disc quota exceeded', 70: 'Stale NFS file handle', 71: 'Too many levels of remote in path',
  72: 'RPC struct is bad', 73: 'RPC version wrong', 74: 'RPC program not available',
  75: 'Program version wrong', 76: 'Bad procedure for program', 77: 'No locks available',
  78: 'Function not implemented', 79: 'Inappropriate file type or format', 80: 'Authentication error',
  81: 'Need authenticator', 82: 'Identifier removed', 83: 'No message of desired type',
  84: 'Value too large to be stored in data type', 85: 'Operation canceled', 86: 'Illegal byte sequence',
  87: 'Attribute not found', 88: 'Programming error', 89: 'Bad message', 90: 'Multihop attempted',
  91: 'Link has been severed', 92: 'Protocol error', 93: 'Capabilities insufficient',
  94: 'Not permitted in capability mode', 95: 'State not recoverable', 96: 'Previous owner died',
  97: 'Integrity check failed',
};
export const errnoMessage = (n: number): string => MESSAGES[n] ?? `Unknown error: ${n}`;

/** A syscall failure carrying a FreeBSD errno; handlers throw it, the dispatcher returns it. */
export class Errno extends Error {
  constructor(readonly errno: number, detail?: string) {
    super(detail ?? errnoName(errno));
    this.name = 'Errno';
  }
}

// Host errnos that have no FreeBSD twin, mapped to the nearest FreeBSD meaning.
const HOST_ONLY: Record<string, number> = {
  ETIME: E.ETIMEDOUT, ENOSR: E.ENOBUFS, ENODATA: E.ENOATTR, ENOSTR: E.EINVAL, EREMOTEIO: E.EIO,
  ENOMEDIUM: E.EIO, EMEDIUMTYPE: E.EIO, ENOKEY: E.EAUTH, EKEYEXPIRED: E.EAUTH, EKEYREVOKED: E.EAUTH,
  EKEYREJECTED: E.EAUTH, ERFKILL: E.EIO, EHWPOISON: E.EIO, ENOTUNIQ: E.EINVAL, EBADFD: E.EBADF,
  ECHRNG: E.EINVAL, EL2NSYNC: E.EIO, EL3HLT: E.EIO, EL3RST: E.EIO, ELNRNG: E.EINVAL, EUNATCH: E.EIO,
  ENOCSI: E.EIO, EL2HLT: E.EIO, EBADE: E.EINVAL, EBADR: E.EINVAL, EXFULL: E.ENOSPC, ENOANO: E.EINVAL,
  EBADRQC: E.EINVAL, EBADSLT: E.EINVAL, EBFONT: E.EFTYPE, ENONET: E.ENETDOWN, ENOPKG: E.ENOENT,
  EADV: E.EIO, ESRMNT: E.EIO, ECOMM: E.EIO, EDOTDOT: E.EIO, ELIBACC: E.ENOEXEC, ELIBBAD: E.ENOEXEC,
  ELIBSCN: E.ENOEXEC, ELIBMAX: E.ENOEXEC, ELIBEXEC: E.ENOEXEC, ERESTART: E.EINTR, ESTRPIPE: E.EPIPE,
  EUCLEAN: E.EIO, ENOTNAM: E.EINVAL, ENAVAIL: E.EINVAL, EISNAM: E.EINVAL, ECANCELED: E.ECANCELED,
};

const hostToGuest = new Map<number, number>();
for (const [name, hostNo] of Object.entries(constants.errno)) {
  const g = (E as Record<string, number>)[name] ?? HOST_ONLY[name];
  if (g !== undefined && !hostToGuest.has(hostNo)) hostToGuest.set(hostNo, g);
}
// EWOULDBLOCK and ENOTSUP alias EAGAIN and EOPNOTSUPP on every host we run on.
if (constants.errno.EWOULDBLOCK !== undefined) hostToGuest.set(constants.errno.EWOULDBLOCK, E.EAGAIN);
if (constants.errno.ENOTSUP !== undefined) hostToGuest.set(constants.errno.ENOTSUP, E.EOPNOTSUPP);

/** FreeBSD errno for a host errno number (EIO for anything unknown). */
export function hostErrno(hostNo: number): number {
  return hostToGuest.get(hostNo) ?? E.EIO;
}

/** FreeBSD errno for a Node.js system error (err.code is the host errno name). */
export function nodeErrno(err: unknown): number {
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string') {
    const g = (E as Record<string, number>)[e.code] ?? HOST_ONLY[e.code];
    if (g !== undefined) return g;
  }
  if (e && typeof e.errno === 'number') return hostErrno(-e.errno);
  throw err;
}
