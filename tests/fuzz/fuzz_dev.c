/* SPDX-License-Identifier: MIT */
/*
 * The shadow-model fuzzer's driver half: devres, ioremap and DMA on devices of its own.
 *
 * Two platform devices, fuzz_dev.0 (64-bit DMA masks: never bounces) and fuzz_dev.1 (the
 * platform bus's 32-bit masks: kmalloc memory above 4 GiB bounces through swiotlb), are
 * bound to a driver whose probe does nothing.  Three emulated devices sit in the hole below
 * 4 GiB: two memory-backed regions (one starting mid-page) and one with callbacks over a
 * register array.  The model keeps:
 *  - per device, its devres list in order (memory, actions, dmam coherent memory, devm
 *    mappings, group markers): after every devres call `ukmem_show("devres:NAME")` must list
 *    as many entries, and every release (devm_release_action, devres_release_group, unbind,
 *    device release) must run exactly the actions the kernel's rules pick (a group's span,
 *    nested groups with both markers in it) newest first, and free exactly those objects;
 *  - per emulated region, its contents: every read through any mapping (readb..readq,
 *    memcpy_fromio) and the device's own view must match, after every write through any
 *    mapping or by the device;
 *  - per DMA object, what the CPU sees and, for a bounced mapping, what the device sees:
 *    the kernel's rules say when one is copied to the other (map, sync for the device or the
 *    CPU by direction, unmap); the device side (ukmem_dma_read/write) must read what the
 *    model says.  Coherent memory and pool blocks are zeroed when asked, within the coherent
 *    mask, at their physical address; pool blocks are aligned and cross no boundary;
 *  - wrong uses (devm_kfree/devm_krealloc of memory the device does not own, iounmap of a
 *    non-mapping, a double dma_unmap, a device access against the direction, a sync or a
 *    device write of memory never mapped, dma_pool_free to the wrong pool or twice,
 *    dma_free_coherent of memory never allocated, group calls naming no group or a closed
 *    one) make exactly one report and change nothing the model can see.  devm_iounmap of a
 *    plain mapping WARNs and unmaps it all the same, as the kernel's.
 * Everything the driver half holds is RAM in the shared object table (fuzz_mm.h), so the
 * memory half's overlap and contents checks cover it; fz_dev_end_input gives it all back
 * before the counters are compared.  Single-threaded, like the rest of the fuzzer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ukmem.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/io.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/vmalloc.h>
#include <linux/log2.h>
#include "fuzz_mm.h"

#define NR_DEVS		2
#define MAX_DRES	96
#define MAX_GROUPS	16
#define MAX_ACTIONS	32
#define MAX_MAPS	12
#define MAX_POOLS	4
#define NR_REGIONS	3
#define REGS_SIZE	0x100

enum rtype { R_MEM, R_ACTION, R_COHERENT, R_IOMAP, R_OPEN, R_CLOSE };

struct dres {
	enum rtype type;
	int idx;			/* object, action, mapping or group */
};

struct fdev {
	struct platform_device *pdev;
	bool bound;
	int n;
	struct dres res[MAX_DRES];	/* oldest first */
};

struct group {
	bool live, closed;
	int dev;
	void *id;
};

struct action {
	bool live;
	int dev;
};

struct map {
	bool live;
	int region;
	size_t off, len;
	unsigned char __iomem *p;
	int dev;			/* devm_ioremap's device, or -1 */
};

struct pool {
	struct dma_pool *pool;
	int dev;
	size_t size, align, boundary;
	bool pages;			/* has allocated: holds coherent pages until destroyed */
};

struct region {
	const char *name;
	phys_addr_t base;
	size_t size;
	bool mem;			/* memory-backed; else callbacks over D.regs */
	unsigned char *view;		/* the device's view */
	unsigned char *shadow;
};

static struct {
	struct fdev dev[NR_DEVS];
	struct group group[MAX_GROUPS];
	struct action action[MAX_ACTIONS];
	struct map map[MAX_MAPS];
	struct pool pool[MAX_POOLS];
	int log[MAX_ACTIONS];		/* actions run by the last call, in order */
	int nlog;
	unsigned char regs[REGS_SIZE];
} D;

static char group_ids[MAX_GROUPS];	/* explicit group ids */
static char action_tags[MAX_ACTIONS];	/* an action's data: its index */
static unsigned char shadow0[0x10000], shadow1[0x1800], shadow2[REGS_SIZE];

static struct region regions[NR_REGIONS] = {
	{ "fuzz_mem0", 0xc0000000, sizeof(shadow0), true, NULL, shadow0 },
	{ "fuzz_mem1", 0xc0020800, sizeof(shadow1), true, NULL, shadow1 },
	{ "fuzz_regs", 0xc0030000, sizeof(shadow2), false, NULL, shadow2 },
};

/* Two input bytes, big-endian (in this order, whatever the compiler). */
static size_t word(void)
{
	size_t hi = fz_byte();

	return (hi << 8) | fz_byte();
}

static struct device *dv(int i)
{
	return &D.dev[i].pdev->dev;
}

/* ---- the fuzzer's driver and devices ---- */
static int fz_probe(struct platform_device *pdev)
{
	(void)pdev;
	return 0;
}

static struct platform_driver fz_driver = {
	.probe = fz_probe,
	.driver = { .name = "fuzz_dev" },
};

static void dev_create(int i)
{
	struct fdev *d = &D.dev[i];

	d->pdev = platform_device_register_simple("fuzz_dev", i, NULL, 0);
	if (IS_ERR_OR_NULL(d->pdev))
		FAIL("platform_device_register_simple(fuzz_dev, %d) failed", i);
	if (i == 0 && dma_set_mask_and_coherent(dv(i), DMA_BIT_MASK(64)))
		FAIL("dma_set_mask_and_coherent(64) failed");
	if (dv(i)->driver != &fz_driver.driver)
		FAIL("fuzz_dev.%d is not bound", i);
	d->bound = true;
	d->n = 0;
}

static u64 regs_read(void *priv, u64 off, unsigned int size)
{
	u64 v = 0;

	(void)priv;
	if (off + size > REGS_SIZE)
		FAIL("register read of %u at +%#llx", size, (unsigned long long)off);
	memcpy(&v, D.regs + off, size);
	return v;
}

static void regs_write(void *priv, u64 off, unsigned int size, u64 v)
{
	(void)priv;
	if (off + size > REGS_SIZE)
		FAIL("register write of %u at +%#llx", size, (unsigned long long)off);
	memcpy(D.regs + off, &v, size);
}

static const struct ukmem_mmio_ops regs_ops = { .read = regs_read, .write = regs_write };

void fz_dev_start(void)
{
	if (platform_driver_register(&fz_driver))
		FAIL("platform_driver_register failed");
	for (int i = 0; i < NR_DEVS; i++)
		dev_create(i);
	for (int r = 0; r < NR_REGIONS; r++) {
		struct region *g = &regions[r];

		if (ukmem_mmio_add(g->name, g->base, g->size, g->mem ? NULL : &regs_ops, NULL))
			FAIL("ukmem_mmio_add(%s) failed", g->name);
		g->view = g->mem ? ukmem_mmio_mem(g->base) : D.regs;
		if (!g->view)
			FAIL("ukmem_mmio_mem(%s) is NULL", g->name);
	}
}

