// Host machine code that bsdemu writes itself: a few x86-64 stubs that Unicorn's translated code calls
// where a JavaScript callback would cost a trip through koffi (the preemption check at every block) or
// where libunicorn 2.0.x needs a fix (storepatch.ts), and the watchdog's timekeeping thread (a Node
// worker would cost ~50 ms and ~10 MB to start). Only on x86-64 hosts; callers fall back otherwise.
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

/**
 * A host thread's start routine `void *fn(void *block)` that keeps time for the run loop with no
 * JavaScript: every `nanosleep(block+48)` it counts a tick in word 0; once word 1 (a deadline in ticks,
 * 0 = none) is reached it stores 1 into the word whose address is word 4 (the preemption stub's flag)
 * and clears the deadline; it returns when word 2 becomes non-zero. Word 5 holds nanosleep's address,
 * words 6–7 the struct timespec of one tick. Returns the routine's address.
 */
export function tickerThreadFn(): bigint | undefined {
  if (!hostCodeSupported) return undefined;
  const page = allocCodePage();
  if (page === undefined) return undefined;
  const code = Uint8Array.from([
    0x53, //                                  push %rbx  (also aligns the stack for the call)
    0x48, 0x89, 0xfb, //                      mov %rdi,%rbx
    0x48, 0x8d, 0x7b, 0x30, //             1: lea 0x30(%rbx),%rdi
    0x31, 0xf6, //                            xor %esi,%esi
    0xff, 0x53, 0x28, //                      call *0x28(%rbx)          nanosleep(&tick, NULL)
    0x48, 0x83, 0x7b, 0x10, 0x00, //          cmpq $0,0x10(%rbx)        quit?
    0x75, 0x2c, //                            jne 3f
    0x48, 0x8b, 0x03, //                      mov (%rbx),%rax
    0x48, 0xff, 0xc0, //                      inc %rax
    0x48, 0x89, 0x03, //                      mov %rax,(%rbx)           ++ticks
    0x48, 0x8b, 0x4b, 0x08, //                mov 0x8(%rbx),%rcx
    0x48, 0x85, 0xc9, //                      test %rcx,%rcx
    0x74, 0xde, //                            je 1b                     no deadline
    0x48, 0x39, 0xc8, //                      cmp %rcx,%rax
    0x72, 0xd9, //                            jb 1b                     not yet
    0x48, 0x8b, 0x4b, 0x20, //                mov 0x20(%rbx),%rcx
    0x48, 0xc7, 0x01, 0x01, 0, 0, 0, //       movq $1,(%rcx)            raise the flag
    0x48, 0xc7, 0x43, 0x08, 0, 0, 0, 0, //    movq $0,0x8(%rbx)         deadline done
    0xeb, 0xc4, //                            jmp 1b
    0x31, 0xc0, //                         3: xor %eax,%eax
    0x5b, //                                  pop %rbx
    0xc3, //                                  ret
  ]);
  new Uint8Array(koffi.view(page, code.length)).set(code);
  sealCodePage(page);
  return BigInt(page);
}
