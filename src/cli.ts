// bsdemu [options] <program> [args...]: option parsing stops at the program; its own arguments pass through.
import { openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { cpuForMachine } from './cpu/select.js';
import { INSTALL_HINT, projectRoot } from './cpu/libpath.js';
import { LibUnicornMissing, UnicornError } from './cpu/unicorn.js';
import { ExecError, loadElf } from './loader/elf.js';
import { exec } from './loader/exec.js';
import { kindOfHostFd, flagsOfHostFd } from './kernel/hostfd.js';
import { run } from './kernel/run.js';
import { applyInherited, dieLikeGuest, takeInherited } from './kernel/spawn.js';

const DEBUG_ITEMS = ['page', 'unimp', 'stack', 'sched'];

function parseSize(v: string, invalid: (msg: string) => Error): number {
  const m = /^(\d+)([kKmMgG]?)$/.exec(v);
  if (!m) throw invalid('expected a size such as 8M, 512K or 1G');
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * mult;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function version(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
  return pkg.version as string;
}

function warn(line: string): void {
  try { writeSync(2, line + '\n'); } catch { /* stderr closed */ }
}

const TAKES_VALUE = new Set(['-L', '--sysroot', '-E', '--env', '-U', '--unset', '-0', '--argv0', '-d', '--debug',
  '-s', '--stack-size', '--reserved-va']);

/**
 * `--strace` alone traces to stderr: it must not swallow the program name as its file. Only our own
 * options (those before the program) are rewritten.
 */
function bareStraceToStderr(argv: string[]): string[] {
  const out = [...argv];
  for (let i = 0; i < out.length; i++) {
    const a = out[i];
    if (a === '--') break;
    if (a === '--strace') out[i] = '--strace=-';
    else if (TAKES_VALUE.has(a)) i++;
    else if (!a.startsWith('-')) break;
  }
  return out;
}

type Opts = {
  sysroot?: string; env: string[]; unset: string[]; argv0?: string; strace?: string; debug?: string;
  stackSize?: number; reservedVa?: number;
};

export async function main(argv: string[]): Promise<number> {
  argv = bareStraceToStderr(argv);
  // No option before the program (the common case): exactly what commander would return, without
  // loading it, which costs ~20 ms of start-up (measured for issue 5).
  const parsed = argv.length > 0 && !argv[0].startsWith('-')
    ? { opts: { env: [], unset: [] } as Opts, path: argv[0], guestArgs: argv.slice(1) }
    : await parseOptions(argv);
  if (typeof parsed === 'number') return parsed;
  const { opts, path, guestArgs } = parsed;

  const debug = new Set((opts.debug ?? '').split(',').filter(Boolean));
  for (const d of debug) {
    if (!DEBUG_ITEMS.includes(d)) {
      warn(`bsdemu: unknown debug item '${d}' (known: ${DEBUG_ITEMS.join(', ')})`);
      return 2;
    }
  }

  const env = new Map(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  // Guest state from a parent guest's execve (src/kernel/spawn.ts), not part of this guest's environment.
  const inherited = takeInherited(env);
  for (const u of opts.unset) env.delete(u);
  for (const kv of opts.env) {
    const i = kv.indexOf('=');
    if (i <= 0) { warn(`bsdemu: -E expects VAR=VALUE, got '${kv}'`); return 2; }
    env.set(kv.slice(0, i), kv.slice(i + 1));
  }

  let strace: ((line: string) => void) | undefined;
  if (opts.strace !== undefined) {
    let fd = 2;
    if (opts.strace !== '-' && opts.strace !== '') {
      try { fd = openSync(opts.strace, 'w'); } catch (e) {
        warn(`bsdemu: cannot open trace file ${opts.strace}: ${(e as Error).message}`);
        return 2;
      }
    }
    strace = (line) => { try { writeSync(fd, line + '\n'); } catch { /* trace target gone */ } };
  }

  try {
    const image = loadElf(path);
    const cpu = cpuForMachine(image.machine);
    const proc = exec(cpu, {
      image,
      argv: [opts.argv0 ?? path, ...guestArgs],
      envp: [...env].map(([k, v]) => `${k}=${v}`),
      reservedVa: opts.reservedVa,
      options: { sysroot: opts.sysroot, strace, debug, stackSize: opts.stackSize ?? cpu.info.defaultStackSize, warn },
    });
    proc.inheritStdio(kindOfHostFd, flagsOfHostFd);
    if (inherited) applyInherited(proc, inherited);
    const code = await run(proc);
    // A child of a guest dies of its guest's signal, quietly, as a FreeBSD process would.
    if (inherited && proc.exit?.signal !== undefined) dieLikeGuest(proc.exit.signal);
    const why = proc.describeExit();
    if (why) warn(why);
    return code;
  } catch (e) {
    if (e instanceof ExecError) { warn(`bsdemu: ${e.message}`); return e.exitCode; }
    if (e instanceof LibUnicornMissing) { warn(`bsdemu: ${INSTALL_HINT}`); return 127; }
    if (e instanceof UnicornError) { warn(`bsdemu: ${e.message}`); return 70; }
    warn(`bsdemu: internal error: ${(e as Error)?.message ?? String(e)}`);
    if (process.env.BSDEMU_DEBUG) warn(String((e as Error)?.stack));
    return 70;
  }
}

/** Full option parsing through commander (loaded only here); a number is the exit status to return. */
async function parseOptions(argv: string[]): Promise<{ opts: Opts; path: string; guestArgs: string[] } | number> {
  const { Command, InvalidArgumentError } = await import('commander');
  const size = (v: string) => parseSize(v, (msg) => new InvalidArgumentError(msg));
  const program = new Command('bsdemu')
    .description('Run a FreeBSD/amd64 or FreeBSD/arm64 executable on this host (user-mode emulation on Unicorn).')
    .usage('[options] <program> [args...]')
    .argument('<program>', 'FreeBSD executable to run')
    .argument('[args...]', 'arguments passed to the program')
    .passThroughOptions()
    .option('-L, --sysroot <dir>', 'FreeBSD root: absolute guest paths are looked up here first')
    .option('-E, --env <VAR=VALUE>', 'set a variable in the guest environment (repeatable)', collect, [])
    .option('-U, --unset <VAR>', 'remove a variable from the guest environment (repeatable)', collect, [])
    .option('-0, --argv0 <name>', 'argv[0] for the program (default: the program path as given)')
    .option('--strace [file]', 'trace syscalls truss-style to stderr, or with --strace=FILE to FILE')
    .option('-d, --debug <items>', `debug output, comma-separated: ${DEBUG_ITEMS.join(', ')}`)
    .option('-s, --stack-size <size>', 'initial stack size (default 8M)', size)
    .option('--reserved-va <size>', 'limit the guest address space to [0, size)', size)
    .version(version(), '-V, --version')
    .addHelpText('after', `
Examples:
  bsdemu ./hello                      run a static FreeBSD/amd64 or arm64 program
  bsdemu --strace ./prog arg1         trace its syscalls to stderr
  bsdemu -L /srv/freebsd-root ./prog  resolve /etc, /usr/share, ... under a FreeBSD tree first
  bsdemu -E LANG=C.UTF-8 -U TERM ./prog
  GOOS=freebsd go test -exec bsdemu ./...

Exit status: the program's own; 128+N when it dies of signal N; 126 when the file cannot be run; 127 when
it does not exist.`)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode;
    return code === undefined ? 2 : code === 0 ? 0 : 2;
  }
  const [path, guestArgs] = program.processedArgs as [string, string[]];
  return { opts: program.opts<Opts>(), path, guestArgs };
}
