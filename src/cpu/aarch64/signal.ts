// The arm64 signal frame as FreeBSD's sendsig() builds it and sys_sigreturn()/set_mcontext() take it apart
// (sys/arm64/arm64/exec_machdep.c; layouts from sys/arm64/include/{frame,ucontext}.h, sys/sys/_ucontext.h).
// Unlike QEMU's bsd-user, the FP/SIMD registers are saved and restored.
//
// struct sigframe { siginfo_t sf_si @0 (80); ucontext_t sf_uc @80 (960) } = 1040, 16-aligned
// ucontext_t: uc_sigmask @0 (16), uc_mcontext @16 (880), uc_link @896, uc_stack @904 (24), uc_flags @928
// mcontext_t: gp_x[30] @0, gp_lr @240, gp_sp @248, gp_elr @256, gp_spsr @264, fp_q[32] @272 (16 each),
//   fp_sr @784, fp_cr @788, fp_flags @792, mc_flags @800, mc_ptr @808 (list of extra register contexts,
//   ended by ARM64_CTX_END), mc_esr @816, mc_spare[6] @824
import type { Unicorn } from '../unicorn.js';
import type { SignalFrame } from '../arch.js';
import { Errno, E } from '../../abi/errno.js';
import { REG, xreg } from './regs.js';

export const SIGFRAME_SIZE = 1040;
export const SF_UC = 80;
export const UCONTEXT_SIZE = 960;
const UC_MCONTEXT = 16, UC_LINK = 896, UC_STACK = 904, UC_FLAGS = 928;
const GP_LR = 240, GP_SP = 248, GP_ELR = 256, GP_SPSR = 264;
const FP_Q = 272, FP_SR = 784, FP_CR = 788, MC_FLAGS = 800, MC_PTR = 808;
const _MC_FP_VALID = 0x1;
const ARM64_CTX_END = 0xa5a5a5a5;
const CTX_HEADER = 8; // struct arm64_reg_context { u32 ctx_id; u32 ctx_size; }
// sys/arm64/include/armreg.h: PSR_M_MASK 0xf (EL0t = 0), PSR_AARCH32 0x10, PSR_DAIF 0x3c0; NZCV bits 28-31.
const PSR_M_MASK = 0xfn, PSR_AARCH32 = 0x10n, PSR_DAIF = 0x3c0n, PSR_NZCV = 0xf0000000n;

/** Builds the frame in memory and points the CPU at the trampoline; returns the frame address. */
export function buildFrame(uc: Unicorn, write: (addr: number, data: Buffer) => void, inp: SignalFrame): bigint {
  const f = Buffer.alloc(SIGFRAME_SIZE);
  // arm64 sendsig always passes &sf_si (there is no old-style code argument).
  inp.info.copy(f, 0, 0, Math.min(inp.info.length, SF_UC));
  const u = SF_UC;
  for (let i = 0; i < 4; i++) f.writeUInt32LE(inp.oldMask[i] >>> 0, u + i * 4);
  const mc = u + UC_MCONTEXT;
  for (let i = 0; i < 30; i++) f.writeBigUInt64LE(uc.regRead(xreg(i)), mc + i * 8);
  const sp = uc.regRead(REG.SP);
  f.writeBigUInt64LE(uc.regRead(REG.X30), mc + GP_LR);
  f.writeBigUInt64LE(sp, mc + GP_SP);
  f.writeBigUInt64LE(uc.regRead(REG.PC), mc + GP_ELR);
  // The user's PSTATE as the kernel saw it: EL0t, interrupts unmasked, only the flags are live.
  f.writeBigUInt64LE(uc.regRead(REG.NZCV) & PSR_NZCV, mc + GP_SPSR);
  const q = new Uint8Array(16);
  for (let i = 0; i < 32; i++) {
    uc.regReadRaw(REG.Q0 + i, q);
    f.set(q, mc + FP_Q + i * 16);
  }
  f.writeUInt32LE(Number(uc.regRead(REG.FPSR) & 0xffffffffn), mc + FP_SR);
  f.writeUInt32LE(Number(uc.regRead(REG.FPCR) & 0xffffffffn), mc + FP_CR);
  f.writeInt32LE(_MC_FP_VALID, mc + MC_FLAGS);
  f.writeBigUInt64LE(0n, u + UC_LINK);
  f.writeBigUInt64LE(inp.stack.sp, u + UC_STACK);
  f.writeBigUInt64LE(inp.stack.size, u + UC_STACK + 8);
  f.writeInt32LE(inp.stack.flags, u + UC_STACK + 16);
  f.writeInt32LE(0, u + UC_FLAGS);

  // Above the frame, the extra-register list: only its end marker (no SVE state).
  const top = inp.altTop ?? sp;
  const ctxEnd = top - BigInt(CTX_HEADER);
  const end = Buffer.alloc(CTX_HEADER);
  end.writeUInt32LE(ARM64_CTX_END, 0);
  end.writeUInt32LE(CTX_HEADER, 4);
  f.writeBigUInt64LE(ctxEnd, mc + MC_PTR);
  const sfp = (ctxEnd - BigInt(SIGFRAME_SIZE)) & ~0xfn;
  write(Number(ctxEnd), end);
  write(Number(sfp), f);

  uc.regWrite(REG.X0, BigInt(inp.sig));
  uc.regWrite(REG.X1, sfp);
  uc.regWrite(REG.X2, sfp + BigInt(SF_UC));
  uc.regWrite(REG.X8, inp.handler);
  uc.regWrite(REG.SP, sfp);
  uc.regWrite(REG.PC, inp.sigcode);
  return sfp;
}

