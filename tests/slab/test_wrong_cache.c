/* SPDX-License-Identifier: MIT */
/*
 * kmem_cache_free(s, obj) of an object that is not from s, in whatever mode the command line
 * picks (the default, slub_debug, kasan=on; registered once for each).  6.1's kmem_cache_free
 * asks cache_from_obj (CONFIG_SLAB_FREELIST_HARDENED, as Debian builds it), which warns
 * "Wrong slab cache. S but object is from R" and returns R, the object's own cache: the
 * object is freed there, with R's checks.  So, here:
 *  - the warning, one report, and the object is free: a second free of it is R's double
 *    free, and both caches are empty at their destroy (no "still has objects");
 *  - a kmalloc object: freed into its kmalloc cache (a kfree of it after is a double free);
 *  - a NULL cache: the same warning, "(null) but object is from R", and the same free;
 *  - with slub_debug=U, the warning is followed by the object's allocation and free tracks
 *    (6.1's print_tracking), only for a pointer that starts an object;
 *  - a pointer inside an object of R: the warning, then R's invalid-free; the object stays
 *    live and is freed normally afterwards;
 *  - kmem_cache_free_bulk with foreign objects among its own (at the start, in the middle,
 *    at the end, two in a row): a warning for each, every object freed into its own cache,
 *    and the caches' live counts say so.
 * Before, the wrong-cache free was reported and ignored: the object leaked, and a driver
 * that freed it again correctly got no report.
 */
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

#define NO_TAIL()	__asm__ __volatile__("" ::: "memory")

static struct kmem_cache *a, *b;
static unsigned long expected;		/* reports so far */
/* what the modes call a double free and a pointer inside an object (slub_debug: SLUB's
 * words, else KASAN's) */
static const char *double_free = "double-free", *interior = "invalid-free";
static bool store_user;		/* slub_debug=...U...: the tracks follow the warning */

/* Runs fn(arg) with stderr captured; it must make @reports reports, and print @text; the
 * output is returned (the caller frees it). */
static char *expect_out(void (*fn)(void *), void *arg, int reports, const char *text)
{
	char *out;

	kt_capture_begin();
	fn(arg);
	out = kt_capture_end();
	expected += reports;
	KT_EQ(ukmem_report_count(), expected);
	if (text)
		KT_CONTAINS(out, text);
	return out;
}

static void expect(void (*fn)(void *), void *arg, int reports, const char *text)
{
	free(expect_out(fn, arg, reports, text));
}

/* Objects of c still allocated, as the cache's slabinfo line counts them. */
static unsigned long active(struct kmem_cache *c)
{
	char *buf = NULL, *line;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	unsigned long n = ~0UL;

	KT_ASSERT(f);
	kmem_cache_shrink(c);		/* kasan=on: quarantined objects are free ones */
	KT_EQ(ukmem_show("slabinfo", f), 0);
	fclose(f);
	line = strstr(buf, c == a ? "\nwc_a " : "\nwc_b ");
	KT_ASSERT(line);
	KT_EQ(sscanf(line + 6, "%lu", &n), 1);
	free(buf);
	return n;
}

static noinline void free_to_a(void *p) { kmem_cache_free(a, p); NO_TAIL(); }
static noinline void free_to_b(void *p) { kmem_cache_free(b, p); NO_TAIL(); }
static noinline void free_to_null(void *p) { kmem_cache_free(NULL, p); NO_TAIL(); }
static noinline void do_kfree(void *p) { kfree(p); NO_TAIL(); }

