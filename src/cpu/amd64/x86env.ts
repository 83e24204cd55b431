// The syscall path's direct view of the emulated CPU's registers (see regfile.ts): QEMU's CPUX86State.
// Used only when every check at start-up passes; otherwise the syscall path keeps its register batches.
//
// Layout (QEMU 5.0 target/i386/cpu.h, Unicorn 2.0.x): regs[16] @0 (rax rcx rdx rbx rsp rbp rsi rdi
// r8..r15), eip @128, eflags @136, cc_dst @144, cc_src @152, cc_src2 @160, cc_op @168 (u32). The
// arithmetic flags live lazily in cc_op/cc_dst/cc_src: computed here for the operations that usually
// precede a syscall, through Unicorn otherwise. That holds only while the CPU runs (inside a hook):
// between runs QEMU keeps them in eflags and reloads cc_src from it at the next start
// (x86_cpu_exec_enter/exit), so the flags are only touched here from inside hooks.
import type { Unicorn } from '../unicorn.js';
import { findRegisters, registerViewsAllowed, wordViews } from '../regfile.js';
import { REG } from './regs.js';

const CC_C = 0x1, CC_P = 0x4, CC_A = 0x10, CC_Z = 0x40, CC_S = 0x80, CC_O = 0x800;
export const ARITH_FLAGS = CC_C | CC_P | CC_A | CC_Z | CC_S | CC_O;

// enum CCOp (target/i386/cpu.h): each family has b/w/l/q members in a row.
const CC_OP_EFLAGS = 1, CC_OP_ADD = 6, CC_OP_SUB = 14, CC_OP_LOGIC = 22, CC_OP_INC = 26, CC_OP_DEC = 30, CC_OP_CLR = 49;

/** Word (u32) indexes into the state. */
const W_CC_DST = 36, W_CC_SRC = 38, W_CC_OP = 42;
const STATE_BYTES = 176;

/** PF: set when the low byte of the result has an even number of one bits. */
const PARITY = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let x = b; x; x >>= 1) n += x & 1;
  return n & 1 ? 0 : CC_P;
});

/** The sign bit of a `bits`-wide value given as low and high words. */
function sign(bits: number, lo: number, hi: number): number {
  return bits === 64 ? hi >>> 31 : (lo >>> (bits - 1)) & 1;
}

export class X86Env {
  /** The state as u32 words (little-endian hosts) and as u64 words. */
  readonly w: Uint32Array;
  readonly q: BigUint64Array;
  /** CC_OP values whose flags `arith` computes, confirmed against Unicorn at start-up. */
  private readonly ok = new Uint8Array(64);

  private constructor(addr: number) {
    ({ w: this.w, q: this.q } = wordViews(addr, STATE_BYTES));
  }

  /**
   * Finds CPUX86State in the engine's CPU object, then checks every field this module uses against
   * Unicorn's own accessors. Call on a fresh engine (it overwrites registers). Undefined when anything
   * does not match.
   */
  static find(uc: Unicorn): X86Env | undefined {
    if (!registerViewsAllowed()) return undefined;
    const at = findRegisters(uc, [REG.RAX, REG.RCX, REG.RDX, REG.RBX]);
    if (at === undefined) return undefined;
    const env = new X86Env(at);
    return env.verify(uc) ? env : undefined;
  }

  private verify(uc: Unicorn): boolean {
    const regs = [REG.RAX, REG.RCX, REG.RDX, REG.RBX, REG.RSP, REG.RBP, REG.RSI, REG.RDI,
      REG.R8, REG.R9, REG.R10, REG.R11, REG.R12, REG.R13, REG.R14, REG.R15, REG.RIP];
    for (let i = 0; i < regs.length; i++) {
      const v = 0x1000_0000_0000n + BigInt(i) * 0x1_0001n;
      uc.regWrite(regs[i], v);
      if (this.q[i] !== v) return false;
      this.q[i] = v + 8n;
      if (uc.regRead(regs[i]) !== v + 8n) return false;
    }
    // Loading RFLAGS leaves the arithmetic flags in cc_src under CC_OP_EFLAGS (cpu_load_eflags).
    uc.regWrite(REG.EFLAGS, 0x202n | BigInt(ARITH_FLAGS));
    if (this.w[W_CC_OP] !== CC_OP_EFLAGS || this.w[W_CC_SRC] !== ARITH_FLAGS) return false;
    this.setArith(CC_Z);
    if ((Number(uc.regRead(REG.EFLAGS)) & ARITH_FLAGS) !== CC_Z) return false;
    // Each operation's flags as computed here against Unicorn's helper_cc_compute_all, on samples that
    // reach every flag.
    const samples: [number, number, number, number][] = [
      [0, 0, 0, 0], [1, 0, 1, 0], [0xffffffff, 0xffffffff, 1, 0], [0x80, 0, 0x7f, 0], [0x8000, 0, 0xffff, 0],
      [0x80000000, 0, 0x7fffffff, 0], [0, 0x80000000, 0xffffffff, 0x7fffffff], [0x7f, 0, 0x80, 0],
      [0x7fff, 0, 0x8001, 0], [0x10, 0, 0x0f, 0], [0xfffffffe, 0x7fffffff, 0xffffffff, 0x7fffffff],
      [0x1234, 0, 1, 0], [0xff, 0xff, 0, 1],
    ];
    const ops = [CC_OP_EFLAGS, CC_OP_CLR];
    for (const base of [CC_OP_ADD, CC_OP_SUB, CC_OP_LOGIC, CC_OP_INC, CC_OP_DEC]) ops.push(base, base + 1, base + 2, base + 3);
    for (const op of ops) {
      let good = true;
      for (const [dlo, dhi, slo, shi] of samples) {
        this.w[W_CC_DST] = dlo; this.w[W_CC_DST + 1] = dhi;
        // INC/DEC keep the old carry (0 or 1) in cc_src.
        const isIncDec = op >= CC_OP_INC && op < CC_OP_DEC + 4;
        this.w[W_CC_SRC] = isIncDec ? slo & 1 : slo; this.w[W_CC_SRC + 1] = isIncDec ? 0 : shi;
        this.w[W_CC_OP] = op;
        this.ok[op] = 1;
        const mine = this.arith();
        const theirs = Number(uc.regRead(REG.EFLAGS) & 0xffffn) & ARITH_FLAGS;
        if (mine !== theirs) { good = false; break; }
      }
      this.ok[op] = good ? 1 : 0;
    }
    uc.regWrite(REG.EFLAGS, 0x202n);
    return this.ok[CC_OP_EFLAGS] === 1;
  }

