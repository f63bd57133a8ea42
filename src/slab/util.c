/* SPDX-License-Identifier: MIT */
/*
 * Helpers built on kmalloc (the kernel's mm/util.c, lib/kasprintf.c and the allocating half of
 * lib/string_helpers.c): kstrdup and its variants, kmemdup, kasprintf, kstrdup_quotable and
 * arrays of numbered names.  kstrdup_const returns its argument when that lies in a
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
#include <linux/string_helpers.h>
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
	void *p;

	if (WARN(!src && len, "kmemdup: NULL source (%zu bytes)\n", len))
		return NULL;			/* 6.1 copies from NULL */
	p = kmalloc_track_caller(len, gfp);
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

/**
 * kstrdup_quotable - a copy of a string that is safe to print between double quotes
 * @src: the string (NULL gives NULL)
 * @gfp: allocation flags
 *
 * Form feed, new line, carriage return, tab, vertical tab, bell, escape, backslash and the
 * double quote become \xHH; everything else is copied as it is.
 *
 * Return: the kmalloc'd copy, or NULL.
 */
char *kstrdup_quotable(const char *src, gfp_t gfp)
{
	static const char quoted[] = "\f\n\r\t\v\a\033\\\"";
	size_t len;
	char *dst;
	int n;

	if (!src)
		return NULL;
	len = strlen(src);
	n = string_escape_mem(src, len, NULL, 0, ESCAPE_HEX, quoted);
	dst = kmalloc((size_t)n + 1, gfp);
	if (!dst)
		return NULL;
	WARN_ON(string_escape_mem(src, len, dst, (size_t)n, ESCAPE_HEX, quoted) != n);
	dst[n] = '\0';
	return dst;
}

/**
 * kasprintf_strarray - an array of @n strings "@prefix-0" ... "@prefix-(n-1)"
 * @gfp: allocation flags
 * @prefix: the common part
 * @n: how many
 *
 * The array has a NULL after the last string.  Free it with kfree_strarray(array, @n).
 *
 * Return: the array, or NULL (nothing is left allocated).
 */
char **kasprintf_strarray(gfp_t gfp, const char *prefix, size_t n)
{
	char **names = kcalloc(n + 1, sizeof(*names), gfp);

	if (!names)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		names[i] = kasprintf(gfp, "%s-%zu", prefix, i);
		if (!names[i]) {
			kfree_strarray(names, i);
			return NULL;
		}
	}
	return names;
}

/**
 * kfree_strarray - free the first @n strings of @array and the array itself
 * @array: the array (NULL: nothing happens)
 * @n: how many of its strings to free
 */
void kfree_strarray(char **array, size_t n)
{
	if (!array)
		return;
	for (size_t i = 0; i < n; i++)
		kfree(array[i]);
	kfree(array);
}
