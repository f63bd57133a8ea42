/* SPDX-License-Identifier: MIT */
/*
 * kfree_rcu() and its family as a process's first calls, then ukmem_exit() at once: the
 * callbacks they queued run before the exit checks, and what they free passes the quarantine
 * (kasan=on from UKMEM_CMDLINE, or a sanitizer watching), so nothing is reported as a leak
 * and ukmem_exit() returns 0.  Each case runs in a fresh child, so that it is the first call.
 * A reader in another thread holds the grace period off until ukmem_exit() has begun, so the
 * callbacks cannot have run before it (as on a loaded machine).
 */
#include <pthread.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <linux/vmalloc.h>
#include <ukmem.h>
#include "ktest.h"

struct obj {
	long payload[4];
	struct rcu_head rcu;
};

static void free_cb(struct rcu_head *head)
{
	kfree(container_of(head, struct obj, rcu));
}

static int reading;

static void *reader(void *arg)
{
	rcu_read_lock();
	__atomic_store_n(&reading, 1, __ATOMIC_RELEASE);
	usleep(100 * 1000);		/* ukmem_exit() starts meanwhile */
	rcu_read_unlock();
	return NULL;
}

static void run(int which)
{
	pthread_t t;
	int problems;

	struct obj *o = which == 2 ? kvmalloc(sizeof(*o), GFP_KERNEL) : kmalloc(sizeof(*o), GFP_KERNEL);
	void *p;

	if (!o)
		_exit(3);
	switch (which) {
	case 0: kfree_rcu(o, rcu); break;
	case 1: call_rcu(&o->rcu, free_cb); break;
	case 2: kvfree_rcu(o, rcu); break;
	case 3:
		kfree(o);
		p = kvmalloc(64, GFP_KERNEL);
		kvfree_rcu(p);		/* the one-argument form: a tracking record, freed too */
		break;
	}
	if (pthread_create(&t, NULL, reader, NULL))
		_exit(4);
	while (!__atomic_load_n(&reading, __ATOMIC_ACQUIRE))
		usleep(1000);
	problems = ukmem_exit();
	pthread_join(t, NULL);
	_exit(problems ? 1 : 0);
}

int main(void)
{
	static const char *const names[] = { "kfree_rcu", "call_rcu with kfree", "kvfree_rcu",
					     "kvfree_rcu (one argument)" };

	for (int i = 0; i < 4; i++) {
		pid_t pid = fork();
		int status;

		KT_ASSERT(pid >= 0);
		if (!pid)
			run(i);
		KT_EQ(waitpid(pid, &status, 0), pid);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			KT_FAIL("%s: the child ended with status %#x (ukmem_exit found a problem)",
				names[i], status);
	}
	printf("test_rcu_exit: ok\n");
	return 0;
}
