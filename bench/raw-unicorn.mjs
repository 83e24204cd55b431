#!/usr/bin/env node
// The floor for compute: runs a benchmark's `bench_kernel(n)` (bench/c/crc.c, sha256.c) on bare Unicorn
// through bsdemu's own koffi binding (dist/cpu/unicorn.js), with no loader, no syscalls, no hooks and no
// run loop. Prints the result in the program's own format, so the runner can check both ran the same work.
//
//   node bench/raw-unicorn.mjs bench/build/freebsd-amd64/c-crc 400
//
// The process's wall time (node start-up, koffi, uc_open, mapping, translation, execution) is what the
// runner compares with bsdemu's; the kernel-only time goes to stderr for reference.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { Unicorn, UC_ARCH, UC_MODE, UC_PROT } = await import(path.join(root, 'dist/cpu/unicorn.js'));
const { REG } = await import(path.join(root, 'dist/cpu/amd64/regs.js'));

const [file, nArg] = process.argv.slice(2);
const elf = fs.readFileSync(file);
const PAGE = 4096;
const EM_X86_64 = 62, PT_LOAD = 1, SHT_SYMTAB = 2;
if (elf.readUInt16LE(18) !== EM_X86_64) throw new Error('raw-unicorn: only x86-64 ELF files for now');

/** bench_kernel's address from .symtab (ELF64: Shdr 64 bytes, Sym 24 bytes). */
function symbol(name) {
  const shoff = Number(elf.readBigUInt64LE(40)), shentsize = elf.readUInt16LE(58), shnum = elf.readUInt16LE(60);
  for (let i = 0; i < shnum; i++) {
    const sh = shoff + i * shentsize;
    if (elf.readUInt32LE(sh + 4) !== SHT_SYMTAB) continue;
    const off = Number(elf.readBigUInt64LE(sh + 24)), size = Number(elf.readBigUInt64LE(sh + 32));
    const strSh = shoff + elf.readUInt32LE(sh + 40) * shentsize;
    const strOff = Number(elf.readBigUInt64LE(strSh + 24));
    for (let s = off; s < off + size; s += 24) {
      const nameOff = elf.readUInt32LE(s);
      const end = elf.indexOf(0, strOff + nameOff);
      if (elf.toString('latin1', strOff + nameOff, end) === name) return elf.readBigUInt64LE(s + 8);
    }
  }
  throw new Error(`raw-unicorn: no symbol ${name} in ${file}`);
}

const uc = new Unicorn(UC_ARCH.X86, UC_MODE.MODE_64);
// PT_LOAD segments, page-aligned, with their own protections (p_flags PF_X 1, PF_W 2, PF_R 4; Unicorn's
// READ 1, WRITE 2, EXEC 4) as bsdemu maps them: file bytes, the rest zero (bss).
const phoff = Number(elf.readBigUInt64LE(32)), phentsize = elf.readUInt16LE(54), phnum = elf.readUInt16LE(56);
const mapped = [];
for (let i = 0; i < phnum; i++) {
  const ph = phoff + i * phentsize;
  if (elf.readUInt32LE(ph) !== PT_LOAD) continue;
  const off = Number(elf.readBigUInt64LE(ph + 8)), vaddr = Number(elf.readBigUInt64LE(ph + 16));
  const filesz = Number(elf.readBigUInt64LE(ph + 32)), memsz = Number(elf.readBigUInt64LE(ph + 40));
  let start = Math.floor(vaddr / PAGE) * PAGE;
  const end = Math.ceil((vaddr + memsz) / PAGE) * PAGE;
  for (const [s, e] of mapped) if (start < e && start >= s) start = e; // segments sharing a page
  const pf = elf.readUInt32LE(ph + 4);
  const prot = (pf & 4 ? UC_PROT.READ : 0) | (pf & 2 ? UC_PROT.WRITE : 0) | (pf & 1 ? UC_PROT.EXEC : 0);
  if (end > start) { uc.memMap(start, end - start, UC_PROT.ALL); mapped.push([start, end, prot]); }
  uc.memWrite(vaddr, elf.subarray(off, off + filesz));
}
for (const [s, e, prot] of mapped) uc.memProtect(s, e - s, prot);
// A 1 MiB stack whose top holds the return address UNTIL, a page holding `hlt`: Unicorn ends emulation there
// (as bsdemu, no `until` address is passed to uc_emu_start).
const STACK = 0x7ff000000000n, STACK_SIZE = 1 << 20, UNTIL = 0x1000n;
uc.memMap(STACK, STACK_SIZE, UC_PROT.READ | UC_PROT.WRITE);
uc.memMap(UNTIL, PAGE, UC_PROT.ALL);
const rsp = STACK + BigInt(STACK_SIZE) - 64n;
const ret = Buffer.alloc(8); ret.writeBigUInt64LE(UNTIL);
uc.memWrite(rsp, ret);
uc.regWrite(REG.RSP, rsp);
uc.regWrite(REG.RDI, BigInt(nArg));
uc.regWrite(REG.MXCSR, 0x1f80n);
const t0 = process.hrtime.bigint();
uc.memWrite(UNTIL, Buffer.from([0xf4])); // hlt: Unicorn stops there
const err = uc.emuStart(symbol("bench_kernel"), 0n, 0, 0);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
if (err !== 0) throw new Error(`raw-unicorn: uc_emu_start error ${err} at pc 0x${uc.regRead(REG.RIP).toString(16)}`);
const rax = uc.regRead(REG.RAX);
const base = path.basename(file).replace(/^c-/, '');
if (base === 'crc') console.log(`crc ${rax.toString(16).padStart(8, '0')}`);
else if (base === 'sha256') console.log(`sha256 ${rax.toString(16).padStart(16, '0')}`);
else console.log(`${base} ${rax.toString(16)}`);
process.stderr.write(`raw-unicorn: kernel ${ms.toFixed(1)} ms\n`);
