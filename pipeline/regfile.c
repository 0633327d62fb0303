/* regfile.c: whole regular files of bounded size, read through one descriptor (regfile_int.h). */
#include "regfile_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error_int.h"

static stance_status link_refused(const char *path, stance_error *err)
{
    return stance_fail(err, STANCE_ERR_DATA, path, 0,
                       "is a symbolic link (a model bundle's files must be regular files in it)");
}

/* Refuses what st describes unless it is a regular file. */
static stance_status need_regular(const struct stat *st, const char *path, stance_error *err)
{
    if (S_ISLNK(st->st_mode))
        return link_refused(path, err);
    if (!S_ISREG(st->st_mode))
        return stance_fail(err, STANCE_ERR_DATA, path, 0, "not a regular file");
    return STANCE_OK;
}

static stance_status too_large(intmax_t size, size_t max, const char *over, const char *path,
                               stance_error *err)
{
    if (size > (intmax_t)max)
        return stance_fail(err, STANCE_ERR_DATA, path, 0, "%jd bytes, more than the %zu %s", size,
                           max, over);
    return stance_fail(err, STANCE_ERR_DATA, path, 0, "more than the %zu %s", max, over);
}

/* Reads fd to its end, at most max bytes (one more is an error); size is what fstat said. */
static stance_status read_all(int fd, off_t size, size_t max, const char *over, const char *path,
                              char **buf, size_t *len, stance_error *err)
{
    if (max > SIZE_MAX - 2)
        max = SIZE_MAX - 2;
    /* room for the expected bytes and one more, so that a file the size fstat gave ends with a
     * read of 0 instead of a second buffer; then the NUL */
    size_t room = (uintmax_t)size < max ? (size_t)size + 1 : max + 1, n = 0;
    char *b = malloc(room + 1);
    if (!b)
        return stance_fail_nomem(err, path);
    for (;;) {
        if (n == room) { /* the file grew since fstat */
            if (n > max) {
                free(b);
                return too_large(-1, max, over, path, err);
            }
            size_t more = room <= max / 2 ? room * 2 : max + 1;
            char *nb = realloc(b, more + 1);
            if (!nb) {
                free(b);
                return stance_fail_nomem(err, path);
            }
            b = nb, room = more;
        }
        ssize_t got = read(fd, b + n, room - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            free(b);
            return stance_fail_errno(err, e, path, "read failed");
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return STANCE_OK;
}

stance_status stance_regfile_read(int dirfd, const char *name, const char *path, int nofollow,
                                  size_t max, const char *over, char **buf, size_t *len,
                                  stance_error *err)
{
    *buf = NULL;
    *len = 0;
    struct stat st;
    /* Look before opening: opening a device can have effects of its own. */
    if (fstatat(dirfd, name, &st, nofollow ? AT_SYMLINK_NOFOLLOW : 0) != 0)
        return stance_fail_errno(err, errno, path, "cannot open");
    stance_status s = need_regular(&st, path, err);
    if (s != STANCE_OK)
        return s;
    /* It may have been replaced since: O_NONBLOCK so that a FIFO does not block the open,
     * O_NOFOLLOW so that a link fails it, and the descriptor's own fstat decides. */
    int flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0);
    int fd = openat(dirfd, name, flags);
    if (fd < 0 && errno == ELOOP && nofollow)
        return link_refused(path, err);
    if (fd < 0)
        return stance_fail_errno(err, errno, path, "cannot open");
    int fl;
    if (fstat(fd, &st) != 0 || (fl = fcntl(fd, F_GETFL)) < 0 ||
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) /* blocking reads from here */
        s = stance_fail_errno(err, errno, path, "cannot open");
    else if ((s = need_regular(&st, path, err)) == STANCE_OK && (uintmax_t)st.st_size > max)
        s = too_large((intmax_t)st.st_size, max, over, path, err);
    if (s == STANCE_OK)
        s = read_all(fd, st.st_size, max, over, path, buf, len, err);
    close(fd);
    return s;
}
