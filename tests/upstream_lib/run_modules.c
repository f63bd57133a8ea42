/* SPDX-License-Identifier: MIT */
/*
 * main() for an upstream test module: runs its module_init as the kernel would at load
 * time, then its module_exit, and succeeds only when the init returned 0 and ukmem found
 * no problem (leak, report) by the end.
 */
#include <stdio.h>
#include <ukmem.h>

int main(void)
{
	int err = ukmem_modules_init();
	int problems;

	ukmem_modules_exit();
	problems = ukmem_exit();
	printf("module init returned %d; %d problem(s) found\n", err, problems);
	return err || problems ? 1 : 0;
}
