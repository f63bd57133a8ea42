/* SPDX-License-Identifier: MIT */
/*
 * Fault injection with the kernel's semantics (lib/fault-inject.c, mm/failslab.c,
 * should_fail_alloc_page): the failslab and fail_page_alloc attributes from the command
 * line, per-thread fail-nth (/proc/self/fail-nth), should_fail() for drivers' own
 * attributes, and ukmem_fail_sweep(), which runs a function with fail-nth = 1, 2, 3, ...
 * and checks that every run gave back what it acquired (at most SWEEP_MAX_RUNS runs; a
 * sweep stopped by that limit says so).
 *
 * Invariants:
 *  - ukmem__debug_tls.hooked == (fail_nth != 0 || sweeping); while it is set (or
 *    ukmem__debug_global), every allocation of the thread reaches ukmem__should_fail: the
 *    slab allocator parks the thread's arrays, the page allocator and vmalloc test it first.
 *  - fail-nth counts every allocation point that may fail (not __GFP_NOFAIL), in task
 *    context only, before any attribute filter: SPEC §4's syzkaller configuration.  The
 *    filters (ignore-gfp-wait, ignore-gfp-highmem, min-order, cache-filter, caller) apply to
 *    the attributes' probabilistic failures only.
 *  - An injected failure is not a problem for ukmem_exit (it is not counted).
 *
 * Locking: per-thread state is the thread's own; attribute counters are atomics; the
 * report holds the console lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ukmem.h>
#include <linux/kernel.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/preempt.h>
#include "core/core.h"
#include "platform/platform.h"
#include "slab/slab.h"
#include "debug/fault.h"
#include "debug/kmemleak.h"

#define SWEEP_MAX_RUNS		100000u	/* ukmem_fail_sweep's limit (documented in ukmem.h) */
#define CALLER_CACHE		256	/* return addresses already matched against names */

__thread struct ukmem__debug_tls ukmem__debug_tls __attribute__((tls_model("initial-exec")));
int ukmem__debug_global;

/* A command-line attribute: the kernel's fault_attr plus its filters. */
struct cmdline_attr {
	struct fault_attr attr;
	const struct ukmem__fault_cfg *cfg;
	char names[256];		/* caller filter, NUL-separated, "" when none */
	int nr_names;
	struct { unsigned long pc; bool match; } cache[CALLER_CACHE];	/* under lock */
	pthread_mutex_t lock;
};

static struct {
	struct cmdline_attr failslab, fail_page_alloc;
} fault = {
	.failslab = { .attr = FAULT_ATTR_INITIALIZER, .lock = PTHREAD_MUTEX_INITIALIZER },
	.fail_page_alloc = { .attr = FAULT_ATTR_INITIALIZER, .lock = PTHREAD_MUTEX_INITIALIZER },
};

static __thread unsigned long long rnd_state;

/* prandom_u32_max(n): a thread-local xorshift, seeded from the clock and the thread. */
static unsigned int rnd_below(unsigned int n)
{
	unsigned long long x = rnd_state;

	if (!x) {
		struct timespec t;

		clock_gettime(CLOCK_MONOTONIC, &t);
		x = (unsigned long long)t.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uintptr_t)&rnd_state;
		x |= 1;
	}
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rnd_state = x;
	return (unsigned int)((x >> 32) * n >> 32);
}

void ukmem__debug_tls_update(void)
{
	struct ukmem__debug_tls *t = &ukmem__debug_tls;

	t->hooked = t->fail_nth || t->sweeping;
}

/* ---- the report ---- */
static noinline void fail_dump(struct fault_attr *attr, int skip)
{
	if (!attr->verbose)
		return;
	ukmem__console_lock();
	printk(KERN_NOTICE "FAULT_INJECTION: forcing a failure.\n"
	       "name %s, interval %lu, probability %lu, space %d, times %d\n",
	       attr->dname ? attr->dname : "fault_attr", attr->interval, attr->probability,
	       atomic_read(&attr->space), atomic_read(&attr->times));
	if (attr->verbose > 1) {
		ukmem__print_task_line();
		ukmem__stack_dump(skip + 1);
	}
	ukmem__console_unlock();
}

