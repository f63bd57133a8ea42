/* SPDX-License-Identifier: MIT */
/*
 * Stack traces: capture with libunwind (unw_backtrace; under valgrind with glibc's backtrace,
 * because libunwind probes memory with system calls that valgrind reports), symbolise with elfutils' libdw
 * (function, offset and size from the symbol table; file:line from DWARF when the module
 * carries its own, see own_dwarf()).
 * The libdw session is built on first use and rebuilt when an address falls in a module it
 * has not seen (a library loaded later).
 *
 * Symbolised addresses are remembered (SYM_CACHE entries, cleared when the session is
 * rebuilt): reports repeat the same frames.
 *
 * Locking: symbolisation runs under the console lock (reports hold it anyway), which
 * serialises use of the shared Dwfl handle and the cache.  libunwind's own set-up is done at
 * start-up.
 */
#include <elfutils/libdwfl.h>
#include <libunwind.h>
#include <string.h>
#include <unistd.h>
#include <valgrind/valgrind.h>
#include <linux/kernel.h>
#include "core/core.h"

#define SYM_CACHE	256		/* symbolised addresses remembered (a power of two) */
#define SYM_TEXT	192		/* longer results are not remembered */

/* A report repeats the same frames (a WARN in a loop, a leak report's groups, a fail
 * sweep's injections): each costs a libdw lookup of tens of microseconds the first time. */
struct sym_entry {
	unsigned long pc;
	bool valid, with_line, backtrace;
	char text[SYM_TEXT];
};

static struct {
	Dwfl *dwfl;
	struct sym_entry cache[SYM_CACHE];	/* under the console lock; cleared on refresh */
} stack;

static const Dwfl_Callbacks dwfl_callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
};

static Dwfl *stack_dwfl(bool refresh)
{
	if (stack.dwfl && !refresh)
		return stack.dwfl;
	if (stack.dwfl)
		dwfl_end(stack.dwfl);
	memset(stack.cache, 0, sizeof(stack.cache));	/* the modules changed */
	stack.dwfl = dwfl_begin(&dwfl_callbacks);
	if (!stack.dwfl)
		return NULL;
	dwfl_report_begin(stack.dwfl);
	if (dwfl_linux_proc_report(stack.dwfl, getpid()) != 0 ||
	    dwfl_report_end(stack.dwfl, NULL, NULL) != 0) {
		dwfl_end(stack.dwfl);
		stack.dwfl = NULL;
	}
	return stack.dwfl;
}

static Dwfl_Module *stack_module(unsigned long pc)
{
	Dwfl *dwfl = stack_dwfl(false);
	Dwfl_Module *mod = dwfl ? dwfl_addrmodule(dwfl, pc) : NULL;

	if (!mod && (dwfl = stack_dwfl(true)) != NULL)
		mod = dwfl_addrmodule(dwfl, pc);
	return mod;
}

/* glibc's own backtrace (libgcc's unwinder); plain "backtrace" may bind to libunwind's alias. */
extern int __backtrace(void **array, int size);

static noinline int capture(void **frames, int max)
{
	if (!RUNNING_ON_VALGRIND)
		return unw_backtrace(frames, max);
	return __backtrace(frames, max);	/* frames[0] is capture() in both */
}

/* noinline, as ukmem__stack_dump: the frames they skip are counted, so they must be real. */
noinline int ukmem__stack_save(unsigned long *pcs, int max, int skip)
{
	void *frames[UKMEM_STACK_DEPTH + 32];
	int n, want = max + skip + 2;

	if (want > (int)ARRAY_SIZE(frames))
		want = ARRAY_SIZE(frames);
	n = capture(frames, want);
	n -= skip + 2;			/* capture() and this function, then the caller's skip */
	if (n <= 0)
		return 0;
	if (n > max)
		n = max;
	for (int i = 0; i < n; i++)
		pcs[i] = (unsigned long)frames[i + skip + 2];
	return n;
}

/**
 * ukmem__stack_save_from - the stack from the frame that returns to @caller
 * @caller: an entry point's _RET_IP_ (an address in the code that called the API)
 *
 * A report's stack starts at the code that called the API, however the library's own frames
 * in between were inlined: counting frames to skip is right for one build and one compiler
 * only.  Where @caller is not on the stack (a tail call), the whole stack above this
 * function's caller is kept.
 */
noinline int ukmem__stack_save_from(unsigned long *pcs, int max, unsigned long caller)
{
	void *frames[UKMEM_STACK_DEPTH + 32];
	int n = capture(frames, ARRAY_SIZE(frames)), from = 2, i;

	for (i = 2; i < n; i++)
		if ((unsigned long)frames[i] == caller) {
			from = i;
			break;
		}
	n = min(n - from, max);
	for (i = 0; i < n; i++)
		pcs[i] = (unsigned long)frames[from + i];
	return max(n, 0);
}

/*
 * libunwind sets itself up on its first backtrace in the process (a signal mask, a pipe to
 * probe memory with), under a lock of its own but behind a flag it reads without one.  Taking
 * one backtrace during start-up does that set-up before any other thread can need it (start-up
 * publishes everything it did), so threads capturing their first stacks at once never race on
 * it.
 */
static int stack_init(void)
{
	unsigned long pc;

	ukmem__stack_save(&pc, 1, 0);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_MM - 1, stack_init);

/*
 * The source line of @pc by walking the module's compilation units.  libdw finds a CU through
 * .debug_aranges, which clang does not emit by default (elfutils before 0.189 does not build
 * the table from the CUs), so without this clang-built code would have no file:line.
 */
