/* SPDX-License-Identifier: MIT */
/*
 * fork() while another thread allocates and frees devres on a device: the child's first
 * devres call on that device finishes and sees a whole resource list.  (The device's devres
 * lock was not among the locks taken before fork: a child forked while the other thread held
 * it inherited it held by a thread it does not have, and spun forever; 13 children in 20.)
 * Under ASan, with ukmem's annotations: the parent went on as soon as fork() returned and
 * changed the list while the child copied RAM, so the child's list held a node its private
 * shadow called poisoned (3 runs in 5 failed); the parent now waits for the child's copy.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static struct device *dev;
static bool stop;

static void *churn(void *arg)
{
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED))
		devm_kfree(dev, devm_kzalloc(dev, 32, GFP_KERNEL));
	return NULL;
}

int main(void)
{
	struct platform_device *pdev;
	pthread_t t;

	KT_EQ(ukmem_init(getenv("UKMEM_CMDLINE") ?: ""), 0);
	pdev = platform_device_register_simple("busy", 0, NULL, 0);
	KT_ASSERT(!IS_ERR(pdev));
	dev = &pdev->dev;
	KT_EQ(pthread_create(&t, NULL, churn, NULL), 0);
	for (int i = 0; i < 100; i++) {
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			void *p;

			alarm(10);		/* a hang ends as a failure */
			p = devm_kzalloc(dev, 64, GFP_KERNEL);
			devm_kfree(dev, p);
			_exit(p && ukmem_report_count() == 0 ? 0 : 1);
		}
		KT_ASSERT(pid > 0);
		KT_EQ(waitpid(pid, &status, 0), pid);
		KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	__atomic_store_n(&stop, true, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	platform_device_unregister(pdev);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
