/* SPDX-License-Identifier: MIT */
/*
 * Interrupts at the edges:
 *  - a handler that frees another handler of its shared line (or itself): no crash, and
 *    the freed handler does not run again (the pass over the handlers held a copy of the
 *    list: it called the freed action's handler through freed memory);
 *  - more than 32 handlers on one shared line all run (the 33rd and later never did);
 *  - more than 32 lines raised while interrupts are off are all delivered when they are
 *    enabled again (past 32 they waited for the line's next interrupt);
 *  - the trigger type of a shared line is the first one given, and a requester that gives
 *    none inherits it (both orders were -EBUSY); 6.1's flag checks (IRQF_SHARED with
 *    IRQF_NO_AUTOEN, IRQF_COND_SUSPEND unshared or with IRQF_NO_SUSPEND: -EINVAL); a
 *    NULL handler without IRQF_ONESHOT on a line whose flags do not match is 6.1's flags
 *    mismatch (-EBUSY), checked before the !ONESHOT refusal (-EINVAL);
 *  - a threaded handler that frees itself from its own thread_fn (6.1 never returns from
 *    kthread_stop() there): a WARNING naming it, free_irq returns, the handler is freed
 *    when the thread_fn returns (it leaked), and the line's other handler goes on;
 *  - a platform IRQ resource's trigger bits are the line's type once the driver looks the
 *    interrupt up (requesters inherit it, sharers must match it), as 6.1;
 *  - a bogus return value is reported once per interrupt, with what the handlers of the
 *    pass answered together, at most 100 times in all, and is not counted toward "nobody
 *    cared" (6.1's note_interrupt returns first).
 */
#include <malloc.h>
#include <sched.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/platform_device.h>
#include <ukmem.h>
#include "ktest.h"

static int dev_a, dev_b, ran_a, ran_b;

static irqreturn_t frees_b(int irq, void *dev)
{
	ran_a++;
	free_irq(irq, &dev_b);		/* from IRQ context: 6.1's warning, then it goes */
	return IRQ_HANDLED;
}

static irqreturn_t handler_b(int irq, void *dev)
{
	ran_b++;
	return IRQ_HANDLED;
}

static irqreturn_t thread_b(int irq, void *dev)
{
	return IRQ_HANDLED;
}

static irqreturn_t frees_self(int irq, void *dev)
{
	ran_a++;
	free_irq(irq, dev);
	return IRQ_HANDLED;
}

static void free_from_handler(void)
{
	char *out;

	kt_capture_begin();
	KT_EQ(request_irq(10, frees_b, IRQF_SHARED, "a", &dev_a), 0);
	KT_EQ(request_irq(10, handler_b, IRQF_SHARED, "b", &dev_b), 0);
	KT_EQ(ukmem_irq_raise(10), 0);
	KT_EQ(ran_a, 1);
	KT_EQ(ran_b, 0);			/* freed before its turn came */
	free_irq(10, &dev_a);
	KT_EQ(request_irq(11, frees_self, 0, "self", &dev_a), 0);
	KT_EQ(ukmem_irq_raise(11), 0);
	KT_EQ(ukmem_irq_raise(11), -ENOENT);	/* gone */
	out = kt_capture_end();
	KT_CONTAINS(out, "Trying to free IRQ 10 from IRQ context!");
	free(out);
}

static int self_thread_runs;

static irqreturn_t frees_self_thread(int irq, void *dev)
{
	__atomic_add_fetch(&self_thread_runs, 1, __ATOMIC_SEQ_CST);
	free_irq(irq, dev);
	return IRQ_HANDLED;
}

#define SELF_FREES	200

