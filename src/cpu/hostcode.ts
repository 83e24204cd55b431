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
 * The invalid-memory hook's callback `bool cb(uc, type, addr, size, value, user)`: records the stack
 * pointer at its entry in a word, so that the JS side can look at the native stack of the Unicorn
 * helper that called it (Unicorn.hookMemInvalid), then calls `target` with the arguments untouched and
 * returns its result. With `exit`, an unhandled write (UC_MEM_WRITE_UNMAPPED 20, WRITE_PROT 22) does not
 * return: it calls `exit.stop(exit.uc)` (uc_emu_stop) and leaves the helper through
 * `exit.loopExit(exit.cpu)` (cpu_loop_exit), as Unicorn's own load path does; its store path returns
 * instead and counts on a check of the exit flag after every guest store (Unicorn.disableMidBlockExits).
 * Returns the trampoline's address and the word's.
 */
export function faultTrampoline(target: bigint, exit?: { stop: bigint; uc: bigint; loopExit: bigint; cpu: bigint }): { fn: bigint; sp: bigint } | undefined {
  if (!hostCodeSupported) return undefined;
  const page = allocCodePage();
  if (page === undefined) return undefined;
  const data = hostMmap(0, hostPageSize(), HOST_PROT.READ | HOST_PROT.WRITE, HOST_MAP.PRIVATE | HOST_MAP.ANON, -1, 0);
  const record = [
    0x48, 0xb8, ...u64le(BigInt(data)), //   movabs $word,%rax
    0x48, 0x89, 0x20, //                     mov %rsp,(%rax)
  ];
  const code = Uint8Array.from(!exit ? [
    ...record,
    0x48, 0xb8, ...u64le(target), //         movabs $target,%rax
    0xff, 0xe0, //                           jmp *%rax
  ] : [
    ...record,
    0x53, //                                 push %rbx           (also aligns the stack)
    0x89, 0xf3, //                           mov %esi,%ebx       the access type
    0x48, 0xb8, ...u64le(target), //         movabs $target,%rax
    0xff, 0xd0, //                           call *%rax
    0x84, 0xc0, //                           test %al,%al
    0x75, 0x36, //                           jne 1f              handled
    0x83, 0xfb, 0x14, //                     cmp $20,%ebx
    0x74, 0x05, //                           je 2f
    0x83, 0xfb, 0x16, //                     cmp $22,%ebx
    0x75, 0x2c, //                           jne 1f              a load: Unicorn leaves itself
    0x48, 0xbf, ...u64le(exit.uc), //     2: movabs $uc,%rdi
    0x48, 0xb8, ...u64le(exit.stop), //      movabs $uc_emu_stop,%rax
    0xff, 0xd0, //                           call *%rax
    0x48, 0xbf, ...u64le(exit.cpu), //       movabs $cpu,%rdi
    0x48, 0xb8, ...u64le(exit.loopExit), //  movabs $cpu_loop_exit,%rax
    0xff, 0xd0, //                           call *%rax          (does not return)
    0x5b, //                              1: pop %rbx
    0xc3, //                                 ret
  ]);
  new Uint8Array(koffi.view(page, code.length)).set(code);
  sealCodePage(page);
  return { fn: BigInt(page), sp: BigInt(data) };
}

/**
 * A host thread's start routine `void *fn(void *block)` that keeps time for the run loop with no
 * JavaScript. The block holds 64-bit words: 0 ticks, 1 deadline in ticks (0 = none), 2 quit, 4 the
 * address of a flag word, 5 nanosleep's address, 6–7 the struct timespec of one tick, 8 a function to
 * call at the deadline (0 = none), 9 its argument. Every tick it counts; on every tick at or past the
 * deadline it stores 1 into the flag and calls the function (uc_emu_stop(uc)): again each tick, until
 * the run loop clears the deadline, so a stop that lands just before a run starts is not lost. It
 * returns when the quit word becomes non-zero. Returns the routine's address.
 */
export function tickerThreadFn(): bigint | undefined {
  if (!hostCodeSupported) return undefined;
  const page = allocCodePage();
  if (page === undefined) return undefined;
  const code = Uint8Array.from([
    0x53, //                                  push %rbx  (also aligns the stack for the calls)
    0x48, 0x89, 0xfb, //                      mov %rdi,%rbx
    0x48, 0x8d, 0x7b, 0x30, //             1: lea 0x30(%rbx),%rdi
    0x31, 0xf6, //                            xor %esi,%esi
    0xff, 0x53, 0x28, //                      call *0x28(%rbx)          nanosleep(&tick, NULL)
    0x48, 0x83, 0x7b, 0x10, 0x00, //          cmpq $0,0x10(%rbx)        quit?
    0x75, 0x33, //                            jne 3f
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
    0x48, 0x8b, 0x43, 0x40, //                mov 0x40(%rbx),%rax
    0x48, 0x85, 0xc0, //                      test %rax,%rax
    0x74, 0xc5, //                            je 1b
    0x48, 0x8b, 0x7b, 0x48, //                mov 0x48(%rbx),%rdi
    0xff, 0xd0, //                            call *%rax                stop(uc)
    0xeb, 0xbd, //                            jmp 1b
    0x31, 0xc0, //                         3: xor %eax,%eax
    0x5b, //                                  pop %rbx
    0xc3, //                                  ret
  ]);
  new Uint8Array(koffi.view(page, code.length)).set(code);
  sealCodePage(page);
  return BigInt(page);
}

/** `uint64_t rdtsc(void)`: the host's time-stamp counter, which Unicorn's guest `rdtsc` also reads. */
export function rdtscStub(): bigint | undefined {
  if (!hostCodeSupported) return undefined;
  const page = allocCodePage();
  if (page === undefined) return undefined;
  const code = Uint8Array.from([
    0x0f, 0x31, //               rdtsc
    0x48, 0xc1, 0xe2, 0x20, //   shl $32,%rdx
    0x48, 0x09, 0xd0, //         or %rdx,%rax
    0xc3, //                     ret
  ]);
  new Uint8Array(koffi.view(page, code.length)).set(code);
  sealCodePage(page);
  return BigInt(page);
}
