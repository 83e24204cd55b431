// The amd64 signal frame as FreeBSD's sendsig() builds it and sigreturn() takes it apart
// (sys/amd64/amd64/exec_machdep.c; layouts from sys/x86/include/ucontext.h, sys/sys/_ucontext.h,
// sys/sys/signal.h, sys/x86/include/fpu.h). QEMU's own amd64 code is wrong here (notes §4).
//
// struct sigframe { sf_ahu (handler) @0; ucontext_t sf_uc @16 (880 bytes); siginfo_t sf_si @896 (80) } = 976
// ucontext_t: uc_sigmask @0 (16), uc_mcontext @16 (800), uc_link @816, uc_stack @824 (24), uc_flags @848
// mcontext_t: mc_onstack @0, then the trapframe from mc_rdi @8 .. mc_ss @192, mc_len @200,
//   mc_fpformat @208, mc_ownedfp @216, mc_fpstate[64] @224 (fxsave image, 512), mc_fsbase @736,
//   mc_gsbase @744, mc_xfpustate @752, mc_xfpustate_len @760, mc_spare[4] @768
import type { Unicorn } from '../unicorn.js';
import type { SignalFrame } from '../arch.js';
import { REG } from './regs.js';

export const SIGFRAME_SIZE = 976;
export const SF_UC = 16;
export const SF_SI = 896;
const UC_MCONTEXT = 16;
const UC_LINK = 816;
const UC_STACK = 824;
const UC_FLAGS = 848;
const MC_LEN = 200;
const MC_FPFORMAT = 208;
const MC_OWNEDFP = 216;
const MC_FPSTATE = 224;
const MC_FSBASE = 736;
const MC_GSBASE = 744;
const MC_FLAGS = 144;
const MCONTEXT_SIZE = 800;
const _MC_HASSEGS = 0x1, _MC_HASBASES = 0x2;
const _MC_FPFMT_XMM = 0x10002;
const _MC_FPOWNED_FPU = 0x20001;
const _MC_FPOWNED_NONE = 0x20000;
const RED_ZONE = 128;
// PSL bits (sys/amd64/include/psl.h): user-modifiable flags for sigreturn (EFL_SECURE check).
const PSL_T = 0x100n, PSL_D = 0x400n;
const PSL_USERCHANGE = 0x00000cd5n | 0x00040000n | 0x00200000n | 0x00080000n | 0x00100000n | 0x100n | 0x200n;
// _ucodesel / _udatasel selectors FreeBSD gives user code (GUCODE_SEL 6, GUDATA_SEL 7, RPL 3).
const UCODE_SEL = 0x43n, UDATA_SEL = 0x3bn;

/** mcontext trapframe order: mc_rdi @8 ... (register ids in that order, offsets). */
const GPRS: [number, number][] = [
  [REG.RDI, 8], [REG.RSI, 16], [REG.RDX, 24], [REG.RCX, 32], [REG.R8, 40], [REG.R9, 48], [REG.RAX, 56],
  [REG.RBX, 64], [REG.RBP, 72], [REG.R10, 80], [REG.R11, 88], [REG.R12, 96], [REG.R13, 104],
  [REG.R14, 112], [REG.R15, 120],
];
const MC_RIP = 160, MC_CS = 168, MC_RFLAGS = 176, MC_RSP = 184, MC_SS = 192;

/** The FXSAVE image of the x87/SSE state (fpu.h struct savefpu's legacy area, 512 bytes). */
export function readFxsave(uc: Unicorn): Buffer {
  const f = Buffer.alloc(512);
  f.writeUInt16LE(Number(uc.regRead(REG.FPCW) & 0xffffn), 0);
  f.writeUInt16LE(Number(uc.regRead(REG.FPSW) & 0xffffn), 2);
  // Abridged tag word: one bit per register, 1 = valid (the full tag 11 means empty).
  const tag = Number(uc.regRead(REG.FPTAG) & 0xffffn);
  let abridged = 0;
  for (let i = 0; i < 8; i++) if (((tag >> (2 * i)) & 3) !== 3) abridged |= 1 << i;
  f[4] = abridged;
  f.writeUInt32LE(Number(uc.regRead(REG.MXCSR) & 0xffffffffn), 24);
  f.writeUInt32LE(0xffff, 28); // mxcsr_mask
  const st = new Uint8Array(10);
  for (let i = 0; i < 8; i++) {
    uc.regReadRaw(REG.ST0 + i, st);
    f.set(st, 32 + i * 16);
  }
  const x = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    uc.regReadRaw(REG.XMM0 + i, x);
    f.set(x, 160 + i * 16);
  }
  return f;
}

export function writeFxsave(uc: Unicorn, f: Buffer): void {
  uc.regWrite(REG.FPCW, BigInt(f.readUInt16LE(0)));
  uc.regWrite(REG.FPSW, BigInt(f.readUInt16LE(2)));
  let tag = 0;
  for (let i = 0; i < 8; i++) if (!(f[4] & (1 << i))) tag |= 3 << (2 * i);
  uc.regWrite(REG.FPTAG, BigInt(tag));
  uc.regWrite(REG.MXCSR, BigInt(f.readUInt32LE(24) & 0xffff));
  for (let i = 0; i < 8; i++) uc.regWriteRaw(REG.ST0 + i, f.subarray(32 + i * 16, 32 + i * 16 + 10));
  for (let i = 0; i < 16; i++) uc.regWriteRaw(REG.XMM0 + i, f.subarray(160 + i * 16, 160 + i * 16 + 16));
}