/* Heap bytes in use after the irq threads of the self-freeing handlers have all ended. */
static size_t heap_after_self_frees(int rounds)
{
	char *out;

	kt_capture_begin();
	for (int i = 0; i < rounds; i++) {
		int before = __atomic_load_n(&self_thread_runs, __ATOMIC_SEQ_CST);

		KT_EQ(request_threaded_irq(12, NULL, frees_self_thread, IRQF_SHARED |
					   IRQF_ONESHOT, "selfth", &dev_a), 0);
		KT_EQ(ukmem_irq_raise(12), 0);
		while (__atomic_load_n(&self_thread_runs, __ATOMIC_SEQ_CST) == before)
			sched_yield();
		synchronize_irq(12);		/* its thread has finished its thread_fn */
	}
	out = kt_capture_end();
	KT_EQ(kt_count(out, "free_irq(12) from the handler's own irq thread"), rounds);
	free(out);
	usleep(100000);				/* the detached threads finish exiting */
	return mallinfo2().uordblks;
}

static void free_from_own_thread(void)
{
	unsigned long reports = ukmem_report_count();
	size_t warm, after;

	/* a sharer that stays: the line keeps working */
	KT_EQ(request_irq(12, handler_b, IRQF_SHARED | IRQF_ONESHOT, "stays", &dev_b), 0);
	warm = heap_after_self_frees(20);
	after = heap_after_self_frees(SELF_FREES);
	/* each action the old code left behind was over 150 bytes; allow for noise */
	KT_ASSERT(after < warm + SELF_FREES * 64);
	KT_EQ(ukmem_report_count(), reports + 20 + SELF_FREES);
	ran_b = 0;
	KT_EQ(ukmem_irq_raise(12), 0);
	KT_EQ(ran_b, 1);
	free_irq(12, &dev_b);
}

static int devs[65], ran[65];

static irqreturn_t count_dev(int irq, void *dev)
{
	ran[(int *)dev - devs]++;
	return IRQ_HANDLED;
}

static void many_shared(void)
{
	for (int i = 0; i < 40; i++)
		KT_EQ(request_irq(70, count_dev, IRQF_SHARED, "sh", &devs[i]), 0);
	KT_EQ(ukmem_irq_raise(70), 0);
	for (int i = 0; i < 40; i++)
		KT_EQ(ran[i], 1);
	for (int i = 0; i < 40; i++)
		free_irq(70, &devs[i]);
	/* 6.1 gives each IRQF_ONESHOT sharer a bit of an unsigned long: the 65th is refused
	 * (it was accepted); once one goes, its bit is free again */
	for (int i = 0; i < 64; i++)
		KT_EQ(request_irq(71, count_dev, IRQF_SHARED | IRQF_ONESHOT, "one", &devs[i]), 0);
	KT_EQ(request_irq(71, count_dev, IRQF_SHARED | IRQF_ONESHOT, "one", &devs[64]), -EBUSY);
	free_irq(71, &devs[0]);
	KT_EQ(request_irq(71, count_dev, IRQF_SHARED | IRQF_ONESHOT, "one", &devs[64]), 0);
	for (int i = 1; i <= 64; i++)
		free_irq(71, &devs[i]);
}

static int lines[64];

static irqreturn_t count_line(int irq, void *dev)
{
	lines[irq - 100]++;
	return IRQ_HANDLED;
}

static void many_pending(void)
{
	unsigned long flags;

	for (int i = 0; i < 64; i++)
		KT_EQ(request_irq(100 + i, count_line, 0, "many", NULL), 0);
	local_irq_save(flags);
	for (int i = 0; i < 64; i++)
		KT_EQ(ukmem_irq_raise(100 + i), 0);
	ukmem_irq_raise(150);			/* again: one latch per line */
	for (int i = 0; i < 64; i++)
		KT_EQ(lines[i], 0);
	local_irq_restore(flags);
	for (int i = 0; i < 64; i++)
		KT_EQ(lines[i], 1);
	for (int i = 0; i < 64; i++)
		free_irq(100 + i, NULL);
}

