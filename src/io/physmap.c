/* SPDX-License-Identifier: MIT */
/*
 * ukmem_show("physmap.svg"): a picture of the physical address space.  RAM frames are
 * cells coloured by owner (free, by buddy order; slab, by cache; vmalloc; other page
 * allocator users; reserved); the device hole [3 GiB, 4 GiB) is drawn to scale with every
 * emulated device and, listed beside it, the driver that claimed it (a busy resource up to
 * three levels below the device in iomem: a driver's claim below a platform resource).
 *
 * Everything is a snapshot taken piece by piece (frames without locks, vmalloc areas under
 * the vmalloc lock, devices under io.lock, claims under the resource lock): a picture, not
 * a transaction.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include "core/core.h"
#include "mm/mm.h"
#include "slab/slab.h"
#include "vmalloc/vmalloc.h"
#include "io/io.h"

#define COLS		256
#define CELL		4
#define MAX_ROWS	160
#define LEFT		90
#define MAX_CACHES	12		/* slab caches named in the legend; others grouped */

enum {					/* owner of a frame */
	OWN_HOLE, OWN_RESERVED, OWN_ALLOC, OWN_VMALLOC, OWN_SLAB_OTHER,
	OWN_FREE0,			/* + order */
	OWN_SLAB0 = OWN_FREE0 + MAX_ORDER,	/* + cache index */
	OWN_MAX = OWN_SLAB0 + MAX_CACHES,
};

struct pm {
	unsigned char *own;		/* per RAM frame, in RAM order */
	unsigned long nr;		/* RAM frames */
	const struct kmem_cache *cache[MAX_CACHES];
	int nr_caches;
	unsigned long count[OWN_MAX];
};

/* Free memory looks empty: large free blocks palest, small ones (fragments) darker. */
static const char *free_colour[MAX_ORDER] = {
	"#7cb342", "#8bc34a", "#9ccc65", "#aed581", "#b5d98f", "#c5e1a5",
	"#cfe7b6", "#dcedc8", "#e6f4d7", "#eef7e4", "#f6fbf0",
};
static const char *cache_colour[MAX_CACHES] = {
	"#1e88e5", "#e53935", "#00acc1", "#fdd835", "#3949ab", "#d81b60",
	"#00897b", "#f4511e", "#5e35b1", "#c0ca33", "#6d4c41", "#039be5",
};

static const char *colour(int own)
{
	if (own >= OWN_SLAB0)
		return cache_colour[own - OWN_SLAB0];
	if (own >= OWN_FREE0)
		return free_colour[own - OWN_FREE0];
	switch (own) {
	case OWN_RESERVED:	return "#616161";
	case OWN_ALLOC:		return "#ffa726";
	case OWN_VMALLOC:	return "#8e24aa";
	case OWN_SLAB_OTHER:	return "#90a4ae";
	default:		return "#ffffff";
	}
}

static void put_escaped(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else if (*s == '&')
			fputs("&amp;", out);
		else
			fputc(*s, out);
	}
}

/* The RAM-order index of pfn (RAM ranges laid end to end), or -1. */
static long ram_index(unsigned long pfn)
{
	unsigned long base = 0;

	for (int i = 0; i < ukmem__mm.nr_ram; i++) {
		unsigned long s = PHYS_PFN(ukmem__mm.ram[i].start), e = PHYS_PFN(ukmem__mm.ram[i].end);

		if (pfn >= s && pfn < e)
			return (long)(base + pfn - s);
		base += e - s;
	}
	return -1;
}

static int slab_owner(struct pm *pm, const struct page *page)
{
	const struct kmem_cache *s = ((const struct slab *)page)->slab_cache;

	for (int i = 0; i < pm->nr_caches; i++)
		if (pm->cache[i] == s)
			return OWN_SLAB0 + i;
	if (pm->nr_caches < MAX_CACHES) {
		pm->cache[pm->nr_caches] = s;
		return OWN_SLAB0 + pm->nr_caches++;
	}
	return OWN_SLAB_OTHER;
}

static void fill(struct pm *pm, long idx, unsigned long n, int own)
{
	for (unsigned long i = 0; i < n && idx + (long)i < (long)pm->nr; i++)
		pm->own[idx + i] = (unsigned char)own;
}

