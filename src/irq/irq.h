/* SPDX-License-Identifier: MIT */
/*
 * Interrupt internals: one descriptor per line, the actions (handlers) requested on it, and
 * the irq threads of threaded handlers.
 *
 * A line's life: never requested or all handlers freed: depth 1 ("shut down"); the first
 * request_irq starts it (depth 0, or 1 with IRQF_NO_AUTOEN); disable_irq/enable_irq nest
 * through depth.  An interrupt raised while the line is disabled, masked (IRQF_ONESHOT with
 * its thread running) or already being handled is remembered (pending) and delivered when
 * that ends, as a resent edge; one raised on a thread that has interrupts disabled waits for
 * the thread to enable them.  A line's handlers never run on two threads at once.
 *
 * Invariants (under desc->lock): threads_active counts actions whose thread was woken and has
 * not finished; in_progress is set while one thread runs the primary handlers; the action
 * list changes only under the lock, and an action is freed only after the line was
 * synchronized and its thread stopped, so handlers run from a snapshot of the list.
 *
 * Locking: desc->lock per line, taken with nothing else held but the console after it.
 * Handlers run without it.
 */
#ifndef UKMEM_IRQ_INTERNAL_H
#define UKMEM_IRQ_INTERNAL_H
#include <pthread.h>
#include <linux/interrupt.h>

#pragma GCC visibility push(hidden)

#define UKMEM_IRQ_SNAPSHOT	32	/* handlers copied on the stack; more go to the heap */

/* sizeof(struct irqaction) in 6.1 on 64-bit (13 words, cache-line aligned): what its
 * request_threaded_irq kzallocs, so the size failslab and kmemleak are told. */
#define UKMEM_IRQACTION_SIZE	128

struct ukmem__irqaction {
	irq_handler_t handler, thread_fn;
	void *dev_id;
	const char *name;
	unsigned long flags;
	unsigned int irq;
	struct ukmem__irqaction *next;
	pthread_t thread;
	bool has_thread;
	bool runthread, stop;		/* under desc->lock */
	bool removed;			/* free_irq took it off the line (atomic) */
	bool self_freed;		/* freed from its own thread_fn: the thread frees it */
	bool warned;			/* IRQ_WAKE_THREAD without a thread_fn */
	struct ukmem__irqaction *grave_next;	/* on desc->graveyard */
	pthread_cond_t wake;
};

struct ukmem__irq_desc {
	pthread_mutex_t lock;
	pthread_cond_t idle;		/* in_progress or threads_active dropped */
	struct ukmem__irqaction *action;
	/* Actions free_irq took off the line from one of its own handlers, while the pass over
	 * the handlers may still reach them: freed when that pass ends. */
	struct ukmem__irqaction *graveyard;
	unsigned int depth;
	unsigned long trigger;		/* the line's IRQF_TRIGGER_* once someone set one */
	bool trigger_set;
	bool in_progress, pending, masked;
	bool bad_warned;		/* "unexpected IRQ trap" given */
	bool spurious_disabled;		/* "nobody cared" disabled it (IRQS_SPURIOUS_DISABLED) */
	bool used;			/* ever requested (atomic; set once) */
	bool fork_locked;		/* held across the fork in progress */
	int threads_active;
	unsigned int wake_depth;
	unsigned long count;		/* interrupts delivered to handlers */
	unsigned int irq_count, irqs_unhandled;
	unsigned long long last_unhandled_ns;
};

struct ukmem__irq {
	struct ukmem__irq_desc desc[NR_IRQS];
	int bad_irq_reports;		/* bogus-return reports left, all lines (atomic) */
};
extern struct ukmem__irq ukmem__irq;

/* handle.c */
int ukmem__irq_handle(unsigned int irq);	/* deliver now on this thread */
bool ukmem__irq_handling(unsigned int irq);	/* this thread runs irq's primary handlers */
irqreturn_t ukmem__irq_default_primary(int irq, void *dev_id);

/* manage.c */
void ukmem__irq_wake_thread_locked(struct ukmem__irq_desc *d, struct ukmem__irqaction *a);
void ukmem__irq_fork_threads_locked(struct ukmem__irq_desc *d);	/* fork child */

#pragma GCC visibility pop
#endif
