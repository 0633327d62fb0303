/* jsonw_int.h: JSON text appended to a growing buffer, byte for byte as jansson's compact dump
 * (JSON_COMPACT | JSON_REAL_PRECISION(15), the flags stance_jsonl_write uses) would write the
 * same values, so records can be written without building jansson values first. The one writer
 * of records (record_int.h) and of their labels: where a jansson value of one is wanted, it is
 * read back from this text. */
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

/* A score rounded as records give it, to 4 decimals. */
double stance_jsonw_score_round(double score);

/* Appends a score rounded as records give it; returns 0, appending nothing, for NaN and the
 * infinities. */
int stance_jsonw_score(stance_jsonw *w, double score);

/* Appends a label as every record gives one, {"label":label,"score":score}, with the score
 * rounded to 4 decimals so that records stay short and stable. Returns 0 (the text left
 * incomplete) when the score is not a finite number. */
int stance_jsonw_label(stance_jsonw *w, const char *label, double score);

/* A JSON object built a field at a time and written whole (stance_jsonw_object_write): each
 * value is JSON text appended to values, then named by stance_jsonw_object_add. Fields are
 * written in the order they were added. */
typedef struct {
    const char *key; /* borrowed: it must outlive the object's writing */
    size_t at, len;  /* the value's text in values */
} stance_jsonw_field;

typedef struct {
    stance_jsonw values; /* the fields' values, as JSON text (values.failed: no memory) */
    stance_jsonw_field *fields;
    size_t nfields, cap;
} stance_jsonw_object;

/* An empty object (no allocation). */
void stance_jsonw_object_init(stance_jsonw_object *o);

/* Frees o's storage; o is empty and reusable afterwards. */
void stance_jsonw_object_clear(stance_jsonw_object *o);

/* Empties o, keeping its storage, and forgets a failed allocation. */
void stance_jsonw_object_reset(stance_jsonw_object *o);

/* Makes the text appended to o->values since offset at the value of key, a key o does not have
 * yet (a key twice would make the object one that readers refuse). */
void stance_jsonw_object_add(stance_jsonw_object *o, const char *key, size_t at);

/* Adds key with an integer or a string value (s: n bytes of UTF-8, as stance_jsonw_string). */
void stance_jsonw_object_integer(stance_jsonw_object *o, const char *key, long long v);
void stance_jsonw_object_string(stance_jsonw_object *o, const char *key, const char *s, size_t n);

/* Appends o to w as a JSON object: its fields, then the members of more (a jansson object, or
 * NULL) whose key o does not have and keep accepts (keep NULL: all), in more's order, as
 * json_object_update_missing would add them. If o ran out of memory, w->failed is set. */
void stance_jsonw_object_write(stance_jsonw *w, const stance_jsonw_object *o, const json_t *more,
                               int (*keep)(const char *key, void *arg), void *arg);

#endif
