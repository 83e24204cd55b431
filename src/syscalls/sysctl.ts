// __sysctl (202) and __sysctlbyname (570) over a self-contained MIB tree (FreeBSD sys/kern/kern_sysctl.c,
// sys/kern/kern_mib.c; numbers from sys/sys/sysctl.h and sys/vm/vm_param.h). Nothing is asked of the host
// kernel except plain facts (hostname, memory, load, CPU model).
//
// Semantics kept from kern_sysctl.c:
//  - namelen < 2 or > CTL_MAXNAME (24) → EINVAL.
//  - an unknown OID → ENOENT; a node without handler → EISDIR; a leaf with extra components → ENOTDIR.
//  - old == NULL: *oldlenp = the size needed, success. A short old buffer: copy what fits, *oldlenp = what
//    was copied (req.validlen), ENOMEM. Strings include their NUL.
//  - a `new` pointer on a read-only OID → EPERM (checked before reading).
//  - meta OIDs under {0}: name {0,1}, next {0,2}, name2oid {0,3} (name in `new`), oidfmt {0,4}.
//  - __sysctlbyname: namelen 0 or > MAXPATHLEN → EINVAL; the name goes through name2oid; unlike __sysctl
//    it does not update *oldlenp when the call fails (ENOMEM included), as sys___sysctlbyname does.
// Dynamic OIDs (OID_AUTO) get numbers from CTL_AUTO_START (0x100) upward within their parent.
import { readFileSync } from 'node:fs';
import { cpus, freemem, hostname, loadavg, totalmem, uptime } from 'node:os';
import { hostRandomFill as randomFillSync } from '../host/random.js';
import { Errno, E } from '../abi/errno.js';
import { OSRELDATE, OSRELEASE } from '../kernel/process.js';
import { ptr, size, uint } from './args.js';
import { sys, type SyscallDef } from './types.js';

// sys/sys/sysctl.h
export const CTLTYPE = {
  NODE: 1, INT: 2, STRING: 3, S64: 4, OPAQUE: 5, UINT: 6, LONG: 7, ULONG: 8, U64: 9, U8: 0xa, U16: 0xb,
  S8: 0xc, S16: 0xd, S32: 0xe, U32: 0xf,
} as const;
export const CTLFLAG_RD = 0x80000000, CTLFLAG_WR = 0x40000000, CTLFLAG_ANYBODY = 0x10000000,
  CTLFLAG_MPSAFE = 0x00040000, CTLFLAG_CAPRD = 0x00008000, CTLFLAG_CAPWR = 0x00004000;
export const CTL = { SYSCTL: 0, KERN: 1, VM: 2, VFS: 3, NET: 4, DEBUG: 5, HW: 6, MACHDEP: 7, USER: 8, P1003_1B: 9 } as const;
export const CTL_MAXNAME = 24;
export const CTL_AUTO_START = 0x100;
const MAXPATHLEN = 1024;

/** What the sysctl handlers read from the process (Process satisfies it; tests pass a plain object). */
export interface SysctlProc {
  readonly pid: number;
  readonly ncpus: number;
  readonly execPath: string;
  readonly argv: string[];
  readonly stackTop: number;
  readonly psStrings: number;
  readonly umask: number;
  readonly cpu: { readonly info: { readonly pageSize: number; readonly pageSizes: readonly number[];
    readonly machine: string; readonly machineArch: string } };
}

type Getter = (p: SysctlProc, rest: number[], oldlen: number) => Buffer;

export interface Oid {
  readonly name: string;
  readonly number: number;
  /** CTLTYPE_* | CTLFLAG_* as oidfmt reports it. */
  readonly kind: number;
  readonly fmt: string;
  readonly parent?: Oid;
  readonly children?: Map<number, Oid>;
  /** Leaf value, or (for a node with a handler) the handler taking the remaining MIB components. */
  readonly get?: Getter;
}

// ---------------------------------------------------------------------------------------------------------
// Values

/** MAXCPU on FreeBSD 14 amd64 (kern.smp.maxcpus); cpuset_t is MAXCPU bits. */
export const MAXCPU = 1024;
export const ARG_MAX = 524288;
export const MAXFILES = 131072;
export const MAXFILESPERPROC = 117964;
export const IOV_MAX = 1024;
export const NGROUPS_MAX = 1023;
export const SOMAXCONN = 128;
/** kern.version of 14.1-RELEASE GENERIC. */
export const KERN_VERSION = `FreeBSD ${OSRELEASE} releng/14.1-n267679-10e31f0946d8 GENERIC\n`;
const HZ = 1000;
const FSCALE = 2048;

