/* outpath_int.h: the paths stages write to (vocabulary files, model bundles), shared by vocab.c
 * and model.c: checked before any work, written under a temporary name beside them
 * ("<path>.tmp.XXXXXX") and renamed into place, and the temporaries a killed run left there
 * removed by the next run. */
#ifndef STANCE_OUTPATH_INT_H
#define STANCE_OUTPATH_INT_H

#include <sys/stat.h>
#include <time.h>

#include "stance/error.h"
#include "stance/vocab.h" /* stance_removed_fn */

/* A copy of path without trailing slashes into *out (caller frees). STANCE_ERR_USAGE naming
 * path when it is empty or names no entry of its own ("/", ".", "..", "dir/."), and for a file
 * (dir 0) when it ends with a slash. */
stance_status stance_outpath_normalize(const char *path, int dir, char **out, stance_error *err);

/* STANCE_ERR_IO naming path ("cannot create: ...") unless its parent is a directory. */
stance_status stance_outpath_check_parent(const char *path, stance_error *err);

/* "<path>.<tag>.XXXXXX", a template for mkstemp or mkdtemp (caller frees); NULL on no memory. */
char *stance_outpath_temp(const char *path, const char *tag);

/* Locks fd, a temporary being written, so that stance_outpath_remove_stale leaves it alone; the
 * lock goes with the descriptor (also when the process is killed). Best effort. */
void stance_outpath_lock(int fd);

/* Whether a stale temporary looks like one of ours and, if so, removes it: name is an entry of
 * directory dirfd, fd is open on it (locked), sb its status. Returns 1 if it removed it. */
typedef int (*stance_stale_fn)(int dirfd, const char *name, int fd, const struct stat *sb,
                               const struct timespec *since);

/* Removes the stale temporaries beside path: entries of its directory named
 * "<base>.<tag>.XXXXXX" for a tag of tags (NULL-terminated), directories when dir is 1 and
 * regular files otherwise (symbolic links are never followed), last changed before since, not
 * locked by a save in progress, and that ours accepts (and removes). Tells removed (when not
 * NULL) the path of each one removed. Only running out of memory is an error. */
stance_status stance_outpath_remove_stale(const char *path, const char *const *tags, int dir,
                                          stance_stale_fn ours, const struct timespec *since,
                                          stance_removed_fn removed, void *ctx,
                                          stance_error *err);

/* 1 if a is earlier than b. */
int stance_timespec_before(const struct timespec *a, const struct timespec *b);

#endif