/** Builds the frame in memory and points the CPU at the trampoline; returns the frame address. */
export function buildFrame(uc: Unicorn, write: (addr: number, data: Buffer) => void, inp: SignalFrame): bigint {
  const f = Buffer.alloc(SIGFRAME_SIZE);
  f.writeBigUInt64LE(inp.handler, 0);
  const uc0 = SF_UC;
  for (let i = 0; i < 4; i++) f.writeUInt32LE(inp.oldMask[i] >>> 0, uc0 + i * 4);
  const mc = uc0 + UC_MCONTEXT;
  f.writeBigInt64LE(inp.onStack ? 1n : 0n, mc);
  for (const [id, off] of GPRS) f.writeBigUInt64LE(uc.regRead(id), mc + off);
  const rsp = uc.regRead(REG.RSP);
  const rflags = uc.regRead(REG.EFLAGS);
  f.writeBigUInt64LE(uc.regRead(REG.RIP), mc + MC_RIP);
  f.writeBigUInt64LE(UCODE_SEL, mc + MC_CS);
  f.writeBigUInt64LE(rflags, mc + MC_RFLAGS);
  f.writeBigUInt64LE(rsp, mc + MC_RSP);
  f.writeBigUInt64LE(UDATA_SEL, mc + MC_SS);
  f.writeUInt32LE(_MC_HASSEGS | _MC_HASBASES, mc + MC_FLAGS);
  f.writeBigInt64LE(BigInt(MCONTEXT_SIZE), mc + MC_LEN);
  f.writeBigInt64LE(BigInt(_MC_FPFMT_XMM), mc + MC_FPFORMAT);
  f.writeBigInt64LE(BigInt(_MC_FPOWNED_FPU), mc + MC_OWNEDFP);
  readFxsave(uc).copy(f, mc + MC_FPSTATE);
  f.writeBigUInt64LE(uc.regRead(REG.FS_BASE), mc + MC_FSBASE);
  f.writeBigUInt64LE(uc.regRead(REG.GS_BASE), mc + MC_GSBASE);
  f.writeBigUInt64LE(0n, uc0 + UC_LINK);
  f.writeBigUInt64LE(inp.stack.sp, uc0 + UC_STACK);
  f.writeBigUInt64LE(inp.stack.size, uc0 + UC_STACK + 8);
  f.writeInt32LE(inp.stack.flags, uc0 + UC_STACK + 16);
  f.writeInt32LE(0, uc0 + UC_FLAGS);
  if (inp.siginfo) inp.info.copy(f, SF_SI);

  const top = inp.altTop ?? rsp - BigInt(RED_ZONE);
  const sfp = (top - BigInt(SIGFRAME_SIZE)) & ~0xfn;
  write(Number(sfp), f);

  uc.regWrite(REG.RDI, BigInt(inp.sig));
  uc.regWrite(REG.RDX, sfp + BigInt(SF_UC));
  uc.regWrite(REG.RSI, inp.siginfo ? sfp + BigInt(SF_SI) : BigInt(inp.code));
  uc.regWrite(REG.RCX, inp.addr);
  uc.regWrite(REG.RSP, sfp);
  uc.regWrite(REG.RIP, inp.sigcode);
  uc.regWrite(REG.EFLAGS, rflags & ~(PSL_T | PSL_D));
  return sfp;
}

/**
 * sigreturn(ucp): restores every register, the FPU state and the bases from the ucontext; returns the
 * signal mask to install. Throws 'EINVAL' for a corrupt context (bad mc_len or flags).
 */
export function restoreFrame(uc: Unicorn, ctx: Buffer): Uint32Array {
  const mc = UC_MCONTEXT;
  if (ctx.readBigInt64LE(mc + MC_LEN) !== BigInt(MCONTEXT_SIZE)) throw new Error('EINVAL');
  const rflags = ctx.readBigUInt64LE(mc + MC_RFLAGS);
  const cur = uc.regRead(REG.EFLAGS);
  // Only user-changeable flags may differ (EFL_SECURE); the rest keep their current values.
  const flags = (rflags & PSL_USERCHANGE) | (cur & ~PSL_USERCHANGE);
  for (const [id, off] of GPRS) uc.regWrite(id, ctx.readBigUInt64LE(mc + off));
  uc.regWrite(REG.RSP, ctx.readBigUInt64LE(mc + MC_RSP));
  uc.regWrite(REG.EFLAGS, flags);
  const fl = ctx.readUInt32LE(mc + MC_FLAGS);
  if (fl & _MC_HASBASES) {
    uc.regWrite(REG.FS_BASE, ctx.readBigUInt64LE(mc + MC_FSBASE));
    uc.regWrite(REG.GS_BASE, ctx.readBigUInt64LE(mc + MC_GSBASE));
  }
  const owned = Number(ctx.readBigInt64LE(mc + MC_OWNEDFP));
  if (owned !== _MC_FPOWNED_NONE) {
    writeFxsave(uc, ctx.subarray(mc + MC_FPSTATE, mc + MC_FPSTATE + 512));
  }
  uc.regWrite(REG.RIP, ctx.readBigUInt64LE(mc + MC_RIP));
  const mask = new Uint32Array(4);
  for (let i = 0; i < 4; i++) mask[i] = ctx.readUInt32LE(i * 4);
  return mask;
}

export const UCONTEXT_SIZE = 880;
