# Interrupt tests.
ukmem_test(test_irq irq/test_irq.c THREADS LIBS Threads::Threads)
