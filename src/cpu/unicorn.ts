// Typed binding over the system libunicorn (2.0.1+) through koffi. This is the only file that declares
// Unicorn's C functions; everything else talks to the `Unicorn` class. Constants are Unicorn's public ABI
// (include/unicorn/unicorn.h, x86.h, arm64.h of 2.0.x).
import koffi, { type TypeObject } from 'koffi';
import { findLibUnicorn } from './libpath.js';
import { applyStorePatch, storeFastPath } from './storepatch.js';
import { faultTrampoline, hostCodeSupported, preemptStub } from './hostcode.js';
import { symbolAddresses } from '../host/symbols.js';

export const UC_ARCH = { ARM: 1, ARM64: 2, X86: 4 } as const;
export const UC_MODE = { ARM: 0, MODE_32: 4, MODE_64: 8 } as const;

export const UC_PROT = { NONE: 0, READ: 1, WRITE: 2, EXEC: 4, ALL: 7 } as const;

export const UC_HOOK = {
  INTR: 1 << 0,
  INSN: 1 << 1,
  CODE: 1 << 2,
  BLOCK: 1 << 3,
  MEM_READ_UNMAPPED: 1 << 4,
  MEM_WRITE_UNMAPPED: 1 << 5,
  MEM_FETCH_UNMAPPED: 1 << 6,
  MEM_READ_PROT: 1 << 7,
  MEM_WRITE_PROT: 1 << 8,
  MEM_FETCH_PROT: 1 << 9,
  INSN_INVALID: 1 << 14,
} as const;
export const UC_HOOK_MEM_INVALID = 0x3f0; // every *_UNMAPPED and *_PROT hook

/** uc_mem_type values seen by memory-event hooks. */
export const UC_MEM = {
  READ: 16, WRITE: 17, FETCH: 18,
  READ_UNMAPPED: 19, WRITE_UNMAPPED: 20, FETCH_UNMAPPED: 21,
  WRITE_PROT: 22, READ_PROT: 23, FETCH_PROT: 24,
} as const;

export enum UcErr {
  OK = 0, NOMEM, ARCH, HANDLE, MODE, VERSION, READ_UNMAPPED, WRITE_UNMAPPED, FETCH_UNMAPPED, HOOK,
  INSN_INVALID, MAP, WRITE_PROT, READ_PROT, FETCH_PROT, ARG, READ_UNALIGNED, WRITE_UNALIGNED,
  FETCH_UNALIGNED, HOOK_EXIST, RESOURCE, EXCEPTION,
}

const UC_CTL_IO_WRITE = 1;
const UC_CTL_IO_READ = 2;
const ucCtl = (type: number, nr: number, rw: number) => (type | (nr << 26) | (rw << 30)) >>> 0;
const UC_CTL_CPU_MODEL = 7;
const UC_CTL_TB_REMOVE_CACHE = 9;
const UC_CTL_TB_FLUSH = 10;

export class UnicornError extends Error {
  constructor(readonly code: UcErr, readonly op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = 'UnicornError';
  }
}

export class LibUnicornMissing extends Error {}

type Fn = (...args: any[]) => any;
interface Lib {
  uc_version: Fn; uc_open: Fn; uc_close: Fn; uc_strerror: Fn; uc_errno: Fn;
  uc_reg_read: Fn; uc_reg_write: Fn; uc_reg_read_batch: Fn; uc_reg_write_batch: Fn;
  uc_reg_read_batch_addr: Fn; uc_reg_write_batch_addr: Fn;
  uc_mem_read: Fn; uc_mem_write: Fn; uc_mem_map: Fn; uc_mem_map_ptr: Fn; uc_mem_unmap: Fn;
  uc_mem_protect: Fn; uc_emu_start: Fn; uc_emu_stop: Fn; uc_hook_add: Fn; uc_hook_add_raw: Fn; uc_hook_del: Fn;
  uc_context_alloc: Fn; uc_context_save: Fn; uc_context_restore: Fn; uc_context_free: Fn;
  uc_context_reg_read: Fn; uc_context_reg_write: Fn;
  uc_ctl: Fn;
  cbVoid: TypeObject; cbIntr: TypeObject; cbMem: TypeObject; cbBool: TypeObject;
}

