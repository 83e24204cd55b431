// FreeBSD/arm64 on Unicorn: registers, the syscall ABI, entry state, faults.
import type { ArchInfo, Cpu, CpuFault, SignalFrame } from '../arch.js';
import { UC_ARCH, UC_MEM, UC_MODE, Unicorn, type RegBatch, type UcContext } from '../unicorn.js';
import { Errno, E } from '../../abi/errno.js';
import type { GuestMemory } from '../../mmap/api.js';
import { CPU_MODEL, EXCP, REG, xreg } from './regs.js';
import { aarch64Sigcode } from './sigcode.js';
import { buildFrame, restoreFrame, UCONTEXT_SIZE } from './signal.js';
import { ArmEnv } from './armenv.js';
import { storeRegister } from '../regfile.js';

const PSR_C = 1n << 29n; // NZCV carry (sys/arm64/include/armreg.h PSR_C)
const SYS_syscall = 0n, SYS___syscall = 198n;

// sys/arm64/include/elf.h HWCAP bits for what Unicorn's Cortex-A72 model implements (ID_AA64PFR0 FP and
// AdvSIMD, ID_AA64ISAR0 AES+PMULL, SHA1, SHA2, CRC32); CPUID because ID registers read with MRS work.
const HWCAP_FP = 1 << 0, HWCAP_ASIMD = 1 << 1, HWCAP_AES = 1 << 3, HWCAP_PMULL = 1 << 4, HWCAP_SHA1 = 1 << 5;
const HWCAP_SHA2 = 1 << 6, HWCAP_CRC32 = 1 << 7, HWCAP_CPUID = 1 << 11;

// Unicorn runs with translation off, where QEMU bounds addresses by the model's physical range
// (ID_AA64MMFR0.PARange = 44 bits on every arm64 model of Unicorn 2.0.1): user space ends at 2^44,
// below FreeBSD's VM_MAXUSER_ADDRESS (2^48). Everything else is sys/arm64/include/vmparam.h.
const MAX_USER = 0x1000_0000_0000;

export const aarch64Info: ArchInfo = {
  name: 'aarch64',
  elfMachine: 183,
  machine: 'arm64',
  machineArch: 'aarch64',
  pageSize: 4096,
  pageSizes: [4096, 2 * 1024 * 1024, 1024 * 1024 * 1024],
  maxUserAddress: MAX_USER,
  usrStack: MAX_USER - 4096, // USRSTACK = SHAREDPAGE = VM_MAXUSER_ADDRESS - PAGE_SIZE
  sharedPage: MAX_USER - 4096,
  sharedPageSize: 4096,
  etDynBase: 0x100000, // ET_DYN_LOAD_ADDR (sys/arm64/include/elf.h)
  maxDataSize: 1024 * 1024 * 1024, // MAXDSIZ
  defaultStackSize: 8 * 1024 * 1024, // what -s defaults to on every arch (arm64 DFLSSIZ is 128 MiB)
  maxStackSize: 1024 * 1024 * 1024, // MAXSSIZ
  minSigStackSize: 4096, // sys/arm64/include/_limits.h __MINSIGSTKSZ (1024 * 4)
  sigcode: aarch64Sigcode,
  hwcap: HWCAP_FP | HWCAP_ASIMD | HWCAP_AES | HWCAP_PMULL | HWCAP_SHA1 | HWCAP_SHA2 | HWCAP_CRC32 | HWCAP_CPUID,
  hwcap2: 0,
  timekeepCounter: 'arm-gentim',
};

// The signal each exception gets in FreeBSD's do_el0_sync (sys/arm64/arm64/trap.c): an undefined
// instruction (EXCP_UNKNOWN) SIGILL ILL_ILLTRP, brk SIGTRAP TRAP_BRKPT, alignment SIGBUS BUS_ADRALN
// (si_code values from sys/sys/signal.h). HVC and SMC are undefined at EL0; Unicorn runs the guest at a
// higher EL where they are not, so they count as undefined here.
const ILL_ILLTRP = 4, TRAP_BRKPT = 1, BUS_ADRALN = 1, SEGV_MAPERR = 1;
const EXCEPTIONS: Record<number, { signal: 'SIGILL' | 'SIGTRAP' | 'SIGSEGV' | 'SIGBUS'; code: number }> = {
  [EXCP.UDEF]: { signal: 'SIGILL', code: ILL_ILLTRP },
  [EXCP.HVC]: { signal: 'SIGILL', code: ILL_ILLTRP },
  [EXCP.SMC]: { signal: 'SIGILL', code: ILL_ILLTRP },
  [EXCP.BKPT]: { signal: 'SIGTRAP', code: TRAP_BRKPT },
  [EXCP.PREFETCH_ABORT]: { signal: 'SIGSEGV', code: SEGV_MAPERR },
  [EXCP.DATA_ABORT]: { signal: 'SIGBUS', code: BUS_ADRALN },
  [EXCP.UNALIGNED]: { signal: 'SIGBUS', code: BUS_ADRALN },
};

