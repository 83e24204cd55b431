// The syscall path's direct view of the emulated CPU's registers (see regfile.ts): QEMU's CPUARMState
// (target/arm/cpu.h): xregs[32] then pc, and the carry flag split out as a word of its own (CF, 0 or 1).
// CF's offset differs between QEMU versions, so it is found the way the registers are: by flipping
// NZCV through Unicorn and watching which word follows. Used only when every check passes; otherwise
// the syscall path keeps its register batches.
import type { Unicorn } from '../unicorn.js';
import { findRegisters, registerViewsAllowed, wordViews } from '../regfile.js';
import { REG, xreg } from './regs.js';

const PSR_N = 1n << 31n, PSR_Z = 1n << 30n, PSR_C = 1n << 29n, PSR_V = 1n << 28n;
/** Bytes from xregs[0] searched for CF: the flag words follow pc, pstate and the banked registers. */
const SEARCH_BYTES = 1024;

export class ArmEnv {
  /** From xregs[0]: u32 and u64 words. */
  readonly w: Uint32Array;
  readonly q: BigUint64Array;
  /** Index of CF in `w`. */
  readonly cf: number;

  private constructor(addr: number, cf: number) {
    ({ w: this.w, q: this.q } = wordViews(addr, SEARCH_BYTES));
    this.cf = cf;
  }

  /** Finds the registers and CF, and checks them against Unicorn's accessors. Call on a fresh engine. */
  static find(uc: Unicorn): ArmEnv | undefined {
    if (!registerViewsAllowed()) return undefined;
    const at = findRegisters(uc, [REG.X0, REG.X1, REG.X2, xreg(3)]);
    if (at === undefined) return undefined;
    const { w } = wordViews(at, SEARCH_BYTES);
    // Words that are 1 with C set and 0 without it, whatever N, Z and V are.
    let candidates = [...w.keys()].filter((i) => i >= 66); // past xregs and pc
    for (const [nzcv, c] of [[PSR_C, 1], [0n, 0], [PSR_N | PSR_Z | PSR_C | PSR_V, 1], [PSR_N | PSR_Z | PSR_V, 0], [PSR_C | PSR_Z, 1]] as const) {
      uc.regWrite(REG.NZCV, nzcv);
      candidates = candidates.filter((i) => w[i] === c);
    }
    if (candidates.length !== 1) return undefined;
    const env = new ArmEnv(at, candidates[0]);
    return env.verify(uc) ? env : undefined;
  }

  private verify(uc: Unicorn): boolean {
    for (let i = 0; i < 31; i++) {
      const v = 0x2000_0000_0000n + BigInt(i) * 0x1_0001n;
      uc.regWrite(xreg(i), v);
      if (this.q[i] !== v) return false;
      this.q[i] = v + 8n;
      if (uc.regRead(xreg(i)) !== v + 8n) return false;
    }
    for (const c of [1, 0, 1, 0]) {
      this.w[this.cf] = c;
      if (((uc.regRead(REG.NZCV) & PSR_C) !== 0n) !== (c === 1)) return false;
    }
    return true;
  }

  /** Sets or clears the carry flag (N, Z and V stay). */
  setCarry(on: boolean): void {
    this.w[this.cf] = on ? 1 : 0;
  }
}
