/* outpath_int.h: the paths stages write to (vocabulary files, model bundles, report pages,
 * imported labels, tagged outputs and their manifests), shared by vocab.c, model.c, report.c,
 * import.c, shard.c and merge.c: checked before any work, written under a temporary name beside them
 * ("<path>.tmp.XXXXXX") and renamed into place, and the temporaries a killed run left there
 * removed by the next run. */
#ifndef STANCE_OUTPATH_INT_H
#define STANCE_OUTPATH_INT_H

#include <stdio.h>
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

/* A kind of file a stage writes with -o (a vocabulary, a report page, labeled passages): what
 * is at the path may be replaced when it is nothing, or a regular file that ours accepts. */
typedef struct {
    const char *name; /* in messages: "exists and is not a stance NAME", "the NAME file" */
    int (*ours)(int fd); /* 1 if the file open on fd is empty or one of this kind; NULL: any
                          * regular file may be replaced */
} stance_outfile_kind;

/* Writes the file's content to f (path names it in errors). */
typedef stance_status (*stance_outfile_write_fn)(FILE *f, void *ctx, const char *path,
                                                 stance_error *err);

/* The checks before any work: path is a file's (stance_outpath_normalize), what is there may
 * be replaced (not a link, a directory, a device, or a regular file that is not of the kind:
 * STANCE_ERR_IO naming path), its parent is a directory and a temporary can be made in it. */
stance_status stance_outfile_check(const char *path, const stance_outfile_kind *kind,
                                   stance_error *err);

/* Writes path atomically: a temporary "<path>.tmp.XXXXXX" beside it (locked, mode 0644) that
 * write fills, closed with every error reported, path checked again as above (the writing took
 * time), then renamed into place. On any failure the temporary is removed and path is as it
 * was. The temporary is marked as one (stance_outfile_remove_stale) until it is renamed. */
stance_status stance_outfile_save(const char *path, const stance_outfile_kind *kind,
                                  stance_outfile_write_fn write, void *ctx, stance_error *err);

/* Removes the stale temporaries of kind beside path ("<path>.tmp.XXXXXX", as
 * stance_outpath_remove_stale says): those that carry the mark stance_outfile_save gives its
 * temporaries while it writes them (an extended attribute naming the kind), or, for a kind
 * with a signature, whose content kind->ours accepts. A file not marked, of a kind without a
 * signature, is never removed. STANCE_ERR_USAGE for a path that names no file
 * (stance_outpath_normalize). */
stance_status stance_outfile_remove_stale(const char *path, const stance_outfile_kind *kind,
                                          const struct timespec *since,
                                          stance_removed_fn removed, void *ctx,
                                          stance_error *err);

/* 1 if a is earlier than b. */
int stance_timespec_before(const struct timespec *a, const struct timespec *b);

#endif
