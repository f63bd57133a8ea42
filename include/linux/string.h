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

/* Bounded copies, comparisons and conversions the kernel has and glibc does not (6.1's
 * lib/string.c and friends). */
ssize_t strscpy(char *dest, const char *src, size_t count);
ssize_t strscpy_pad(char *dest, const char *src, size_t count);
size_t strlcpy(char *dest, const char *src, size_t size);
size_t strlcat(char *dest, const char *src, size_t count);
bool sysfs_streq(const char *s1, const char *s2);
int match_string(const char * const *array, size_t n, const char *string);
int __sysfs_match_string(const char * const *array, size_t n, const char *str);
#define sysfs_match_string(_a, _s)	__sysfs_match_string(_a, ARRAY_SIZE(_a), _s)
char * __must_check skip_spaces(const char *str);
char *strim(char *s);
static inline __must_check char *strstrip(char *str)
{
	return strim(str);
}
char *strreplace(char *s, char old, char new);
char *strnchr(const char *s, size_t count, int c);
void *memset16(u16 *s, u16 v, size_t count);
void *memset32(u32 *s, u32 v, size_t count);
void *memset64(u64 *s, u64 v, size_t count);
int hex_to_bin(unsigned char ch);
int __must_check hex2bin(u8 *dst, const char *src, size_t count);
char *bin2hex(char *dst, const void *src, size_t count);

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
