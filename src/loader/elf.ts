// Reads and validates a FreeBSD ELF executable. elfy parses the program headers; the identification
// checks are ours (elfy reads OSABI from the wrong byte, and trusts offsets).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import elfyModule from 'elfy';

// elfy is CommonJS without types: only its Parser's header and program-header readers are used.
const elfy = elfyModule as {
  Parser: new () => {
    parseHeader(buf: Buffer): ElfyHeader;
    parsePrograms(buf: Buffer, h: ElfyHeader): ElfyProgram[];
  };
};
interface ElfyHeader { class: string; endian: string; phoff: number; phnum: number; phentsize: number }
interface ElfyProgram {
  offset: number; vaddr: number; filesz: number; memsz: number;
  flags: Record<string, boolean>; align: number;
}

// sys/sys/elf_common.h
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const EM_386 = 3;
export const EM_ARM = 40;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
export const ELFOSABI_FREEBSD = 9;
export const NT_FREEBSD_ABI_TAG = 1;
export const PF_X = 1, PF_W = 2, PF_R = 4;

const MACHINE_NAMES: Record<number, string> = {
  [EM_386]: 'i386', [EM_ARM]: 'arm', [EM_X86_64]: 'amd64', [EM_AARCH64]: 'aarch64', 8: 'mips',
  20: 'powerpc', 21: 'powerpc64', 243: 'riscv', 2: 'sparc', 43: 'sparc64',
};
export const machineName = (m: number) => MACHINE_NAMES[m] ?? `machine ${m}`;

/** Why a file cannot be executed; the CLI prints the message and exits 126 (127 for NotFound). */
export class ExecError extends Error {
  constructor(message: string, readonly exitCode: 126 | 127 = 126) {
    super(message);
    this.name = 'ExecError';
  }
}

export interface Segment {
  type: number; // PT_*
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  flags: number; // PF_R | PF_W | PF_X
  align: number;
}

export interface ElfImage {
  path: string;
  data: Buffer;
  type: number;
  machine: number;
  entry: number;
  flags: number;
  phoff: number;
  phentsize: number;
  phnum: number;
  segments: Segment[];
  interp?: string;
  /** __FreeBSD_version from the ABI note, if present. */
  osrel?: number;
}

export const PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4, PT_PHDR = 6, PT_TLS = 7;

const MAX_EXEC_SIZE = 1 << 30;

/** The machines bsdemu has an Arch for (src/cpu/select.ts). */
const SUPPORTED = new Set([EM_X86_64, EM_AARCH64]);

