/* SPDX-License-Identifier: MIT */
/*
 * devres: release order (LIFO), managed memory (alignment, contiguity, zeroing, overflow),
 * devm_kfree/devm_krealloc of pointers the device does not own, kfree of devm memory,
 * groups (nested, closed, open, removed, released), a device released with resources still
 * attached, the devres_* lookups, the smaller devm helpers, the ukmem_show listing, and
 * linear-time release of 10,000 resources.
 */
#include <stdint.h>
#include <linux/device.h>
#include <linux/mm.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/preempt.h>
#include <linux/percpu.h>
#include "basetest.h"

struct ukmem__devres_stats { unsigned long visits; };
extern struct ukmem__devres_stats ukmem__devres_stats;

static struct device *new_dev(const char *name)
{
	struct device *dev = root_device_register(name);

	KT_ASSERT(!IS_ERR(dev));
	return dev;
}

static void add_action(struct device *dev, long n)
{
	KT_EQ(devm_add_action(dev, bt_record, (void *)n), 0);
}

static void test_lifo(void)
{
	struct device *dev = new_dev("lifo");
	long slab0 = bt_slab_active();

	bt_log_reset();
	for (long i = 1; i <= 5; i++) {
		add_action(dev, i);
		KT_ASSERT(devm_kzalloc(dev, 24 * i, GFP_KERNEL));
	}
	KT_EQ(bt_log.n, 0);
	root_device_unregister(dev);
	BT_LOG_EQ(5, 4, 3, 2, 1);
	KT_ASSERT(bt_slab_active() < slab0);	/* the device itself went too */
}

static volatile size_t huge = SIZE_MAX;

static void test_memory(void)
{
	struct device *dev = new_dev("mem");
	long slab0 = bt_slab_active();
	char *p, *big;

	for (size_t size = 1; size <= 9000; size = size * 3 + 1) {
		p = devm_kzalloc(dev, size, GFP_KERNEL);
		KT_ASSERT(p);
		KT_EQ((uintptr_t)p % ARCH_KMALLOC_MINALIGN, 0);
		for (size_t i = 0; i < size; i++)
			if (p[i])
				KT_FAIL("devm_kzalloc(%zu) byte %zu not zero", size, i);
		memset(p, 0xab, size);
	}
	big = devm_kmalloc(dev, 5 * PAGE_SIZE + 100, GFP_KERNEL);
	KT_ASSERT(big);
	for (size_t i = 0; i < 5 * PAGE_SIZE + 100; i += 512)
		KT_EQ(virt_to_phys(big + i), virt_to_phys(big) + i);
	KT_ASSERT(devm_kmalloc(dev, 0, GFP_KERNEL) == ZERO_SIZE_PTR);

	/* Overflow: size + header, n * size (sizes hidden from the compiler's checks). */
	KT_ASSERT(!devm_kmalloc(dev, huge, GFP_KERNEL));
	KT_ASSERT(!devm_kmalloc(dev, huge - 16, GFP_KERNEL));
	KT_ASSERT(!devm_kzalloc(dev, huge - 1, GFP_KERNEL));
	KT_ASSERT(!devm_kmalloc_array(dev, huge / 2, 4, GFP_KERNEL));
	KT_ASSERT(!devm_kcalloc(dev, 1UL << 40, 1UL << 30, GFP_KERNEL));
	KT_ASSERT(!devm_krealloc(dev, big, huge - 8, GFP_KERNEL));
	KT_EQ(ukmem_report_count(), 0);

	p = devm_kcalloc(dev, 10, 8, GFP_KERNEL);
	KT_ASSERT(p && !p[0] && !p[79]);

	/* devm_kzalloc zeroes exactly the bytes asked for, whatever the recycled object held
	 * (16 to 64 bytes are zeroed inline, the rest by memset): every size up to 100. */
	for (size_t size = 1; size <= 100; size++) {
		p = kmalloc(size + 64, GFP_KERNEL);
		memset(p, 0x5a, size + 64);
		kfree(p);
		p = devm_kzalloc(dev, size, GFP_KERNEL);
		KT_ASSERT(p);
		if (memchr_inv(p, 0, size))
			KT_FAIL("devm_kzalloc(%zu) not zeroed", size);
		memset(p, 0x5a, size);
		devm_kfree(dev, p);
	}
	root_device_unregister(dev);
	KT_ASSERT(bt_slab_active() < slab0);
}

