/* SPDX-License-Identifier: MIT */
/*
 * String to number conversions with the kernel's rules: the whole string must be a number
 * (one trailing newline allowed), overflow is -ERANGE, anything else -EINVAL.  As 6.1's
 * _parse_integer, digits are 0-9 and a-f in any case: a base above 16 takes no more letters
 * ("g" is not a number in base 17).  The simple_strto* forms read what digits there are and
 * say where they stopped, wrapping on overflow, as 6.1's do; memparse reads its number as
 * they do, but saturates where they wrap.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <linux/kernel.h>

/* 6.1's _parse_integer_fixup_radix: base 0 is 16 after "0x" and a hex digit, 8 after "0",
 * else 10; a base 16 "0x" is skipped.  Returns where the digits start. */
static const char *fixup_radix(const char *p, unsigned int *base)
{
	bool hex_prefix = p[0] == '0' && tolower((unsigned char)p[1]) == 'x';

	if (*base == 0) {
		if (hex_prefix && isxdigit((unsigned char)p[2]))
			*base = 16;
		else
			*base = p[0] == '0' ? 8 : 10;
	}
	return *base == 16 && hex_prefix ? p + 2 : p;
}

/* The digits of @base at @p (0-9 and a-f in any case, whatever the base), read into *@res
 * modulo 2^64; *@overflow tells whether that wrapped.  Returns how many were read. */
static size_t parse_digits(const char *p, unsigned int base, unsigned long long *res,
			   bool *overflow)
{
	unsigned long long v = 0;
	size_t n = 0;

	*overflow = false;
	for (;; n++) {
		int c = tolower((unsigned char)p[n]);
		unsigned int d = isdigit(c) ? (unsigned int)(c - '0') :
				 c >= 'a' && c <= 'f' ? (unsigned int)(c - 'a' + 10) : UINT_MAX;

		if (d >= base)	/* 6.1's digits stop at f, whatever the base */
			break;
		*overflow |= __builtin_mul_overflow(v, base, &v);
		*overflow |= __builtin_add_overflow(v, d, &v);
	}
	*res = v;
	return n;
}

static int parse_ull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v;
	const char *p = fixup_radix(s, &base);
	bool overflow;
	size_t n = parse_digits(p, base, &v, &overflow);

	if (overflow)
		return -ERANGE;
	if (!n)
		return -EINVAL;
	p += n;
	if (*p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long long v;
	int err = parse_ull(s[0] == '+' ? s + 1 : s, base, &v);

	if (!err)
		*res = v;
	return err;
}

int kstrtol(const char *s, unsigned int base, long *res)
{
	unsigned long long v;
	bool neg = s[0] == '-';
	int err = parse_ull(s + (neg || s[0] == '+'), base, &v);

	if (err)
		return err;
	if (v > (unsigned long long)LONG_MAX + neg)
		return -ERANGE;
	/* LONG_MIN's magnitude is no long: negate one less, then step down */
	*res = neg && v ? -(long)(v - 1) - 1 : (long)v;
	return 0;
}

/* The narrower conversions: the long one, then a range check (-ERANGE outside). */
#define KSTRTO_UNSIGNED(name, type, max)					\
int name(const char *s, unsigned int base, type *res)				\
{										\
	unsigned long v;							\
	int err = kstrtoul(s, base, &v);					\
										\
	if (err)								\
		return err;							\
	if (v > (max))								\
		return -ERANGE;							\
	*res = (type)v;								\
	return 0;								\
}

#define KSTRTO_SIGNED(name, type, min, max)					\
int name(const char *s, unsigned int base, type *res)				\
{										\
	long v;									\
	int err = kstrtol(s, base, &v);						\
										\
	if (err)								\
		return err;							\
	if (v < (min) || v > (max))						\
		return -ERANGE;							\
	*res = (type)v;								\
	return 0;								\
}

KSTRTO_UNSIGNED(kstrtouint, unsigned int, UINT_MAX)
KSTRTO_SIGNED(kstrtoint, int, INT_MIN, INT_MAX)
KSTRTO_UNSIGNED(kstrtou16, u16, U16_MAX)
KSTRTO_SIGNED(kstrtos16, s16, S16_MIN, S16_MAX)
KSTRTO_UNSIGNED(kstrtou8, u8, U8_MAX)
KSTRTO_SIGNED(kstrtos8, s8, S8_MIN, S8_MAX)

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	return parse_ull(s[0] == '+' ? s + 1 : s, base, res);
}