void fz_dev_begin_input(void)
{
	for (int r = 0; r < NR_REGIONS; r++) {
		memset(regions[r].view, 0, regions[r].size);
		memset(regions[r].shadow, 0, regions[r].size);
	}
	memset(D.group, 0, sizeof(D.group));
	memset(D.action, 0, sizeof(D.action));
	D.nlog = 0;
}

/* ---- the devres model ---- */
static void fz_action(void *data)
{
	int k = (int)((char *)data - action_tags);

	if (k < 0 || k >= MAX_ACTIONS || D.nlog >= MAX_ACTIONS)
		FAIL("an action ran with data %p", data);
	D.log[D.nlog++] = k;
}

static void check_devres_list(int i)
{
	char name[48], *buf = NULL, *c;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	unsigned long n;

	snprintf(name, sizeof(name), "devres:%s", dev_name(dv(i)));
	if (ukmem_show(name, f))
		FAIL("ukmem_show(%s) failed", name);
	fclose(f);
	c = strstr(buf, ": ");
	n = c ? strtoul(c + 2, NULL, 10) : ~0UL;
	if (n != (unsigned long)D.dev[i].n)
		FAIL("%s lists %lu resources, the model %d:\n%s", name, n, D.dev[i].n, buf);
	free(buf);
}

static bool dres_room(int i, int more)
{
	return D.dev[i].n + more <= MAX_DRES;
}

static void dres_push(int i, enum rtype t, int idx)
{
	struct fdev *d = &D.dev[i];

	d->res[d->n++] = (struct dres){ t, idx };
}

static int dres_find(int i, enum rtype t, int idx)
{
	for (int k = D.dev[i].n - 1; k >= 0; k--)
		if (D.dev[i].res[k].type == t && D.dev[i].res[k].idx == idx)
			return k;
	return -1;
}

static void dres_del(int i, int k)
{
	struct fdev *d = &D.dev[i];

	if (k < 0)
		FAIL("the model lost a resource of fuzz_dev.%d", i);
	memmove(&d->res[k], &d->res[k + 1], (size_t)(d->n - k - 1) * sizeof(d->res[0]));
	d->n--;
}

static void expect_actions(const int *want, int n, const char *what)
{
	if (D.nlog != n)
		FAIL("%s ran %d actions, expected %d", what, D.nlog, n);
	for (int k = 0; k < n; k++)
		if (D.log[k] != want[k])
			FAIL("%s: action %d ran %d-th, expected %d", what, D.log[k], k, want[k]);
	D.nlog = 0;
}

/*
 * The kernel's remove_nodes() over [first, end) of device i's list: every resource in the
 * span, and every group both of whose markers are in it (an open group counts its missing
 * closing marker as in).  Marks them; returns how many resources (not markers).
 */
static int span_mark(int i, int first, int end, bool *mark)
{
	struct fdev *d = &D.dev[i];
	int cnt = 0;

	memset(mark, 0, MAX_DRES * sizeof(*mark));
	for (int k = first; k < end; k++)
		if (d->res[k].type != R_OPEN && d->res[k].type != R_CLOSE) {
			mark[k] = true;
			cnt++;
		}
	for (int k = first; k < end; k++) {
		int g = d->res[k].idx, color = 0, k0, k1;

		if (d->res[k].type != R_OPEN && d->res[k].type != R_CLOSE)
			continue;
		k0 = dres_find(i, R_OPEN, g);
		k1 = dres_find(i, R_CLOSE, g);
		color += k0 >= first && k0 < end;
		color += k1 < 0 || (k1 >= first && k1 < end);
		if (color == 2) {
			mark[k0] = true;
			if (k1 >= 0)
				mark[k1] = true;
		}
	}
	return cnt;
}

/* Everything marked is checked now (the call will free it); returns the actions it runs. */
static int span_expect(int i, const bool *mark, int *acts)
{
	struct fdev *d = &D.dev[i];
	int na = 0;

	for (int k = d->n - 1; k >= 0; k--) {
		if (!mark[k])
			continue;
		if (d->res[k].type == R_MEM || d->res[k].type == R_COHERENT)
			fz_check_obj(&M.obj[d->res[k].idx], true);
		if (d->res[k].type == R_ACTION)
			acts[na++] = d->res[k].idx;
	}
	return na;
}

/* After the call released the marked entries: out of the model. */
static void span_forget(int i, const bool *mark)
{
	struct fdev *d = &D.dev[i];
	int n = 0;

	for (int k = 0; k < d->n; k++) {
		struct dres *r = &d->res[k];

		if (!mark[k]) {
			d->res[n++] = *r;
			continue;
		}
		switch (r->type) {
		case R_MEM: case R_COHERENT: fz_drop(&M.obj[r->idx], false); break;
		case R_ACTION: D.action[r->idx].live = false; break;
		case R_IOMAP: D.map[r->idx].live = false; break;
		case R_OPEN: case R_CLOSE: D.group[r->idx].live = false; break;
		}
	}
	d->n = n;
}

/* The device's whole list is released by the call @release makes. */
static void release_all(int i, void (*release)(int i), unsigned long reports, const char *what)
{
	bool mark[MAX_DRES];
	int acts[MAX_DRES], na;

	span_mark(i, 0, D.dev[i].n, mark);
	na = span_expect(i, mark, acts);
	release(i);
	fz_expect_reports(reports, what);
	expect_actions(acts, na, what);
	span_forget(i, mark);
}

/* ---- devres: memory, actions, groups ---- */
static void check_devm(const unsigned char *p, size_t size, const char *what)
{
	if ((uintptr_t)p % ARCH_KMALLOC_MINALIGN)
		FAIL("%s: %p is not aligned to %zu", what, p, (size_t)ARCH_KMALLOC_MINALIGN);
	if (!virt_addr_valid(p) || !virt_addr_valid(p + size - 1))
		FAIL("%s: %p (+%zu) is not in the direct map", what, p, size);
	if (virt_to_phys((void *)(p + size - 1)) - virt_to_phys((void *)p) != size - 1)
		FAIL("%s: %p (+%zu) is not physically contiguous", what, p, size);
}

static void devm_new(int i, struct obj *o, unsigned char *p, size_t size, const char *what)
{
	fz_expect_reports(0, what);
	if (!p)
		FAIL("%s(%zu) failed", what, size);
	check_devm(p, size, what);
	fz_check_new(p, size, what);
	fz_add(o, K_DEVM, p, size);
	o->dev = i;
	dres_push(i, R_MEM, (int)(o - M.obj));
	check_devres_list(i);
}

