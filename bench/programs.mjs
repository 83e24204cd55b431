// What `npm run bench` runs: each program, its arguments (full and --quick), the output it must print,
// and the issue-5 target it is judged by (bench/results.md lists them).
//
// kind: 'startup' (median wall ≤ limit), 'compute' (bsdemu ≤ 1.05 × raw-Unicorn floor), 'ratio'
// (bsdemu / qemu-user ≤ max), 'none' (measured, no target in the issue).
export const FILE_MB = { full: 256, quick: 64 };

export const programs = [
  { name: 'c-hello', args: [], out: /^hello, world\n$/, target: { kind: 'startup', limitS: 0.1 } },
  { name: 'go-hello', args: [], out: /^hello, world\n$/, target: { kind: 'startup', limitS: 0.2 } },
  // Compute programs run ~1 s of kernel, so that start-up (its own target) is a small part of the ratio.
  { name: 'c-crc', args: ['1600'], quick: ['200'], out: /^crc [0-9a-f]{8}\n$/, raw: true, target: { kind: 'compute' } },
  { name: 'c-sha256', args: ['800'], quick: ['100'], out: /^sha256 [0-9a-f]{16}\n$/, raw: true, target: { kind: 'compute' } },
  { name: 'go-sha256', args: ['200'], quick: ['40'], out: /^sha256 [0-9a-f]{16}\n$/, target: { kind: 'none', why: 'no raw floor for Go code; Go picks SIMD code by CPUID' } },
  { name: 'c-getpid_loop', args: ['1000000'], quick: ['200000'], out: /^ok\n$/, target: { kind: 'ratio', max: 1.5 } },
  { name: 'go-getpid', args: ['1000000'], quick: ['200000'], out: /^ok true\n$/, target: { kind: 'ratio', max: 1.5 } },
  { name: 'c-write_null', args: ['200000'], quick: ['50000'], out: /^wrote \d+\n$/, target: { kind: 'ratio', max: 1.5 } },
  { name: 'c-read_file', args: ['$FILE'], out: /^read \d+ sum \d+\n$/, target: { kind: 'ratio', max: 1.5 } },
  { name: 'go-read_file', args: ['$FILE'], out: /^read \d+ sum \d+\n$/, target: { kind: 'ratio', max: 1.5 } },
  { name: 'go-pingpong', args: ['50000'], quick: ['10000'], out: /^pingpong \d+\n$/, target: { kind: 'ratio', max: 2 } },
  { name: 'go-bintree', args: ['13'], quick: ['11'], out: /long \d+\n$/, target: { kind: 'ratio', max: 2 } },
  { name: 'c-mmap_churn', args: ['5000'], quick: ['1000'], out: /^ok \d+\n$/, target: { kind: 'none', why: 'no target in the issue' } },
  { name: 'go-mmap_churn', args: ['5000'], quick: ['1000'], out: /^ok \d+\n$/, target: { kind: 'none', why: 'no target in the issue' } },
];

/** Peak RSS target (issue 5): bsdemu ≤ the guest's own resident memory (its native run) + 60 MB. */
export const RSS_SLACK_KB = 60 * 1024;
