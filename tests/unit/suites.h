/* suites.h: one Check suite per library module; check_main.c runs them all. */
#ifndef STANCE_TEST_SUITES_H
#define STANCE_TEST_SUITES_H

#include <check.h>

#include "stance/model.h"

/* STANCE_TEST_ASAN: built with AddressSanitizer, by gcc (__SANITIZE_ADDRESS__) or by clang
 * (__has_feature), whose allocator cannot run under an address-space limit. */
#if defined(__SANITIZE_ADDRESS__)
#define STANCE_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STANCE_TEST_ASAN 1
#endif
#endif

/* Test helpers more than one suite calls. */

/* check_model.c: scores text with model m (an analyzer, its vectorizer, stance_model_predict)
 * into probs and present, one slot per codebook value; fails the test on an error. */
void check_predict_text(const stance_model *m, const char *text, double *probs,
                        signed char *present);

Suite *utf8_suite(void);
Suite *tokenize_suite(void);
Suite *article_suite(void);
Suite *stem_suite(void);
Suite *jsonl_suite(void);
Suite *codebook_suite(void);
Suite *eval_suite(void);
Suite *vector_suite(void);
Suite *vocab_suite(void);
Suite *vocabfile_suite(void);
Suite *sha256_suite(void);
Suite *calibrate_suite(void);
Suite *engine_suite(void);
Suite *classifier_suite(void);
Suite *analyze_suite(void);
Suite *actors_suite(void);
Suite *input_suite(void);
Suite *labelcheck_suite(void);
Suite *import_suite(void);
Suite *outpath_suite(void);
Suite *lock_suite(void);
Suite *model_suite(void);
Suite *tag_suite(void);
Suite *idset_suite(void);
Suite *stemlist_suite(void);
Suite *nbweight_suite(void);
Suite *pool_suite(void);
Suite *strmap_suite(void);
Suite *error_suite(void);
Suite *train_suite(void);
Suite *jsonw_suite(void);
Suite *record_suite(void);
Suite *stage_suite(void); /* pipeline/stages/stage.c, what the mains share */
Suite *grow_suite(void);
Suite *prevalence_suite(void);
Suite *explain_suite(void);
Suite *report_suite(void);
Suite *suggest_suite(void);
Suite *shard_suite(void);
Suite *merge_suite(void);
Suite *audit_suite(void);
Suite *threshold_suite(void);
Suite *table_suite(void);
Suite *stats_suite(void);
Suite *agree_suite(void);

#endif