static void op_devm_alloc(void)
{
	int i = (int)(fz_byte() % NR_DEVS);
	unsigned int how = fz_byte() % 4;
	size_t size = fz_size_of(12), n = 1 + fz_byte() % 8;
	struct obj *o = fz_slot_free();
	unsigned char *p;

	if (!o || !dres_room(i, 1))
		return;
	TRACE("devm alloc %u on fuzz_dev.%d: %zu x %zu", how, i, n, size);
	switch (how) {
	case 0: p = devm_kmalloc(dv(i), size, GFP_KERNEL); break;
	case 1: p = devm_kzalloc(dv(i), size, GFP_KERNEL); break;
	case 2: p = devm_kcalloc(dv(i), n, size, GFP_KERNEL); size *= n; break;
	default: p = devm_kmalloc_array(dv(i), n, size, GFP_KERNEL); size *= n; break;
	}
	if (p && (how == 1 || how == 2))
		fz_check_bytes(p, size, 0, "devm_kzalloc");
	devm_new(i, o, p, size, "devm_kmalloc");
}

static void op_devm_krealloc(void)
{
	struct obj *o = fz_slot_pick(fz_byte(), K_DEVM);
	size_t size = fz_size_of(fz_byte() & 1 ? 14 : 10), keep;
	int i = (int)(fz_byte() % NR_DEVS);
	unsigned char *p;

	if (!o) {			/* devm_krealloc(NULL) allocates */
		if (!(o = fz_slot_free()) || !dres_room(i, 1))
			return;
		TRACE("devm_krealloc(NULL, %zu) on fuzz_dev.%d", size, i);
		devm_new(i, o, devm_krealloc(dv(i), NULL, size, GFP_KERNEL), size, "devm_krealloc");
		return;
	}
	TRACE("devm_krealloc(%p, %zu -> %zu)", o->p, o->size, size);
	fz_check_obj(o, true);
	p = devm_krealloc(dv(o->dev), o->p, size, GFP_KERNEL);
	fz_expect_reports(0, "devm_krealloc");
	if (!p)
		FAIL("devm_krealloc(%zu -> %zu) failed", o->size, size);
	keep = size < o->size ? size : o->size;
	fz_check_bytes(p, keep, o->fill, "devm_krealloc kept");
	check_devm(p, size, "devm_krealloc");
	M.live_bytes -= o->size;	/* same slot, same place in the device's list */
	o->kind = K_FREE;
	fz_check_new(p, size, "devm_krealloc");
	fz_add(o, K_DEVM, p, size);
	check_devres_list(o->dev);
}

static void op_devm_kfree(void)
{
	struct obj *o = fz_slot_pick(fz_byte(), K_DEVM);

	if (!o)
		return;
	TRACE("devm_kfree(%p) on fuzz_dev.%d", o->p, o->dev);
	fz_drop(o, true);
	devm_kfree(dv(o->dev), o->p);
	fz_expect_reports(0, "devm_kfree");
	dres_del(o->dev, dres_find(o->dev, R_MEM, (int)(o - M.obj)));
	check_devres_list(o->dev);
}

static int action_pick(unsigned int b)
{
	for (int k = 0; k < MAX_ACTIONS; k++)
		if (D.action[(b + k) % MAX_ACTIONS].live)
			return (int)((b + k) % MAX_ACTIONS);
	return -1;
}

static void op_action(void)
{
	unsigned int how = fz_byte() % 4, b = fz_byte();
	int i = (int)(fz_byte() % NR_DEVS), k = action_pick(b);

	if (how < 2) {			/* devm_add_action(_or_reset) */
		for (k = 0; k < MAX_ACTIONS && D.action[k].live; k++)
			;
		if (k == MAX_ACTIONS || !dres_room(i, 1))
			return;
		TRACE("devm_add_action%s(fuzz_dev.%d, %d)", how ? "_or_reset" : "", i, k);
		if ((how ? devm_add_action_or_reset : devm_add_action)(dv(i), fz_action,
								      &action_tags[k]))
			FAIL("devm_add_action failed");
		D.action[k] = (struct action){ true, i };
		dres_push(i, R_ACTION, k);
	} else {			/* release (runs it now) or remove (never runs) */
		if (k < 0)
			return;
		i = D.action[k].dev;
		TRACE("devm_%s_action(fuzz_dev.%d, %d)", how == 2 ? "release" : "remove", i, k);
		if (how == 2)
			devm_release_action(dv(i), fz_action, &action_tags[k]);
		else
			devm_remove_action(dv(i), fz_action, &action_tags[k]);
		expect_actions(&k, how == 2, "devm_release_action");
		D.action[k].live = false;
		dres_del(i, dres_find(i, R_ACTION, k));
	}
	fz_expect_reports(0, "devm actions");
	check_devres_list(i);
}

static int group_pick(unsigned int b, int dev, bool open_only)
{
	for (int k = 0; k < MAX_GROUPS; k++) {
		struct group *g = &D.group[(b + k) % MAX_GROUPS];

		if (g->live && (dev < 0 || g->dev == dev) && (!open_only || !g->closed))
			return (int)((b + k) % MAX_GROUPS);
	}
	return -1;
}

/* The group devres finds for id NULL: the newest open one. */
static int group_newest_open(int i)
{
	for (int k = D.dev[i].n - 1; k >= 0; k--) {
		struct dres *r = &D.dev[i].res[k];

		if (r->type == R_OPEN && !D.group[r->idx].closed)
			return r->idx;
	}
	return -1;
}

static void group_open(int i, bool explicit_id)
{
	int g;
	void *id;

	for (g = 0; g < MAX_GROUPS && D.group[g].live; g++)
		;
	if (g == MAX_GROUPS || !dres_room(i, 2))
		return;
	TRACE("devres_open_group(fuzz_dev.%d, %s) = group %d", i, explicit_id ? "id" : "NULL", g);
	id = devres_open_group(dv(i), explicit_id ? &group_ids[g] : NULL, GFP_KERNEL);
	if (!id || (explicit_id && id != &group_ids[g]))
		FAIL("devres_open_group returned %p", id);
	D.group[g] = (struct group){ true, false, i, id };
	dres_push(i, R_OPEN, g);
}

static void group_release(int i, int g, bool by_id)
{
	int k0 = dres_find(i, R_OPEN, g), k1 = dres_find(i, R_CLOSE, g), cnt, got, na;
	int acts[MAX_DRES];
	bool mark[MAX_DRES];

	TRACE("devres_release_group(fuzz_dev.%d, group %d%s)", i, g, by_id ? "" : " as NULL");
	cnt = span_mark(i, k0, k1 >= 0 ? k1 + 1 : D.dev[i].n, mark);
	na = span_expect(i, mark, acts);
	got = devres_release_group(dv(i), by_id ? D.group[g].id : NULL);
	fz_expect_reports(0, "devres_release_group");
	expect_actions(acts, na, "devres_release_group");
	if (got != cnt)
		FAIL("devres_release_group released %d, expected %d", got, cnt);
	span_forget(i, mark);
}

