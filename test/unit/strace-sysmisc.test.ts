// --strace decoders added with the fs2/sysmisc syscalls: flock operations, pathconf names, procctl
// commands, scheduling policies.
import { describe, expect, it } from 'vitest';
import { formatCall } from '../../src/syscalls/strace.js';
import { sys } from '../../src/syscalls/types.js';
import type { GuestMemory } from '../../src/mmap/api.js';
import { FlatMem } from './flat-mem.js';

function line(spec: string, args: (number | bigint)[], name = 'f'): string {
  const a = new BigUint64Array(8);
  args.forEach((v, i) => { a[i] = BigInt.asUintN(64, BigInt(v)); });
  return formatCall(sys(1, name, spec, () => 0), a, new FlatMem() as unknown as GuestMemory);
}

describe('strace decoders for fs2/sysmisc', () => {
  it('flock operations as LOCK_* bits', () => {
    expect(line('fd flockop', [3, 6], 'flock')).toBe('flock(3,LOCK_EX|LOCK_NB)');
    expect(line('fd flockop', [3, 0x18], 'flock')).toBe('flock(3,LOCK_UN|0x10)');
  });
  it('pathconf names, procctl commands and scheduling policies by name', () => {
    expect(line('fd pathconf', [3, 4], 'fpathconf')).toBe('fpathconf(3,_PC_NAME_MAX)');
    expect(line('int long procctl ptr', [0, 0, 14, 0x1000], 'procctl')).toBe('procctl(0,0,PROC_ASLR_STATUS,0x1000)');
    expect(line('schedpolicy', [2], 'sched_get_priority_max')).toBe('sched_get_priority_max(SCHED_OTHER)');
    expect(line('schedpolicy', [99], 'sched_get_priority_max')).toBe('sched_get_priority_max(99)');
  });
});
