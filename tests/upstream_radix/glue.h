/* SPDX-License-Identifier: MIT */
/*
 * Force-included (-include) into every file of the kernel's tools/testing/radix-tree programs
 * built here: the user-space environment the suite's files expect from their own stand-in
 * headers, on top of ukmem's headers.  The files themselves are compiled unchanged.
 *
 * - The C library the stand-in's <linux/kernel.h> and <linux/bug.h> bring (printf, assert,
 *   pthreads, time, rand).
 * - liburcu's thread registration, which the suite's main() and threads call: ukmem's RCU
 *   (liburcu's memb flavour) registers a thread itself, so these only make the thread a
 *   reader now (glue.c).
 * - nr_allocated, the stand-in's count of objects allocated from slab caches: the suite's
 *   kmem_cache_alloc/kmem_cache_alloc_lru/kmem_cache_free calls go to ukmem's own functions
 *   through counting wrappers (glue.c).  kmalloc/kzalloc/kfree go to ukmem directly; their
 *   leaks are ukmem's leak report at exit.
 * Allocations without __GFP_DIRECT_RECLAIM fail, as with the stand-in: that is ukmem's
 * failslab, set on the command line with ignore-gfp-wait (tests.cmake); the stand-in's
 * per-cache "non-kernel" budget (kmem_cache_set_non_kernel) lets that many through (glue.c).
 */
#ifndef _RADIX_GLUE_H
#define _RADIX_GLUE_H
#include <assert.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/slab.h>

void rcu_register_thread(void);
void rcu_unregister_thread(void);

struct list_lru;
void *radix_glue_cache_alloc(struct kmem_cache *s, struct list_lru *lru, gfp_t gfp);
void radix_glue_cache_free(struct kmem_cache *s, void *objp);
void kmem_cache_set_non_kernel(struct kmem_cache *s, unsigned int val);
#define kmem_cache_alloc(s, gfp)		radix_glue_cache_alloc(s, NULL, gfp)
#define kmem_cache_alloc_lru(s, lru, gfp)	radix_glue_cache_alloc(s, lru, gfp)
#define kmem_cache_free(s, objp)		radix_glue_cache_free(s, objp)
#endif