static void op_group(void)
{
	unsigned int how = fz_byte() % 5, b = fz_byte();
	int i = (int)(fz_byte() % NR_DEVS), g = group_pick(b, i, how == 2);
	bool by_id = fz_byte() & 1;

	if (how < 2) {
		group_open(i, how == 0);
	} else {
		if (!by_id)
			g = group_newest_open(i);
		if (g < 0)
			return;
		switch (how) {
		case 2:
			TRACE("devres_close_group(fuzz_dev.%d, group %d)", i, g);
			devres_close_group(dv(i), by_id ? D.group[g].id : NULL);
			D.group[g].closed = true;
			dres_push(i, R_CLOSE, g);
			break;
		case 3:
			TRACE("devres_remove_group(fuzz_dev.%d, group %d)", i, g);
			devres_remove_group(dv(i), by_id ? D.group[g].id : NULL);
			dres_del(i, dres_find(i, R_OPEN, g));
			if (D.group[g].closed)
				dres_del(i, dres_find(i, R_CLOSE, g));
			D.group[g].live = false;
			break;
		default:
			group_release(i, g, by_id);
			break;
		}
	}
	fz_expect_reports(0, "devres groups");
	check_devres_list(i);
}

/* ---- the device's life: unbind, bind, release ---- */
static bool owns_streaming_or_coherent(int i)
{
	for (int k = 0; k < MAX_LIVE; k++) {
		struct obj *o = &M.obj[k];

		if ((o->kind == K_DMABUF || (o->kind == K_COHERENT && !o->managed)) && o->dev == i)
			return true;
	}
	for (int k = 0; k < MAX_POOLS; k++)
		if (D.pool[k].pool && D.pool[k].dev == i && D.pool[k].pages)
			return true;
	return false;
}

static void do_unbind(int i)
{
	device_release_driver(dv(i));
}

static void do_unregister(int i)
{
	platform_device_unregister(D.dev[i].pdev);
}

/* Groups of device @i opened and neither closed nor released: each is reported as lost when
 * the device unbinds or goes (in full up to 4, then one line that is not a report). */
static unsigned long lost_groups(int i)
{
	unsigned long n = 0;

	for (int g = 0; g < MAX_GROUPS; g++)
		n += D.group[g].live && !D.group[g].closed && D.group[g].dev == i;
	return n < 4 ? n : 4;
}

static void unbind(int i)
{
	/* DMA-API debugging reports what a driver leaves mapped or allocated, once */
	unsigned long pending = owns_streaming_or_coherent(i) + lost_groups(i);

	TRACE("unbind fuzz_dev.%d (%d resources%s)", i, D.dev[i].n, pending ? ", DMA pending" : "");
	release_all(i, do_unbind, pending, "unbind");
	if (dv(i)->driver)
		FAIL("fuzz_dev.%d still bound after device_release_driver", i);
	D.dev[i].bound = false;
	check_devres_list(i);
}

static void bind(int i)
{
	int ret;

	TRACE("bind fuzz_dev.%d", i);
	ret = device_attach(dv(i));
	fz_expect_reports(0, "device_attach");
	if (ret != 1)
		FAIL("device_attach(fuzz_dev.%d) = %d", i, ret);
	D.dev[i].bound = true;
}

static void dma_put_all(int i);

/* The device goes (its driver's leftovers first: a pool or a mapping must not outlive it),
 * and a new one with the same name takes its place. */
static void recreate(int i)
{
	TRACE("release fuzz_dev.%d (%d resources)", i, D.dev[i].n);
	dma_put_all(i);
	release_all(i, do_unregister, lost_groups(i), "platform_device_unregister");
	dev_create(i);
	check_devres_list(i);
}

static void op_lifecycle(void)
{
	unsigned int how = fz_byte() % 4;
	int i = (int)(fz_byte() % NR_DEVS);

	if (how == 3) {
		recreate(i);
	} else if (D.dev[i].bound) {
		unbind(i);
		if (how < 2)
			bind(i);
	} else if (!D.dev[i].n) {	/* else probe would refuse: resources present */
		bind(i);
	}
}

/* ---- ioremap ---- */
static int map_pick(unsigned int b)
{
	for (int k = 0; k < MAX_MAPS; k++)
		if (D.map[(b + k) % MAX_MAPS].live)
			return (int)((b + k) % MAX_MAPS);
	return -1;
}

static void check_region(int r, const char *what)
{
	struct region *g = &regions[r];

	if (memcmp(g->view, g->shadow, g->size))
		for (size_t k = 0; k < g->size; k++)
			if (g->view[k] != g->shadow[k])
				FAIL("%s: %s +%#zx holds 0x%02x, expected 0x%02x", what, g->name, k,
				     g->view[k], g->shadow[k]);
}

static void check_through(struct map *m, const char *what)
{
	unsigned char *buf = malloc(m->len);

	if (!buf)
		FAIL("out of host memory");
	memcpy_fromio(buf, m->p, m->len);
	if (memcmp(buf, regions[m->region].shadow + m->off, m->len))
		FAIL("%s: memcpy_fromio through %p disagrees with %s", what, (void *)m->p,
		     regions[m->region].name);
	free(buf);
}

static void op_ioremap(void)
{
	unsigned int r = fz_byte() % NR_REGIONS, how = fz_byte() % 4;
	int i = (int)(fz_byte() % NR_DEVS), k;
	struct region *g = &regions[r];
	size_t off = word() % g->size, len;
	struct map *m;
	phys_addr_t phys;

	len = 1 + word() % (g->size - off);
	for (k = 0; k < MAX_MAPS && D.map[k].live; k++)
		;
	if (k == MAX_MAPS || (how == 3 && !dres_room(i, 1)))
		return;
	m = &D.map[k];
	phys = g->base + off;
	TRACE("ioremap%d %s +%#zx (+%zu)", how, g->name, off, len);
	switch (how) {
	case 0: m->p = ioremap(phys, len); break;
	case 1: m->p = ioremap_wc(phys, len); break;
	case 2: m->p = ioremap_uc(phys, len); break;
	default: m->p = devm_ioremap(dv(i), phys, len); break;
	}
	fz_expect_reports(0, "ioremap");
	if (!m->p || !is_vmalloc_addr((void *)m->p) || ((uintptr_t)m->p ^ phys) % PAGE_SIZE)
		FAIL("ioremap(%#llx, %zu) = %p", (unsigned long long)phys, len, (void *)m->p);
	for (int j = 0; j < MAX_MAPS; j++)
		if (D.map[j].live && m->p < D.map[j].p + D.map[j].len && D.map[j].p < m->p + len)
			FAIL("ioremap gave %p (+%zu), overlapping a live mapping", (void *)m->p, len);
	fz_check_new((void *)m->p, len, "ioremap");
	m->live = true;
	m->region = (int)r;
	m->off = off;
	m->len = len;
	m->dev = how == 3 ? i : -1;
	if (how == 3) {
		dres_push(i, R_IOMAP, k);
		check_devres_list(i);
	}
	check_through(m, "ioremap");
}