static void test_devm_kfree(void)
{
	struct device *dev = new_dev("kfree-a"), *other = new_dev("kfree-b");
	unsigned long reports = ukmem_report_count();
	char *mine, *theirs, *plain, stack_buf[16], *out;
	long slab0;

	mine = devm_kmalloc(dev, 100, GFP_KERNEL);
	theirs = devm_kmalloc(other, 100, GFP_KERNEL);
	plain = kmalloc(100, GFP_KERNEL);
	KT_ASSERT(mine && theirs && plain);
	strcpy(theirs, "theirs");
	strcpy(plain, "plain");

	slab0 = bt_slab_active();
	devm_kfree(dev, mine);
	KT_EQ(bt_slab_active(), slab0 - 1);
	devm_kfree(dev, NULL);
	devm_kfree(dev, ZERO_SIZE_PTR);
	devm_kfree(dev, "a string literal");
	KT_EQ(ukmem_report_count(), reports);

	kt_capture_begin();
	devm_kfree(dev, theirs);		/* another device's */
	devm_kfree(dev, plain);			/* plain kmalloc */
	devm_kfree(dev, stack_buf);		/* not heap memory at all */
	devm_kfree(dev, mine);			/* already freed */
	out = kt_capture_end();
	KT_EQ(ukmem_report_count(), reports + 4);
	KT_CONTAINS(out, "WARNING: CPU:");
	KT_CONTAINS(out, "devm_kfree");
	free(out);
	/* Nothing was harmed. */
	KT_ASSERT(!strcmp(theirs, "theirs") && !strcmp(plain, "plain"));
	KT_EQ(bt_slab_active(), slab0 - 1);
	kfree(plain);
	root_device_unregister(other);		/* frees theirs */
	root_device_unregister(dev);
	KT_EQ(ukmem_report_count(), reports + 4);
}

static void count_res(struct device *dev, void *res, void *data)
{
	++*(int *)data;
}

static int devres_count(struct device *dev, dr_release_t release)
{
	int n = 0;

	devres_for_each_res(dev, release, NULL, NULL, count_res, &n);
	return n;
}

static void noop_release(struct device *dev, void *res)
{
}

/* devm_kfree finds its object anywhere on the list (newest first), and only devm memory:
 * another kind of resource's data, a group's id, or a pointer into an object is warned about
 * and left where it is. */
static void test_devm_kfree_search(void)
{
	struct device *dev = new_dev("kfree-search");
	unsigned long reports = ukmem_report_count();
	char *p[6], *out;
	void *res, *grp;
	long slab0;

	for (int i = 0; i < 6; i++)
		p[i] = devm_kzalloc(dev, 32, GFP_KERNEL);
	res = devres_alloc(noop_release, 32, GFP_KERNEL);
	devres_add(dev, res);
	grp = devres_open_group(dev, NULL, GFP_KERNEL);
	devres_close_group(dev, grp);
	slab0 = bt_slab_active();
	devm_kfree(dev, p[0]);			/* the oldest */
	devm_kfree(dev, p[3]);			/* the middle */
	devm_kfree(dev, p[5]);			/* not the newest: the resource and group are */
	KT_EQ(bt_slab_active(), slab0 - 3);
	KT_EQ(ukmem_report_count(), reports);

	kt_capture_begin();
	devm_kfree(dev, res);			/* a resource of another kind */
	devm_kfree(dev, grp);			/* a group */
	devm_kfree(dev, p[1] + 8);		/* inside devm memory */
	out = kt_capture_end();
	KT_EQ(ukmem_report_count(), reports + 3);
	KT_CONTAINS(out, "WARNING: CPU:");
	KT_CONTAINS(out, "devm_kfree");
	free(out);
	KT_EQ(bt_slab_active(), slab0 - 3);
	KT_EQ(devres_count(dev, noop_release), 1);
	KT_ASSERT(devres_find(dev, noop_release, NULL, NULL) == res);
	KT_EQ(devres_release_group(dev, grp), 0);
	devm_kfree(dev, p[4]);
	devm_kfree(dev, p[2]);
	devm_kfree(dev, p[1]);
	KT_EQ(bt_slab_active(), slab0 - 7);	/* and the group's object */
	KT_EQ(ukmem_report_count(), reports + 3);
	root_device_unregister(dev);
}