let lib: Lib | undefined;

function load(): Lib {
  if (lib) return lib;
  const path = findLibUnicorn();
  let h: ReturnType<typeof koffi.load>;
  try {
    h = koffi.load(path);
  } catch (e) {
    throw new LibUnicornMissing(`cannot load ${path}: ${(e as Error).message}`);
  }
  const f = (sig: string) => h.func(sig);
  // The syscall hooks' callbacks run once per guest syscall: they declare no argument they do not use
  // (the C caller passes them all the same; the callee just leaves them), so that koffi makes no
  // pointer object per call. The engine pointer before intno is read as its low half for the same
  // reason.
  const cbVoid = koffi.proto('void bsdemu_cb_void(void)');
  const cbIntr = koffi.proto('void bsdemu_cb_intr(uint32_t uc_low, uint32_t intno)');
  const cbMem = koffi.proto('bool bsdemu_cb_mem(void *uc, int type, uint64_t addr, int size, int64_t value, void *user)');
  const cbBool = koffi.proto('bool bsdemu_cb_bool(void *uc, void *user)');
  lib = {
    uc_version: f('unsigned int uc_version(unsigned int *major, unsigned int *minor)'),
    uc_open: f('int uc_open(int arch, int mode, _Out_ void **uc)'),
    uc_close: f('int uc_close(void *uc)'),
    uc_strerror: f('const char *uc_strerror(int code)'),
    uc_errno: f('int uc_errno(void *uc)'),
    uc_reg_read: f('int uc_reg_read(void *uc, int regid, void *value)'),
    uc_reg_write: f('int uc_reg_write(void *uc, int regid, const void *value)'),
    uc_reg_read_batch: f('int uc_reg_read_batch(void *uc, void *regs, void *vals, int count)'),
    uc_reg_write_batch: f('int uc_reg_write_batch(void *uc, void *regs, void *vals, int count)'),
    // The same two with plain addresses: koffi converts a number to intptr_t ~100 ns faster than it
    // unwraps a pointer object and two typed arrays (measured for issue 5; this is the syscall path).
    uc_reg_read_batch_addr: f('int uc_reg_read_batch(intptr_t uc, intptr_t regs, intptr_t vals, int count)'),
    uc_reg_write_batch_addr: f('int uc_reg_write_batch(intptr_t uc, intptr_t regs, intptr_t vals, int count)'),
    uc_mem_read: f('int uc_mem_read(void *uc, uint64_t address, _Out_ uint8_t *bytes, size_t size)'),
    uc_mem_write: f('int uc_mem_write(void *uc, uint64_t address, const uint8_t *bytes, size_t size)'),
    uc_mem_map: f('int uc_mem_map(void *uc, uint64_t address, size_t size, uint32_t perms)'),
    uc_mem_map_ptr: f('int uc_mem_map_ptr(void *uc, uint64_t address, size_t size, uint32_t perms, void *ptr)'),
    uc_mem_unmap: f('int uc_mem_unmap(void *uc, uint64_t address, size_t size)'),
    uc_mem_protect: f('int uc_mem_protect(void *uc, uint64_t address, size_t size, uint32_t perms)'),
    uc_emu_start: f('int uc_emu_start(void *uc, uint64_t begin, uint64_t until, uint64_t timeout, size_t count)'),
    uc_emu_stop: f('int uc_emu_stop(void *uc)'),
    uc_hook_add: f('int uc_hook_add(void *uc, _Out_ size_t *hh, int type, void *callback, void *user_data, uint64_t begin, uint64_t end, ...)'),
    uc_hook_add_raw: f('int uc_hook_add(void *uc, _Out_ uint64_t *hh, int type, uint64_t callback, void *user_data, uint64_t begin, uint64_t end, ...)'),
    uc_hook_del: f('int uc_hook_del(void *uc, size_t hh)'),
    uc_context_alloc: f('int uc_context_alloc(void *uc, _Out_ void **context)'),
    uc_context_save: f('int uc_context_save(void *uc, void *context)'),
    uc_context_restore: f('int uc_context_restore(void *uc, void *context)'),
    uc_context_free: f('int uc_context_free(void *context)'),
    uc_context_reg_read: f('int uc_context_reg_read(void *context, int regid, void *value)'),
    uc_context_reg_write: f('int uc_context_reg_write(void *context, int regid, const void *value)'),
    uc_ctl: f('int uc_ctl(void *uc, uint32_t control, ...)'),
    cbVoid, cbIntr, cbMem, cbBool,
  };
  patchStores(lib);
  return lib;
}

