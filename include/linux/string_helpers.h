/* SPDX-License-Identifier: MIT */
/*
 * <linux/string_helpers.h>: sizes in human units, escaping and unescaping of strings, the
 * yes/no style helpers, and arrays of numbered names.  Results, flag values and return
 * values are 6.1's.  Not declared (a compile error, not a stub): the variants that read a
 * task's command line or a file's path, and parse_int_array_user.
 */
#ifndef _UKMEM_LINUX_STRING_HELPERS_H
#define _UKMEM_LINUX_STRING_HELPERS_H
#include <ctype.h>
#include <linux/bits.h>
#include <linux/gfp_types.h>
#include <linux/string.h>
#include <linux/types.h>

struct device;

enum string_size_units {
	STRING_UNITS_10,	/* powers of 1000: kB, MB, ... */
	STRING_UNITS_2,		/* powers of 1024: KiB, MiB, ... */
};

void string_get_size(u64 size, u64 blk_size, enum string_size_units units, char *buf,
		     int len);

#define UNESCAPE_SPACE		BIT(0)	/* \f \n \r \t \v */
#define UNESCAPE_OCTAL		BIT(1)	/* \NNN, 1 to 3 digits */
#define UNESCAPE_HEX		BIT(2)	/* \xHH, 1 or 2 digits */
#define UNESCAPE_SPECIAL	BIT(3)	/* \" \\ \a \e */
#define UNESCAPE_ANY		(UNESCAPE_SPACE | UNESCAPE_OCTAL | UNESCAPE_HEX | UNESCAPE_SPECIAL)
#define UNESCAPE_ALL_MASK	GENMASK(3, 0)

int string_unescape(char *src, char *dst, size_t size, unsigned int flags);

static inline int string_unescape_inplace(char *buf, unsigned int flags)
{
	return string_unescape(buf, buf, 0, flags);
}

static inline int string_unescape_any(char *src, char *dst, size_t size)
{
	return string_unescape(src, dst, size, UNESCAPE_ANY);
}

static inline int string_unescape_any_inplace(char *buf)
{
	return string_unescape(buf, buf, 0, UNESCAPE_ANY);
}

#define ESCAPE_SPACE		BIT(0)	/* \f \n \r \t \v (not ' ') */
#define ESCAPE_SPECIAL		BIT(1)	/* \" \\ \a \e */
#define ESCAPE_NULL		BIT(2)	/* \0 */
#define ESCAPE_OCTAL		BIT(3)	/* \NNN, always 3 digits */
#define ESCAPE_ANY		(ESCAPE_SPACE | ESCAPE_OCTAL | ESCAPE_SPECIAL | ESCAPE_NULL)
#define ESCAPE_NP		BIT(4)	/* only what is not printable */
#define ESCAPE_ANY_NP		(ESCAPE_ANY | ESCAPE_NP)
#define ESCAPE_HEX		BIT(5)	/* \xHH */
#define ESCAPE_NA		BIT(6)	/* only what is not ASCII */
#define ESCAPE_NAP		BIT(7)	/* only what is not printable ASCII */
#define ESCAPE_APPEND		BIT(8)	/* @only adds to the classes instead of limiting them */
#define ESCAPE_ALL_MASK		GENMASK(8, 0)

int string_escape_mem(const char *src, size_t isz, char *dst, size_t osz, unsigned int flags,
		      const char *only);

static inline int string_escape_mem_any_np(const char *src, size_t isz, char *dst, size_t osz,
					   const char *only)
{
	return string_escape_mem(src, isz, dst, osz, ESCAPE_ANY_NP, only);
}

static inline int string_escape_str(const char *src, char *dst, size_t sz, unsigned int flags,
				    const char *only)
{
	return string_escape_mem(src, strlen(src), dst, sz, flags, only);
}

static inline int string_escape_str_any_np(const char *src, char *dst, size_t sz,
					   const char *only)
{
	return string_escape_str(src, dst, sz, ESCAPE_ANY_NP, only);
}

/* Copies @src with its NUL, each byte through toupper() / tolower(). */
static inline void string_upper(char *dst, const char *src)
{
	while ((*dst++ = (char)toupper((unsigned char)*src++)))
		;
}

static inline void string_lower(char *dst, const char *src)
{
	while ((*dst++ = (char)tolower((unsigned char)*src++)))
		;
}

char *kstrdup_quotable(const char *src, gfp_t gfp);
char **kasprintf_strarray(gfp_t gfp, const char *prefix, size_t n);
void kfree_strarray(char **array, size_t n);
char **devm_kasprintf_strarray(struct device *dev, const char *prefix, size_t n);

static inline const char *str_yes_no(bool v)
{
	return v ? "yes" : "no";
}

static inline const char *str_on_off(bool v)
{
	return v ? "on" : "off";
}

static inline const char *str_enable_disable(bool v)
{
	return v ? "enable" : "disable";
}

static inline const char *str_enabled_disabled(bool v)
{
	return v ? "enabled" : "disabled";
}

static inline const char *str_read_write(bool v)
{
	return v ? "read" : "write";
}
#endif
