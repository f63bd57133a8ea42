/* SPDX-License-Identifier: MIT */
/*
 * <linux/cpu.h> for the radix-tree suite's programs (test-side, not part of ukmem): the one
 * CPU hot-plug call lib/radix-tree.c makes.  ukmem's CPUs never go offline while a program
 * runs, so a teardown callback registered here runs only at the program's end, for every
 * possible CPU, from the glue's exit check (glue.c): that is when the per-CPU node preloads
 * come back to the slab cache, as a CPU going offline gives them back in the kernel.
 */
#ifndef _RADIX_GLUE_LINUX_CPU_H
#define _RADIX_GLUE_LINUX_CPU_H

enum cpuhp_state {
	CPUHP_INVALID = -1,
	CPUHP_OFFLINE = 0,
	CPUHP_RADIX_DEAD,
};

int cpuhp_setup_state_nocalls(enum cpuhp_state state, const char *name,
			      int (*startup)(unsigned int cpu), int (*teardown)(unsigned int cpu));
#endif
