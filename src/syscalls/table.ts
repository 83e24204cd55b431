// The one syscall table: FreeBSD syscall number → {name, argument kinds, handler}, assembled from the
// handler groups (one module per topic, like QEMU's bsd-user/freebsd/os-*.h).
import type { SyscallDef } from './types.js';
import { procSyscalls } from './proc.js';
import { fileSyscalls } from './file.js';
import { memSyscalls } from './mem.js';
import { fsSyscalls } from './fs.js';
import { ioctlSyscalls } from './ioctl.js';
import { threadSyscalls } from './thread.js';
import { timeSyscalls } from './time.js';
import { signalSyscalls } from './signal.js';
import { sysctlSyscalls } from './sysctl.js';
import { miscSyscalls } from './misc.js';
import { eventSyscalls } from './event.js';
import { netSyscalls } from './net.js';
import { credSyscalls } from './cred.js';
import { fs2Syscalls } from './fs2.js';
import { sysmiscSyscalls } from './sysmisc.js';

const groups: SyscallDef[][] = [procSyscalls, fileSyscalls, memSyscalls, fsSyscalls, ioctlSyscalls, threadSyscalls,
  timeSyscalls, signalSyscalls, sysctlSyscalls, miscSyscalls, eventSyscalls,
  netSyscalls, credSyscalls, fs2Syscalls, sysmiscSyscalls];

export function buildTable(): (SyscallDef | undefined)[] {
  const table: (SyscallDef | undefined)[] = [];
  for (const g of groups) {
    for (const d of g) {
      if (table[d.nr]) throw new Error(`syscall ${d.nr} defined twice (${table[d.nr]!.name}, ${d.name})`);
      table[d.nr] = d;
    }
  }
  return table;
}
