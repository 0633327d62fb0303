/* prefetch_int.h: asking the processor for memory a hot loop will read soon, where a table is
 * too big for the caches and the addresses are known a little ahead (a no-op elsewhere), and
 * building a hot loop for wider vectors. */
#ifndef STANCE_PREFETCH_INT_H
#define STANCE_PREFETCH_INT_H

#if defined(__GNUC__) || defined(__clang__)
#define STANCE_PREFETCH(p) __builtin_prefetch(p)
#else
#define STANCE_PREFETCH(p) ((void)(p))
#endif

/* STANCE_SIMD_CLONES before a hot numeric function builds it twice, for AVX2 and for the
 * baseline, and picks one when the program starts (GNU ifunc), so one binary uses wider
 * vectors where the processor has them. Empty where that is not available. */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__) && defined(__linux__)
#define STANCE_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define STANCE_SIMD_CLONES
#endif

#endif
