/* SPDX-License-Identifier: MIT */
/*
 * Notifier chains: priority order, duplicates refused, and an atomic chain's callbacks
 * running outside the chain's lock, as 6.1's RCU walk has them: a callback registers another
 * callback on its own chain and calls the chain again; unregistering waits for the walks.
 */
#include <linux/notifier.h>
#include "basetest.h"

static ATOMIC_NOTIFIER_HEAD(chain);
static int calls[3];

static int second_cb(struct notifier_block *nb, unsigned long event, void *data)
{
	calls[1]++;
	return NOTIFY_OK;
}

static struct notifier_block second_nb = { .notifier_call = second_cb };

static int first_cb(struct notifier_block *nb, unsigned long event, void *data)
{
	calls[0]++;
	if (event == 1) {
		/* From inside the walk: add a callback, then walk the chain again. */
		KT_EQ(atomic_notifier_chain_register(&chain, &second_nb), 0);
		KT_EQ(atomic_notifier_call_chain(&chain, 2, NULL), NOTIFY_OK);
	}
	return NOTIFY_OK;
}

static struct notifier_block first_nb = { .notifier_call = first_cb, .priority = 10 };

static int stop_cb(struct notifier_block *nb, unsigned long event, void *data)
{
	calls[2]++;
	return NOTIFY_STOP;
}

static struct notifier_block stop_nb = { .notifier_call = stop_cb, .priority = 20 };

static void test_atomic_chain_reentry(void)
{
	KT_EQ(atomic_notifier_chain_register(&chain, &first_nb), 0);
	KT_EQ(atomic_notifier_call_chain(&chain, 1, NULL), NOTIFY_OK);
	/* first (event 1), then first and second (event 2, nested); the outer walk had read
	 * first's successor before the callback added second, so it ends there. */
	KT_EQ(calls[0], 2);
	KT_EQ(calls[1], 1);

	/* A higher priority runs first; NOTIFY_STOP ends the walk. */
	KT_EQ(atomic_notifier_chain_register(&chain, &stop_nb), 0);
	KT_EQ(atomic_notifier_call_chain(&chain, 3, NULL), NOTIFY_STOP);
	KT_EQ(calls[2], 1);
	KT_EQ(calls[0], 2);
	KT_EQ(atomic_notifier_chain_unregister(&chain, &stop_nb), 0);
	KT_EQ(atomic_notifier_chain_unregister(&chain, &stop_nb), -ENOENT);

	KT_EQ(atomic_notifier_chain_unregister(&chain, &second_nb), 0);
	KT_EQ(atomic_notifier_call_chain(&chain, 4, NULL), NOTIFY_OK);
	KT_EQ(calls[0], 3);
	KT_EQ(calls[1], 1);
	KT_EQ(atomic_notifier_chain_unregister(&chain, &first_nb), 0);
	KT_ASSERT(atomic_notifier_call_chain_is_empty(&chain));
	KT_EQ(atomic_notifier_call_chain(&chain, 5, NULL), NOTIFY_DONE);
}

int main(void)
{
	test_atomic_chain_reentry();
	KT_EQ(ukmem_exit(), 0);
	printf("test_notifier: ok\n");
	return 0;
}