static void iounmap_one(int k, size_t inside)
{
	struct map *m = &D.map[k];

	TRACE("%siounmap(%p + %zu)", m->dev >= 0 ? "devm_" : "", (void *)m->p, inside);
	if (m->dev >= 0) {
		devm_iounmap(dv(m->dev), m->p);
		dres_del(m->dev, dres_find(m->dev, R_IOMAP, k));
		check_devres_list(m->dev);
	} else {
		iounmap(m->p + inside);	/* any address inside the mapping */
	}
	fz_expect_reports(0, "iounmap");
	m->live = false;
}

static void op_iounmap(void)
{
	int k = map_pick(fz_byte());
	unsigned int b = fz_byte();

	if (k >= 0)
		iounmap_one(k, b % D.map[k].len);
}

/* One access through a mapping, or by the device, against the region's model. */
static void op_mmio(void)
{
	int k = map_pick(fz_byte());
	unsigned int how = fz_byte() % 8, w = 1u << (how % 4);
	size_t at = word(), n = 1 + fz_byte() * 4;
	u64 v = 0x0101010101010101ULL * fz_byte(), got = 0;
	struct map *m;
	unsigned char *sh, *buf;
	phys_addr_t phys;

	v ^= (u64)fz_byte() << 40;
	if (k < 0)
		return;
	m = &D.map[k];
	sh = regions[m->region].shadow + m->off;
	phys = regions[m->region].base + m->off;
	at %= m->len;
	if (how < 4) {			/* a write then a read of width w, aligned */
		if ((phys + at) % w > at)
			return;
		at -= (phys + at) % w;
		if (at + w > m->len)
			return;
		TRACE("write%u/read%u %s +%#zx", w * 8, w * 8, regions[m->region].name, m->off + at);
		switch (w) {
		case 1: writeb((u8)v, m->p + at); got = readb(m->p + at); break;
		case 2: writew((u16)v, m->p + at); got = readw(m->p + at); break;
		case 4: writel((u32)v, m->p + at); got = readl(m->p + at); break;
		default: writeq(v, m->p + at); got = readq(m->p + at); break;
		}
		memcpy(sh + at, &v, w);
		if (memcmp(&got, sh + at, w))
			FAIL("read%u at +%#zx gave %#llx after writing %#llx", w * 8, m->off + at,
			     (unsigned long long)got, (unsigned long long)v);
	} else {
		n = n < m->len - at ? n : m->len - at;
		buf = malloc(n);
		if (!buf)
			FAIL("out of host memory");
		memset(buf, (int)(v & 0xff), n);
		for (size_t j = 0; j < n; j += 7)
			buf[j] ^= (unsigned char)j;
		TRACE("io %u %s +%#zx (+%zu)", how, regions[m->region].name, m->off + at, n);
		switch (how) {
		case 4: memcpy_toio(m->p + at, buf, n); memcpy(sh + at, buf, n); break;
		case 5: memset_io(m->p + at, (int)(v & 0xff), n); memset(sh + at, (int)(v & 0xff), n);
			break;
		case 6:			/* the device writes its own memory; the CPU reads it */
			memcpy(regions[m->region].view + m->off + at, buf, n);
			memcpy(sh + at, buf, n);
			break;
		default: break;
		}
		memcpy_fromio(buf, m->p + at, n);
		if (memcmp(buf, sh + at, n))
			FAIL("memcpy_fromio of %s +%#zx (+%zu) disagrees with the model",
			     regions[m->region].name, m->off + at, n);
		free(buf);
	}
	fz_expect_reports(0, "mmio");
	check_region(m->region, "mmio");
}

/* ---- DMA ---- */
static struct device *obj_dev(const struct obj *o)
{
	return dv(o->kind == K_POOLBLK ? D.pool[o->pool].dev : o->dev);
}

/* What the device sees of a DMA object: the bounce slots' model, or the CPU's. */
static unsigned char *dev_view(struct obj *o)
{
	return o->dshadow ? o->dshadow : o->shadow;
}

static void check_coherent(struct device *dev, void *p, dma_addr_t dma, size_t size,
			   const char *what)
{
	if (!p)
		FAIL("%s(%zu) failed", what, size);
	if (dma != virt_to_phys(p))
		FAIL("%s: bus address %#llx of %p is not its physical address", what,
		     (unsigned long long)dma, p);
	if (dma + size - 1 > dev->coherent_dma_mask)
		FAIL("%s: %#llx (+%zu) beyond the coherent mask %#llx", what,
		     (unsigned long long)dma, size, (unsigned long long)dev->coherent_dma_mask);
}

static void op_coherent(void)
{
	unsigned int how = fz_byte() % 3;
	int i = (int)(fz_byte() % NR_DEVS);
	size_t size = fz_size_of(15);
	struct obj *o;
	dma_addr_t dma;
	void *p;

	if (how == 2) {
		if (!(o = fz_slot_pick(fz_byte(), K_COHERENT)))
			return;
		TRACE("dma%s_free_coherent(%p, %zu)", o->managed ? "m" : "", o->p, o->size);
		fz_drop(o, true);
		if (o->managed) {
			dmam_free_coherent(dv(o->dev), o->size, o->p, o->dma);
			dres_del(o->dev, dres_find(o->dev, R_COHERENT, (int)(o - M.obj)));
			check_devres_list(o->dev);
		} else {
			dma_free_coherent(dv(o->dev), o->size, o->p, o->dma);
		}
		fz_expect_reports(0, "dma_free_coherent");
		return;
	}
	if (!(o = fz_slot_free()) || (how && !dres_room(i, 1)))
		return;
	TRACE("dma%s_alloc_coherent(fuzz_dev.%d, %zu)", how ? "m" : "", i, size);
	p = how ? dmam_alloc_coherent(dv(i), size, &dma, GFP_KERNEL)
		: dma_alloc_coherent(dv(i), size, &dma, GFP_KERNEL);
	fz_expect_reports(0, "dma_alloc_coherent");
	check_coherent(dv(i), p, dma, size, "dma_alloc_coherent");
	if ((uintptr_t)p % PAGE_SIZE)
		FAIL("dma_alloc_coherent gave %p, not a page", p);
	fz_check_bytes(p, size, 0, "dma_alloc_coherent");
	fz_check_new(p, size, "dma_alloc_coherent");
	fz_add_shadowed(o, K_COHERENT, p, size);
	o->dev = i;
	o->dma = dma;
	o->managed = how;
	if (how) {
		dres_push(i, R_COHERENT, (int)(o - M.obj));
		check_devres_list(i);
	}
}

static const enum dma_data_direction dirs[] = { DMA_BIDIRECTIONAL, DMA_TO_DEVICE,
						DMA_FROM_DEVICE };

static bool to_dev(int dir)
{
	return dir != DMA_FROM_DEVICE;
}

static bool from_dev(int dir)
{
	return dir != DMA_TO_DEVICE;
}

