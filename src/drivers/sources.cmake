list(APPEND UKMEM_SOURCES
  src/drivers/clk.c
  src/drivers/hwrng.c
  src/drivers/watchdog.c)