static void trigger_and_flags(void)
{
	int a, b, c;

	KT_EQ(request_irq(20, handler_b, IRQF_SHARED | IRQF_TRIGGER_HIGH, "a", &a), 0);
	KT_EQ(request_irq(20, handler_b, IRQF_SHARED, "b", &b), 0);	/* inherits HIGH */
	free_irq(20, &a);
	free_irq(20, &b);
	KT_EQ(request_irq(21, handler_b, IRQF_SHARED, "a", &a), 0);
	KT_EQ(request_irq(21, handler_b, IRQF_SHARED | IRQF_TRIGGER_HIGH, "b", &b), 0);
	KT_EQ(request_irq(21, handler_b, IRQF_SHARED | IRQF_TRIGGER_LOW, "c", &c), -EBUSY);
	/* sharers agree on per-cpuness too */
	KT_EQ(request_irq(21, handler_b, IRQF_SHARED | IRQF_PERCPU, "c", &c), -EBUSY);
	free_irq(21, &a);
	free_irq(21, &b);
	/* 6.1's suspend rules for sharers: IRQF_NO_SUSPEND needs every other handler to ask for
	 * it or IRQF_COND_SUSPEND, IRQF_FORCE_RESUME all or none (WARN_ON_ONCE each; the
	 * handler is installed) */
	{
		unsigned long reports = ukmem_report_count();
		char *out;

		KT_EQ(request_irq(25, handler_b, IRQF_SHARED | IRQF_NO_SUSPEND, "a", &a), 0);
		KT_EQ(request_irq(25, handler_b, IRQF_SHARED | IRQF_COND_SUSPEND, "b", &b), 0);
		KT_EQ(ukmem_report_count(), reports);
		kt_capture_begin();
		KT_EQ(request_irq(25, handler_b, IRQF_SHARED, "c", &c), 0);
		KT_EQ(request_irq(26, handler_b, IRQF_SHARED | IRQF_FORCE_RESUME, "a", &a), 0);
		KT_EQ(request_irq(26, handler_b, IRQF_SHARED, "b", &b), 0);
		KT_EQ(request_irq(27, handler_b, IRQF_SHARED, "a", &a), 0);
		KT_EQ(request_irq(27, handler_b, IRQF_SHARED | IRQF_NO_SUSPEND, "b", &b), 0);
		out = kt_capture_end();
		KT_EQ(kt_count(out, "WARNING: CPU: 0 PID:"), 2);	/* once each */
		KT_CONTAINS(out, "request_threaded_irq");
		free(out);
		KT_EQ(ukmem_report_count(), reports + 2);
		for (int irq = 25; irq <= 27; irq++) {
			free_irq(irq, &a);
			free_irq(irq, &b);
		}
		free_irq(25, &c);
	}
	/* handler NULL without IRQF_ONESHOT on a line whose flags do not match: 6.1 checks the
	 * sharing flags first ("Flags mismatch", -EBUSY; it was -EINVAL); on a matching line
	 * or an empty one it is the !ONESHOT refusal */
	{
		char *out;

		KT_EQ(request_irq(28, handler_b, IRQF_SHARED, "a", &a), 0);
		kt_capture_begin();
		KT_EQ(request_threaded_irq(28, NULL, thread_b, 0, "t", &b), -EBUSY);
		KT_EQ(request_threaded_irq(28, NULL, thread_b, IRQF_SHARED | IRQF_TRIGGER_LOW,
					   "u", &b), -EBUSY);
		KT_EQ(request_threaded_irq(28, NULL, thread_b, IRQF_SHARED, "v", &b), -EINVAL);
		KT_EQ(request_threaded_irq(29, NULL, thread_b, 0, "w", &b), -EINVAL);
		out = kt_capture_end();
		KT_CONTAINS(out, "Flags mismatch irq 28. 00000000 (t) vs. 00000080 (a)\n");
		KT_CONTAINS(out, "Flags mismatch irq 28. 00000088 (u) vs. 00000080 (a)\n");
		KT_NOT_CONTAINS(out, "!ONESHOT for t ");
		KT_NOT_CONTAINS(out, "!ONESHOT for u ");
		KT_CONTAINS(out, "Threaded irq requested with handler=NULL and !ONESHOT for v "
			    "(irq 28)\n");
		KT_CONTAINS(out, "Threaded irq requested with handler=NULL and !ONESHOT for w "
			    "(irq 29)\n");
		free(out);
		free_irq(28, &a);
	}
	KT_EQ(request_irq(22, handler_b, IRQF_SHARED | IRQF_NO_AUTOEN, "c", &c), -EINVAL);
	KT_EQ(request_irq(23, handler_b, IRQF_COND_SUSPEND, "d", &c), -EINVAL);
	KT_EQ(request_irq(24, handler_b, IRQF_SHARED | IRQF_NO_SUSPEND | IRQF_COND_SUSPEND,
			  "e", &c), -EINVAL);
}

