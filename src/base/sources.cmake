# The device model (drivers/base): device core, buses and drivers, binding and deferred
# probe, devres and the devm_* family, the platform bus, notifier chains, modules.
list(APPEND UKMEM_SOURCES
  src/base/bus.c
  src/base/core.c
  src/base/dd.c
  src/base/devres.c
  src/base/module.c
  src/base/notifier.c
  src/base/of.c
  src/base/platform.c)
