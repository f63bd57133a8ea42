/* SPDX-License-Identifier: MIT */
/*
 * Reports: the frame around every detected problem (BUG, WARN, leak), the problem counter,
 * panic_on_warn, the kernel's taint flags and its debug_locks switch, and the kernel's
 * WARN/BUG entry points used by <linux/bug.h>.
 *
 * A report is printed between ukmem__report_begin() and ukmem__report_end() with the console
 * lock held, so concurrent reports never interleave.  The counter counts reports, not lines.
 * The taint mask only grows (atomic or); its text is made under the console lock, where
 * every report reads it.  debug_locks starts at 1 and goes to 0 once, for good, as 6.1's.
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <linux/kernel.h>
#include "core/core.h"

static struct {
	unsigned long count;		/* reports so far (atomic) */
	unsigned long tainted_mask;	/* 1 << TAINT_*, as the kernel's (atomic or) */
	char tainted[32];		/* print_tainted()'s text of tainted_mask (console lock) */
	int debug_locks_off;		/* debug_locks went off (atomic exchange) */
} report;

/* 6.1's taint letters, in bit order: set, unset. */
static const char taint_chars[UKMEM_TAINT_FLAGS_COUNT][2] = {
	"PG", "F ", "S ", "R ", "M ", "B ", "U ", "D ", "A ", "W ",
	"C ", "I ", "O ", "E ", "L ", "K ", "X ", "T ", "N ",
};

/**
 * ukmem__print_tainted - the kernel's print_tainted(): "Not tainted", or "Tainted: " and a
 * letter or blank for every flag ("Tainted: G        W          ")
 *
 * Context: inside a report (the console lock held).
 */
const char *ukmem__print_tainted(void)
{
	unsigned long mask = __atomic_load_n(&report.tainted_mask, __ATOMIC_RELAXED);
	char *s = report.tainted;

	if (!mask)
		return "Not tainted";
	s += sprintf(s, "Tainted: ");
	for (int i = 0; i < UKMEM_TAINT_FLAGS_COUNT; i++)
		*s++ = taint_chars[i][!(mask & (1UL << i))];
	*s = 0;
	return report.tainted;
}

/**
 * ukmem__debug_locks_off - the kernel's debug_locks_off(): turn lock debugging off
 *
 * Return: true for the one call that turned it off (that one reports; later lock-debugging
 * checks stay silent).
 */
bool ukmem__debug_locks_off(void)
{
	return !__atomic_exchange_n(&report.debug_locks_off, 1, __ATOMIC_RELAXED);
}

bool ukmem__debug_locks(void)
{
	return !__atomic_load_n(&report.debug_locks_off, __ATOMIC_RELAXED);
}

/**
 * ukmem__add_taint - the kernel's add_taint()
 * @flag: TAINT_*
 * @lockdep_unreliable: LOCKDEP_NOW_UNRELIABLE: lock debugging goes off (with the kernel's
 *	message when this turned it off)
 */
void ukmem__add_taint(unsigned int flag, bool lockdep_unreliable)
{
	if (lockdep_unreliable && ukmem__debug_locks_off())
		printk(KERN_WARNING "Disabling lock debugging due to kernel taint\n");
	__atomic_fetch_or(&report.tainted_mask, 1UL << flag, __ATOMIC_RELAXED);
}

void ukmem__report_begin(void)
{
	ukmem__console_lock();
}

void ukmem__report_end(enum ukmem__report_kind kind)
{
	__atomic_fetch_add(&report.count, 1, __ATOMIC_RELAXED);
	if (kind == UKMEM_REPORT_WARN)
		ukmem__add_taint(TAINT_WARN, false);
	if (kind != UKMEM_REPORT_LEAK && ukmem__cfg.panic_on_warn) {
		printk(KERN_EMERG "Kernel panic - not syncing: panic_on_warn set ...\n");
		fflush(stderr);
		abort();
	}
	ukmem__console_unlock();
}

/*
 * printk_ratelimit() for identical reports: the same kind of report from the same call
 * stack (the reporting function and its three callers) is printed at most RL_BURST times in RL_INTERVAL_S seconds (the kernel's
 * printk_ratelimit_state: 10 per 5 s); when a new interval starts after suppressions,
 * "FUNC: N callbacks suppressed" says how many were not printed.  Suppressed reports still
 * count as problems.  A small table of recent report keys; the oldest entry is reused.
 */
#define RL_SLOTS	64
#define RL_INTERVAL_S	5
#define RL_BURST	10

