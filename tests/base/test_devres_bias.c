/* SPDX-License-Identifier: MIT */
/*
 * The devres lock's owner bias (src/base/devres.c), also run under ThreadSanitizer:
 *  - the first thread to use a device's devres owns its lock and keeps it while it alone
 *    uses it; another thread's first use revokes the bias for good;
 *  - while the owner churns resources by its bias, a second thread that starts churning
 *    the same device (revoking on its way in) loses nothing: every devm_kfree finds its
 *    object, every byte written stays, and the list ends empty;
 *  - a thread that revokes while the owner is inside a long critical section by its bias
 *    waits for it to end;
 *  - a fork while another thread owns a device revokes the bias for the fork only: the
 *    parent's owner has it back, the child's device has no owner and its first user owns it.
 * (The owner taking its lock again from a match callback is test_devres's recursion case.)
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

#define OBJS	64
#define ROUNDS	2000

struct churner {
	struct device *dev;
	int rounds;
	unsigned char tag;
	int *started;		/* set after the first round (atomic) */
	long lost;		/* objects that came back changed */
};

static void churn_round(struct churner *c)
{
	unsigned char *p[OBJS];

	for (int i = 0; i < OBJS; i++) {
		p[i] = devm_kzalloc(c->dev, 24 + i, GFP_KERNEL);
		KT_ASSERT(p[i]);
		memset(p[i], c->tag, 24 + i);
	}
	for (int i = OBJS - 1; i >= 0; i -= 2) {	/* the newest half, then the rest */
		c->lost += p[i][23 + i] != c->tag;
		devm_kfree(c->dev, p[i]);
	}
	for (int i = OBJS - 2; i >= 0; i -= 2) {
		c->lost += p[i][0] != c->tag;
		devm_kfree(c->dev, p[i]);
	}
}

