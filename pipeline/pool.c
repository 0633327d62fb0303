/* pool.c: the ordered worker pool: a ring of submitted items, worker threads taking them in
 * turn, and the caller's thread taking them back in order. */
#include "stance/pool.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"

enum { QUEUED, WORKING, WORKED };

typedef struct {
    void *item;
    int state;
    stance_status status; /* of the work */
    stance_error err;
} slot;

struct stance_pool {
    pthread_mutex_t lock;
    pthread_cond_t queued; /* an item was submitted, or the pool is stopping */
    pthread_cond_t worked; /* an item was worked */
    pthread_t *threads;
    size_t nthreads;          /* started */
    void *const *workers;
    slot *ring;               /* item number k sits in ring[k % capacity] */
    size_t capacity;
    size_t head, next, tail;  /* numbers of: the next item to take back, to work, to submit */
    size_t skip_from;         /* items from this number on need no work (a failure before) */
    int stopping;
    int failed;               /* the first failure, once taken back: */
    stance_status status;
    stance_error error;
    stance_pool_work_fn work;
    stance_pool_done_fn done;
    stance_pool_drop_fn drop;
    void *ctx;
};

typedef struct {
    stance_pool *pool;
    size_t index;
} thread_arg;

static void *worker_main(void *arg)
{
    stance_pool *p = ((thread_arg *)arg)->pool;
    void *worker = p->workers[((thread_arg *)arg)->index];
    free(arg);
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stopping && p->next == p->tail)
            pthread_cond_wait(&p->queued, &p->lock);
        if (p->next == p->tail)
            break; /* stopping, and nothing left to work */
        size_t k = p->next++;
        slot *s = &p->ring[k % p->capacity];
        s->state = WORKING;
        int skip = k >= p->skip_from;
        pthread_mutex_unlock(&p->lock);
        stance_status st = STANCE_OK;
        if (!skip) {
            stance_error_clear(&s->err);
            st = p->work(worker, s->item, &s->err);
        }
        pthread_mutex_lock(&p->lock);
        s->status = st;
        s->state = WORKED;
        if (st != STANCE_OK && k < p->skip_from)
            p->skip_from = k + 1;
        pthread_cond_signal(&p->worked);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Marks the pool failed with status and err (the first failure taken back). */
static void fail(stance_pool *p, stance_status status, const stance_error *err)
{
    p->failed = 1;
    p->status = status;
    p->error = *err;
}

/* Takes back the items at the head that are worked, in order: done, or drop after a failure.
 * With wait, waits for the head item first. Called with the lock held; the callbacks run
 * without it, so the workers go on meanwhile. */
static void take_back(stance_pool *p, int wait)
{
    for (;;) {
        if (p->head == p->tail)
            return;
        slot *s = &p->ring[p->head % p->capacity];
        if (s->state != WORKED) {
            if (!wait)
                return;
            pthread_cond_wait(&p->worked, &p->lock);
            continue;
        }
        wait = 0;
        void *item = s->item;
        if (!p->failed && s->status != STANCE_OK)
            fail(p, s->status, &s->err); /* its worker has set skip_from already */
        int failed = p->failed;
        pthread_mutex_unlock(&p->lock);
        stance_error e;
        stance_status st = STANCE_OK;
        if (failed) {
            if (p->drop)
                p->drop(p->ctx, item);
        } else {
            stance_error_clear(&e);
            st = p->done(p->ctx, item, &e);
        }
        pthread_mutex_lock(&p->lock);
        if (st != STANCE_OK && !p->failed) {
            fail(p, st, &e);
            p->skip_from = p->head + 1 < p->skip_from ? p->head + 1 : p->skip_from;
        }
        p->head++;
    }
}

static stance_status result(const stance_pool *p, stance_error *err)
{
    if (!p->failed)
        return STANCE_OK;
    if (err)
        *err = p->error;
    return p->status;
}

stance_status stance_pool_submit(stance_pool *p, void *item, stance_error *err)
{
    pthread_mutex_lock(&p->lock);
    take_back(p, 0);
    while (!p->failed && p->tail - p->head == p->capacity)
        take_back(p, 1);
    if (p->failed) {
        pthread_mutex_unlock(&p->lock);
        if (p->drop)
            p->drop(p->ctx, item);
        return result(p, err);
    }
    slot *s = &p->ring[p->tail % p->capacity];
    s->item = item;
    s->state = QUEUED;
    p->tail++;
    pthread_cond_signal(&p->queued);
    pthread_mutex_unlock(&p->lock);
    return STANCE_OK;
}

stance_status stance_pool_finish(stance_pool *p, stance_error *err)
{
    pthread_mutex_lock(&p->lock);
    while (p->head != p->tail)
        take_back(p, 1);
    pthread_mutex_unlock(&p->lock);
    return result(p, err);
}

/* Stops and joins the threads started so far. */
static void stop(stance_pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    pthread_cond_broadcast(&p->queued);
    pthread_mutex_unlock(&p->lock);
    for (size_t i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    p->nthreads = 0;
}

void stance_pool_free(stance_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->skip_from = p->head; /* what is left is dropped: no need to work on it */
    if (!p->failed) {
        stance_error e;
        stance_error_clear(&e);
        fail(p, STANCE_ERR_USAGE, &e);
    }
    while (p->head != p->tail)
        take_back(p, 1);
    pthread_mutex_unlock(&p->lock);
    stop(p);
    pthread_cond_destroy(&p->worked);
    pthread_cond_destroy(&p->queued);
    pthread_mutex_destroy(&p->lock);
    free(p->threads);
    free(p->ring);
    free(p);
}

stance_status stance_pool_new(size_t nworkers, void *const *workers, size_t capacity,
                              stance_pool_work_fn work, stance_pool_done_fn done,
                              stance_pool_drop_fn drop, void *ctx, stance_pool **out,
                              stance_error *err)
{
    *out = NULL;
    if (nworkers == 0 || capacity == 0)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "a pool needs at least one worker and room for one item");
    stance_pool *p = calloc(1, sizeof *p);
    if (!p)
        return stance_fail_nomem(err, NULL);
    p->threads = calloc(nworkers, sizeof *p->threads);
    p->ring = calloc(capacity, sizeof *p->ring);
    if (!p->threads || !p->ring) {
        free(p->threads);
        free(p->ring);
        free(p);
        return stance_fail_nomem(err, NULL);
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->queued, NULL);
    pthread_cond_init(&p->worked, NULL);
    p->workers = workers;
    p->capacity = capacity;
    p->skip_from = SIZE_MAX;
    p->work = work;
    p->done = done;
    p->drop = drop;
    p->ctx = ctx;
    for (size_t i = 0; i < nworkers; i++) {
        thread_arg *a = malloc(sizeof *a);
        int rc = a ? 0 : -1;
        if (a) {
            *a = (thread_arg){p, i};
            rc = pthread_create(&p->threads[i], NULL, worker_main, a);
            if (rc != 0)
                free(a);
        }
        if (rc != 0) {
            stance_status st = rc < 0 ? stance_fail_nomem(err, NULL)
                                      : stance_fail_errno(err, rc, NULL, "cannot start a thread");
            stance_pool_free(p);
            return st;
        }
        p->nthreads++;
    }
    *out = p;
    return STANCE_OK;
}