static void test_devm_krealloc(void)
{
	struct device *dev = new_dev("realloc"), *other = new_dev("realloc-b");
	unsigned long reports = ukmem_report_count();
	char *p, *q, *moved, *theirs, *plain, *listing, *out;

	bt_log_reset();
	add_action(dev, 1);
	p = devm_kmalloc(dev, 16, GFP_KERNEL);
	add_action(dev, 2);
	strcpy(p, "keep me");
	KT_ASSERT(devm_krealloc(dev, p, 20, GFP_KERNEL) == p);	/* fits the object already */
	q = devm_krealloc(dev, p, 5000, GFP_KERNEL);
	KT_ASSERT(q && q != p);
	KT_ASSERT(!strcmp(q, "keep me"));
	/* Still between the two actions: resource 2 of 3. */
	listing = kt_show("devres:realloc");
	KT_CONTAINS(listing, "3 resources");
	{
		char *l2 = strstr(listing, "\n     2 ");

		KT_ASSERT(l2);
		KT_ASSERT(strstr(l2, "devm_krealloc_release") &&
			  strstr(l2, "devm_krealloc_release") < strstr(l2, "\n     3 "));
	}
	free(listing);
	KT_ASSERT(devm_krealloc(dev, NULL, 8, GFP_KERNEL));	/* NULL: a new allocation */
	/* __GFP_ZERO growth in place: the new bytes are zero, whatever the object held. */
	p = kmalloc(64, GFP_KERNEL);
	memset(p, 0xa5, 64);
	kfree(p);
	p = devm_kzalloc(dev, 10, GFP_KERNEL);
	KT_ASSERT(devm_krealloc(dev, p, 20, GFP_KERNEL | __GFP_ZERO) == p);
	KT_ASSERT(!memchr_inv(p, 0, 20));
	/* ... and when it moves: only what the caller had is copied, so the bytes past it are
	 * zero too (6.1's devm_kzalloc zeroed its whole object, slack included). */
	moved = devm_krealloc(dev, p, 3000, GFP_KERNEL | __GFP_ZERO);
	KT_ASSERT(moved && moved != p);
	KT_ASSERT(!memchr_inv(moved, 0, 3000));
	{
		char *dirty[8];

		for (int i = 0; i < 8; i++) {
			dirty[i] = kmalloc(64, GFP_KERNEL);
			memset(dirty[i], 0x5a, 64);
		}
		for (int i = 0; i < 8; i++)
			kfree(dirty[i]);
	}
	p = devm_kzalloc(dev, 3, GFP_KERNEL);
	strcpy(p, "ab");
	p = devm_krealloc(dev, p, 600, GFP_KERNEL | __GFP_ZERO);
	KT_ASSERT(p && !strcmp(p, "ab"));
	KT_ASSERT(!memchr_inv(p + 3, 0, 597));
	devm_kfree(dev, p);
	devm_kfree(dev, moved);

	theirs = devm_kmalloc(other, 32, GFP_KERNEL);
	plain = kmalloc(32, GFP_KERNEL);
	strcpy(theirs, "theirs");
	strcpy(plain, "plain");
	kt_capture_begin();
	KT_ASSERT(!devm_krealloc(dev, theirs, 4096, GFP_KERNEL));
	KT_ASSERT(!devm_krealloc(dev, plain, 4096, GFP_KERNEL));
	KT_ASSERT(!devm_krealloc(dev, (void *)"rodata", 4096, GFP_KERNEL));
	out = kt_capture_end();
	KT_CONTAINS(out, "Memory chunk not managed or managed by a different device.");
	free(out);
	KT_EQ(ukmem_report_count(), reports + 3);
	KT_ASSERT(!strcmp(theirs, "theirs") && !strcmp(plain, "plain"));
	kfree(plain);

	KT_ASSERT(devm_krealloc(dev, q, 0, GFP_KERNEL) == ZERO_SIZE_PTR);	/* frees */
	root_device_unregister(dev);
	BT_LOG_EQ(2, 1);
	root_device_unregister(other);
	KT_EQ(ukmem_report_count(), reports + 3);
}

