/* SPDX-License-Identifier: MIT */
/*
 * The kernel's string helpers that glibc does not have (lib/string.c, lib/string_helpers.c,
 * lib/hexdump.c in 6.1): bounded copies that say when they truncated (strscpy), sysfs-style
 * comparisons and lookups, trimming, and hex conversions.  Their results, return values and
 * error codes are 6.1's; where 6.1 BUGs on a broken argument (strlcat into a buffer that is
 * already full), so does this file.
 *
 * Invariants: every copy leaves a NUL-terminated destination when it was given room for one
 * byte; nothing reads a source past its NUL.  Locking: none (no state).
 */
#include <errno.h>
#include <limits.h>
#include <linux/kernel.h>
#include <linux/string.h>

/* The kernel's isspace(): ASCII white space and Latin-1's no-break space (its _ctype). */
static bool kspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

/**
 * strscpy - copy a string into a buffer of @count bytes, always NUL-terminated
 * Return: the length copied, or -E2BIG when @src did not fit (the copy is truncated) or
 * @count is 0 (nothing is written) or above INT_MAX (a WARN as 6.1's).
 */
ssize_t strscpy(char *dest, const char *src, size_t count)
{
	size_t len;

	if (count == 0 || WARN_ON_ONCE(count > INT_MAX))
		return -E2BIG;
	len = strnlen(src, count);
	if (len == count) {		/* no NUL within count bytes: truncate */
		memcpy(dest, src, count - 1);
		dest[count - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dest, src, len + 1);
	return len;
}

/**
 * strscpy_pad - strscpy(), then the rest of the buffer zeroed
 * Return: as strscpy().
 */
ssize_t strscpy_pad(char *dest, const char *src, size_t count)
{
	ssize_t written = strscpy(dest, src, count);

	if (written < 0 || (size_t)written == count - 1)
		return written;
	memset(dest + written + 1, 0, count - written - 1);
	return written;
}

/**
 * strlcpy - copy at most @size - 1 bytes of @src, NUL-terminated when @size > 0
 * Return: strlen(@src) (a result >= @size means it was truncated).
 */
size_t strlcpy(char *dest, const char *src, size_t size)
{
	size_t ret = strlen(src);

	if (size) {
		size_t len = ret >= size ? size - 1 : ret;

		memcpy(dest, src, len);
		dest[len] = '\0';
	}
	return ret;
}

/**
 * strlcat - append @src to the string in a buffer of @count bytes
 * Return: the length the whole string would have had.  A destination already filling the
 * buffer (no NUL in it) is 6.1's BUG.
 */
size_t strlcat(char *dest, const char *src, size_t count)
{
	size_t dsize = strlen(dest), len = strlen(src), res = dsize + len;

	BUG_ON(dsize >= count);
	dest += dsize;
	count -= dsize;
	if (len >= count)
		len = count - 1;
	memcpy(dest, src, len);
	dest[len] = '\0';
	return res;
}

/**
 * sysfs_streq - equal strings, a single trailing newline on either side ignored
 */
bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	return *s1 == '\n' && !s1[1] && !*s2;
}

/**
 * match_string - index of @string in the first @n entries of @array (a NULL entry ends it)
 * Return: the index, or -EINVAL.
 */
int match_string(const char * const *array, size_t n, const char *string)
{
	for (size_t i = 0; i < n && array[i]; i++)
		if (!strcmp(array[i], string))
			return i;
	return -EINVAL;
}

/**
 * __sysfs_match_string - match_string() with sysfs_streq() (sysfs_match_string's body)
 * Return: the index, or -EINVAL.
 */
int __sysfs_match_string(const char * const *array, size_t n, const char *str)
{
	for (size_t i = 0; i < n && array[i]; i++)
		if (sysfs_streq(array[i], str))
			return i;
	return -EINVAL;
}

/**
 * skip_spaces - the first character of @str that is not white space
 */
char *skip_spaces(const char *str)
{
	while (kspace(*str))
		str++;
	return (char *)str;
}

/**
 * strim - cut the trailing white space off @s (in place); return its first non-space
 */
char *strim(char *s)
{
	size_t size = strlen(s);
	char *end;

	if (!size)
		return s;
	end = s + size - 1;
	while (end >= s && kspace(*end))
		end--;
	end[1] = '\0';
	return skip_spaces(s);
}

/**
 * strreplace - replace every @old character of @s by @new
 * Return: the end of @s (its NUL), as 6.1's.
 */
char *strreplace(char *s, char old, char new)
{
	for (; *s; s++)
		if (*s == old)
			*s = new;
	return s;
}

/**
 * strnchr - the first @c in the first @count bytes of @s, not past its NUL
 * @s: the string
 * @count: how many bytes to look at
 * @c: the character; '\0' finds the string's end when it lies within @count bytes
 *
 * Return: where @c is, or NULL.
 */
char *strnchr(const char *s, size_t count, int c)
{
	for (; count--; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			break;
	}
	return NULL;
}

void *memset16(u16 *s, u16 v, size_t count)
{
	for (size_t i = 0; i < count; i++)
		s[i] = v;
	return s;
}

void *memset32(u32 *s, u32 v, size_t count)
{
	for (size_t i = 0; i < count; i++)
		s[i] = v;
	return s;
}

void *memset64(u64 *s, u64 v, size_t count)
{
	for (size_t i = 0; i < count; i++)
		s[i] = v;
	return s;
}

/**
 * hex_to_bin - the value of one hex digit
 * Return: 0..15, or -1 for anything else.
 */
int hex_to_bin(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;			/* lower case */
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/**
 * hex2bin - @count bytes from 2 * @count hex digits
 * Return: 0, or -EINVAL at the first pair that is not two hex digits (the bytes before it
 * are written).
 */
int hex2bin(u8 *dst, const char *src, size_t count)
{
	while (count--) {
		int hi = hex_to_bin(*src++), lo;

		if (hi < 0)
			return -EINVAL;
		lo = hex_to_bin(*src++);
		if (lo < 0)
			return -EINVAL;
		*dst++ = (u8)(hi << 4 | lo);
	}
	return 0;
}

/**
 * bin2hex - @count bytes as 2 * @count lower-case hex digits (no NUL written)
 * Return: the position after the last digit.
 */
char *bin2hex(char *dst, const void *src, size_t count)
{
	static const char digits[] = "0123456789abcdef";
	const u8 *p = src;

	while (count--) {
		*dst++ = digits[*p >> 4];
		*dst++ = digits[*p++ & 15];
	}
	return dst;
}
