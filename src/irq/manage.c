/* SPDX-License-Identifier: MIT */
/*
 * Requesting and freeing interrupt handlers, enabling and disabling lines, waiting for
 * handlers, and the irq threads of threaded handlers (kernel/irq/manage.c).
 *
 * An irq thread ("irq/N-name") sleeps until its primary handler returns IRQ_WAKE_THREAD,
 * then runs thread_fn in task context.  With IRQF_ONESHOT the line stays masked until
 * thread_fn returns; an interrupt raised meanwhile is delivered then, on the irq thread.
 * Locking: see irq.h.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/sched.h>
#include <ukmem.h>
#include "core/core.h"
#include "debug/fault.h"
#include "debug/kmemleak.h"
#include "irq/irq.h"

#define DESC(irq)	(&ukmem__irq.desc[irq])

/* The irq thread this thread is, if any (to refuse a wait on itself). */
static __thread struct ukmem__irqaction *irq_thread_self;

/**
 * ukmem__irq_wake_thread_locked - wake a's thread (desc->lock held)
 */
void ukmem__irq_wake_thread_locked(struct ukmem__irq_desc *d, struct ukmem__irqaction *a)
{
	if (a->stop)
		return;
	if (!a->runthread) {
		a->runthread = true;
		d->threads_active++;
	}
	if (a->flags & IRQF_ONESHOT)
		d->masked = true;
	pthread_cond_signal(&a->wake);
}

static void thread_done_locked(struct ukmem__irq_desc *d, struct ukmem__irqaction *a,
			       bool *replay)
{
	d->threads_active--;
	if ((a->flags & IRQF_ONESHOT) && !d->threads_active && d->masked) {
		d->masked = false;
		*replay = d->pending && !d->depth && !d->in_progress;
	}
	pthread_cond_broadcast(&d->idle);
}

/* The action's own thread ends (desc->lock held, dropped here).  An action its thread_fn
 * freed (free_irq from the thread itself) is freed now: nothing else names it any more, and
 * a wake-up that came after the free is dropped rather than run on a freed handler. */
static void thread_exit_locked(struct ukmem__irq_desc *d, struct ukmem__irqaction *a)
{
	bool self_freed = a->self_freed, replay = false;
	unsigned int irq = a->irq;

	if (self_freed && a->runthread) {
		a->runthread = false;
		thread_done_locked(d, a, &replay);
	}
	pthread_mutex_unlock(&d->lock);
	if (!self_freed)
		return;
	pthread_cond_destroy(&a->wake);
	free(a);
	if (replay)
		ukmem_irq_raise(irq);	/* the edge that came while masked, for the others */
}

static void *irq_thread(void *arg)
{
	struct ukmem__irqaction *a = arg;
	struct ukmem__irq_desc *d = DESC(a->irq);
	char name[16];

	snprintf(name, sizeof(name), "irq/%u-%s", a->irq, a->name);
	pthread_setname_np(pthread_self(), name);
	irq_thread_self = a;
	pthread_mutex_lock(&d->lock);
	for (;;) {
		bool replay = false;

		while (!a->runthread && !a->stop)
			pthread_cond_wait(&a->wake, &d->lock);
		if (!a->runthread || a->self_freed)
			break;
		a->runthread = false;
		pthread_mutex_unlock(&d->lock);
		a->thread_fn((int)a->irq, a->dev_id);
		pthread_mutex_lock(&d->lock);
		thread_done_locked(d, a, &replay);
		if (replay) {
			pthread_mutex_unlock(&d->lock);
			ukmem_irq_raise(a->irq);	/* the edge that came while masked */
			pthread_mutex_lock(&d->lock);
		}
	}
	thread_exit_locked(d, a);
	return NULL;
}

static int start_thread(struct ukmem__irqaction *a)
{
	pthread_cond_init(&a->wake, NULL);
	if (!a->thread_fn)
		return 0;
	if (pthread_create(&a->thread, NULL, irq_thread, a))
		return -ENOMEM;
	a->has_thread = true;
	return 0;
}

