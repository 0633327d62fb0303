/* explain.h: why a linear model gave a passage a label: the exact terms of a unit's decision.
 *
 * A linear unit (model.h) decides with f(x) = bias + sum of w_j x_j over the features j of the
 * passage's vector x (vocab.h: stems and bigrams, TF-IDF weighted). Each feature's
 * contribution is w_j x_j, in the units f is computed in: for a model trained with
 * --nb-weight, w_j is the weight the unit scores x with, the Naive Bayes ratio folded in
 * (nbweight), so contributions add up to the same f. An explanation lists the k features that
 * add most to f and the k that subtract most; "rest" is the sum of the others, so that
 * bias + sum of the listed contributions + rest = decision (up to rounding, well under 1e-6),
 * and decision is f, the very value prediction compares with the unit's threshold (a multi
 * value) or turns into a probability (a single dimension, the applies unit).
 *
 * Which unit explains a label: the value's own unit; for a single dimension with two values,
 * its one pair unit, positive for the first value: the second value's explanation is the pair
 * unit's with every sign changed (decision, bias, rest, weights, contributions: "negated"),
 * so that there too a positive decision and positive contributions favour the value
 * explained. An optional dimension's applies unit (value -1) explains whether any value
 * applies. A kernel model (rbf, poly) has no weights: explainers refuse it.
 *
 * Spans: every place in the text the feature came from, as byte offsets of the source (start
 * inclusive, end exclusive, plus the base given): for a stem, the word it was stemmed from;
 * for a bigram, from the first word's start to the second's end (stop words dropped between
 * them are inside). Order: positive contributions, largest first, then negative ones, most
 * negative first; ties by term, in byte order. Deterministic. */
#ifndef STANCE_EXPLAIN_H
#define STANCE_EXPLAIN_H

#include <stddef.h>

#include "stance/error.h"
#include "stance/model.h"

/* One feature of an explanation (a plain record; borrowed, valid until the next call on the
 * explainer). */
typedef struct {
    const char *term;    /* the vocabulary's text: "stem" or "stem stem" */
    int feature;         /* its index in the vocabulary (1-based) */
    double weight;       /* w_j (sign changed when negated) */
    double value;        /* x_j, the passage vector's value */
    double contribution; /* weight * value */
    const size_t *spans; /* nspans pairs: spans[2i] start, spans[2i + 1] end */
    size_t nspans;
} stance_explain_term;

/* One label's explanation (borrowed, valid until the next call on the explainer). */
typedef struct {
    double decision, bias, rest;
    int negated;                     /* the second value of a pair unit: signs changed */
    const stance_explain_term *terms; /* npositive positive ones, then the negative ones */
    size_t nterms, npositive;
} stance_explanation;

/* Per-thread state for explaining a model's labels (the model is borrowed and must outlive
 * it). STANCE_ERR_USAGE "explanations need a linear kernel" when a trained unit is a kernel
 * model. Caller frees with stance_explainer_free. */
typedef struct stance_explainer stance_explainer;
stance_status stance_explainer_new(const stance_model *m, stance_explainer **out,
                                   stance_error *err);

/* Frees the explainer; NULL is allowed. */
void stance_explainer_free(stance_explainer *ex);

/* Analyzes and vectorizes text[0..len) (UTF-8) as stance-tag does a passage; spans are
 * offsets into text plus base. STANCE_ERR_NOMEM on failure. */
stance_status stance_explainer_set_text(stance_explainer *ex, const char *text, size_t len,
                                        size_t base, stance_error *err);

/* Explains value (index in dimension dim of the codebook; -1 for the applies unit of an
 * optional dimension) for the text last set, with at most k terms of each sign, into *out.
 * STANCE_ERR_USAGE for a dimension or value out of range, an applies unit the dimension does
 * not have, or a unit left untrained; STANCE_ERR_NOMEM. */
stance_status stance_explainer_label(stance_explainer *ex, size_t dim, long value, size_t k,
                                     stance_explanation *out, stance_error *err);

#endif
