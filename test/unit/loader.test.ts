// Loader checks on synthetic images, and the initial stack layout against a plain memory model.
import { describe, expect, it } from 'vitest';
import { parseElf, ExecError, PT_LOAD, PT_NOTE, EM_X86_64 } from '../../src/loader/elf.js';
import { buildStack, AT } from '../../src/loader/stack.js';
import { amd64Info } from '../../src/cpu/amd64/index.js';
import type { GuestMemory } from '../../src/mmap/api.js';

/** A minimal ELF64 executable: header, program headers, optional note. */
function elf(opts: { osabi?: number; machine?: number; type?: number; note?: boolean; phentsize?: number } = {}): Buffer {
  const phnum = opts.note ? 2 : 1;
  const b = Buffer.alloc(0x200);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2; b[5] = 1; b[6] = 1; b[7] = opts.osabi ?? 9;
  b.writeUInt16LE(opts.type ?? 2, 16);
  b.writeUInt16LE(opts.machine ?? EM_X86_64, 18);
  b.writeUInt32LE(1, 20);
  b.writeBigUInt64LE(0x400100n, 24);
  b.writeBigUInt64LE(64n, 32);
  b.writeUInt16LE(64, 52);
  b.writeUInt16LE(opts.phentsize ?? 56, 54);
  b.writeUInt16LE(phnum, 56);
  // PT_LOAD r-x covering the file
  b.writeUInt32LE(PT_LOAD, 64); b.writeUInt32LE(5, 68);
  b.writeBigUInt64LE(0n, 72); b.writeBigUInt64LE(0x400000n, 80); b.writeBigUInt64LE(0x400000n, 88);
  b.writeBigUInt64LE(0x200n, 96); b.writeBigUInt64LE(0x1000n, 104); b.writeBigUInt64LE(0x1000n, 112);
  if (opts.note) {
    const n = 0x180;
    b.writeUInt32LE(PT_NOTE, 120); b.writeUInt32LE(4, 124);
    b.writeBigUInt64LE(BigInt(n), 128); b.writeBigUInt64LE(0x400000n + BigInt(n), 136);
    b.writeBigUInt64LE(24n, 152); b.writeBigUInt64LE(24n, 160);
    b.writeUInt32LE(8, n); b.writeUInt32LE(4, n + 4); b.writeUInt32LE(1, n + 8);
    b.write('FreeBSD\0', n + 12); b.writeUInt32LE(1401000, n + 20);
  }
  return b;
}

describe('parseElf', () => {
  it('accepts a FreeBSD-branded static executable', () => {
    const img = parseElf('x', elf());
    expect(img.entry).toBe(0x400100);
    expect(img.segments[0]).toMatchObject({ type: PT_LOAD, vaddr: 0x400000, filesz: 0x200, memsz: 0x1000, flags: 5 });
    expect(img.interp).toBeUndefined();
  });

  it('accepts an aarch64 executable (the machine picks the Arch)', () => {
    expect(parseElf('x', elf({ machine: 183 })).machine).toBe(183);
  });

  it('accepts the ABI note as the brand when EI_OSABI is 0 (elfy reads OSABI from the wrong byte)', () => {
    const img = parseElf('x', elf({ osabi: 0, note: true }));
    expect(img.osrel).toBe(1401000);
  });

  it.each([
    ['Linux OSABI', elf({ osabi: 3 }), /Linux executable/],
    ['System V without note', elf({ osabi: 0 }), /not a FreeBSD one/],
    ['riscv', elf({ machine: 243 }), /riscv executable/],
    ['i386', elf({ machine: 3 }), /i386 executable/],
    ['core file', elf({ type: 4 }), /core file/],
    ['bad phentsize', elf({ phentsize: 32 }), /program header size/],
    ['truncated', elf().subarray(0, 100), /truncated/],
  ])('rejects %s', (_what, buf, msg) => {
    expect(() => parseElf('x', buf)).toThrow(ExecError);
    expect(() => parseElf('x', buf)).toThrow(msg);
  });
});