/** Reads the whole file; missing files and non-files give ExecError with the shell's exit codes. */
export function readExecutable(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ExecError(`${path}: No such file or directory`, 127);
    if (code === 'EACCES' || code === 'EPERM') throw new ExecError(`${path}: Permission denied`);
    if (code === 'EISDIR') throw new ExecError(`${path}: Is a directory`);
    throw new ExecError(`${path}: ${(e as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new ExecError(`${path}: Is a directory`);
    if (!st.isFile()) throw new ExecError(`${path}: not a regular file`);
    if (st.size > MAX_EXEC_SIZE) throw new ExecError(`${path}: file too large`);
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, buf, got, st.size - got, got);
      if (n <= 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Parses and checks an ELF image: 64-bit little-endian, a known machine, EXEC or DYN, FreeBSD brand. */
export function parseElf(path: string, data: Buffer): ElfImage {
  const fail = (why: string) => new ExecError(`${path}: ${why}`);
  if (data.length === 0) throw fail('empty file, not an executable');
  if (data.length < 4 || data.readUInt32BE(0) !== 0x7f454c46) {
    if (data.subarray(0, 2).toString('latin1') === '#!') throw fail('scripts (#!) are not supported; run the interpreter instead');
    throw fail('not an ELF executable (Exec format error)');
  }
  if (data.length < 64) throw fail('truncated ELF file (header incomplete)');
  const ei = data.subarray(0, 16);
  if (ei[4] !== 2) throw fail(`${ei[4] === 1 ? '32-bit' : 'invalid class'} ELF: only 64-bit FreeBSD executables are supported`);
  if (ei[5] !== 1) throw fail('big-endian ELF is not supported');
  if (ei[6] !== 1) throw fail('unknown ELF version');
  const type = data.readUInt16LE(16);
  const machine = data.readUInt16LE(18);
  if (type !== ET_EXEC && type !== ET_DYN) {
    throw fail(type === 1 ? 'relocatable object, not an executable' : type === 4 ? 'core file, not an executable' : `ELF type ${type} is not executable`);
  }
  if (!SUPPORTED.has(machine)) throw fail(`${machineName(machine)} executable: this bsdemu runs amd64 (x86-64) and aarch64 (arm64) FreeBSD programs`);

  const parser = new elfy.Parser();
  let header: ElfyHeader;
  let programs: ElfyProgram[];
  const phoff = Number(data.readBigUInt64LE(32));
  const phentsize = data.readUInt16LE(54);
  const phnum = data.readUInt16LE(56);
  if (phnum === 0) throw fail('no program headers');
  if (phentsize !== 56) throw fail(`bad program header size ${phentsize}`);
  if (phoff + phnum * phentsize > data.length) throw fail('truncated ELF file (program headers past end of file)');
  try {
    header = parser.parseHeader(data);
    programs = parser.parsePrograms(data, header);
  } catch (e) {
    throw fail(`malformed ELF file (${(e as Error).message})`);
  }
  // elfy names the PT_* values it knows; the raw number is what we compare against.
  const segments: Segment[] = programs.map((p, i) => ({
    type: data.readUInt32LE(phoff + i * phentsize),
    offset: p.offset, vaddr: p.vaddr, filesz: p.filesz, memsz: p.memsz, align: p.align,
    flags: (p.flags.r ? PF_R : 0) | (p.flags.w ? PF_W : 0) | (p.flags.x ? PF_X : 0),
  }));

  const loads = segments.filter((s) => s.type === PT_LOAD);
  if (loads.length === 0) throw fail('no loadable segments');
  for (const s of loads) {
    if (s.offset + s.filesz > data.length) throw fail('truncated ELF file (segment data past end of file)');
    if (s.memsz < s.filesz) throw fail('bad segment (memsz < filesz)');
    // The Arch's own limit is checked by exec; this bounds any 48-bit user space.
    if (s.vaddr + s.memsz > 0xffffffffffff) throw fail('segment outside the user address space');
  }

  let interp: string | undefined;
  const pi = segments.find((s) => s.type === PT_INTERP);
  if (pi) {
    if (pi.offset + pi.filesz > data.length) throw fail('truncated ELF file (interpreter path)');
    interp = data.subarray(pi.offset, pi.offset + pi.filesz).toString('latin1').replace(/\0.*$/s, '');
  }

  const osrel = findAbiNote(data, segments);
  if (ei[7] !== ELFOSABI_FREEBSD && osrel === undefined) {
    const os = ei[7] === 3 ? 'Linux' : ei[7] === 0 ? 'System V/Linux' : `OS/ABI ${ei[7]}`;
    throw fail(`${os} executable, not a FreeBSD one (no FreeBSD brand: EI_OSABI is not 9 and there is no FreeBSD ABI note)`);
  }

  return {
    path, data, type, machine, entry: Number(data.readBigUInt64LE(24)), flags: data.readUInt32LE(48),
    phoff, phentsize, phnum, segments, interp, osrel,
  };
}

/** Every note in the PT_NOTE segments: owner name, type and where its desc lies in `data`. */
function* notes(data: Buffer, segments: Segment[]): Generator<{ name: string; type: number; desc: number; descsz: number }> {
  for (const s of segments) {
    if (s.type !== PT_NOTE) continue;
    let p = s.offset;
    const end = Math.min(s.offset + s.filesz, data.length);
    while (p + 12 <= end) {
      const namesz = data.readUInt32LE(p), descsz = data.readUInt32LE(p + 4), type = data.readUInt32LE(p + 8);
      const name = p + 12;
      const desc = name + ((namesz + 3) & ~3);
      const next = desc + ((descsz + 3) & ~3);
      if (next > end) break;
      yield { name: data.toString('latin1', name, name + namesz).replace(/\0+$/, ''), type, desc, descsz };
      p = next;
    }
  }
}

/** The FreeBSD ABI note (NT_FREEBSD_ABI_TAG, name "FreeBSD"): its desc is osreldate. */
function findAbiNote(data: Buffer, segments: Segment[]): number | undefined {
  for (const n of notes(data, segments)) {
    if (n.type === NT_FREEBSD_ABI_TAG && n.name === 'FreeBSD' && n.descsz >= 4) return data.readUInt32LE(n.desc);
  }
  return undefined;
}

export function loadElf(path: string): ElfImage {
  return parseElf(path, readExecutable(path));
}