/** Unicorn 2.0.x store slow path (see storepatch.ts): patched before the first engine opens. */
function patchStores(l: Lib): void {
  const v = l.uc_version(null, null) as number;
  const version: [number, number, number] = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff];
  let fns: number[] = [];
  try {
    fns = libFunctionAddresses(['tlb_set_page_with_attrs_x86_64', 'tlb_set_page_with_attrs_aarch64']).map(Number);
  } catch {
    // A build without these symbols: leave it alone.
  }
  applyStorePatch(version, fns);
}

/** Addresses of libunicorn's own functions. */
function libFunctionAddresses(names: string[]): bigint[] {
  try {
    return symbolAddresses(findLibUnicorn(), names);
  } catch (e) {
    throw new LibUnicornMissing((e as Error).message);
  }
}

/** Version of the loaded libunicorn as [major, minor, patch]. */
export function unicornVersion(): [number, number, number] {
  const v = load().uc_version(null, null) as number;
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff];
}

export type Hook = { handle: number; callback: unknown };
/** A saved CPU context (registers only), for thread switches and signal delivery. */
export type UcContext = unknown;

export class Unicorn {
  private readonly l: Lib;
  private readonly uc: unknown;
  private readonly u64 = new BigUint64Array(1);
  private readonly hooks: Hook[] = [];
  constructor(private readonly arch: number, mode: number) {
    this.l = load();
    const out = [null];
    this.check(this.l.uc_open(arch, mode, out), 'uc_open');
    this.uc = out[0];
  }

  private check(err: number, op: string): void {
    if (err !== UcErr.OK) throw new UnicornError(err, op, this.l.uc_strerror(err) as string);
  }

  /** The engine pointer as an integer. */
  handleAddress(): bigint {
    return koffi.address(this.uc) as bigint;
  }

  /**
   * A block hook that stops the CPU once another thread sets a flag word to non-zero, with no JS on the
   * way: the stop then happens on the emulating thread at a block boundary, where it is safe, unlike a
   * uc_emu_stop called from another thread (unicorn-engine/unicorn#1355). Unicorn 2.0.x compiles a lone
   * block hook into a direct call of its callback from each translated block, so the flag must be read
   * by the callback at run time: on x86-64 hosts the callback is a stub of ours (hostcode.ts). Elsewhere
   * a second block hook makes Unicorn call its generic helper, which reads the callback from the hook
   * record each time; the flag is then that record's callback slot (uc_errno idle, uc_emu_stop armed).
   * Returns the flag's address and its armed and idle values, and (stub only) where the block address
   * of a stop is stored.
   */
  addPreemptHook(): { slot: bigint; stop: bigint; idle: bigint; stopPc?: bigint } {
    const [emuStop, ucErrno] = libFunctionAddresses(['uc_emu_stop', 'uc_errno']);
    const out = [0n];
    const stub = preemptStub(emuStop);
    if (stub) {
      this.check(this.l.uc_hook_add_raw(this.uc, out, UC_HOOK.BLOCK, stub.fn, null, 1n, 0n), 'uc_hook_add');
      return { slot: stub.flag, stop: 1n, idle: 0n, stopPc: stub.flag + 8n };
    }
    this.check(this.l.uc_hook_add_raw(this.uc, out, UC_HOOK.BLOCK, ucErrno, null, 1n, 0n), 'uc_hook_add');
    const slot = BigInt(out[0]) + 40n;
    this.check(this.l.uc_hook_add_raw(this.uc, out, UC_HOOK.BLOCK, ucErrno, null, 1n, 0n), 'uc_hook_add');
    // struct hook (unicorn 2.0.x uc_priv.h): type, insn, refs, op, op_flags (int), to_delete (bool),
    // begin @24, end @32, callback @40, user_data @48.
    return { slot, stop: emuStop, idle: ucErrno };
  }

