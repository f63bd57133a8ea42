list(APPEND UKMEM_SOURCES src/platform/os.c)
list(APPEND UKMEM_SOURCES src/platform/fault.c)