/* ---- the caller filters ---- */
/* Kernel semantics: with require/reject ranges, search the stack for a frame in them. */
static noinline bool fail_stacktrace(struct fault_attr *attr)
{
	unsigned long pcs[64];
	bool found = attr->require_start == 0 && attr->require_end == ULONG_MAX;
	int depth = min_t(unsigned long, attr->stacktrace_depth, ARRAY_SIZE(pcs)), n;

	if (depth == 0 || (found && !attr->reject_start && !attr->reject_end))
		return found;
	n = ukmem__stack_save(pcs, depth, 1);
	for (int i = 0; i < n; i++) {
		if (attr->reject_start <= pcs[i] && pcs[i] < attr->reject_end)
			return false;
		if (attr->require_start <= pcs[i] && pcs[i] < attr->require_end)
			found = true;
	}
	return found;
}

/* failslab.caller= / fail_page_alloc.caller=: a frame of one of the named functions. */
static bool frame_matches(struct cmdline_attr *ca, unsigned long pc)
{
	size_t slot = (pc >> 2) % CALLER_CACHE;
	char name[256];
	bool match = false;

	pthread_mutex_lock(&ca->lock);
	if (ca->cache[slot].pc == pc) {
		match = ca->cache[slot].match;
		pthread_mutex_unlock(&ca->lock);
		return match;
	}
	pthread_mutex_unlock(&ca->lock);
	ukmem__sym_name(pc - 1, name, sizeof(name));
	for (const char *p = ca->names; *p; p += strlen(p) + 1)
		match |= !strcmp(p, name);
	pthread_mutex_lock(&ca->lock);
	ca->cache[slot].pc = pc;
	ca->cache[slot].match = match;
	pthread_mutex_unlock(&ca->lock);
	return match;
}

static noinline bool caller_matches(struct cmdline_attr *ca)
{
	unsigned long pcs[32];
	int n;

	if (!ca->nr_names)
		return true;
	n = ukmem__stack_save(pcs, ARRAY_SIZE(pcs), 1);
	for (int i = 0; i < n; i++)
		if (frame_matches(ca, pcs[i]))
			return true;
	return false;
}

/* ---- the decision ---- */
static bool in_task_ctx(void)
{
	return !(ukmem__this_cpu.preempt_count & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET));
}

/* The fail-nth step: true when this is the n-th point (and then fail-nth reads 0). */
static bool fail_nth_step(bool *counted)
{
	struct ukmem__debug_tls *t = &ukmem__debug_tls;

	*counted = false;
	if (!in_task_ctx() || !t->fail_nth)
		return false;
	*counted = true;
	if (--t->fail_nth)
		return false;
	ukmem__debug_tls_update();
	return true;
}

/* The attribute's own checks, in the kernel's order (should_fail_ex after the fail-nth
 * step), and the report.  @skip: frames between the allocation point and fail_dump. */
static noinline bool attr_fail(struct fault_attr *attr, ssize_t size, int flags, bool nth,
			       struct cmdline_attr *ca, int skip)
{
	if (nth)
		goto fail;
	if (attr->probability == 0)
		return false;
	if (atomic_read(&attr->times) == 0)
		return false;
	if (atomic_read(&attr->space) > size) {
		atomic_sub((int)size, &attr->space);
		return false;
	}
	if (attr->interval > 1 && __atomic_add_fetch(&attr->count, 1, __ATOMIC_RELAXED) % attr->interval)
		return false;
	if (attr->probability <= rnd_below(100))
		return false;
	if (!fail_stacktrace(attr) || (ca && !caller_matches(ca)))
		return false;
fail:
	if (!(flags & FAULT_NOWARN))
		fail_dump(attr, skip + 1);
	if (atomic_read(&attr->times) != -1)
		atomic_add_unless(&attr->times, -1, 0);
	return true;
}

/**
 * should_fail_ex - the kernel's fault decision for a driver's own attribute
 * @attr: from DECLARE_FAULT_ATTR (and setup_fault_attr)
 * @size: bytes, for the "space" budget
 * @flags: FAULT_NOWARN to fail silently
 *
 * fail-nth (ukmem_set_fail_nth) counts these calls too, as the kernel's.
 */
