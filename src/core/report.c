/* SPDX-License-Identifier: MIT */
/*
 * Reports: the frame around every detected problem (BUG, WARN, leak), the problem counter,
 * panic_on_warn, and the kernel's WARN/BUG entry points used by <linux/bug.h>.
 *
 * A report is printed between ukmem__report_begin() and ukmem__report_end() with the console
 * lock held, so concurrent reports never interleave.  The counter counts reports, not lines.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include "core/core.h"

static struct {
	unsigned long count;		/* reports so far (atomic) */
	bool tainted_warn;		/* a WARN happened: the kernel's 'W' taint */
} report;

void ukmem__report_begin(void)
{
	ukmem__console_lock();
}

void ukmem__report_end(enum ukmem__report_kind kind)
{
	__atomic_fetch_add(&report.count, 1, __ATOMIC_RELAXED);
	if (kind == UKMEM_REPORT_WARN)
		report.tainted_warn = true;
	if (kind != UKMEM_REPORT_LEAK && ukmem__cfg.panic_on_warn) {
		printk(KERN_EMERG "Kernel panic - not syncing: panic_on_warn set ...\n");
		fflush(stderr);
		abort();
	}
	ukmem__console_unlock();
}

unsigned long ukmem_report_count(void)
{
	return __atomic_load_n(&report.count, __ATOMIC_RELAXED);
}

void ukmem__print_task_line(void)
{
	struct ukmem__cpu *c = ukmem__cpu();

	printk(KERN_WARNING "CPU: %d PID: %d Comm: %s %s 6.1.0-ukmem #1\n", c->cpu, c->task.pid,
	       c->task.comm, report.tainted_warn ? "Tainted: G        W" : "Not tainted");
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
	       file, line, func);
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
	printk(KERN_CRIT "kernel BUG at %s:%d!\n", file, line);
	printk(KERN_WARNING "invalid opcode: 0000 [#1] PREEMPT SMP NOPTI\n");
	ukmem__print_task_line();
	printk(KERN_WARNING "RIP: %s\n", func);
	ukmem__stack_dump(1);
	printk(KERN_WARNING "---[ end trace 0000000000000000 ]---\n");
	__atomic_fetch_add(&report.count, 1, __ATOMIC_RELAXED);
	fflush(stderr);
	abort();
}