  /**
   * A code hook whose callback is libunicorn's own uc_errno (no JS runs): its effect is that the
   * translator stores the pc before every instruction. Unicorn 2.0.1 restores the pc of a memory fault
   * only on x86 (fixed for every arch in 2.1.4, "Sync pc before memory hooks"); elsewhere the pc of a
   * fault would be the start of an earlier, chained block. Install before any code is translated.
   */
  addPcSyncHook(): void {
    const [idle] = libFunctionAddresses(['uc_errno']);
    const out = [0n];
    this.check(this.l.uc_hook_add_raw(this.uc, out, UC_HOOK.CODE, idle, null, 1n, 0n), 'uc_hook_add');
    this.hasCodeHook = true;
  }

  close(): void {
    for (const h of this.hooks) koffi.unregister(h.callback as never);
    this.hooks.length = 0;
    this.l.uc_close(this.uc);
  }

  regRead(id: number): bigint {
    this.check(this.l.uc_reg_read(this.uc, id, this.u64), 'uc_reg_read');
    return this.u64[0];
  }

  regWrite(id: number, value: bigint): void {
    this.u64[0] = BigInt.asUintN(64, value);
    this.check(this.l.uc_reg_write(this.uc, id, this.u64), 'uc_reg_write');
  }

  /** Raw register access into caller-provided buffers (wide registers: XMM, MSR structs). */
  regReadRaw(id: number, out: Uint8Array): void {
    this.check(this.l.uc_reg_read(this.uc, id, out), 'uc_reg_read');
  }

  regWriteRaw(id: number, value: Uint8Array): void {
    this.check(this.l.uc_reg_write(this.uc, id, value), 'uc_reg_write');
  }

  /**
   * A fixed set of 64-bit registers read or written in one FFI call each. The values live in a typed
   * array whose element pointers are precomputed, so the syscall path allocates nothing.
   */
  batch(ids: readonly number[]): RegBatch {
    return new RegBatch(this, this.l, this.uc, ids);
  }

  memRead(addr: bigint | number, size: number): Buffer {
    const buf = Buffer.alloc(size);
    this.check(this.l.uc_mem_read(this.uc, BigInt(addr), buf, size), 'uc_mem_read');
    return buf;
  }

  /** Like memRead, but null when the guest range is not mapped or not readable. */
  memReadSafe(addr: bigint | number, size: number): Buffer | null {
    const buf = Buffer.alloc(size);
    return this.l.uc_mem_read(this.uc, BigInt(addr), buf, size) === UcErr.OK ? buf : null;
  }

  memWrite(addr: bigint | number, data: Uint8Array): void {
    this.check(this.l.uc_mem_write(this.uc, BigInt(addr), data, data.length), 'uc_mem_write');
  }

  memMap(addr: bigint | number, size: number, perms: number): void {
    this.check(this.l.uc_mem_map(this.uc, BigInt(addr), size, perms), 'uc_mem_map');
  }

  /** Map host memory (a koffi pointer) into the guest: both sides see the same bytes. */
  memMapPtr(addr: bigint | number, size: number, perms: number, hostPtr: unknown): void {
    this.check(this.l.uc_mem_map_ptr(this.uc, BigInt(addr), size, perms, hostPtr), 'uc_mem_map_ptr');
  }

  memUnmap(addr: bigint | number, size: number): void {
    this.check(this.l.uc_mem_unmap(this.uc, BigInt(addr), size), 'uc_mem_unmap');
  }

