# Device model and devres tests.
ukmem_test(test_devres base/test_devres.c)
ukmem_test(test_devres_log base/test_devres_log.c ENV "UKMEM_CMDLINE=devres.log=1")
ukmem_test(test_device base/test_device.c)
