/* report_int.h: what the unit tests and the fuzz target read back from a finished report; the
 * stage only writes the page. */
#ifndef STANCE_REPORT_INT_H
#define STANCE_REPORT_INT_H

#include "stance/report.h"

/* Counts after finish: records, articles (distinct docs), and gold records matched. */
size_t stance_report_get_record_count(const stance_report *r);
size_t stance_report_get_article_count(const stance_report *r);
size_t stance_report_get_matched(const stance_report *r);

/* After finish: the codebook in use (borrowed, valid while r lives). */
const stance_codebook *stance_report_get_codebook(const stance_report *r);

/* After finish: of the records labeled on dimension d, how many have the value in slot
 * (codebook numbering) or, for slot == SIZE_MAX on an optional single dimension, no value;
 * *n is the number labeled on d. */
void stance_report_get_share(const stance_report *r, size_t d, size_t slot, size_t *k,
                             size_t *n);

/* After finish with gold: the reliability diagram of dimension d (bins[STANCE_REPORT_BINS]):
 * each matched record's score of each value against whether gold gives it that value. Scores
 * are the record's "scores" when it has them, else those of its assigned labels. A single
 * dimension's scores are probabilities given that a value applies, so only records gold gives a
 * value count there. With applies set (an optional dimension, records with "applies"), the
 * diagram of "applies" against gold giving any value instead. */
void stance_report_get_reliability(const stance_report *r, size_t d, int applies,
                                   stance_report_bin *bins);

/* The Wilson score interval of k successes in n trials at z: *lo and *hi in 0..1 (NaN when n is
 * 0). */
void stance_report_wilson(size_t k, size_t n, double z, double *lo, double *hi);

#endif