/* kfree() of devm memory is an invalid free: reported, nothing freed, nothing corrupted. */
static void test_kfree_of_devm_memory(void)
{
	struct device *dev = new_dev("bad-kfree");
	unsigned long reports = ukmem_report_count();
	long slab0 = bt_slab_active();
	char *small, *large, *out;

	small = devm_kzalloc(dev, 64, GFP_KERNEL);
	large = devm_kzalloc(dev, 3 * PAGE_SIZE, GFP_KERNEL);
	kt_capture_begin();
	kfree(small);
	kfree(large);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KASAN: invalid-free");
	KT_EQ(ukmem_report_count(), reports + 2);
	free(out);
	memset(small, 1, 64);			/* still the device's, still usable */
	memset(large, 1, 3 * PAGE_SIZE);
	KT_EQ(bt_slab_active(), slab0 + 1);
	root_device_unregister(dev);
	KT_EQ(ukmem_report_count(), reports + 2);
}

static void test_groups(void)
{
	struct device *dev = new_dev("groups");
	unsigned long reports = ukmem_report_count();
	void *a, *b, *g, *id;
	static int my_id;
	char *out;

	/* Nested and closed: releasing the inner group releases only its span. */
	bt_log_reset();
	a = devres_open_group(dev, NULL, GFP_KERNEL);
	KT_ASSERT(a);
	add_action(dev, 1);
	b = devres_open_group(dev, NULL, GFP_KERNEL);
	add_action(dev, 2);
	add_action(dev, 3);
	devres_close_group(dev, b);
	add_action(dev, 4);
	devres_close_group(dev, a);
	add_action(dev, 5);			/* after both groups: never in them */
	KT_EQ(devres_release_group(dev, b), 2);
	BT_LOG_EQ(3, 2);
	bt_log_reset();
	KT_EQ(devres_release_group(dev, a), 2);
	BT_LOG_EQ(4, 1);

	/* Releasing an outer group releases the groups nested in it. */
	bt_log_reset();
	a = devres_open_group(dev, NULL, GFP_KERNEL);
	add_action(dev, 6);
	b = devres_open_group(dev, NULL, GFP_KERNEL);
	add_action(dev, 7);
	devres_close_group(dev, NULL);		/* NULL: the newest open group, b */
	add_action(dev, 8);
	devres_close_group(dev, NULL);		/* then a */
	KT_EQ(devres_release_group(dev, a), 3);
	BT_LOG_EQ(8, 7, 6);

	/* An open group spans everything after it. */
	bt_log_reset();
	id = devres_open_group(dev, &my_id, GFP_KERNEL);
	KT_ASSERT(id == &my_id);
	add_action(dev, 9);
	add_action(dev, 10);
	KT_EQ(devres_release_group(dev, NULL), 2);
	BT_LOG_EQ(10, 9);

	/* Removed: the resources stay, ungrouped. */
	bt_log_reset();
	g = devres_open_group(dev, NULL, GFP_KERNEL);
	add_action(dev, 11);
	devres_close_group(dev, g);
	devres_remove_group(dev, g);
	KT_EQ(bt_log.n, 0);
	kt_capture_begin();
	KT_EQ(devres_release_group(dev, g), 0);	/* gone: WARN */
	devres_close_group(dev, NULL);		/* no open group: WARN */
	out = kt_capture_end();
	free(out);
	KT_EQ(ukmem_report_count(), reports + 2);
	KT_EQ(bt_log.n, 0);

	/* Closed twice (found by the fuzzer): WARN, and the group keeps its span. */
	id = devres_open_group(dev, &my_id, GFP_KERNEL);
	add_action(dev, 12);
	devres_close_group(dev, id);
	add_action(dev, 13);
	kt_capture_begin();
	devres_close_group(dev, id);
	out = kt_capture_end();
	KT_ASSERT(strstr(out, "WARNING") != NULL);
	free(out);
	KT_EQ(ukmem_report_count(), reports + 3);
	KT_EQ(devres_release_group(dev, id), 1);
	BT_LOG_EQ(12);
	bt_log_reset();

	root_device_unregister(dev);
	BT_LOG_EQ(13, 11, 5);
}