export class Aarch64Cpu implements Cpu {
  readonly info = aarch64Info;
  readonly uc: Unicorn;
  private readonly argBatch: RegBatch;
  private readonly okBatch: RegBatch;
  private readonly errBatch: RegBatch;
  private readonly out = new BigUint64Array(9);
  readonly args = this.out.subarray(1);
  /** cpu_fetch_syscall_args clears td_retval[1]: a syscall that sets no second word returns x1 = 0. */
  private nzcv = 0n;
  private syscallFn?: () => void;
  /** Inside the svc hook the pc is already past the svc; pc() still reports the svc itself. */
  private inSyscall = false;
  private faultFn?: (f: CpuFault) => void;
  /** The registers as memory, when found (armenv.ts): the syscall path then makes no FFI call. */
  private readonly env?: ArmEnv;
  private readonly outWords = new Uint32Array(this.out.buffer);

  constructor() {
    this.uc = new Unicorn(UC_ARCH.ARM64, UC_MODE.ARM);
    this.uc.setCpuModel(CPU_MODEL.A72);
    this.env = ArmEnv.find(this.uc);
    this.argBatch = this.uc.batch([REG.X8, ...[0, 1, 2, 3, 4, 5, 6, 7].map(xreg), REG.NZCV]);
    this.okBatch = this.uc.batch([REG.X0, REG.X1, REG.NZCV]);
    this.errBatch = this.uc.batch([REG.X0, REG.NZCV]);
    // One interrupt hook for everything: svc is EXCP_SWI; any other exception number is a fault. QEMU
    // raises EXCP_SWI only for svc (hvc and smc have their own numbers), so the exception number is the
    // syndrome's exception class; Unicorn 2.0.1 does not expose the syndrome itself.
    this.uc.hookIntr((intno) => {
      if (intno === EXCP.SWI) {
        this.inSyscall = true;
        try {
          this.syscallFn?.();
        } finally {
          this.inSyscall = false;
        }
        return;
      }
      const e = EXCEPTIONS[intno] ?? { signal: 'SIGILL' as const, code: ILL_ILLTRP };
      // The pc of a trap is the instruction that trapped (FreeBSD reports elr).
      this.faultFn?.({ kind: 'insn', signal: e.signal, code: e.code });
      this.uc.emuStop();
    });
  }

  /** The syscall path's register view (armenv.ts), if it is in use. */
  get registerView(): ArmEnv | undefined { return this.env; }

  syscallArgs(): number {
    const env = this.env;
    if (env) {
      // x8 is the number (a u_int, as sa->code); syscall(0) and __syscall(198) take it from x0 and
      // shift the arguments down (cpu_fetch_syscall_args).
      const w = env.w, o = this.outWords;
      const nr = w[16];
      const from = nr === 0 || nr === 198 ? 2 : 0;
      o[0] = from ? w[0] : nr; o[1] = from ? w[1] : w[17];
      for (let i = 2; i < 18; i++) o[i] = from + i - 2 < 16 ? w[from + i - 2] : 0;
      return o[0];
    }
    const v = this.argBatch.read();
    const out = this.out;
    this.nzcv = v[9];
    const nr = v[0];
    if (nr === SYS_syscall || nr === SYS___syscall) {
      // cpu_fetch_syscall_args: the number is x0, the arguments shift down to x1..x7.
      out[0] = v[1];
      for (let i = 1; i < 8; i++) out[i] = v[i + 1];
      out[8] = 0n;
    } else {
      out[0] = nr;
      for (let i = 1; i < 9; i++) out[i] = v[i];
    }
    return Number(out[0] & 0xffffffffn);
  }

  /**
   * cpu_set_syscall_retval (sys/arm64/arm64/vm_machdep.c): error = C set and x0 = errno; x1 =
   * td_retval[1], which starts at 0. Inside the syscall hook only (see completeSyscall).
   */
  syscallReturn(v0: number | bigint, v1: bigint | undefined, error: boolean): void {
    const env = this.env;
    if (!env) {
      this.batchReturn(v0, v1, error);
      return;
    }
    storeRegister(env.w, env.q, 0, v0); // x0
    if (!error) storeRegister(env.w, env.q, 1, v1 ?? 0); // x1
    env.setCarry(error);
  }

  /** The result in one register batch, with `nzcv` (as the caller had it) read before. */
  private batchReturn(v0: number | bigint, v1: bigint | undefined, error: boolean): void {
    if (error) {
      const b = this.errBatch.values;
      b[0] = BigInt(v0);
      b[1] = this.nzcv | PSR_C;
      this.errBatch.write();
    } else {
      const b = this.okBatch.values;
      b[0] = BigInt.asUintN(64, BigInt(v0));
      b[1] = v1 === undefined ? 0n : BigInt.asUintN(64, v1);
      b[2] = this.nzcv & ~PSR_C;
      this.okBatch.write();
    }
  }