  memProtect(addr: bigint | number, size: number, perms: number): void {
    if (storeFastPath() && (perms & (UC_PROT.WRITE | UC_PROT.EXEC)) === (UC_PROT.WRITE | UC_PROT.EXEC)) {
      // Unicorn flushes its TLB only when a region's read-only state flips: pass through read-only so
      // no fast-store entry from the region's plain read-write time survives into its executable time.
      this.check(this.l.uc_mem_protect(this.uc, BigInt(addr), size, perms & ~UC_PROT.WRITE), 'uc_mem_protect');
    }
    this.check(this.l.uc_mem_protect(this.uc, BigInt(addr), size, perms), 'uc_mem_protect');
  }

  /** Run from `begin`; returns the uc_err code (0 when stopped normally or by timeout/uc_emu_stop). */
  emuStart(begin: bigint, until = 0n, timeoutUs = 0, count = 0): UcErr {
    return this.l.uc_emu_start(this.uc, begin, until, BigInt(timeoutUs), count) as UcErr;
  }

  emuStop(): void {
    this.check(this.l.uc_emu_stop(this.uc), 'uc_emu_stop');
  }

  private addHook(type: number, cb: unknown, begin: bigint, end: bigint, extra: unknown[]): Hook {
    const out = [0];
    this.check(this.l.uc_hook_add(this.uc, out, type, cb, null, begin, end, ...extra), 'uc_hook_add');
    const hook = { handle: out[0] as number, callback: cb };
    this.hooks.push(hook);
    return hook;
  }

  /** Hook one x86 instruction kind (e.g. SYSCALL, CPUID) over all addresses. */
  hookInsn(insn: number, fn: () => void): Hook {
    const cb: unknown = koffi.register(() => fn(), koffi.pointer(this.l.cbVoid));
    return this.addHook(UC_HOOK.INSN, cb, 1n, 0n, ['int', insn]);
  }

  /** Hook CPU interrupts/exceptions (arm64 svc, x86 int N and faults). */
  hookIntr(fn: (intno: number) => void): Hook {
    const cb: unknown = koffi.register((_uc: unknown, intno: number) => fn(intno), koffi.pointer(this.l.cbIntr));
    return this.addHook(UC_HOOK.INTR, cb, 1n, 0n, []);
  }

  /**
   * Hook invalid memory accesses; the callback returns true if it fixed the access. A data access that
   * faults leaves Unicorn 2.0.x's pc at the start of an earlier translated block (its fault path skips
   * QEMU's cpu_restore_state; fixed upstream in 2.1.4). On x86-64 hosts the hook therefore goes through
   * a trampoline that records the native stack pointer, and before `fn` runs the pc is restored the way
   * QEMU does it: the nearest return address into translated code on the helper's stack names the
   * faulting guest instruction (cpu_restore_state). `preciseFaultPc` says whether that is in place.
   */
  hookMemInvalid(fn: (type: number, addr: bigint, size: number) => boolean): Hook {
    const restore = this.faultPcRestorer();
    const cb: unknown = koffi.register(
      (_uc: unknown, type: number, addr: bigint | number, size: number) => {
        if (restore && type !== UC_MEM.FETCH_UNMAPPED && type !== UC_MEM.FETCH_PROT) restore();
        return fn(type, BigInt(addr), size);
      },
      koffi.pointer(this.l.cbMem),
    );
    const exit = restore ? this.storeFaultExit() : undefined;
    const tramp = restore ? faultTrampoline(koffi.address(cb) as bigint, exit) : undefined;
    if (!tramp) {
      this.preciseFaultPc = false;
      return this.addHook(UC_HOOK_MEM_INVALID, cb, 1n, 0n, []);
    }
    this.spSlot = new BigUint64Array(koffi.view(tramp.sp, 8));
    const out = [0n];
    this.check(this.l.uc_hook_add_raw(this.uc, out, UC_HOOK_MEM_INVALID, tramp.fn, null, 1n, 0n), 'uc_hook_add');
    const hook = { handle: Number(out[0]), callback: cb };
    this.hooks.push(hook);
    this.preciseFaultPc = true;
    this.storeFaultsExit = exit !== undefined;
    return hook;
  }

