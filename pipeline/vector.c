/* vector.c: sparse vectors and libsvm's "label index:value ..." lines, written and parsed. */
#include "stance/vector.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "grow_int.h"
#include "vector_int.h"

void stance_vector_init(stance_vector *v)
{
    v->items = NULL;
    v->count = 0;
    v->cap = 0;
}

void stance_vector_clear(stance_vector *v)
{
    free(v->items);
    stance_vector_init(v);
}

stance_status stance_vector_push(stance_vector *v, int index, double value, stance_error *err)
{
    stance_feature *p = stance_grow(v->items, &v->cap, v->count, 1, sizeof *p);
    if (!p)
        return stance_fail_nomem(err, NULL);
    v->items = p;
    v->items[v->count++] = (stance_feature){index, value};
    return STANCE_OK;
}

stance_status stance_vector_write(FILE *f, const char *label, const stance_vector *v,
                                  const char *name, stance_error *err)
{
    int failed = fputs(label, f) == EOF;
    for (size_t i = 0; i < v->count && !failed; i++)
        failed = fprintf(f, " %d:%.6g", v->items[i].index, v->items[i].value) < 0;
    if (failed || putc('\n', f) == EOF)
        return stance_fail_errno(err, errno ? errno : EIO, name, "write failed");
    return STANCE_OK;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Parses the pair tok[0..n) (NUL-terminated at n by the caller) after index prev. */
static stance_status parse_pair(char *tok, size_t n, size_t column, int prev, const char *where,
                                long lineno, stance_vector *v, stance_error *err)
{
    char *colon = memchr(tok, ':', n);
    if (!colon)
        return stance_fail(err, STANCE_ERR_DATA, where, lineno,
                           "column %zu: expected index:value, got '%s'", column, tok);
    *colon = '\0';
    char *end;
    errno = 0;
    long index = strtol(tok, &end, 10);
    if (end == tok || *end != '\0' || !(tok[0] == '-' || (tok[0] >= '0' && tok[0] <= '9'))) {
        *colon = ':';
        return stance_fail(err, STANCE_ERR_DATA, where, lineno,
                           "column %zu: malformed index in '%s'", column, tok);
    }
    *colon = ':';
    if (index < 1)
        return stance_fail(err, STANCE_ERR_DATA, where, lineno,
                           "column %zu: index %ld is below 1", column, index);
    if (errno == ERANGE || index > INT_MAX)
        return stance_fail(err, STANCE_ERR_DATA, where, lineno,
                           "column %zu: index in '%s' is too large", column, tok);
    if (index <= prev)
        return stance_fail(err, STANCE_ERR_DATA, where, lineno,
                           "column %zu: index %ld after %d (indices must increase)", column,
                           index, prev);
    const char *val = colon + 1;
    if (*val == '\0')
        return stance_fail(err, STANCE_ERR_DATA, where, lineno,
                           "column %zu: index %ld has no value", column, index);
    errno = 0;
    double x = strtod(val, &end);
    if (end == val || *end != '\0')
        return stance_fail(err, STANCE_ERR_DATA, where, lineno,
                           "column %zu: malformed value in '%s'", column, tok);
    if (!isfinite(x) || (errno == ERANGE && fabs(x) == HUGE_VAL)) /* underflow reads as ~0 */
        return stance_fail(err, STANCE_ERR_DATA, where, lineno,
                           "column %zu: value in '%s' is not a finite number", column, tok);
    return stance_vector_push(v, (int)index, x, err);
}

stance_status stance_vector_parse(const char *line, size_t len, const char *where, long lineno,
                                  char **label, stance_vector *v, stance_error *err)
{
    *label = NULL;
    v->count = 0;
    const char *nul = memchr(line, '\0', len);
    if (nul)
        return stance_fail(err, STANCE_ERR_DATA, where, lineno, "column %zu: NUL byte",
                           (size_t)(nul - line) + 1);
    char *buf = malloc(len + 1); /* strtol and strtod need a terminated copy */
    if (!buf)
        return stance_fail_nomem(err, where);
    memcpy(buf, line, len);
    buf[len] = '\0';
    size_t i = 0;
    while (i < len && is_space(buf[i]))
        i++;
    if (i == len) {
        free(buf);
        return stance_fail(err, STANCE_ERR_DATA, where, lineno, "empty line: expected a label");
    }
    size_t start = i;
    while (i < len && !is_space(buf[i]))
        i++;
    char *lab = strndup(buf + start, i - start);
    if (!lab) {
        free(buf);
        return stance_fail_nomem(err, where);
    }
    stance_status status = STANCE_OK;
    int prev = 0;
    for (;;) {
        while (i < len && is_space(buf[i]))
            i++;
        if (i == len)
            break;
        start = i;
        while (i < len && !is_space(buf[i]))
            i++;
        char saved = buf[i];
        buf[i] = '\0';
        status = parse_pair(buf + start, i - start, start + 1, prev, where, lineno, v, err);
        buf[i] = saved;
        if (status != STANCE_OK)
            break;
        prev = v->items[v->count - 1].index;
    }
    free(buf);
    if (status != STANCE_OK) {
        free(lab);
        v->count = 0;
        return status;
    }
    *label = lab;
    return STANCE_OK;
}
