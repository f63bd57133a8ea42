# Slab allocator benchmark: kmalloc and kmem_cache against glibc, jemalloc, tcmalloc, mimalloc.
ukmem_bench(bench_slab bench_slab.c)
# The same program linked against the shared library, as `pkg-config --libs ukmem` links.
add_executable(bench_slab_shared bench_slab.c)
target_link_libraries(bench_slab_shared PRIVATE ukmem_shared)
target_compile_definitions(bench_slab_shared PRIVATE _GNU_SOURCE UKMEM_BENCH_SHARED)
target_include_directories(bench_slab_shared PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})

# The cost of slub_debug, kasan=on and KFENCE against the plain fast path.
ukmem_bench(bench_debug bench_debug.c)
