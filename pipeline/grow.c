/* grow.c: growing an array (grow_int.h). */
#include "grow_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t stance_grow_capacity(size_t cap, size_t len, size_t more, size_t size)
{
    if (size == 0 || more > SIZE_MAX - len)
        return 0;
    size_t need = len + more ? len + more : 1, most = SIZE_MAX / size;
    if (need <= cap)
        return cap;
    if (need > most)
        return 0;
    size_t ncap = len <= most / 2 ? 2 * len : most; /* doubling: appends cost O(1) on average */
    if (ncap < STANCE_GROW_FIRST)
        ncap = STANCE_GROW_FIRST <= most ? STANCE_GROW_FIRST : most;
    return ncap > need ? ncap : need;
}

void *stance_grow_realloc(void *p, size_t *cap, size_t len, size_t more, size_t size)
{
    size_t ncap = stance_grow_capacity(*cap, len, more, size);
    if (ncap == 0)
        return NULL;
    if (ncap == *cap)
        return p;
    void *q = realloc(p, ncap * size);
    if (q)
        *cap = ncap;
    return q;
}

void *stance_zeroed(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    static const volatile unsigned char zero = 0; /* not a constant: malloc + memset stays */
    size_t bytes = n * size;                       /* that, not turned into calloc */
    void *p = malloc(bytes > 0 ? bytes : 1);
    if (p)
        memset(p, zero, bytes);
    return p;
}
