// The koffi binding against the real libunicorn: registers, batches, contexts, hooks, cache removal.
import { describe, expect, it } from 'vitest';
import { UC_ARCH, UC_MODE, UC_PROT, UcErr, Unicorn, UnicornError, unicornVersion } from '../../src/cpu/unicorn.js';
import { REG, INS_SYSCALL } from '../../src/cpu/amd64/regs.js';
import { Amd64Cpu } from '../../src/cpu/amd64/index.js';
import { Aarch64Cpu } from '../../src/cpu/aarch64/index.js';
import { REG as A64 } from '../../src/cpu/aarch64/regs.js';
import { storeFastPath } from '../../src/cpu/storepatch.js';
import koffi from 'koffi';

const CODE = 0x400000n;

function machine(code: number[]): Unicorn {
  const uc = new Unicorn(UC_ARCH.X86, UC_MODE.MODE_64);
  uc.memMap(CODE, 0x1000, UC_PROT.ALL);
  uc.memWrite(CODE, Uint8Array.from(code));
  return uc;
}

describe('Unicorn binding', () => {
  it('is libunicorn 2.0.1 or newer', () => {
    const [maj, min] = unicornVersion();
    expect(maj).toBe(2);
    expect(min).toBeGreaterThanOrEqual(0);
  });

  it('reads and writes registers one by one and in batches', () => {
    const uc = machine([0x48, 0x01, 0xd8]); // add rax, rbx
    const b = uc.batch([REG.RAX, REG.RBX]);
    b.values[0] = 40n; b.values[1] = 2n;
    b.write();
    expect(uc.emuStart(CODE, CODE + 3n)).toBe(UcErr.OK);
    expect(b.read()[0]).toBe(42n);
    expect(uc.regRead(REG.RAX)).toBe(42n);
    uc.close();
  });

  it('turns uc_err into typed errors', () => {
    const uc = machine([0x90]);
    expect(() => uc.memMap(CODE, 0x1000, UC_PROT.ALL)).toThrow(UnicornError);
    try { uc.memMap(CODE, 0x1000, UC_PROT.ALL); } catch (e) { expect((e as UnicornError).code).toBe(UcErr.MAP); }
    expect(uc.memReadSafe(0x9000000n, 8)).toBeNull();
    uc.close();
  });

  it('hooks the syscall instruction; Unicorn resumes after it', () => {
    const uc = machine([0xb8, 0x14, 0, 0, 0, 0x0f, 0x05, 0x48, 0xff, 0xc3]); // mov eax,20; syscall; inc rbx
    const seen: bigint[] = [];
    uc.hookInsn(INS_SYSCALL, () => { seen.push(uc.regRead(REG.RAX)); seen.push(uc.regRead(REG.RIP)); });
    expect(uc.emuStart(CODE, CODE + 10n)).toBe(UcErr.OK);
    expect(seen).toEqual([20n, CODE + 5n]); // inside the hook, RIP is the syscall instruction
    expect(uc.regRead(REG.RBX)).toBe(1n);
    uc.close();
  });

  it('saves and restores contexts, and edits saved registers', () => {
    const uc = machine([0x90]);
    uc.regWrite(REG.FS_BASE, 0x1234n);
    uc.regWrite(REG.RAX, 7n);
    const ctx = uc.contextAlloc();
    uc.contextSave(ctx);
    uc.contextRegWrite(ctx, REG.RDI, 0x55n);
    uc.regWrite(REG.FS_BASE, 0x9999n);
    uc.regWrite(REG.RAX, 8n);
    uc.contextRestore(ctx);
    expect([uc.regRead(REG.FS_BASE), uc.regRead(REG.RAX), uc.regRead(REG.RDI)]).toEqual([0x1234n, 7n, 0x55n]);
    uc.contextFree(ctx);
    uc.close();
  });

  it('removeCache makes a patched block retranslate', () => {
    const uc = machine([0xb8, 1, 0, 0, 0]); // mov eax, 1
    expect(uc.emuStart(CODE, CODE + 5n)).toBe(UcErr.OK);
    expect(uc.regRead(REG.RAX)).toBe(1n);
    uc.memWrite(CODE + 1n, Uint8Array.from([2]));
    uc.removeCache(CODE, CODE + 0x1000n);
    expect(uc.emuStart(CODE, CODE + 5n)).toBe(UcErr.OK);
    expect(uc.regRead(REG.RAX)).toBe(2n);
    uc.close();
  });
});

