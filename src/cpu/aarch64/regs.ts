// Unicorn 2.0.1's arm64 register ids (include/unicorn/arm64.h, uc_arm64_reg) and CPU models (uc_cpu_arm64).
// X0..X28 are consecutive; X29 (fp) and X30 (lr) sit at the start of the enum; Q0..Q31 are consecutive.
export const REG = {
  X29: 1, X30: 2, NZCV: 3, SP: 4,
  Q0: 104,
  X0: 199, X1: 200, X2: 201, X8: 207,
  PC: 260, TPIDR_EL0: 262, TPIDRRO_EL0: 263, PSTATE: 265,
  FPCR: 291, FPSR: 292,
} as const;

/** Register id of x0..x30. */
export const xreg = (n: number): number => (n === 29 ? REG.X29 : n === 30 ? REG.X30 : REG.X0 + n);

export const CPU_MODEL = { A57: 0, A53: 1, A72: 2, MAX: 3 } as const;

// QEMU's target/arm/cpu.h exception numbers, as Unicorn's UC_HOOK_INTR reports them.
export const EXCP = { UDEF: 1, SWI: 2, PREFETCH_ABORT: 3, DATA_ABORT: 4, BKPT: 7, HVC: 11, SMC: 13, UNALIGNED: 22 } as const;
