/*
 * startup: the FreeBSD/amd64 initial process state of a static executable.
 *
 * Run it as:   BSDEMU_TEST=42 bsdemu startup alpha "beta gamma"
 *
 * Sources checked (FreeBSD 14):
 *  - sys/amd64/amd64/exec_machdep.c exec_setregs(): the trapframe is zeroed;
 *    rip = entry, rdi = address of argc, rsp = ((stack - 8) & ~0xF) + 8,
 *    rflags = PSL_USER (PSL_MBO|PSL_I = 0x202); pcb_initial_fpucw =
 *    __INITIAL_FPUCW__ (0x37f); MXCSR __INITIAL_MXCSR__ (0x1f80).
 *  - sys/kern/imgact_elf.c __elfN(freebsd_copyout_auxargs)(): the auxv order
 *    [EXECFD] PHDR PHENT PHNUM PAGESZ FLAGS ENTRY BASE EHDRFLAGS EXECPATH
 *    OSRELDATE CANARY CANARYLEN NCPUS PAGESIZES PAGESIZESLEN [TIMEKEEP]
 *    STACKPROT [HWCAP] [HWCAP2] BSDFLAGS ARGC ARGV ENVC ENVV PS_STRINGS
 *    [FXRNG] [KPRELOAD] USRSTACKBASE USRSTACKLIM NULL.
 *  - sys/amd64/amd64/elf_machdep.c: the amd64 sysvec has no sv_hwcap /
 *    sv_hwcap2, so a real amd64 kernel never emits AT_HWCAP/AT_HWCAP2.
 *    It has SV_TIMEKEEP (arm64 too): a real kernel emits AT_TIMEKEEP, pointing
 *    at a struct vdso_timekeep (sys/sys/vdso.h, tk_ver 1) in the shared page.
 *    bsdemu emits it where the host lets it keep the timehands (an invariant
 *    TSC), else libc and Go fall back to clock_gettime(2): the printed type
 *    list leaves it out so the output is the same either way.
 *    AT_FXRNG needs RANDOM_FENESTRASX (not in GENERIC); AT_KPRELOAD needs
 *    SV_DSO_SIG (not set for amd64 in 14.0). AT_FXRNG is accepted (bsdemu
 *    emits it like a RANDOM_FENESTRASX kernel); AT_KPRELOAD is not.
 *  - imgact_elf.c: AT_PHDR = PT_PHDR's p_vaddr (or first PT_LOAD at offset 0
 *    + e_phoff); AT_BASE = 0 without an interpreter; AT_STACKPROT = the
 *    PT_GNU_STACK flags when present (kern.elf64.nxstack=1 on amd64), else
 *    sv_stackprot (VM_PROT_ALL).
 *  - sys/kern/kern_exec.c exec_copyout_strings(): canary = 64 bytes;
 *    pagesizeslen = sizeof(u_long) * MAXPAGESIZES (3 on amd64) = 24 bytes;
 *    argument and environment strings are copied as one contiguous block
 *    (argv[0]\0argv[1]\0...env[0]\0...); struct ps_strings describes them.
 */
#include "rt.h"

extern const unsigned char __ehdr_start[];	/* lld: the ELF header */
extern void _start(void);

typedef struct {
	unsigned char	e_ident[16];
	uint16_t	e_type;
	uint16_t	e_machine;
	uint32_t	e_version;
	uint64_t	e_entry;
	uint64_t	e_phoff;
	uint64_t	e_shoff;
	uint32_t	e_flags;
	uint16_t	e_ehsize;
	uint16_t	e_phentsize;
	uint16_t	e_phnum;
	uint16_t	e_shentsize;
	uint16_t	e_shnum;
	uint16_t	e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	uint32_t	p_type;
	uint32_t	p_flags;
	uint64_t	p_offset;
	uint64_t	p_vaddr;
	uint64_t	p_paddr;
	uint64_t	p_filesz;
	uint64_t	p_memsz;
	uint64_t	p_align;
} Elf64_Phdr;

#define PT_GNU_STACK	0x6474e551
#define PF_X		1
#define PF_W		2
#define PF_R		4

