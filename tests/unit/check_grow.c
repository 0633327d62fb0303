/* check_grow.c: the library's one grow helper (grow_int.h): the capacities it picks (a table:
 * first blocks, doubling what an array holds, buffers sized for one input, overflow) and that
 * a grow that fails leaves the array as it was. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../pipeline/grow_int.h"
#include "suites.h"

#define F STANCE_GROW_FIRST
#define MOST8 (SIZE_MAX / 8) /* the most 8-byte elements SIZE_MAX bytes hold */

static const struct {
    size_t cap, len, more, size, want; /* want 0: overflow */
} capacity_cases[] = {
    {0, 0, 0, 1, F},                   /* even no element gets a block */
    {0, 0, 1, 8, F},                   /* a first block: STANCE_GROW_FIRST */
    {0, 0, 100, 1, 100},               /* or what is asked, if more */
    {5, 0, 0, 1, 5},                   /* room already */
    {16, 10, 6, 1, 16},                /* exactly full: room */
    {16, 16, 1, 1, 32},                /* one more: doubles what it holds */
    {32, 30, 5, 4, 60},
    {32, 20, 100, 4, 120},             /* a jump past double: what is asked */
    {32, 0, 33, 4, 33},                /* a buffer sized for an input: what it needs */
    {1000, 10, 995, 1, 1005},          /* twice what it holds, not twice its room */
    {0, SIZE_MAX, 1, 1, 0},            /* len + more overflows */
    {0, 1, SIZE_MAX, 1, 0},
    {0, MOST8, 1, 8, 0},               /* the bytes overflow */
    {0, MOST8 - 1, 1, 8, MOST8},       /* the bytes just fit */
    {MOST8 - 1, MOST8 - 1, 1, 8, MOST8}, /* doubling would overflow: as much as fits */
    {MOST8 / 2, MOST8 / 2, 1, 8, MOST8 / 2 * 2},
    {0, 0, 1, SIZE_MAX, 1},            /* one huge element: no room for STANCE_GROW_FIRST */
    {0, 0, 1, 0, 0},                   /* size 0 */
};

START_TEST(test_capacity)
{
    size_t cap = capacity_cases[_i].cap, len = capacity_cases[_i].len;
    size_t more = capacity_cases[_i].more, size = capacity_cases[_i].size;
    ck_assert_msg(stance_grow_capacity(cap, len, more, size) == capacity_cases[_i].want,
                  "case %d: got %zu, want %zu", _i, stance_grow_capacity(cap, len, more, size),
                  capacity_cases[_i].want);
}
END_TEST

/* Appending one at a time from nothing: contents kept, capacity doubling from the first block,
 * the same block back while there is room. */
START_TEST(test_grow_appends)
{
    int *a = NULL;
    size_t cap = 0, n = 0;
    for (int i = 0; i < 1000; i++) {
        int *q = stance_grow(a, &cap, n, 1, sizeof *a);
        ck_assert_ptr_nonnull(q);
        ck_assert_uint_ge(cap, n + 1);
        a = q;
        a[n++] = i;
    }
    ck_assert_uint_eq(cap, 1024);
    for (int i = 0; i < 1000; i++)
        ck_assert_int_eq(a[i], i);
    ck_assert_ptr_eq(stance_grow(a, &cap, n, 24, sizeof *a), a);
    ck_assert_uint_eq(cap, 1024);
    free(a);
}
END_TEST

/* A grow that would overflow fails and leaves the array and its capacity as they were. */
START_TEST(test_grow_overflow_keeps)
{
    size_t cap = 0;
    char *a = stance_grow(NULL, &cap, 0, 3, 1);
    ck_assert_ptr_nonnull(a);
    memcpy(a, "abc", 3);
    size_t was = cap;
    ck_assert_ptr_null(stance_grow(a, &cap, SIZE_MAX, 1, 1));
    ck_assert_ptr_null(stance_grow(a, &cap, SIZE_MAX / 2, 0, 4));
    ck_assert_uint_eq(cap, was);
    ck_assert_int_eq(memcmp(a, "abc", 3), 0);
    free(a);
}
END_TEST

/* stance_zeroed: every byte zero, for a table as large as stance-tag's word cache grows to (a
 * block malloc maps fresh); a size that overflows is refused. */
START_TEST(test_zeroed)
{
    size_t n = 1u << 20;
    unsigned long long *t = stance_zeroed(n, sizeof *t);
    ck_assert_ptr_nonnull(t);
    size_t nonzero = 0;
    for (size_t i = 0; i < n; i++)
        nonzero += t[i] != 0;
    ck_assert_uint_eq(nonzero, 0);
    free(t);
    char *one = stance_zeroed(0, 8);
    ck_assert_ptr_nonnull(one);
    free(one);
    ck_assert_ptr_null(stance_zeroed(SIZE_MAX / 2, 4));
}
END_TEST

Suite *grow_suite(void)
{
    Suite *s = suite_create("grow");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_capacity, 0, sizeof capacity_cases / sizeof capacity_cases[0]);
    tcase_add_test(tc, test_grow_appends);
    tcase_add_test(tc, test_grow_overflow_keeps);
    tcase_add_test(tc, test_zeroed);
    suite_add_tcase(s, tc);
    return s;
}
