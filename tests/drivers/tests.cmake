# Driver-support cores: clocks, the hwrng core, the watchdog core, time and randomness.
ukmem_test(test_time_random drivers/test_time_random.c)
ukmem_test(test_clk drivers/test_clk.c)
ukmem_test(test_hwrng drivers/test_hwrng.c)
ukmem_test(test_watchdog drivers/test_watchdog.c)
