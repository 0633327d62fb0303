/* outpath.c: checks of output paths before any work, and removal of the temporaries a killed
 * run left beside them (outpath_int.h). */
#define _GNU_SOURCE /* flock */
#include "outpath_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "error_int.h"

stance_status stance_outpath_normalize(const char *path, int dir, char **out, stance_error *err)
{
    *out = NULL;
    size_t n = strlen(path);
    if (n == 0)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "the output path is empty: give the name of the %s to write",
                           dir ? "model directory" : "file");
    if (!dir && path[n - 1] == '/')
        return stance_fail(err, STANCE_ERR_USAGE, path, 0,
                           "ends with '/': give the name of the file to write");
    while (n > 1 && path[n - 1] == '/')
        n--;
    const char *base = path + n;
    while (base > path && base[-1] != '/')
        base--;
    size_t blen = (size_t)(path + n - base);
    if (blen == 0 || (blen == 1 && base[0] == '.') || (blen == 2 && base[0] == '.' && base[1] == '.'))
        return stance_fail(err, STANCE_ERR_USAGE, path, 0,
                           "names no %s of its own (/, . or ..): give a new name, e.g. %s",
                           dir ? "directory" : "file", dir ? "models/mine" : "vocab.json");
    char *copy = malloc(n + 1);
    if (!copy)
        return stance_fail_nomem(err, path);
    memcpy(copy, path, n);
    copy[n] = '\0';
    *out = copy;
    return STANCE_OK;
}

/* The directory part of path, "." when it has none (caller frees); NULL on no memory. */
static char *parent_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
    char *parent = malloc(n ? n + 1 : 2);
    if (!parent)
        return NULL;
    if (n)
        memcpy(parent, path, n);
    else
        parent[n++] = '.';
    parent[n] = '\0';
    return parent;
}

stance_status stance_outpath_check_parent(const char *path, stance_error *err)
{
    char *parent = parent_of(path);
    if (!parent)
        return stance_fail_nomem(err, path);
    struct stat sb;
    stance_status st = STANCE_OK;
    if (stat(parent, &sb) != 0)
        st = stance_fail_errno(err, errno, path, "cannot create");
    else if (!S_ISDIR(sb.st_mode))
        st = stance_fail_errno(err, ENOTDIR, path, "cannot create");
    free(parent);
    return st;
}

char *stance_outpath_temp(const char *path, const char *tag)
{
    size_t n = strlen(path) + strlen(tag) + 10;
    char *t = malloc(n);
    if (t)
        snprintf(t, n, "%s.%s.XXXXXX", path, tag);
    return t;
}

void stance_outpath_lock(int fd)
{
    (void)flock(fd, LOCK_EX | LOCK_NB); /* a fresh file: nobody else holds it */
}

int stance_timespec_before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* 1 if name is "<base>.<tag>.XXXXXX" (six letters or digits, as mkstemp and mkdtemp make). */
static int temp_name(const char *name, const char *base, size_t blen, const char *tag)
{
    size_t tlen = strlen(tag);
    if (strncmp(name, base, blen) != 0 || name[blen] != '.' ||
        strncmp(name + blen + 1, tag, tlen) != 0 || name[blen + 1 + tlen] != '.')
        return 0;
    const char *x = name + blen + tlen + 2;
    size_t k = 0;
    for (; x[k]; k++)
        if (!((x[k] >= 'a' && x[k] <= 'z') || (x[k] >= 'A' && x[k] <= 'Z') ||
              (x[k] >= '0' && x[k] <= '9')))
            return 0;
    return k == 6;
}

/* Looks at one candidate: the right kind, old enough, not locked; then asks ours. */
static int remove_candidate(int dirfd, const char *name, int dir, stance_stale_fn ours,
                            const struct timespec *since)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
                                     (dir ? O_DIRECTORY : 0));
    if (fd < 0)
        return 0;
    struct stat sb;
    int removed = 0;
    if (fstat(fd, &sb) == 0 && (dir ? S_ISDIR(sb.st_mode) : S_ISREG(sb.st_mode)) &&
        stance_timespec_before(&sb.st_mtim, since) &&
        flock(fd, LOCK_EX | LOCK_NB) == 0) /* else a save in progress holds it */
        removed = ours(dirfd, name, fd, &sb, since);
    close(fd);
    return removed;
}

stance_status stance_outpath_remove_stale(const char *path, const char *const *tags, int dir,
                                          stance_stale_fn ours, const struct timespec *since,
                                          stance_removed_fn removed, void *ctx,
                                          stance_error *err)
{
    char *parent = parent_of(path);
    if (!parent)
        return stance_fail_nomem(err, path);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t blen = strlen(base), plen = slash ? (size_t)(slash - path) + 1 : 0;
    char *shown = malloc(plen + 256 + 1); /* the path of a removed entry, for removed */
    int dirfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = dirfd >= 0 ? fdopendir(dirfd) : NULL;
    if (!d && dirfd >= 0)
        close(dirfd);
    free(parent);
    if (!shown) {
        if (d)
            closedir(d);
        return stance_fail_nomem(err, path);
    }
    memcpy(shown, path, plen);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        int match = 0;
        for (const char *const *t = tags; *t && !match; t++)
            match = temp_name(e->d_name, base, blen, *t);
        if (match && remove_candidate(dirfd, e->d_name, dir, ours, since) && removed) {
            snprintf(shown + plen, 257, "%s", e->d_name);
            removed(ctx, shown);
        }
    }
    if (d)
        closedir(d);
    free(shown);
    return STANCE_OK;
}