/* Every entry the kernel can emit, in __elfN(freebsd_copyout_auxargs) order. */
static const long kernel_order[] = {
	AT_EXECFD, AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_FLAGS, AT_ENTRY,
	AT_BASE, AT_EHDRFLAGS, AT_EXECPATH, AT_OSRELDATE, AT_CANARY,
	AT_CANARYLEN, AT_NCPUS, AT_PAGESIZES, AT_PAGESIZESLEN, AT_TIMEKEEP,
	AT_STACKPROT, AT_HWCAP, AT_HWCAP2, AT_BSDFLAGS, AT_ARGC, AT_ARGV,
	AT_ENVC, AT_ENVV, AT_PS_STRINGS, AT_FXRNG, AT_KPRELOAD,
	AT_USRSTACKBASE, AT_USRSTACKLIM,
};
#define NKERNEL ((int)(sizeof(kernel_order) / sizeof(kernel_order[0])))

/*
 * What a static amd64 binary must get from bsdemu. Of the optional kernel
 * entries only AT_FXRNG (kernels with RANDOM_FENESTRASX) may appear:
 * EXECFD needs an interpreter, TIMEKEEP is left out by design, HWCAP/HWCAP2
 * do not exist on amd64, KPRELOAD (vdso) is not in 14.0's amd64 sysvec.
 */
static const long mandatory[] = {
	AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_FLAGS, AT_ENTRY, AT_BASE,
	AT_EHDRFLAGS, AT_EXECPATH, AT_OSRELDATE, AT_CANARY, AT_CANARYLEN,
	AT_NCPUS, AT_PAGESIZES, AT_PAGESIZESLEN, AT_STACKPROT, AT_BSDFLAGS,
	AT_ARGC, AT_ARGV, AT_ENVC, AT_ENVV, AT_PS_STRINGS, AT_USRSTACKBASE,
	AT_USRSTACKLIM,
};
#define NMANDATORY ((int)(sizeof(mandatory) / sizeof(mandatory[0])))

#if defined(__x86_64__)
static const char *const regnames[16] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static void
check_registers(void)
{
	uint64_t rdi = __entry_regs[5], rsp = __entry_regs[7];
	uint64_t rflags = __entry_regs[16];
	char what[64];

	for (int i = 0; i < 16; i++) {
		if (i == 5 || i == 7)	/* rdi, rsp */
			continue;
		snprintf(what, sizeof(what), "%%%s is zero at entry", regnames[i]);
		CHECK(__entry_regs[i] == 0, what);
	}
	CHECK(rdi != 0 && (rdi & 7) == 0, "%rdi is an 8-aligned address");
	CHECK(rsp == ((rdi - 8) & ~15UL) + 8, "%rsp == ((argc_addr - 8) & ~15) + 8");
	CHECK((rsp & 15) == 8, "%rsp is 8 mod 16 at entry");
	CHECK(rflags == 0x202, "rflags == PSL_USER (0x202) at entry");
	CHECK(__entry_mxcsr == 0x1f80, "MXCSR == 0x1f80 at entry");
	CHECK(__entry_fpucw == 0x37f, "x87 control word == 0x37f at entry");
	if (rflags != 0x202 || __entry_mxcsr != 0x1f80 || __entry_fpucw != 0x37f)
		printf("  (rflags %lx mxcsr %x fpucw %x)\n", (unsigned long)rflags,
		    __entry_mxcsr, __entry_fpucw);
}

#else
void _start(void);

static void
check_registers(void)
{
	/* arm64 exec_setregs: x0 = argc address, sp = x0 & ~15, lr = entry. */
	uint64_t x0 = __entry_regs[0], sp = __entry_regs[31];
	char what[64];

	for (int i = 1; i < 30; i++) {
		snprintf(what, sizeof(what), "x%d is zero at entry", i);
		CHECK(__entry_regs[i] == 0, what);
	}
	CHECK(__entry_regs[30] == (uint64_t)(uintptr_t)_start, "lr == the entry point");
	CHECK(x0 != 0 && (x0 & 7) == 0, "x0 is an 8-aligned address");
	CHECK(sp == (x0 & ~15UL), "sp == argc_addr & ~15");
	CHECK((__entry_regs[32] & 0xf0000000UL) == 0, "NZCV clear at entry");
	CHECK(__entry_regs[33] == 0, "FPCR == 0 at entry");
	CHECK(__entry_regs[34] == 0, "FPSR == 0 at entry");
	CHECK(__entry_regs[35] == 0, "TPIDR_EL0 == 0 at entry");
}

