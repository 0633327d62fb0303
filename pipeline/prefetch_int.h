/* prefetch_int.h: asking the processor for memory a hot loop will read soon, where a table is
 * too big for the caches and the addresses are known a little ahead (a no-op elsewhere). */
#ifndef STANCE_PREFETCH_INT_H
#define STANCE_PREFETCH_INT_H

#if defined(__GNUC__) || defined(__clang__)
#define STANCE_PREFETCH(p) __builtin_prefetch(p)
#else
#define STANCE_PREFETCH(p) ((void)(p))
#endif

#endif
