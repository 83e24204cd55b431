// FreeBSD/amd64 on Unicorn: registers, the syscall ABI, entry state, faults, sysarch.
import type { ArchInfo, Cpu, CpuFault, SignalFrame } from '../arch.js';
import { buildFrame, restoreFrame, UCONTEXT_SIZE } from './signal.js';
import { UC_ARCH, UC_MEM, UC_MODE, Unicorn, type RegBatch, type UcContext } from '../unicorn.js';
import { Errno, E } from '../../abi/errno.js';
import type { GuestMemory } from '../../mmap/api.js';
import { REG, INS_SYSCALL } from './regs.js';
import { amd64Sigcode } from './sigcode.js';
import { ARITH_FLAGS, X86Env } from './x86env.js';
import { storeRegister } from '../regfile.js';

const CF = 1; // carry flag in RFLAGS
const PSL_USER = 0x202n; // IF | reserved bit 1 (sys/amd64/include/psl.h)

// sys/x86/include/sysarch.h
const I386_GET_FSBASE = 7, I386_SET_FSBASE = 8, I386_GET_GSBASE = 9, I386_SET_GSBASE = 10;
const AMD64_GET_FSBASE = 128, AMD64_SET_FSBASE = 129, AMD64_GET_GSBASE = 130, AMD64_SET_GSBASE = 131;
const AMD64_GET_XFPUSTATE = 132, AMD64_SET_PKRU = 133, AMD64_CLEAR_PKRU = 134, AMD64_DISABLE_TLSBASE = 136;

const SYS_syscall = 0, SYS___syscall = 198;

export const amd64Info: ArchInfo = {
  name: 'amd64',
  elfMachine: 62,
  machine: 'amd64',
  machineArch: 'amd64',
  pageSize: 4096,
  pageSizes: [4096, 2 * 1024 * 1024, 1024 * 1024 * 1024],
  maxUserAddress: 0x800000000000, // VM_MAXUSER_ADDRESS (LA48)
  usrStack: 0x7ffffffff000, // USRSTACK = SHAREDPAGE
  sharedPage: 0x7ffffffff000,
  sharedPageSize: 4096,
  etDynBase: 0x01021000, // ET_DYN_LOAD_ADDR
  maxDataSize: 32 * 1024 * 1024 * 1024, // MAXDSIZ
  defaultStackSize: 8 * 1024 * 1024, // DFLSSIZ
  maxStackSize: 512 * 1024 * 1024, // MAXSSIZ
  minSigStackSize: 2048, // sys/x86/include/_limits.h __MINSIGSTKSZ (512 * 4)
  sigcode: amd64Sigcode,
  timekeepCounter: 'x86-tsc',
};

// x86 exception vectors and the signal FreeBSD's trap() sends for each (sys/amd64/amd64/trap.c).
// SIGILL codes ILL_PRVOPC 2 / ILL_ILLOPC 1, FPE_INTDIV 2, BUS_OBJERR 3, TRAP_BRKPT 1 (sys/sys/signal.h).
const EXCEPTIONS: Record<number, { signal: 'SIGILL' | 'SIGFPE' | 'SIGTRAP' | 'SIGSEGV' | 'SIGBUS'; code: number }> = {
  0: { signal: 'SIGFPE', code: 2 },
  1: { signal: 'SIGTRAP', code: 2 },
  3: { signal: 'SIGTRAP', code: 1 },
  4: { signal: 'SIGFPE', code: 1 }, // into: FPE_INTOVF
  5: { signal: 'SIGFPE', code: 6 }, // bound: FPE_FLTSUB
  6: { signal: 'SIGILL', code: 5 }, // #UD is T_PRIVINFLT: ILL_PRVOPC
  7: { signal: 'SIGFPE', code: 0 },
  11: { signal: 'SIGBUS', code: 3 },
  12: { signal: 'SIGBUS', code: 3 },
  13: { signal: 'SIGBUS', code: 3 },
  16: { signal: 'SIGFPE', code: 0 },
  17: { signal: 'SIGBUS', code: 1 },
  19: { signal: 'SIGFPE', code: 0 },
};