/**
 * sigreturn(ucp): set_mcontext checks and restores every register and the FP/SIMD state; returns the
 * signal mask to install. Throws Errno(EINVAL) for a context FreeBSD rejects (a privileged or AArch32
 * PSTATE, changed interrupt masks, an unknown extra-register context).
 */
export function restoreFrame(uc: Unicorn, ctx: Buffer, read: (addr: number, len: number) => Buffer): Uint32Array {
  const mc = UC_MCONTEXT;
  const spsr = ctx.readBigUInt64LE(mc + GP_SPSR);
  if ((spsr & PSR_M_MASK) !== 0n || (spsr & PSR_AARCH32) !== 0n || (spsr & PSR_DAIF) !== 0n) throw new Errno(E.EINVAL);
  let p = ctx.readBigUInt64LE(mc + MC_PTR);
  for (let n = 0; p !== 0n; n++) {
    if (n > 16 || (p & 3n) !== 0n) throw new Errno(E.EINVAL);
    const h = read(Number(p), CTX_HEADER);
    if (h.readUInt32LE(0) === ARM64_CTX_END) break;
    throw new Errno(E.EINVAL); // SVE and anything else: this CPU has none
  }
  for (let i = 0; i < 30; i++) uc.regWrite(xreg(i), ctx.readBigUInt64LE(mc + i * 8));
  uc.regWrite(REG.X30, ctx.readBigUInt64LE(mc + GP_LR));
  uc.regWrite(REG.SP, ctx.readBigUInt64LE(mc + GP_SP));
  uc.regWrite(REG.NZCV, spsr & PSR_NZCV);
  if (ctx.readInt32LE(mc + MC_FLAGS) & _MC_FP_VALID) {
    for (let i = 0; i < 32; i++) uc.regWriteRaw(REG.Q0 + i, ctx.subarray(mc + FP_Q + i * 16, mc + FP_Q + i * 16 + 16));
    uc.regWrite(REG.FPSR, BigInt(ctx.readUInt32LE(mc + FP_SR)));
    uc.regWrite(REG.FPCR, BigInt(ctx.readUInt32LE(mc + FP_CR)));
  }
  uc.regWrite(REG.PC, ctx.readBigUInt64LE(mc + GP_ELR));
  const mask = new Uint32Array(4);
  for (let i = 0; i < 4; i++) mask[i] = ctx.readUInt32LE(i * 4);
  return mask;
}
