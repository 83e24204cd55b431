// PLACEHOLDER (being generated from sys/kern/syscalls.master by a teammate).
const NAMES: Record<number, string> = { 1: 'exit', 3: 'read', 4: 'write', 20: 'getpid' };
export function freebsdSyscallName(nr: number): string | undefined { return NAMES[nr]; }