const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; };
const i32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeInt32LE(v | 0); return b; };
const u64 = (v: number | bigint): Buffer => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; };
const i64 = (v: number | bigint): Buffer => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(v)); return b; };
const cstr = (s: string): Buffer => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.alloc(1)]);

let cachedUuid: string | undefined;
function hostUuid(): string {
  if (cachedUuid) return cachedUuid;
  let id = '';
  try { id = readFileSync('/etc/machine-id', 'utf8').trim(); } catch { /* none */ }
  if (!/^[0-9a-f]{32}$/.test(id)) id = '0'.repeat(32);
  cachedUuid = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
  return cachedUuid;
}

function boottime(): Buffer {
  // struct timeval { time_t tv_sec; suseconds_t tv_usec; }
  const us = BigInt(Date.now()) * 1000n - BigInt(Math.round(uptime() * 1e6));
  return Buffer.concat([i64(us / 1000000n), i64(us % 1000000n)]);
}

function clockinfo(): Buffer {
  // struct clockinfo { int hz; int tick; int spare; int stathz; int profhz; }
  return Buffer.concat([i32(HZ), i32(1000000 / HZ), i32(0), i32(127), i32(8128)]);
}

function loadavgStruct(): Buffer {
  // struct loadavg { fixpt_t ldavg[3]; long fscale; } (u32 ×3, pad, long)
  const b = Buffer.alloc(24);
  loadavg().forEach((l, i) => b.writeUInt32LE(Math.round(l * FSCALE) >>> 0, i * 4));
  b.writeBigInt64LE(BigInt(FSCALE), 16);
  return b;
}

/** kern.proc.* handlers take one more component: a pid, -1 meaning the caller. */
function procArg(p: SysctlProc, rest: number[]): void {
  if (rest.length !== 1) throw new Errno(E.EINVAL);
  if (rest[0] !== -1 && rest[0] !== p.pid) throw new Errno(E.ESRCH);
}

// ---------------------------------------------------------------------------------------------------------
// The tree

type Spec =
  | { t: 'node'; n: number | 'auto'; name: string; kids: Spec[]; handler?: Getter; fmt?: string }
  | { t: 'leaf'; n: number | 'auto'; name: string; type: number; fmt: string; get: Getter; flags?: number };

const node = (n: number | 'auto', name: string, kids: Spec[]): Spec => ({ t: 'node', n, name, kids });
const handlerNode = (n: number | 'auto', name: string, fmt: string, handler: Getter): Spec =>
  ({ t: 'node', n, name, kids: [], handler, fmt });
const leaf = (n: number | 'auto', name: string, type: number, fmt: string, get: Getter, flags = 0): Spec =>
  ({ t: 'leaf', n, name, type, fmt, get, flags });
const int = (n: number | 'auto', name: string, v: (p: SysctlProc) => number): Spec =>
  leaf(n, name, CTLTYPE.INT, 'I', (p) => i32(v(p)));
const uintL = (n: number | 'auto', name: string, v: (p: SysctlProc) => number): Spec =>
  leaf(n, name, CTLTYPE.UINT, 'IU', (p) => u32(v(p)));
const ulong = (n: number | 'auto', name: string, v: (p: SysctlProc) => number | bigint): Spec =>
  leaf(n, name, CTLTYPE.ULONG, 'LU', (p) => u64(v(p)));
const str = (n: number | 'auto', name: string, v: (p: SysctlProc) => string): Spec =>
  leaf(n, name, CTLTYPE.STRING, 'A', (p) => cstr(v(p)));

// Meta OIDs: their output depends on the request, so sysctlQuery handles them; these entries give names.
const META: Spec[] = [
  leaf(1, 'name', CTLTYPE.NODE, '', () => Buffer.alloc(0)),
  leaf(2, 'next', CTLTYPE.NODE, '', () => Buffer.alloc(0)),
  leaf(3, 'name2oid', CTLTYPE.INT, 'I', () => Buffer.alloc(0)),
  leaf(4, 'oidfmt', CTLTYPE.OPAQUE, '', () => Buffer.alloc(0)),
];