static void *churn(void *arg)
{
	struct churner *c = arg;

	for (int r = 0; r < c->rounds; r++) {
		churn_round(c);
		if (r == 0 && c->started)
			__atomic_store_n(c->started, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

static const void *owner_of(struct device *dev)
{
	return __atomic_load_n(&dev->p.devres_owner, __ATOMIC_RELAXED);
}

static int revoked(struct device *dev)
{
	return __atomic_load_n(&dev->p.devres_revoked, __ATOMIC_RELAXED);
}

static int resources(struct device *dev)
{
	char name[80], *out;
	int n = -1;
	const char *l;

	snprintf(name, sizeof(name), "devres:%s", dev_name(dev));
	out = kt_show(name);
	l = strstr(out, ": ");
	if (l)
		n = atoi(l + 2);
	free(out);
	return n;
}

static void test_revoke_under_churn(void)
{
	struct platform_device *pdev = platform_device_register_simple("bias", 0, NULL, 0);
	int started = 0;
	struct churner owner = { .rounds = ROUNDS, .tag = 0x5a, .started = &started };
	struct churner other = { .rounds = ROUNDS / 4, .tag = 0xa5 };
	pthread_t t;

	KT_ASSERT(!IS_ERR(pdev));
	owner.dev = other.dev = &pdev->dev;
	KT_EQ(pthread_create(&t, NULL, churn, &owner), 0);
	while (!__atomic_load_n(&started, __ATOMIC_ACQUIRE))
		sched_yield();
	KT_ASSERT(owner_of(&pdev->dev) != NULL);	/* the churning thread owns it */
	KT_EQ(revoked(&pdev->dev), 0);
	churn(&other);					/* revokes on its first call */
	KT_NE(revoked(&pdev->dev), 0);
	pthread_join(t, NULL);
	KT_EQ(owner.lost, 0);
	KT_EQ(other.lost, 0);
	KT_EQ(resources(&pdev->dev), 0);
	KT_EQ(ukmem_report_count(), 0);
	platform_device_unregister(pdev);
}

static void test_owner_keeps_bias(void)
{
	struct platform_device *pdev = platform_device_register_simple("bias-own", 0, NULL, 0);
	struct churner me = { .rounds = 10, .tag = 0x11 };

	KT_ASSERT(!IS_ERR(pdev));
	me.dev = &pdev->dev;
	churn(&me);
	KT_ASSERT(owner_of(&pdev->dev) != NULL);
	KT_EQ(revoked(&pdev->dev), 0);
	KT_EQ(me.lost, 0);
	KT_EQ(resources(&pdev->dev), 0);
	platform_device_unregister(pdev);
}

/* The owner inside a long critical section by its bias (a for-each callback that waits):
 * another thread's devres call must wait until it ends, not enter beside it. */
static int inside, other_waiting;	/* atomic */

static void release_nothing(struct device *dev, void *res)
{
}

static void hold_a_while(struct device *dev, void *res, void *data)
{
	struct timespec t0, t;

	__atomic_store_n(&inside, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&other_waiting, __ATOMIC_ACQUIRE))
		;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000000000L + t.tv_nsec - t0.tv_nsec < 20000000L);
	__atomic_store_n(&inside, 0, __ATOMIC_RELEASE);
}

static void *hold_by_bias(void *arg)
{
	struct device *dev = arg;

	devres_add(dev, devres_alloc(release_nothing, 8, GFP_KERNEL));	/* owns the lock */
	devres_for_each_res(dev, release_nothing, NULL, NULL, hold_a_while, NULL);
	return NULL;
}

static int saw_owner_inside;

static int check_alone(struct device *dev, void *res, void *data)
{
	saw_owner_inside |= __atomic_load_n(&inside, __ATOMIC_ACQUIRE);
	return 1;
}

static void test_revoke_waits_for_owner(void)
{
	struct platform_device *pdev = platform_device_register_simple("bias-wait", 0, NULL, 0);
	pthread_t t;

	KT_ASSERT(!IS_ERR(pdev));
	KT_EQ(pthread_create(&t, NULL, hold_by_bias, &pdev->dev), 0);
	while (!__atomic_load_n(&inside, __ATOMIC_ACQUIRE))
		sched_yield();
	KT_ASSERT(owner_of(&pdev->dev) != NULL);
	__atomic_store_n(&other_waiting, 1, __ATOMIC_RELEASE);
	KT_ASSERT(devres_find(&pdev->dev, release_nothing, check_alone, NULL));
	KT_EQ(saw_owner_inside, 0);
	KT_NE(revoked(&pdev->dev), 0);
	pthread_join(t, NULL);
	platform_device_unregister(pdev);
}

static bool stop;

static void *churn_until_stopped(void *arg)
{
	struct churner *c = arg;
	int r = 0;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		churn_round(c);
		if (r++ == 0)
			__atomic_store_n(c->started, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void test_fork_revokes_for_its_duration(void)
{
	struct platform_device *pdev = platform_device_register_simple("bias-fork", 0, NULL, 0);
	int started = 0;
	struct churner owner = { .tag = 0x3c, .started = &started };
	const void *who;
	pthread_t t;

	KT_ASSERT(!IS_ERR(pdev));
	owner.dev = &pdev->dev;
	KT_EQ(pthread_create(&t, NULL, churn_until_stopped, &owner), 0);
	while (!__atomic_load_n(&started, __ATOMIC_ACQUIRE))
		sched_yield();
	who = owner_of(&pdev->dev);
	KT_ASSERT(who != NULL);
	for (int i = 0; i < 20; i++) {
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			struct churner c = { .dev = &pdev->dev, .rounds = 3, .tag = 0x77 };
			bool unowned = owner_of(&pdev->dev) == NULL && revoked(&pdev->dev) == 0;

			alarm(20);		/* a hang ends as a failure */
			churn(&c);
			_exit(unowned && owner_of(&pdev->dev) != NULL && revoked(&pdev->dev) == 0 &&
			      c.lost == 0 && ukmem_report_count() == 0 ? 0 : 1);
		}
		KT_ASSERT(pid > 0);
		KT_EQ(waitpid(pid, &status, 0), pid);
		KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		KT_ASSERT(owner_of(&pdev->dev) == who);	/* the parent's owner has it back */
		KT_EQ(revoked(&pdev->dev), 0);
	}
	__atomic_store_n(&stop, true, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	KT_EQ(owner.lost, 0);
	KT_EQ(resources(&pdev->dev), 0);
	platform_device_unregister(pdev);
}

int main(void)
{
	KT_EQ(ukmem_init(getenv("UKMEM_CMDLINE") ?: ""), 0);
	test_owner_keeps_bias();
	test_revoke_under_churn();
	test_revoke_waits_for_owner();
	test_fork_revokes_for_its_duration();
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