describe('Unicorn 2.0.x workarounds', () => {
  it('the preemption flag stops a loop whose blocks were translated before it was set', () => {
    // loop: inc rax; syscall; cmp rax, rbx; jne loop; nop  (rbx = 0: runs until stopped). The syscall
    // hook sets the flag at the 1000th round, as the watchdog thread would: the next block must stop.
    const uc = machine([0x48, 0xff, 0xc0, 0x0f, 0x05, 0x48, 0x39, 0xd8, 0x75, 0xf6, 0x90]);
    const hook = uc.addPreemptHook();
    uc.flushCache();
    const flag = new BigUint64Array(koffi.view(hook.slot, 8));
    uc.hookInsn(INS_SYSCALL, () => {
      if (uc.regRead(REG.RAX) === 1000n) flag[0] = hook.stop;
    });
    // Unicorn's own timeout (2 s) only keeps a broken preemption from hanging the test.
    expect(uc.emuStart(CODE, CODE + 10n, 2_000_000)).toBe(UcErr.OK);
    flag[0] = hook.idle;
    expect(uc.regRead(REG.RAX)).toBe(1000n);
    uc.close();
  });

  it('stores: fast on read-write pages, code invalidation on read-write-execute pages, faults on read-only', () => {
    if (unicornVersion()[1] === 0) expect(storeFastPath()).toBe(true); // Debian's 2.0.1 build
    const RW = 0x600000n;
    const RO = 0x700000n;
    // mov [rdi], eax; mov byte [rip+patch], 2; patch: mov eax, 1; mov [rsi], eax
    const code = [0x89, 0x07, 0xc6, 0x05, 0x00, 0x00, 0x00, 0x00, 0x02, 0xb8, 0x01, 0x00, 0x00, 0x00, 0x89, 0x06];
    code[4] = 1; // disp32 = 1: the byte after the 7-byte store is the mov's immediate
    const uc = machine(code);
    uc.memMap(RW, 0x1000, UC_PROT.READ | UC_PROT.WRITE);
    uc.memMap(RO, 0x1000, UC_PROT.READ);
    uc.regWrite(REG.RAX, 7n);
    uc.regWrite(REG.RDI, RW);
    uc.regWrite(REG.RSI, RW + 8n);
    expect(uc.emuStart(CODE, CODE + 16n)).toBe(UcErr.OK);
    expect([...uc.memRead(RW, 12)]).toEqual([7, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0]); // the patched mov ran
    uc.regWrite(REG.RDI, RO);
    expect(uc.emuStart(CODE, CODE + 16n)).toBe(UcErr.WRITE_PROT);
    expect(uc.memRead(RO, 4)).toEqual(Buffer.alloc(4));
    uc.close();
  });
});

