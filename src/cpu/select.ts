// The ELF machine picks the guest architecture: no option needed.
import type { Cpu } from './arch.js';
import { Amd64Cpu } from './amd64/index.js';
import { Aarch64Cpu } from './aarch64/index.js';
import { EM_AARCH64 } from '../loader/elf.js';

export function cpuForMachine(machine: number): Cpu {
  return machine === EM_AARCH64 ? new Aarch64Cpu() : new Amd64Cpu();
}
