/* codebook.h: what is labeled: dimensions, their kind and their values, read from JSON.
 *
 * Format (extra keys anywhere are allowed and ignored):
 *   {"dimensions": [
 *     {"name": "topics", "kind": "multi",
 *      "values": [{"label": "kosovo", "definition": "..."}, ...]},
 *     {"name": "tone", "kind": "single", "optional": true,
 *      "values": [{"label": "conciliatory", "definition": "..."}, ...]}]}
 * A multi dimension takes zero or more of its values per passage; a single dimension exactly
 * one (and needs at least two values), or, when it is declared "optional": true (a boolean;
 * single dimensions only), at most one: a passage may say that none of its values applies.
 * Names and labels are non-empty and unique, without control characters, and labels without
 * ';' (which joins a passage's labels in one cell of stance-tag's tables); an optional
 * dimension has no value labeled "(none)", the name evaluation reports give "no value
 * applies"; and a name may not be one of the record fields a dimension's field would
 * overwrite or be read from: doc, passage, start, end, kind, text, passages, id, tokens,
 * offsets, stems, scores, explain, applies.
 *
 * Labeled records carry one field per dimension, named after it:
 *   {"id": "kos-001", "text": "...", "topics": ["kosovo"], "tone": "confrontational"}
 * A missing field or null means "not labeled on this dimension"; for a multi dimension []
 * means "labeled: none of the values", and so it does for an optional single dimension
 * ("tone": []: labeled, and no tone applies; every value's target is NO). For a single
 * dimension that is not optional, [] is an error. A multi value may also be given as a bare
 * string, and any value as an object {"label": L, ...} (the shape stance-tag writes).
 *
 * Values are numbered across the codebook: dimension d's values occupy the slots
 * value_offset(d) .. value_offset(d) + nvalues - 1 of a target array. */
#ifndef STANCE_CODEBOOK_H
#define STANCE_CODEBOOK_H

#include <jansson.h>
#include <stddef.h>

#include "stance/error.h"

typedef enum { STANCE_DIM_MULTI, STANCE_DIM_SINGLE } stance_dim_kind;

/* One dimension, borrowed from its codebook. */
typedef struct {
    const char *name;
    stance_dim_kind kind;
    size_t nvalues;
    const char *const *labels;      /* nvalues value labels */
    const char *const *definitions; /* nvalues definitions ("" when absent) */
    size_t offset;                  /* slot of the first value in a target array */
    int optional;                   /* single only: a passage may have none of the values */
} stance_dimension;

/* Once made, a codebook is only read (every function but free takes it as const): threads
 * may share one. */
typedef struct stance_codebook stance_codebook;

/* Target of one value for one record. */
#define STANCE_TARGET_UNLABELED ((signed char)-1)
#define STANCE_TARGET_NO ((signed char)0)
#define STANCE_TARGET_YES ((signed char)1)

/* Reads a codebook file. STANCE_ERR_IO if unreadable, STANCE_ERR_DATA (naming what is wrong)
 * if malformed. Caller frees *out with stance_codebook_free. */
stance_status stance_codebook_load(const char *path, stance_codebook **out, stance_error *err);

/* Frees the codebook; NULL is allowed. An evaluation (eval.h) keeps a pointer to its codebook:
 * free the evaluation first. */
void stance_codebook_free(stance_codebook *cb);

/* Number of dimensions, and dimension i (borrowed, valid while cb lives). */
size_t stance_codebook_get_dimension_count(const stance_codebook *cb);
const stance_dimension *stance_codebook_get_dimension(const stance_codebook *cb, size_t i);

/* Total number of values over all dimensions (the length of a target array). */
size_t stance_codebook_get_value_count(const stance_codebook *cb);

/* Index of label within dim (as stance_codebook_get_dimension returns it, not a copy), or -1. */
long stance_dimension_find(const stance_dimension *dim, const char *label);

/* The label column of libsvm lines for one dimension or value (stance-vectorize --label),
 * chosen by a spec "DIM:VALUE" or "DIM". For DIM:VALUE a record's label is +1 when it has
 * VALUE on DIM, -1 when it labels DIM without VALUE, 0 when it does not label DIM; for DIM (a
 * single dimension only) it is the 1-based index of the record's value, 0 when unlabeled, and
 * nvalues + 1 when the record says that no value of an optional dimension applies. */
typedef struct stance_label_column stance_label_column;

/* Resolves spec in cb (which must outlive the column). STANCE_ERR_USAGE naming where for an
 * unknown dimension or value (listing the choices) and for "DIM" on a multi dimension. */
stance_status stance_label_column_new(const stance_codebook *cb, const char *spec,
                                      const char *where, stance_label_column **out,
                                      stance_error *err);

/* Frees the column; NULL is allowed. */
void stance_label_column_free(stance_label_column *lc);

/* Sets *label to rec's label; STANCE_ERR_DATA naming where and line for a bad label field. */
stance_status stance_label_column_get(stance_label_column *lc, const json_t *rec,
                                      const char *where, long line, int *label,
                                      stance_error *err);

/* Writes label as libsvm's label text into buf (n bytes; 12 are enough): "+1" for a positive
 * label of a DIM:VALUE column, the number otherwise. */
void stance_label_column_format(const stance_label_column *lc, int label, char *buf, size_t n);

#endif