describe('without exit checks inside blocks (Unicorn.disableMidBlockExits)', () => {
  const onX64 = process.arch === 'x64' ? it : it.skip;

  onX64('a faulting store leaves at once: the instructions after it in its block do not run', () => {
    const cpu = new Amd64Cpu();
    const uc = cpu.uc;
    const faults: string[] = [];
    cpu.onFault((f) => { faults.push(f.kind === 'mem' ? `${f.access} ${f.addr.toString(16)}` : f.kind); });
    expect(uc.disableMidBlockExits()).toBe(true);
    const RW = 0x600000n, RO = 0x700000n;
    uc.memMap(CODE, 0x1000, UC_PROT.ALL);
    uc.memMap(RW, 0x1000, UC_PROT.READ | UC_PROT.WRITE);
    uc.memMap(RO, 0x1000, UC_PROT.READ);
    // mov [rsi], al (fine); mov [rdi], al (faults); mov ebx, 1; mov [rsi+8], al; nop
    const code = [0x88, 0x06, 0x88, 0x07, 0xbb, 0x01, 0x00, 0x00, 0x00, 0x88, 0x46, 0x08, 0x90];
    uc.memWrite(CODE, Uint8Array.from(code));
    uc.regWrite(REG.RAX, 0x5an);
    uc.regWrite(REG.RSI, RW);
    for (const [target, kind] of [[RO, 'write 700000'], [0x900000n, 'write 900000']] as const) {
      faults.length = 0;
      uc.regWrite(REG.RBX, 0n);
      uc.regWrite(REG.RDI, target);
      uc.memWrite(RW, new Uint8Array(16));
      expect(uc.emuStart(CODE, CODE + BigInt(code.length))).toBe(UcErr.OK);
      expect(faults).toEqual([kind]);
      expect(uc.regRead(REG.RIP)).toBe(CODE + 2n); // the faulting instruction
      expect(uc.regRead(REG.RBX)).toBe(0n);
      expect([...uc.memRead(RW, 9)]).toEqual([0x5a, 0, 0, 0, 0, 0, 0, 0, 0]);
    }
    uc.close();
  });

  onX64('a stop from another thread lands between blocks and never runs an instruction twice', async () => {
    const cpu = new Amd64Cpu();
    const uc = cpu.uc;
    cpu.onFault(() => {});
    expect(uc.disableMidBlockExits()).toBe(true);
    const { Watchdog } = await import('../../src/kernel/watchdog.js');
    const wd = new Watchdog(uc);
    const DATA = 0x600000n;
    uc.memMap(CODE, 0x1000, UC_PROT.ALL);
    uc.memMap(DATA, 0x1000, UC_PROT.READ | UC_PROT.WRITE);
    // 1: inc qword [rdi]; mov rcx, [rdi]; inc rax; mov [rdi+8], rax; cmp rax, rcx; jne 2f; jmp 1b; 2: hlt
    // Every instruction is a memory access or works on one: a block restarted from its first
    // instruction after a stop inside it would leave [rdi] ahead of rax (and the guest at hlt).
    const code = [0x48, 0xff, 0x07, 0x48, 0x8b, 0x0f, 0x48, 0xff, 0xc0, 0x48, 0x89, 0x47, 0x08, 0x48, 0x39, 0xc8, 0x75, 0x02, 0xeb, 0xec, 0xf4];
    uc.memWrite(CODE, Uint8Array.from(code));
    uc.regWrite(REG.RDI, DATA);
    uc.regWrite(REG.RAX, 0n);
    let pc = CODE;
    let stops = 0;
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      wd.arm(1);
      expect(uc.emuStart(pc, 0n, 2_000_000)).toBe(UcErr.OK);
      if (wd.disarm()) stops++;
      pc = uc.regRead(REG.RIP);
      expect(pc === CODE + 20n ? 'hlt reached' : 'ok').toBe('ok');
      const mem = uc.memRead(DATA, 16);
      // Every block boundary of the loop has the counter in memory and rax equal.
      expect(mem.readBigUInt64LE(0)).toBe(uc.regRead(REG.RAX));
    }
    await wd.close();
    expect(stops).toBeGreaterThan(100);
    expect(uc.memRead(DATA, 8).readBigUInt64LE(0)).toBeGreaterThan(1000n);
    uc.close();
  });
});

describe('amd64 CPU', () => {
  it('sets FreeBSD entry registers (exec_setregs)', () => {
    const cpu = new Amd64Cpu();
    cpu.uc.regWrite(REG.RBX, 99n);
    cpu.setEntryState(0x401000, 0x7fffffffe010);
    expect(cpu.uc.regRead(REG.RDI)).toBe(0x7fffffffe010n);
    expect(cpu.uc.regRead(REG.RSP)).toBe(0x7fffffffe008n); // ((stack - 8) & ~15) + 8
    expect(cpu.uc.regRead(REG.RBX)).toBe(0n);
    expect(cpu.uc.regRead(REG.EFLAGS) & 0xfffn).toBe(0x202n);
    expect(cpu.uc.regRead(REG.MXCSR)).toBe(0x1f80n);
    expect(cpu.pc()).toBe(0x401000n);
    cpu.setEntryState(0x401000, 0x7fffffffe018);
    expect(cpu.uc.regRead(REG.RSP)).toBe(0x7fffffffe018n);
    cpu.uc.close();
  });

  it('returns syscall results with the carry flag', () => {
    const cpu = new Amd64Cpu();
    const uc = cpu.uc;
    uc.memMap(CODE, 0x1000, UC_PROT.ALL);
    // mov rdi, 0xffffffff_00000005 (an int argument with garbage above); mov eax, 3; syscall; then again
    uc.memWrite(CODE, Uint8Array.from([0x48, 0xbf, 5, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xb8, 3, 0, 0, 0, 0x0f, 0x05]));
    let nr = 0, arg0 = 0n;
    cpu.onSyscall(() => { nr = cpu.syscallArgs(); arg0 = cpu.args[0]; cpu.syscallReturn(9n, 0n, true); });
    expect(uc.emuStart(CODE, CODE + 17n)).toBe(UcErr.OK);
    expect(nr).toBe(3);
    expect(Number(BigInt.asIntN(32, arg0))).toBe(5);
    expect(uc.regRead(REG.RAX)).toBe(9n);
    expect(uc.regRead(REG.EFLAGS) & 1n).toBe(1n);
    uc.close();
  });

  it('reads the real number of indirect syscall(0) and __syscall(198)', () => {
    const cpu = new Amd64Cpu();
    const uc = cpu.uc;
    uc.memMap(CODE, 0x1000, UC_PROT.ALL);
    uc.memMap(0x10000n, 0x1000, UC_PROT.READ | UC_PROT.WRITE);
    uc.regWrite(REG.RSP, 0x10800n);
    // mov eax, 198; mov edi, 20; mov esi, 7; syscall
    uc.memWrite(CODE, Uint8Array.from([0xb8, 198, 0, 0, 0, 0xbf, 20, 0, 0, 0, 0xbe, 7, 0, 0, 0, 0x0f, 0x05]));
    let got: (number | bigint)[] = [];
    cpu.onSyscall(() => { const n = cpu.syscallArgs(); got = [n, cpu.args[0]]; cpu.syscallReturn(0n, 0n, false); });
    expect(uc.emuStart(CODE, CODE + 17n)).toBe(UcErr.OK);
    expect(got).toEqual([20, 7n]);
    uc.close();
  });
});

