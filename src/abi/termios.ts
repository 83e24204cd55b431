// FreeBSD struct termios (sys/sys/_termios.h) and tty ioctls (sys/sys/ttycom.h, sys/sys/filio.h), with the
// translation from and to the Linux host's termios (glibc struct termios over <asm-generic/termbits.h>;
// x86_64 and aarch64 agree).

/** ioctl requests (_IOR/_IOW encoding: IOC_OUT 0x40000000, IOC_IN 0x80000000, IOC_VOID 0x20000000). */
export const IOCTL = {
  TIOCGETA: 0x402c7413, TIOCSETA: 0x802c7414, TIOCSETAW: 0x802c7415, TIOCSETAF: 0x802c7416,
  TIOCGWINSZ: 0x40087468, TIOCSWINSZ: 0x80087467, TIOCGPGRP: 0x40047477, TIOCSPGRP: 0x80047476,
  TIOCSCTTY: 0x20007461, TIOCNOTTY: 0x20007471, TIOCEXCL: 0x2000740d, TIOCNXCL: 0x2000740e,
  TIOCOUTQ: 0x40047473, TIOCGSID: 0x40047463,
  FIOCLEX: 0x20006601, FIONCLEX: 0x20006602, FIONREAD: 0x4004667f, FIONBIO: 0x8004667e,
  FIOASYNC: 0x8004667d, FIONWRITE: 0x40046677, FIONSPACE: 0x40046676,
} as const;

/** Linux ioctl numbers (asm-generic/ioctls.h). */
export const HOST_IOCTL = {
  TCGETS: 0x5401, TCSETS: 0x5402, TCSETSW: 0x5403, TCSETSF: 0x5404, TIOCGWINSZ: 0x5413, TIOCSWINSZ: 0x5414,
  TIOCGPGRP: 0x540f, TIOCSPGRP: 0x5410, TIOCSCTTY: 0x540e, TIOCNOTTY: 0x5422, TIOCEXCL: 0x540c,
  TIOCNXCL: 0x540d, TIOCOUTQ: 0x5411, TIOCGSID: 0x5429, FIONREAD: 0x541b, FIOASYNC: 0x5452,
} as const;

/** FreeBSD struct termios: c_iflag @0, c_oflag @4, c_cflag @8, c_lflag @12 (u32), c_cc[20] @16, c_ispeed @36, c_ospeed @40. */
export const TERMIOS_SIZE = 44;
export const NCCS = 20;
export const VDISABLE = 0xff;
export const V = {
  EOF: 0, EOL: 1, EOL2: 2, ERASE: 3, WERASE: 4, KILL: 5, REPRINT: 6, ERASE2: 7, INTR: 8, QUIT: 9, SUSP: 10,
  DSUSP: 11, START: 12, STOP: 13, LNEXT: 14, DISCARD: 15, MIN: 16, TIME: 17, STATUS: 18,
} as const;

export interface Termios { iflag: number; oflag: number; cflag: number; lflag: number; cc: number[]; ispeed: number; ospeed: number }

export function encodeTermios(t: Termios): Buffer {
  const b = Buffer.alloc(TERMIOS_SIZE);
  b.writeUInt32LE(t.iflag >>> 0, 0);
  b.writeUInt32LE(t.oflag >>> 0, 4);
  b.writeUInt32LE(t.cflag >>> 0, 8);
  b.writeUInt32LE(t.lflag >>> 0, 12);
  for (let i = 0; i < NCCS; i++) b[16 + i] = t.cc[i] ?? VDISABLE;
  b.writeUInt32LE(t.ispeed >>> 0, 36);
  b.writeUInt32LE(t.ospeed >>> 0, 40);
  return b;
}
export function decodeTermios(b: Buffer): Termios {
  return { iflag: b.readUInt32LE(0), oflag: b.readUInt32LE(4), cflag: b.readUInt32LE(8), lflag: b.readUInt32LE(12),
    cc: Array.from(b.subarray(16, 16 + NCCS)), ispeed: b.readUInt32LE(36), ospeed: b.readUInt32LE(40) };
}