static struct {
	pthread_mutex_t lock;
	struct { unsigned long key; time_t begin; int printed, missed; } slot[RL_SLOTS];
	unsigned int next;
} rl = { .lock = PTHREAD_MUTEX_INITIALIZER };

noinline bool ukmem__report_ratelimit(const char *func, unsigned long kind)
{
	unsigned long pcs[4], key = kind * 0x9e3779b97f4a7c15UL;
	int n = ukmem__stack_save(pcs, ARRAY_SIZE(pcs), 1), missed = 0, i;
	time_t now = time(NULL);
	bool print;

	for (i = 0; i < n; i++)
		key = (key ^ pcs[i]) * 0x100000001b3UL;
	pthread_mutex_lock(&rl.lock);
	for (i = 0; i < RL_SLOTS && rl.slot[i].key != key; i++)
		;
	if (i == RL_SLOTS) {
		i = rl.next++ % RL_SLOTS;
		rl.slot[i].key = key;
		rl.slot[i].begin = now;
		rl.slot[i].printed = rl.slot[i].missed = 0;
	}
	if (now - rl.slot[i].begin >= RL_INTERVAL_S) {
		missed = rl.slot[i].missed;
		rl.slot[i].begin = now;
		rl.slot[i].printed = rl.slot[i].missed = 0;
	}
	print = rl.slot[i].printed < RL_BURST;
	if (print)
		rl.slot[i].printed++;
	else
		rl.slot[i].missed++;
	pthread_mutex_unlock(&rl.lock);
	if (missed)
		printk(KERN_WARNING "%s: %d callbacks suppressed\n", func, missed);
	if (!print)
		__atomic_fetch_add(&report.count, 1, __ATOMIC_RELAXED);
	return print;
}

/* A problem found while its report is switched off (lock debugging after its first report):
 * counted, not printed. */
void ukmem__report_silent(void)
{
	__atomic_fetch_add(&report.count, 1, __ATOMIC_RELAXED);
}

unsigned long ukmem_report_count(void)
{
	return __atomic_load_n(&report.count, __ATOMIC_RELAXED);
}

void ukmem__print_task_line(void)
{
	struct ukmem__cpu *c = ukmem__cpu();

	printk(KERN_WARNING "CPU: %d PID: %d Comm: %s %s 6.1.0-ukmem #1\n", c->cpu, c->task.pid,
	       c->task.comm, ukmem__print_tainted());
}

/**
 * ukmem__source_file - the name a report gives a source file
 *
 * An inline function of an installed header names the header by the path the compiler
 * found it at (/usr/local/include/linux/...): the report names it from "include/" on, as
 * the kernel's name their files from the top of the tree.  Other names are kept.
 */
const char *ukmem__source_file(const char *file)
{
	static const char *const dirs[] = { "/include/linux/", "/include/asm/", "/include/kunit/" };

	if (file[0] != '/')
		return file;
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		const char *at = strstr(file, dirs[i]);

		if (at)
			return at + 1;
	}
	return file;
}

void __ukmem_warn(const char *file, int line, const char *func, const char *fmt, ...)
{
	struct ukmem__cpu *c = ukmem__cpu();

	ukmem__report_begin();
	printk(KERN_WARNING "------------[ cut here ]------------\n");
	if (fmt) {
		va_list ap;

		va_start(ap, fmt);
		ukmem__vprintk(fmt, ap);
		va_end(ap);
	}
	printk(KERN_WARNING "WARNING: CPU: %d PID: %d at %s:%d %s\n", c->cpu, c->task.pid,
	       ukmem__source_file(file), line, func);
	printk(KERN_WARNING "Modules linked in:\n");
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	printk(KERN_WARNING "---[ end trace 0000000000000000 ]---\n");
	ukmem__report_end(UKMEM_REPORT_WARN);
}

void __ukmem_bug(const char *file, int line, const char *func)
{
	ukmem__report_begin();
	printk(KERN_WARNING "------------[ cut here ]------------\n");
	printk(KERN_CRIT "kernel BUG at %s:%d!\n", ukmem__source_file(file), line);
	printk(KERN_WARNING "invalid opcode: 0000 [#1] PREEMPT SMP NOPTI\n");
	ukmem__print_task_line();
	printk(KERN_WARNING "RIP: %s\n", func);
	ukmem__stack_dump(1);
	printk(KERN_WARNING "---[ end trace 0000000000000000 ]---\n");
	__atomic_fetch_add(&report.count, 1, __ATOMIC_RELAXED);
	fflush(stderr);
	abort();
}