static noinline void single(void)
{
	void *o = kmem_cache_alloc(b, GFP_KERNEL);
	void *k = kmalloc(64, GFP_KERNEL);
	char *out;

	KT_ASSERT(o && k);
	memset(o, 0x5a, 48);
	KT_EQ(active(b), 1);
	out = expect_out(free_to_a, o, 1, "cache_from_obj: Wrong slab cache. wc_a but object is from wc_b");
	if (store_user) {
		KT_CONTAINS(out, "Allocated in single+0x");
		KT_CONTAINS(out, "age=");
		KT_NOT_CONTAINS(out, "Freed in");	/* never freed before: no free track */
	} else {
		KT_NOT_CONTAINS(out, "Allocated in");
	}
	free(out);
	expect(free_to_b, o, 1, double_free);	/* freed into wc_b: again is a double free */
	KT_EQ(active(b), 0);
	KT_EQ(active(a), 0);

	expect(free_to_a, k, 1, "Wrong slab cache. wc_a but object is from kmalloc-64");
	expect(do_kfree, k, 1, double_free);

	o = kmem_cache_alloc(b, GFP_KERNEL);
	KT_ASSERT(o);
	expect(free_to_null, o, 1, "Wrong slab cache. (null) but object is from wc_b");
	KT_EQ(active(b), 0);

	o = kmem_cache_alloc(b, GFP_KERNEL);
	KT_ASSERT(o);
	out = expect_out(free_to_a, (char *)o + 8, 2, interior);	/* the warning, then wc_b's */
	if (store_user)		/* no tracks read at a pointer inside an object */
		KT_CONTAINS(out, "Wrong slab cache. wc_a but object is from wc_b\n");
	KT_NOT_CONTAINS(out, "Allocated in single");
	free(out);
	KT_EQ(active(b), 1);			/* not freed: the pointer is inside it */
	kmem_cache_free(b, o);
	KT_EQ(ukmem_report_count(), expected);
	KT_EQ(active(b), 0);
}

struct bulk {
	size_t n;
	void **objs;
};

static noinline void bulk_to_a(void *arg)
{
	struct bulk *bk = arg;

	kmem_cache_free_bulk(a, bk->n, bk->objs);
	NO_TAIL();
}

/* n objects for kmem_cache_free_bulk(a): those at the positions in @foreign are wc_b's. */
static void bulk(size_t n, const size_t *foreign, size_t nforeign)
{
	void *objs[300];
	struct bulk bk = { n, objs };

	KT_ASSERT(n <= 300);
	for (size_t i = 0; i < n; i++) {
		bool f = false;

		for (size_t j = 0; j < nforeign; j++)
			f |= foreign[j] == i;
		objs[i] = kmem_cache_alloc(f ? b : a, GFP_KERNEL);
		KT_ASSERT(objs[i]);
	}
	KT_EQ(active(a), n - nforeign);
	KT_EQ(active(b), nforeign);
	expect(bulk_to_a, &bk, nforeign, nforeign ? "Wrong slab cache. wc_a but object is from wc_b" : NULL);
	KT_EQ(active(a), 0);
	KT_EQ(active(b), 0);
	/* every object is free: a fresh batch of each cache holds no duplicate */
	for (size_t i = 0; i < n; i++)
		objs[i] = kmem_cache_alloc(i & 1 ? a : b, GFP_KERNEL);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			KT_NE(objs[i], objs[j]);
	for (size_t i = 0; i < n; i++)
		kmem_cache_free(i & 1 ? a : b, objs[i]);
	KT_EQ(ukmem_report_count(), expected);
}

int main(void)
{
	static const size_t first[] = { 0 }, middle[] = { 3 }, last[] = { 7 }, pair[] = { 4, 5 },
			    spread[] = { 0, 17, 100, 101, 250, 299 };

	const char *cmdline = getenv("UKMEM_CMDLINE") ? getenv("UKMEM_CMDLINE") : "";

	KT_EQ(ukmem_init(cmdline), 0);
	if (strstr(cmdline, "slub_debug")) {
		double_free = "Object already free";
		interior = "Invalid object pointer";
		store_user = strchr(strstr(cmdline, "slub_debug=") ?: "", 'U');
	}
	a = kmem_cache_create("wc_a", 48, 0, 0, NULL);
	b = kmem_cache_create("wc_b", 48, 0, 0, NULL);
	KT_ASSERT(a && b);
	single();
	bulk(8, NULL, 0);
	bulk(8, first, 1);
	bulk(8, middle, 1);
	bulk(8, last, 1);
	bulk(8, pair, 2);
	bulk(300, spread, 6);
	kt_capture_begin();
	kmem_cache_destroy(a);		/* both empty: no "Slab cache still has objects" */
	kmem_cache_destroy(b);
	free(kt_capture_end());
	KT_EQ(ukmem_report_count(), expected);
	KT_EQ(ukmem_exit(), expected);
	printf("test_wrong_cache: ok\n");
	return 0;
}
