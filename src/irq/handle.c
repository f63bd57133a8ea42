/* SPDX-License-Identifier: MIT */
/*
 * Delivering an interrupt (kernel/irq/handle.c, chip.c, spurious.c): ukmem_irq_raise() runs
 * a line's primary handlers on the raising thread in hard-irq context (HARDIRQ_OFFSET in the
 * preemption count, interrupts disabled), wakes threaded handlers, and counts the kernel's
 * "nobody cared" for a line whose handlers keep answering IRQ_NONE.  Also the subsystem's
 * state, start-up, and the "interrupts" report.
 *
 * Per-thread state (irq_tls): the lines whose handlers this thread is running (to refuse a
 * wait on itself) and the interrupts raised while it had interrupts disabled.
 * Locking: see irq.h.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/interrupt.h>
#include <ukmem.h>
#include "core/core.h"
#include "mm/mm.h"
#include "platform/platform.h"
#include "irq/irq.h"
#include "base/base.h"
#include "debug/kmemleak.h"

#define BAD_IRQ_REPORTS	100	/* spurious.c's report_bad_irq: this many, then none */
#define DESC_INIT \
	{ .lock = PTHREAD_MUTEX_INITIALIZER, .idle = PTHREAD_COND_INITIALIZER, .depth = 1 }

/* The subsystem's state lives beside its initcall. */
struct ukmem__irq ukmem__irq = {
	.desc = { [0 ... NR_IRQS - 1] = DESC_INIT },
	.bad_irq_reports = BAD_IRQ_REPORTS,
};

#define IRQ_TLS_DEPTH	8
#define IRQ_TLS_PENDING	32
static __thread struct {
	unsigned int handling[IRQ_TLS_DEPTH];
	int nr_handling;
	unsigned int pending[IRQ_TLS_PENDING];	/* in the order raised */
	int nr_pending;
	/* More lines than that: a latch per line, delivered after the others. */
	unsigned long overflow[NR_IRQS / (8 * sizeof(unsigned long))];
	bool has_overflow;
} irq_tls __attribute__((tls_model("initial-exec")));

#define OVF_BITS	(8 * sizeof(unsigned long))

#define SPURIOUS_WINDOW		100000	/* interrupts per verdict, as the kernel */
#define SPURIOUS_LIMIT		99900
#define UNHANDLED_RESET_NS	100000000ULL	/* HZ/10 */

/**
 * ukmem__irq_default_primary - the primary handler of a request with handler == NULL
 */
irqreturn_t ukmem__irq_default_primary(int irq, void *dev_id)
{
	(void)irq, (void)dev_id;
	return IRQ_WAKE_THREAD;
}

bool ukmem__irq_handling(unsigned int irq)
{
	for (int i = 0; i < irq_tls.nr_handling; i++)
		if (irq_tls.handling[i] == irq)
			return true;
	return false;
}

static void print_handlers(struct ukmem__irq_desc *d)
{
	printk(KERN_ERR "handlers:\n");
	for (struct ukmem__irqaction *a = d->action; a; a = a->next) {
		printk(KERN_ERR "[<%p>] %ps", (void *)a->handler, (void *)a->handler);
		if (a->thread_fn)
			printk(KERN_CONT " threaded [<%p>] %ps", (void *)a->thread_fn,
			       (void *)a->thread_fn);
		printk(KERN_CONT "\n");
	}
}

