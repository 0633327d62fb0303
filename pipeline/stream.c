/* stream.c: opening, reading whole and closing files and streams, with the failures of each
 * (a full disk found at close, a stream without end) reported as errors. */
#include "stance/stream.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "error_int.h"
#include "stream_int.h"

stance_status stance_stream_read(FILE *f, const char *name, char **buf, size_t *len,
                                 stance_error *err)
{
    return stance_stream_read_max(f, name, SIZE_MAX, buf, len, err);
}

static stance_status too_large(stance_error *err, const char *name, size_t max)
{
    return stance_fail(err, STANCE_ERR_DATA, name, 0, "more than %zu bytes", max);
}

stance_status stance_stream_read_max(FILE *f, const char *name, size_t max, char **buf,
                                     size_t *len, stance_error *err)
{
    *buf = NULL;
    *len = 0;
    /* Room enough to see one byte too many, and the NUL: a stream without end stops there. */
    size_t limit = max < SIZE_MAX - 1 ? max + 2 : SIZE_MAX;
    size_t cap = (size_t)1 << 16, n = 0;
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        (uintmax_t)sb.st_size < SIZE_MAX / 2) {
        off_t pos = ftello(f); /* the stream may not be at the start */
        if (pos >= 0 && pos <= sb.st_size) {
            if ((uintmax_t)(sb.st_size - pos) > max)
                return too_large(err, name, max);
            cap = (size_t)(sb.st_size - pos) + 1; /* + 1: reaching EOF needs no second buffer */
        }
    }
    if (cap > limit)
        cap = limit;
    char *b = malloc(cap);
    if (!b)
        return stance_fail_nomem(err, name);
    for (;;) {
        n += fread(b + n, 1, cap - n, f);
        if (n > max) {
            free(b);
            return too_large(err, name, max);
        }
        if (n < cap)
            break;
        size_t ncap = cap <= SIZE_MAX / 2 ? cap * 2 : 0;
        if (ncap > limit)
            ncap = limit;
        char *nb = ncap ? realloc(b, ncap) : NULL;
        if (!nb) {
            free(b);
            return stance_fail_nomem(err, name);
        }
        b = nb;
        cap = ncap;
    }
    if (ferror(f)) {
        int e = errno;
        free(b);
        return stance_fail_errno(err, e ? e : EIO, name, "read failed");
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return STANCE_OK;
}

stance_status stance_stream_load(const char *path, char **buf, size_t *len, stance_error *err)
{
    *buf = NULL;
    *len = 0;
    FILE *f;
    stance_status st = stance_stream_open(path, "rb", &f, err);
    if (st != STANCE_OK)
        return st;
    st = stance_stream_read(f, path, buf, len, err);
    fclose(f);
    return st;
}

stance_status stance_stream_open(const char *path, const char *mode, FILE **f, stance_error *err)
{
    *f = fopen(path, mode);
    if (!*f)
        return stance_fail_errno(err, errno, path, "cannot open");
    return STANCE_OK;
}

stance_status stance_stream_close(FILE *f, const char *name, stance_error *err)
{
    int failed = fflush(f) != 0 || ferror(f);
    int e = errno;
    if (fclose(f) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    if (failed)
        return stance_fail_errno(err, e ? e : EIO, name, "write failed");
    return STANCE_OK;
}