/* The body of both entry points, inlined into each: the report counts one frame for it. */
static __always_inline bool fail_ex(struct fault_attr *attr, ssize_t size, int flags)
{
	bool counted, nth = fail_nth_step(&counted);
	bool ret;

	if (counted && !nth)
		return false;
	ret = attr_fail(attr, size, flags, nth, NULL, 1);
	barrier();		/* not a tail call: the report counts this frame */
	return ret;
}

noinline bool should_fail_ex(struct fault_attr *attr, ssize_t size, int flags)
{
	return fail_ex(attr, size, flags);
}

noinline bool should_fail(struct fault_attr *attr, ssize_t size)
{
	return fail_ex(attr, size, 0);
}

/* ---- "<interval>,<probability>,<space>,<times>" ---- */
/* isspace of 6.1's lib/ctype.c: \t to \r, the space, and Latin-1's no-break space (0xa0). */
static bool kernel_isspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

/* One decimal conversion of 6.1's vsscanf (%lu, or %d when @sign): blanks skipped, a '-'
 * only for %d, then at least one digit; the digits wrap modulo 2^64 as simple_strntoull's.
 * Returns the end of the number, NULL when there is none. */
static const char *scan_decimal(const char *s, bool sign, unsigned long long *val)
{
	unsigned long long v = 0;
	bool neg;

	while (kernel_isspace(*s))
		s++;
	neg = sign && *s == '-';
	s += neg;
	if (*s < '0' || *s > '9')
		return NULL;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (unsigned long long)(*s - '0');
	*val = neg ? -v : v;
	return s;
}

/**
 * ukmem__fault_attr_scan - 6.1's sscanf(str, "%lu,%lu,%d,%d", ...) for a fault attribute
 * Return: the number of fields converted (4: all); *@end (when not NULL) is where the scan
 * stopped.  What follows the fourth number is not looked at, as the kernel's.
 */
int ukmem__fault_attr_scan(const char *str, struct ukmem__fault_spec *spec, const char **end)
{
	unsigned long long v[4];
	int n;

	for (n = 0; n < 4; n++) {
		const char *next;

		if (n && *str != ',')
			break;
		next = scan_decimal(str + (n > 0), n >= 2, &v[n]);
		if (!next)
			break;
		str = next;
	}
	if (end)
		*end = str;
	if (n < 4)
		return n;
	spec->interval = (unsigned long)v[0];
	spec->probability = (unsigned long)v[1];
	spec->space = (int)(long long)v[2];	/* as vsscanf stores a %d: the low 32 bits */
	spec->times = (int)(long long)v[3];
	return 4;
}

/**
 * setup_fault_attr - parse "interval,probability,space,times" into @attr
 *
 * As 6.1's: the four numbers of sscanf's "%lu,%lu,%d,%d" (the kernel's sscanf: no '+', no
 * '-' before the unsigned ones, overflow wraps), anything after them ignored, the
 * probability kept as given (above 100 every candidate fails), nothing printed on success.
 *
 * Return: 1 on success, 0 with "FAULT_INJECTION: failed to parse arguments" otherwise.
 */
int setup_fault_attr(struct fault_attr *attr, char *str)
{
	struct ukmem__fault_spec spec;

	if (!str || ukmem__fault_attr_scan(str, &spec, NULL) < 4) {
		printk(KERN_WARNING "FAULT_INJECTION: failed to parse arguments\n");
		return 0;
	}
	attr->probability = spec.probability;
	attr->interval = spec.interval;
	atomic_set(&attr->times, spec.times);
	atomic_set(&attr->space, spec.space);
	return 1;
}

/* The filters of a command-line attribute, then its decision (fail-nth already done).
 * __GFP_NOWARN fails silently (FAULT_NOWARN), as mm/failslab.c and should_fail_alloc_page:
 * callers that expect to fail and fall back (mempool_alloc's first try) print nothing. */
