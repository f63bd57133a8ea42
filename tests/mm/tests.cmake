# Page allocator and physical memory tests.
ukmem_test(test_buddy mm/test_buddy.c)
ukmem_test(test_zones mm/test_zones.c)
ukmem_test(test_page_api mm/test_page_api.c)
ukmem_test(test_oom mm/test_oom.c)
ukmem_test(test_bad_free mm/test_bad_free.c)
ukmem_test(test_page_threads mm/test_page_threads.c)
ukmem_test(test_fork mm/test_fork.c)
ukmem_test(test_show mm/test_show.c)