// ---- Linux host termios (glibc): c_iflag @0, c_oflag @4, c_cflag @8, c_lflag @12, c_line @16, c_cc[32] @17,
// c_ispeed @52, c_ospeed @56; 60 bytes. Speeds are read through cfget*speed (the Bnnn codes). ----
export const HOST_TERMIOS_SIZE = 60;
const HOST_NCCS_OFF = 17;

// [FreeBSD bit, Linux bit]
const IFLAG: [number, number][] = [
  [0x1, 0x1], [0x2, 0x2], [0x4, 0x4], [0x8, 0x8], [0x10, 0x10], [0x20, 0x20], [0x40, 0x40], [0x80, 0x80],
  [0x100, 0x100], /* IXON */ [0x200, 0x400], /* IXOFF */ [0x400, 0x1000], /* IXANY */ [0x800, 0x800],
  /* IMAXBEL */ [0x2000, 0x2000],
];
const OFLAG: [number, number][] = [
  /* OPOST */ [0x1, 0x1], /* ONLCR */ [0x2, 0x4], /* OCRNL */ [0x10, 0x8], /* ONOCR */ [0x20, 0x10],
  /* ONLRET */ [0x40, 0x20],
];
const CFLAG: [number, number][] = [
  /* CSTOPB */ [0x400, 0x40], /* CREAD */ [0x800, 0x80], /* PARENB */ [0x1000, 0x100], /* PARODD */ [0x2000, 0x200],
  /* HUPCL */ [0x4000, 0x400], /* CLOCAL */ [0x8000, 0x800], /* CRTSCTS */ [0x30000, 0x80000000],
];
const LFLAG: [number, number][] = [
  /* ECHOKE */ [0x1, 0x800], /* ECHOE */ [0x2, 0x10], /* ECHOK */ [0x4, 0x20], /* ECHO */ [0x8, 0x8],
  /* ECHONL */ [0x10, 0x40], /* ECHOPRT */ [0x20, 0x400], /* ECHOCTL */ [0x40, 0x200], /* ISIG */ [0x80, 0x1],
  /* ICANON */ [0x100, 0x2], /* IEXTEN */ [0x400, 0x8000], /* EXTPROC */ [0x800, 0x10000],
  /* TOSTOP */ [0x400000, 0x100], /* FLUSHO */ [0x800000, 0x1000], /* PENDIN */ [0x20000000, 0x4000],
  /* NOFLSH */ [0x80000000, 0x80],
];
/** FreeBSD c_cc index → Linux c_cc index (VEOF 4, VEOL 11, VEOL2 16, VERASE 2, VWERASE 14, VKILL 3, ...). */
const CC: [number, number][] = [
  [V.EOF, 4], [V.EOL, 11], [V.EOL2, 16], [V.ERASE, 2], [V.WERASE, 14], [V.KILL, 3], [V.REPRINT, 12],
  [V.INTR, 0], [V.QUIT, 1], [V.SUSP, 10], [V.START, 8], [V.STOP, 9], [V.LNEXT, 15], [V.DISCARD, 13],
  [V.MIN, 6], [V.TIME, 5],
];
/** Linux Bnnn speed codes → baud (FreeBSD speeds are the baud numbers themselves). */
const SPEEDS: [number, number][] = [
  [0, 0], [1, 50], [2, 75], [3, 110], [4, 134], [5, 150], [6, 200], [7, 300], [8, 600], [9, 1200], [10, 1800],
  [11, 2400], [12, 4800], [13, 9600], [14, 19200], [15, 38400], [0x1001, 57600], [0x1002, 115200],
  [0x1003, 230400], [0x1004, 460800], [0x1005, 500000], [0x1006, 576000], [0x1007, 921600],
  [0x1008, 1000000], [0x1009, 1152000], [0x100a, 1500000], [0x100b, 2000000], [0x100c, 2500000],
  [0x100d, 3000000], [0x100e, 3500000], [0x100f, 4000000],
];
export const speedFromHost = (code: number): number => SPEEDS.find(([c]) => c === code)?.[1] ?? 38400;
/** Baud → Linux speed code, or undefined when the host has no such speed. */
export const speedToHost = (baud: number): number | undefined => SPEEDS.find(([, b]) => b === baud)?.[0];

