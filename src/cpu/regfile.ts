// Where the emulated CPU keeps its registers inside libunicorn: QEMU's CPU state object, found by
// writing marker values through Unicorn and looking for them. The syscall path then reads arguments and
// writes results as memory instead of through uc_reg_read/write_batch (issue 5). Each arch's view
// (amd64/x86env.ts, aarch64/armenv.ts) checks every field it uses before it is trusted.
import koffi from 'koffi';
import type { Unicorn } from './unicorn.js';
import { hostMappingEnd } from '../host/hostmem.js';

/** Whether register views may be used: little-endian hosts, not turned off with BSDEMU_REGVIEW=0. */
export function registerViewsAllowed(): boolean {
  return process.env.BSDEMU_REGVIEW !== '0' && new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

/**
 * The host address of four consecutive 64-bit registers `ids` in the engine's CPU object, or undefined
 * when not found. Overwrites those registers: call on a fresh engine. The search stays inside the host
 * mapping that holds the CPU object.
 */
export function findRegisters(uc: Unicorn, ids: readonly [number, number, number, number]): number | undefined {
  const marks = [0x5a17_0001_c0de_0001n, 0x5a17_0002_c0de_0002n, 0x5a17_0003_c0de_0003n, 0x5a17_0004_c0de_0004n];
  ids.forEach((r, i) => uc.regWrite(r, marks[i])); // also makes Unicorn create its CPU
  const cpu = uc.cpuState();
  if (!cpu) return undefined;
  const end = hostMappingEnd(Number(cpu));
  if (end === undefined) return undefined;
  const len = Math.min(end - Number(cpu), 1 << 20) & ~7;
  const words = new BigUint64Array(koffi.view(Number(cpu), len) as ArrayBuffer);
  for (let i = 0; i + 4 <= words.length; i++) {
    if (words[i] === marks[0] && words[i + 1] === marks[1] && words[i + 2] === marks[2] && words[i + 3] === marks[3]) {
      return Number(cpu) + i * 8;
    }
  }
  return undefined;
}

/** A view of `bytes` bytes of host memory at `addr`, as u32 and u64 words. */
export function wordViews(addr: number, bytes: number): { w: Uint32Array; q: BigUint64Array } {
  const w = new Uint32Array(koffi.view(addr, bytes) as ArrayBuffer);
  return { w, q: new BigUint64Array(w.buffer, w.byteOffset, bytes / 8) };
}

/**
 * Stores a 64-bit register value at u64 index `i` of a register view: a number (most syscall results)
 * as two u32 words without a BigInt, a bigint as it is (two's complement for negative values).
 */
export function storeRegister(w: Uint32Array, q: BigUint64Array, i: number, v: number | bigint): void {
  if (typeof v === 'number') {
    w[2 * i] = v >>> 0;
    w[2 * i + 1] = Math.floor(v / 4294967296) >>> 0;
  } else {
    q[i] = BigInt.asUintN(64, v);
  }
}
