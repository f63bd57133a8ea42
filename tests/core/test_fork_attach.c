/* SPDX-License-Identifier: MIT */
/*
 * fork() while other threads are being born and are dying: each new thread takes a CPU
 * number (and each exiting one gives it back) under the context's table lock.  A fork made
 * while another thread held that lock must not leave it locked in the child, whose own new
 * threads (and reports, which look up task names) take it too.  Two threads start and join
 * short-lived threads that kmalloc as fast as they can while the main thread forks 100
 * children; each child starts a thread of its own that allocates, under a 20-second alarm.
 * Not under the sanitizers: their runtimes are the limit there (clang 14's ASan allocator
 * can be left locked in the child by a thread that was allocating at the fork, and TSan
 * cannot start threads in a multi-threaded fork's child).
 */
#include <pthread.h>
#include <signal.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static volatile int stop;

static void *short_lived(void *arg)
{
	kfree(kmalloc(64, GFP_KERNEL));		/* attaches: takes a CPU number */
	return arg;
}

static void *churn(void *arg)
{
	while (!stop) {
		pthread_t t;

		if (!pthread_create(&t, NULL, short_lived, NULL))
			pthread_join(t, NULL);
	}
	return arg;
}

static void child_starts_thread(void *arg)
{
	pthread_t t;

	alarm(20);
	KT_EQ(pthread_create(&t, NULL, short_lived, arg), 0);
	KT_EQ(pthread_join(t, NULL), 0);
	/* _exit: the exit's leak check would rightly report the objects the parent's
	 * allocating threads held at the fork (they have no thread here) */
	_exit(ukmem_report_count() ? 3 : 0);
}

int main(void)
{
	pthread_t t[2];

	if (KT_UNDER_ASAN || KT_UNDER_TSAN) {
		printf("test_fork_attach: skipped under a sanitizer\n");
		return 77;		/* ctest's SKIP_RETURN_CODE: reported as skipped */
	}
	KT_EQ(ukmem_init(NULL), 0);
	for (int i = 0; i < 2; i++)
		KT_EQ(pthread_create(&t[i], NULL, churn, NULL), 0);
	for (int i = 0; i < 100; i++) {
		char *out;
		int status = kt_run_child(child_starts_thread, NULL, &out);

		if (!WIFEXITED(status) || WEXITSTATUS(status))
			KT_FAIL("child %d: status 0x%x (a signal 14 is the alarm: it hung)\n%s", i,
				status, out);
		free(out);
	}
	stop = 1;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	KT_EQ(ukmem_exit(), 0);
	printf("test_fork_attach: ok\n");
	return 0;
}
