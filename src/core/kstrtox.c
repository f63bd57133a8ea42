/* SPDX-License-Identifier: MIT */
/*
 * String to number conversions with the kernel's rules: the whole string must be a number
 * (one trailing newline allowed), overflow is -ERANGE, anything else -EINVAL.  As 6.1's
 * _parse_integer, digits are 0-9 and a-f in any case: a base above 16 takes no more letters
 * ("g" is not a number in base 17).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>

static int parse_ull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v = 0;
	const char *p = s;

	if (base == 0) {
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
			base = 16;
			p += 2;
		} else {
			base = p[0] == '0' ? 8 : 10;
		}
	} else if (base == 16 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
	}
	if (!*p || *p == '\n')
		return -EINVAL;
	for (; *p && *p != '\n'; p++) {
		unsigned int d;

		if (isdigit((unsigned char)*p))
			d = *p - '0';
		else if (tolower((unsigned char)*p) >= 'a' && tolower((unsigned char)*p) <= 'f')
			d = tolower((unsigned char)*p) - 'a' + 10;
		else		/* 6.1's digits stop at f, whatever the base */
			return -EINVAL;
		if (d >= base)
			return -EINVAL;
		if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v))
			return -ERANGE;
	}
	if (*p == '\n' && p[1])
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

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	return parse_ull(s[0] == '+' ? s + 1 : s, base, res);
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

unsigned long long memparse(const char *ptr, char **retptr)
{
	char *end;
	unsigned long long ret = strtoull(ptr, &end, 0);
	int shift = 0;

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
