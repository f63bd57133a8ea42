/* SPDX-License-Identifier: MIT */
/*
 * Hex dumps as 6.1's lib/hexdump.c lays them out: hex_dump_to_buffer formats one row of 16
 * or 32 bytes in groups of 1, 2, 4 or 8 bytes (a group is read as one number in the host's
 * byte order, little-endian here), then optionally the bytes as ASCII in a column whose
 * place depends only on the row and group sizes; print_hex_dump prints a buffer a row per
 * line with an optional address or offset prefix.
 *
 * Invariants as 6.1: any other row size is 16; any other group size is 1, and so is a
 * group size that does not divide the row's length (a short last row may switch to bytes,
 * and its ASCII column moves with it).  No state; the lines go out through printk.
 */
#include <ctype.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include "core/format.h"

/* One group of @size bytes as a number in host byte order, 2 * @size hex digits. */
static void out_group(struct obuf *o, const u8 *p, int size)
{
	unsigned long long v = 0;

	memcpy(&v, p, (size_t)size);	/* little-endian host: the low bytes of v */
	ukmem__out_fmt(o, "%0*llx", 2 * size, v);
}

/**
 * hex_dump_to_buffer - one row of a hex dump, as text
 * @buf: the bytes
 * @len: how many (at most one row is formatted)
 * @rowsize: 16 or 32 bytes a row (anything else is 16)
 * @groupsize: 1, 2, 4 or 8 bytes a group (anything else is 1)
 * @linebuf: where the text goes, NUL-terminated
 * @linebuflen: its size
 * @ascii: whether to add the ASCII column
 *
 * Return: the length of the whole text, as snprintf would (more than @linebuflen - 1 when
 * it did not fit).
 */
int hex_dump_to_buffer(const void *buf, size_t len, int rowsize, int groupsize,
		       char *linebuf, size_t linebuflen, bool ascii)
{
	struct obuf o = { linebuf, linebuflen ? linebuflen - 1 : 0, 0 };
	const u8 *p = buf;
	int column;

	if (rowsize != 16 && rowsize != 32)
		rowsize = 16;
	if (len > (size_t)rowsize)
		len = (size_t)rowsize;
	if (groupsize != 1 && groupsize != 2 && groupsize != 4 && groupsize != 8)
		groupsize = 1;
	if (len % (size_t)groupsize)
		groupsize = 1;
	column = rowsize * 2 + rowsize / groupsize + 1;
	if (!linebuflen)	/* 6.1's count for a buffer it cannot write */
		return ascii ? column + (int)len : (2 * groupsize + 1) * (int)(len / groupsize) - 1;
	for (size_t i = 0; i < len; i += (size_t)groupsize) {
		if (i)
			out_mem(&o, " ", 1);
		out_group(&o, p + i, groupsize);
	}
	if (ascii && len) {
		while (o.len < (size_t)column)
			out_mem(&o, " ", 1);
		for (size_t i = 0; i < len; i++) {
			char c = isascii(p[i]) && isprint(p[i]) ? (char)p[i] : '.';

			out_mem(&o, &c, 1);
		}
	}
	linebuf[o.len < o.size ? o.len : o.size] = '\0';
	return (int)o.len;
}

/**
 * print_hex_dump - a buffer as a hex dump, one printk line a row
 * @level: the KERN_<LEVEL> of the lines
 * @prefix_str: text that opens every line
 * @prefix_type: DUMP_PREFIX_ADDRESS (the row's address), _OFFSET (its offset), _NONE
 * @rowsize: 16 or 32
 * @groupsize: 1, 2, 4 or 8
 * @buf: the bytes
 * @len: how many
 * @ascii: whether to add the ASCII column
 */
void print_hex_dump(const char *level, const char *prefix_str, int prefix_type, int rowsize,
		    int groupsize, const void *buf, size_t len, bool ascii)
{
	const u8 *p = buf;
	char line[32 * 3 + 2 + 32 + 1];

	if (rowsize != 16 && rowsize != 32)
		rowsize = 16;
	for (size_t i = 0; i < len; i += (size_t)rowsize) {
		size_t n = len - i < (size_t)rowsize ? len - i : (size_t)rowsize;

		hex_dump_to_buffer(p + i, n, rowsize, groupsize, line, sizeof(line), ascii);
		if (prefix_type == DUMP_PREFIX_ADDRESS)
			printk("%s%s%p: %s\n", level, prefix_str, p + i, line);
		else if (prefix_type == DUMP_PREFIX_OFFSET)
			printk("%s%s%.8x: %s\n", level, prefix_str, (unsigned int)i, line);
		else
			printk("%s%s%s\n", level, prefix_str, line);
	}
}
