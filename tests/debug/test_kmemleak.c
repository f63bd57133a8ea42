/* SPDX-License-Identifier: MIT */
/*
 * kmemleak: ukmem_exit reports every object still allocated (kmalloc, kmem_cache, pages,
 * large kmalloc, vmalloc, kmemleak_alloc) in kmemleak's format and counts each as a
 * problem; objects with the same allocation stack are grouped; kmemleak_not_leak,
 * kmemleak_ignore and kmemleak_free keep objects out of the report; freed objects are never
 * reported.  ukmem_show("kmemleak") scans memory: an object referenced from a global, from
 * another live object, from a thread's stack or from malloc'd memory is not reported;
 * once nothing points to it, it is.  A per-CPU area's every copy is scanned (6.1 makes an
 * object of each): a pointer kept in CPU 1's copy only is a reference.
 */
#include <pthread.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem.h>
#include "ktest.h"


/* Count lines of @out that start with @prefix. */
static int count_lines(const char *out, const char *prefix)
{
	int n = 0;

	for (const char *p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		n += !strncmp(p, prefix, strlen(prefix));
	return n;
}

static noinline void *leak_kmalloc(size_t size)
{
	char *p = kmalloc(size, GFP_KERNEL);

	memcpy(p, "leaked by leak_kmalloc", 23);
	return p;
}

static void exit_report_child(void *arg)
{
	struct kmem_cache *cache = kmem_cache_create("leaky_cache", 100, 0, 0, NULL);
	void *freed = kmalloc(32, GFP_KERNEL);
	void *v = vmalloc(3 * PAGE_SIZE);
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	void *big = kmalloc(20000, GFP_KERNEL);

	KT_ASSERT(cache && v && page && big);
	kfree(freed);
	leak_kmalloc(64);
	kmem_cache_alloc(cache, GFP_KERNEL);
	memset(v, 'v', 3 * PAGE_SIZE);
	exit(ukmem_exit());
}

static void not_leak_child(void *arg)
{
	void *a = kmalloc(64, GFP_KERNEL), *b = kmalloc(64, GFP_KERNEL);
	void *c = vmalloc(PAGE_SIZE), *d = kmalloc(128, GFP_KERNEL), *e;
	static char custom[256];

	kmemleak_not_leak(a);
	kmemleak_ignore(b);
	kmemleak_not_leak(c);
	kmemleak_free(d);
	kmemleak_alloc(custom, sizeof(custom), 1, GFP_KERNEL);
	kmemleak_free(custom);
	e = vmalloc(2 * PAGE_SIZE);		/* registered again, as VM_DEFER_KMEMLEAK callers do */
	kmemleak_vmalloc(find_vm_area(e), 2 * PAGE_SIZE, GFP_KERNEL);
	vfree(e);				/* forgets both, as 6.1's vfree */
	exit(ukmem_exit());
}

static void custom_object_child(void *arg)
{
	static char custom[256] = "a custom allocator's object";

	kmemleak_alloc(custom, sizeof(custom), 1, GFP_KERNEL);
	exit(ukmem_exit());
}

/* kmemleak_free_part cuts a registered object; kmemleak_update_trace gives a fast-path
 * object the caller's stack. */
static void parts_child(void *arg)
{
	static char custom[256];
	void *p = kmalloc(64, GFP_KERNEL);

	kmemleak_alloc(custom, sizeof(custom), 1, GFP_KERNEL);
	kmemleak_free_part(custom, 128);
	kmemleak_update_trace(p);
	exit(ukmem_exit());
}

static void grouped_child(void *arg)
{
	for (int i = 0; i < 20; i++)
		leak_kmalloc(96);
	exit(ukmem_exit());
}

static void test_exit_report(void)
{
	char *out;
	int status = kt_run_child(exit_report_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 5);		/* kmalloc, cache object, vmalloc, pages, big */
	KT_EQ(count_lines(out, "unreferenced object 0x"), 5);
	KT_CONTAINS(out, " (size 64):\n  comm \"");
	KT_CONTAINS(out, " (size 100):\n");
	KT_CONTAINS(out, " (size 12288):\n");
	KT_CONTAINS(out, " (size 8192):\n");
	KT_CONTAINS(out, " (size 20000):\n");	/* kmalloc(20000): the size asked for, as the kernel */
	KT_CONTAINS(out, "  hex dump (first 32 bytes):\n");
	KT_CONTAINS(out, "    6c 65 61 6b 65 64 20 62 79 20 6c 65 61 6b 5f 6b  leaked by leak_k\n");
	KT_CONTAINS(out, "    76 76 76 76 76 76 76 76 76 76 76 76 76 76 76 76  vvvvvvvvvvvvvvvv\n");
	KT_CONTAINS(out, "  backtrace:\n");
	KT_CONTAINS(out, "] exit_report_child+");	/* vmalloc and pages: the call site */
	KT_CONTAINS(out, "    (the caller only: kmemleak.stacks=on records whole stacks)\n"
			 "  (a vmalloc object)\n");
	KT_NOT_CONTAINS(out, "] __vmalloc_node_range+");	/* no stack by default */
	KT_CONTAINS(out, "kmemleak: 5 new suspected memory leaks");
	KT_NOT_CONTAINS(out, " (size 32):");	/* freed */
	free(out);
}

static void test_not_leak(void)
{
	char *out;
	int status = kt_run_child(not_leak_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 0);
	KT_NOT_CONTAINS(out, "unreferenced object");
	free(out);
	status = kt_run_child(custom_object_child, NULL, &out);
	KT_EQ(WEXITSTATUS(status), 1);
	KT_CONTAINS(out, " (size 256):\n");
	KT_CONTAINS(out, "  a custom allocat\n");
	KT_CONTAINS(out, "] custom_object_child+");
	free(out);
}

/* Flags belong to one object: kmemleak_not_leak/ignore on an object or page that is then
 * freed say nothing about the next one at that address (which the per-thread arrays and
 * page lists hand out at once), so that one is reported when it leaks. */
static void reused_child(void *arg)
{
	struct kmem_cache *c = kmem_cache_create("reuse_cache", 72, 0, 0, NULL);
	void *a = kmalloc(100, GFP_KERNEL), *x = kmem_cache_alloc(c, GFP_KERNEL), *b, *y;
	struct page *pa = alloc_pages(GFP_KERNEL, 0), *pb;

	kmemleak_not_leak(a);
	kfree(a);
	b = kmalloc(100, GFP_KERNEL);
	kmemleak_ignore(x);
	kmem_cache_free(c, x);
	y = kmem_cache_alloc(c, GFP_KERNEL);
	kmemleak_not_leak(page_address(pa));
	__free_pages(pa, 0);
	pb = alloc_pages(GFP_KERNEL, 0);
	fprintf(stderr, "reused %d %d %d\n", a == b, x == y, pa == pb);
	exit(ukmem_exit());		/* b, y and pb leak */
}

static void test_flags_die_with_object(void)
{
	char *out;
	int status = kt_run_child(reused_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_CONTAINS(out, "reused 1 1 1\n");	/* the case this is about */
	KT_EQ(WEXITSTATUS(status), 3);
	KT_EQ(count_lines(out, "unreferenced object 0x"), 3);
	KT_CONTAINS(out, " (size 4096):\n");
	KT_CONTAINS(out, " (size 128):\n");		/* kmalloc-128's object size, as 6.1 */
	KT_CONTAINS(out, " (size 72):\n");
	free(out);
}

/* The API on objects kmemleak does not know, as 6.1: a freed object or a static buffer is
 * unknown to kmemleak_not_leak, kmemleak_ignore and kmemleak_no_scan (a warning naming the
 * caller; the flag is not kept, so the next object at a freed address is still reported),
 * kmemleak_free and kmemleak_free_part of one are silent, and kmemleak_alloc of a range a
 * live slab object holds is refused with "overlaps existing" (no record that would outlive
 * the object).  A large kmalloc and __get_free_pages name their caller in the leak's
 * backtrace, not ukmem's function. */
static char static_buf[96];

static noinline void *big_leaker(void)
{
	void *p = kmalloc(20000, GFP_KERNEL);

	__asm__ volatile("" : : "r"(p) : "memory");	/* no tail call: this frame asks */
	return p;
}

static volatile size_t var_size = 30000;

static noinline void *var_leaker(void)		/* through __kmalloc, not the inline */
{
	void *p = kmalloc(var_size, GFP_KERNEL);

	__asm__ volatile("" : : "r"(p) : "memory");
	return p;
}

static noinline unsigned long page_leaker(void)
{
	unsigned long addr = __get_free_pages(GFP_KERNEL, 1);

	__asm__ volatile("" : : "r"(addr) : "memory");
	return addr;
}

static void misuse_child(void *arg)
{
	void *a = kmalloc(100, GFP_KERNEL), *b, *c;

	kfree(a);
	kmemleak_not_leak(a);
	b = kmalloc(100, GFP_KERNEL);
	kmemleak_ignore(static_buf);
	kmemleak_no_scan(static_buf);
	kmemleak_free(static_buf + 8);
	kmemleak_free_part(static_buf + 8, 8);
	c = kmalloc(64, GFP_KERNEL);
	kmemleak_alloc(c, 32, 1, GFP_KERNEL);
	kfree(c);
	kmemleak_alloc(static_buf, sizeof(static_buf), 1, GFP_KERNEL);
	kmemleak_alloc(static_buf, sizeof(static_buf), 1, GFP_KERNEL);
	kmemleak_free(static_buf);
	fprintf(stderr, "leaking %p %p %p %lx\n", b, big_leaker(), var_leaker(), page_leaker());
	b = NULL;
	exit(ukmem_exit());		/* b, the large kmallocs and the pages leak */
}

static void test_api_misuse(void)
{
	char *out;
	int status = kt_run_child(misuse_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 4);
	KT_CONTAINS(out, "kmemleak: Trying to color unknown object at 0x");
	KT_CONTAINS(out, " as Grey\nCall Trace:\n <TASK>\n misuse_child+");
	KT_CONTAINS(out, " as Black\nCall Trace:\n <TASK>\n misuse_child+");
	KT_CONTAINS(out, "kmemleak: Not scanning unknown object at 0x");
	KT_NOT_CONTAINS(out, "Freeing");
	KT_EQ(count_lines(out, "kmemleak: Cannot insert 0x"), 2);
	KT_CONTAINS(out, " into the object search tree (overlaps existing)\nCall Trace:\n <TASK>\n misuse_child+");
	KT_CONTAINS(out, " (size 64):\n");		/* the slab object it overlaps */
	KT_CONTAINS(out, "registered with kmemleak_alloc() already\n");
	KT_EQ(count_lines(out, "unreferenced object 0x"), 4);
	KT_CONTAINS(out, " (size 128):\n");		/* b: the flag did not stay */
	KT_CONTAINS(out, "] big_leaker+");
	KT_CONTAINS(out, "] var_leaker+");
	KT_CONTAINS(out, "] page_leaker+");
	KT_NOT_CONTAINS(out, "] kmalloc_large");
	KT_NOT_CONTAINS(out, "] __get_free_pages+");
	free(out);
}

/* An interrupt's allocation belongs to no task: comm "hardirq" or "softirq", pid 0, as the
 * kernel's kmemleak records it.  The handler's kmalloc is recorded because the raising
 * thread is under fault injection (armed far beyond what runs); the RCU callback (softirq
 * context) registers a custom object. */
static char softirq_buf[48] = "registered in a callback";

static irqreturn_t leaky_irq(int irq, void *dev)
{
	strcpy(kmalloc(40, GFP_ATOMIC), "leaked by an irq handler");
	return IRQ_HANDLED;
}

static void leaky_cb(struct rcu_head *head)
{
	kmemleak_alloc(softirq_buf, sizeof(softirq_buf), 1, GFP_ATOMIC);
	kfree(head);
}

static void interrupt_child(void *arg)
{
	request_irq(10, leaky_irq, 0, "leaky", NULL);
	ukmem_set_fail_nth(1000000);
	ukmem_irq_raise(10);
	ukmem_set_fail_nth(0);
	free_irq(10, NULL);
	call_rcu(kmalloc(sizeof(struct rcu_head), GFP_KERNEL), leaky_cb);
	rcu_barrier();
	exit(ukmem_exit());
}

static void test_interrupt_comm(void)
{
	char *out;
	int status = kt_run_child(interrupt_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 2);
	KT_CONTAINS(out, " (size 64):\n  comm \"hardirq\", pid 0, jiffies ");	/* kmalloc-64 */
	KT_CONTAINS(out, "leaked by an irq");
	KT_CONTAINS(out, "] leaky_irq+");
	KT_CONTAINS(out, " (size 48):\n  comm \"softirq\", pid 0, jiffies ");
	KT_CONTAINS(out, "] leaky_cb+");
	free(out);
}

static void test_parts(void)
{
	char *out;
	int status = kt_run_child(parts_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 2);
	KT_CONTAINS(out, " (size 128):\n");
	KT_CONTAINS(out, " (size 64):\n");
	KT_NOT_CONTAINS(out, "not recorded");		/* update_trace gave it a stack */
	KT_CONTAINS(out, "] parts_child+");
	free(out);
}

static void test_grouped(void)
{
	char *out;
	int status = kt_run_child(grouped_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 20);		/* every object counts */
	KT_EQ(count_lines(out, "unreferenced object 0x"), 16);
	KT_EQ(count_lines(out, "  backtrace: the same as object 0x"), 15);
	KT_CONTAINS(out, "... and 4 more unreferenced objects (384 bytes) with the same backtrace\n");
	free(out);
}

/* ---- the scan ---- */
struct node {
	struct node *next;
	char data[56];
};

static struct node *global_head;
static void *in_malloc_heap_holder;	/* points to malloc'd memory that holds an object */
static pthread_mutex_t thread_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t thread_cond = PTHREAD_COND_INITIALIZER;
static int thread_state;

static noinline void make_list(void)
{
	struct node *a = kzalloc(sizeof(*a), GFP_KERNEL), *b = kzalloc(sizeof(*b), GFP_KERNEL);

	strcpy(b->data, "second node");
	a->next = b;
	global_head = a;
}

static noinline void *thread_fn(void *arg)
{
	volatile unsigned long held = (unsigned long)kmalloc(200, GFP_KERNEL) ^ 0;

	pthread_mutex_lock(&thread_lock);
	thread_state = 1;
	pthread_cond_broadcast(&thread_cond);
	while (thread_state != 2)
		pthread_cond_wait(&thread_cond, &thread_lock);
	pthread_mutex_unlock(&thread_lock);
	kfree((void *)held);
	return NULL;
}

static noinline void heap_holder(void)
{
	void **box = malloc(64);

	box[0] = kmalloc(300, GFP_KERNEL);
	in_malloc_heap_holder = box;
}

/* Hide or restore the only references (inverted, so not pointers, but recoverable). */
static noinline void flip_refs(void)
{
	void **box = in_malloc_heap_holder;

	global_head = (struct node *)(~(unsigned long)global_head);
	box[0] = (void *)(~(unsigned long)box[0]);
}

static noinline void free_all(void)
{
	void **box = in_malloc_heap_holder;

	kfree(global_head->next);
	kfree(global_head);
	kfree(box[0]);
	free(box);
}

static void test_scan(void)
{
	pthread_t t;
	char *out;

	make_list();
	heap_holder();
	KT_EQ(pthread_create(&t, NULL, thread_fn, NULL), 0);
	pthread_mutex_lock(&thread_lock);
	while (thread_state != 1)
		pthread_cond_wait(&thread_cond, &thread_lock);
	pthread_mutex_unlock(&thread_lock);
	kt_scrub_stack();
	out = kt_show("kmemleak");
	KT_NOT_CONTAINS(out, "unreferenced object");	/* global, chain, heap, thread stack */
	free(out);

	/* Drop the only references: the list and the malloc'd box's object are unreferenced.
	 * (Under AddressSanitizer its fake stacks and malloc quarantine keep stale copies of
	 * pointers, which the conservative scan counts: there it may find fewer.) */
	flip_refs();
	kt_scrub_stack();
	out = kt_show("kmemleak");
	if (!KT_UNDER_ASAN) {
		KT_EQ(count_lines(out, "unreferenced object 0x"), 3);
		KT_CONTAINS(out, " (size 64):\n");
		KT_CONTAINS(out, " (size 512):\n");	/* the size class of kmalloc(300) */
		KT_CONTAINS(out, "second n");
	}
	free(out);

	/* Put the references back: clean again; the thread's object is freed when it ends. */
	flip_refs();
	out = kt_show("kmemleak");
	KT_NOT_CONTAINS(out, "unreferenced object");
	free(out);
	pthread_mutex_lock(&thread_lock);
	thread_state = 2;
	pthread_cond_broadcast(&thread_cond);
	pthread_mutex_unlock(&thread_lock);
	pthread_join(t, NULL);
	free_all();
}

/* An object whose only reference is in CPU 1's copy of a per-CPU area. */
static void * __percpu *percpu_slots;
static unsigned long percpu_held;	/* its address, inverted: not a reference */

static noinline void percpu_hold(void)
{
	percpu_slots = alloc_percpu(void *);
	percpu_held = ~(unsigned long)kmalloc(88, GFP_KERNEL);
	*per_cpu_ptr(percpu_slots, 1) = (void *)~percpu_held;
}

static void test_scan_percpu(void)
{
	char want[80], *out;

	KT_ASSERT(nr_cpu_ids >= 2);
	percpu_hold();
	snprintf(want, sizeof(want), "unreferenced object 0x%08lx (size 96):\n", ~percpu_held);
	kt_scrub_stack();
	out = kt_show("kmemleak");
	KT_NOT_CONTAINS(out, want);
	free(out);
	*per_cpu_ptr(percpu_slots, 1) = NULL;	/* now nothing points to it */
	kt_scrub_stack();
	out = kt_show("kmemleak");
	if (!KT_UNDER_ASAN)
		KT_CONTAINS(out, want);
	free(out);
	kfree((void *)~percpu_held);
	free_percpu(percpu_slots);
}

int main(void)
{
	char cmdline[256];

	/* UKMEM_CMDLINE carries ukmem.annotate=0 under ASan: the grouping checked here needs
	 * the production layout, where slab objects from the fast path share one group. */
	snprintf(cmdline, sizeof(cmdline), "%s mem=64M",
		 getenv("UKMEM_CMDLINE") ? getenv("UKMEM_CMDLINE") : "");
	KT_EQ(ukmem_init(cmdline), 0);
	test_exit_report();
	test_not_leak();
	test_flags_die_with_object();
	test_api_misuse();
	test_interrupt_comm();
	test_grouped();
	test_parts();
	test_scan();
	test_scan_percpu();
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