static void classify_frames(struct pm *pm)
{
	unsigned long pfn_end = PHYS_PFN(ukmem__mm.phys_end);
	int last = OWN_RESERVED;

	for (unsigned long pfn = 0; pfn < pfn_end;) {
		long idx = ram_index(pfn);
		unsigned int order;
		enum ukmem__pfn_kind k;
		int own;

		if (idx < 0) {
			pfn++;
			continue;
		}
		k = ukmem__pfn_classify(pfn, &order);
		switch (k) {
		case UKMEM_PFN_RESERVED:
			own = OWN_RESERVED;
			break;
		case UKMEM_PFN_FREE:
			own = OWN_FREE0 + (int)order;
			break;
		case UKMEM_PFN_ALLOCATED:
			own = PageSlab(pfn_to_page(pfn)) ? slab_owner(pm, pfn_to_page(pfn)) : OWN_ALLOC;
			break;
		default:
			own = last;	/* inside the block of the head before */
			order = 0;
			break;
		}
		fill(pm, idx, 1UL << order, own);
		last = own;
		pfn += 1UL << order;
	}
}

static void mark_vmalloc(struct ukmem__vmap_area *va, void *arg)
{
	struct pm *pm = arg;

	if (va->kind != UKMEM_VA_VMALLOC || va->state != UKMEM_VA_LIVE || !va->pages)
		return;
	for (unsigned int i = 0; i < va->nr_pages; i++) {
		long idx = ram_index(page_to_pfn(va->pages[i]));

		if (idx >= 0)
			pm->own[idx] = OWN_VMALLOC;
	}
}

static bool is_free(int own)
{
	return own >= OWN_FREE0 && own < OWN_FREE0 + MAX_ORDER;
}

/* The user with the most frames in [first, first + n): a cell is free only when all its
 * frames are, so a single slab page shows in a cell of many frames. */
static int cell_owner(const struct pm *pm, unsigned long first, unsigned long n)
{
	unsigned short cnt[OWN_MAX] = { 0 };
	int best = OWN_HOLE, best_free = OWN_HOLE;

	for (unsigned long i = first; i < first + n && i < pm->nr; i++)
		cnt[pm->own[i]]++;
	for (int o = 1; o < OWN_MAX; o++) {
		int *b = is_free(o) ? &best_free : &best;

		if (cnt[o] > cnt[*b])
			*b = o;
	}
	return cnt[best] ? best : best_free;
}

static int draw_ram(FILE *out, struct pm *pm, int y)
{
	unsigned long per = DIV_ROUND_UP(pm->nr, (unsigned long)COLS * MAX_ROWS);
	unsigned long cells = DIV_ROUND_UP(pm->nr, per);
	unsigned long rows = DIV_ROUND_UP(cells, COLS);

	fprintf(out, "<text x='10' y='%d' class='h'>RAM: %lu MiB, one cell = %lu KiB "
		"(%lu frame%s; its main user, free only when all free)</text>\n", y, pm->nr >> 8, per * 4, per,
		per == 1 ? "" : "s");
	y += 10;
	for (unsigned long r = 0; r < rows; r++) {
		if (r % 16 == 0)
			fprintf(out, "<text x='10' y='%lu' class='s'>+%lu MiB</text>\n",
				y + r * CELL + 7, (r * COLS * per) >> 8);
		/* one rect per run of cells of one colour */
		for (unsigned long c = 0, run = 0; c < COLS && r * COLS + c < cells; c = run) {
			int own = cell_owner(pm, (r * COLS + c) * per, per);

			for (run = c + 1; run < COLS && r * COLS + run < cells &&
			     cell_owner(pm, (r * COLS + run) * per, per) == own; run++)
				;
			fprintf(out, "<rect x='%lu' y='%lu' width='%lu' height='%d' fill='%s'/>\n",
				LEFT + c * CELL, y + r * CELL, (run - c) * CELL, CELL, colour(own));
		}
	}
	return y + (int)(rows * CELL) + 20;
}

