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
#include <sys/xattr.h>
#include <unistd.h>

#include "error_int.h"
#include "stance/stream.h"

/* The extended attribute that marks a temporary stance_outfile_save is writing, its value the
 * kind's name; taken off before the rename. Where the file system has no user attributes the
 * mark is missing, and only a kind's signature can tell its stale temporaries. */
#define TEMP_MARK "user.stance.temporary"

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

/* How a candidate is judged: by a stale_fn, or as a temporary of a file kind. */
typedef struct {
    stance_stale_fn ours;
    const stance_outfile_kind *kind;
} stale_judge;

static int stale_file(int dirfd, const char *name, int fd, const struct stat *sb,
                      const stance_outfile_kind *kind);

/* Looks at one candidate: the right kind, old enough, not locked; then asks the judge. */
static int remove_candidate(int dirfd, const char *name, int dir, const stale_judge *j,
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
        removed = j->kind ? stale_file(dirfd, name, fd, &sb, j->kind)
                          : j->ours(dirfd, name, fd, &sb, since);
    close(fd);
    return removed;
}

/* stance_outpath_remove_stale with a judge. */
static stance_status remove_stale(const char *path, const char *const *tags, int dir,
                                  const stale_judge *j, const struct timespec *since,
                                  stance_removed_fn removed, void *ctx, stance_error *err)
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
        if (match && remove_candidate(dirfd, e->d_name, dir, j, since) && removed) {
            snprintf(shown + plen, 257, "%s", e->d_name);
            removed(ctx, shown);
        }
    }
    if (d)
        closedir(d);
    free(shown);
    return STANCE_OK;
}

stance_status stance_outpath_remove_stale(const char *path, const char *const *tags, int dir,
                                          stance_stale_fn ours, const struct timespec *since,
                                          stance_removed_fn removed, void *ctx,
                                          stance_error *err)
{
    const stale_judge j = {ours, NULL};
    return remove_stale(path, tags, dir, &j, since, removed, ctx, err);
}

/* ---- files written atomically (stance_outfile_*) ---- */

/* What is at path may be replaced: nothing, or a regular file of the kind. Anything else (a
 * user's file named by mistake, a link, a directory, a device) is refused, naming path. */
static stance_status check_replaceable(const char *path, const stance_outfile_kind *kind,
                                       stance_error *err)
{
    struct stat sb;
    if (lstat(path, &sb) != 0) /* ENOTDIR: the directory check or mkstemp says more */
        return errno == ENOENT || errno == ENOTDIR ? STANCE_OK
                                                   : stance_fail_errno(err, errno, path, "cannot create");
    if (S_ISLNK(sb.st_mode))
        return stance_fail(err, STANCE_ERR_IO, path, 0,
                           "is a symbolic link; refusing to replace it (give the path of the file it points to)");
    if (S_ISDIR(sb.st_mode))
        return stance_fail(err, STANCE_ERR_IO, path, 0,
                           "is a directory; give the name of the %s file to write", kind->name);
    if (!S_ISREG(sb.st_mode))
        return stance_fail(err, STANCE_ERR_IO, path, 0, "is not a regular file; refusing to replace it");
    if (!kind->ours)
        return STANCE_OK;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return stance_fail_errno(err, errno, path, "cannot read");
    int ours = kind->ours(fd);
    close(fd);
    if (!ours)
        return stance_fail(err, STANCE_ERR_IO, path, 0,
                           "exists and is not a stance %s; refusing to replace it", kind->name);
    return STANCE_OK;
}

/* The checks of path that come before any writing, and again before the rename. */
static stance_status check_file_path(const char *path, const stance_outfile_kind *kind,
                                     stance_error *err)
{
    char *norm;
    stance_status st = stance_outpath_normalize(path, 0, &norm, err);
    free(norm); /* a file's path is normal as given, or refused */
    return st == STANCE_OK ? check_replaceable(path, kind, err) : st;
}

stance_status stance_outfile_check(const char *path, const stance_outfile_kind *kind,
                                   stance_error *err)
{
    stance_status st = check_file_path(path, kind, err);
    if (st == STANCE_OK)
        st = stance_outpath_check_parent(path, err);
    if (st != STANCE_OK)
        return st;
    char *probe = stance_outpath_temp(path, "tmp"); /* permission bits do not tell everything */
    if (!probe)
        return stance_fail_nomem(err, path);
    int fd = mkstemp(probe);
    if (fd < 0)
        st = stance_fail_errno(err, errno, path, "cannot create a temporary file next to it");
    else {
        close(fd);
        unlink(probe);
    }
    free(probe);
    return st;
}