  /** The CC_OP values whose flags are computed here (the rest go through Unicorn). */
  get computedOps(): number[] {
    return [...this.ok.keys()].filter((op) => this.ok[op]);
  }

  /** The arithmetic flags (CF PF AF ZF SF OF) as the CPU holds them now, or -1 when not computed here. */
  arith(): number {
    const w = this.w;
    const op = w[W_CC_OP];
    if (op >= 64 || !this.ok[op]) return -1;
    if (op === CC_OP_EFLAGS) return w[W_CC_SRC] & ARITH_FLAGS;
    if (op === CC_OP_CLR) return CC_Z | CC_P;
    const rel = op - CC_OP_ADD;
    const family = op - (rel & 3);
    const bits = 8 << (rel & 3);
    const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
    const dlo = (w[W_CC_DST] & mask) >>> 0, dhi = bits === 64 ? w[W_CC_DST + 1] : 0;
    const slo = (w[W_CC_SRC] & mask) >>> 0, shi = bits === 64 ? w[W_CC_SRC + 1] : 0;
    let f = PARITY[dlo & 0xff] | ((dlo | dhi) === 0 ? CC_Z : 0) | (sign(bits, dlo, dhi) ? CC_S : 0);
    if (family === CC_OP_LOGIC) return f;
    // AF and CF/OF need the operands back: src1 from the result and src2 (AF = bit 4 of their carries).
    let s1lo: number, s2lo: number;
    if (family === CC_OP_ADD || family === CC_OP_SUB) {
      // cc_dst = src1 ± src2, cc_src = src2.
      s2lo = slo;
      const s2hi = shi;
      let s1hi: number;
      if (family === CC_OP_ADD) {
        s1lo = ((dlo - slo) & mask) >>> 0;
        s1hi = bits === 64 ? (dhi - shi - (dlo < slo ? 1 : 0)) >>> 0 : 0;
        if (dhi < s1hi || (dhi === s1hi && dlo < s1lo)) f |= CC_C;
        if (sign(bits, (~(s1lo ^ s2lo) & (s1lo ^ dlo)) >>> 0, (~(s1hi ^ s2hi) & (s1hi ^ dhi)) >>> 0)) f |= CC_O;
      } else {
        const sum = dlo + slo;
        s1lo = (sum & mask) >>> 0;
        s1hi = bits === 64 ? (dhi + shi + (sum > 0xffffffff ? 1 : 0)) >>> 0 : 0;
        if (s1hi < s2hi || (s1hi === s2hi && s1lo < s2lo)) f |= CC_C;
        if (sign(bits, ((s1lo ^ s2lo) & (s1lo ^ dlo)) >>> 0, ((s1hi ^ s2hi) & (s1hi ^ dhi)) >>> 0)) f |= CC_O;
      }
    } else {
      // INC/DEC: cc_dst = result, cc_src = the carry from before (they leave CF alone).
      const inc = family === CC_OP_INC;
      s2lo = 1;
      s1lo = ((inc ? dlo - 1 : dlo + 1) & mask) >>> 0;
      if (w[W_CC_SRC] & 1) f |= CC_C;
      // OF: the result is the most negative value (inc) or the most positive one (dec).
      const min = bits === 64 ? dhi === 0x80000000 && dlo === 0 : dlo === 2 ** (bits - 1);
      const max = bits === 64 ? dhi === 0x7fffffff && dlo === 0xffffffff : dlo === 2 ** (bits - 1) - 1;
      if (inc ? min : max) f |= CC_O;
    }
    return f | ((dlo ^ s1lo ^ s2lo) & CC_A);
  }

  /** Sets the arithmetic flags (the rest of RFLAGS stays): what cpu_load_eflags does with them. */
  setArith(flags: number): void {
    const w = this.w;
    w[W_CC_SRC] = flags; w[W_CC_SRC + 1] = 0;
    w[W_CC_OP] = CC_OP_EFLAGS;
  }
}
