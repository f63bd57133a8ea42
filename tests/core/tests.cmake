ukmem_test(test_cmdline core/test_cmdline.c)
