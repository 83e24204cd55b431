// Credentials (FreeBSD sys/kern/kern_prot.c): set[e][ug]id, setre[ug]id, setres[ug]id, getres[ug]id,
// setgroups, setlogin. getuid/geteuid/getgid/getegid/getgroups/issetugid live in proc.ts, getlogin in
// misc.ts.
//
// The ids are emulated: they live in the Process (real, effective, saved; groups; login name) and a change
// never reaches the host process. Reasons: the emulator itself must keep its host rights (it may need to
// open files the guest dropped rights for, e.g. its own sysroot), dropping host root could not be undone
// for a later setuid back, and a per-process emulated credential is what a forked child inherits anyway.
// Consequence: file permission checks are still the host user's. "Privileged" means effective uid 0
// (priv_check for a process without jail or MAC policies).
import { Errno, E } from '../abi/errno.js';
import type { Process } from '../kernel/process.js';
import { int, ptr, uint } from './args.js';
import { sys, type SyscallCtx, type SyscallDef } from './types.js';

/** sys/sys/syslimits.h NGROUPS_MAX (kern.ngroups default) and sys/sys/param.h MAXLOGNAME. */
const NGROUPS_MAX = 1023;
const MAXLOGNAME = 33;
/** (uid_t)-1 / (gid_t)-1: "leave unchanged" for the setre / setres forms. */
const NOCHANGE = 0xffffffff;

const privileged = (p: Process): boolean => p.euid === 0;

/** uid_t / gid_t are 32-bit unsigned. */
const id = (x: bigint): number => uint(x);

// ---- user ids ----

function setuid(p: Process, uid: number): void {
  // sys_setuid with _POSIX_SAVED_IDS and POSIX_APPENDIX_B_4_2_2: the real, saved or effective id is allowed.
  if (uid !== p.uid && uid !== p.suid && uid !== p.euid && !privileged(p)) throw new Errno(E.EPERM);
  if (uid === p.euid || privileged(p)) {
    p.uid = uid;
    p.suid = uid;
  }
  p.euid = uid;
}

function seteuid(p: Process, euid: number): void {
  if (euid !== p.uid && euid !== p.suid && !privileged(p)) throw new Errno(E.EPERM);
  p.euid = euid;
}

function setreuid(p: Process, ruid: number, euid: number): void {
  if (((ruid !== NOCHANGE && ruid !== p.uid && ruid !== p.suid)
    || (euid !== NOCHANGE && euid !== p.euid && euid !== p.uid && euid !== p.suid)) && !privileged(p)) {
    throw new Errno(E.EPERM);
  }
  if (euid !== NOCHANGE) p.euid = euid;
  if (ruid !== NOCHANGE) p.uid = ruid;
  // The saved id follows the effective one when the real id was given or now differs from it.
  if ((ruid !== NOCHANGE || p.euid !== p.uid) && p.suid !== p.euid) p.suid = p.euid;
}

function setresuid(p: Process, ruid: number, euid: number, suid: number): void {
  const ok = (v: number) => v === NOCHANGE || v === p.uid || v === p.euid || v === p.suid;
  if (!(ok(ruid) && ok(euid) && ok(suid)) && !privileged(p)) throw new Errno(E.EPERM);
  if (euid !== NOCHANGE) p.euid = euid;
  if (ruid !== NOCHANGE) p.uid = ruid;
  if (suid !== NOCHANGE) p.suid = suid;
}

// ---- group ids (the privilege test is still on the effective uid) ----

function setgid(p: Process, gid: number): void {
  if (gid !== p.gid && gid !== p.sgid && gid !== p.egid && !privileged(p)) throw new Errno(E.EPERM);
  if (gid === p.egid || privileged(p)) {
    p.gid = gid;
    p.sgid = gid;
  }
  p.egid = gid;
}

function setegid(p: Process, egid: number): void {
  if (egid !== p.gid && egid !== p.sgid && !privileged(p)) throw new Errno(E.EPERM);
  p.egid = egid;
}

function setregid(p: Process, rgid: number, egid: number): void {
  if (((rgid !== NOCHANGE && rgid !== p.gid && rgid !== p.sgid)
    || (egid !== NOCHANGE && egid !== p.egid && egid !== p.gid && egid !== p.sgid)) && !privileged(p)) {
    throw new Errno(E.EPERM);
  }
  if (egid !== NOCHANGE) p.egid = egid;
  if (rgid !== NOCHANGE) p.gid = rgid;
  if ((rgid !== NOCHANGE || p.egid !== p.gid) && p.sgid !== p.egid) p.sgid = p.egid;
}

