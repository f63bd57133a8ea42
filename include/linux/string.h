/* SPDX-License-Identifier: MIT */
/*
 * <linux/string.h>: the system's UAPI header of this name (which brings in glibc's
 * <string.h>), plus the kernel's string helpers that allocate with kmalloc.
 */
#ifndef _UKMEM_LINUX_STRING_H
#define _UKMEM_LINUX_STRING_H
#include_next <linux/string.h>
#include <stdarg.h>
#include <linux/types.h>
#include <linux/compiler.h>

void kfree_const(const void *x);
char *kstrdup(const char *s, gfp_t gfp) __malloc;
const char *kstrdup_const(const char *s, gfp_t gfp);
char *kstrndup(const char *s, size_t len, gfp_t gfp);
void *kmemdup(const void *src, size_t len, gfp_t gfp);
char *kmemdup_nul(const char *s, size_t len, gfp_t gfp);
void *memchr_inv(const void *s, int c, size_t n);

/* Declared by <linux/kernel.h> in the kernel; repeated here so either header suffices. */
__printf(2, 3) char *kasprintf(gfp_t gfp, const char *fmt, ...);
__printf(2, 0) char *kvasprintf(gfp_t gfp, const char *fmt, va_list args);
__printf(2, 0) const char *kvasprintf_const(gfp_t gfp, const char *fmt, va_list args);

/* Concatenate two NULL-terminated pointer arrays into a new kmalloc'ed one (lib/memcat_p.c,
 * built from the kernel's source, defines __memcat_p; ukmem itself does not). */
void **__memcat_p(void **a, void **b);
#define memcat_p(a, b) ({							\
	_Static_assert(__same_type(*(a), *(b)), "type mismatch in memcat_p()");	\
	(typeof(*(a)) *)__memcat_p((void **)(a), (void **)(b));			\
})
#endif