/**
 * ukmem__irq_fork_threads_locked - in a forked child, give each threaded handler its thread
 *
 * The parent's threads do not exist in the child; their pthread_t values mean nothing there.
 * A handler whose thread cannot be made loses its thread (and warns): its line then never
 * runs the thread function.
 */
void ukmem__irq_fork_threads_locked(struct ukmem__irq_desc *d)
{
	for (struct ukmem__irqaction *a = d->action; a; a = a->next) {
		if (!a->has_thread)
			continue;
		pthread_cond_init(&a->wake, NULL);
		a->stop = false;
		if (pthread_create(&a->thread, NULL, irq_thread, a)) {
			a->has_thread = false;
			pr_warn("irq %u: fork: cannot start the thread of %s\n", a->irq, a->name);
		}
	}
}

static void stop_thread(struct ukmem__irqaction *a)
{
	struct ukmem__irq_desc *d = DESC(a->irq);

	if (!a->has_thread)
		return;
	pthread_mutex_lock(&d->lock);
	a->stop = true;
	a->self_freed = irq_thread_self == a;
	pthread_cond_signal(&a->wake);
	pthread_mutex_unlock(&d->lock);
	if (a->self_freed)
		pthread_detach(a->thread);	/* it frees a when its thread_fn returns */
	else
		pthread_join(a->thread, NULL);
}

/* 6.1's __setup_irq on a line that has handlers (desc->lock held): both must share, agree
 * on IRQF_ONESHOT, IRQF_PERCPU and the trigger type, which is the line's once someone gave
 * one (a requester that gives none inherits it; the first to give one sets it). */
static bool flags_compatible(struct ukmem__irq_desc *d, const struct ukmem__irqaction *old,
			     unsigned long flags)
{
	unsigned long oldtype = d->trigger_set ? d->trigger : flags & IRQF_TRIGGER_MASK;

	if (!d->trigger_set) {
		d->trigger = oldtype;
		d->trigger_set = true;
	}
	return (old->flags & flags & IRQF_SHARED) && oldtype == (flags & IRQF_TRIGGER_MASK) &&
	       !((old->flags ^ flags) & (IRQF_ONESHOT | IRQF_PERCPU));
}

/* The line's IRQF_ONESHOT handlers (desc->lock held): 6.1 gives each a bit of an unsigned
 * long, so a line holds at most BITS_PER_LONG of them. */
static int oneshot_count_locked(struct ukmem__irq_desc *d)
{
	int n = 0;

	for (struct ukmem__irqaction *a = d->action; a; a = a->next)
		n += !!(a->flags & IRQF_ONESHOT);
	return n;
}

/* 6.1's irq_pm_install_action (desc->lock held, the new action on the line): either every
 * handler of a line asks for IRQF_FORCE_RESUME or none does, and one that asks for
 * IRQF_NO_SUSPEND needs every other to ask for it or for IRQF_COND_SUSPEND.  Returns which
 * of the two rules the line breaks: bit 0 the first, bit 1 the second. */
static int pm_rules_broken_locked(struct ukmem__irq_desc *d)
{
	int nr = 0, force = 0, nosusp = 0, cond = 0;

	for (struct ukmem__irqaction *a = d->action; a; a = a->next) {
		nr++;
		force += !!(a->flags & IRQF_FORCE_RESUME);
		if (a->flags & IRQF_NO_SUSPEND)
			nosusp++;
		else if (a->flags & IRQF_COND_SUSPEND)
			cond++;
	}
	return (force && force != nr) | ((nosusp && nosusp + cond != nr) << 1);
}

/* 6.1's __setup_irq checks of a new action against its line, in its order (desc->lock
 * held): sharing flags, a bit for an IRQF_ONESHOT handler, IRQF_ONESHOT for handler NULL.
 * Return: 0, -EBUSY or -EINVAL, with 6.1's message. */