function setresgid(p: Process, rgid: number, egid: number, sgid: number): void {
  const ok = (v: number) => v === NOCHANGE || v === p.gid || v === p.egid || v === p.sgid;
  if (!(ok(rgid) && ok(egid) && ok(sgid)) && !privileged(p)) throw new Errno(E.EPERM);
  if (egid !== NOCHANGE) p.egid = egid;
  if (rgid !== NOCHANGE) p.gid = rgid;
  if (sgid !== NOCHANGE) p.sgid = sgid;
}

/** getresuid/getresgid: each pointer may be NULL; EFAULT for a bad one (after writing the others). */
function getres(c: SyscallCtx, a: BigUint64Array, vals: [number, number, number]): number {
  let err: Errno | undefined;
  for (let i = 0; i < 3; i++) {
    const addr = ptr(a[i]);
    if (addr === 0) continue;
    try { c.mem.writeU32(addr, vals[i] >>> 0); } catch (e) { if (e instanceof Errno) err ??= e; else throw e; }
  }
  if (err) throw err;
  return 0;
}

export const credSyscalls: SyscallDef[] = [
  sys(23, 'setuid', 'uint', (c, a) => { setuid(c.proc, id(a[0])); return 0; }),
  sys(183, 'seteuid', 'uint', (c, a) => { seteuid(c.proc, id(a[0])); return 0; }),
  sys(126, 'setreuid', 'int int', (c, a) => { setreuid(c.proc, id(a[0]), id(a[1])); return 0; }),
  sys(311, 'setresuid', 'int int int', (c, a) => { setresuid(c.proc, id(a[0]), id(a[1]), id(a[2])); return 0; }),
  sys(360, 'getresuid', 'ptr ptr ptr', (c, a) => getres(c, a, [c.proc.uid, c.proc.euid, c.proc.suid])),
  sys(181, 'setgid', 'uint', (c, a) => { setgid(c.proc, id(a[0])); return 0; }),
  sys(182, 'setegid', 'uint', (c, a) => { setegid(c.proc, id(a[0])); return 0; }),
  sys(127, 'setregid', 'int int', (c, a) => { setregid(c.proc, id(a[0]), id(a[1])); return 0; }),
  sys(312, 'setresgid', 'int int int', (c, a) => { setresgid(c.proc, id(a[0]), id(a[1]), id(a[2])); return 0; }),
  sys(361, 'getresgid', 'ptr ptr ptr', (c, a) => getres(c, a, [c.proc.gid, c.proc.egid, c.proc.sgid])),
  sys(80, 'setgroups', 'int ptr', (c, a) => {
    // sys_setgroups (14.x): size checked, groups copied in, then the privilege check. In 14.x cr_groups[0]
    // is the effective gid, so the first element of a non-empty list becomes the egid.
    const n = int(a[0]);
    if (n < 0 || n > NGROUPS_MAX + 1) throw new Errno(E.EINVAL);
    const raw = n > 0 ? c.mem.read(ptr(a[1]), n * 4) : Buffer.alloc(0);
    if (!privileged(c.proc)) throw new Errno(E.EPERM);
    if (n === 0) { c.proc.groups = []; return 0; }
    const groups: number[] = [];
    for (let i = 0; i < n; i++) groups.push(raw.readUInt32LE(i * 4));
    c.proc.egid = groups[0];
    c.proc.groups = groups.slice(1);
    return 0;
  }),
  sys(50, 'setlogin', 'str', (c, a) => {
    // sys_setlogin: privilege first, then copyinstr into MAXLOGNAME (too long: EINVAL).
    if (!privileged(c.proc)) throw new Errno(E.EPERM);
    let raw: Buffer;
    try {
      raw = c.mem.readCStringBytes(ptr(a[0]), MAXLOGNAME);
    } catch (e) {
      if (e instanceof Errno && e.errno === E.ENAMETOOLONG) throw new Errno(E.EINVAL);
      throw e;
    }
    c.proc.login = raw.toString('utf8');
    return 0;
  }),
];