struct own_dev {
	struct device dev;
	char payload[32];
};

static void own_release(struct device *dev)
{
	bt_record((void *)100L);
	kfree(container_of(dev, struct own_dev, dev));
}

/* A device given up with resources still attached: released before dev->release runs. */
static void test_release_with_resources(void)
{
	long slab0 = bt_slab_active();
	struct own_dev *o = kzalloc(sizeof(*o), GFP_KERNEL);

	device_initialize(&o->dev);
	o->dev.release = own_release;
	KT_EQ(dev_set_name(&o->dev, "never-added"), 0);
	bt_log_reset();
	add_action(&o->dev, 1);
	KT_ASSERT(devm_kzalloc(&o->dev, 300, GFP_KERNEL));
	add_action(&o->dev, 2);
	get_device(&o->dev);
	put_device(&o->dev);
	KT_EQ(bt_log.n, 0);
	put_device(&o->dev);
	BT_LOG_EQ(2, 1, 100);
	KT_EQ(bt_slab_active(), slab0);
}

/* devres on a device that was never initialized: a WARN, no corruption. */
static void nop_release(struct device *dev, void *res)
{
}

static void test_uninitialized_device(void)
{
	static struct device raw;
	unsigned long reports = ukmem_report_count();
	struct counter { int x; } *res;
	char *out;

	kt_capture_begin();
	KT_ASSERT(!devm_kzalloc(&raw, 32, GFP_KERNEL));
	res = devres_alloc(nop_release, sizeof(*res), GFP_KERNEL);
	devres_add(&raw, res);
	out = kt_capture_end();
	KT_CONTAINS(out, "was never initialized (device_initialize)");
	free(out);
	KT_EQ(ukmem_report_count(), reports + 2);
	KT_ASSERT(!raw.devres_head.next);
	devres_free(res);
}

/* A device without a release function gets the kernel's WARN. */
static void test_no_release(void)
{
	static struct device bad;
	unsigned long reports = ukmem_report_count();
	char *out;

	device_initialize(&bad);
	KT_EQ(dev_set_name(&bad, "no-release"), 0);
	kt_capture_begin();
	put_device(&bad);
	out = kt_capture_end();
	KT_CONTAINS(out, "Device 'no-release' does not have a release() function, it is broken and must be fixed.");
	KT_EQ(ukmem_report_count(), reports + 1);
	free(out);
}

/* Release actions may use devres on other devices (and allocate or free there). */
static struct device *other_dev;
static void *other_mem;

static void touch_other(void *data)
{
	devm_kfree(other_dev, other_mem);
	other_mem = devm_kzalloc(other_dev, 200, GFP_KERNEL);
	KT_ASSERT(other_mem);
	bt_record(data);
}

static void test_release_uses_devres(void)
{
	struct device *dev = new_dev("toucher");
	long slab0;

	other_dev = new_dev("touched");
	other_mem = devm_kzalloc(other_dev, 100, GFP_KERNEL);
	slab0 = bt_slab_active();
	bt_log_reset();
	KT_EQ(devm_add_action(dev, touch_other, (void *)1L), 0);
	KT_EQ(devm_add_action(dev, touch_other, (void *)2L), 0);
	root_device_unregister(dev);
	BT_LOG_EQ(2, 1);
	KT_ASSERT(bt_slab_active() < slab0);		/* dev went; other still holds one object */
	root_device_unregister(other_dev);
}

/* ---- devres_* lookups with a resource type of our own ---- */
struct counter {
	int id;
};

static void counter_release(struct device *dev, void *res)
{
	bt_record((void *)(long)((struct counter *)res)->id);
}

static int counter_match(struct device *dev, void *res, void *data)
{
	return ((struct counter *)res)->id == *(int *)data;
}

static void count_fn(struct device *dev, void *res, void *data)
{
	*(int *)data += ((struct counter *)res)->id;
}

