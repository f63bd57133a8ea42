/* SPDX-License-Identifier: MIT */
/*
 * <linux/cpumask.h>, the part drivers use to walk CPUs.  Every thread is a CPU; there are
 * nr_cpu_ids possible CPUs (possible_cpus= on the command line, default the host's count and
 * at least 2), all of them online and present, numbered 0 .. nr_cpu_ids - 1.
 */
#ifndef _UKMEM_LINUX_CPUMASK_H
#define _UKMEM_LINUX_CPUMASK_H
#include <linux/types.h>
#include <linux/smp.h>

unsigned int __ukmem_nr_cpu_ids(void);
#define nr_cpu_ids		__ukmem_nr_cpu_ids()
#define num_possible_cpus()	nr_cpu_ids
#define num_online_cpus()	nr_cpu_ids
#define num_present_cpus()	nr_cpu_ids
#define cpu_possible(cpu)	((unsigned int)(cpu) < nr_cpu_ids)
#define cpu_online(cpu)		cpu_possible(cpu)
#define cpu_present(cpu)	cpu_possible(cpu)

/* The counter's own type in the comparison, so an int counter draws no sign warning. */
#define for_each_possible_cpu(cpu) \
	for ((cpu) = 0; (cpu) < (__typeof__(cpu))nr_cpu_ids; (cpu)++)
#define for_each_online_cpu(cpu)	for_each_possible_cpu(cpu)
#define for_each_present_cpu(cpu)	for_each_possible_cpu(cpu)
#endif
