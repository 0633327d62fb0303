/* check_audit.c: confident learning on hand-made out-of-fold scores: the per-class thresholds,
 * what is flagged and suggested, the ranking by margin; a class no passage is given suggests
 * nothing; an optional dimension is audited as "does a value apply" and "which value". */
#include <math.h>
#include <stdlib.h>

#include "../../pipeline/codebook_int.h"
#include "stance/audit.h"
#include "stance/engine.h"
#include "suites.h"

#define U STANCE_TARGET_UNLABELED
#define Y STANCE_TARGET_YES
#define N STANCE_TARGET_NO

/* topics: multi {a, b} (slots 0, 1); tone: single optional {x, y} (slots 2, 3). */
static stance_codebook *small_codebook(void)
{
    json_t *j = json_loads("{\"name\": \"t\", \"dimensions\": ["
                           "{\"name\": \"topics\", \"kind\": \"multi\", \"values\": [{\"label\": \"a\"}, {\"label\": \"b\"}]},"
                           "{\"name\": \"tone\", \"kind\": \"single\", \"optional\": true,"
                           " \"values\": [{\"label\": \"x\"}, {\"label\": \"y\"}]}]}", 0, NULL);
    stance_codebook *cb = NULL;
    stance_error err;
    ck_assert_int_eq(stance_codebook_from_json(j, NULL, &cb, &err), STANCE_OK);
    json_decref(j);
    return cb;
}

#define ROWS 6

static void find(const signed char *targets, double *probs, double *applies,
                 stance_audit_flag **flags, size_t *n)
{
    stance_codebook *cb = small_codebook();
    stance_cross_scores cs = {ROWS, 4, 2, probs, applies};
    stance_error err;
    ck_assert_int_eq(stance_audit_find(cb, targets, &cs, flags, n, &err), STANCE_OK);
    stance_codebook_free(cb);
}

/* Topic a: given present with p .9 .8 .1, absent with p .2 .1 .95. Thresholds: present
 * (.9 + .8 + .1) / 3 = .6, absent (.8 + .9 + .05) / 3 = .583. Row 2 (present, p .1): absent
 * scores .9 >= .583, present .1 < .6: drop a, score .9, margin .8. Row 5 (absent, p .95):
 * present .95 >= .6: add a, score .95, margin .9, ranked first. Topic b is given to no
 * passage: no threshold for present, so row 4's .99 suggests nothing. Tone: not labeled. */
