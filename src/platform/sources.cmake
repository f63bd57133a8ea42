list(APPEND UKMEM_SOURCES src/platform/os.c)