static void op_dma_map(void)
{
	int i = (int)(fz_byte() % NR_DEVS), dir = dirs[fz_byte() % 3];
	size_t size = fz_size_of(fz_byte() & 1 ? 16 : 11);
	gfp_t gfp = fz_byte() & 1 ? GFP_KERNEL : GFP_KERNEL | __GFP_DMA;
	struct device *dev = dv(i);
	struct obj *o = fz_slot_free();
	unsigned char *p;
	dma_addr_t dma;
	phys_addr_t phys;

	if (!o)
		return;
	p = kmalloc(size, gfp);
	if (!p)
		FAIL("kmalloc(%zu) for a DMA buffer failed", size);
	fz_check_new(p, size, "kmalloc for DMA");
	fz_add_shadowed(o, K_DMABUF, p, size);
	o->dev = i;
	o->dir = dir;
	phys = virt_to_phys(p);
	dma = dma_map_single(dev, p, size, dir);
	TRACE("dma_map_single(fuzz_dev.%d, %p = %#llx, %zu, %d) = %#llx", i, p,
	      (unsigned long long)phys, size, dir, (unsigned long long)dma);
	if (dma_mapping_error(dev, dma))
		FAIL("dma_map_single(%zu) failed", size);
	fz_expect_reports(0, "dma_map_single");
	if (dma + size - 1 > *dev->dma_mask)
		FAIL("dma_map_single gave %#llx (+%zu), beyond the mask", (unsigned long long)dma,
		     size);
	if ((dma != phys) != (phys + size - 1 > *dev->dma_mask))
		FAIL("dma_map_single of %#llx (+%zu) gave %#llx: bounced %s", (unsigned long long)phys,
		     size, (unsigned long long)dma, dma != phys ? "needlessly" : "not");
	o->dma = dma;
	if (dma != phys) {		/* map copies the buffer to the slots, whatever dir */
		o->dshadow = malloc(size);
		if (!o->dshadow)
			FAIL("out of host memory");
		memcpy(o->dshadow, o->shadow, size);
	}
}

/* The CPU's side after unmap: bounced data the device may have written comes back. */
static void dma_unmap_one(struct obj *o)
{
	TRACE("dma_unmap_single(%#llx, %zu, %d)", (unsigned long long)o->dma, o->size, o->dir);
	dma_unmap_single(dv(o->dev), o->dma, o->size, o->dir);
	fz_expect_reports(0, "dma_unmap_single");
	if (o->dshadow && from_dev(o->dir))
		memcpy(o->shadow, o->dshadow, o->size);
	fz_check_obj(o, true);
}

static void dma_buf_free(struct obj *o)
{
	fz_drop(o, true);
	kfree(o->p);
	fz_expect_reports(0, "kfree of a DMA buffer");
}

static void op_dma_sync(void)
{
	struct obj *o = fz_slot_pick(fz_byte(), K_DMABUF);
	unsigned int how = fz_byte() % 4;
	size_t off = fz_byte() * 64, len = 1 + fz_byte() * 16;
	struct device *dev;

	if (!o)
		return;
	dev = dv(o->dev);
	if (how == 0) {
		dma_unmap_one(o);
		dma_buf_free(o);
		return;
	}
	if (how == 3) {			/* a partial sync */
		off %= o->size;
		len = len < o->size - off ? len : o->size - off;
	} else {
		off = 0;
		len = o->size;
	}
	if (how == 3)
		how = 1 + (off & 1);
	TRACE("dma_sync_single_range_for_%s(%#llx + %zu, %zu, %d)", how == 1 ? "cpu" : "device",
	      (unsigned long long)o->dma, off, len, o->dir);
	if (how == 1)
		dma_sync_single_range_for_cpu(dev, o->dma, off, len, o->dir);
	else
		dma_sync_single_range_for_device(dev, o->dma, off, len, o->dir);
	fz_expect_reports(0, "dma_sync");
	/* bounced: for the CPU, the slots come back when the device may have written them;
	 * for the device, the buffer goes out when the device may read it */
	if (o->dshadow && how == 1 && from_dev(o->dir))
		memcpy(o->shadow + off, o->dshadow + off, len);
	else if (o->dshadow && how == 2 && to_dev(o->dir))
		memcpy(o->dshadow + off, o->shadow + off, len);
	fz_check_obj(o, true);
}

static struct obj *dma_obj_pick(unsigned int b)
{
	for (int k = 0; k < MAX_LIVE; k++) {
		struct obj *o = &M.obj[(b + k) % MAX_LIVE];

		if (o->kind == K_COHERENT || o->kind == K_DMABUF || o->kind == K_POOLBLK)
			return o;
	}
	return NULL;
}

/* The device reads or writes a DMA object, or the CPU writes it. */
static void op_dma_io(void)
{
	struct obj *o = dma_obj_pick(fz_byte());
	unsigned int how = fz_byte() % 3;
	size_t off = word(), len = 1 + fz_byte() * 8;
	unsigned char v = (unsigned char)fz_byte(), *buf;
	int ret;

	if (!o)
		return;
	off %= o->size;
	len = len < o->size - off ? len : o->size - off;
	if (o->kind == K_DMABUF && ((how == 0 && !to_dev(o->dir)) || (how == 1 && !from_dev(o->dir))))
		return;			/* against the direction: op_dev_wrong's */
	buf = malloc(len);
	if (!buf)
		FAIL("out of host memory");
	TRACE("%s of %#llx + %zu (+%zu)", how == 0 ? "device read" : how == 1 ? "device write" :
	      "CPU write", (unsigned long long)o->dma, off, len);
	if (how == 0) {
		ret = ukmem_dma_read(obj_dev(o), o->dma + off, buf, len);
		if (ret)
			FAIL("ukmem_dma_read = %d", ret);
		if (memcmp(buf, dev_view(o) + off, len))
			FAIL("the device read %#llx + %zu (+%zu) against the model",
			     (unsigned long long)o->dma, off, len);
	} else if (how == 1) {
		memset(buf, v, len);
		ret = ukmem_dma_write(obj_dev(o), o->dma + off, buf, len);
		if (ret)
			FAIL("ukmem_dma_write = %d", ret);
		memcpy(dev_view(o) + off, buf, len);
	} else {
		memset(o->p + off, v, len);
		memset(o->shadow + off, v, len);
	}
	free(buf);
	fz_expect_reports(0, "DMA access");
	fz_check_obj(o, true);
}

static int pool_pick(unsigned int b)
{
	for (int k = 0; k < MAX_POOLS; k++)
		if (D.pool[(b + k) % MAX_POOLS].pool)
			return (int)((b + k) % MAX_POOLS);
	return -1;
}

static void pool_free_block(struct obj *o)
{
	TRACE("dma_pool_free(pool %d, %p)", o->pool, o->p);
	fz_drop(o, true);
	dma_pool_free(D.pool[o->pool].pool, o->p, o->dma);
	fz_expect_reports(0, "dma_pool_free");
}

