/* SPDX-License-Identifier: MIT */
/* <linux/container_of.h> */
#ifndef _UKMEM_LINUX_CONTAINER_OF_H
#define _UKMEM_LINUX_CONTAINER_OF_H
#include <stddef.h>
#define container_of(ptr, type, member) ({ \
	void *__mptr = (void *)(ptr); \
	((type *)((char *)__mptr - offsetof(type, member))); })
#define container_of_const(ptr, type, member) container_of(ptr, type, member)
#endif
