# io tests: ioremap, emulated devices, accessors, the resource tree.
ukmem_test(test_ioremap io/test_ioremap.c)