static struct counter *new_counter(int id)
{
	struct counter *c = devres_alloc(counter_release, sizeof(*c), GFP_KERNEL);

	KT_ASSERT(c);
	c->id = id;
	return c;
}

static void test_lookups(void)
{
	struct device *dev = new_dev("lookups");
	struct counter *c, *dup;
	int id, sum = 0;

	bt_log_reset();
	for (int i = 1; i <= 3; i++)
		devres_add(dev, new_counter(i));
	id = 2;
	c = devres_find(dev, counter_release, counter_match, &id);
	KT_ASSERT(c && c->id == 2);
	KT_ASSERT(((struct counter *)devres_find(dev, counter_release, NULL, NULL))->id == 3);
	id = 9;
	KT_ASSERT(!devres_find(dev, counter_release, counter_match, &id));
	devres_for_each_res(dev, counter_release, NULL, NULL, count_fn, &sum);
	KT_EQ(sum, 6);

	/* devres_get: the existing one wins and the new one is freed. */
	id = 3;
	dup = new_counter(3);
	KT_ASSERT(devres_get(dev, dup, counter_match, &id) != dup);
	id = 4;
	dup = new_counter(4);
	KT_ASSERT(devres_get(dev, dup, counter_match, &id) == dup);

	id = 1;
	c = devres_remove(dev, counter_release, counter_match, &id);
	KT_ASSERT(c && c->id == 1);
	devres_free(c);
	id = 2;
	KT_EQ(devres_destroy(dev, counter_release, counter_match, &id), 0);
	KT_EQ(devres_destroy(dev, counter_release, counter_match, &id), -ENOENT);
	KT_EQ(bt_log.n, 0);
	id = 3;
	KT_EQ(devres_release(dev, counter_release, counter_match, &id), 0);
	BT_LOG_EQ(3);
	KT_EQ(devres_release(dev, counter_release, counter_match, &id), -ENOENT);

	/* Actions. */
	bt_log_reset();
	KT_EQ(devm_add_action_or_reset(dev, bt_record, (void *)7L), 0);
	KT_ASSERT(devm_is_action_added(dev, bt_record, (void *)7L));
	KT_ASSERT(!devm_is_action_added(dev, bt_record, (void *)8L));
	add_action(dev, 8);
	devm_remove_action(dev, bt_record, (void *)8L);
	KT_EQ(bt_log.n, 0);
	devm_release_action(dev, bt_record, (void *)7L);
	BT_LOG_EQ(7);
	KT_ASSERT(!devm_is_action_added(dev, bt_record, (void *)7L));
	{
		unsigned long reports = ukmem_report_count();
		char *out;

		kt_capture_begin();
		devm_release_action(dev, bt_record, (void *)7L);	/* not registered: WARN */
		devm_remove_action(dev, bt_record, (void *)7L);
		out = kt_capture_end();
		free(out);
		KT_EQ(ukmem_report_count(), reports + 2);
	}
	bt_log_reset();
	root_device_unregister(dev);
	BT_LOG_EQ(4);
}