/* long long is long here (LP64): kstrtoll is kstrtol. */
int kstrtoll(const char *s, unsigned int base, long long *res)
{
	long v;
	int err;

	BUILD_BUG_ON(sizeof(long) != sizeof(long long));
	err = kstrtol(s, base, &v);
	if (!err)
		*res = v;
	return err;
}

/**
 * simple_strtoull - the number at the start of a string, where it ends
 * @cp: the string (no blanks or '+' are skipped)
 * @endp: if not NULL, set to the first character after the number
 * @base: 0 (a "0x" or "0" prefix chooses 16 or 8, else 10), or the base
 *
 * As 6.1's: digits are read as long as there are any, and overflow is not detected (the
 * value wraps).  kstrtoull() is the checked form.
 *
 * Return: the value, 0 when no digit was read.
 */
unsigned long long simple_strtoull(const char *cp, char **endp, unsigned int base)
{
	unsigned long long v;
	bool overflow;
	const char *p = fixup_radix(cp, &base);

	p += parse_digits(p, base, &v, &overflow);
	if (endp)
		*endp = (char *)p;
	return v;
}

/**
 * simple_strtoul - simple_strtoull() as an unsigned long
 * @cp: the string
 * @endp: if not NULL, set to the first character after the number
 * @base: 0 or the base
 *
 * Return: the value.
 */
unsigned long simple_strtoul(const char *cp, char **endp, unsigned int base)
{
	return simple_strtoull(cp, endp, base);
}

/**
 * simple_strtoll - simple_strtoull() with an optional leading '-'
 * @cp: the string
 * @endp: if not NULL, set to the first character after the number
 * @base: 0 or the base
 *
 * Return: the value (negated, wrapping, after a '-').
 */
long long simple_strtoll(const char *cp, char **endp, unsigned int base)
{
	if (*cp == '-')
		return (long long)(0 - simple_strtoull(cp + 1, endp, base));
	return (long long)simple_strtoull(cp, endp, base);
}

/**
 * simple_strtol - simple_strtoll() as a long
 * @cp: the string
 * @endp: if not NULL, set to the first character after the number
 * @base: 0 or the base
 *
 * Return: the value.
 */
long simple_strtol(const char *cp, char **endp, unsigned int base)
{
	return simple_strtoll(cp, endp, base);
}

int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*res = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

/**
 * memparse - a size with an optional K, M, G, T, P or E suffix (any case)
 * @ptr: the text; the number is read as simple_strtoull() reads it (base 0, no blanks or
 *	sign skipped: " 5K" and "-1M" are 0 and end at @ptr, as 6.1's)
 * @retptr: if not NULL, set to the first character after the number and its suffix
 *
 * Unlike 6.1's, which wraps, a number or a shifted size that does not fit in 64 bits is
 * ULLONG_MAX, so that a caller's range check refuses it.
 *
 * Return: the size in bytes.
 */
unsigned long long memparse(const char *ptr, char **retptr)
{
	unsigned int base = 0;
	const char *p = fixup_radix(ptr, &base);
	unsigned long long ret;
	char *end;
	bool overflow;
	int shift = 0;

	end = (char *)p + parse_digits(p, base, &ret, &overflow);
	if (overflow)
		ret = ~0ULL;
	switch (*end) {
	case 'E': case 'e': shift += 10; fallthrough;
	case 'P': case 'p': shift += 10; fallthrough;
	case 'T': case 't': shift += 10; fallthrough;
	case 'G': case 'g': shift += 10; fallthrough;
	case 'M': case 'm': shift += 10; fallthrough;
	case 'K': case 'k': shift += 10;
		end++;
		break;
	default:
		break;
	}
	if (shift && ret > (~0ULL >> shift))
		ret = ~0ULL;		/* saturate: callers reject it as too large */
	else
		ret <<= shift;
	if (retptr)
		*retptr = end;
	return ret;
}
