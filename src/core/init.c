/* SPDX-License-Identifier: MIT */
/*
 * Start-up and shut-down: ukmem_init, the automatic start on first use, ukmem_exit and its
 * atexit twin, and the ukmem_show registry.
 *
 * Start-up runs once, under init.lock, in process context (the starting thread's preemption
 * count and interrupt flag are set aside meanwhile).  Code that runs during start-up on the
 * starting thread and reaches an entry point that would auto-start goes on (starting_here).
 * After start-up, ukmem__cfg and the registries are read-only.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <ukmem.h>
#include <linux/kernel.h>
#include "core/core.h"
#include "platform/platform.h"

#define MAX_SHOWS	64
#define MAX_EXIT_FNS	32

struct ukmem__config ukmem__cfg = {
	.mem = 1ULL << 30,
	.kmemleak = true,
	/* the kernel's defaults for the fault-injection knobs */
	.failslab = { .interval = 1, .times = 1, .verbose = 2, .ignore_gfp_wait = true },
	.fail_page_alloc = { .interval = 1, .times = 1, .verbose = 2, .ignore_gfp_wait = true,
			     .ignore_gfp_highmem = true, .min_order = 1 },
	.loglevel = 7,
	.kunit_timeout = 300,		/* 6.1's kunit_test_timeout(): five minutes */
	.hung_task_timeout_secs = 120,	/* CONFIG_DEFAULT_HUNG_TASK_TIMEOUT */
	.hung_task_warnings = 10,
};
volatile int ukmem__started;

static struct {
	pthread_mutex_t lock;
	bool exited;
	int start_err;		/* a start-up that failed part way: initcalls cannot run twice */
	struct { const char *name; ukmem__show_fn fn; } shows[MAX_SHOWS];
	int nr_shows;
	void (*exit_fns[MAX_EXIT_FNS])(void);
	int nr_exit_fns;
} init = { .lock = PTHREAD_MUTEX_INITIALIZER };

static __thread bool starting_here;

/* A registry that is full is a build error in ukmem itself: say so and stop, never drop. */
static noreturn void registry_full(const char *what, int max)
{
	fprintf(stderr, "ukmem: more than %d %s registered: raise the limit in init.c\n", max, what);
	abort();
}

void ukmem__show_register(const char *name, ukmem__show_fn fn)
{
	if (NEVER(init.nr_shows >= MAX_SHOWS))
		registry_full("reports", MAX_SHOWS);
	init.shows[init.nr_shows++] = (typeof(init.shows[0])){ name, fn };
}

void ukmem__on_exit(void (*fn)(void))
{
	if (NEVER(init.nr_exit_fns >= MAX_EXIT_FNS))
		registry_full("exit hooks", MAX_EXIT_FNS);
	init.exit_fns[init.nr_exit_fns++] = fn;
}

static void ukmem_atexit(void)
{
	ukmem_exit();
}

/* The linker's bounds of the initcall section (weak: a link may hold no initcall at all). */
extern const struct ukmem__initcall __start_ukmem_initcalls[] __attribute__((weak));
extern const struct ukmem__initcall __stop_ukmem_initcalls[] __attribute__((weak));

/* Runs every initcall by level, then link order (levels are few: one pass per level).
 * *@started_any tells whether anything that cannot run twice ran (the context model, or any
 * level from UKMEM_INIT_MM on): a failure before that leaves nothing started. */
static int start_subsystems(bool *started_any)
{
	const struct ukmem__initcall *first = __start_ukmem_initcalls, *last = __stop_ukmem_initcalls;
	int level = 0;

	/* The reference that links every subsystem in; each is then in the section. */
	__asm__ volatile("" : : "r"(ukmem__subsystems));
	*started_any = false;
	for (;;) {
		int next = __INT_MAX__;

		if (level >= UKMEM_INIT_MM && !*started_any) {
			ukmem__context_init();
			*started_any = true;
		}
		for (const struct ukmem__initcall *c = first; c && c < last; c++) {
			if (c->level == level) {
				int err = c->fn();

				if (err)
					return err;
			} else if (c->level > level && c->level < next) {
				next = c->level;
			}
		}
		if (next == __INT_MAX__) {
			if (!*started_any)
				ukmem__context_init();
			*started_any = true;
			return 0;
		}
		level = next;
	}
}