static int legend_item(FILE *out, int x, int y, const char *fill, const char *label,
		       unsigned long frames)
{
	fprintf(out, "<rect x='%d' y='%d' width='10' height='10' fill='%s' stroke='#999'/>"
		"<text x='%d' y='%d' class='s'>", x, y - 9, fill, x + 14, y);
	put_escaped(out, label);
	fprintf(out, " %lu KiB</text>\n", frames * 4);
	return y + 14;
}

static int draw_legend(FILE *out, struct pm *pm, int y)
{
	unsigned long free_frames = 0;
	int x2 = LEFT + 360, y2 = y;
	char name[64];

	for (int o = 0; o < (int)pm->nr; o++)
		pm->count[pm->own[o]]++;
	y = legend_item(out, LEFT, y, colour(OWN_RESERVED), "reserved", pm->count[OWN_RESERVED]);
	y = legend_item(out, LEFT, y, colour(OWN_ALLOC), "page allocator (other users)",
			pm->count[OWN_ALLOC]);
	y = legend_item(out, LEFT, y, colour(OWN_VMALLOC), "vmalloc", pm->count[OWN_VMALLOC]);
	for (int o = 0; o < MAX_ORDER; o++) {
		snprintf(name, sizeof(name), "free, order %d", o);
		free_frames += pm->count[OWN_FREE0 + o];
		if (pm->count[OWN_FREE0 + o])
			y = legend_item(out, LEFT, y, free_colour[o], name, pm->count[OWN_FREE0 + o]);
	}
	for (int i = 0; i < pm->nr_caches; i++) {
		snprintf(name, sizeof(name), "slab %s", pm->cache[i]->name);
		y2 = legend_item(out, x2, y2, cache_colour[i], name, pm->count[OWN_SLAB0 + i]);
	}
	if (pm->count[OWN_SLAB_OTHER])
		y2 = legend_item(out, x2, y2, colour(OWN_SLAB_OTHER), "slab (other caches)",
				 pm->count[OWN_SLAB_OTHER]);
	(void)free_frames;
	return max(y, y2) + 10;
}

/* ---- the device hole ---- */
struct claim {
	const struct resource *anc[3];	/* parent, grandparent, ... */
	phys_addr_t start, end;
	char name[64];
};

struct claims {
	struct claim *c;
	int n, cap;
};

static void snap_claim(const struct resource *r, int depth, void *arg)
{
	struct claims *cl = arg;

	if (depth == 0 || cl->n >= cl->cap || !(r->flags & IORESOURCE_BUSY))
		return;
	snprintf(cl->c[cl->n].name, sizeof(cl->c[cl->n].name), "%s", r->name ? r->name : "?");
	cl->c[cl->n].start = r->start;
	cl->c[cl->n].end = r->end;
	for (int i = 0; i < 3; i++) {
		r = r ? r->parent : NULL;
		cl->c[cl->n].anc[i] = r;
	}
	cl->n++;
}

struct devsnap {
	const struct resource *res;
	phys_addr_t base, size;
	char name[64];
	bool memory;
};

