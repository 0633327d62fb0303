/* jsonw_int.h: JSON text appended to a growing buffer, byte for byte as jansson's compact dump
 * (JSON_COMPACT | JSON_REAL_PRECISION(15), the flags stance_jsonl_write uses) would write the
 * same values, so records can be written without building jansson values first. */
#ifndef STANCE_JSONW_INT_H
#define STANCE_JSONW_INT_H

#include <jansson.h>
#include <stddef.h>

typedef struct {
    char *buf; /* len bytes of text (not NUL-terminated) */
    size_t len, cap;
    int failed; /* an allocation failed: the text is incomplete */
} stance_jsonw;

void stance_jsonw_init(stance_jsonw *w);

/* Frees the buffer; w is empty and reusable afterwards. */
void stance_jsonw_clear(stance_jsonw *w);

/* Appends n bytes as they are. */
void stance_jsonw_raw(stance_jsonw *w, const char *s, size_t n);

/* Appends a JSON string holding the UTF-8 text s[0..n) (not checked: the caller's text is
 * valid UTF-8), escaped as jansson escapes it. */
void stance_jsonw_string(stance_jsonw *w, const char *s, size_t n);

/* Appends an integer. */
void stance_jsonw_integer(stance_jsonw *w, long long v);

/* Appends a real as jansson prints it (%.15g, ".0" added to whole numbers, no '+' or leading
 * zeros in the exponent). Returns 0, appending nothing, for NaN and the infinities, which
 * jansson cannot hold either. */
int stance_jsonw_real(stance_jsonw *w, double v);

/* Appends any jansson value as jansson dumps it. */
void stance_jsonw_value(stance_jsonw *w, const json_t *v);

#endif
