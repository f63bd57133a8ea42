ukmem_test(test_cmdline core/test_cmdline.c)
ukmem_test(test_context core/test_context.c)
ukmem_test(test_printk core/test_printk.c)
ukmem_test(test_exit core/test_exit.c ENV "UKMEM_CMDLINE=mem=48M")
