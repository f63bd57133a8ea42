/* SPDX-License-Identifier: MIT */
/*
 * Core internals shared across subsystems: start-up state and configuration, the per-thread
 * kernel context ("CPU"), the console and reports, stack traces, and the ukmem_show registry.
 *
 * Lock order (outermost first): ukmem__console (recursive; reports may nest a printk) is
 * taken last by anything, so any subsystem lock may be held while reporting.
 */
#ifndef UKMEM_CORE_H
#define UKMEM_CORE_H
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/sched.h>
#include <linux/spinlock_types.h>
#include "core/sanitizer.h"

#pragma GCC visibility push(hidden)

/* ALWAYS/NEVER: defensive checks that are expected to hold; they stay in release builds. */
#define ALWAYS(x)	likely(x)
#define NEVER(x)	unlikely(x)

/* A fast path's read of a word another thread may store to (atomically) meanwhile, where
 * either value is correct (the kernel's data_race()): a plain load, which folds into the
 * instruction that uses it, except under ThreadSanitizer, which is shown an atomic load. */
#ifdef UKMEM_TSAN
#define ukmem__racy_read(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#else
#define ukmem__racy_read(x)	(x)
#endif

/* ---- configuration (the command line, parsed once at start-up) ---- */
#define UKMEM_MAX_MODPARAMS	64
struct ukmem__config {
	unsigned long long mem;			/* mem= */
	bool slub_debug_set;			/* slub_debug given */
	unsigned int slub_debug_flags;		/* SLAB_* debug flags for the named caches */
	char slub_debug_spec[256];		/* the raw option, for the slab allocator */
	bool init_on_alloc, init_on_free;
	struct ukmem__fault_cfg {
		bool set;
		unsigned long interval, probability;
		int space, times;
		/* fault injection's filters (debugfs knobs in the kernel) */
		int verbose;			/* .verbose: 0 silent, 1 message, 2 + stack */
		bool ignore_gfp_wait;		/* .ignore-gfp-wait */
		bool ignore_gfp_highmem;	/* .ignore-gfp-highmem (fail_page_alloc) */
		bool cache_filter;		/* .cache-filter (failslab): SLAB_FAILSLAB caches only */
		unsigned int min_order;		/* .min-order (fail_page_alloc) */
		char caller[256];		/* .caller=FUNC[,FUNC...]: fail only under these */
	} failslab, fail_page_alloc;
	bool kasan;
	bool kasan_quarantine_set;		/* else the quarantine is 1/32 of mem */
	unsigned long long kasan_quarantine;	/* bytes (0: none) */
	unsigned long kfence_sample_interval;
	bool kmemleak;
	bool kmemleak_stacks;			/* kmemleak.stacks: every allocation's stack */
	bool panic_on_warn;
	int loglevel;
	bool vmalloc_scatter;			/* ukmem.vmalloc_scatter */
	bool vmalloc_no_guard_regions;		/* ukmem.vmalloc_guard_regions=0 */
	/* per-CPU and DMA */
#define UKMEM_MAX_POSSIBLE_CPUS	1024
	unsigned int possible_cpus;		/* possible_cpus=; 0: the host's count, at least 2 */
	bool dma_debug_off;			/* dma_debug=off */
	char dma_debug_driver[32];		/* dma_debug_driver=: only this driver's mappings */
	unsigned long swiotlb_slabs;		/* swiotlb=: 2 KiB slabs; 0: the default (32768) */
	bool swiotlb_force;			/* swiotlb=force: every streaming mapping bounces */
	bool devres_log;			/* devres.log: trace devres add/release */
	bool mmio_trace;			/* ukmem.mmio_trace: print every MMIO access */
	bool no_annotate;			/* ukmem.annotate=0: hide objects from ASan/valgrind */
	/* KUnit runner (src/kunit): kunit.filter_glob= kunit.action= kunit.fail_sweep= kunit.fork=
	 * kunit.timeout= (seconds a forked case may run; 0: no limit) */
	char kunit_filter_glob[256];
	char kunit_action[16];
	bool kunit_fail_sweep;
	bool kunit_no_fork;
	unsigned int kunit_timeout;
	/* the hung-task detector (hung_task.c): 6.1's sysctl names */
	unsigned long hung_task_timeout_secs;	/* 0: off */
	unsigned long hung_task_check_interval_secs;	/* 0: the timeout */
	int hung_task_warnings;			/* reports left; -1: no limit */
	bool hung_task_panic;
	int nr_modparams;
	/* MODNAME.param=value words; has_value is false for a bare MODNAME.param (a bool's
	 * "set it", as on the kernel's command line) */
	struct { char mod[32], name[32]; unsigned short value; bool has_value; } modparams[UKMEM_MAX_MODPARAMS];
	char modparam_text[4096];	/* the values, NUL-terminated (modparams[].value: offset) */
	unsigned int modparam_text_len;
};
extern struct ukmem__config ukmem__cfg;

