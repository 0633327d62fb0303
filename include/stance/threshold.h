/* threshold.h: decision thresholds moved at tag time (stance-tag --threshold LABEL=P).
 *
 * P is a probability from 0 to 1, compared with a value's calibrated score as records give it
 * (4 decimals): the value is assigned when its score is at least P, instead of the model's own
 * threshold. LABEL names what P applies to:
 *   kosovo                 a value label, when no other dimension has a value so labeled
 *   topics.kosovo          DIMENSION.VALUE, always
 *   tone.applies, tone     an optional single dimension's applies unit: a value of the
 *                          dimension is given only if the probability that one applies is at
 *                          least P (0.5 unless moved)
 * In a single dimension a moved threshold wins over the most probable value: of the values whose
 * threshold was moved and whose score reaches it, the most probable is given; if there is none,
 * the most probable of the values whose threshold was not moved; if every value's was moved and
 * none reaches it, none (the dimension is null). Without thresholds moved this is the model's own
 * rule (the most probable value), and with two values, `--threshold conciliatory=0.3` gives
 * conciliatory when its score is at least 0.3, else confrontational. A value whose classifier is
 * untrained is never given. */
#ifndef STANCE_THRESHOLD_H
#define STANCE_THRESHOLD_H

#include "stance/codebook.h"
#include "stance/error.h"

/* The thresholds moved for one codebook, which must outlive them; any number of threads may read
 * them once set (the taggers of stance-tag -j). */
typedef struct stance_thresholds stance_thresholds;

/* None moved yet. Caller frees with stance_thresholds_free. */
stance_status stance_thresholds_new(const stance_codebook *cb, stance_thresholds **out,
                                    stance_error *err);

/* Frees th; NULL is allowed. */
void stance_thresholds_free(stance_thresholds *th);

/* Moves one threshold, spec "LABEL=P" (above). STANCE_ERR_USAGE with a message that quotes
 * spec: no '=', P not a number from 0 to 1, LABEL unknown (the labels are listed) or ambiguous
 * (the candidates are listed), or a threshold moved twice (however it was named). */
stance_status stance_thresholds_set(stance_thresholds *th, const char *spec, stance_error *err);

#endif