static void pool_destroy(int k)
{
	for (int j = 0; j < MAX_LIVE; j++)
		if (M.obj[j].kind == K_POOLBLK && M.obj[j].pool == k)
			pool_free_block(&M.obj[j]);
	TRACE("dma_pool_destroy(pool %d)", k);
	dma_pool_destroy(D.pool[k].pool);
	fz_expect_reports(0, "dma_pool_destroy");
	D.pool[k].pool = NULL;
}

static void op_pool(unsigned int how)
{
	unsigned int ab = fz_byte(), bb = fz_byte() % 4;
	int i = (int)(fz_byte() % NR_DEVS), k;
	size_t size = fz_size_of(11), align = (size_t)1 << (ab % 8), blk, boundary = 0;
	struct pool *pl;
	char name[32];

	if (how) {
		if ((k = pool_pick(ab)) >= 0)
			pool_destroy(k);
		return;
	}
	for (k = 0; k < MAX_POOLS && D.pool[k].pool; k++)
		;
	if (k == MAX_POOLS)
		return;
	pl = &D.pool[k];
	blk = ALIGN(size < 4 ? 4 : size, align);
	if (bb)				/* a boundary: the block's power of two or more */
		boundary = roundup_pow_of_two(blk) << (bb - 1);
	snprintf(name, sizeof(name), "fuzz_pool%d", k);
	TRACE("dma_pool_create(%s, fuzz_dev.%d, %zu, %zu, %zu)", name, i, size, align, boundary);
	pl->pool = dma_pool_create(name, dv(i), size, align, boundary);
	fz_expect_reports(0, "dma_pool_create");
	if (!pl->pool)
		FAIL("dma_pool_create(%zu, %zu, %zu) failed", size, align, boundary);
	*pl = (struct pool){ pl->pool, i, size, align, boundary ? boundary : PAGE_SIZE, false };
}

static void op_pool_block(unsigned int how)
{
	unsigned int b = fz_byte();
	int k = pool_pick(b);
	struct obj *o;
	struct pool *pl;
	dma_addr_t dma;
	unsigned char *p;

	if (how >= 2) {
		if ((o = fz_slot_pick(b, K_POOLBLK)))
			pool_free_block(o);
		return;
	}
	if (k < 0 || !(o = fz_slot_free()))
		return;
	pl = &D.pool[k];
	p = how ? dma_pool_zalloc(pl->pool, GFP_KERNEL, &dma)
		: dma_pool_alloc(pl->pool, GFP_KERNEL, &dma);
	TRACE("dma_pool_%salloc(pool %d) = %p", how ? "z" : "", k, p);
	fz_expect_reports(0, "dma_pool_alloc");
	check_coherent(dv(pl->dev), p, dma, pl->size, "dma_pool_alloc");
	if ((uintptr_t)p % pl->align || dma % pl->align)
		FAIL("dma_pool_alloc gave %p, not aligned to %zu", p, pl->align);
	if (dma / pl->boundary != (dma + pl->size - 1) / pl->boundary)
		FAIL("dma_pool_alloc gave %#llx (+%zu), across a %zu boundary",
		     (unsigned long long)dma, pl->size, pl->boundary);
	if (how)
		fz_check_bytes(p, pl->size, 0, "dma_pool_zalloc");
	fz_check_new(p, pl->size, "dma_pool_alloc");
	fz_add_shadowed(o, K_POOLBLK, p, pl->size);
	o->pool = k;
	o->dma = dma;
	pl->pages = true;
}

/* Everything of device i that is not device-managed (all of it when i < 0). */
static void dma_put_all(int i)
{
	for (int k = 0; k < MAX_LIVE; k++) {
		struct obj *o = &M.obj[k];

		if (o->kind == K_DMABUF && (i < 0 || o->dev == i)) {
			dma_unmap_one(o);
			dma_buf_free(o);
		}
	}
	for (int k = 0; k < MAX_POOLS; k++)
		if (D.pool[k].pool && (i < 0 || D.pool[k].dev == i))
			pool_destroy(k);
	for (int k = 0; k < MAX_LIVE; k++) {
		struct obj *o = &M.obj[k];

		if (o->kind == K_COHERENT && !o->managed && (i < 0 || o->dev == i)) {
			fz_drop(o, true);
			dma_free_coherent(dv(o->dev), o->size, o->p, o->dma);
			fz_expect_reports(0, "dma_free_coherent");
		}
	}
}

/* ---- wrong uses: each is reported once and changes nothing ---- */
static int other(int i)
{
	return (i + 1) % NR_DEVS;
}

/* A live object of one of @kinds (a bit mask of 1 << kind). */
static struct obj *pick_of(unsigned int b, unsigned int kinds)
{
	for (int k = 0; k < MAX_LIVE; k++) {
		struct obj *o = &M.obj[(b + k) % MAX_LIVE];

		if (kinds & (1u << o->kind) && o->kind != K_FREE)
			return o;
	}
	return NULL;
}

static void wrong_dma(unsigned int how, unsigned int pb, unsigned int b)
{
	static const unsigned int kinds[] = {
		1u << K_DMABUF,				/* against the direction */
		1u << K_KMALLOC | 1u << K_CACHE | 1u << K_PAGES | 1u << K_DEVM,
		1u << K_DMABUF,				/* unmapped twice */
		1u << K_POOLBLK, 1u << K_POOLBLK,
		1u << K_COHERENT | 1u << K_PAGES,
		1u << K_KMALLOC | 1u << K_CACHE | 1u << K_PAGES | 1u << K_DEVM,
	};
	struct obj *o = pick_of(pb, kinds[how]);
	unsigned char buf[64];
	int ret = 0;

	if (!o)
		return;
	switch (how) {
	case 0:				/* device access against the direction */
		if (o->kind != K_DMABUF || o->dir == DMA_BIDIRECTIONAL)
			return;
		if (o->dir == DMA_TO_DEVICE) {
			memset(buf, 0x5a, sizeof(buf));
			ret = ukmem_dma_write(dv(o->dev), o->dma, buf, o->size < 64 ? o->size : 64);
		} else {
			ret = ukmem_dma_read(dv(o->dev), o->dma, buf, o->size < 64 ? o->size : 64);
		}
		if (ret != -EFAULT)
			FAIL("a device access against the direction returned %d", ret);
		break;
	case 1:				/* a sync of memory never mapped */
		if (b & 2)
			dma_sync_single_for_cpu(dv(b % NR_DEVS), virt_to_phys(o->p),
						o->size < 64 ? o->size : 64,
						dirs[b % 3]);
		else
			dma_sync_single_for_device(dv(b % NR_DEVS), virt_to_phys(o->p),
						o->size < 64 ? o->size : 64,
						   dirs[b % 3]);
		break;
	case 2:				/* unmapped twice */
		if (o->kind != K_DMABUF)
			return;
		dma_unmap_one(o);
		TRACE("dma_unmap_single(%#llx) again", (unsigned long long)o->dma);
		dma_unmap_single(dv(o->dev), o->dma, o->size, o->dir);
		fz_expect_reports(1, "a double dma_unmap_single");
		dma_buf_free(o);
		return;
	case 3: {			/* a pool block to another pool */
		int k = pool_pick(b);

		if (o->kind != K_POOLBLK || k < 0 || k == o->pool)
			return;
		dma_pool_free(D.pool[k].pool, o->p, o->dma);
		break;
	}
	case 4:				/* a pool block freed twice */
		if (o->kind != K_POOLBLK)
			return;
		pool_free_block(o);
		dma_pool_free(D.pool[o->pool].pool, o->p, o->dma);
		fz_expect_reports(1, "dma_pool_free twice");
		return;
	case 5:				/* dma_free_coherent of what it never allocated */
		if (o->kind == K_COHERENT && o->size > PAGE_SIZE)
			dma_free_coherent(obj_dev(o), PAGE_SIZE, o->p + PAGE_SIZE,
					  o->dma + PAGE_SIZE);
		else if (o->kind == K_PAGES)
			dma_free_coherent(dv(b % NR_DEVS), PAGE_SIZE, o->p, virt_to_phys(o->p));
		else
			return;
		break;
	default:			/* the device writes memory never mapped for it */
		memset(buf, 0x5a, sizeof(buf));
		ret = ukmem_dma_write(dv(0), virt_to_phys(o->p), buf, o->size < 64 ? o->size : 64);
		if (ret != -EFAULT)
			FAIL("a device write of memory never mapped returned %d", ret);
		break;
	}
	TRACE("a wrong DMA use %u on %p", how, o->p);
	fz_expect_reports(1, "a wrong DMA use");
	fz_check_obj(o, true);
	if (o->kind == K_DMABUF && to_dev(o->dir)) {
		unsigned char *v = malloc(o->size);

		if (!v || ukmem_dma_read(dv(o->dev), o->dma, v, o->size))
			FAIL("reading back a DMA buffer failed");
		if (memcmp(v, dev_view(o), o->size))
			FAIL("a wrong DMA use changed what the device sees");
		free(v);
	}
}