static noinline bool decide(struct cmdline_attr *ca, gfp_t gfp, size_t size, int order,
			    bool filtered)
{
	struct ukmem__debug_tls *t = &ukmem__debug_tls;
	int flags = gfp & __GFP_NOWARN ? FAULT_NOWARN : 0;
	bool counted, nth, ret;

	/* start-up's own and covered allocations: never failed, never counted */
	if ((gfp & __GFP_NOFAIL) || ukmem__starting() || t->covered)
		return false;
	t->in_hook = true;
	nth = fail_nth_step(&counted);
	if (nth)
		ret = attr_fail(&ca->attr, (ssize_t)size, flags, true, ca, 2);
	else if (counted || !ca->cfg->set || filtered ||
		 (ca->cfg->ignore_gfp_wait && (gfp & __GFP_DIRECT_RECLAIM)) ||
		 (order >= 0 && ((unsigned int)order < ca->cfg->min_order ||
				 (ca->cfg->ignore_gfp_highmem && (gfp & __GFP_HIGHMEM)))))
		ret = false;
	else
		ret = attr_fail(&ca->attr, (ssize_t)size, flags, false, ca, 2);
	t->in_hook = false;
	return ret;
}

/* fail_page_alloc's size is in pages (6.1's should_fail_alloc_page passes 1 << order): its
 * space attribute counts pages, not bytes. */
noinline bool ukmem__should_fail(enum ukmem__fault_kind kind, gfp_t gfp, size_t size)
{
	int order = get_order(size ? size : 1);
	bool ret;

	/* failslab.cache-filter: only a slab cache marked by slub_debug=A is a candidate */
	if (kind == UKMEM_FAULT_PAGES || kind == UKMEM_FAULT_DMA)
		ret = decide(&fault.fail_page_alloc, gfp, 1UL << order, order, false);
	else
		ret = decide(&fault.failslab, gfp, size, -1, fault.failslab.cfg->cache_filter);
	barrier();		/* not a tail call: the report counts this frame */
	return ret;
}

/* mm/failslab.c's __should_failslab(): its cache filter looks at the cache's SLAB_FAILSLAB
 * (slub_debug=A). */
noinline bool ukmem__should_failslab(const struct kmem_cache *s, gfp_t gfp)
{
	bool ret = decide(&fault.failslab, gfp, s->object_size, -1,
			  fault.failslab.cfg->cache_filter && !(s->flags & SLAB_FAILSLAB));

	barrier();
	return ret;
}

noinline bool ukmem__should_fail_pages(gfp_t gfp, unsigned int order)
{
	bool ret = decide(&fault.fail_page_alloc, gfp, 1UL << order, (int)order, false);

	barrier();
	return ret;
}

/* ---- fail-nth ---- */
/**
 * ukmem_set_fail_nth - make the @n-th fault-injection point this thread reaches fail
 * @n: 1 for the next one; 0 turns it off
 *
 * As writing /proc/self/fail-nth.  Every allocation that may fail counts (slab, pages,
 * vmalloc, and every subsystem that calls the hook), except __GFP_NOFAIL ones and those made
 * in interrupt context.
 */
void ukmem_set_fail_nth(unsigned int n)
{
	ukmem__ensure_started();
	ukmem__debug_tls.fail_nth = n;
	ukmem__debug_tls_update();
	if (ukmem__debug_tls.hooked)
		ukmem__slab_park_thread();
}

/**
 * ukmem_get_fail_nth - what is left of this thread's fail-nth (0 once it has fired)
 */
unsigned int ukmem_get_fail_nth(void)
{
	return ukmem__debug_tls.fail_nth;
}

/* ---- the sweep ---- */
/* Run @n of a sweep: @fn with fail-nth = @n, then the leak check of what it acquired.
 * Returns the number of objects leaked; *@injected says whether the n-th point was reached. */
static int sweep_run(int (*fn)(void *arg), void *arg, unsigned int n, bool *injected)
{
	struct ukmem__debug_tls *t = &ukmem__debug_tls;
	unsigned long run = ukmem__leak_run_begin();
	char title[128];
	int ret;

	t->fail_nth = n;
	ukmem__debug_tls_update();
	ret = fn(arg);
	*injected = !t->fail_nth;
	t->fail_nth = 0;
	ukmem__debug_tls_update();
	snprintf(title, sizeof(title), "ukmem_fail_sweep: run %u (fail-nth=%u, %s, returned %d)",
		 n, n, *injected ? "fault injected" : "no fault injected", ret);
	return ukmem__leak_run_end(run, title);
}