const TREE: Spec[] = [
  node(CTL.SYSCTL, 'sysctl', META),
  node(CTL.KERN, 'kern', [
    str(1, 'ostype', () => 'FreeBSD'),
    str(2, 'osrelease', () => OSRELEASE),
    int(3, 'osrevision', () => 199506),
    str(4, 'version', () => KERN_VERSION),
    int(6, 'maxproc', () => 6000),
    int(7, 'maxfiles', () => MAXFILES),
    int(8, 'argmax', () => ARG_MAX),
    int(9, 'securelevel', () => -1),
    str(10, 'hostname', () => hostname()),
    ulong(11, 'hostid', () => Number.parseInt(hostUuid().slice(0, 8), 16) >>> 0),
    leaf(12, 'clockrate', CTLTYPE.OPAQUE, 'S,clockinfo', () => clockinfo()),
    node(14, 'proc', [
      handlerNode(7, 'args', '', (p, rest) => {
        procArg(p, rest);
        return Buffer.concat(p.argv.map(cstr));
      }),
      handlerNode(12, 'pathname', '', (p, rest) => { procArg(p, rest); return cstr(p.execPath); }),
      handlerNode(38, 'ps_strings', '', (p, rest) => { procArg(p, rest); return u64(p.psStrings); }),
      handlerNode(39, 'umask', '', (p, rest) => {
        procArg(p, rest);
        const b = Buffer.alloc(2);
        b.writeUInt16LE(p.umask & 0xffff);
        return b;
      }),
      handlerNode(40, 'osrel', '', (p, rest) => { procArg(p, rest); return i32(OSRELDATE); }),
    ]),
    int(17, 'posix1version', () => 200809),
    int(18, 'ngroups', () => NGROUPS_MAX),
    int(19, 'job_control', () => 1),
    int(20, 'saved_ids', () => 0),
    leaf(21, 'boottime', CTLTYPE.OPAQUE, 'S,timeval', () => boottime()),
    str(22, 'domainname', () => ''),
    int(24, 'osreldate', () => OSRELDATE),
    str(26, 'bootfile', () => '/boot/kernel/kernel'),
    int(27, 'maxfilesperproc', () => MAXFILESPERPROC),
    int(28, 'maxprocperuid', () => 5400),
    node(30, 'ipc', [
      ulong(1, 'maxsockbuf', () => 2097152),
      uintL(3, 'somaxconn', () => SOMAXCONN),
      uintL('auto', 'soacceptqueue', () => SOMAXCONN),
    ]),
    ulong(32, 'ps_strings', (p) => p.psStrings),
    ulong(33, 'usrstack', (p) => p.stackTop),
    int(34, 'logsigexit', () => 1),
    int(35, 'iov_max', () => IOV_MAX),
    str(36, 'hostuuid', () => hostUuid()),
    // sysctl_kern_arnd: MIN(req->oldlen, 256) random bytes.
    leaf(37, 'arandom', CTLTYPE.OPAQUE, '', (_p, _r, oldlen) => randomFillSync(Buffer.alloc(Math.min(oldlen, 256)))),
    ulong(38, 'maxphys', () => 1048576),
    node('auto', 'smp', [
      int('auto', 'maxcpus', () => MAXCPU),
      int('auto', 'cpus', (p) => p.ncpus),
      int('auto', 'mp_maxid', (p) => p.ncpus - 1),
    ]),
    int('auto', 'fscale', () => FSCALE),
  ]),
  node(CTL.VM, 'vm', [
    leaf(2, 'loadavg', CTLTYPE.OPAQUE, 'S,loadavg', () => loadavgStruct()),
    int(12, 'overcommit', () => 0),
    ulong('auto', 'max_user_wired', () => Math.floor(totalmem() / 4096 / 3)),
  ]),
  node(CTL.VFS, 'vfs', []),
  node(CTL.NET, 'net', []),
  node(CTL.DEBUG, 'debug', []),
  node(CTL.HW, 'hw', [
    str(1, 'machine', (p) => p.cpu.info.machine),
    str(2, 'model', () => cpus()[0]?.model?.trim() || 'Unknown CPU'),
    int(3, 'ncpu', (p) => p.ncpus),
    int(4, 'byteorder', () => 1234),
    ulong(5, 'physmem', () => totalmem()),
    ulong(6, 'usermem', () => freemem()),
    int(7, 'pagesize', (p) => p.cpu.info.pageSize),
    int(10, 'floatingpt', () => 1),
    str(11, 'machine_arch', (p) => p.cpu.info.machineArch),
    ulong(12, 'realmem', () => totalmem()),
    // sysctl_hw_pagesizes: MAXPAGESIZES (3) u_longs, zero past the supported sizes.
    leaf('auto', 'pagesizes', CTLTYPE.OPAQUE, 'S,pagesizes', (p) => {
      const b = Buffer.alloc(24);
      p.cpu.info.pageSizes.slice(0, 3).forEach((s, i) => b.writeBigUInt64LE(BigInt(s), i * 8));
      return b;
    }),
    leaf('auto', 'availpages', CTLTYPE.S64, 'Q', (p) => i64(Math.floor(totalmem() / p.cpu.info.pageSize))),
  ]),
  node(CTL.MACHDEP, 'machdep', []),
  node(CTL.USER, 'user', [
    str(1, 'cs_path', () => '/usr/bin:/bin:/usr/sbin:/sbin'),
    int(2, 'bc_base_max', () => 99),
    int(3, 'bc_dim_max', () => 2048),
    int(4, 'bc_scale_max', () => 99),
    int(5, 'bc_string_max', () => 1000),
    int(6, 'coll_weights_max', () => 10),
    int(7, 'expr_nest_max', () => 32),
    int(8, 'line_max', () => 2048),
    int(9, 're_dup_max', () => 255),
    int(10, 'posix2_version', () => 199212),
    int(11, 'posix2_c_bind', () => 0),
    int(12, 'posix2_c_dev', () => 0),
    int(13, 'posix2_char_term', () => 0),
    int(14, 'posix2_fort_dev', () => 0),
    int(15, 'posix2_fort_run', () => 0),
    int(16, 'posix2_localedef', () => 0),
    int(17, 'posix2_sw_dev', () => 0),
    int(18, 'posix2_upe', () => 0),
    int(19, 'stream_max', () => 20),
    int(20, 'tzname_max', () => 255),
    str('auto', 'localbase', () => '/usr/local'),
  ]),
  node(CTL.P1003_1B, 'p1003_1b', [
    int(20, 'pagesize', (p) => p.cpu.info.pageSize),
  ]),
];

