/* SPDX-License-Identifier: MIT */
/*
 * <linux/completion.h>: completions, as kernel/sched/completion.c: a count of complete()s
 * not yet consumed (UINT_MAX after complete_all(): every wait passes), waited on through a
 * wait queue.  The waits call might_sleep() first; complete() and complete_all() may be
 * called from any context, interrupt handlers included.  Nothing interrupts a ukmem
 * thread, so the _interruptible and _killable waits never return -ERESTARTSYS.
 */
#ifndef _UKMEM_LINUX_COMPLETION_H
#define _UKMEM_LINUX_COMPLETION_H
#include <stdbool.h>
#include <linux/wait.h>

struct completion {
	unsigned int done;		/* complete()s not consumed; UINT_MAX: complete_all() */
	struct wait_queue_head wait;	/* its lock guards done */
};

#define COMPLETION_INITIALIZER(work)		{ 0, __WAIT_QUEUE_HEAD_INITIALIZER((work).wait) }
#define COMPLETION_INITIALIZER_ONSTACK(work)	(*({ init_completion(&(work)); &(work); }))
#define DECLARE_COMPLETION(work)		struct completion work = COMPLETION_INITIALIZER(work)
#define DECLARE_COMPLETION_ONSTACK(work)	DECLARE_COMPLETION(work)

void init_completion(struct completion *x);
void reinit_completion(struct completion *x);

void wait_for_completion(struct completion *x);
void wait_for_completion_io(struct completion *x);
int wait_for_completion_interruptible(struct completion *x);
int wait_for_completion_killable(struct completion *x);
unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout);
unsigned long wait_for_completion_io_timeout(struct completion *x, unsigned long timeout);
long wait_for_completion_interruptible_timeout(struct completion *x, unsigned long timeout);
long wait_for_completion_killable_timeout(struct completion *x, unsigned long timeout);
bool try_wait_for_completion(struct completion *x);
bool completion_done(struct completion *x);

void complete(struct completion *x);
void complete_all(struct completion *x);
#endif