/**
 * ukmem_fail_sweep - run @fn with each of its allocations failing in turn
 * @fn: the code under test (a probe and remove, an ioctl ...); its return value is shown
 * @arg: passed to @fn
 *
 * Runs @fn with fail-nth = 1, 2, 3, ... until a run reaches fewer injection points than
 * its n (no fault injected: the last run).  After each run, everything that run acquired
 * (slab objects, pages, vmalloc areas, and what other subsystems track: mappings,
 * resources, DMA, devres) and still holds is reported in kmemleak's format under a line
 * naming the run.  Needs kmemleak=on (the default) to check anything.  At most
 * SWEEP_MAX_RUNS (100000) runs: when the last of them still injected a fault, the sweep
 * stops there with a warning naming the limit (the points after it were never failed).
 *
 * Return: the number of runs that leaked, or -EINVAL / -EBUSY (a sweep inside a sweep).
 */
int ukmem_fail_sweep(int (*fn)(void *arg), void *arg)
{
	struct ukmem__debug_tls *t = &ukmem__debug_tls;
	bool injected = true;
	unsigned int n;
	int faulty = 0;

	ukmem__ensure_started();
	if (!fn)
		return -EINVAL;
	if (t->sweeping)
		return -EBUSY;
	t->sweeping = true;
	ukmem__debug_tls_update();
	ukmem__slab_park_thread();
	for (n = 1; n <= SWEEP_MAX_RUNS && injected; n++)
		faulty += sweep_run(fn, arg, n, &injected) > 0;
	n--;
	t->sweeping = false;
	ukmem__debug_tls_update();
	if (injected)
		printk(KERN_WARNING "ukmem_fail_sweep: stopped at its limit of %u runs: run %u still injected a fault, so the points after the %uth were never failed\n",
		       SWEEP_MAX_RUNS, n, n);
	printk(KERN_INFO "ukmem_fail_sweep: %u runs, %d leaked\n", n, faulty);
	return faulty;
}

/* ---- start-up ---- */
static void attr_setup(struct cmdline_attr *ca, const struct ukmem__fault_cfg *cfg, const char *name)
{
	ca->cfg = cfg;
	ca->attr.dname = name;
	ca->attr.verbose = cfg->verbose;
	if (cfg->set) {
		ca->attr.interval = cfg->interval;
		ca->attr.probability = cfg->probability;
		atomic_set(&ca->attr.space, cfg->space);
		atomic_set(&ca->attr.times, cfg->times);
	}
	snprintf(ca->names, sizeof(ca->names), "%s", cfg->caller);
	for (char *p = ca->names; *p; p++)
		if (*p == ',')
			*p = '\0';
	ca->nr_names = 0;
	for (const char *p = ca->names; p < ca->names + strlen(cfg->caller); p += strlen(p) + 1)
		ca->nr_names += *p != '\0';
}

static void fault_fork_lock(void)
{
	pthread_mutex_lock(&fault.failslab.lock);
	pthread_mutex_lock(&fault.fail_page_alloc.lock);
}

static void fault_fork_unlock(void)
{
	pthread_mutex_unlock(&fault.fail_page_alloc.lock);
	pthread_mutex_unlock(&fault.failslab.lock);
}

static int fault_init(void)
{
	ukmem__os_atfork(fault_fork_lock, fault_fork_unlock, fault_fork_unlock);
	attr_setup(&fault.failslab, &ukmem__cfg.failslab, "failslab");
	attr_setup(&fault.fail_page_alloc, &ukmem__cfg.fail_page_alloc, "fail_page_alloc");
	if ((ukmem__cfg.failslab.set && ukmem__cfg.failslab.probability) ||
	    (ukmem__cfg.fail_page_alloc.set && ukmem__cfg.fail_page_alloc.probability))
		__atomic_store_n(&ukmem__debug_global, 1, __ATOMIC_RELEASE);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_MM_LATE, fault_init);
