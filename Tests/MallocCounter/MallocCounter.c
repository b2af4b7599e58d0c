// Interposes the C allocator for the test executable: the definitions here take precedence over
// glibc's for every library loaded into the process, and forward to glibc's own entry points.
// Only counting happens here; no memory is managed differently.
#include "MallocCounter.h"
#include <errno.h>
#include <stdatomic.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static atomic_int counting;
static atomic_long calls;
static atomic_long bytes;
static atomic_long largest;

static void note(size_t size) {
    if (!atomic_load_explicit(&counting, memory_order_relaxed)) return;
    atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&bytes, (long)size, memory_order_relaxed);
    long seen = atomic_load_explicit(&largest, memory_order_relaxed);
    while ((long)size > seen && !atomic_compare_exchange_weak(&largest, &seen, (long)size)) {}
}

void *malloc(size_t size) { note(size); return __libc_malloc(size); }
void *calloc(size_t n, size_t size) { note(n * size); return __libc_calloc(n, size); }
void *realloc(void *p, size_t size) { note(size); return __libc_realloc(p, size); }
void *memalign(size_t alignment, size_t size) { note(size); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { note(size); return __libc_memalign(alignment, size); }

int posix_memalign(void **out, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    note(size);
    void *p = __libc_memalign(alignment, size);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

void malloc_counter_start(void) {
    atomic_store(&calls, 0);
    atomic_store(&bytes, 0);
    atomic_store(&largest, 0);
    atomic_store(&counting, 1);
}

void malloc_counter_stop(void) { atomic_store(&counting, 0); }
long malloc_counter_calls(void) { return atomic_load(&calls); }
long malloc_counter_bytes(void) { return atomic_load(&bytes); }
long malloc_counter_largest(void) { return atomic_load(&largest); }