static void test_helpers(void)
{
	struct device *dev = new_dev("helpers");
	long slab0 = bt_slab_active();
	unsigned long free0 = bt_free_pages(), addr, reports = ukmem_report_count();
	const char *lit = "literal", *c;
	char *s, *out, buf[8] = "stack";
	unsigned long *bm;

	s = devm_kstrdup(dev, buf, GFP_KERNEL);
	KT_ASSERT(s && s != buf && !strcmp(s, "stack"));
	KT_ASSERT(!devm_kstrdup(dev, NULL, GFP_KERNEL));
	c = devm_kstrdup_const(dev, lit, GFP_KERNEL);
	KT_ASSERT(c == lit);			/* read-only: not copied */
	devm_kfree(dev, c);			/* and devm_kfree ignores it */
	c = devm_kstrdup_const(dev, buf, GFP_KERNEL);
	KT_ASSERT(c != buf && !strcmp(c, "stack"));
	s = devm_kasprintf(dev, GFP_KERNEL, "%s-%d-%pe", "dev", 42, ERR_PTR(-ENOMEM));
	KT_ASSERT(s && !strcmp(s, "dev-42--ENOMEM"));
	s = devm_kmemdup(dev, "abcdef", 4, GFP_KERNEL);
	KT_ASSERT(s && !memcmp(s, "abcd", 4));
	bm = devm_bitmap_zalloc(dev, 1000, GFP_KERNEL);
	KT_ASSERT(bm);
	for (int i = 0; i < (int)BITS_TO_LONGS(1000); i++)
		KT_EQ(bm[i], 0);
	addr = devm_get_free_pages(dev, GFP_KERNEL, 2);
	KT_ASSERT(addr && addr % (4 * PAGE_SIZE) == 0);
	memset((void *)addr, 1, 4 * PAGE_SIZE);
	devm_free_pages(dev, addr);
	addr = devm_get_free_pages(dev, GFP_KERNEL | __GFP_ZERO, 1);
	KT_ASSERT(addr && !((char *)addr)[PAGE_SIZE + 5]);
	KT_EQ(ukmem_report_count(), reports);
	kt_capture_begin();
	devm_free_pages(dev, addr + PAGE_SIZE);	/* not an address it gave: WARN */
	out = kt_capture_end();
	free(out);
	KT_EQ(ukmem_report_count(), reports + 1);
	root_device_unregister(dev);
	KT_ASSERT(bt_slab_active() < slab0);
	KT_EQ(bt_free_pages(), free0);
}

static void test_show(void)
{
	struct device *dev = new_dev("shown");
	char *listing;

	KT_ASSERT(devm_kzalloc(dev, 123, GFP_KERNEL));
	add_action(dev, 1);
	KT_ASSERT(devres_open_group(dev, NULL, GFP_KERNEL));
	listing = kt_show("devres:shown");
	KT_CONTAINS(listing, "devres of  shown: 3 resources, oldest first");
	KT_CONTAINS(listing, "123 bytes  devm_kzalloc_release");
	KT_CONTAINS(listing, "release=devm_kmalloc_release");
	KT_CONTAINS(listing, "devm_action_release");
	KT_CONTAINS(listing, "action=bt_record(0x1)");
	KT_CONTAINS(listing, "grp<");
	printf("%s", listing);
	free(listing);
	devres_close_group(dev, NULL);	/* an open group at unregister is reported as lost */
	root_device_unregister(dev);
	{
		FILE *f = fopen("/dev/null", "w");

		KT_EQ(ukmem_show("devres:shown", f), -ENODEV);
		fclose(f);
	}
}

/* devm_alloc_percpu: zeroed per-CPU memory, freed by devm_free_percpu (6.1's only forgot it,
 * a leak later kernels fixed) or when the device goes. */
static void test_percpu(void)
{
	struct device *dev = new_dev("percpu");
	unsigned long reports = ukmem_report_count();
	long __percpu *p, *q;
	unsigned int cpu;
	char *out;

	p = devm_alloc_percpu(dev, long);
	q = devm_alloc_percpu(dev, long);
	KT_ASSERT(p && q && p != q);
	for_each_possible_cpu(cpu) {
		KT_EQ(*per_cpu_ptr(p, cpu), 0);
		*per_cpu_ptr(q, cpu) = cpu;
	}
	devm_free_percpu(dev, p);
	KT_EQ(ukmem_report_count(), reports);
	kt_capture_begin();
	devm_free_percpu(dev, p);		/* no longer managed: WARN */
	free_percpu(p);				/* and freed already */
	out = kt_capture_end();
	free(out);
	KT_EQ(ukmem_report_count(), reports + 2);
	root_device_unregister(dev);		/* frees q */
	kt_capture_begin();
	free_percpu(q);
	out = kt_capture_end();
	free(out);
	KT_EQ(ukmem_report_count(), reports + 3);
}

/* Match callbacks run in atomic context; using devres on the same device from one is the
 * kernel's spinlock recursion (the kernel hangs; here: a BUG report and abort). */
static bool saw_atomic;

static int atomic_match(struct device *dev, void *res, void *data)
{
	saw_atomic = in_atomic();
	return 1;
}

static int recursive_match(struct device *dev, void *res, void *data)
{
	devm_kfree(dev, res);
	return 1;
}

