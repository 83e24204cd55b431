// exec: from a validated ELF image to a process ready to run (the shape of FreeBSD's kern_execve +
// imgact_elf + exec_setregs).
import { Timekeep, TIMEKEEP_OFFSET, TIMEKEEP_SIZE } from '../kernel/timekeep.js';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Cpu } from '../cpu/arch.js';
import { Process, OSRELDATE, type ProcessOptions } from '../kernel/process.js';
import { AddressSpace, UnicornBackend } from '../mmap/index.js';
import { initialRlimits } from '../syscalls/proc.js';
import { ET_DYN, ExecError, PT_LOAD, type ElfImage } from './elf.js';
import { loadImage } from './image.js';
import { buildStack } from './stack.js';

const PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
const MAP_PRIVATE = 0x2, MAP_FIXED = 0x10, MAP_ANON = 0x1000;

export interface ExecArgs {
  image: ElfImage;
  argv: string[];
  envp: string[];
  options: ProcessOptions;
  reservedVa?: number;
}

export function exec(cpu: Cpu, args: ExecArgs): Process {
  const { image } = args;
  const arch = cpu.info;
  if (image.interp && !args.options.sysroot) {
    throw new ExecError(`${image.path}: dynamically linked (interpreter ${image.interp}); run it with --sysroot pointing at a FreeBSD root that has it`);
  }
  if (image.interp) {
    throw new ExecError(`${image.path}: dynamically linked executables (interpreter ${image.interp}) are not supported yet`);
  }

  const loadBias = image.type === ET_DYN ? arch.etDynBase : 0;
  for (const s of image.segments) {
    if (s.type === PT_LOAD && loadBias + s.vaddr + s.memsz > arch.maxUserAddress) {
      throw new ExecError(`${image.path}: segment outside the user address space`);
    }
  }

  const pageSize = arch.pageSize;
  const up = (x: number, a = pageSize) => Math.ceil(x / a) * a;
  const backend = new UnicornBackend(cpu.uc);
  // Searches start above the largest data segment the program may grow to, like FreeBSD's
  // round_page(vm_daddr + lim_max(RLIMIT_DATA)).
  const bias = image.type === ET_DYN ? arch.etDynBase : 0;
  const imageEnd = Math.max(...image.segments.filter((s) => s.type === PT_LOAD).map((s) => bias + s.vaddr + s.memsz));
  const vm = new AddressSpace({
    backend,
    minAddress: 0x10000,
    maxAddress: arch.maxUserAddress,
    mmapBase: up(imageEnd + arch.maxDataSize, 2 * 1024 * 1024),
    reservedVa: args.reservedVa,
    log: args.options.debug.has('page') ? args.options.warn : undefined,
  });
  const proc = new Process(cpu, vm, args.options);

  const loaded = loadImage(image, vm, pageSize, arch.etDynBase);
  proc.brk = { base: loaded.dataStart, cur: loaded.brk };

  // Shared page: the signal trampoline (sys/kern/kern_sharedpage.c).
  vm.mmap(arch.sharedPage, arch.sharedPageSize, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANON, null, 0);
  vm.writeForce(arch.sharedPage, arch.sigcode);
  vm.mprotect(arch.sharedPage, arch.sharedPageSize, PROT_READ | PROT_EXEC);
  // ...and the timekeep structure, when the host lets us keep it (src/kernel/timekeep.ts).
  const timekeepAddr = arch.sharedPage + TIMEKEEP_OFFSET;
  if (arch.timekeepCounter && arch.sigcode.length <= TIMEKEEP_OFFSET) {
    const host = vm.hostAddress(timekeepAddr, TIMEKEEP_SIZE, false);
    if (host >= 0) proc.timekeep = Timekeep.create(host, arch.timekeepCounter);
  }

  // The stack: a fixed mapping of the requested size right below USRSTACK.
  const stackSize = up(args.options.stackSize);
  vm.mmap(arch.usrStack - stackSize, stackSize, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANON, null, 0);
  proc.stackTop = arch.usrStack;
  proc.stackSize = stackSize;
  initialRlimits(proc);

  let execPath = resolve(image.path);
  try { execPath = realpathSync(image.path); } catch { /* keep the resolved path */ }
  proc.execPath = proc.paths.toGuest(execPath);
  proc.argv = args.argv;
  proc.envp = args.envp;

  const st = buildStack(arch, vm, {
    argv: args.argv, envp: args.envp, execPath: proc.execPath,
    phdr: loaded.phdr, phnum: image.phnum, entry: loaded.entry, base: loaded.bias, ehdrFlags: image.flags,
    osreldate: OSRELDATE, ncpus: proc.ncpus, stackTop: arch.usrStack, stackSize,
    timekeep: proc.timekeep ? timekeepAddr : undefined,
  });
  proc.psStrings = st.psStrings;
  cpu.setEntryState(loaded.entry, st.sp);
  return proc;
}