function build(specs: Spec[], parent: Oid | undefined): Map<number, Oid> {
  const map = new Map<number, Oid>();
  let auto = CTL_AUTO_START;
  for (const s of specs) {
    const number = s.n === 'auto' ? auto++ : s.n;
    if (map.has(number)) throw new Error(`sysctl: duplicate OID ${number} under ${parent?.name ?? 'root'}`);
    if (s.t === 'node') {
      const o: { -readonly [K in keyof Oid]: Oid[K] } = {
        name: s.name, number, parent, fmt: s.fmt ?? 'N',
        kind: CTLTYPE.NODE | CTLFLAG_RD | CTLFLAG_MPSAFE | CTLFLAG_CAPRD,
      };
      if (s.handler) o.get = s.handler;
      else o.children = build(s.kids, o);
      map.set(number, o);
    } else {
      const meta = parent?.number === CTL.SYSCTL && parent.parent === undefined;
      const kind = s.type | CTLFLAG_RD | CTLFLAG_MPSAFE | CTLFLAG_CAPRD | (s.flags ?? 0)
        | (meta ? CTLFLAG_WR | CTLFLAG_ANYBODY | CTLFLAG_CAPWR : 0);
      map.set(number, { name: s.name, number, parent, kind, fmt: s.fmt, get: s.get });
    }
  }
  return map;
}

export const ROOT: Map<number, Oid> = build(TREE, undefined);

// ---------------------------------------------------------------------------------------------------------
// Lookup

