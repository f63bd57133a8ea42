/* SPDX-License-Identifier: MIT */
/*
 * Hex dumps: print_hex_dump prints a buffer a row of 16 or 32 bytes per line, with an
 * optional address or offset prefix and ASCII column.  No state; the lines go out through
 * printk.
 */
#include <ctype.h>
#include <stdio.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include "core/format.h"

void print_hex_dump(const char *level, const char *prefix_str, int prefix_type, int rowsize,
		    int groupsize, const void *buf, size_t len, bool ascii)
{
	const u8 *p = buf;

	if (rowsize != 16 && rowsize != 32)
		rowsize = 16;
	for (size_t i = 0; i < len; i += rowsize) {
		char line[200], fmt[32];
		struct obuf o = { line, sizeof(line) - 1, 0 };
		size_t n = len - i < (size_t)rowsize ? len - i : (size_t)rowsize;

		for (size_t j = 0; j < n; j++)
			ukmem__out_fmt(&o, "%s%02x", j ? " " : "", p[i + j]);
		if (ascii) {
			ukmem__out_fmt(&o, "%*s", (int)(3 * (rowsize - n) + 2), "");
			for (size_t j = 0; j < n; j++)
				ukmem__out_fmt(&o, "%c", isprint(p[i + j]) ? p[i + j] : '.');
		}
		line[o.len < sizeof(line) ? o.len : sizeof(line) - 1] = '\0';
		/* the level must open the format itself, where printk looks for it */
		if (prefix_type == DUMP_PREFIX_ADDRESS)
			snprintf(fmt, sizeof(fmt), "%s%%s%%px: %%s\n", level);
		else if (prefix_type == DUMP_PREFIX_OFFSET)
			snprintf(fmt, sizeof(fmt), "%s%%s%%.8zx: %%s\n", level);
		else
			snprintf(fmt, sizeof(fmt), "%s%%s%%s\n", level);
		if (prefix_type == DUMP_PREFIX_ADDRESS)
			printk(fmt, prefix_str, p + i, line);
		else if (prefix_type == DUMP_PREFIX_OFFSET)
			printk(fmt, prefix_str, i, line);
		else
			printk(fmt, prefix_str, line);
	}
}
