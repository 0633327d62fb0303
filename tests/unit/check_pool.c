/* check_pool.c: the ordered worker pool: items come back in order whatever the number of
 * threads and the room in the pool; the first failure (of a work or of a done) wins and
 * every item is done or dropped exactly once. */
#include <stdlib.h>
#include <string.h>

#include "stance/pool.h"
#include "suites.h"

#define MAX_ITEMS 2000

typedef struct {
    size_t index;
    long result;
    int done, dropped;
} item;

typedef struct {
    item items[MAX_ITEMS];
    size_t order[MAX_ITEMS]; /* indices in the order done saw them */
    size_t ndone, ndropped;
    long fail_work_at, fail_done_at; /* item index, or -1 */
} run;

typedef struct {
    run *r;
    size_t worked; /* items this worker worked on */
} worker;

static stance_status work(void *w, void *it, stance_error *err)
{
    worker *wk = w;
    item *x = it;
    long spin = (long)(x->index * 7919 % 61) * 200; /* uneven work, so items finish out of order */
    volatile long sink = 0;
    for (long i = 0; i < spin; i++)
        sink += i;
    (void)sink;
    x->result = (long)(x->index * x->index);
    wk->worked++;
    if ((long)x->index == wk->r->fail_work_at)
        return stance_error_set(err, STANCE_ERR_DATA, "item", (long)x->index, "work failed");
    return STANCE_OK;
}

static stance_status done(void *ctx, void *it, stance_error *err)
{
    run *r = ctx;
    item *x = it;
    x->done++;
    r->order[r->ndone++] = x->index;
    ck_assert_int_eq(x->result, (long)(x->index * x->index));
    if ((long)x->index == r->fail_done_at)
        return stance_error_set(err, STANCE_ERR_IO, "out", (long)x->index, "done failed");
    return STANCE_OK;
}

static void drop(void *ctx, void *it)
{
    run *r = ctx;
    item *x = it;
    x->dropped++;
    r->ndropped++;
}

static const struct {
    size_t workers, capacity, items;
    long fail_work_at, fail_done_at;
} cases[] = {
    {1, 1, 100, -1, -1},     /* one thread, room for one item */
    {1, 8, 500, -1, -1},
    {2, 8, 1000, -1, -1},
    {4, 3, 1000, -1, -1},    /* little room: submit waits */
    {8, 64, 2000, -1, -1},
    {8, 16, 3, -1, -1},      /* more threads than items */
    {3, 4, 0, -1, -1},       /* nothing at all */
    {2, 8, 1000, 500, -1},   /* a work fails */
    {4, 8, 1000, 0, -1},     /* the first one fails */
    {4, 8, 1000, 999, -1},   /* the last one fails */
    {1, 2, 100, 40, -1},
    {2, 8, 1000, 500, 700},  /* a later done failure does not count */
    {2, 8, 1000, 700, 500},  /* an earlier done failure does */
    {3, 5, 300, -1, 0},
    {8, 64, 2000, 1500, -1},
};

