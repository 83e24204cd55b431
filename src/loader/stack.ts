// The initial stack, built as FreeBSD's exec_copyout_strings (sys/kern/kern_exec.c) and
// __elfN(freebsd_copyout_auxargs) / __elfN(freebsd_fixup) (sys/kern/imgact_elf.c) lay it out, from the top:
//   ps_strings (struct ps_strings, sys/sys/exec.h) at USRSTACK - sizeof
//   execpath string, pointer-aligned
//   canary (64 bytes)
//   pagesizes[MAXPAGESIZES], pointer-aligned
//   argv and env strings, pointer-aligned
//   room for AT_COUNT auxv pairs
//   argc, argv[], NULL, envp[], NULL, auxv pairs ... AT_NULL    <- the stack pointer points at argc
import { hostRandomBytes as randomBytes } from '../host/random.js';
import type { ArchInfo } from '../cpu/arch.js';
import type { GuestMemory } from '../mmap/api.js';

// sys/sys/elf_common.h
export const AT = {
  NULL: 0, IGNORE: 1, EXECFD: 2, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9,
  NOTELF: 10, UID: 11, EUID: 12, GID: 13, EGID: 14, EXECPATH: 15, CANARY: 16, CANARYLEN: 17,
  OSRELDATE: 18, NCPUS: 19, PAGESIZES: 20, PAGESIZESLEN: 21, TIMEKEEP: 22, STACKPROT: 23,
  EHDRFLAGS: 24, HWCAP: 25, HWCAP2: 26, BSDFLAGS: 27, ARGC: 28, ARGV: 29, ENVC: 30, ENVV: 31,
  PS_STRINGS: 32, FXRNG: 33, KPRELOAD: 34, USRSTACKBASE: 35, USRSTACKLIM: 36, COUNT: 37,
} as const;

const PTR = 8; // LP64
const CANARY_LEN = 64; // sizeof(long[8])
const MAXPAGESIZES = 3;
const PS_STRINGS_SIZE = 32; // { char **argv; u_int nargv; char **env; u_int nenv; }

export interface StackInput {
  argv: string[];
  envp: string[];
  execPath: string;
  phdr: number;
  phnum: number;
  entry: number;
  base: number;
  ehdrFlags: number;
  osreldate: number;
  ncpus: number;
  stackTop: number;
  stackSize: number;
  /** AT_TIMEKEEP: the timekeep structure in the shared page, when there is one. */
  timekeep?: number;
}

export interface StackResult {
  /** Address of argc: %rdi / x0 at entry. */
  sp: number;
  psStrings: number;
  argv: number;
  envp: number;
  auxv: number;
  canary: number;
  execPath: number;
}

export function buildStack(arch: ArchInfo, mem: GuestMemory, inp: StackInput): StackResult {
  const down = (x: number, a: number) => Math.floor(x / a) * a;
  let p = inp.stackTop - PS_STRINGS_SIZE;
  const psStrings = p;

  const execBytes = Buffer.from(inp.execPath + '\0', 'utf8');
  p = down(p - execBytes.length, PTR);
  const execPath = p;
  mem.write(execPath, execBytes);

  p -= CANARY_LEN;
  const canary = p;
  mem.write(canary, randomBytes(CANARY_LEN));

  p = down(p - MAXPAGESIZES * PTR, PTR);
  const pagesizes = p;
  const ps = Buffer.alloc(MAXPAGESIZES * PTR);
  arch.pageSizes.slice(0, MAXPAGESIZES).forEach((s, i) => ps.writeBigUInt64LE(BigInt(s), i * PTR));
  mem.write(pagesizes, ps);

  const strings = [...inp.argv, ...inp.envp].map((s) => Buffer.from(s + '\0', 'utf8'));
  const strLen = strings.reduce((n, b) => n + b.length, 0);
  p = down(p - strLen, PTR);
  const stringBase = p;
  mem.write(stringBase, Buffer.concat(strings));

  p = down(p - AT.COUNT * 2 * PTR, PTR);
  const argc = inp.argv.length, envc = inp.envp.length;
  const vect = p - (argc + 1 + envc + 1) * PTR;
  const sp = vect - PTR; // argc, pushed by __elfN(freebsd_fixup)

  const ptrs: bigint[] = [];
  let s = stringBase;
  for (let i = 0; i < argc; i++) { ptrs.push(BigInt(s)); s += strings[i].length; }
  ptrs.push(0n);
  for (let i = 0; i < envc; i++) { ptrs.push(BigInt(s)); s += strings[argc + i].length; }
  ptrs.push(0n);
  const argvAddr = vect, envpAddr = vect + (argc + 1) * PTR;
  const auxvAddr = envpAddr + (envc + 1) * PTR;

  // The kernel's order (freebsd_copyout_auxargs); AT_TIMEKEEP only with a timekeep structure (else
  // time goes through syscalls), no AT_KPRELOAD (no vdso image), no AT_FXRNG (GENERIC has no
  // RANDOM_FENESTRASX), AT_HWCAP/HWCAP2 only where the architecture defines them.
  const aux: [number, number][] = [
    [AT.PHDR, inp.phdr], [AT.PHENT, 56], [AT.PHNUM, inp.phnum], [AT.PAGESZ, arch.pageSize],
    [AT.FLAGS, 0], [AT.ENTRY, inp.entry], [AT.BASE, inp.base], [AT.EHDRFLAGS, inp.ehdrFlags],
    [AT.EXECPATH, execPath], [AT.OSRELDATE, inp.osreldate], [AT.CANARY, canary], [AT.CANARYLEN, CANARY_LEN],
    [AT.NCPUS, inp.ncpus], [AT.PAGESIZES, pagesizes], [AT.PAGESIZESLEN, MAXPAGESIZES * PTR],
  ];
  if (inp.timekeep !== undefined) aux.push([AT.TIMEKEEP, inp.timekeep]);
  aux.push([AT.STACKPROT, 3 /* VM_PROT_READ|VM_PROT_WRITE */]);
  if (arch.hwcap !== undefined) aux.push([AT.HWCAP, arch.hwcap]);
  if (arch.hwcap2 !== undefined) aux.push([AT.HWCAP2, arch.hwcap2]);
  aux.push([AT.BSDFLAGS, 0], [AT.ARGC, argc], [AT.ARGV, argvAddr], [AT.ENVC, envc], [AT.ENVV, envpAddr],
    [AT.PS_STRINGS, psStrings]);
  aux.push([AT.USRSTACKBASE, inp.stackTop], [AT.USRSTACKLIM, inp.stackSize], [AT.NULL, 0]);

  const block = Buffer.alloc(PTR + ptrs.length * PTR + aux.length * 2 * PTR);
  block.writeBigUInt64LE(BigInt(argc), 0);
  ptrs.forEach((v, i) => block.writeBigUInt64LE(v, PTR + i * PTR));
  aux.forEach(([k, v], i) => {
    const o = PTR + ptrs.length * PTR + i * 2 * PTR;
    block.writeBigUInt64LE(BigInt(k), o);
    block.writeBigUInt64LE(BigInt(v), o + PTR);
  });
  mem.write(sp, block);

  const pss = Buffer.alloc(PS_STRINGS_SIZE);
  pss.writeBigUInt64LE(BigInt(argvAddr), 0);
  pss.writeUInt32LE(argc, 8);
  pss.writeBigUInt64LE(BigInt(envpAddr), 16);
  pss.writeUInt32LE(envc, 24);
  mem.write(psStrings, pss);

  return { sp, psStrings, argv: argvAddr, envp: envpAddr, auxv: auxvAddr, canary, execPath };
}