static int setup_check_locked(struct ukmem__irq_desc *d, const struct ukmem__irqaction *a)
{
	struct ukmem__irqaction *old = d->action;

	if (old && !flags_compatible(d, old, a->flags)) {
		if (!(a->flags & IRQF_PROBE_SHARED))
			pr_err("Flags mismatch irq %u. %08lx (%s) vs. %08lx (%s)\n", a->irq,
			       a->flags, a->name, old->flags, old->name);
		return -EBUSY;
	}
	if (a->flags & IRQF_ONESHOT)	/* 6.1's thread_mask may have no bit left */
		return oneshot_count_locked(d) >= BITS_PER_LONG ? -EBUSY : 0;
	if (a->handler == ukmem__irq_default_primary) {
		pr_err("Threaded irq requested with handler=NULL and !ONESHOT for %s (irq %u)\n",
		       a->name, a->irq);
		return -EINVAL;
	}
	return 0;
}

/**
 * request_threaded_irq - install a handler (and optionally a thread) on a line
 * @irq: the line (0 .. NR_IRQS - 1)
 * @handler: primary handler, hard-irq context; NULL means "wake the thread" (needs
 *           IRQF_ONESHOT)
 * @thread_fn: run on the line's irq thread when @handler returns IRQ_WAKE_THREAD, or NULL
 * @flags: IRQF_*; IRQF_SHARED lines need every requester to agree and a non-NULL @dev
 * @name: shown in reports and the "interrupts" report (not copied)
 * @dev: cookie passed to the handlers; identifies the handler to free_irq()
 *
 * As 6.1's __setup_irq, a new handler restarts the line's "nobody cared" count, and one
 * that joins a shared line that "nobody cared" disabled enables it again; sharers that mix
 * IRQF_NO_SUSPEND (or IRQF_FORCE_RESUME) with handlers without it get 6.1's WARN_ON_ONCE.
 *
 * Return: 0, -ENOTCONN (IRQ_NOTCONNECTED), -EINVAL (bad line, no handler, shared without
 * @dev or with IRQF_NO_AUTOEN, IRQF_COND_SUSPEND unshared or with IRQF_NO_SUSPEND, NULL
 * handler without IRQF_ONESHOT), -EBUSY (line taken, flags mismatch, an IRQF_ONESHOT
 * sharer beyond 6.1's BITS_PER_LONG), -ENOMEM.
 */
int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn,
			 unsigned long flags, const char *name, void *dev)
{
	struct ukmem__irq_desc *d;
	struct ukmem__irqaction *a, **pp;
	bool reenable = false;
	int pm, err;

	might_sleep();
	ukmem__ensure_started();
	if (irq == IRQ_NOTCONNECTED)
		return -ENOTCONN;
	/* 6.1's sanity checks: a shared line needs a cookie and must not start disabled;
	 * IRQF_COND_SUSPEND is for shared lines only, and never with IRQF_NO_SUSPEND */
	if (irq >= NR_IRQS || ((flags & IRQF_SHARED) && !dev) ||
	    ((flags & IRQF_SHARED) && (flags & IRQF_NO_AUTOEN)) ||
	    (!(flags & IRQF_SHARED) && (flags & IRQF_COND_SUSPEND)) ||
	    ((flags & IRQF_NO_SUSPEND) && (flags & IRQF_COND_SUSPEND)))
		return -EINVAL;
	if (!handler) {
		if (!thread_fn)
			return -EINVAL;
		handler = ukmem__irq_default_primary;
	}
	/* 6.1's action is a kzalloc(GFP_KERNEL) here: a failslab point of its size */
	if (ukmem__debug_hooked() &&
	    ukmem__should_fail(UKMEM_FAULT_OTHER, GFP_KERNEL, UKMEM_IRQACTION_SIZE))
		return -ENOMEM;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	*a = (struct ukmem__irqaction){ .handler = handler, .thread_fn = thread_fn, .dev_id = dev,
					.name = name, .flags = flags, .irq = irq };
	if (start_thread(a)) {
		free(a);
		return -ENOMEM;
	}
	d = DESC(irq);
	pthread_mutex_lock(&d->lock);
	if (!(flags & IRQF_TRIGGER_MASK))	/* none given: the line's */
		a->flags = flags |= d->trigger;
	err = setup_check_locked(d, a);
	if (err) {
		pthread_mutex_unlock(&d->lock);
		stop_thread(a);
		free(a);
		return err;
	}
	__atomic_store_n(&d->used, true, __ATOMIC_RELEASE);
	if (!d->action && (flags & IRQF_TRIGGER_MASK)) {
		d->trigger = flags & IRQF_TRIGGER_MASK;
		d->trigger_set = true;
	}
	if (!d->action) {
		d->depth = (flags & IRQF_NO_AUTOEN) ? 1 : 0;
		d->masked = d->pending = false;
		d->spurious_disabled = false;
	} else if (d->spurious_disabled) {
		d->spurious_disabled = false;	/* a new sharer: the line gets another chance */
		reenable = true;
	}
	d->irq_count = d->irqs_unhandled = 0;	/* every new handler restarts "nobody cared" */
	/* kmemleak (and a fail sweep's run) knows the handler until free_irq: 6.1's action
	 * is a kmalloc object.  A host address as the key, never read. */
	ukmem__leak_track(a, UKMEM_IRQACTION_SIZE, UKMEM_LEAK_IRQ, _RET_IP_);
	for (pp = &d->action; *pp; pp = &(*pp)->next)
		;
	*pp = a;
	pm = pm_rules_broken_locked(d);
	pthread_mutex_unlock(&d->lock);
	WARN_ON_ONCE(pm & 1);		/* IRQF_FORCE_RESUME on some sharers only */
	WARN_ON_ONCE(pm & 2);		/* IRQF_NO_SUSPEND mixed with suspending sharers */
	if (reenable)
		enable_irq(irq);
	return 0;
}

