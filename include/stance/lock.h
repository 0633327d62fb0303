/* lock.h: an output kept from other runs while one run makes it (stance-train's model bundle),
 * so that a second run into the same path waits or stops instead of replacing it mid-way.
 *
 * The lock is an advisory fcntl(2) write lock on a lock file beside the output, "<path>.lock"
 * (a bundle directory is replaced by a rename, so the lock cannot be on the directory itself).
 * The kernel drops it when its holder ends, however it ends: a killed run never leaves a lock
 * that blocks. Its lock file may stay behind then, holding "PID OWNER" of the dead run; the
 * next run takes it over, and removes it when done. fcntl locks also hold between machines on
 * NFS (through its lock service), where the holder's pid may be another machine's or unknown
 * ("another process"). They belong to a process and do not keep it out of its own: take one
 * lock per output in a process (freeing a second would drop both). */
#ifndef STANCE_LOCK_H
#define STANCE_LOCK_H

#include "stance/error.h"

typedef struct stance_lock stance_lock;

/* Takes the lock on the output path (a directory or a file; it need not exist, trailing
 * slashes are ignored) for owner (a program name, e.g. "stance-train": written into the lock
 * file and shown in other runs' messages). wait_seconds 0 gives up at once, a negative value
 * waits as long as it takes, a positive one that long at most. STANCE_ERR_BUSY naming path
 * when another process holds it ("locked by another stance-train (pid N)"), STANCE_ERR_IO
 * naming the lock file when it cannot be made or locked, STANCE_ERR_USAGE for a path that
 * names no entry (stance_model_save's refusals). Caller frees with stance_lock_free, which
 * removes the lock file and releases the lock. */
stance_status stance_lock_new(const char *path, const char *owner, double wait_seconds,
                              stance_lock **out, stance_error *err);

/* Removes the lock file, releases the lock and frees lock; NULL is allowed. */
void stance_lock_free(stance_lock *lock);

#endif