export class Amd64Cpu implements Cpu {
  readonly info = amd64Info;
  readonly uc: Unicorn;
  private readonly argBatch: RegBatch;
  private readonly okBatch: RegBatch;
  private readonly errBatch: RegBatch;
  private readonly out = new BigUint64Array(9);
  readonly args = this.out.subarray(1);
  /** The registers as memory, when found (x86env.ts): the syscall path then makes no FFI call. */
  private readonly env?: X86Env;
  /** The syscall path's register view (x86env.ts), if it is in use. */
  get registerView(): X86Env | undefined { return this.env; }

  constructor() {
    this.uc = new Unicorn(UC_ARCH.X86, UC_MODE.MODE_64);
    this.argBatch = this.uc.batch([REG.RAX, REG.RDI, REG.RSI, REG.RDX, REG.R10, REG.R8, REG.R9, REG.RSP, REG.EFLAGS]);
    this.okBatch = this.uc.batch([REG.RAX, REG.RDX, REG.EFLAGS]);
    this.errBatch = this.uc.batch([REG.RAX, REG.EFLAGS]);
    this.argWords = new Uint32Array(this.argBatch.values.buffer);
    this.okWords = new Uint32Array(this.okBatch.values.buffer);
    this.errWords = new Uint32Array(this.errBatch.values.buffer);
    this.outWords = new Uint32Array(this.out.buffer);
    this.env = X86Env.find(this.uc);
  }

  /** RFLAGS at the syscall (its upper half is always zero), as a number: no BigInt on the fast path. */
  private flags = 0;
  /** 32-bit views (little-endian hosts) of the batches' values: words without allocating BigInts. */
  private readonly argWords: Uint32Array;
  private readonly okWords: Uint32Array;
  private readonly errWords: Uint32Array;
  private readonly outWords: Uint32Array;

  syscallArgs(): number {
    const env = this.env;
    if (env) {
      const w = env.w;
      // FreeBSD takes the number from eax (sa->code is a u_int).
      if (w[0] !== SYS_syscall && w[0] !== SYS___syscall) {
        // rax and the six register arguments rdi rsi rdx r10 r8 r9, copied as u32 words (no BigInt).
        const o = this.outWords;
        o[0] = w[0]; o[1] = w[1];
        o[2] = w[14]; o[3] = w[15];
        o[4] = w[12]; o[5] = w[13];
        o[6] = w[4]; o[7] = w[5];
        o[8] = w[20]; o[9] = w[21];
        o[10] = w[16]; o[11] = w[17];
        o[12] = w[18]; o[13] = w[19];
        o[14] = 0; o[15] = 0; o[16] = 0; o[17] = 0;
        return w[0];
      }
    }
    const v = this.argBatch.read();
    const out = this.out;
    const w = this.argWords;
    this.flags = w[16]; // v[8]: RFLAGS
    if (w[0] === SYS_syscall || w[0] === SYS___syscall) {
      const nr = w[0];
      // Indirect: the number is the first argument; the rest shift down and the last comes from the
      // stack above the return address (cpu_fetch_syscall_args).
      out[0] = nr === SYS___syscall ? v[1] : BigInt.asUintN(32, v[1]);
      out[1] = v[2]; out[2] = v[3]; out[3] = v[4]; out[4] = v[5]; out[5] = v[6];
      const stack = this.uc.memReadSafe(v[7] + 8n, 24);
      out[6] = stack ? stack.readBigUInt64LE(0) : 0n;
      out[7] = stack ? stack.readBigUInt64LE(8) : 0n;
      out[8] = stack ? stack.readBigUInt64LE(16) : 0n;
    } else {
      // rax and at most six register arguments (amd64), copied as raw words.
      const o = this.outWords;
      for (let i = 0; i < 14; i++) o[i] = w[i];
      o[14] = 0; o[15] = 0; o[16] = 0; o[17] = 0;
    }
    return this.outWords[0];
  }

