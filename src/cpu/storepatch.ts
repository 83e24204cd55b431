// Unicorn 2.0.x makes every guest store take the slow path: its tlb_set_page_with_attrs marks every
// writable RAM page TLB_NOTDIRTY (its dirty-memory tracking is stubbed to "always clean"), so every store
// leaves the inline TLB fast path for a helper that looks up the region, locks a page collection (a
// heap-allocated GTree) and checks for translated code to invalidate. Stores cost ~40x a load; Go's
// allocator and GC spend most of their time there. Unicorn 2.1.0 fixed it (upstream commit d0103576:
// "notdirty_write: fix store-related performance problems") by doing that work only for executable
// regions. Debian 12 ships 2.0.1, so bsdemu applies the same rule to the loaded library, in memory:
//
//   if (prot & PAGE_WRITE) { address |= TLB_NOTDIRTY; if (section->readonly) address = ... }
//                            ^ this `or` becomes a call to a 20-byte stub that sets TLB_NOTDIRTY only
//                              when the region is not plain read-write (section->mr->perms & (W|X) != W)
//
// so stores to RW pages run inline; RWX pages keep the slow path that detects self-modifying code, and
// read-only pages keep the slow path that reports UC_ERR_WRITE_PROT. The patch is applied only when the
// exact instruction sequence is found once in each function (it is checked per guest architecture);
// otherwise nothing changes and bsdemu is just slower. BSDEMU_UNICORN_PATCH=0 turns it off.
//
// Consequence for callers (Unicorn.memProtect): TLB entries are flushed by Unicorn only when a region's
// read-only state flips, so adding EXEC to a writable region must pass through a read-only state, or a
// page's old fast-store TLB entry would let stores bypass code invalidation.
import koffi from 'koffi';
import { HOST_PROT, hostMprotect, hostPageSize } from '../host/hostmem.js';
import { allocCodePage, sealCodePage } from './hostcode.js';

/** struct MemoryRegionSection (qemu/include/exec/memory.h, unicorn 2.0.x): Int128 size, then mr. */
const SECTION_MR = 0x10;
/** struct MemoryRegion (same header): `uint32_t perms` after the QEMU fields and `uc`. */
const MR_PERMS = 0x88;
const UC_PROT_WRITE = 2;
const UC_PROT_EXEC = 4;

/**
 * The instruction pair the compiler emitted for the code above in Debian's build:
 *   mov disp8(%rsp),%rsi ; or $TLB_NOTDIRTY,%r8|%r9 ; cmpb $0,0x30(%rsi) ; je ...
 * (0x30 is section->readonly). Returns the offset of the `or` and its register byte, or undefined.
 */
function findOr(code: Uint8Array): { at: number; modrm: number; imm: number } | undefined {
  let found: { at: number; modrm: number; imm: number } | undefined;
  for (let i = 5; i + 13 <= code.length; i++) {
    if (code[i] !== 0x49 || code[i + 1] !== 0x81) continue;
    const modrm = code[i + 2];
    if (modrm < 0xc8 || modrm > 0xcf) continue; // or $imm32, %r8..%r15
    if (code[i - 5] !== 0x48 || code[i - 4] !== 0x8b || code[i - 3] !== 0x74 || code[i - 2] !== 0x24) continue;
    if (code[i + 7] !== 0x80 || code[i + 8] !== 0x7e || code[i + 9] !== 0x30 || code[i + 10] !== 0x00) continue;
    if (code[i + 11] !== 0x0f || code[i + 12] !== 0x84) continue;
    const imm = code[i + 3] | (code[i + 4] << 8) | (code[i + 5] << 16) | (code[i + 6] << 24);
    if (imm <= 0 || (imm & (imm - 1)) !== 0 || imm > 0x1000) continue; // one TLB flag bit
    if (found) return undefined; // ambiguous: leave the library alone
    found = { at: i, modrm, imm };
  }
  return found;
}

/** The stub: sets the flag unless section->mr->perms & (W|X) == W. rsi = section; flags are dead here. */
function stub(modrm: number, imm: number): Uint8Array {
  const b = [
    0x50, //                                push %rax
    0x48, 0x8b, 0x46, SECTION_MR, //         mov SECTION_MR(%rsi),%rax
    0x8b, 0x80, MR_PERMS, 0, 0, 0, //        mov MR_PERMS(%rax),%eax
    0x83, 0xe0, UC_PROT_WRITE | UC_PROT_EXEC, // and $6,%eax
    0x83, 0xf8, UC_PROT_WRITE, //            cmp $2,%eax
    0x74, 0x07, //                           je 1f
    0x49, 0x81, modrm, imm & 0xff, (imm >> 8) & 0xff, (imm >> 16) & 0xff, (imm >>> 24) & 0xff, // or $imm,%rN
    0x58, //                             1: pop %rax
    0xc3, //                                ret
  ];
  return Uint8Array.from(b);
}

const SCAN = 0x800;

let applied: boolean | undefined;

/** True once stores to plain read-write guest pages take Unicorn's inline fast path. */
export function storeFastPath(): boolean {
  return applied === true;
}

/**
 * Applies the patch to the given tlb_set_page_with_attrs_<arch> functions of a 2.0.x library (addresses
 * from dlsym). Idempotent; returns whether the fast path is on.
 */
export function applyStorePatch(version: [number, number, number], fnAddrs: number[]): boolean {
  if (applied !== undefined) return applied;
  applied = false;
  if (process.env.BSDEMU_UNICORN_PATCH === '0') return false;
  if (version[0] !== 2 || version[1] !== 0) return (applied = version[0] > 2 || (version[0] === 2 && version[1] >= 1));
  if (process.arch !== 'x64' || fnAddrs.length === 0) return false;
  const sites: { addr: number; modrm: number; imm: number }[] = [];
  for (const fn of fnAddrs) {
    const site = findOr(new Uint8Array(koffi.view(fn, SCAN)));
    if (!site) return false;
    sites.push({ addr: fn + site.at, modrm: site.modrm, imm: site.imm });
  }
  const page = hostPageSize();
  const cave = allocCodePage(sites[0].addr);
  if (cave === undefined) return false;
  const caveBytes = new Uint8Array(koffi.view(cave, page));
  const calls: { addr: number; bytes: Uint8Array }[] = [];
  let off = 0;
  for (const s of sites) {
    const code = stub(s.modrm, s.imm);
    caveBytes.set(code, off);
    const rel = cave + off - (s.addr + 5);
    if (Math.abs(rel) >= 2 ** 31) return false;
    const call = new Uint8Array(7);
    call[0] = 0xe8;
    new DataView(call.buffer).setInt32(1, rel, true);
    call[5] = 0x66; // 2-byte nop pads the 7-byte `or`
    call[6] = 0x90;
    calls.push({ addr: s.addr, bytes: call });
    off += (code.length + 15) & ~15;
  }
  sealCodePage(cave);
  // No thread runs these functions now: the patch is applied before the first uc_open.
  for (const c of calls) {
    const start = Math.floor(c.addr / page) * page;
    const span = Math.ceil((c.addr + c.bytes.length) / page) * page - start;
    hostMprotect(start, span, HOST_PROT.READ | HOST_PROT.WRITE | HOST_PROT.EXEC);
    new Uint8Array(koffi.view(c.addr, c.bytes.length)).set(c.bytes);
    hostMprotect(start, span, HOST_PROT.READ | HOST_PROT.EXEC);
  }
  return (applied = true);
}
