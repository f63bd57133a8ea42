# DMA mapping with and without DMA-API debugging and bouncing (docs/performance.md, "DMA mapping").
ukmem_bench(bench_dma bench_dma.c)