/** sysctl_find_oid: the OID and how many components it consumed. */
export function findOid(mib: readonly number[]): { oid: Oid; used: number } {
  let level: Map<number, Oid> | undefined = ROOT;
  for (let i = 0; i < mib.length && i < CTL_MAXNAME; i++) {
    const o: Oid | undefined = level?.get(mib[i]);
    if (!o) throw new Errno(E.ENOENT);
    if ((o.kind & 0xf) === CTLTYPE.NODE && o.children) {
      if (i + 1 === mib.length) return { oid: o, used: i + 1 };
      level = o.children;
    } else if (o.children === undefined && (o.kind & 0xf) === CTLTYPE.NODE) {
      return { oid: o, used: i + 1 }; // a node with a handler takes the rest
    } else if (i + 1 === mib.length) {
      return { oid: o, used: i + 1 };
    } else {
      throw new Errno(E.ENOTDIR);
    }
  }
  throw new Errno(E.ENOENT);
}

/** name2oid: dotted name → OID ints. Stops at a leaf or a handler node; anything left → ENOENT. */
export function nameToOid(name: string): number[] {
  const out: number[] = [];
  let level: Map<number, Oid> | undefined = ROOT;
  let rest = name;
  while (out.length < CTL_MAXNAME && level) {
    const dot = rest.indexOf('.');
    const part = dot < 0 ? rest : rest.slice(0, dot);
    let found: Oid | undefined;
    for (const o of level.values()) if (o.name === part) { found = o; break; }
    if (!found) throw new Errno(E.ENOENT);
    out.push(found.number);
    rest = dot < 0 ? '' : rest.slice(dot + 1);
    if (rest === '') return out;
    level = found.children; // a leaf or a handler node has none: more components → ENOENT
  }
  throw new Errno(E.ENOENT);
}

/** sysctl_sysctl_name: known components by name, the rest as numbers. */
export function oidToName(mib: readonly number[]): string {
  const parts: string[] = [];
  let level: Map<number, Oid> | undefined = ROOT;
  for (const n of mib) {
    const o: Oid | undefined = level?.get(n);
    if (o) { parts.push(o.name); level = o.children; } else { parts.push(String(n)); level = undefined; }
  }
  return parts.join('.');
}

function leaves(map: Map<number, Oid>, prefix: number[], out: number[][]): void {
  for (const n of [...map.keys()].sort((a, b) => a - b)) {
    const o = map.get(n)!;
    const oid = [...prefix, n];
    if (o.children) leaves(o.children, oid, out);
    else out.push(oid);
  }
}
let leafList: number[][] | undefined;