static void recursion_child(void *arg)
{
	struct device *dev = new_dev("recursive");

	devres_add(dev, new_counter(1));
	devres_find(dev, counter_release, recursive_match, NULL);
}

/* The same from a for-each callback, with devm_kzalloc. */
static void recursive_each(struct device *dev, void *res, void *data)
{
	devm_kzalloc(dev, 8, GFP_ATOMIC);
}

static void recursion_each_child(void *arg)
{
	struct device *dev = new_dev("recursive-each");

	devres_add(dev, new_counter(1));
	devres_for_each_res(dev, counter_release, NULL, NULL, recursive_each, NULL);
}

static void test_callback_context(void)
{
	struct device *dev = new_dev("context");
	char *out;
	int status;

	devres_add(dev, new_counter(1));
	KT_ASSERT(!in_atomic());
	KT_ASSERT(devres_find(dev, counter_release, atomic_match, NULL));
	KT_ASSERT(saw_atomic && !in_atomic());
	bt_log_reset();
	root_device_unregister(dev);
	BT_LOG_EQ(1);

	status = kt_run_child(recursion_child, NULL, &out);
	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	KT_CONTAINS(out, "BUG: spinlock recursion on CPU#");
	KT_CONTAINS(out, "devres_lock of recursive");
	free(out);

	status = kt_run_child(recursion_each_child, NULL, &out);
	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	KT_CONTAINS(out, "BUG: spinlock recursion on CPU#");
	KT_CONTAINS(out, "devres_lock of recursive-each");
	free(out);
	/* The owner's callback is over: it takes the lock by its bias again. */
	{
		struct device *dev = new_dev("after-callback");
		int n = 0;

		devres_add(dev, new_counter(1));
		devres_for_each_res(dev, counter_release, NULL, NULL, count_res, &n);
		KT_EQ(n, 1);
		KT_ASSERT(dev->p.devres_owner != NULL && !dev->p.devres_revoked);
		devm_kfree(dev, devm_kzalloc(dev, 8, GFP_KERNEL));
		KT_EQ(devres_count(dev, counter_release), 1);
		root_device_unregister(dev);
	}
}

/* 10,000 resources (and 1,000 groups) are released in linear time: count node visits. */
static void test_linear_release(void)
{
	const int n = 10000;
	struct device *dev = new_dev("many");
	unsigned long before;

	for (int i = 0; i < n; i++)
		KT_ASSERT(devm_kmalloc(dev, 32, GFP_KERNEL));
	before = __atomic_load_n(&ukmem__devres_stats.visits, __ATOMIC_RELAXED);
	root_device_unregister(dev);
	KT_ASSERT(__atomic_load_n(&ukmem__devres_stats.visits, __ATOMIC_RELAXED) - before <= 2UL * n);

	dev = new_dev("many-groups");
	for (int i = 0; i < n; i++) {
		if (i % 10 == 0)
			KT_ASSERT(devres_open_group(dev, NULL, GFP_KERNEL));
		KT_ASSERT(devm_kmalloc(dev, 32, GFP_KERNEL));
		if (i % 10 == 9)
			devres_close_group(dev, NULL);
	}
	before = __atomic_load_n(&ukmem__devres_stats.visits, __ATOMIC_RELAXED);
	root_device_unregister(dev);
	KT_ASSERT(__atomic_load_n(&ukmem__devres_stats.visits, __ATOMIC_RELAXED) - before <=
		  3UL * (n + 2 * n / 10));
}

int main(void)
{
	test_lifo();
	test_memory();
	test_devm_kfree();
	test_devm_kfree_search();
	test_devm_krealloc();
	test_kfree_of_devm_memory();
	test_groups();
	test_release_with_resources();
	test_no_release();
	test_uninitialized_device();
	test_release_uses_devres();
	test_lookups();
	test_helpers();
	test_percpu();
	test_show();
	test_callback_context();
	test_linear_release();
	/* the reports the tests caused (the last: test_groups closing a group twice) */
	KT_EQ(ukmem_exit(), 4 + 3 + 3 + 2 + 2 + 1 + 2 + 2 + 3 + 1 + 1);
	printf("test_devres: ok\n");
	return 0;
}
