/* SPDX-License-Identifier: MIT */
/*
 * The shadow-model fuzzer's shared model (fuzz_mm.c: the memory half and the main loop;
 * fuzz_dev.c: devres, ioremap and DMA).  One table of live objects holds everything that is
 * RAM the fuzzer owns, whichever half made it, so the overlap check sees all of it.  An
 * object's expected contents are one fill byte, or, for objects written piecewise (DMA
 * buffers, coherent memory, pool blocks), a shadow copy.
 */
#ifndef FUZZ_MM_H
#define FUZZ_MM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#define FZ_MEM		"mem=3200M"	/* RAM in all three zones: [0, 3G) and [4G, 4G + 128M) */
#define MAX_LIVE	48
#define MAX_VMAP_PAGES	8

enum kind {
	K_FREE, K_KMALLOC, K_CACHE, K_VMALLOC, K_KV, K_PAGES, K_VMAP,
	K_DEVM,			/* devm_kmalloc & co: dev */
	K_COHERENT,		/* dma_alloc_coherent / dmam_alloc_coherent: dev, dma, managed */
	K_DMABUF,		/* a kmalloc buffer mapped with dma_map_single: dev, dma, dir */
	K_POOLBLK,		/* a dma_pool block: pool, dma */
};

struct page;

struct obj {
	enum kind kind;
	unsigned char *p;
	size_t size;
	unsigned char fill;
	unsigned char *shadow;		/* when set: the expected contents (else all fill) */
	int cache;			/* K_CACHE: index in the caches */
	unsigned int order;		/* K_PAGES */
	struct page *page;		/* K_PAGES */
	struct page *vpages[MAX_VMAP_PAGES];	/* K_VMAP */
	unsigned int nr_vpages;
	/* the driver half */
	int dev;			/* K_DEVM, K_COHERENT, K_DMABUF: the fuzzer's device */
	int pool;			/* K_POOLBLK */
	bool managed;			/* K_COHERENT from dmam_alloc_coherent */
	dma_addr_t dma;			/* K_COHERENT, K_DMABUF, K_POOLBLK: the bus address */
	int dir;			/* K_DMABUF: enum dma_data_direction */
	unsigned char *dshadow;		/* K_DMABUF that bounced: what the device sees */
};

struct fz_model {
	struct obj obj[MAX_LIVE];
	const uint8_t *in;
	size_t len, pos;
	unsigned char next_fill;
	unsigned long reports;		/* ukmem_report_count() as the model expects it */
	size_t live_bytes;
	char *baseline;			/* counters before the first input */
	bool started;
	bool trace;			/* $FUZZ_MM_TRACE: print each call */
	bool used_rcu;			/* a SLAB_TYPESAFE_BY_RCU cache was made */
	bool realloc_in_place;		/* check_kmalloc of a krealloc that kept its object */
};

extern struct fz_model M;

#define FAIL(fmt, ...) do {							\
	fprintf(stderr, "fuzz_mm: check failed at %s:%d (input byte %zu): " fmt "\n",	\
		__FILE__, __LINE__, M.pos, ##__VA_ARGS__);			\
	abort();							\
} while (0)

#define TRACE(fmt, ...) do {							\
	if (M.trace)								\
		fprintf(stderr, "fuzz_mm:   " fmt "\n", ##__VA_ARGS__);		\
} while (0)

/* fuzz_mm.c: the input, the object table and its checks */
unsigned int fz_byte(void);
size_t fz_size_of(unsigned int max_shift);
void fz_expect_reports(unsigned long more, const char *what);
struct obj *fz_slot_free(void);
struct obj *fz_slot_pick(unsigned int b, enum kind want);
void fz_check_new(const void *p, size_t size, const char *what);
void fz_check_bytes(const unsigned char *p, size_t n, unsigned char want, const char *what);
void fz_check_obj(const struct obj *o, bool all);
void fz_check_all(bool all);
unsigned char fz_new_fill(void);
void fz_add(struct obj *o, enum kind kind, void *p, size_t size);
void fz_add_shadowed(struct obj *o, enum kind kind, void *p, size_t size);
void fz_drop(struct obj *o, bool check);

/* fuzz_dev.c: devres, ioremap and DMA on the fuzzer's own devices */
#define FZ_DEV_OPS	16		/* opcodes 240..255 */
void fz_dev_start(void);		/* once, before the counters' baseline */
void fz_dev_begin_input(void);
void fz_dev_op(unsigned int op);	/* 0 .. FZ_DEV_OPS - 1 */
void fz_dev_end_input(void);		/* gives back everything the driver half holds */
#endif
