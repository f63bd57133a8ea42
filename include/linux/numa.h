/* SPDX-License-Identifier: MIT */
/* <linux/numa.h>: one node. */
#ifndef _UKMEM_LINUX_NUMA_H
#define _UKMEM_LINUX_NUMA_H
#define NODES_SHIFT	0
#define MAX_NUMNODES	1
#define NUMA_NO_NODE	(-1)
#define numa_node_id()	0
#define first_online_node 0
#endif