describe('amd64 syscall results keep the caller\'s flags', () => {
  // Instructions that leave the flags in each of QEMU's lazy forms (cc_op) before a syscall: the result
  // must change CF alone (FreeBSD restores the caller's RFLAGS with PSL_C set or cleared).
  const ops: Record<string, number[]> = {
    'add al,dl': [0x00, 0xd0], 'add ax,dx': [0x66, 0x01, 0xd0], 'add eax,edx': [0x01, 0xd0], 'add rax,rdx': [0x48, 0x01, 0xd0],
    'sub al,dl': [0x28, 0xd0], 'sub ax,dx': [0x66, 0x29, 0xd0], 'sub eax,edx': [0x29, 0xd0], 'cmp rax,rdx': [0x48, 0x39, 0xd0],
    'and al,dl': [0x20, 0xd0], 'xor ax,dx': [0x66, 0x31, 0xd0], 'or eax,edx': [0x09, 0xd0], 'test rax,rdx': [0x48, 0x85, 0xd0],
    'inc al': [0xfe, 0xc0], 'inc ax': [0x66, 0xff, 0xc0], 'inc eax': [0xff, 0xc0], 'inc rax': [0x48, 0xff, 0xc0],
    'dec al': [0xfe, 0xc8], 'dec ax': [0x66, 0xff, 0xc8], 'dec eax': [0xff, 0xc8], 'dec rax': [0x48, 0xff, 0xc8],
    'xor eax,eax': [0x31, 0xc0], 'neg rax': [0x48, 0xf7, 0xd8], 'shl rax,1': [0x48, 0xd1, 0xe0], 'sar rax,1': [0x48, 0xd1, 0xf8],
    'imul rax,rdx': [0x48, 0x0f, 0xaf, 0xc2], 'adc rax,rdx': [0x48, 0x11, 0xd0], 'sbb eax,edx': [0x19, 0xd0],
    'bt rax,rdx': [0x48, 0x0f, 0xa3, 0xd0], 'stc': [0xf9], 'clc': [0xf8],
  };
  const values: [bigint, bigint][] = [
    [0n, 0n], [1n, 2n], [0x7fn, 1n], [0xffn, 1n], [0x7fffn, 1n], [0x8000n, 0xffffn], [0x7fffffffn, 1n],
    [0xffffffffn, 1n], [0x7fffffffffffffffn, 1n], [0x8000000000000000n, 0x8000000000000000n],
    [0xffffffffffffffffn, 0xffffffffffffffffn], [0x1234n, 0x1234n], [0x8000000000000000n, 1n], [0x10n, 0x0fn],
  ];
  const le = (v: bigint) => Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));

  for (const [mapped, parked] of [[true, false], [false, false], [true, true]]) {
    const title = parked ? 'set outside the hook, as for a parked thread (completeSyscall)'
      : mapped ? 'with the registers mapped as memory' : 'through register batches (BSDEMU_REGVIEW=0)';
    it(title, () => {
      if (!mapped) process.env.BSDEMU_REGVIEW = '0';
      const cpu = new Amd64Cpu();
      delete process.env.BSDEMU_REGVIEW;
      if (mapped && process.arch === 'x64') {
        // Every lazy-flags form computed in JS agreed with Unicorn's own at start-up: EFLAGS, ADD,
        // SUB, LOGIC, INC, DEC (b/w/l/q each) and CLR (QEMU's enum CCOp).
        expect(cpu.registerView?.computedOps).toEqual([1, 6, 7, 8, 9, 14, 15, 16, 17, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 49]);
      }
      if (!mapped) expect(cpu.registerView).toBeUndefined();
      const uc = cpu.uc;
      uc.memMap(CODE, 0x1000, UC_PROT.ALL);
      uc.memMap(0x10000n, 0x1000, UC_PROT.READ | UC_PROT.WRITE);
      let error = false;
      let rdxAtSyscall = 0n;
      cpu.onSyscall(() => {
        expect(cpu.syscallArgs()).toBe(20);
        rdxAtSyscall = uc.regRead(REG.RDX);
        if (parked) uc.emuStop();
        else cpu.syscallReturn(error ? 5 : 0x1_0000_0007, undefined, error);
      });
      let cases = 0;
      for (const [name, op] of Object.entries(ops)) {
        for (const [a, b] of values) {
          for (const err of [false, true]) {
            error = err;
            // movabs rax,a; movabs rdx,b; op; pushfq; pop rbx; mov eax,20; syscall; pushfq; pop rcx
            const code = [0x48, 0xb8, ...le(a), 0x48, 0xba, ...le(b), ...op, 0x9c, 0x5b, 0xb8, 20, 0, 0, 0, 0x0f, 0x05, 0x9c, 0x59];
            uc.memWrite(CODE, Uint8Array.from(code));
            uc.removeCache(CODE, CODE + 0x1000n);
            uc.regWrite(REG.RSP, 0x10800n);
            expect(uc.emuStart(CODE, CODE + BigInt(code.length))).toBe(UcErr.OK);
            if (parked) {
              cpu.completeSyscall(err ? 5n : 0x1_0000_0007n, undefined, err);
              expect(uc.emuStart(cpu.pc(), CODE + BigInt(code.length))).toBe(UcErr.OK);
            }
            const before = Number(uc.regRead(REG.RBX)) & 0x8d5, after = Number(uc.regRead(REG.RCX)) & 0x8d5;
            expect({ name, a, b, err, flags: after }).toEqual({ name, a, b, err, flags: (before & ~1) | (err ? 1 : 0) });
            expect(uc.regRead(REG.RAX)).toBe(err ? 5n : 0x1_0000_0007n);
            expect(uc.regRead(REG.RDX)).toBe(rdxAtSyscall);
            cases++;
          }
        }
      }
      expect(cases).toBe(Object.keys(ops).length * values.length * 2);
      uc.close();
    });
  }
});

