/* error.c: filling and formatting stance_error records. */
#include "error_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "utf8_int.h"

void stance_error_clear(stance_error *err)
{
    if (!err)
        return;
    err->status = STANCE_OK;
    err->where[0] = '\0';
    err->line = 0;
    err->message[0] = '\0';
}

static void set_where(stance_error *err, const char *where, long line)
{
    snprintf(err->where, sizeof err->where, "%s", where ? where : "");
    err->line = line;
}

static stance_status set_message(stance_error *err, stance_status status, const char *where,
                                 long line, const char *fmt, va_list ap)
{
    if (!err)
        return status;
    err->status = status;
    set_where(err, where, line);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return status;
}

stance_status stance_error_set(stance_error *err, stance_status status, const char *where,
                               long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(err, status, where, line, fmt, ap);
    va_end(ap);
    return status;
}

stance_status stance_fail(stance_error *err, stance_status status, const char *where, long line,
                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(err, status, where, line, fmt, ap);
    va_end(ap);
    return status;
}

stance_status stance_fail_errno(stance_error *err, int errnum, const char *where, const char *fmt,
                                ...)
{
    if (!err)
        return STANCE_ERR_IO;
    err->status = STANCE_ERR_IO;
    set_where(err, where, 0);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof err->message)
        snprintf(err->message + n, sizeof err->message - (size_t)n, ": %s", strerror(errnum));
    return STANCE_ERR_IO;
}

stance_status stance_fail_nomem(stance_error *err, const char *where)
{
    return stance_fail(err, STANCE_ERR_NOMEM, where, 0, "out of memory");
}

void stance_error_escape(const char *s, char *buf, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    if (size == 0)
        return;
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0;
        size_t k = stance_utf8_decode(p + i, n - i, &cp);
        int shown = k > 0 && cp >= 0x20 && cp != 0x7F && (cp < 0x80 || cp > 0x9F);
        size_t take = k ? k : 1, need = shown ? take : 4 * take;
        if (need >= size - o)
            break;
        for (size_t j = 0; j < take; j++) {
            unsigned char c = p[i + j];
            if (shown) {
                buf[o++] = (char)c;
                continue;
            }
            buf[o++] = '\\';
            buf[o++] = 'x';
            buf[o++] = hex[c >> 4];
            buf[o++] = hex[c & 15];
        }
        i += take;
    }
    buf[o] = '\0';
}

stance_status stance_getline_end(FILE *f, int errnum, const char *where, long line,
                                 stance_error *err)
{
    if (ferror(f))
        return stance_fail_errno(err, errnum ? errnum : EIO, where, "read failed");
    if (feof(f))
        return STANCE_OK;
    if (errnum == ENOMEM || errnum == EOVERFLOW)
        return stance_fail(err, STANCE_ERR_NOMEM, where, line, "out of memory");
    return stance_fail_errno(err, errnum ? errnum : EIO, where, "read failed");
}

void stance_error_format(const stance_error *err, char *buf, size_t size)
{
    char where[4 * STANCE_ERROR_NAME_MAX], message[4 * STANCE_ERROR_MSG_MAX];
    stance_error_escape(err->where, where, sizeof where);
    stance_error_escape(err->message, message, sizeof message);
    if (where[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", where, err->line, message);
    else if (where[0])
        snprintf(buf, size, "%s: %s", where, message);
    else
        snprintf(buf, size, "%s", message);
}

int stance_status_get_exit_code(stance_status status)
{
    switch (status) {
    case STANCE_OK:
        return 0;
    case STANCE_ERR_DATA:
        return 1;
    case STANCE_ERR_USAGE:
        return 2;
    case STANCE_ERR_IO:
    case STANCE_ERR_NOMEM:
        return 3;
    case STANCE_ERR_BUSY:
        return 75;
    }
    return 3;
}
