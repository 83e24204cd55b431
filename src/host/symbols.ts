// Addresses of host C functions, for machine code of ours that calls them (hostcode.ts) and for patching
// (storepatch.ts): koffi calls functions but does not hand out their addresses, the dynamic linker does.
import koffi from 'koffi';

export class SymbolMissing extends Error {}

let dl: { dlopen: (file: string | null, mode: number) => unknown; dlsym: (h: unknown, name: string) => unknown } | undefined;

/** Addresses of `names` in the shared library `file` (already loaded or not); null means libc. */
export function symbolAddresses(file: string | null, names: readonly string[]): bigint[] {
  if (!dl) {
    const libc = koffi.load(process.platform === 'darwin' ? 'libSystem.B.dylib' : 'libc.so.6');
    dl = {
      dlopen: libc.func('void *dlopen(const char *file, int mode)') as never,
      dlsym: libc.func('void *dlsym(void *handle, const char *name)') as never,
    };
  }
  const RTLD_NOW = 2;
  const h = dl.dlopen(file ?? (process.platform === 'darwin' ? 'libSystem.B.dylib' : 'libc.so.6'), RTLD_NOW);
  if (!h) throw new SymbolMissing(`dlopen of ${file ?? 'libc'} failed`);
  return names.map((n) => {
    const a = dl!.dlsym(h, n);
    if (!a) throw new SymbolMissing(`${file ?? 'libc'} has no ${n}`);
    return typeof a === 'bigint' ? a : (koffi.address(a) as bigint);
  });
}