/**
 * request_any_context_irq - request_irq(); the handler always runs in hard-irq context
 *
 * Return: IRQC_IS_HARDIRQ, or a negative error as request_irq().
 */
int request_any_context_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
			    const char *name, void *dev_id)
{
	int err = request_threaded_irq(irq, handler, NULL, flags, name, dev_id);

	return err ? err : IRQC_IS_HARDIRQ;
}

/* Wait until no primary handler runs (and, if threads, no thread is active). */
static void wait_idle(unsigned int irq, bool threads)
{
	struct ukmem__irq_desc *d = DESC(irq);
	bool self = ukmem__irq_handling(irq);

	if (threads && irq_thread_self && irq_thread_self->irq == irq) {
		WARN(1, "synchronize_irq(%u) from the line's own threaded handler would never "
		     "return\n", irq);
		threads = false;
	}
	pthread_mutex_lock(&d->lock);
	while ((d->in_progress && !self) || (threads && d->threads_active))
		pthread_cond_wait(&d->idle, &d->lock);
	pthread_mutex_unlock(&d->lock);
}

/**
 * free_irq - remove the handler of @dev_id from line @irq
 *
 * Waits for running handlers and stops the handler's thread.  Warns "Trying to free
 * already-free IRQ" when no such handler is installed.  From the handler's own thread_fn
 * (where 6.1's kthread_stop() would wait for ever) it warns and returns; the handler is
 * freed, and its thread ends, when the thread_fn returns.
 * Return: the name given to request_irq(), or NULL.
 */
const void *free_irq(unsigned int irq, void *dev_id)
{
	struct ukmem__irq_desc *d;
	struct ukmem__irqaction *a, **pp;
	const char *name;

	if (irq >= NR_IRQS)
		return NULL;
	might_sleep();
	WARN(in_interrupt(), "Trying to free IRQ %u from IRQ context!\n", irq);
	d = DESC(irq);
	pthread_mutex_lock(&d->lock);
	for (pp = &d->action; *pp && (*pp)->dev_id != dev_id; pp = &(*pp)->next)
		;
	a = *pp;
	if (a) {
		*pp = a->next;
		__atomic_store_n(&a->removed, true, __ATOMIC_RELEASE);
		if (!d->action) {
			d->depth = 1;		/* shut down */
			d->masked = d->pending = false;
		}
	}
	pthread_mutex_unlock(&d->lock);
	if (!a) {
		WARN(1, "Trying to free already-free IRQ %u\n", irq);
		return NULL;
	}
	ukmem__leak_untrack(a, UKMEM_LEAK_IRQ);
	WARN(a == irq_thread_self, "free_irq(%u) from the handler's own irq thread: 6.1 waits "
	     "in kthread_stop() for this thread to end and never returns; here the handler is "
	     "removed and freed when its thread_fn returns\n", irq);
	wait_idle(irq, false);
	stop_thread(a);
	name = a->name;
	if (a->self_freed)
		return name;	/* its thread frees it when the thread_fn returns */
	if (ukmem__irq_handling(irq)) {
		/* From a handler of this line: the pass over its handlers holds a copy of the
		 * list that may still reach a; it goes when the pass ends. */
		pthread_mutex_lock(&d->lock);
		a->grave_next = d->graveyard;
		d->graveyard = a;
		pthread_mutex_unlock(&d->lock);
		return name;
	}
	free(a);
	return name;
}

