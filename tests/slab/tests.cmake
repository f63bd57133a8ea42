# Slab allocator tests.
ukmem_test(test_kmalloc slab/test_kmalloc.c)
