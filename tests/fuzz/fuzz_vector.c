/* fuzz_vector.c: libsvm sparse-vector lines (vector.h). Input: a vectors file, parsed line by
 * line. A line that parses must hold increasing indices from 1 and finite values, and what
 * stance_vector_write makes of it must parse again to the same label and indices. */
#include <math.h>

#include "../../pipeline/vector_int.h"
#include "fuzz_common.h"
#include "stance/vector.h"

static void check_line(const char *line, size_t len, long lineno, stance_vector *v,
                       stance_vector *again)
{
    stance_error err;
    char *label = NULL;
    stance_status st = stance_vector_parse(line, len, "fuzz", lineno, &label, v, &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
    if (st != STANCE_OK) {
        FUZZ_CHECK(label == NULL && v->count == 0 && err.line == lineno);
        return;
    }
    FUZZ_CHECK(label != NULL && label[0] != '\0');
    for (size_t i = 0; i < v->count; i++) {
        FUZZ_CHECK(v->items[i].index >= 1 && isfinite(v->items[i].value));
        FUZZ_CHECK(i == 0 || v->items[i].index > v->items[i - 1].index);
    }
    char *buf = NULL;
    size_t blen = 0;
    FILE *out = open_memstream(&buf, &blen);
    FUZZ_SETUP(out != NULL);
    FUZZ_CHECK(stance_vector_write(out, label, v, "memory", &err) == STANCE_OK);
    FUZZ_SETUP(fclose(out) == 0);
    char *label2 = NULL;
    st = stance_vector_parse(buf, blen, "memory", 1, &label2, again, &err);
    FUZZ_CHECK(st == STANCE_OK);
    FUZZ_CHECK(strcmp(label, label2) == 0 && again->count == v->count);
    for (size_t i = 0; i < v->count; i++)
        FUZZ_CHECK(again->items[i].index == v->items[i].index);
    free(label2);
    free(buf);
    free(label);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stance_vector v, again;
    stance_vector_init(&v);
    stance_vector_init(&again);
    const char *p = (const char *)data, *end = p + size;
    long lineno = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p); /* newline included */
        check_line(p, len, ++lineno, &v, &again);
        p += len;
    }
    stance_vector_clear(&v);
    stance_vector_clear(&again);
    return 0;
}
