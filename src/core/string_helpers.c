/* SPDX-License-Identifier: MIT */
/*
 * The kernel's pure string helpers of <linux/string_helpers.h>: a size in human units
 * (string_get_size), and escaping (string_escape_mem, also what printk's %pE prints) and
 * unescaping (string_unescape) of byte strings.  Results and return values are 6.1's, byte for
 * byte; the character classes are the kernel's (its ctype table is Latin-1: bytes 0xa0-0xff
 * count as printable, 0x80-0x9f do not), not the host locale's.
 *
 * Invariants: string_escape_mem writes only below dst + osz and returns the length the whole
 * output needs; string_unescape never writes more than @size bytes (0: unbounded) and always
 * ends @dst with a NUL.  Locking: none (no state); nothing here allocates, so printk may use it.
 */
#include <stdio.h>
#include <linux/kernel.h>
#include <linux/string_helpers.h>

/* The kernel ctype's isprint(): ASCII ' '..'~' and Latin-1's 0xa0..0xff. */
static bool k_isprint(unsigned char c)
{
	return (c >= 0x20 && c <= 0x7e) || c >= 0xa0;
}

static bool k_isascii(unsigned char c)
{
	return c <= 0x7f;
}

/* Divides *@v by @d and returns the remainder (do_div's contract). */
static u32 div_rem(u64 *v, u32 d)
{
	u32 r = (u32)(*v % d);

	*v /= d;
	return r;
}

/**
 * string_get_size - format a size as three significant figures in SI or binary units
 * @size: the number of blocks
 * @blk_size: the size of one block in bytes (1 for a size in bytes)
 * @units: %STRING_UNITS_10 (kB, MB: powers of 1000) or %STRING_UNITS_2 (KiB, MiB)
 * @buf: where the text goes, always NUL-terminated (9 bytes hold every result but "UNK")
 * @len: the size of @buf (negative: a warning, nothing written, as 6.1)
 *
 * "0 B" for an empty size (or a block size of 0), "UNK" as the unit past yottabytes.  The
 * last digit is rounded half up, as 6.1 rounds it: 1000 blocks of 1 byte are "1.00 kB".
 */
void string_get_size(u64 size, u64 blk_size, enum string_size_units units, char *buf, int len)
{
	static const char *const names[2][9] = {
		[STRING_UNITS_10] = { "B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB" },
		[STRING_UNITS_2] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB" },
	};
	static const u32 round_up[] = { 500, 50, 5 };
	const u32 base = units == STRING_UNITS_2 ? 1024 : 1000;
	unsigned int exp = 0, digits;
	u32 rem = 0, scaled;
	char frac[12] = "";

	if (!blk_size)
		size = 0;
	if (size) {
		/* both factors below 2^32 so their product fits; the dropped remainders are
		 * below the three figures kept */
		for (; blk_size >> 32; exp++)
			div_rem(&blk_size, base);
		for (; size >> 32; exp++)
			div_rem(&size, base);
		size *= blk_size;
		for (; size >= base; exp++)
			rem = div_rem(&size, base);
		for (digits = 0, scaled = (u32)size; scaled * 10 < 1000; digits++)
			scaled *= 10;
		if (units == STRING_UNITS_2)
			rem = (rem * 1000) >> 10;	/* the fraction of 1024 in thousandths */
		rem += round_up[digits];
		if (rem >= 1000) {
			rem -= 1000;
			size++;
		}
		if (digits) {
			snprintf(frac, sizeof(frac), ".%03u", rem);
			frac[digits + 1] = '\0';
		}
	}
	/* the kernel's formatter, as 6.1's snprintf: a negative @len (a size above INT_MAX) is
	 * its warning and nothing written */
	scnprintf(buf, (size_t)len, "%u%s %s", (u32)size, frac, exp < 9 ? names[units][exp] : "UNK");
}

/* One byte of unescaped text; @q points after the backslash.  Returns the bytes consumed
 * (0: this class does not know the sequence). */
static size_t unescape_one(const char *q, unsigned int flags, char *out)
{
	static const char space_in[] = "nrtvf", space_out[] = "\n\r\t\v\f";
	static const char special_in[] = "\"\\ae", special_out[] = "\"\\\a\033";
	const char *hit;
	size_t n;
	int d;

	if ((flags & UNESCAPE_SPACE) && *q && (hit = strchr(space_in, *q))) {
		*out = space_out[hit - space_in];
		return 1;
	}
	if ((flags & UNESCAPE_OCTAL) && *q >= '0' && *q <= '7') {
		u8 v = *q & 7;

		for (n = 1; v < 32 && n < 3 && q[n] >= '0' && q[n] <= '7'; n++)
			v = (u8)((v << 3) | (q[n] & 7));
		*out = (char)v;
		return n;
	}
	if ((flags & UNESCAPE_HEX) && q[0] == 'x' && (d = hex_to_bin(q[1])) >= 0) {
		int lo = hex_to_bin(q[2]);

		*out = (char)(lo >= 0 ? d << 4 | lo : d);
		return lo >= 0 ? 3 : 2;
	}
	if ((flags & UNESCAPE_SPECIAL) && *q && (hit = strchr(special_in, *q))) {
		*out = special_out[hit - special_in];
		return 1;
	}
	return 0;
}