  /** What the fault trampoline needs to leave a faulting store at once (hostcode.ts faultTrampoline). */
  private storeFaultExit(): { stop: bigint; uc: bigint; loopExit: bigint; cpu: bigint } | undefined {
    const cpu = this.cpuState();
    if (!cpu || process.env.BSDEMU_MIDBLOCK_EXITS === '1') return undefined;
    try {
      const [stop, loopExit] = libFunctionAddresses(['uc_emu_stop', `cpu_loop_exit_${this.archSuffix()}`]);
      return { stop, uc: this.handleAddress(), loopExit, cpu };
    } catch {
      return undefined;
    }
  }

  /** A faulting guest store leaves the CPU at once (the fault trampoline), as a faulting load does. */
  private storeFaultsExit = false;

  /**
   * Unicorn 2.x follows every guest load and store in translated code with a check of the CPU's exit
   * flag (tcg-op.c check_exit_request), for one reason: its store path returns from a faulting store
   * and relies on that check to leave the block before the next instruction runs. The check costs
   * every memory access a load, a compare and a branch, and it makes a stop requested from another
   * thread land in the middle of a block, which Unicorn then restarts from its first instruction:
   * instructions before the check run twice. Once faulting stores leave at once (storeFaultsExit),
   * the flag Unicorn keeps for ARM IT blocks (uc->no_exit_request, found in check_exit_request's
   * code) turns the check off for all code translated afterwards: call before any is. Returns whether
   * it is off.
   */
  disableMidBlockExits(): boolean {
    if (!this.storeFaultsExit || !this.midBlockExits) return !this.midBlockExits;
    try {
      const [fn] = libFunctionAddresses([`check_exit_request_${this.archSuffix()}`]);
      // mov disp32(%rdi),%rax (tcg_ctx->uc); cmpb $0,disp32(%rax) (uc->no_exit_request)
      const c = new Uint8Array(koffi.view(Number(fn), 16));
      if (c[0] !== 0x48 || c[1] !== 0x8b || c[2] !== 0x87 || c[7] !== 0x80 || c[8] !== 0xb8 || c[13] !== 0x00) return false;
      const off = c[9] | (c[10] << 8) | (c[11] << 16) | (c[12] << 24);
      if (off <= 0 || off > 0x10000) return false;
      new Uint8Array(koffi.view(Number(this.handleAddress()) + off, 1))[0] = 1;
      this.midBlockExits = false;
    } catch {
      return false;
    }
    return true;
  }

  /** Whether translated code checks the exit flag after each memory access (disableMidBlockExits). */
  midBlockExits = true;

  /**
   * What another host thread calls to stop the CPU: uc_emu_stop and its argument. The CPU then stops at
   * its next block boundary with the pc of the block it did not run (cpu_tb_exec synchronises it).
   * Only while no exit check sits inside blocks (disableMidBlockExits) and no code hook is installed
   * (with one, Unicorn leaves that pc stale); undefined otherwise.
   */
  asyncStop(): { fn: bigint; arg: bigint } | undefined {
    if (this.midBlockExits || this.hasCodeHook) return undefined;
    const [fn] = libFunctionAddresses(['uc_emu_stop']);
    return { fn, arg: this.handleAddress() };
  }

  /** Whether a code hook is installed (addPcSyncHook). */
  hasCodeHook = false;

  /** The suffix of libunicorn's per-target internal symbols. */
  private archSuffix(): string {
    return this.arch === UC_ARCH.ARM64 ? 'aarch64' : this.arch === UC_ARCH.ARM ? 'arm' : 'x86_64';
  }

  /** Memory faults report the faulting instruction's pc (see hookMemInvalid). */
  preciseFaultPc = false;

