/* SPDX-License-Identifier: MIT */
/*
 * fork() with interrupt handlers: the child has its own irq threads (the parent's do not
 * exist there), so a threaded handler runs in the child, and the parent's line is untouched.
 * (Apart from test_irq: ThreadSanitizer cannot follow a fork with this many locks held.)
 */
#include <linux/interrupt.h>
#include <ukmem.h>
#include "ktest.h"

static int primary, threaded;

static irqreturn_t handler(int irq, void *dev)
{
	primary++;
	return IRQ_WAKE_THREAD;
}

static irqreturn_t thread_fn(int irq, void *dev)
{
	__atomic_add_fetch(&threaded, 1, __ATOMIC_SEQ_CST);
	return IRQ_HANDLED;
}

int main(void)
{
	pid_t pid;
	int st;

	KT_EQ(request_threaded_irq(13, handler, thread_fn, IRQF_ONESHOT, "forked", &primary), 0);
	ukmem_irq_raise(13);
	synchronize_irq(13);
	KT_EQ(threaded, 1);
	pid = fork();
	if (pid == 0) {
		ukmem_irq_raise(13);
		synchronize_irq(13);
		_exit(threaded == 2 && primary == 2 && free_irq(13, &primary) ? 0 : 1);
	}
	KT_EQ(waitpid(pid, &st, 0), pid);
	KT_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	KT_EQ(threaded, 1);
	ukmem_irq_raise(13);
	synchronize_irq(13);
	KT_EQ(threaded, 2);
	free_irq(13, &primary);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