/**
 * string_unescape - turn backslash sequences of @src into the bytes they stand for
 * @src: NUL-terminated escaped text
 * @dst: where the text goes; may be @src (the output is never longer)
 * @size: the size of @dst including its NUL, 0 for no limit
 * @flags: %UNESCAPE_SPACE, %UNESCAPE_OCTAL, %UNESCAPE_HEX, %UNESCAPE_SPECIAL, %UNESCAPE_ANY
 *
 * A backslash whose sequence the @flags do not cover is copied as it is.  @dst always ends
 * with a NUL.
 *
 * Return: the number of bytes written to @dst, the NUL not counted.
 */
int string_unescape(char *src, char *dst, size_t size, unsigned int flags)
{
	char *out = dst;
	size_t used;

	while (*src && --size) {
		if (src[0] == '\\' && src[1] && size > 1) {
			src++;
			size--;
			used = unescape_one(src, flags, out);
			if (used) {
				src += used;
				out++;
				continue;
			}
			*out++ = '\\';
		}
		*out++ = *src++;
	}
	*out = '\0';
	return (int)(out - dst);
}

/* The sequence escaping @c in the classes of @flags ("" when none of them covers it). */
static void escape_seq(unsigned char c, unsigned int flags, char seq[5])
{
	static const char space_in[] = "\n\r\t\v\f", space_out[] = "nrtvf";
	static const char special_in[] = "\\\a\033\"", special_out[] = "\\ae\"";
	const char *hit;

	seq[0] = '\0';
	if ((flags & ESCAPE_SPACE) && c && (hit = strchr(space_in, c)))
		snprintf(seq, 5, "\\%c", space_out[hit - space_in]);
	else if ((flags & ESCAPE_SPECIAL) && c && (hit = strchr(special_in, c)))
		snprintf(seq, 5, "\\%c", special_out[hit - special_in]);
	else if ((flags & ESCAPE_NULL) && !c)
		snprintf(seq, 5, "\\0");
	else if (flags & ESCAPE_OCTAL)
		snprintf(seq, 5, "\\%03o", c);
	else if (flags & ESCAPE_HEX)
		snprintf(seq, 5, "\\x%02x", c);
}

/* Whether @c goes out as it is before any class is tried (6.1's order of pass-throughs).
 * A NUL byte counts as listed in a non-empty @only (strchr finds the string's own end). */
static bool escape_passes(unsigned char c, unsigned int flags, const char *only)
{
	bool has_only = only && *only, in_only = has_only && strchr(only, c);
	bool appended = (flags & ESCAPE_APPEND) && in_only;

	if (has_only && !(flags & ESCAPE_APPEND) && !in_only)
		return true;
	if (appended)
		return false;
	return ((flags & ESCAPE_NAP) && k_isascii(c) && k_isprint(c)) ||
	       ((flags & ESCAPE_NP) && k_isprint(c)) || ((flags & ESCAPE_NA) && k_isascii(c));
}

/**
 * string_escape_mem - escape the bytes of a buffer
 * @src: the bytes (not a string: NULs are bytes like the others)
 * @isz: how many
 * @dst: where the text goes; it is not NUL-terminated
 * @osz: the size of @dst: nothing is written at or past dst + @osz
 * @flags: the classes to escape (%ESCAPE_SPACE, %ESCAPE_SPECIAL, %ESCAPE_NULL,
 *	%ESCAPE_OCTAL, %ESCAPE_HEX) and the filters (%ESCAPE_NP, %ESCAPE_NA, %ESCAPE_NAP,
 *	%ESCAPE_APPEND)
 * @only: NULL or "", or the only bytes that may be escaped (with %ESCAPE_APPEND: bytes
 *	escaped even where a filter would let them through)
 *
 * Return: the length of the whole escaped text; it was cut short when that is above @osz,
 * and there is room for a NUL only when it is below.
 */
int string_escape_mem(const char *src, size_t isz, char *dst, size_t osz, unsigned int flags,
		      const char *only)
{
	size_t n = 0, i;
	char seq[5];

	for (; isz--; src++) {
		unsigned char c = (unsigned char)*src;

		seq[0] = '\0';
		if (!escape_passes(c, flags, only))
			escape_seq(c, flags, seq);
		if (!seq[0])
			seq[0] = (char)c, seq[1] = '\0', i = 1;
		else
			i = strlen(seq);
		for (size_t k = 0; k < i; k++, n++)
			if (n < osz)
				dst[n] = seq[k];
	}
	return (int)n;
}
