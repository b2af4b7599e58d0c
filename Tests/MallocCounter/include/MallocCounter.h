#ifndef MALLOC_COUNTER_H
#define MALLOC_COUNTER_H
#include <stddef.h>

/// Test-only heap accounting: while counting is on, every malloc/calloc/realloc/posix_memalign/
/// aligned_alloc/memalign in the process (Swift runtime, libstdc++, oneDNN alike) is counted.
void malloc_counter_start(void);
void malloc_counter_stop(void);
long malloc_counter_calls(void);
long malloc_counter_bytes(void);
long malloc_counter_largest(void);

#endif