int ukmem__cmdline_parse(const char *cmdline, struct ukmem__config *cfg);
bool ukmem__cmdline_modparam(const char *mod, const char *name, const char **val);
/* Module and parameter names as the kernel's parameq() compares them: '-' and '_' alike. */
bool ukmem__param_eq(const char *a, const char *b);

/* ---- start-up ---- */
extern volatile int ukmem__started;
bool ukmem__starting(void);	/* this thread is running start-up */
void ukmem__autostart(void);
static inline void ukmem__ensure_started(void)
{
	if (unlikely(!__atomic_load_n(&ukmem__started, __ATOMIC_ACQUIRE)))
		ukmem__autostart();
}

/* ---- the per-thread kernel context ---- */
#define UKMEM_STACK_DEPTH	16	/* frames a saved stack keeps */
#define UKMEM_HELD_LOCKS	8	/* the first ones a thread holds, for its exit report */
struct ukmem__cpu {
	union {
		struct {
			int preempt_count;
			bool irqs_disabled;
			unsigned char ctx_zero[3];	/* never written: atomic_ctx reads them */
		};
		/* nonzero exactly when preempt_count or irqs_disabled is: the allocators'
		 * atomic-context test in one load */
		unsigned long atomic_ctx;
	};
	bool attached;			/* thread-exit hook armed, ids assigned */
	int cpu;			/* the CPU id this thread is bound to: smp_processor_id() */
	int thread_nr;			/* dense thread number; cpu = thread_nr % nr_cpu_ids */
	unsigned long preempt_disable_ip;	/* where preemption was first disabled */
	bool irq_pending;		/* an interrupt waits for this thread to enable irqs */
	int nr_held_locks;		/* mutexes and write-held rwsems not yet released */
	struct { const void *lock; const char *kind; unsigned long ip; } held_lock[UKMEM_HELD_LOCKS];
	/* Its mutexes another thread released (an unlock by a task that does not hold them),
	 * posted under context.c's cpu_ids.lock, for it to drop from held_lock: the count is
	 * read without the lock (atomic), the first UKMEM_HELD_LOCKS are named. */
	unsigned int nr_released;
	const void *released[UKMEM_HELD_LOCKS];
	struct ukmem__sleep {		/* the thread's host sleep, for hung_task.c */
		unsigned int state;	/* its task state; 0 while it does not sleep */
		int nr_pcs, pid;
		unsigned long count;	/* sleeps begun and ended: 6.1's switch count */
		unsigned long reported;	/* the count the watchdog last reported at */
		unsigned long long since_ns;
		unsigned long pcs[UKMEM_STACK_DEPTH];	/* where it went to sleep */
		unsigned long comm[TASK_COMM_LEN / sizeof(long)];
		int nr_locks;		/* its held locks when it went to sleep */
		unsigned long locks[UKMEM_HELD_LOCKS][3];	/* lock, kind, ip */
		unsigned int gen;	/* listed in this process (hung_task.c) */
		struct ukmem__cpu *next;
	} sleep;
	struct task_struct *curr;	/* `current`: &task, or the kthread's own task (kthread.c) */
	struct task_struct task;	/* the thread's own; pid and comm name it in reports */
};
extern __thread struct ukmem__cpu ukmem__this_cpu __attribute__((tls_model("initial-exec")));
void ukmem__cpu_attach(void);
unsigned int ukmem__nr_cpus(void);	/* possible CPUs (nr_cpu_ids); final after start-up */
void ukmem__context_init(void);
/* fn delivers this thread's pending interrupts once it enables interrupts (irq_pending). */
void ukmem__context_irq_deliver_register(void (*fn)(void));
/* Work that interrupt context leaves for task context (the kernel's work items): a subsystem
 * registers its function at start-up; ukmem__task_work_run() runs them all when interrupt
 * context has just ended (after an interrupt's handlers, after a batch of RCU callbacks).
 * Each function checks cheaply whether it has anything to do. */
