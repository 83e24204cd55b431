// Host machine code that bsdemu writes itself: a few x86-64 stubs that Unicorn's translated code calls
// where a JavaScript callback would cost a trip through koffi (the preemption check at every block) or
// where libunicorn 2.0.x needs a fix (storepatch.ts). Only on x86-64 hosts; callers fall back otherwise.
import koffi from 'koffi';
import { HOST_MAP, HOST_PROT, hostMmap, hostMprotect, hostMunmap, hostPageSize } from '../host/hostmem.js';

export const hostCodeSupported = process.arch === 'x64' && process.env.BSDEMU_HOSTCODE !== '0';

/**
 * A writable page for stubs, within ±2 GiB of `near` when given (so a rel32 call from there reaches
 * it). Make it executable with `sealCodePage` once written.
 */
export function allocCodePage(near?: number): number | undefined {
  const page = hostPageSize();
  const rw = HOST_PROT.READ | HOST_PROT.WRITE;
  const flags = HOST_MAP.PRIVATE | HOST_MAP.ANON;
  if (near === undefined) return hostMmap(0, page, rw, flags, -1, 0);
  for (let d = 0x1000_0000; d < 0x7000_0000; d += 0x1000_0000) {
    for (const hint of [near - d, near + d]) {
      if (hint <= 0) continue;
      let got: number;
      try {
        got = hostMmap(Math.floor(hint / page) * page, page, rw, flags, -1, 0);
      } catch {
        continue;
      }
      if (Math.abs(got - near) < 0x7800_0000) return got;
      hostMunmap(got, page);
    }
  }
  return undefined;
}

/** Write-protects a stub page and makes it executable. */
export function sealCodePage(page: number): void {
  hostMprotect(page, hostPageSize(), HOST_PROT.READ | HOST_PROT.EXEC);
}

const u64le = (v: bigint) => Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));

/**
 * The preemption check, a Unicorn hook callback `void cb(uc_engine *uc, uint64_t addr, uint32_t size,
 * void *user)`: returns at once while the 8-byte word at `flag` is zero, else tail-calls `stop(uc)`
 * (uc_emu_stop). Unicorn 2.0.x compiles a lone block hook into a direct call from every translated
 * block, so the check must read its flag at run time: swapping the hook's callback would only reach
 * blocks translated after the swap. The stub also stores the block's address in the word after the
 * flag: the CPU stops before that block's first instruction, and with a code hook installed
 * (Unicorn.ensurePreciseFaultPc) Unicorn 2.0.x leaves the pc of such a stop stale, so the run loop sets it.
 * Returns the stub's address and the flag word's.
 */
export function preemptStub(stop: bigint): { fn: bigint; flag: bigint } | undefined {
  if (!hostCodeSupported) return undefined;
  const page = allocCodePage();
  if (page === undefined) return undefined;
  const flagPage = hostMmap(0, hostPageSize(), HOST_PROT.READ | HOST_PROT.WRITE, HOST_MAP.PRIVATE | HOST_MAP.ANON, -1, 0);
  const code = Uint8Array.from([
    0x48, 0xb8, ...u64le(BigInt(flagPage)), // movabs $flag,%rax
    0x48, 0x83, 0x38, 0x00, //               cmpq $0,(%rax)
    0x75, 0x01, //                           jne 1f
    0xc3, //                                 ret
    0x48, 0x89, 0x70, 0x08, //            1: mov %rsi,8(%rax)   the block's address: where the CPU stops
    0x48, 0xb8, ...u64le(stop), //           movabs $uc_emu_stop,%rax
    0xff, 0xe0, //                           jmp *%rax   (rdi is still uc)
  ]);
  new Uint8Array(koffi.view(page, code.length)).set(code);
  sealCodePage(page);
  return { fn: BigInt(page), flag: BigInt(flagPage) };
}

/**
 * A trampoline that records the stack pointer at its entry in a word, then jumps to `target` with the
 * arguments untouched: the hook callback that wraps a koffi callback, so that the JS side can look at
 * the native stack of the Unicorn helper that called it (see Unicorn.hookMemInvalid). Returns the
 * trampoline's address and the word's.
 */
export function spRecorder(target: bigint): { fn: bigint; sp: bigint } | undefined {
  if (!hostCodeSupported) return undefined;
  const page = allocCodePage();
  if (page === undefined) return undefined;
  const data = hostMmap(0, hostPageSize(), HOST_PROT.READ | HOST_PROT.WRITE, HOST_MAP.PRIVATE | HOST_MAP.ANON, -1, 0);
  const code = Uint8Array.from([
    0x48, 0xb8, ...u64le(BigInt(data)), // movabs $word,%rax
    0x48, 0x89, 0x20, //                 mov %rsp,(%rax)
    0x48, 0xb8, ...u64le(target), //     movabs $target,%rax
    0xff, 0xe0, //                       jmp *%rax
  ]);
  new Uint8Array(koffi.view(page, code.length)).set(code);
  sealCodePage(page);
  return { fn: BigInt(page), sp: BigInt(data) };
}
