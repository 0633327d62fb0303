/* pool.h: an ordered worker pool. Items handed in one after another are worked on by several
 * threads at once and handed back one at a time, in the order they came, in the caller's
 * thread, so a stage whose items are independent (stance-tag's articles) gives the same
 * output on N threads as on one.
 *
 * The caller submits its own items (pointers the pool does not look into); work(worker, item)
 * runs on one of the threads with that thread's context (say, a tagger each: contexts are not
 * shared); done(ctx, item) runs in the caller's thread, in submission order, from within
 * stance_pool_submit and stance_pool_finish (write the item's result there). The first failure
 * in submission order wins, as if the items had been worked through in order on one thread:
 * an item whose work fails is not done, nor is any item after it, nor any after a done that
 * fails; those items go to drop (to be freed or reused) instead, and the failure's status and
 * error come back from every later submit and from finish. Every submitted item reaches done or
 * drop exactly once. Workers skip the work of items after a known failure. */
#ifndef STANCE_POOL_H
#define STANCE_POOL_H

#include <stddef.h>

#include "stance/error.h"

typedef struct stance_pool stance_pool;

/* Works on item on one thread, with that thread's context; fills err on failure. */
typedef stance_status (*stance_pool_work_fn)(void *worker, void *item, stance_error *err);

/* Takes back a worked item, in order, in the caller's thread; fills err on failure. */
typedef stance_status (*stance_pool_done_fn)(void *ctx, void *item, stance_error *err);

/* Takes back an item that is not to be done (after a failure). */
typedef void (*stance_pool_drop_fn)(void *ctx, void *item);

/* Starts nworkers threads (1 or more), thread i with context workers[i], holding at most
 * capacity items (1 or more) submitted but not yet done or dropped. STANCE_ERR_IO if a thread
 * cannot be started, STANCE_ERR_USAGE for 0 workers or capacity. Caller frees *out with
 * stance_pool_free. */
stance_status stance_pool_new(size_t nworkers, void *const *workers, size_t capacity,
                              stance_pool_work_fn work, stance_pool_done_fn done,
                              stance_pool_drop_fn drop, void *ctx, stance_pool **out,
                              stance_error *err);

/* Hands item to the workers, after taking back the items worked so far (waiting while the pool
 * is full). Returns STANCE_OK, or the first failure (then item was dropped: stop submitting). */
stance_status stance_pool_submit(stance_pool *p, void *item, stance_error *err);

/* Waits until every item submitted is done or dropped, and returns the first failure (or OK).
 * Submitting more afterwards is allowed. */
stance_status stance_pool_finish(stance_pool *p, stance_error *err);

/* Stops the threads and frees the pool; items not yet taken back are dropped (their work is
 * skipped or waited for). NULL is allowed. */
void stance_pool_free(stance_pool *p);

#endif