function cmpOid(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** sysctl_sysctl_next: the first leaf after `mib` in depth-first order (meta OIDs skipped). */
export function nextOid(mib: readonly number[]): number[] {
  if (!leafList) { leafList = []; leaves(ROOT, [], leafList); leafList = leafList.filter((l) => l[0] !== CTL.SYSCTL); }
  for (const l of leafList) if (cmpOid(l, mib) > 0) return l; // a prefix sorts before its extensions
  throw new Errno(E.ENOENT);
}

const intsOut = (ints: readonly number[]): Buffer => {
  const b = Buffer.alloc(ints.length * 4);
  ints.forEach((v, i) => b.writeInt32LE(v | 0, i * 4));
  return b;
};

/**
 * The value a request reads (all of it; the caller trims to the old buffer). `oldlen` is the caller's
 * *oldlenp (some handlers size their answer from it); `newData` is the `new` buffer or null.
 */
export function sysctlValue(p: SysctlProc, mib: readonly number[], oldlen: number, newData: Buffer | null): Buffer {
  if (mib.length >= 2 && mib[0] === CTL.SYSCTL) {
    const rest = mib.slice(2);
    switch (mib[1]) {
      case 1: return cstr(oidToName(rest));
      case 2: return intsOut(nextOid(rest));
      case 3: {
        if (!newData || newData.length === 0) throw new Errno(E.ENOENT);
        if (newData.length >= MAXPATHLEN) throw new Errno(E.ENAMETOOLONG);
        const z = newData.indexOf(0);
        return intsOut(nameToOid(newData.subarray(0, z < 0 ? newData.length : z).toString('latin1')));
      }
      case 4: {
        const { oid } = findOid(rest);
        return Buffer.concat([u32(oid.kind), cstr(oid.fmt)]);
      }
      default: throw new Errno(E.ENOENT);
    }
  }
  const { oid, used } = findOid(mib);
  if (!oid.get) throw new Errno(E.EISDIR);
  if (newData !== null && (oid.kind & CTLFLAG_WR) === 0) throw new Errno(E.EPERM);
  return oid.get(p, mib.slice(used), oldlen);
}

export interface SysctlOutcome {
  /** Bytes to copy to `old` (already trimmed to its size), or null without an old buffer. */
  out: Buffer | null;
  /** The value for *oldlenp. */
  oldlen: number;
  /** 0 or ENOMEM (other errors throw). */
  errno: number;
}

/** userland_sysctl without the copies: `oldCap` is the old buffer's size, or null when old == NULL. */
export function sysctlQuery(p: SysctlProc, mib: readonly number[], oldlen: number, hasOld: boolean,
  newData: Buffer | null): SysctlOutcome {
  const v = sysctlValue(p, mib, oldlen, newData);
  if (!hasOld) return { out: null, oldlen: v.length, errno: 0 };
  if (v.length > oldlen) return { out: v.subarray(0, oldlen), oldlen, errno: E.ENOMEM };
  return { out: v, oldlen: v.length, errno: 0 };
}

// ---------------------------------------------------------------------------------------------------------
// The syscalls

const NEW_MAX = 1 << 20;

/** *oldlenp (size_t); sizes past what any handler produces are just "large". */
function readOldlen(mem: { readU64(a: number): bigint }, addr: number): number {
  const v = mem.readU64(addr);
  return v > 0x7fffffffn ? 0x7fffffff : Number(v);
}

function readNew(mem: { read(a: number, n: number): Buffer }, newp: number, newlen: number): Buffer | null {
  if (newp === 0) return null;
  if (newlen > NEW_MAX) throw new Errno(E.EINVAL);
  return newlen ? mem.read(newp, newlen) : Buffer.alloc(0);
}

export const sysctlSyscalls: SyscallDef[] = [
  sys(202, '__sysctl', 'mib:1 uint ptr ptr ptr size', (c, a) => {
    const namelen = uint(a[1]);
    if (namelen < 2 || namelen > CTL_MAXNAME) throw new Errno(E.EINVAL);
    const nb = c.mem.read(ptr(a[0]), namelen * 4);
    const mib: number[] = [];
    for (let i = 0; i < namelen; i++) mib.push(nb.readInt32LE(i * 4));
    const oldp = ptr(a[2]), oldlenp = ptr(a[3]);
    const oldlen = oldlenp ? readOldlen(c.mem, oldlenp) : 0;
    const newData = readNew(c.mem, ptr(a[4]), size(a[5]));
    const r = sysctlQuery(c.proc, mib, oldlen, oldp !== 0, newData);
    if (r.out && r.out.length) c.mem.write(oldp, r.out);
    if (oldlenp) c.mem.writeU64(oldlenp, BigInt(r.oldlen));
    if (c.proc.opts.strace) {
      let note = oidToName(mib);
      if (mib[0] === CTL.SYSCTL && mib[1] === 3 && newData && r.out) {
        const z = newData.indexOf(0);
        const ints = Array.from({ length: r.out.length >> 2 }, (_, i) => r.out!.readInt32LE(i * 4));
        note += ` "${newData.subarray(0, z < 0 ? newData.length : z).toString('latin1')}" -> ${ints.join('.')}`;
      }
      c.note = `(${note})`;
    }
    if (r.errno) throw new Errno(r.errno);
    return 0;
  }),
  sys(570, '__sysctlbyname', 'str size ptr ptr ptr size', (c, a) => {
    const namelen = size(a[1]);
    if (namelen === 0 || namelen > MAXPATHLEN) throw new Errno(E.EINVAL);
    const raw = c.mem.read(ptr(a[0]), namelen);
    const z = raw.indexOf(0);
    const mib = nameToOid(raw.subarray(0, z < 0 ? raw.length : z).toString('latin1'));
    const oldp = ptr(a[2]), oldlenp = ptr(a[3]);
    const oldlen = oldlenp ? readOldlen(c.mem, oldlenp) : 0;
    const newData = readNew(c.mem, ptr(a[4]), size(a[5]));
    const r = sysctlQuery(c.proc, mib, oldlen, oldp !== 0, newData);
    if (r.out && r.out.length) c.mem.write(oldp, r.out);
    if (r.errno) throw new Errno(r.errno); // sys___sysctlbyname: *oldlenp untouched on error
    if (oldlenp) c.mem.writeU64(oldlenp, BigInt(r.oldlen));
    return 0;
  }),
];