/* Start-up runs as the kernel's boot does, in process context, whatever context the call that
 * triggered it is in: a first this_cpu_inc() under preempt_disable(), or a first
 * kmalloc(GFP_ATOMIC) under a spinlock, must not report start-up's own sleeping allocations
 * as made in atomic context.  The caller's context is its own again afterwards. */
static int start_in_process_context(bool *started_any)
{
	struct ukmem__cpu *c = &ukmem__this_cpu;
	int preempt_count = c->preempt_count;
	bool irqs_disabled = c->irqs_disabled;
	int err;

	c->preempt_count = 0;
	c->irqs_disabled = false;
	err = start_subsystems(started_any);
	c->preempt_count = preempt_count;
	c->irqs_disabled = irqs_disabled;
	return err;
}

int ukmem_init(const char *cmdline)
{
	struct ukmem__config cfg, before;
	bool started_any;
	int err;

	pthread_mutex_lock(&init.lock);
	if (ukmem__started || starting_here) {
		pthread_mutex_unlock(&init.lock);
		return -EBUSY;
	}
	if (init.start_err) {
		/* Some subsystems started and cannot be undone: starting them again would set up
		 * RAM, caches and buses twice over.  The first failure was reported already. */
		err = init.start_err;
		pthread_mutex_unlock(&init.lock);
		fprintf(stderr, "ukmem: start-up failed earlier (error %d): not starting again\n",
			err);
		return err;
	}
	cfg = ukmem__cfg;	/* under the lock: a racing start-up may be writing it */
	err = ukmem__cmdline_parse(cmdline, &cfg);
	if (err) {
		pthread_mutex_unlock(&init.lock);
		return err;
	}
	before = ukmem__cfg;
	ukmem__cfg = cfg;
	starting_here = true;
	err = start_in_process_context(&started_any);
	starting_here = false;
	if (!err) {
		atexit(ukmem_atexit);
		__atomic_store_n(&ukmem__started, 1, __ATOMIC_RELEASE);
	} else if (started_any) {
		init.start_err = err;
	} else {
		ukmem__cfg = before;	/* a rejected line (a bad module parameter) starts nothing */
	}
	pthread_mutex_unlock(&init.lock);
	return err;
}

/* Is this thread running start-up?  Start-up's own allocations are ukmem's, not the
 * program's: fault injection and KFENCE sampling leave them alone. */
bool ukmem__starting(void)
{
	return starting_here;
}

void ukmem__autostart(void)
{
	const char *cmdline = getenv("UKMEM_CMDLINE");
	int err;

	if (starting_here)
		return;
	err = ukmem_init(cmdline ? cmdline : "");
	if (err && err != -EBUSY) {
		/* A bad line (-EINVAL) was named in its one-line error already. */
		if (err != -EINVAL)
			fprintf(stderr, "ukmem: cannot start (error %d)\n", err);
		exit(2);
	}
}

int ukmem_exit(void)
{
	pthread_mutex_lock(&init.lock);
	if (ukmem__started && !init.exited) {
		init.exited = true;
		ukmem__context_exit_checks();
		for (int i = init.nr_exit_fns - 1; i >= 0; i--)
			init.exit_fns[i]();
	}
	pthread_mutex_unlock(&init.lock);
	return (int)ukmem_report_count();
}

int ukmem_show(const char *name, FILE *out)
{
	ukmem__ensure_started();
	if (!name || !out)
		return -EINVAL;
	for (int i = 0; i < init.nr_shows; i++) {
		size_t n = strlen(init.shows[i].name);
		bool prefix = init.shows[i].name[n - 1] == ':';

		if (prefix ? !strncmp(name, init.shows[i].name, n) : !strcmp(name, init.shows[i].name))
			return init.shows[i].fn(out, prefix ? name + n : NULL);
	}
	return -ENOENT;
}
