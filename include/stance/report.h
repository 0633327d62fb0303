/* report.h: an HTML report of tagged records for an analyst to read in a browser: a summary of
 * the collection, one card per article, and, given gold labels, how good the labels are.
 *
 * Input: the records stance-tag writes (one per passage or article), e.g.
 *   {"doc":"01-kosovo-patrols","passage":3,"start":119,"end":979,"kind":"body",
 *    "topics":[{"label":"kosovo","score":0.99}],"tone":{"label":"conciliatory","score":0.97},
 *    "scores":{"topics":{"kosovo":0.99,...},"tone":{...}},"applies":{"tone":0.81},
 *    "explain":{"topics":{"kosovo":{"decision":1.7,"bias":-0.4,"rest":0.1,
 *       "terms":[{"term":"kfor","contribution":0.6,"spans":[[812,816]]},...]}}}}
 * "doc" (a string or an integer) is required; "passage", "start", "end" are non-negative
 * integers when present (start <= end); "kind" and "text" are strings; "scores", "applies" and
 * "explain" are optional (stance-tag --all-scores, --explain) and checked when present. Other
 * fields are ignored. A record without a label field (a "meta" passage) is shown but not
 * counted in the label shares.
 *
 * The codebook: the caller's (stance_report_set_codebook), or else read off the records: every
 * field other than the record fields codebook.h reserves (and "applies") that holds an array
 * of {"label": ...} objects is a multi dimension, one holding a {"label": ...} object a single
 * one (optional when a record gives it null or "applies" names it); its values are those of
 * "scores" when records carry them (codebook order), else the labels seen, in order of first
 * appearance (gold labels included). A field that changes shape between records is a data
 * error naming the line.
 *
 * Articles (stance_report_add_article) give each record its text: the bytes start..end of the
 * article whose doc is the record's (explain spans index the same bytes); without them a
 * record's own "text" is shown. Gold records (stance_report_add_gold) are matched with the
 * records as stance-eval matches them (eval.h: doc and start, doc and passage, id).
 *
 * The page is one static HTML5 file: no script, no request of any kind (a Content-Security-
 * Policy forbids them), inline CSS and SVG, every piece of input text escaped (bytes that are
 * not UTF-8 and control characters other than tab, CR and LF shown as U+FFFD), articles as
 * closed <details> elements so that thousands stay light. */
#ifndef STANCE_REPORT_H
#define STANCE_REPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "stance/article.h"
#include "stance/codebook.h"
#include "stance/error.h"
#include "stance/vocab.h" /* stance_removed_fn */

typedef struct stance_report stance_report;

/* The z of a two-sided 95% interval. */
#define STANCE_REPORT_Z95 1.959963984540054

/* Bins of a reliability diagram: scores 0-0.1, 0.1-0.2, ..., 0.9-1 (1 in the last). */
#define STANCE_REPORT_BINS 10

/* One bin of a reliability diagram. */
typedef struct {
    size_t n;        /* (score, outcome) pairs in the bin */
    double score;    /* their mean predicted score (NaN when n is 0) */
    double observed; /* the share of them whose outcome was positive (NaN when n is 0) */
} stance_report_bin;

/* A new, empty report; title (copied) heads the page. Caller frees with stance_report_free. */
stance_status stance_report_new(const char *title, stance_report **out, stance_error *err);

/* Frees r; NULL is allowed. */
void stance_report_free(stance_report *r);

/* Uses cb (borrowed: it must outlive r) instead of reading the codebook off the records. Call
 * before stance_report_finish. */
void stance_report_set_codebook(stance_report *r, const stance_codebook *cb);

/* With on, a gold null on an optional dimension means that no value applies (as
 * stance_eval_set_null_means_none). Call before stance_report_finish. */
void stance_report_set_null_means_none(stance_report *r, int on);

/* Adds a tagged record (kept: rec is referenced, not copied). STANCE_ERR_DATA naming where and
 * line for a field of the wrong type or range (see above). */
stance_status stance_report_add_tagged(stance_report *r, json_t *rec, const char *where,
                                       long line, stance_error *err);

/* Adds the text of the article named doc (copied), read from where: records of that doc take
 * their text from it. STANCE_ERR_DATA naming where for a doc given twice. */
stance_status stance_report_add_article(stance_report *r, const stance_article *art,
                                        const char *doc, const char *where, stance_error *err);

/* Adds a gold record (kept, as for tagged ones). Errors as stance_eval_add_gold's, reported by
 * stance_report_finish. */
stance_status stance_report_add_gold(stance_report *r, json_t *rec, const char *where, long line,
                                     stance_error *err);

/* After the last add: settles the codebook, gives each record its text and labels, and scores
 * the records against the gold ones. STANCE_ERR_DATA naming the record (where:line) for no
 * records, a label the codebook lacks, a doc with no article while articles were given, offsets
 * or spans outside the article (or the passage); naming the gold file for gold records that do
 * not match the records (more than half unmatched, as stance-eval). */
stance_status stance_report_finish(stance_report *r, stance_error *err);

/* Writes the page to f (name in messages). STANCE_ERR_IO if a write fails, STANCE_ERR_NOMEM. */
stance_status stance_report_write(const stance_report *r, FILE *f, const char *name,
                                  stance_error *err);

/* Checks, before any work, that stance_report_save could write path: a new name, an empty
 * file or an earlier report (anything else, a link or a directory is refused, STANCE_ERR_IO),
 * in a directory where a temporary file can be made; "" or a path ending in '/' is
 * STANCE_ERR_USAGE. */
stance_status stance_report_check_target(const char *path, stance_error *err);

/* Writes the page to a temporary file beside path ("<path>.tmp.XXXXXX", locked while written)
 * and renames it over path, after the same checks: nothing is left half written. */
stance_status stance_report_save(const stance_report *r, const char *path, stance_error *err);

/* Removes the temporaries a killed save left beside path (empty, or begun as a report, last
 * changed before since, not held by a save), telling removed (may be NULL) each path. Only
 * running out of memory is an error. */
stance_status stance_report_remove_stale(const char *path, const struct timespec *since,
                                         stance_removed_fn removed, void *ctx,
                                         stance_error *err);

#endif