  /**
   * cpu_set_syscall_retval (sys/amd64/amd64/vm_machdep.c): rax = result or errno, rdx = the second
   * word (td_retval[1] starts as the caller's rdx, so `v1` undefined leaves it), carry = error; the
   * other flags stay as the caller had them. Inside the syscall hook only (see completeSyscall).
   */
  syscallReturn(v0: number | bigint, v1: bigint | undefined, error: boolean): void {
    const env = this.env;
    if (!env) {
      this.batchReturn(v0, v1 ?? this.argBatch.values[3], error);
      return;
    }
    storeRegister(env.w, env.q, 0, v0); // rax
    if (!error && v1 !== undefined) storeRegister(env.w, env.q, 2, v1); // rdx
    let f = env.arith();
    if (f < 0) f = Number(this.uc.regRead(REG.EFLAGS) & 0xffffn) & ARITH_FLAGS;
    if ((f & CF) !== (error ? CF : 0)) env.setArith(error ? f | CF : f & ~CF);
  }

  /** The result in one register batch, with `flags` (RFLAGS as the caller had it) read before. */
  private batchReturn(v0: number | bigint, v1: bigint, error: boolean): void {
    if (error) {
      const b = this.errBatch.values;
      b[0] = BigInt(v0);
      this.errWords[2] = (this.flags | CF) >>> 0; this.errWords[3] = 0; // b[1]: RFLAGS
      this.errBatch.write();
    } else {
      const b = this.okBatch.values;
      b[0] = BigInt.asUintN(64, BigInt(v0));
      b[1] = BigInt.asUintN(64, v1);
      this.okWords[4] = (this.flags & ~CF) >>> 0; this.okWords[5] = 0; // b[2]: RFLAGS
      this.okBatch.write();
    }
  }

  /**
   * Outside the hook (a parked thread resuming) the register view does not apply: between runs QEMU
   * keeps the flags in eflags, not in the lazy cc_* fields (x86_cpu_exec_enter/exit), so this goes
   * through Unicorn.
   */
  completeSyscall(v0: bigint, v1: bigint | undefined, error: boolean): void {
    this.flags = Number(this.uc.regRead(REG.EFLAGS) & 0xffffffffn);
    this.batchReturn(v0, v1 ?? this.uc.regRead(REG.RDX), error);
  }

  setupThread(ctx: UcContext, start: bigint, arg: bigint, stackBase: bigint, stackSize: bigint, tls: bigint | undefined): void {
    // sys/amd64/amd64/vm_machdep.c cpu_set_upcall: rsp = ((base + size) & ~15) - 8, as if called.
    const uc = this.uc;
    uc.contextRegWrite(ctx, REG.RSP, ((stackBase + stackSize) & ~15n) - 8n);
    uc.contextRegWrite(ctx, REG.RBP, 0n);
    uc.contextRegWrite(ctx, REG.RIP, start);
    uc.contextRegWrite(ctx, REG.RDI, arg);
    if (tls !== undefined) uc.contextRegWrite(ctx, REG.FS_BASE, tls);
  }

  rewindSyscall(): void {
    this.setPc(this.pc() - 2n);
  }

  sendSignal(mem: GuestMemory, f: SignalFrame): void {
    buildFrame(this.uc, (addr, data) => mem.write(addr, data), f);
  }

  sigreturn(mem: GuestMemory, ucp: number): Uint32Array {
    const ctx = mem.read(ucp, UCONTEXT_SIZE);
    try {
      return restoreFrame(this.uc, ctx);
    } catch {
      throw new Errno(E.EINVAL);
    }
  }

  restartSyscall(): void {
    // Inside the hook RIP still points at the `syscall` instruction and Unicorn adds its length (2)
    // after the hook returns; aim 2 bytes early so execution resumes on the instruction itself.
    this.setPc(this.pc() - 2n);
  }

  onSyscall(fn: () => void): void {
    this.uc.hookInsn(INS_SYSCALL, fn);
  }

