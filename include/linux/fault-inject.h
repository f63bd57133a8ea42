/* SPDX-License-Identifier: MIT */
/*
 * <linux/fault-inject.h>: fault attributes with the kernel's semantics (lib/fault-inject.c),
 * for code that injects its own faults (DECLARE_FAULT_ATTR + should_fail), and the
 * documentation of ukmem's own two: failslab= and fail_page_alloc= on the command line
 * (docs/fault-injection.md).  Per-thread fail-nth is ukmem_set_fail_nth() in <ukmem.h>.
 */
#ifndef _UKMEM_LINUX_FAULT_INJECT_H
#define _UKMEM_LINUX_FAULT_INJECT_H
#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/limits.h>

struct fault_attr {
	unsigned long probability;	/* percent, 0 (never) .. 100 */
	unsigned long interval;		/* fail one call in interval (1: any) */
	atomic_t times;			/* failures left; -1: unlimited */
	atomic_t space;			/* bytes to let through first */
	unsigned long verbose;		/* 0 silent, 1 message, 2 message and stack */
	bool task_filter;		/* accepted; every task is eligible */
	unsigned long stacktrace_depth;	/* frames searched by the require/reject filters */
	unsigned long require_start, require_end;	/* fail only with a frame in here */
	unsigned long reject_start, reject_end;		/* never with a frame in here */
	unsigned long count;		/* calls seen (interval) */
	const char *dname;		/* printed as "name %s" in the report */
};

#define FAULT_ATTR_INITIALIZER {				\
		.interval = 1,					\
		.times = ATOMIC_INIT(1),			\
		.require_end = ULONG_MAX,			\
		.stacktrace_depth = 32,				\
		.verbose = 2,					\
		.dname = "fault_attr",				\
	}
#define DECLARE_FAULT_ATTR(name)	struct fault_attr name = FAULT_ATTR_INITIALIZER

#define FAULT_NOWARN	0x1		/* should_fail_ex: no report */

/* "interval,probability,space,times", as the kernel's boot parameters: 1 on success. */
int setup_fault_attr(struct fault_attr *attr, char *str);
bool should_fail_ex(struct fault_attr *attr, ssize_t size, int flags);
bool should_fail(struct fault_attr *attr, ssize_t size);
#endif