/** Flat memory over [base, base+size). */
class FlatMem {
  readonly buf: Buffer;
  constructor(readonly base: number, size: number) { this.buf = Buffer.alloc(size); }
  write(addr: number, data: Uint8Array) { this.buf.set(data, addr - this.base); }
  u64(addr: number) { return Number(this.buf.readBigUInt64LE(addr - this.base)); }
  u32(addr: number) { return this.buf.readUInt32LE(addr - this.base); }
  str(addr: number) { const o = addr - this.base; return this.buf.toString('utf8', o, this.buf.indexOf(0, o)); }
}

describe('buildStack (FreeBSD exec_copyout_strings layout)', () => {
  const top = amd64Info.usrStack;
  const mem = new FlatMem(top - 65536, 65536);
  const r = buildStack(amd64Info, mem as unknown as GuestMemory, {
    argv: ['/bin/prog', 'a1'], envp: ['A=1', 'B=two'], execPath: '/bin/prog', phdr: 0x400040, phnum: 7,
    entry: 0x401000, base: 0, ehdrFlags: 0, osreldate: 1401000, ncpus: 2, stackTop: top, stackSize: 8 << 20,
  });

  it('puts argc at the stack pointer, then argv, NULL, envp, NULL', () => {
    expect(mem.u64(r.sp)).toBe(2);
    expect(r.argv).toBe(r.sp + 8);
    expect(mem.str(mem.u64(r.argv))).toBe('/bin/prog');
    expect(mem.str(mem.u64(r.argv + 8))).toBe('a1');
    expect(mem.u64(r.argv + 16)).toBe(0);
    expect(r.envp).toBe(r.argv + 24);
    expect(mem.str(mem.u64(r.envp))).toBe('A=1');
    expect(mem.str(mem.u64(r.envp + 8))).toBe('B=two');
    expect(mem.u64(r.envp + 16)).toBe(0);
    expect(r.auxv).toBe(r.envp + 24);
  });

  it('emits the kernel auxv in order, with no AT_TIMEKEEP and no AT_UID..AT_EGID', () => {
    const types: number[] = [];
    const vals = new Map<number, number>();
    for (let p = r.auxv; ; p += 16) {
      const t = mem.u64(p);
      types.push(t);
      vals.set(t, mem.u64(p + 8));
      if (t === AT.NULL) break;
    }
    expect(types).toEqual([3, 4, 5, 6, 8, 9, 7, 24, 15, 18, 16, 17, 19, 20, 21, 23, 27, 28, 29, 30, 31, 32, 35, 36, 0]);
    expect(vals.get(AT.PHENT)).toBe(56);
    expect(vals.get(AT.PAGESZ)).toBe(4096);
    expect(mem.str(vals.get(AT.EXECPATH)!)).toBe('/bin/prog');
    expect(vals.get(AT.CANARYLEN)).toBe(64);
    expect(vals.get(AT.PAGESIZESLEN)).toBe(24);
    expect(mem.u64(vals.get(AT.PAGESIZES)!)).toBe(4096);
    expect(vals.get(AT.ARGC)).toBe(2);
    expect(vals.get(AT.ARGV)).toBe(r.argv);
    expect(vals.get(AT.ENVC)).toBe(2);
    expect(vals.get(AT.ENVV)).toBe(r.envp);
    expect(vals.get(AT.PS_STRINGS)).toBe(r.psStrings);
    expect(vals.get(AT.USRSTACKBASE)).toBe(top);
    expect(vals.get(AT.USRSTACKLIM)).toBe(8 << 20);
  });

  it('fills ps_strings at the top of the stack', () => {
    expect(r.psStrings).toBe(top - 32);
    expect(mem.u64(r.psStrings)).toBe(r.argv);
    expect(mem.u32(r.psStrings + 8)).toBe(2);
    expect(mem.u64(r.psStrings + 16)).toBe(r.envp);
    expect(mem.u32(r.psStrings + 24)).toBe(2);
  });

  it('keeps the vectors pointer-aligned below the strings', () => {
    expect(r.sp % 8).toBe(0);
    expect(r.execPath % 8).toBe(0);
    expect(r.canary).toBeLessThan(r.execPath);
  });
});