static void wrong_devres(unsigned int how, struct obj *o, unsigned int b)
{
	static unsigned char static_buf[64];
	int i = (int)(b % NR_DEVS), g;
	void *id;

	switch (how) {
	case 0:				/* devm_kfree: another device's, or not devm at all */
		if (!o)
			devm_kfree(dv(i), static_buf);
		else if (o->kind == K_DEVM)
			devm_kfree(dv(other(o->dev)), o->p);
		else
			devm_kfree(dv(i), o->p);
		break;
	case 1:				/* devm_krealloc of memory the device does not manage */
		if (!o || o->kind == K_DEVM || o->kind == K_VMALLOC || o->kind == K_VMAP ||
		    o->kind == K_KV)
			return;
		if (devm_krealloc(dv(i), o->p, 64, GFP_KERNEL))
			FAIL("devm_krealloc of a foreign pointer succeeded");
		break;
	case 2:				/* close a closed group, or close none */
		g = group_pick(b, i, false);
		if (g >= 0 && D.group[g].closed) {
			devres_close_group(dv(i), D.group[g].id);
		} else if (group_newest_open(i) < 0) {
			devres_close_group(dv(i), NULL);
		} else {
			return;
		}
		break;
	case 3:				/* release or remove a group that is not there */
		g = group_pick(b, other(i), false);
		id = g >= 0 ? D.group[g].id : &group_ids[b % MAX_GROUPS];
		for (int k = 0; k < MAX_GROUPS; k++)
			if (D.group[k].live && D.group[k].dev == i && D.group[k].id == id)
				return;
		if (b & 1) {
			devres_remove_group(dv(i), id);
		} else {
			if (!D.dev[i].n)	/* quiet: the device's list is empty */
				return;
			if (devres_release_group(dv(i), id))
				FAIL("devres_release_group of no group released something");
		}
		break;
	case 4: {			/* devm_iounmap of a plain ioremap: WARNs, then unmaps
					 * it all the same, as the kernel's */
		int k = map_pick(b);

		if (k < 0 || D.map[k].dev >= 0)
			return;
		devm_iounmap(dv(i), D.map[k].p);
		D.map[k].live = false;
		break;
	}
	case 5: {			/* an action the device does not have */
		int k = action_pick(b);

		if (k >= 0 && D.action[k].dev != i)
			devm_release_action(dv(i), fz_action, &action_tags[k]);
		else if (k < 0)
			devm_remove_action(dv(i), fz_action, &action_tags[b % MAX_ACTIONS]);
		else
			return;
		if (D.nlog)
			FAIL("an action the device does not have ran");
		break;
	}
	default:			/* iounmap of what is not a mapping */
		iounmap(o ? (void *)o->p : (void *)static_buf);
		break;
	}
	TRACE("a wrong devres/io use %u on fuzz_dev.%d", how, i);
	fz_expect_reports(1, "a wrong devres or ioremap use");
	if (o)
		fz_check_obj(o, true);
	for (int d = 0; d < NR_DEVS; d++)
		check_devres_list(d);
}

static void op_dev_wrong(void)
{
	unsigned int how = fz_byte() % 14, b = fz_byte(), pb = fz_byte();

	if (how < 7)
		wrong_devres(how, fz_slot_pick(pb, K_FREE), b);
	else
		wrong_dma(how - 7, pb, b);
	fz_check_all(true);
	for (int r = 0; r < NR_REGIONS; r++)
		check_region(r, "after a wrong use");
}

void fz_dev_op(unsigned int op)
{
	switch (op) {
	case 0: case 1: op_devm_alloc(); break;
	case 2: op_devm_krealloc(); break;
	case 3: op_devm_kfree(); break;
	case 4: op_action(); break;
	case 5: op_group(); break;
	case 6: op_lifecycle(); break;
	case 7: op_ioremap(); break;
	case 8: op_iounmap(); break;
	case 9: op_mmio(); break;
	case 10: op_coherent(); break;
	case 11: op_dma_map(); break;
	case 12: op_dma_sync(); break;
	case 13: op_dma_io(); break;
	case 14: {			/* pools: create, destroy; blocks: alloc, zalloc, free */
		unsigned int how = fz_byte() % 6;

		if (how < 2)
			op_pool(how);
		else
			op_pool_block(how - 2);
		break;
	}
	default: op_dev_wrong(); break;
	}
}

void fz_dev_end_input(void)
{
	dma_put_all(-1);
	for (int k = 0; k < MAX_MAPS; k++)
		if (D.map[k].live && D.map[k].dev < 0)
			iounmap_one(k, 0);
	for (int i = 0; i < NR_DEVS; i++) {
		if (D.dev[i].bound && D.dev[i].n) {
			unbind(i);
			bind(i);
		} else if (!D.dev[i].bound && D.dev[i].n) {
			recreate(i);
		} else if (!D.dev[i].bound) {
			bind(i);
		}
	}
	for (int k = 0; k < MAX_MAPS; k++)
		if (D.map[k].live)
			FAIL("mapping %d outlived its device", k);
}