  onFault(fn: (f: CpuFault) => void): void {
    this.uc.hookMemInvalid((type, addr) => {
      const access = type === UC_MEM.WRITE_UNMAPPED || type === UC_MEM.WRITE_PROT ? 'write'
        : type === UC_MEM.FETCH_UNMAPPED || type === UC_MEM.FETCH_PROT ? 'exec' : 'read';
      fn({ kind: 'mem', signal: 'SIGSEGV', addr: Number(addr), access });
      return false;
    });
    this.uc.hookIntr((intno) => {
      const e = EXCEPTIONS[intno] ?? { signal: 'SIGSEGV' as const, code: 0 };
      fn({ kind: 'insn', signal: e.signal, code: e.code });
      this.uc.emuStop();
    });
  }

  setEntryState(entry: number, stack: number): void {
    const ids = [REG.RAX, REG.RBX, REG.RCX, REG.RDX, REG.RSI, REG.RBP, REG.R8, REG.R9, REG.R10, REG.R11,
      REG.R12, REG.R13, REG.R14, REG.R15];
    for (const id of ids) this.uc.regWrite(id, 0n);
    this.uc.regWrite(REG.RDI, BigInt(stack));
    this.uc.regWrite(REG.RSP, ((BigInt(stack) - 8n) & ~15n) + 8n);
    this.uc.regWrite(REG.EFLAGS, PSL_USER);
    this.uc.regWrite(REG.FS_BASE, 0n);
    this.uc.regWrite(REG.GS_BASE, 0n);
    // FPU state as fpstate_init leaves it: __INITIAL_FPUCW__ and __INITIAL_MXCSR__ (x86/include/fpu.h).
    this.uc.regWrite(REG.FPCW, 0x37fn);
    this.uc.regWrite(REG.MXCSR, 0x1f80n);
    this.uc.regWrite(REG.RIP, BigInt(entry));
  }

  pc(): bigint { return this.uc.regRead(REG.RIP); }
  setPc(pc: bigint): void { this.uc.regWrite(REG.RIP, pc); }
  sp(): bigint { return this.uc.regRead(REG.RSP); }
  setSp(sp: bigint): void { this.uc.regWrite(REG.RSP, sp); }
  tlsBase(): bigint { return this.uc.regRead(REG.FS_BASE); }
  setTlsBase(v: bigint): void { this.uc.regWrite(REG.FS_BASE, v); }

  /** sysarch(2) for amd64 (sys/amd64/amd64/sys_machdep.c): FS/GS base by pointer. */
  sysarch(op: number, parm: number, mem: GuestMemory): number | undefined {
    switch (op) {
      case AMD64_GET_FSBASE: mem.writeU64(parm, this.uc.regRead(REG.FS_BASE)); return 0;
      case AMD64_SET_FSBASE: this.uc.regWrite(REG.FS_BASE, checkBase(mem.readU64(parm))); return 0;
      case AMD64_GET_GSBASE: mem.writeU64(parm, this.uc.regRead(REG.GS_BASE)); return 0;
      case AMD64_SET_GSBASE: this.uc.regWrite(REG.GS_BASE, checkBase(mem.readU64(parm))); return 0;
      case I386_GET_FSBASE: mem.writeU32(parm, Number(this.uc.regRead(REG.FS_BASE) & 0xffffffffn)); return 0;
      case I386_SET_FSBASE: this.uc.regWrite(REG.FS_BASE, BigInt(mem.readU32(parm))); return 0;
      case I386_GET_GSBASE: mem.writeU32(parm, Number(this.uc.regRead(REG.GS_BASE) & 0xffffffffn)); return 0;
      case I386_SET_GSBASE: this.uc.regWrite(REG.GS_BASE, BigInt(mem.readU32(parm))); return 0;
      case AMD64_GET_XFPUSTATE: case AMD64_SET_PKRU: case AMD64_CLEAR_PKRU: case AMD64_DISABLE_TLSBASE:
        throw new Errno(E.EINVAL);
      default: return undefined;
    }
  }
}

/** A base must be a canonical user address (sys_machdep.c checks against VM_MAXUSER_ADDRESS). */
function checkBase(v: bigint): bigint {
  if (v >= BigInt(amd64Info.maxUserAddress)) throw new Errno(E.EINVAL);
  return v;
}