  /**
   * From now on memory faults report the faulting instruction's pc, where hookMemInvalid cannot restore
   * it (hosts other than x86-64): a code hook makes the translator store the pc before every instruction
   * (~15% of compute, up to several times more on Go code), so the run loop asks for it only once the
   * guest catches a fault signal. `dropCode` drops the blocks translated without the hook. Idempotent.
   */
  ensurePreciseFaultPc(dropCode: () => void): void {
    if (this.preciseFaultPc) return;
    this.preciseFaultPc = true;
    this.addPcSyncHook();
    dropCode();
  }
  private spSlot?: BigUint64Array;

  /**
   * The engine's CPUState (uc->cpu, QEMU's ArchCPU object), or undefined where it cannot be found: on
   * x86-64 hosts uc_emu_stop loads it for cpu_exit (`mov disp32(%rdi),%rdi; test %rdi,%rdi`), which
   * names the field's offset in struct uc_struct. Unicorn creates the CPU lazily, at the first call
   * that needs it (a register or memory access).
   */
  cpuState(): bigint | undefined {
    if (!hostCodeSupported) return undefined;
    if (this.cpuStateAddr) return this.cpuStateAddr;
    try {
      const [emuStop] = libFunctionAddresses(['uc_emu_stop']);
      const code = new Uint8Array(koffi.view(Number(emuStop), 64));
      for (let i = 0; i + 10 <= code.length; i++) {
        if (code[i] === 0x48 && code[i + 1] === 0x8b && code[i + 2] === 0xbf && code[i + 7] === 0x48 && code[i + 8] === 0x85 && code[i + 9] === 0xff) {
          const off = code[i + 3] | (code[i + 4] << 8) | (code[i + 5] << 16) | (code[i + 6] << 24);
          if (off > 0) this.cpuStateAddr = new BigUint64Array(koffi.view(Number(this.handleAddress()) + off, 8))[0];
          break;
        }
      }
    } catch {
      // no such symbol: leave it unknown
    }
    return this.cpuStateAddr || undefined;
  }
  private cpuStateAddr = 0n;

  /** The pc fix-up for hookMemInvalid, or undefined where it cannot be done (other hosts, other builds). */
  private faultPcRestorer(): (() => void) | undefined {
    if (!hostCodeSupported) return undefined;
    let restoreFn: Fn;
    const cpu = this.cpuState();
    if (!cpu) return undefined;
    try {
      const arch = this.archSuffix();
      const h = koffi.load(findLibUnicorn());
      restoreFn = h.func(`bool cpu_restore_state_${arch}(uintptr_t cpu, uintptr_t host_pc, bool will_exit)`);
    } catch {
      return undefined;
    }
    return () => {
      const sp = this.spSlot?.[0];
      if (!sp) return;
      // The helper's frames lie between our trampoline and the translated code that called it: the
      // first stack word cpu_restore_state accepts (a return address into the code buffer) is the one.
      const words = new BigUint64Array(koffi.view(Number(sp), 8 * 512));
      for (let i = 0; i < words.length; i++) {
        const v = words[i];
        if (v > 0x10000n && restoreFn(cpu, v, false)) return;
      }
    };
  }
  /** Hook undecodable instructions; return true to continue, false to stop with UC_ERR_INSN_INVALID. */
  hookInsnInvalid(fn: () => boolean): Hook {
    const cb: unknown = koffi.register(() => fn(), koffi.pointer(this.l.cbBool));
    return this.addHook(UC_HOOK.INSN_INVALID, cb, 1n, 0n, []);
  }

  hookDel(h: Hook): void {
    this.check(this.l.uc_hook_del(this.uc, h.handle), 'uc_hook_del');
    koffi.unregister(h.callback as never);
    const i = this.hooks.indexOf(h);
    if (i >= 0) this.hooks.splice(i, 1);
  }

  contextAlloc(): UcContext {
    const out = [null];
    this.check(this.l.uc_context_alloc(this.uc, out), 'uc_context_alloc');
    return out[0];
  }

  contextSave(ctx: UcContext): void {
    this.check(this.l.uc_context_save(this.uc, ctx), 'uc_context_save');
  }