static int draw_devices(FILE *out, int y)
{
	const phys_addr_t hs = UKMEM_HOLE_START, he = UKMEM_HOLE_END;
	const int width = COLS * CELL;
	struct claims cl = { .cap = 256 };
	struct devsnap *d;
	struct ukmem__mmio_region *r;
	int n = 0, cap = 256;

	cl.c = calloc(cl.cap, sizeof(*cl.c));
	d = calloc(cap, sizeof(*d));
	if (!cl.c || !d) {
		free(cl.c);
		free(d);
		return y;
	}
	pthread_rwlock_rdlock(&ukmem__io.lock);
	list_for_each_entry(r, &ukmem__io.regions, node) {
		if (n == cap)
			break;
		d[n] = (struct devsnap){ .res = &r->res, .base = r->base, .size = r->size,
					 .memory = !r->has_ops };
		snprintf(d[n].name, sizeof(d[n].name), "%s", r->name);
		n++;
	}
	pthread_rwlock_unlock(&ukmem__io.lock);
	ukmem__resource_for_each(&iomem_resource, snap_claim, &cl);

	fprintf(out, "<text x='10' y='%d' class='h'>Device hole [3 GiB, 4 GiB): %d emulated "
		"device%s (to scale; each at least 3 px wide)</text>\n", y, n, n == 1 ? "" : "s");
	y += 10;
	fprintf(out, "<rect x='%d' y='%d' width='%d' height='24' fill='#eeeeee' stroke='#999'/>\n",
		LEFT, y, width);
	fprintf(out, "<text x='10' y='%d' class='s'>c0000000</text>"
		"<text x='%d' y='%d' class='s'>ffffffff</text>\n", y + 16, LEFT + width + 4, y + 16);
	for (int i = 0; i < n; i++) {
		double x0, w;

		if (d[i].base < hs || d[i].base >= he)
			continue;
		x0 = (double)(d[i].base - hs) * width / (double)(he - hs);
		w = max((double)d[i].size * width / (double)(he - hs), 3.0);
		fprintf(out, "<rect x='%.1f' y='%d' width='%.1f' height='24' fill='%s'/>\n",
			LEFT + x0, y, w, d[i].memory ? "#26a69a" : "#ef6c00");
	}
	y += 44;
	for (int i = 0; i < n; i++) {
		int nclaims = 0;

		fprintf(out, "<rect x='%d' y='%d' width='10' height='10' fill='%s'/>"
			"<text x='%d' y='%d' class='m'>%08llx-%08llx ", LEFT, y - 9,
			d[i].memory ? "#26a69a" : "#ef6c00", LEFT + 14, y,
			(unsigned long long)d[i].base,
			(unsigned long long)(d[i].base + d[i].size - 1));
		put_escaped(out, d[i].name);
		fputs(d[i].memory ? " (memory)" : " (registers)", out);
		for (int j = 0; j < cl.n; j++) {
			if (cl.c[j].anc[0] != d[i].res && cl.c[j].anc[1] != d[i].res &&
			    cl.c[j].anc[2] != d[i].res)
				continue;
			fputs(nclaims++ ? ", " : ": claimed by ", out);
			put_escaped(out, cl.c[j].name);
		}
		if (!nclaims)
			fputs(": not claimed", out);
		if (d[i].base < hs || d[i].base >= he)
			fputs(" (outside the hole)", out);
		fputs("</text>\n", out);
		y += 14;
	}
	free(cl.c);
	free(d);
	return y + 10;
}

/**
 * ukmem__physmap_show - ukmem_show("physmap.svg"): the SVG picture of physical memory
 */
int ukmem__physmap_show(FILE *out, const char *arg)
{
	struct pm pm = { 0 };
	char *body = NULL;
	size_t len = 0;
	FILE *b;
	int y = 30;

	(void)arg;
	for (int i = 0; i < ukmem__mm.nr_ram; i++)
		pm.nr += PHYS_PFN(ukmem__mm.ram[i].end - ukmem__mm.ram[i].start);
	pm.own = calloc(pm.nr ? pm.nr : 1, 1);
	b = open_memstream(&body, &len);
	if (!pm.own || !b) {
		free(pm.own);
		if (b)
			fclose(b);
		free(body);
		return -ENOMEM;
	}
	classify_frames(&pm);
	ukmem__va_lock();
	ukmem__va_for_each_locked(mark_vmalloc, &pm);
	ukmem__va_unlock();
	fprintf(b, "<text x='10' y='20' class='t'>Physical memory (ukmem, mem=%llu MiB)</text>\n",
		ukmem__cfg.mem >> 20);
	y = draw_ram(b, &pm, y + 10);
	y = draw_legend(b, &pm, y);
	y = draw_devices(b, y);
	fclose(b);
	fprintf(out, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
		"font-family='sans-serif'>\n<style>.t{font-size:16px;font-weight:bold}"
		".h{font-size:13px;font-weight:bold}.s{font-size:10px}"
		".m{font-size:11px;font-family:monospace}</style>\n"
		"<rect width='100%%' height='100%%' fill='white'/>\n",
		LEFT + COLS * CELL + 80, y);
	fwrite(body, 1, len, out);
	fputs("</svg>\n", out);
	free(body);
	free(pm.own);
	return 0;
}