void ukmem__task_work_register(void (*fn)(void));
void ukmem__task_work_run(void);
static inline struct ukmem__cpu *ukmem__cpu(void)
{
	struct ukmem__cpu *c = &ukmem__this_cpu;

	if (unlikely(!c->attached))
		ukmem__cpu_attach();
	return c;
}

/* Take a raw spinlock (owner not set); a recursion report names it "what name" (context.c). */
void ukmem__raw_spin_wait(raw_spinlock_t *lock, const char *what, const char *name);
/* The kernel's DEBUG_PREEMPT checks (context.c WARNs): the preemption part of the count
 * nearing its 8 bits (UKMEM_PREEMPT_NEAR_OVERFLOW), more taken than was added
 * (UKMEM_PREEMPT_UNDERFLOW), or preemption bits taken when there are none: a borrow from
 * the softirq and hardirq bits would change the context for good (UKMEM_PREEMPT_BORROW).
 * A refused subtraction changes nothing. */
enum { UKMEM_PREEMPT_NEAR_OVERFLOW, UKMEM_PREEMPT_UNDERFLOW, UKMEM_PREEMPT_BORROW };
void ukmem__preempt_warn(int what);
/* 6.1's schedule_debug(): called by everything that sleeps through the scheduler (schedule,
 * msleep, usleep_range ...) before it sleeps.  With preemption off it reports "scheduling
 * while atomic"; either way the count is then 0 and interrupts are on, as the kernel's
 * __schedule() leaves them. */
void ukmem__schedule_debug(void);
/* schedule_timeout()'s time checks, shared with wait.c's sleeps: a negative timeout is 6.1's
 * "schedule_timeout: wrong timeout value" message and stack dump (the caller then does not
 * sleep and counts no time left); a timeout's length in nanoseconds, ~0ULL (no limit) for
 * MAX_SCHEDULE_TIMEOUT and for one too long to count in nanoseconds. */
void ukmem__bad_timeout(long timeout);
unsigned long long ukmem__timeout_ns(long timeout);
void ukmem__context_exit_checks(void);	/* ukmem_exit, a kthread's end: what the caller holds */
/* The wake-ups (sched.c).  A wait_event() sleeper is a task asleep on a wait queue: between
 * ukmem__task_wait_begin and _end its state is its macro's and a wake-up of the
 * task moves the queue's sequence on (ukmem__wq_kick, wait.c), so that the sleeper re-tests
 * its condition (kthread_stop() wakes a kthread waiting for kthread_should_stop()). */
int ukmem__try_to_wake_up(struct task_struct *p, unsigned int state);
void ukmem__task_wait_begin(struct wait_queue_head *wq, unsigned int state);
void ukmem__task_wait_end(struct wait_queue_head *wq);
void ukmem__wq_kick(struct wait_queue_head *wq);
/* The hung-task detector (hung_task.c): the slow path of every host sleep of a task (never a
 * fast path) is bracketed by these; @state is the task state it sleeps in. */