  contextRestore(ctx: UcContext): void {
    this.check(this.l.uc_context_restore(this.uc, ctx), 'uc_context_restore');
  }

  /** A register of a saved context (64-bit registers only). */
  contextRegRead(ctx: UcContext, id: number): bigint {
    this.check(this.l.uc_context_reg_read(ctx, id, this.u64), 'uc_context_reg_read');
    return this.u64[0];
  }

  contextRegWrite(ctx: UcContext, id: number, value: bigint): void {
    this.u64[0] = BigInt.asUintN(64, value);
    this.check(this.l.uc_context_reg_write(ctx, id, this.u64), 'uc_context_reg_write');
  }

  contextFree(ctx: UcContext): void {
    this.check(this.l.uc_context_free(ctx), 'uc_context_free');
  }

  /** Drop translated code for guest addresses [start, end): the next execution retranslates. */
  removeCache(start: bigint, end: bigint): void {
    this.check(this.l.uc_ctl(this.uc, ucCtl(UC_CTL_TB_REMOVE_CACHE, 2, UC_CTL_IO_WRITE), 'uint64_t', start, 'uint64_t', end), 'uc_ctl(remove_cache)');
  }

  /** Drop every translated block. */
  flushCache(): void {
    this.check(this.l.uc_ctl(this.uc, ucCtl(UC_CTL_TB_FLUSH, 0, UC_CTL_IO_WRITE)), 'uc_ctl(tb_flush)');
  }

  setCpuModel(model: number): void {
    this.check(this.l.uc_ctl(this.uc, ucCtl(UC_CTL_CPU_MODEL, 1, UC_CTL_IO_WRITE), 'int', model), 'uc_ctl(cpu_model)');
  }

  getCpuModel(): number {
    const out = [0];
    this.check(this.l.uc_ctl(this.uc, ucCtl(UC_CTL_CPU_MODEL, 1, UC_CTL_IO_READ), '_Out_ int *', out), 'uc_ctl(cpu_model)');
    return out[0];
  }
}

export class RegBatch {
  readonly values: BigUint64Array;
  private readonly ids: Int32Array;
  private readonly ptrs: BigUint64Array;
  /** Native addresses of the engine, `ids` and `ptrs`, passed as numbers on every call. */
  private readonly ucAddr: number;
  private readonly idsAddr: number;
  private readonly ptrsAddr: number;

  constructor(private readonly owner: Unicorn, private readonly l: Lib, private readonly uc: unknown, ids: readonly number[]) {
    // Over explicit ArrayBuffers: their memory is off the V8 heap, so the addresses taken once stay valid
    // (a small typed array made from a length may live on the heap, where the GC moves it).
    this.ids = new Int32Array(new ArrayBuffer(ids.length * 4));
    this.ids.set(ids);
    this.values = new BigUint64Array(new ArrayBuffer(ids.length * 8));
    const base = koffi.address(this.values) as bigint;
    this.ptrs = new BigUint64Array(new ArrayBuffer(ids.length * 8));
    this.ptrs.set(ids.map((_, i) => base + BigInt(i * 8)));
    this.ucAddr = Number(koffi.address(uc as never));
    this.idsAddr = Number(koffi.address(this.ids));
    this.ptrsAddr = Number(koffi.address(this.ptrs));
  }

  read(): BigUint64Array {
    const err = this.l.uc_reg_read_batch_addr(this.ucAddr, this.idsAddr, this.ptrsAddr, this.ids.length) as number;
    if (err !== UcErr.OK) throw new UnicornError(err, 'uc_reg_read_batch', this.l.uc_strerror(err) as string);
    return this.values;
  }

  write(): void {
    const err = this.l.uc_reg_write_batch_addr(this.ucAddr, this.idsAddr, this.ptrsAddr, this.ids.length) as number;
    if (err !== UcErr.OK) throw new UnicornError(err, 'uc_reg_write_batch', this.l.uc_strerror(err) as string);
    void this.owner;
    void this.uc;
  }
}
