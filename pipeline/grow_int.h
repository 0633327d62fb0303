/* grow_int.h: the one way library modules grow an array (a buffer, a list, a table): through
 * realloc into a temporary, with the size arithmetic checked for overflow, so that a failure
 * leaves the array as it was. It grows to at least twice what the array holds, so appending
 * costs constant time on average, while a buffer reused for one input after another (holding
 * nothing when it is sized) gets what the largest input needs, not twice that. */
#ifndef STANCE_GROW_INT_H
#define STANCE_GROW_INT_H

#include <stddef.h>

/* Elements a first block holds at least, so short arrays skip the first few doublings. */
#define STANCE_GROW_FIRST 16

/* The capacity, in elements of size bytes, for an array with room for cap elements and len of
 * them in use to hold len + more: cap itself when it does (and cap > 0), else the largest of
 * len + more, twice len and STANCE_GROW_FIRST, at most what SIZE_MAX bytes hold. 0 when
 * len + more elements (at least one) would not fit in SIZE_MAX bytes, or size is 0. */
size_t stance_grow_capacity(size_t cap, size_t len, size_t more, size_t size);

/* stance_grow's reallocation, for when p has no room. */
void *stance_grow_realloc(void *p, size_t *cap, size_t len, size_t more, size_t size);

/* Returns the array p (room for *cap elements of size bytes, len of them in use; NULL when *cap
 * is 0) with room for at least len + more elements: p itself if it has it, else p reallocated
 * to stance_grow_capacity elements, with *cap updated. Never NULL on success, even for 0
 * elements. NULL on overflow or no memory: p is then untouched (still the caller's, to use or
 * free) and so is *cap. Use: q = stance_grow(a, &cap, n, 1, sizeof *a); if (!q) fail; a = q. */
static inline void *stance_grow(void *p, size_t *cap, size_t len, size_t more, size_t size)
{
    if (*cap > 0 && len <= *cap && more <= *cap - len)
        return p; /* room already: the common case, without a call */
    return stance_grow_realloc(p, cap, len, more, size);
}

/* A zeroed array of n elements of size bytes (caller frees), as calloc gives, but with every
 * byte written here: a hash table is read before it is written, and a page of a fresh calloc
 * block read first maps the shared zero page, whose first write then has to flush that mapping
 * from every CPU running one of the process's threads (stance-tag -j). NULL on overflow or no
 * memory. */
void *stance_zeroed(size_t n, size_t size);

#endif