const mapBits = (v: number, pairs: [number, number][], fromHost: boolean): number => {
  let r = 0;
  for (const [g, h] of pairs) {
    if (fromHost ? (v & h) === h : (v & g) === g) r |= fromHost ? g : h;
  }
  return r >>> 0;
};

/** Linux CSIZE 0x30 (CS5..CS8 = 0, 0x10, 0x20, 0x30) ↔ FreeBSD CSIZE 0x300. */
const csizeFromHost = (c: number): number => ((c & 0x30) >> 4) << 8;
const csizeToHost = (c: number): number => ((c & 0x300) >> 8) << 4;

/** The host's termios buffer (from tcgetattr) and its speed codes → FreeBSD termios. */
export function termiosFromHost(h: Buffer, ispeedCode: number, ospeedCode: number): Termios {
  const cc = new Array<number>(NCCS).fill(VDISABLE);
  for (const [g, l] of CC) {
    const v = h[HOST_NCCS_OFF + l];
    // Linux's _POSIX_VDISABLE is 0, FreeBSD's 0xff; VMIN/VTIME are counts, not characters.
    cc[g] = g === V.MIN || g === V.TIME ? v : v === 0 ? VDISABLE : v;
  }
  return {
    iflag: mapBits(h.readUInt32LE(0), IFLAG, true),
    oflag: mapBits(h.readUInt32LE(4), OFLAG, true) | ((h.readUInt32LE(4) & 0x1800) === 0x1800 ? 0x4 : 0), // TAB3 → TABDLY
    cflag: (mapBits(h.readUInt32LE(8), CFLAG, true) | csizeFromHost(h.readUInt32LE(8))) >>> 0,
    lflag: mapBits(h.readUInt32LE(12), LFLAG, true),
    cc,
    ispeed: speedFromHost(ispeedCode),
    ospeed: speedFromHost(ospeedCode),
  };
}

/**
 * FreeBSD termios → the host buffer, starting from the host's current settings `cur` so bits FreeBSD
 * cannot express (IUTF8, c_line, CBAUD) stay as they are. Speeds are set by the caller (cfset*speed).
 */
export function termiosToHost(t: Termios, cur: Buffer): Buffer {
  const h = Buffer.from(cur);
  const keep = (v: number, pairs: [number, number][]) => pairs.reduce((m, [, hb]) => m & ~hb, v) >>> 0;
  h.writeUInt32LE((keep(h.readUInt32LE(0), IFLAG) | mapBits(t.iflag, IFLAG, false)) >>> 0, 0);
  h.writeUInt32LE((keep(h.readUInt32LE(4), OFLAG) & ~0x1800 | mapBits(t.oflag, OFLAG, false) | (t.oflag & 0x4 ? 0x1800 : 0)) >>> 0, 4);
  h.writeUInt32LE((keep(h.readUInt32LE(8), CFLAG) & ~0x30 | mapBits(t.cflag, CFLAG, false) | csizeToHost(t.cflag)) >>> 0, 8);
  h.writeUInt32LE((keep(h.readUInt32LE(12), LFLAG) | mapBits(t.lflag, LFLAG, false)) >>> 0, 12);
  for (const [g, l] of CC) {
    const v = t.cc[g];
    h[HOST_NCCS_OFF + l] = g === V.MIN || g === V.TIME ? v : v === VDISABLE ? 0 : v;
  }
  return h;
}

/** struct winsize (sys/sys/ttycom.h): ws_row, ws_col, ws_xpixel, ws_ypixel (u16 each), 8 bytes: same as Linux. */
export const WINSIZE_SIZE = 8;