/* Fills the temporary open on fd through write, and closes it (fd is closed either way). */
static stance_status fill_temp(int fd, const char *path, stance_outfile_write_fn write, void *ctx,
                               stance_error *err)
{
    (void)fchmod(fd, 0644); /* mkstemp makes it 0600; what stance writes is no secret */
    FILE *f = fdopen(fd, "w");
    if (!f) {
        stance_status st = stance_fail_errno(err, errno, path, "cannot write");
        close(fd);
        return st;
    }
    stance_status st = write(f, ctx, path, err);
    stance_error closing;
    stance_status cst = stance_stream_close(f, path, &closing); /* no fsync: atomic
                                                                  * replacement, not durability */
    if (st == STANCE_OK && cst != STANCE_OK) {
        st = cst;
        if (err)
            *err = closing;
    }
    return st;
}

stance_status stance_outfile_save(const char *path, const stance_outfile_kind *kind,
                                  stance_outfile_write_fn write, void *ctx, stance_error *err)
{
    stance_status st = check_file_path(path, kind, err);
    if (st != STANCE_OK)
        return st;
    char *tmp = stance_outpath_temp(path, "tmp"); /* same directory, so rename is atomic */
    if (!tmp)
        return stance_fail_nomem(err, path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        st = stance_fail_errno(err, errno, path, "cannot create a temporary file next to it");
        free(tmp);
        return st;
    }
    int lock = dup(fd); /* holds the lock on tmp until it is renamed or removed */
    if (lock >= 0)
        stance_outpath_lock(lock);
    (void)fsetxattr(fd, TEMP_MARK, kind->name, strlen(kind->name), 0); /* best effort */
    st = fill_temp(fd, path, write, ctx, err);
    if (st == STANCE_OK)
        st = check_file_path(path, kind, err); /* again: the writing took time */
    if (st == STANCE_OK)
        (void)lremovexattr(tmp, TEMP_MARK); /* FILE is no temporary */
    if (st == STANCE_OK && rename(tmp, path) != 0)
        st = stance_fail_errno(err, errno, path, "cannot write");
    if (st != STANCE_OK)
        unlink(tmp);
    if (lock >= 0)
        close(lock);
    free(tmp);
    return st;
}

/* Whether the temporary open on fd carries the mark of a save of kind. */
static int marked_as(int fd, const stance_outfile_kind *kind)
{
    char value[64];
    size_t n = strlen(kind->name);
    ssize_t got = fgetxattr(fd, TEMP_MARK, value, sizeof value);
    return got >= 0 && (size_t)got == n && memcmp(value, kind->name, n) == 0;
}

/* A stale temporary of kind is removed when it carries the kind's mark (then it is one that
 * stance_outfile_save made), or when the kind has a signature and its content has it; and
 * only while name still leads to the file checked (sb). A kind without a signature thus never
 * removes a file that a save did not mark: a user's "out.tmp.backup" stays. */
static int stale_file(int dirfd, const char *name, int fd, const struct stat *sb,
                      const stance_outfile_kind *kind)
{
    struct stat now;
    if (!(marked_as(fd, kind) || (kind->ours && kind->ours(fd))) ||
        fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) != 0 || now.st_dev != sb->st_dev ||
        now.st_ino != sb->st_ino)
        return 0;
    return unlinkat(dirfd, name, 0) == 0;
}

stance_status stance_outfile_remove_stale(const char *path, const stance_outfile_kind *kind,
                                          const struct timespec *since,
                                          stance_removed_fn removed, void *ctx,
                                          stance_error *err)
{
    static const char *const tags[] = {"tmp", NULL};
    const stale_judge j = {NULL, kind};
    char *norm;
    stance_status st = stance_outpath_normalize(path, 0, &norm, err); /* "dir/" has no temporaries */
    free(norm);
    return st == STANCE_OK ? remove_stale(path, tags, 0, &j, since, removed, ctx, err) : st;
}