START_TEST(test_multi)
{
    signed char t[ROWS * 4] = {Y, N, U, U, Y, N, U, U, Y, N, U, U,
                               N, N, U, U, N, N, U, U, N, N, U, U};
    double p[ROWS * 4] = {0.9, 0.1, NAN, NAN, 0.8, 0.1, NAN, NAN, 0.1, 0.1, NAN, NAN,
                          0.2, 0.1, NAN, NAN, 0.1, 0.99, NAN, NAN, 0.95, 0.1, NAN, NAN};
    double a[ROWS * 2] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    stance_audit_flag *f;
    size_t n;
    find(t, p, a, &f, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(f[0].record, 5);
    ck_assert_uint_eq(f[0].dim, 0);
    ck_assert_int_eq(f[0].value, 0);
    ck_assert_uint_eq(f[0].given, 0);
    ck_assert_uint_eq(f[0].suggested, 1);
    ck_assert_double_eq_tol(f[0].score, 0.95, 1e-12);
    ck_assert_double_eq_tol(f[0].margin, 0.9, 1e-12);
    ck_assert_uint_eq(f[1].record, 2);
    ck_assert_uint_eq(f[1].given, 1);
    ck_assert_uint_eq(f[1].suggested, 0);
    ck_assert_double_eq_tol(f[1].score, 0.9, 1e-12);
    ck_assert_double_eq_tol(f[1].margin, 0.8, 1e-12);
    free(f);
}
END_TEST

/* Tone, which value: given x with p(x) .9 .8, given y with p(x) .2 .95. Thresholds x (.9 +
 * .8) / 2 = .85, y (.8 + .05) / 2 = .425: row 3 (y, p(x) .95) is x: score .95, margin .9.
 * Whether one applies: rows 0-3 given some (a .9 each: threshold .9), rows 4 and 5 none (1 - a
 * .9 and .03: threshold .465): row 5 (none, a .97) is some, the value its scores rank first
 * (y): score .97, margin .94, ranked first. A passage with a NaN score takes no part. */
START_TEST(test_optional_single)
{
    signed char t[ROWS * 4] = {U, U, Y, N, U, U, Y, N, U, U, N, Y,
                               U, U, N, Y, U, U, N, N, U, U, N, N};
    double p[ROWS * 4] = {NAN, NAN, 0.9, 0.1, NAN, NAN, 0.8, 0.2, NAN, NAN, 0.2, 0.8,
                          NAN, NAN, 0.95, 0.05, NAN, NAN, 0.5, 0.5, NAN, NAN, 0.3, 0.7};
    double a[ROWS * 2] = {-1, 0.9, -1, 0.9, -1, 0.9, -1, 0.9, -1, 0.1, -1, 0.97};
    stance_audit_flag *f;
    size_t n;
    find(t, p, a, &f, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(f[0].record, 5);
    ck_assert_uint_eq(f[0].dim, 1);
    ck_assert_int_eq(f[0].value, -1);
    ck_assert_uint_eq(f[0].given, 2); /* none */
    ck_assert_uint_eq(f[0].suggested, 1);
    ck_assert_double_eq_tol(f[0].score, 0.97, 1e-12);
    ck_assert_double_eq_tol(f[0].margin, 0.94, 1e-12);
    ck_assert_uint_eq(f[1].record, 3);
    ck_assert_uint_eq(f[1].given, 1);
    ck_assert_uint_eq(f[1].suggested, 0);
    ck_assert_double_eq_tol(f[1].score, 0.95, 1e-12);
    ck_assert_double_eq_tol(f[1].margin, 0.9, 1e-12);
    free(f);
    /* without scores, nothing */
    for (size_t i = 0; i < ROWS * 4; i++)
        p[i] = NAN;
    for (size_t i = 0; i < ROWS * 2; i++)
        a[i] = -1;
    find(t, p, a, &f, &n);
    ck_assert_uint_eq(n, 0);
    free(f);
}
END_TEST

/* Out-of-fold scores from a training run: one row per record, probabilities for the trained
 * topics and NaN for the untrained one, the pair of tone values summing to 1, applies only for tone. */
START_TEST(test_cross_scores)
{
    stance_error err;
    stance_codebook *cb;
    stance_engine_silence();
    ck_assert_int_eq(stance_codebook_load("data/codebook-optional.json", &cb, &err), STANCE_OK);
    stance_train_options opt;
    stance_train_options_default(&opt);
    opt.folds = 3;
    stance_cross_scores cs;
    ck_assert_int_eq(stance_train_cross_scores(cb, "data/train-optional.jsonl", &opt, &cs, &err),
                     STANCE_OK);
    ck_assert_uint_eq(cs.n, 34);
    ck_assert_uint_eq(cs.nvalues, 6);
    ck_assert_uint_eq(cs.ndims, 2);
    for (size_t r = 0; r < cs.n; r++) {
        for (size_t v = 0; v < 3; v++) /* the topics with examples are cross-validated */
            ck_assert(cs.probs[r * 6 + v] >= 0 && cs.probs[r * 6 + v] <= 1);
        ck_assert(isnan(cs.probs[r * 6 + 3])); /* arms_sales: no example, untrained */
        ck_assert_double_eq_tol(cs.probs[r * 6 + 4] + cs.probs[r * 6 + 5], 1, 1e-12);
        ck_assert_double_eq(cs.applies[r * 2], -1);
        ck_assert(cs.applies[r * 2 + 1] >= 0 && cs.applies[r * 2 + 1] <= 1);
    }
    stance_cross_scores_clear(&cs);
    opt.folds = 0;
    ck_assert_int_eq(stance_train_cross_scores(cb, "data/train-optional.jsonl", &opt, &cs, &err),
                     STANCE_ERR_USAGE);
    stance_codebook_free(cb);
}
END_TEST

Suite *audit_suite(void)
{
    Suite *s = suite_create("audit");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_multi);
    tcase_add_test(tc, test_optional_single);
    tcase_add_test(tc, test_cross_scores);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);
    return s;
}