/* spurious.c's report (desc->lock held); for "nobody cared" the caller disables the line. */
static noinline void report_bad_irq(struct ukmem__irq_desc *d, unsigned int irq,
				    irqreturn_t ret, bool nobody)
{
	ukmem__report_begin();
	if (nobody)
		printk(KERN_ERR "irq %u: nobody cared (try booting with the \"irqpoll\" option)\n",
		       irq);
	else
		printk(KERN_ERR "irq event %u: bogus return value %x\n", irq, ret);
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	print_handlers(d);
	if (nobody)
		printk(KERN_EMERG "Disabling IRQ #%u\n", irq);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

/* A pass whose handlers answered more than IRQ_HANDLED | IRQ_WAKE_THREAD: reported (the
 * first BAD_IRQ_REPORTS times, all lines together) and not counted, as 6.1's. */
static noinline void bad_return(struct ukmem__irq_desc *d, unsigned int irq, irqreturn_t ret)
{
	if (__atomic_sub_fetch(&ukmem__irq.bad_irq_reports, 1, __ATOMIC_RELAXED) >= 0)
		report_bad_irq(d, irq, ret, false);
	else
		ukmem__report_silent();		/* printed no more, still a problem */
}

/* spurious.c's note_interrupt (desc->lock held): only interrupts since the first unhandled
 * one of a run count toward the verdict. */
static void note_interrupt(struct ukmem__irq_desc *d, unsigned int irq, irqreturn_t ret)
{
	if (unlikely((unsigned int)ret > (IRQ_HANDLED | IRQ_WAKE_THREAD))) {
		bad_return(d, irq, ret);
		return;
	}
	if (ret == IRQ_NONE) {
		unsigned long long now = ukmem__os_now_ns();

		if (now - d->last_unhandled_ns > UNHANDLED_RESET_NS)
			d->irqs_unhandled = 1;
		else
			d->irqs_unhandled++;
		d->last_unhandled_ns = now;
	}
	if (!d->irqs_unhandled)
		return;
	if (++d->irq_count < SPURIOUS_WINDOW)
		return;
	d->irq_count = 0;
	if (d->irqs_unhandled > SPURIOUS_LIMIT) {
		report_bad_irq(d, irq, ret, true);
		d->depth++;		/* disabled until someone enables it */
		d->spurious_disabled = true;
	}
	d->irqs_unhandled = 0;
}

static noinline void warn_no_thread(struct ukmem__irqaction *a)
{
	if (__atomic_exchange_n(&a->warned, true, __ATOMIC_RELAXED))
		return;
	printk(KERN_WARNING "IRQ %u device %s returned IRQ_WAKE_THREAD but no thread function "
	       "available.", a->irq, a->name);
}

/* One pass over the handlers (a snapshot), in hard-irq context. */
static irqreturn_t run_handlers(struct ukmem__irq_desc *d, unsigned int irq,
				struct ukmem__irqaction **acts, int n)
{
	struct ukmem__cpu *c = ukmem__cpu();
	irqreturn_t retval = IRQ_NONE;

	for (int i = 0; i < n; i++) {
		struct ukmem__irqaction *a = acts[i];
		irqreturn_t res;

		if (__atomic_load_n(&a->removed, __ATOMIC_ACQUIRE))
			continue;	/* freed by an earlier handler of this pass */
		res = a->handler((int)irq, a->dev_id);

		if (unlikely(!c->irqs_disabled)) {
			WARN_ONCE(1, "irq %u handler %pS enabled interrupts\n", irq,
				  (void *)a->handler);
			c->irqs_disabled = true;
		}
		if (res == IRQ_WAKE_THREAD) {
			if (!a->thread_fn) {
				warn_no_thread(a);
			} else {
				pthread_mutex_lock(&d->lock);
				ukmem__irq_wake_thread_locked(d, a);
				pthread_mutex_unlock(&d->lock);
			}
		}
		retval |= res;
	}
	return retval;
}

/* The line's handlers for one pass (desc->lock held): into @stack when they fit, else into
 * memory of their own (*heap, freed by the caller); 0 with none, or no memory for them. */
static int snapshot_locked(struct ukmem__irq_desc *d, struct ukmem__irqaction **stack,
			   struct ukmem__irqaction ***heap)
{
	struct ukmem__irqaction **acts = stack;
	int n = 0, total = 0;

	*heap = NULL;
	for (struct ukmem__irqaction *a = d->action; a; a = a->next)
		total++;
	if (total > UKMEM_IRQ_SNAPSHOT) {
		acts = *heap = malloc(total * sizeof(*acts));
		if (!acts)
			return 0;
	}
	for (struct ukmem__irqaction *a = d->action; a; a = a->next)
		acts[n++] = a;
	return n;
}

static noinline int no_handler(struct ukmem__irq_desc *d, unsigned int irq)
{
	bool first = !d->bad_warned;

	d->bad_warned = true;
	pthread_mutex_unlock(&d->lock);
	if (first)
		printk(KERN_CRIT "unexpected IRQ trap at vector %02x (irq %u has no handler)\n",
		       irq, irq);
	return -ENOENT;
}

/**
 * ukmem__irq_handle - deliver interrupt irq on this thread, now
 *
 * Return: 0 (delivered, or left pending on a disabled, masked or busy line), -ENOENT when
 * no handler is requested on the line.
 */
int ukmem__irq_handle(unsigned int irq)
{
	struct ukmem__irq_desc *d = &ukmem__irq.desc[irq];
	struct ukmem__irqaction *stack[UKMEM_IRQ_SNAPSHOT], **heap, *grave;
	unsigned long flags;
	irqreturn_t ret;
	int n;

	pthread_mutex_lock(&d->lock);
	if (!d->action)
		return no_handler(d, irq);
	if (d->depth || d->masked || d->in_progress) {
		d->pending = true;
		pthread_mutex_unlock(&d->lock);
		return 0;
	}
	d->in_progress = true;
	local_irq_save(flags);
	preempt_count_add(HARDIRQ_OFFSET);
	if (ALWAYS(irq_tls.nr_handling < IRQ_TLS_DEPTH))
		irq_tls.handling[irq_tls.nr_handling] = irq;
	irq_tls.nr_handling++;
	do {
		d->pending = false;
		d->count++;
		n = snapshot_locked(d, stack, &heap);
		pthread_mutex_unlock(&d->lock);
		ret = run_handlers(d, irq, heap ? heap : stack, n);
		free(heap);
		pthread_mutex_lock(&d->lock);
		note_interrupt(d, irq, ret);
	} while (d->pending && d->action && !d->depth && !d->masked);
	d->in_progress = false;
	grave = d->graveyard;
	d->graveyard = NULL;
	pthread_cond_broadcast(&d->idle);
	pthread_mutex_unlock(&d->lock);
	while (grave) {		/* no pass reaches them any more */
		struct ukmem__irqaction *next = grave->grave_next;

		free(grave);
		grave = next;
	}
	irq_tls.nr_handling--;
	preempt_count_sub(HARDIRQ_OFFSET);
	local_irq_restore(flags);
	ukmem__task_work_run();		/* what the handlers deferred (vfree), as a work item */
	return 0;
}

/* Interrupts raised while this thread had interrupts disabled: it just enabled them. */
static void deliver_pending(void)
{
	struct ukmem__cpu *c = ukmem__cpu();

	c->irq_pending = false;
	while (irq_tls.nr_pending && !c->irqs_disabled) {
		unsigned int irq = irq_tls.pending[0];

		irq_tls.nr_pending--;
		memmove(irq_tls.pending, irq_tls.pending + 1,
			irq_tls.nr_pending * sizeof(irq_tls.pending[0]));
		ukmem__irq_handle(irq);
	}
	while (irq_tls.has_overflow && !irq_tls.nr_pending && !c->irqs_disabled) {
		unsigned int irq = NR_IRQS;

		for (unsigned int w = 0; w < ARRAY_SIZE(irq_tls.overflow) && irq == NR_IRQS; w++)
			if (irq_tls.overflow[w])
				irq = w * OVF_BITS + __builtin_ctzl(irq_tls.overflow[w]);
		if (irq == NR_IRQS) {
			irq_tls.has_overflow = false;
			break;
		}
		irq_tls.overflow[irq / OVF_BITS] &= ~(1UL << (irq % OVF_BITS));
		ukmem__irq_handle(irq);
	}
	c->irq_pending = irq_tls.nr_pending != 0 || irq_tls.has_overflow;
}

static void defer(struct ukmem__cpu *c, unsigned int irq)
{
	for (int i = 0; i < irq_tls.nr_pending; i++)
		if (irq_tls.pending[i] == irq)
			return;		/* one pending edge per line, as a latch */
	if (irq_tls.nr_pending < IRQ_TLS_PENDING && !irq_tls.has_overflow) {
		irq_tls.pending[irq_tls.nr_pending++] = irq;
	} else {	/* more lines than the list holds: a latch each, delivered after it */
		irq_tls.overflow[irq / OVF_BITS] |= 1UL << (irq % OVF_BITS);
		irq_tls.has_overflow = true;
	}
	c->irq_pending = true;
}

/**
 * ukmem_irq_raise - the device side: assert interrupt line irq
 *
 * The primary handlers run now, on this thread, in hard-irq context; threaded handlers are
 * woken.  On a thread with interrupts disabled (spin_lock_irqsave, local_irq_save, or inside
 * a handler) the interrupt waits until the thread enables them; on a disabled or busy line
 * it waits until the line is enabled or free.
 * Return: 0; -EINVAL for irq >= NR_IRQS; -ENOENT when no handler is requested on the line.
 */
int ukmem_irq_raise(unsigned int irq)
{
	struct ukmem__cpu *c;

	ukmem__ensure_started();
	if (irq >= NR_IRQS)
		return -EINVAL;
	c = ukmem__cpu();
	if (c->irqs_disabled) {
		defer(c, irq);
		return 0;
	}
	return ukmem__irq_handle(irq);
}

/**
 * kstat_irqs_usr - interrupts delivered on line irq so far
 */
unsigned int kstat_irqs_usr(unsigned int irq)
{
	unsigned long n = 0;

	if (irq < NR_IRQS) {
		pthread_mutex_lock(&ukmem__irq.desc[irq].lock);
		n = ukmem__irq.desc[irq].count;
		pthread_mutex_unlock(&ukmem__irq.desc[irq].lock);
	}
	return (unsigned int)n;
}

/* ukmem_show("interrupts"): /proc/interrupts, one column of counts (all CPUs together). */
static int show_interrupts(FILE *out, const char *arg)
{
	(void)arg;
	fprintf(out, "%*s%-10s\n", 5, "", "CPUs");
	for (unsigned int irq = 0; irq < NR_IRQS; irq++) {
		struct ukmem__irq_desc *d = &ukmem__irq.desc[irq];

		pthread_mutex_lock(&d->lock);
		if (d->action) {
			fprintf(out, "%4u: %10lu  ukmem-irq  ", irq, d->count);
			for (struct ukmem__irqaction *a = d->action; a; a = a->next)
				fprintf(out, "%s%s", a->name, a->next ? ", " : "\n");
		}
		pthread_mutex_unlock(&d->lock);
	}
	return 0;
}

/* At exit: a line still requested is a handler nobody freed.  Counted once: kmemleak's
 * exit report leaves the action out, and a fail sweep that reported it already counted it. */
static void irq_exit(void)
{
	for (unsigned int irq = 0; irq < NR_IRQS; irq++) {
		struct ukmem__irq_desc *d = &ukmem__irq.desc[irq];

		pthread_mutex_lock(&d->lock);
		for (struct ukmem__irqaction *a = d->action; a; a = a->next) {
			if (ukmem__leak_reported(a, UKMEM_LEAK_IRQ))
				continue;
			ukmem__report_begin();
			printk(KERN_ERR "irq %u: handler %ps of %s was never freed (free_irq)\n",
			       irq, (void *)a->handler, a->name);
			ukmem__report_end(UKMEM_REPORT_LEAK);
		}
		pthread_mutex_unlock(&d->lock);
	}
}

/* ---- fork ----
 * The child has only the forking thread: the irq threads must be made again, and whatever
 * other threads were doing with a line (a primary handler, a thread_fn) never finishes there.
 * The locks of lines ever requested are held across the fork (after io.lock: see irq_init's
 * level); those of lines never requested guard nothing but two flags and are made new in the
 * child (holding all 1024 would also exceed ThreadSanitizer's limit on held locks). */
static void irq_fork_lock(void)
{
	for (unsigned int irq = 0; irq < NR_IRQS; irq++) {
		struct ukmem__irq_desc *d = &ukmem__irq.desc[irq];

		d->fork_locked = __atomic_load_n(&d->used, __ATOMIC_ACQUIRE);
		if (d->fork_locked)
			pthread_mutex_lock(&d->lock);
	}
}

static void irq_fork_unlock(void)
{
	for (unsigned int irq = NR_IRQS; irq-- > 0;)
		if (ukmem__irq.desc[irq].fork_locked)
			pthread_mutex_unlock(&ukmem__irq.desc[irq].lock);
}

static void irq_fork_child(int ram_fd)
{
	(void)ram_fd;
	for (unsigned int irq = 0; irq < NR_IRQS; irq++) {
		struct ukmem__irq_desc *d = &ukmem__irq.desc[irq];

		if (!d->fork_locked) {
			pthread_mutex_init(&d->lock, NULL);
			pthread_cond_init(&d->idle, NULL);
			continue;
		}
		if (!d->action)
			continue;
		pthread_cond_init(&d->idle, NULL);
		if (d->in_progress && !ukmem__irq_handling(irq))
			d->in_progress = false;
		d->threads_active = 0;
		for (struct ukmem__irqaction *a = d->action; a; a = a->next)
			if (a->runthread)
				d->threads_active++;	/* the new thread runs it */
		if (!d->threads_active)
			d->masked = false;
		ukmem__irq_fork_threads_locked(d);
	}
}

/* A platform IRQ resource's trigger bits become the line's type (6.1's
 * irqd_set_trigger_type from platform_get_irq_optional). */
static int set_trigger(unsigned int irq, unsigned long type)
{
	struct ukmem__irq_desc *d;

	if (irq >= NR_IRQS)
		return -EINVAL;
	d = &ukmem__irq.desc[irq];
	pthread_mutex_lock(&d->lock);
	d->trigger = type & IRQF_TRIGGER_MASK;
	d->trigger_set = true;
	pthread_mutex_unlock(&d->lock);
	return 0;
}

static int irq_init(void)
{
	ukmem__platform_irq_trigger_register(set_trigger);
	ukmem__context_irq_deliver_register(deliver_pending);
	ukmem__mm_on_fork(irq_fork_lock, irq_fork_unlock, irq_fork_child);
	ukmem__show_register("interrupts", show_interrupts);
	ukmem__on_exit(irq_exit);
	return 0;
}
/* One level after io's start-up: fork hooks run in that order, so fork takes io.lock (which
 * device callbacks hold while they raise interrupts) before the line locks. */
UKMEM_INITCALL(UKMEM_INIT_SUBSYS + 1, irq_init);