void ukmem__hung_sleep_begin(unsigned int state);
void ukmem__hung_sleep_end(void);
/* The sleeping locks a thread holds (lockdep's held-lock list, context.c): mutexes and
 * write-held rw_semaphores, each named by its @kind ("mutex", "rwsem") in the reports that
 * list them: a thread's exit with locks held, and lockdep's recursive-locking report, which
 * ukmem__lock_recursion prints (whatever the state of lock debugging) before it aborts. */
void ukmem__held_lock_add(struct ukmem__cpu *c, const void *lock, const char *kind,
			  unsigned long ip);
void ukmem__held_lock_del(struct ukmem__cpu *c, const void *lock);
/* Drop from c's list the mutexes other threads released for it (c's own thread only): every
 * reader of the list calls it first. */
void ukmem__held_locks_sync(struct ukmem__cpu *c);
__noreturn void ukmem__lock_recursion(struct ukmem__cpu *c, const void *lock, const char *kind,
				      unsigned long ip);

/* Raise c's preemption count by val; ip is named in "Preemption disabled at" when it was 0. */
static inline void ukmem__preempt_add(struct ukmem__cpu *c, int val, unsigned long ip)
{
	if (c->preempt_count == 0)
		c->preempt_disable_ip = ip;
	c->preempt_count += val;
	if (unlikely((c->preempt_count & PREEMPT_MASK) >= PREEMPT_MASK - 10))
		ukmem__preempt_warn(UKMEM_PREEMPT_NEAR_OVERFLOW);
}

static inline void ukmem__preempt_sub(struct ukmem__cpu *c, int val)
{
	if (unlikely(val > c->preempt_count)) {
		ukmem__preempt_warn(UKMEM_PREEMPT_UNDERFLOW);
		return;
	}
	if (unlikely(val < (int)PREEMPT_MASK &&
		     !(c->preempt_count & PREEMPT_MASK))) {
		ukmem__preempt_warn(UKMEM_PREEMPT_BORROW);
		return;
	}
	c->preempt_count -= val;
}

/* ---- console, reports, stacks ---- */
void ukmem__console_lock(void);
void ukmem__console_unlock(void);
int ukmem__vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ukmem__vprintk(const char *fmt, va_list ap);
const char *ukmem__gfp_names(gfp_t gfp, char *buf, size_t len);	/* "GFP_KERNEL|__GFP_ZERO" */
struct clk;
/* The clock core's name look-up, for printk's %pC (until registered %pC prints the address). */
void ukmem__printk_clk_name_register(const char *(*fn)(const struct clk *clk));

int ukmem__stack_save(unsigned long *pcs, int max, int skip);	/* the caller's stack, minus @skip frames */
int ukmem__stack_save_from(unsigned long *pcs, int max, unsigned long caller);
void ukmem__stack_print(const unsigned long *pcs, int n, const char *indent);
/* "Call Trace:" block of the caller's stack, leaving out the caller and @skip - 1 frames above
 * it: a noinline reporting helper passes 1 so the trace starts where the problem is. */
void ukmem__stack_dump(int skip);
int ukmem__symbolize(unsigned long pc, char *buf, size_t len);	/* "func+0x1/0x2 file.c:12" */
int ukmem__sym_name(unsigned long pc, char *buf, size_t len);	/* "func" */
/* A return address as 6.1's %pB: the symbol of pc - 1, the offset of pc */
int ukmem__symbolize_backtrace(unsigned long pc, char *buf, size_t len);