describe('arm64 syscall results keep N, Z and V', () => {
  for (const [mapped, parked] of [[true, false], [false, false], [true, true]]) {
    const title = parked ? 'set outside the hook (completeSyscall)' : mapped ? 'with the registers mapped as memory' : 'through register batches';
    it(title, () => {
      if (!mapped) process.env.BSDEMU_REGVIEW = '0';
      const cpu = new Aarch64Cpu();
      delete process.env.BSDEMU_REGVIEW;
      expect(cpu.registerView !== undefined).toBe(mapped && process.arch === 'x64');
      const uc = cpu.uc;
      uc.memMap(CODE, 0x1000, UC_PROT.ALL);
      // svc #0; mrs x9, nzcv
      const code = [0x01, 0x00, 0x00, 0xd4, 0x09, 0x42, 0x3b, 0xd5];
      uc.memWrite(CODE, Uint8Array.from(code));
      let error = false;
      cpu.onSyscall(() => {
        expect(cpu.syscallArgs()).toBe(20);
        expect(cpu.args[1]).toBe(0x1234n);
        if (parked) uc.emuStop();
        else cpu.syscallReturn(error ? 9 : 0x1_0000_0005n, error ? undefined : 77n, error);
      });
      for (const nzcv of [0n, 0xf0000000n, 0x20000000n, 0xd0000000n, 0x90000000n]) {
        for (const err of [false, true]) {
          error = err;
          uc.regWrite(A64.X8, 20n);
          uc.regWrite(A64.X1, 0x1234n);
          uc.regWrite(A64.NZCV, nzcv);
          expect(uc.emuStart(CODE, CODE + 8n)).toBe(UcErr.OK);
          if (parked) {
            cpu.completeSyscall(err ? 9n : 0x1_0000_0005n, err ? undefined : 77n, err);
            expect(uc.emuStart(uc.regRead(A64.PC), CODE + 8n)).toBe(UcErr.OK);
          }
          const C = 0x20000000n;
          expect({ nzcv, err, got: uc.regRead(A64.X0 + 9) }).toEqual({ nzcv, err, got: (nzcv & ~C) | (err ? C : 0n) });
          expect(uc.regRead(A64.X0)).toBe(err ? 9n : 0x1_0000_0005n);
          expect(uc.regRead(A64.X1)).toBe(err ? 0x1234n : 77n);
        }
      }
      uc.close();
    });
  }
});