static const char *line_by_cu_scan(Dwfl_Module *mod, unsigned long pc, int *line)
{
	Dwarf_Addr bias;
	Dwarf *dw = dwfl_module_getdwarf(mod, &bias);
	Dwarf_Off off = 0, next;
	size_t hsize;

	while (dw && dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;
		Dwarf_Line *l;

		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_haspc(&cu, pc - bias) > 0 &&
		    (l = dwarf_getsrc_die(&cu, pc - bias)) != NULL && dwarf_lineno(l, line) == 0)
			return dwarf_linesrc(l, NULL, NULL);
		off = next;
	}
	return NULL;
}

/*
 * Whether @mod's debug information is its own (the program, ukmem, a library built with -g),
 * rather than a separate file that a distribution installs for a system library (libc6-dbg's
 * /usr/lib/debug/.build-id/...: found when the symbol table was read).  Lines are looked up
 * in the module's own DWARF only: a separate debug file is the whole library's DWARF,
 * usually compressed, and libdw inflates all of it on the first line lookup (libc's took
 * 0.13 s of CPU and 3,000 page faults on the AMD EPYC of docs/performance.md, for the
 * file:line of __libc_start_call_main or start_thread at the foot of a report).  Such frames
 * keep their names and offsets, from that file's symbol table.
 */
static bool own_dwarf(Dwfl_Module *mod)
{
	const char *mainfile = NULL, *debugfile = NULL;

	dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, &mainfile, &debugfile);
	return !debugfile || (mainfile && !strcmp(mainfile, debugfile));
}

static struct sym_entry *sym_slot(unsigned long pc, bool with_line)
{
	return &stack.cache[((pc >> 2) * 0x9e3779b97f4a7c15UL >> 56 ^ with_line) & (SYM_CACHE - 1)];
}

static int symbolize_uncached(unsigned long pc, char *buf, size_t len, bool with_line,
			      bool backtrace);

static int symbolize(unsigned long pc, char *buf, size_t len, bool with_line, bool backtrace)
{
	struct sym_entry *e;
	int n;

	ukmem__console_lock();
	e = sym_slot(pc, with_line);
	if (e->valid && e->pc == pc && e->with_line == with_line && e->backtrace == backtrace) {
		n = snprintf(buf, len, "%s", e->text);
	} else {
		n = symbolize_uncached(pc, buf, len, with_line, backtrace);
		e = sym_slot(pc, with_line);	/* a refresh may have cleared the cache */
		if (n >= 0 && (size_t)n < len && n < SYM_TEXT) {
			memcpy(e->text, buf, (size_t)n + 1);
			e->pc = pc;
			e->with_line = with_line;
			e->backtrace = backtrace;
			e->valid = true;
		}
	}
	ukmem__console_unlock();
	return n;
}

/* @backtrace: @pc is a return address; as 6.1's sprint_backtrace, the symbol (and line) are
 * those of pc - 1, the offset printed is pc's own, and an unknown address prints as pc. */
static int symbolize_uncached(unsigned long pc, char *buf, size_t len, bool with_line,
			      bool backtrace)
{
	Dwfl_Module *mod;
	GElf_Off off = 0;
	GElf_Sym sym;
	const char *name = NULL, *file = NULL;
	unsigned long orig = pc;
	int line = 0, n;

	pc -= backtrace;
	mod = stack_module(pc);
	if (mod)
		name = dwfl_module_addrinfo(mod, pc, &off, &sym, NULL, NULL, NULL);
	if (mod && with_line && own_dwarf(mod)) {
		Dwfl_Line *l = dwfl_module_getsrc(mod, pc);

		if (l)
			file = dwfl_lineinfo(l, NULL, &line, NULL, NULL, NULL);
		else
			file = line_by_cu_scan(mod, pc, &line);
	}
	if (!name)
		n = snprintf(buf, len, "0x%lx", orig);
	else if (!with_line)
		n = snprintf(buf, len, "%s", name);
	else
		n = snprintf(buf, len, "%s+0x%lx/0x%lx", name, (unsigned long)off + backtrace,
			     (unsigned long)sym.st_size);
	if (file && n >= 0 && (size_t)n < len) {
		const char *base = strrchr(file, '/');

		n += snprintf(buf + n, len - n, " %s:%d", base ? base + 1 : file, line);
	}
	return n;
}

int ukmem__symbolize(unsigned long pc, char *buf, size_t len)
{
	return symbolize(pc, buf, len, true, false);
}

int ukmem__symbolize_backtrace(unsigned long pc, char *buf, size_t len)
{
	return symbolize(pc, buf, len, true, true);
}

int ukmem__sym_name(unsigned long pc, char *buf, size_t len)
{
	return symbolize(pc, buf, len, false, false);
}

/* Return addresses point after the call: look up pc - 1 so the line is the call's. */
void ukmem__stack_print(const unsigned long *pcs, int n, const char *indent)
{
	char sym[512];

	for (int i = 0; i < n; i++) {
		ukmem__symbolize(pcs[i] - 1, sym, sizeof(sym));
		printk(KERN_WARNING "%s%s\n", indent, sym);
	}
}

noinline void ukmem__stack_dump(int skip)
{
	unsigned long pcs[UKMEM_STACK_DEPTH];
	int n = ukmem__stack_save(pcs, UKMEM_STACK_DEPTH, skip + 1);

	printk(KERN_WARNING "Call Trace:\n");
	printk(KERN_WARNING " <TASK>\n");
	ukmem__stack_print(pcs, n, " ");
	printk(KERN_WARNING " </TASK>\n");
}

void dump_stack_lvl(const char *log_lvl)
{
	ukmem__console_lock();
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	ukmem__console_unlock();
}

void dump_stack(void)
{
	ukmem__console_lock();
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	ukmem__console_unlock();
}
