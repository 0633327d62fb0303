/* eval_int.h: scoring one matched pair of target arrays directly, and the gold record a
 * prediction matched (eval.c). */
#ifndef STANCE_EVAL_INT_H
#define STANCE_EVAL_INT_H

#include "stance/eval.h"

/* Scores one matched pair of target arrays (stance_codebook_get_value_count entries each) directly
 * (an unlabeled prediction on an optional dimension abstains). */
void stance_eval_add(stance_eval *ev, const signed char *gold, const signed char *pred);

/* The targets of the gold record the prediction last added matched (value_count entries;
 * borrowed, valid until the next gold record is added), or NULL if it matched none. */
const signed char *stance_eval_get_last_gold(const stance_eval *ev);

#endif