enum ukmem__report_kind { UKMEM_REPORT_BUG, UKMEM_REPORT_WARN, UKMEM_REPORT_LEAK };
void ukmem__report_begin(void);
void ukmem__report_end(enum ukmem__report_kind kind);
void ukmem__print_task_line(void);	/* "CPU: 0 PID: 12 Comm: test Not tainted ..." */
const char *ukmem__source_file(const char *file);	/* a report's name for __FILE__ */
/* The kernel's taint flags (include/linux/panic.h's numbers) and its lock-debugging switch
 * (debug_locks_off(): true once, for the call that turned it off). */
#define TAINT_BAD_PAGE			5
#define TAINT_WARN			9
#define UKMEM_TAINT_FLAGS_COUNT		19
void ukmem__add_taint(unsigned int flag, bool lockdep_unreliable);
const char *ukmem__print_tainted(void);		/* in a report: "Not tainted", "Tainted: G ..." */
bool ukmem__debug_locks_off(void);
bool ukmem__debug_locks(void);			/* lock debugging still on */
void ukmem__report_silent(void);		/* count a problem that is not printed */
/* A fault as the kernel's oops (oops.c); @describe adds what is known about the address. */
struct ukmem__fault;
void ukmem__oops_report(const struct ukmem__fault *f, unsigned long err,
			void (*describe)(const struct ukmem__fault *f));
/* printk_ratelimit for identical reports (same @kind, same call stack): false when this one
 * must not be printed (it is counted as a problem all the same). */
bool ukmem__report_ratelimit(const char *func, unsigned long kind);

/* ---- /proc-style reports ---- */
typedef int (*ukmem__show_fn)(FILE *out, const char *arg);
void ukmem__show_register(const char *name, ukmem__show_fn fn);	/* "name" or "prefix:" */
/* Run by ukmem_exit, last registered first.  A hook checks and reports; it must leave its
 * subsystem working, as calls after ukmem_exit keep working (docs/usage.md). */
void ukmem__on_exit(void (*fn)(void));

/* ---- initcalls: how a subsystem joins start-up without core naming it ----
 * UKMEM_INITCALL(level, fn) in a subsystem's file puts fn in the "ukmem_initcalls" section;
 * ukmem_init runs them by level (then link order) after the context model is up, and stops
 * at the first error.  An init function registers the subsystem's shut-down (ukmem__on_exit),
 * reports (ukmem__show_register) and hooks with core.  Write it at the start of a line: the
 * build lists every UKMEM_INITCALL line in ukmem__subsystems (cmake/subsystems.cmake), which
 * start-up references, so that a static link pulls in every subsystem, whichever the
 * program's own calls reach (a program that calls only ukmem_init and ukmem_show gets every
 * report). */
enum ukmem__init_level {
	UKMEM_INIT_PARAMS = 5,		/* module parameters of linked code (checks values only:
					 * it runs before the context model and may not allocate,
					 * as the kernel's parse_args runs before mm_init) */
	UKMEM_INIT_MM = 10,		/* simulated RAM, the buddy allocator, the resource tree */
	UKMEM_INIT_MM_LATE = 20,	/* memory reports */
	UKMEM_INIT_SLAB = 30,
	UKMEM_INIT_VMALLOC = 40,
	UKMEM_INIT_SUBSYS = 50,		/* device model, io, irq, dma, per-CPU, debug */
	UKMEM_INIT_DEVICE = 60,		/* things that need the subsystems: emulated cores */
	UKMEM_INIT_LATE = 70,
};
struct ukmem__initcall {
	int level;
	int (*fn)(void);
	const char *name;
};
#define UKMEM_INITCALL(lvl, func)						\
	const struct ukmem__initcall ukmem__initcall_##func			\
	__attribute__((used, section("ukmem_initcalls"), aligned(sizeof(void *)))) =	\
	{ .level = (lvl), .fn = (func), .name = #func }
/* Every UKMEM_INITCALL of the build (generated), NULL-terminated. */
extern const struct ukmem__initcall *const ukmem__subsystems[];

#pragma GCC visibility pop
#endif
