// Unicorn's x86 register ids (include/unicorn/x86.h, uc_x86_reg) and instruction ids (uc_x86_insn).
export const REG = {
  CS: 11, DS: 17, EFLAGS: 25, ES: 28, FPSW: 31, FS: 32, GS: 33,
  RAX: 35, RBP: 36, RBX: 37, RCX: 38, RDI: 39, RDX: 40, RIP: 41, RSI: 43, RSP: 44, SS: 49,
  CR0: 50, CR4: 54,
  R8: 106, R9: 107, R10: 108, R11: 109, R12: 110, R13: 111, R14: 112, R15: 113,
  ST0: 114, XMM0: 122, YMM0: 154,
  FPCW: 246, FPTAG: 247, MSR: 248, MXCSR: 249, FS_BASE: 250, GS_BASE: 251, RFLAGS: 253,
} as const;

export const INS_SYSCALL = 699;
export const INS_CPUID = 113;
