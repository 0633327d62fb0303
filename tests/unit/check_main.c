/* check_main.c: runs every module's Check suite; exits non-zero if any test fails. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    SRunner *sr = srunner_create(utf8_suite());
    srunner_add_suite(sr, tokenize_suite());
    srunner_add_suite(sr, article_suite());
    srunner_add_suite(sr, stem_suite());
    srunner_add_suite(sr, jsonl_suite());
    srunner_add_suite(sr, codebook_suite());
    srunner_add_suite(sr, eval_suite());
    srunner_add_suite(sr, vector_suite());
    srunner_add_suite(sr, vocab_suite());
    srunner_add_suite(sr, vocabfile_suite());
    srunner_add_suite(sr, sha256_suite());
    srunner_add_suite(sr, calibrate_suite());
    srunner_add_suite(sr, engine_suite());
    srunner_add_suite(sr, classifier_suite());
    srunner_add_suite(sr, analyze_suite());
    srunner_add_suite(sr, actors_suite());
    srunner_add_suite(sr, input_suite());
    srunner_add_suite(sr, model_suite());
    srunner_add_suite(sr, tag_suite());
    srunner_add_suite(sr, idset_suite());
    srunner_add_suite(sr, stemlist_suite());
    srunner_add_suite(sr, nbweight_suite());
    srunner_add_suite(sr, pool_suite());
    srunner_add_suite(sr, strmap_suite());
    srunner_add_suite(sr, error_suite());
    srunner_add_suite(sr, train_suite());
    srunner_add_suite(sr, jsonw_suite());
    srunner_add_suite(sr, record_suite());
    srunner_add_suite(sr, stage_suite());
    srunner_add_suite(sr, grow_suite());
    srunner_add_suite(sr, prevalence_suite());
    srunner_add_suite(sr, explain_suite());
    srunner_add_suite(sr, report_suite());
    srunner_add_suite(sr, suggest_suite());
    srunner_add_suite(sr, audit_suite());
    srunner_add_suite(sr, threshold_suite());
    srunner_add_suite(sr, table_suite());
    srunner_add_suite(sr, stats_suite());
    srunner_add_suite(sr, agree_suite());
    srunner_add_suite(sr, labelcheck_suite());
    srunner_add_suite(sr, import_suite());
    srunner_add_suite(sr, outpath_suite());
    srunner_add_suite(sr, shard_suite());
    srunner_add_suite(sr, merge_suite());
    srunner_add_suite(sr, lock_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
