// fp32 FMA peak of one core: 12 independent chains of 8-wide fused multiply-adds (enough to
// cover the FMA latency on two pipes), best of 5 runs. The ceiling any convolution kernel on
// this machine works under; see README "Benchmarks".
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

__attribute__((target("avx2,fma"))) static double avx2_fma_gflops(void) {
    __m256 acc[12];
    const __m256 b = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
    for (int i = 0; i < 12; i++) acc[i] = _mm256_set1_ps((float)i);
    const long n = 100000000;
    double best = 0;
    for (int run = 0; run < 5; run++) {
        double start = seconds();
        for (long i = 0; i < n; i++) {
#pragma GCC unroll 12
            for (int j = 0; j < 12; j++) acc[j] = _mm256_fmadd_ps(acc[j], b, c);
        }
        double gflops = n * 12.0 * 16 / (seconds() - start) / 1e9;
        if (gflops > best) best = gflops;
    }
    float sink = 0, out[8];
    for (int i = 0; i < 12; i++) { _mm256_storeu_ps(out, acc[i]); sink += out[0]; }
    if (sink == 12345.0f) printf(" ");  // keeps the chains alive
    return best;
}

int main(void) {
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) {
        printf("no AVX2+FMA on this CPU\n");
        return 1;
    }
    printf("fp32 FMA peak, one core (AVX2, 2 FMA pipes assumed busy): %.1f GFLOPS\n", avx2_fma_gflops());
    return 0;
}