/* A platform IRQ resource's trigger bits become the line's type when the driver looks the
 * interrupt up, as 6.1's platform_get_irq_optional: a requester that gives none inherits
 * it and a sharer that gives another is a mismatch (both were accepted). */
static void platform_trigger(void)
{
	struct resource res[] = {
		DEFINE_RES_NAMED(30, 1, NULL, IORESOURCE_IRQ | IORESOURCE_IRQ_HIGHLEVEL),
		DEFINE_RES_NAMED(NR_IRQS, 1, NULL, IORESOURCE_IRQ | IORESOURCE_IRQ_LOWEDGE),
	};
	struct platform_device *pdev;
	int a, b;
	char *out;

	pdev = platform_device_register_simple("trig", -1, res, ARRAY_SIZE(res));
	KT_ASSERT(!IS_ERR(pdev));
	KT_EQ(platform_get_irq(pdev, 0), 30);
	KT_EQ(platform_get_irq_optional(pdev, 1), -ENXIO);	/* no such line */
	KT_EQ(request_irq(30, handler_b, IRQF_SHARED, "a", &a), 0);
	kt_capture_begin();
	KT_EQ(request_irq(30, handler_b, IRQF_SHARED | IRQF_TRIGGER_LOW, "b", &b), -EBUSY);
	out = kt_capture_end();
	KT_CONTAINS(out, "Flags mismatch irq 30. 00000088 (b) vs. 00000084 (a)\n");
	free(out);
	free_irq(30, &a);
	platform_device_unregister(pdev);
}

static irqreturn_t bogus(int irq, void *dev)
{
	return (irqreturn_t)8;
}

static irqreturn_t handled(int irq, void *dev)
{
	return IRQ_HANDLED;
}

static int count_of(const char *out, const char *what)
{
	int n = 0;

	for (const char *p = strstr(out, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

static void bogus_return(void)
{
	unsigned long before = ukmem_report_count();
	char *out;

	KT_EQ(request_irq(40, bogus, IRQF_SHARED, "bogus", &dev_a), 0);
	KT_EQ(request_irq(40, handled, IRQF_SHARED, "fine", &dev_b), 0);
	kt_capture_begin();
	ukmem_irq_raise(40);
	out = kt_capture_end();
	KT_ASSERT(!strncmp(out, "irq event 40: bogus return value 9\nCPU: ", 40));
	KT_EQ(count_of(out, "bogus return value"), 1);	/* one per interrupt */
	free(out);
	free_irq(40, &dev_b);
	kt_capture_begin();
	for (int i = 0; i < 100000; i++)		/* a "nobody cared" window */
		ukmem_irq_raise(40);
	out = kt_capture_end();
	KT_EQ(count_of(out, "irq event 40: bogus return value 8\n"), 99);
	KT_NOT_CONTAINS(out, "nobody cared");
	free(out);
	KT_EQ(kstat_irqs_usr(40), 100001);		/* and the line is still enabled */
	KT_EQ(ukmem_report_count(), before + 100001);	/* those not printed count */
	free_irq(40, &dev_a);
}

int main(void)
{
	KT_EQ(ukmem_init(""), 0);
	free_from_handler();
	free_from_own_thread();
	many_shared();
	many_pending();
	trigger_and_flags();
	platform_trigger();
	bogus_return();
	/* the sleeping report and the WARN of each free_irq from a handler, the WARN of each
	 * free_irq from its own thread, the two suspend rules' WARN_ON_ONCE; the bogus returns */
	KT_EQ(ukmem_exit(), 4 + 20 + SELF_FREES + 2 + 100001);
	return 0;
}
