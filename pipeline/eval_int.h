/* eval_int.h: scoring one matched pair of target arrays directly (eval.c). */
#ifndef STANCE_EVAL_INT_H
#define STANCE_EVAL_INT_H

#include "stance/eval.h"

/* Scores one matched pair of target arrays (stance_codebook_get_value_count entries each) directly
 * (an unlabeled prediction on an optional dimension abstains). */
void stance_eval_add(stance_eval *ev, const signed char *gold, const signed char *pred);

#endif
