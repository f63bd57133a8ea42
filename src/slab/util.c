/* SPDX-License-Identifier: MIT */
/*
 * Helpers built on kmalloc (the kernel's mm/util.c and lib/kasprintf.c): kstrdup and its
 * variants, kmemdup, kasprintf.  kstrdup_const returns its argument when that lies in a
 * read-only segment of a loaded program or library (the kernel's .rodata test), and
 * kfree_const frees only what kstrdup_const duplicated.
 *
 * Locking: none.
 */
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "slab/slab.h"

/* len bytes of s and a NUL, in memory charged to the caller's caller. */
static char *dup_nul(const char *s, size_t len, gfp_t gfp, unsigned long caller)
{
	char *buf = __kmalloc_node_track_caller(len + 1, gfp, NUMA_NO_NODE, caller);

	if (buf) {
		memcpy(buf, s, len);
		buf[len] = '\0';
	}
	return buf;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	return s ? dup_nul(s, strlen(s), gfp, _RET_IP_) : NULL;
}

struct rodata_query { unsigned long addr; bool found; };

static int rodata_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct rodata_query *q = data;

	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		unsigned long start = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && !(ph->p_flags & PF_W) &&
		    q->addr >= start && q->addr < start + ph->p_memsz) {
			q->found = true;
			return 1;
		}
	}
	return 0;
}

bool ukmem__is_rodata(const void *p)
{
	struct rodata_query q = { (unsigned long)p, false };

	if (virt_addr_valid(p))
		return false;
	dl_iterate_phdr(rodata_cb, &q);
	return q.found;
}

const char *kstrdup_const(const char *s, gfp_t gfp)
{
	if (s && ukmem__is_rodata(s))
		return s;
	return kstrdup(s, gfp);
}

void kfree_const(const void *x)
{
	if (!ZERO_OR_NULL_PTR(x) && !ukmem__is_rodata(x))
		kfree(x);
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	return s ? dup_nul(s, strnlen(s, max), gfp, _RET_IP_) : NULL;
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc_track_caller(len, gfp);

	if (p && !ZERO_OR_NULL_PTR(p))
		memcpy(p, src, len);
	return p;
}

char *kmemdup_nul(const char *s, size_t len, gfp_t gfp)
{
	return s ? dup_nul(s, len, gfp, _RET_IP_) : NULL;
}

void *memchr_inv(const void *start, int c, size_t bytes)
{
	const unsigned char *p = start;

	for (size_t i = 0; i < bytes; i++)
		if (p[i] != (unsigned char)c)
			return (void *)(p + i);
	return NULL;
}

/**
 * kvasprintf - format into a new kmalloc'd string
 * Return: the string, or NULL when allocation fails.
 */
char *kvasprintf(gfp_t gfp, const char *fmt, va_list ap)
{
	va_list aq;
	int len;
	char *p;

	va_copy(aq, ap);
	len = ukmem__vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (len < 0)
		return NULL;
	p = kmalloc_track_caller((size_t)len + 1, gfp);
	if (!p)
		return NULL;
	ukmem__vsnprintf(p, (size_t)len + 1, fmt, ap);
	return p;
}

const char *kvasprintf_const(gfp_t gfp, const char *fmt, va_list ap)
{
	if (!strchr(fmt, '%'))
		return kstrdup_const(fmt, gfp);
	if (!strcmp(fmt, "%s"))
		return kstrdup_const(va_arg(ap, const char *), gfp);
	return kvasprintf(gfp, fmt, ap);
}

char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = kvasprintf(gfp, fmt, ap);
	va_end(ap);
	return p;
}
