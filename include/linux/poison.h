/* SPDX-License-Identifier: MIT */
/*
 * <linux/poison.h>: the kernel's poison values.  These are facts (byte patterns that kernel
 * developers recognise in dumps), so they carry the kernel's numbers.
 */
#ifndef _UKMEM_LINUX_POISON_H
#define _UKMEM_LINUX_POISON_H
#define POISON_POINTER_DELTA	0xdead000000000000UL
#define LIST_POISON1		((void *)(0x100 + POISON_POINTER_DELTA))
#define LIST_POISON2		((void *)(0x122 + POISON_POINTER_DELTA))
#define PAGE_POISON		0xaa
#define RED_INACTIVE		0x09F911029D74E35BULL
#define RED_ACTIVE		0xD84156C5635688C0ULL
#define SLUB_RED_INACTIVE	0xbb
#define SLUB_RED_ACTIVE		0xcc
#define POISON_INUSE		0x5a
#define POISON_FREE		0x6b
#define POISON_END		0xa5
#define POISON_FREE_INITMEM	0xcc
#define TIMER_ENTRY_STATIC	((void *)0x300 + POISON_POINTER_DELTA)
#endif