START_TEST(test_pool_order_and_failure)
{
    run *r = calloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    r->fail_work_at = cases[_i].fail_work_at;
    r->fail_done_at = cases[_i].fail_done_at;
    size_t n = cases[_i].items, nw = cases[_i].workers;
    worker wk[8];
    void *contexts[8];
    for (size_t w = 0; w < nw; w++) {
        wk[w] = (worker){r, 0};
        contexts[w] = &wk[w];
    }
    stance_pool *p;
    stance_error err;
    ck_assert_int_eq(stance_pool_new(nw, contexts, cases[_i].capacity, work, done, drop, r, &p, &err),
                     STANCE_OK);
    /* the failure that should win: the lower of the two indices */
    long wf = r->fail_work_at, df = r->fail_done_at;
    long first = wf < 0 ? df : df < 0 ? wf : wf < df ? wf : df;
    size_t submitted = 0;
    stance_status st = STANCE_OK;
    for (size_t i = 0; i < n && st == STANCE_OK; i++) {
        r->items[i].index = i;
        st = stance_pool_submit(p, &r->items[i], &err);
        submitted++;
    }
    stance_status fst = stance_pool_finish(p, &err);
    stance_pool_free(p);
    if (first < 0) {
        ck_assert_int_eq(st, STANCE_OK);
        ck_assert_int_eq(fst, STANCE_OK);
        ck_assert_uint_eq(r->ndone, n);
        ck_assert_uint_eq(r->ndropped, 0);
    } else {
        ck_assert_int_eq(fst, first == wf ? STANCE_ERR_DATA : STANCE_ERR_IO);
        ck_assert_int_eq(err.line, first);
        ck_assert_str_eq(err.message, first == wf ? "work failed" : "done failed");
        /* done saw 0 .. first - 1, and first too when it was done that failed */
        ck_assert_uint_eq(r->ndone, (size_t)first + (first == df && first != wf));
        ck_assert_uint_eq(r->ndone + r->ndropped, submitted);
    }
    for (size_t i = 0; i < r->ndone; i++)
        ck_assert_uint_eq(r->order[i], i);
    for (size_t i = 0; i < submitted; i++)
        ck_assert_int_eq(r->items[i].done + r->items[i].dropped, 1);
    size_t worked = 0;
    for (size_t w = 0; w < nw; w++)
        worked += wk[w].worked;
    ck_assert_uint_le(worked, submitted);
    if (first < 0)
        ck_assert_uint_eq(worked, n);
    free(r);
}
END_TEST

/* Freeing without finishing drops what is left; submitting after a failure drops at once. */
START_TEST(test_pool_free_drops)
{
    run *r = calloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    r->fail_work_at = r->fail_done_at = -1;
    worker wk[2] = {{r, 0}, {r, 0}};
    void *contexts[2] = {&wk[0], &wk[1]};
    stance_pool *p;
    stance_error err;
    ck_assert_int_eq(stance_pool_new(2, contexts, 32, work, done, drop, r, &p, &err), STANCE_OK);
    for (size_t i = 0; i < 20; i++) {
        r->items[i].index = i;
        ck_assert_int_eq(stance_pool_submit(p, &r->items[i], &err), STANCE_OK);
    }
    stance_pool_free(p);
    ck_assert_uint_eq(r->ndone + r->ndropped, 20);
    for (size_t i = 0; i < 20; i++)
        ck_assert_int_eq(r->items[i].done + r->items[i].dropped, 1);
    stance_pool_free(NULL);

    memset(r, 0, sizeof *r);
    r->fail_work_at = 0;
    r->fail_done_at = -1;
    ck_assert_int_eq(stance_pool_new(1, contexts, 1, work, done, drop, r, &p, &err), STANCE_OK);
    ck_assert_int_eq(stance_pool_submit(p, &r->items[0], &err), STANCE_OK);
    ck_assert_int_eq(stance_pool_finish(p, &err), STANCE_ERR_DATA);
    r->items[1].index = 1;
    ck_assert_int_eq(stance_pool_submit(p, &r->items[1], &err), STANCE_ERR_DATA);
    ck_assert_int_eq(r->items[1].dropped, 1);
    ck_assert_str_eq(err.message, "work failed");
    stance_pool_free(p);
    free(r);
}
END_TEST

START_TEST(test_pool_bad_arguments)
{
    stance_pool *p = (stance_pool *)1;
    stance_error err;
    void *contexts[1] = {NULL};
    ck_assert_int_eq(stance_pool_new(0, contexts, 4, work, done, drop, NULL, &p, &err), STANCE_ERR_USAGE);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(stance_pool_new(1, contexts, 0, work, done, drop, NULL, &p, &err), STANCE_ERR_USAGE);
    ck_assert_ptr_null(p);
}
END_TEST

Suite *pool_suite(void)
{
    Suite *s = suite_create("pool");
    TCase *tc = tcase_create("pool");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_pool_order_and_failure, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, test_pool_free_drops);
    tcase_add_test(tc, test_pool_bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}