#endif

int
main(int argc, char **argv, char **envp)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)__ehdr_start;
	uint64_t argc_addr = ENTRY_ARGC_ADDR;
	long types[64];
	int ntypes = 0, envc = 0, found;
	char line[512];
	int pos;

	test_name = "startup";
	check_registers();

	/* argc / argv / envp as seen through %rdi (arm64: x0) */
	CHECK(*(long *)argc_addr == argc, "*(long *)%rdi == argc");
	CHECK((char **)(argc_addr + 8) == argv, "argv == %rdi + 8");
	printf("argc=%d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	CHECK(argc == 3, "argc == 3 (run: startup alpha \"beta gamma\")");
	CHECK(argv[argc] == NULL, "argv[argc] == NULL");
	if (argc == 3) {
		CHECK(strcmp(argv[1], "alpha") == 0, "argv[1] == alpha");
		CHECK(strcmp(argv[2], "beta gamma") == 0, "argv[2] == beta gamma");
	}
	CHECK(argv[0] != NULL && strcmp(basename_of(argv[0]), "startup") == 0,
	    "basename(argv[0]) == startup");
	CHECK(envp == argv + argc + 1, "envp follows argv's NULL");
	while (envp[envc] != NULL)
		envc++;
	const char *t = getenv("BSDEMU_TEST");
	printf("env BSDEMU_TEST=%s\n", t != NULL ? t : "(unset)");
	CHECK(t != NULL && strcmp(t, "42") == 0, "environment has BSDEMU_TEST=42");
	CHECK((void *)__auxv == (void *)(envp + envc + 1), "auxv follows envp's NULL");

	/* The strings form one block: argv[0]\0argv[1]\0...envp[0]\0... */
	int contiguous = 1;
	for (int i = 0; i + 1 < argc; i++)
		if (argv[i + 1] != argv[i] + strlen(argv[i]) + 1)
			contiguous = 0;
	if (envc > 0 && argc > 0 &&
	    envp[0] != argv[argc - 1] + strlen(argv[argc - 1]) + 1)
		contiguous = 0;
	for (int i = 0; i + 1 < envc; i++)
		if (envp[i + 1] != envp[i] + strlen(envp[i]) + 1)
			contiguous = 0;
	CHECK(contiguous, "argument and environment strings are contiguous");
	CHECK((uint64_t)argv[0] > (uint64_t)__auxv, "strings lie above the auxv");

	/* auxv types, in order */
	for (Elf64_Auxinfo *a = __auxv; a->a_type != AT_NULL && ntypes < 64; a++)
		types[ntypes++] = a->a_type;
	pos = snprintf(line, sizeof(line), "auxv:");
	for (int i = 0; i < ntypes && pos < (int)sizeof(line); i++)
		if (types[i] != AT_TIMEKEEP)
			pos += snprintf(line + pos, sizeof(line) - pos, " %ld", types[i]);
	printf("%s\n", line);
	/* the list must follow the kernel's order, without repeats ... */
	int k = 0, in_order = 1;
	for (int i = 0; i < ntypes; i++) {
		while (k < NKERNEL && kernel_order[k] != types[i])
			k++;
		if (k == NKERNEL) {
			in_order = 0;
			break;
		}
		k++;
	}
	CHECK(in_order, "auxv types follow the kernel's order (no unknown or repeated types)");
	/* ... hold every mandatory entry, and no optional one but AT_FXRNG */
	int m = 0, extras_ok = 1;
	for (int i = 0; i < ntypes; i++) {
		if (m < NMANDATORY && types[i] == mandatory[m])
			m++;
		/* where the host allows it (see above) */
		else if (types[i] == AT_TIMEKEEP)
			continue;
#if defined(__aarch64__)
		/* the arm64 sysvec has sv_hwcap/sv_hwcap2: HWCAP entries are expected */
		else if (types[i] == AT_HWCAP || types[i] == AT_HWCAP2)
			continue;
#endif
		else if (types[i] != AT_FXRNG)
			extras_ok = 0;
	}
#if defined(__aarch64__)
	long hwcap = aux_get(AT_HWCAP, &found);
	CHECK(found && (hwcap & 3) == 3, "AT_HWCAP has FP and ASIMD");
	aux_get(AT_HWCAP2, &found);
	CHECK(found, "AT_HWCAP2 present");
#endif
	CHECK(m == NMANDATORY, "auxv has every mandatory entry");
	CHECK(extras_ok, "auxv has no EXECFD/TIMEKEEP/HWCAP/HWCAP2/KPRELOAD/UID..EGID");
	const uint32_t *tk = (const uint32_t *)aux_get(AT_TIMEKEEP, &found);
	if (found)
		CHECK(tk != NULL && tk[0] == 1 && tk[1] <= 1 && tk[2] < 4 &&
		    ((uint64_t)tk & ~0xfffUL) == (uint64_t)aux_get(AT_USRSTACKBASE, &found),
		    "AT_TIMEKEEP points at a vdso_timekeep (version 1) in the shared page");
	const uint32_t *fx = (const uint32_t *)aux_get(AT_FXRNG, &found);
	if (found)
		CHECK(fx != NULL && fx[0] == 1,
		    "AT_FXRNG points at a vdso_fxrng_generation with version 1");

	/* auxv values */
	CHECK(eh->e_ident[0] == 0x7f && eh->e_ident[1] == 'E', "__ehdr_start is mapped");
	CHECK(aux_get(AT_PHDR, &found) == (long)(__ehdr_start + eh->e_phoff) && found,
	    "AT_PHDR == address of the program headers");
	CHECK(aux_get(AT_PHENT, &found) == 56 && found, "AT_PHENT == 56");
	CHECK(aux_get(AT_PHNUM, &found) == eh->e_phnum && found, "AT_PHNUM == e_phnum");
	CHECK(aux_get(AT_PAGESZ, &found) == 4096 && found, "AT_PAGESZ == 4096");
	CHECK(aux_get(AT_FLAGS, &found) == 0 && found, "AT_FLAGS == 0");
	CHECK(aux_get(AT_ENTRY, &found) == (long)_start && found, "AT_ENTRY == &_start");
	CHECK((long)eh->e_entry == (long)_start, "e_entry == &_start");
	CHECK(aux_get(AT_BASE, &found) == 0 && found, "AT_BASE == 0 (no interpreter)");
	CHECK(aux_get(AT_EHDRFLAGS, &found) == (long)eh->e_flags && found,
	    "AT_EHDRFLAGS == e_flags");

	const char *execpath = (const char *)aux_get(AT_EXECPATH, &found);
	CHECK(found && execpath != NULL && execpath[0] == '/',
	    "AT_EXECPATH is an absolute path");
	if (found && execpath != NULL)
		CHECK(strcmp(basename_of(execpath), "startup") == 0,
		    "basename(AT_EXECPATH) == startup");

	long osrel = aux_get(AT_OSRELDATE, &found);
	CHECK(found && osrel >= 1400000 && osrel < 2000000, "AT_OSRELDATE is 14.x or later");

	const unsigned char *canary = (const unsigned char *)aux_get(AT_CANARY, &found);
	CHECK(found && canary != NULL, "AT_CANARY present");
	CHECK(aux_get(AT_CANARYLEN, &found) == 64 && found, "AT_CANARYLEN == 64");
	if (canary != NULL) {
		int nz = 0;
		for (int i = 0; i < 64; i++)
			nz |= canary[i];
		CHECK(nz != 0, "canary is not all zero");
	}

	long ncpus = aux_get(AT_NCPUS, &found);
	CHECK(found && ncpus >= 1 && ncpus <= 4096, "AT_NCPUS >= 1");

	const unsigned long *ps = (const unsigned long *)aux_get(AT_PAGESIZES, &found);
	long pslen = aux_get(AT_PAGESIZESLEN, &found);
	CHECK(ps != NULL && ps[0] == 4096, "AT_PAGESIZES[0] == 4096");
	CHECK(found && pslen == 24, "AT_PAGESIZESLEN == 24 (MAXPAGESIZES 3 on amd64)");
	if (ps != NULL && pslen == 24) {
		int ok = 1;
		for (int i = 1; i < 3; i++)
			if (ps[i] != 0 && (ps[i] <= ps[i - 1] || (ps[i] & 4095) != 0))
				ok = 0;
		CHECK(ok, "AT_PAGESIZES entries are 0 or increasing page multiples");
	}

	/* AT_STACKPROT from our own PT_GNU_STACK */
	long want_prot = PROT_READ | PROT_WRITE | PROT_EXEC;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(__ehdr_start + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_GNU_STACK) {
			want_prot = ((ph[i].p_flags & PF_R) ? PROT_READ : 0) |
			    ((ph[i].p_flags & PF_W) ? PROT_WRITE : 0) |
			    ((ph[i].p_flags & PF_X) ? PROT_EXEC : 0);
		}
	}
	CHECK(aux_get(AT_STACKPROT, &found) == want_prot && found,
	    "AT_STACKPROT == PT_GNU_STACK flags (RW)");

	long bsdflags = aux_get(AT_BSDFLAGS, &found);
	CHECK(found && (bsdflags & ~3L) == 0, "AT_BSDFLAGS has only SIGFASTBLK/VMNOOVERCOMMIT bits");

	CHECK(aux_get(AT_ARGC, &found) == argc && found, "AT_ARGC == argc");
	CHECK(aux_get(AT_ARGV, &found) == (long)argv && found, "AT_ARGV == argv");
	CHECK(aux_get(AT_ENVC, &found) == envc && found, "AT_ENVC == envc");
	CHECK(aux_get(AT_ENVV, &found) == (long)envp && found, "AT_ENVV == envp");

	struct ps_strings *pss = (struct ps_strings *)aux_get(AT_PS_STRINGS, &found);
	CHECK(found && pss != NULL, "AT_PS_STRINGS present");
	if (pss != NULL) {
		CHECK(pss->ps_argvstr == argv, "ps_strings.ps_argvstr == argv");
		CHECK(pss->ps_nargvstr == (unsigned)argc, "ps_strings.ps_nargvstr == argc");
		CHECK(pss->ps_envstr == envp, "ps_strings.ps_envstr == envp");
		CHECK(pss->ps_nenvstr == (unsigned)envc, "ps_strings.ps_nenvstr == envc");
	}

	uint64_t stackbase = (uint64_t)aux_get(AT_USRSTACKBASE, &found);
	CHECK(found && (stackbase & 4095) == 0, "AT_USRSTACKBASE is page aligned");
	CHECK(stackbase > argc_addr, "argc lies below AT_USRSTACKBASE");
	if (pss != NULL)
		CHECK((uint64_t)(pss + 1) <= stackbase && (uint64_t)pss > argc_addr,
		    "ps_strings lies between argc and AT_USRSTACKBASE");
	if (argc > 0)
		CHECK((uint64_t)argv[argc - 1] < stackbase, "strings lie below AT_USRSTACKBASE");
	if (execpath != NULL)
		CHECK((uint64_t)execpath > argc_addr && (uint64_t)execpath < stackbase,
		    "AT_EXECPATH string lies on the initial stack");
	CHECK(stackbase - argc_addr < (1UL << 20), "the initial stack data is under 1 MiB");
	CHECK(aux_get(AT_USRSTACKLIM, &found) > 0 && found, "AT_USRSTACKLIM > 0");

	/* The initial stack is writable right below %rsp. */
	volatile char probe[8192];
	for (int i = 0; i < (int)sizeof(probe); i += 512)
		probe[i] = (char)i;
	CHECK(probe[512] == (char)512, "stack below %rsp is writable");

	done();
}