/**
 * disable_irq_nosync - disable a line (nesting) without waiting for running handlers
 */
void disable_irq_nosync(unsigned int irq)
{
	if (irq >= NR_IRQS)
		return;
	pthread_mutex_lock(&DESC(irq)->lock);
	DESC(irq)->depth++;
	pthread_mutex_unlock(&DESC(irq)->lock);
}

/**
 * disable_irq - disable a line and wait until its handlers (threads too) have finished
 *
 * May sleep.  Disabling a line from its own handler would wait forever in the kernel; here
 * the wait skips the caller's own handler.
 */
void disable_irq(unsigned int irq)
{
	disable_irq_nosync(irq);
	synchronize_irq(irq);
}

/**
 * disable_hardirq - disable a line and wait for its primary handlers only
 *
 * Return: true when no threaded handler is active either.
 */
bool disable_hardirq(unsigned int irq)
{
	disable_irq_nosync(irq);
	return synchronize_hardirq(irq);
}

/**
 * enable_irq - undo one disable_irq(); at depth 0 an interrupt raised meanwhile is delivered
 *
 * Warns "Unbalanced enable for IRQ" when the line is not disabled.
 */
void enable_irq(unsigned int irq)
{
	struct ukmem__irq_desc *d;
	bool replay = false, unbalanced = false;

	if (irq >= NR_IRQS)
		return;
	d = DESC(irq);
	pthread_mutex_lock(&d->lock);
	if (!d->depth)
		unbalanced = true;
	else if (!--d->depth)
		replay = d->pending && d->action && !d->masked && !d->in_progress;
	pthread_mutex_unlock(&d->lock);
	if (unbalanced)
		WARN(1, KERN_WARNING "Unbalanced enable for IRQ %u\n", irq);
	if (replay)
		ukmem_irq_raise(irq);
}

/**
 * synchronize_irq - wait until no handler of the line runs, threaded ones included
 *
 * May sleep (might_sleep() checks the context).
 */
void synchronize_irq(unsigned int irq)
{
	if (irq >= NR_IRQS)
		return;
	might_sleep();
	wait_idle(irq, true);
}

/**
 * synchronize_hardirq - wait until no primary handler of the line runs
 *
 * Return: false when a threaded handler is still active.
 */
bool synchronize_hardirq(unsigned int irq)
{
	bool idle;

	if (irq >= NR_IRQS)
		return true;
	wait_idle(irq, false);
	pthread_mutex_lock(&DESC(irq)->lock);
	idle = !DESC(irq)->threads_active;
	pthread_mutex_unlock(&DESC(irq)->lock);
	return idle;
}

/**
 * irq_set_irq_wake - mark a line as a wake-up source (counted; nothing suspends here)
 *
 * Return: 0, or -EINVAL for a bad line.  Warns on an unbalanced disable.
 */
int irq_set_irq_wake(unsigned int irq, unsigned int on)
{
	struct ukmem__irq_desc *d;
	bool unbalanced = false;

	if (irq >= NR_IRQS)
		return -EINVAL;
	d = DESC(irq);
	pthread_mutex_lock(&d->lock);
	if (on)
		d->wake_depth++;
	else if (!d->wake_depth)
		unbalanced = true;
	else
		d->wake_depth--;
	pthread_mutex_unlock(&d->lock);
	WARN(unbalanced, "Unbalanced IRQ %u wake disable\n", irq);
	return 0;
}