  /** Outside the hook (a parked thread resuming): through Unicorn, as on amd64. */
  completeSyscall(v0: bigint, v1: bigint | undefined, error: boolean): void {
    this.nzcv = this.uc.regRead(REG.NZCV);
    this.batchReturn(v0, v1, error);
  }

  setupThread(ctx: UcContext, start: bigint, arg: bigint, stackBase: bigint, stackSize: bigint, tls: bigint | undefined): void {
    // sys/arm64/arm64/vm_machdep.c cpu_set_upcall: sp = STACKALIGN(base + size), elr = start, x0 = arg.
    const uc = this.uc;
    uc.contextRegWrite(ctx, REG.SP, (stackBase + stackSize) & ~15n);
    uc.contextRegWrite(ctx, REG.PC, start);
    uc.contextRegWrite(ctx, REG.X0, arg);
    uc.contextRegWrite(ctx, REG.X30, 0n);
    uc.contextRegWrite(ctx, REG.X29, 0n);
    if (tls !== undefined) uc.contextRegWrite(ctx, REG.TPIDR_EL0, tls);
  }

  rewindSyscall(): void {
    // The pc is past the svc; point it back at it (ERESTART: tf_elr -= 4).
    this.setPc(this.pc() - 4n);
  }

  restartSyscall(): void {
    // Inside the interrupt hook the pc is already past the svc: go back onto it.
    this.uc.regWrite(REG.PC, this.uc.regRead(REG.PC) - 4n);
  }

  sendSignal(mem: GuestMemory, f: SignalFrame): void {
    buildFrame(this.uc, (addr, data) => mem.write(addr, data), f);
  }

  sigreturn(mem: GuestMemory, ucp: number): Uint32Array {
    const ctx = mem.read(ucp, UCONTEXT_SIZE);
    try {
      return restoreFrame(this.uc, ctx, (addr, len) => mem.read(addr, len));
    } catch (e) {
      if (e instanceof Errno) throw e;
      throw new Errno(E.EINVAL);
    }
  }

  onSyscall(fn: () => void): void {
    this.syscallFn = fn;
  }

  onFault(fn: (f: CpuFault) => void): void {
    this.faultFn = fn;
    this.uc.hookMemInvalid((type, addr) => {
      const access = type === UC_MEM.WRITE_UNMAPPED || type === UC_MEM.WRITE_PROT ? 'write'
        : type === UC_MEM.FETCH_UNMAPPED || type === UC_MEM.FETCH_PROT ? 'exec' : 'read';
      fn({ kind: 'mem', signal: 'SIGSEGV', addr: Number(addr), access });
      return false;
    });
  }

  setEntryState(entry: number, stack: number): void {
    // sys/arm64/arm64/exec_machdep.c exec_setregs: a zeroed trapframe, x0 = stack (address of argc),
    // sp = STACKALIGN(stack), lr = elr = entry, TPIDR_EL0 = 0; vfp_reset_state: FP registers zero.
    for (let i = 0; i < 31; i++) this.uc.regWrite(xreg(i), 0n);
    const zero = new Uint8Array(16);
    for (let i = 0; i < 32; i++) this.uc.regWriteRaw(REG.Q0 + i, zero);
    this.uc.regWrite(REG.FPCR, 0n);
    this.uc.regWrite(REG.FPSR, 0n);
    this.uc.regWrite(REG.NZCV, 0n);
    this.uc.regWrite(REG.X0, BigInt(stack));
    this.uc.regWrite(REG.SP, BigInt(stack) & ~15n);
    this.uc.regWrite(REG.X30, BigInt(entry));
    this.uc.regWrite(REG.TPIDR_EL0, 0n);
    this.uc.regWrite(REG.TPIDRRO_EL0, 0n);
    this.uc.regWrite(REG.PC, BigInt(entry));
  }

  pc(): bigint {
    const pc = this.uc.regRead(REG.PC);
    return this.inSyscall ? pc - 4n : pc;
  }
  setPc(pc: bigint): void { this.uc.regWrite(REG.PC, pc); }
  sp(): bigint { return this.uc.regRead(REG.SP); }
  setSp(sp: bigint): void { this.uc.regWrite(REG.SP, sp); }
  tlsBase(): bigint { return this.uc.regRead(REG.TPIDR_EL0); }
  setTlsBase(v: bigint): void { this.uc.regWrite(REG.TPIDR_EL0, v); }

  // sysarch(2) on arm64 (sys/arm64/arm64/sys_machdep.c) serves only ARM64_GUARD_PAGE and the CFI/BTI ops
  // of newer releases; none is emulated, so every op is EINVAL (no `sysarch` method).
}
