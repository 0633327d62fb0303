/* check_agree.c: agreement over coders' records, on published worked examples: Krippendorff's
 * reliability data with missing values, and a textbook kappa table. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../pipeline/codebook_int.h"
#include "stance/agree.h"
#include "stance/codebook.h"
#include "suites.h"

/* One single dimension "v" with values 1-5 and one multi "m" with one value "a". */
static stance_codebook *five_codebook(void)
{
    json_t *json = json_loads("{\"dimensions\": [{\"name\": \"v\", \"kind\": \"single\", "
                              "\"values\": [{\"label\": \"1\"}, {\"label\": \"2\"}, "
                              "{\"label\": \"3\"}, {\"label\": \"4\"}, {\"label\": \"5\"}]}, "
                              "{\"name\": \"m\", \"kind\": \"multi\", \"values\": "
                              "[{\"label\": \"a\"}]}]}",
                              0, NULL);
    ck_assert_ptr_nonnull(json);
    stance_codebook *cb;
    stance_error err;
    ck_assert_int_eq(stance_codebook_from_json(json, "cb", &cb, &err), STANCE_OK);
    json_decref(json);
    return cb;
}

/* Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: observers A-D
 * (rows), units 1-12, 0 for a value missing; nominal alpha 0.743. Here each observer is a coder
 * whose records are {"id": "uN", "v": "value"}, a missing value a record without "v" (or, for
 * the last observer, no record at all for unit 12). */
static const int kripp[4][12] = {
    {1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0},
    {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3},
    {0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0},
    {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0},
};

static void add_coder(stance_agree *ag, const char *name, const int *values, size_t n,
                      int skip_missing)
{
    stance_error err;
    ck_assert_int_eq(stance_agree_begin_coder(ag, name, &err), STANCE_OK);
    for (size_t u = 0; u < n; u++) {
        char line[96];
        if (values[u] == 0 && skip_missing)
            continue;
        if (values[u] == 0)
            snprintf(line, sizeof line, "{\"id\": \"u%zu\", \"m\": null}", u + 1);
        else
            snprintf(line, sizeof line, "{\"id\": \"u%zu\", \"v\": \"%d\", \"m\": []}", u + 1,
                     values[u]);
        json_t *rec = json_loads(line, 0, NULL);
        ck_assert_ptr_nonnull(rec);
        ck_assert_int_eq(stance_agree_add(ag, rec, name, (long)u + 1, &err), STANCE_OK);
        json_decref(rec);
    }
    ck_assert_int_eq(stance_agree_end_coder(ag, name, &err), STANCE_OK);
}

START_TEST(test_krippendorff_example)
{
    stance_codebook *cb = five_codebook();
    stance_agree *ag;
    stance_error err;
    ck_assert_int_eq(stance_agree_new(cb, &ag, &err), STANCE_OK);
    stance_agree_set_bootstrap(ag, 200, 7);
    stance_agree_set_max_unmatched(ag, 0.1);
    static const char *const names[] = {"A", "B", "C", "D"};
    for (int c = 0; c < 4; c++)
        add_coder(ag, names[c], kripp[c], 12, c == 3);
    json_t *json = stance_agree_to_json(ag);
    ck_assert_ptr_nonnull(json);
    json_t *v = json_object_get(json_object_get(json, "agreement"), "v");
    ck_assert_double_eq_tol(json_real_value(json_object_get(v, "alpha")), 0.743, 0.0005);
    ck_assert_int_eq(json_integer_value(json_object_get(v, "units")), 11);
    json_t *ci = json_object_get(v, "alpha_ci");
    ck_assert_uint_eq(json_array_size(ci), 2);
    ck_assert(json_real_value(json_array_get(ci, 0)) <= json_real_value(json_array_get(ci, 1)));
    /* six pairs; A and B both coded units 1-9, and agree on all but unit 6:
     * po 8/9; A's codes 1,2,3,3,2,1,4,1,2 and B's 1,2,3,3,2,2,4,1,2:
     * pe = (3*2 + 3*4 + 2*2 + 1*1) / 81 = 23/81, kappa = (8/9 - 23/81) / (1 - 23/81) = 49/58 */
    json_t *pairs = json_object_get(v, "pairs");
    ck_assert_uint_eq(json_array_size(pairs), 6);
    json_t *ab = json_array_get(pairs, 0);
    ck_assert_str_eq(json_string_value(json_object_get(ab, "a")), "A");
    ck_assert_str_eq(json_string_value(json_object_get(ab, "b")), "B");
    ck_assert_int_eq(json_integer_value(json_object_get(ab, "n")), 9);
    ck_assert_double_eq_tol(json_real_value(json_object_get(ab, "kappa")), 49.0 / 58, 1e-9);
    json_t *kci = json_object_get(ab, "kappa_ci");
    ck_assert_uint_eq(json_array_size(kci), 2);
    ck_assert(json_real_value(json_array_get(kci, 0)) <= json_real_value(json_array_get(kci, 1)));
    /* m: every coder coded "none of its values" wherever it coded: one code only, undefined */
    json_t *m = json_object_get(json_object_get(json_object_get(json, "agreement"), "m"), "a");
    ck_assert(json_is_null(json_object_get(m, "alpha")));
    ck_assert(json_is_null(json_object_get(m, "alpha_ci")));
    /* the same seed gives the same report */
    json_t *again = stance_agree_to_json(ag);
    ck_assert(json_equal(json, again));
    json_decref(again);
    json_decref(json);
    FILE *f = tmpfile();
    ck_assert_int_eq(stance_agree_write(ag, f, "tmp", &err), STANCE_OK);
    fclose(f);
    stance_agree_free(ag);
    stance_agree_free(NULL);
    stance_codebook_free(cb);
}
END_TEST

/* The Wikipedia kappa example (check_stats.c) through records: 50 units, coder A says "1" (yes)
 * or "2" (no): yes/yes 20, yes/no 5, no/yes 10, no/no 15; kappa 0.4. */
START_TEST(test_kappa_through_records)
{
    stance_codebook *cb = five_codebook();
    stance_agree *ag;
    stance_error err;
    ck_assert_int_eq(stance_agree_new(cb, &ag, &err), STANCE_OK);
    stance_agree_set_bootstrap(ag, 0, 1);
    int a[50], b[50];
    for (int u = 0; u < 50; u++) {
        a[u] = u < 25 ? 1 : 2;
        b[u] = u < 20 || (u >= 25 && u < 35) ? 1 : 2;
    }
    add_coder(ag, "a", a, 50, 0);
    add_coder(ag, "b", b, 50, 0);
    json_t *json = stance_agree_to_json(ag);
    json_t *v = json_object_get(json_object_get(json, "agreement"), "v");
    json_t *pair = json_array_get(json_object_get(v, "pairs"), 0);
    ck_assert_double_eq_tol(json_real_value(json_object_get(pair, "kappa")), 0.4, 1e-12);
    ck_assert_int_eq(json_integer_value(json_object_get(pair, "n")), 50);
    ck_assert(json_is_null(json_object_get(v, "alpha_ci"))); /* no replicates */
    ck_assert(json_is_null(json_object_get(pair, "kappa_ci")));
    json_decref(json);
    stance_agree_free(ag);
    stance_codebook_free(cb);
}
END_TEST

/* A second coder who joins none of the units, or too few. */
START_TEST(test_join_errors)
{
    stance_codebook *cb = five_codebook();
    stance_agree *ag;
    stance_error err;
    ck_assert_int_eq(stance_agree_new(cb, &ag, &err), STANCE_OK);
    add_coder(ag, "A", kripp[0], 12, 0);
    ck_assert_int_eq(stance_agree_begin_coder(ag, "B", &err), STANCE_OK);
    json_t *rec = json_loads("{\"id\": \"elsewhere\", \"v\": \"1\"}", 0, NULL);
    ck_assert_int_eq(stance_agree_add(ag, rec, "B", 1, &err), STANCE_OK);
    json_decref(rec);
    ck_assert_int_eq(stance_agree_end_coder(ag, "B", &err), STANCE_ERR_DATA);
    ck_assert_int_eq(err.line, 1);
    ck_assert_ptr_nonnull(strstr(err.message, "no record of B joins this one, nor any other"));
    stance_agree_free(ag);

    ck_assert_int_eq(stance_agree_new(cb, &ag, &err), STANCE_OK);
    add_coder(ag, "A", kripp[0], 12, 0);
    ck_assert_int_eq(stance_agree_begin_coder(ag, "B", &err), STANCE_OK);
    for (int u = 0; u < 5; u++) { /* 5 of 12 joined: 7 unjoined, more than half */
        char line[64];
        snprintf(line, sizeof line, "{\"id\": \"u%d\", \"v\": \"1\"}", u + 1);
        rec = json_loads(line, 0, NULL);
        ck_assert_int_eq(stance_agree_add(ag, rec, "B", u + 1, &err), STANCE_OK);
        json_decref(rec);
    }
    ck_assert_int_eq(stance_agree_end_coder(ag, "B", &err), STANCE_ERR_DATA);
    ck_assert_int_eq(err.line, 6);
    ck_assert_ptr_nonnull(strstr(err.message, "nor 6 more of the 12"));
    stance_agree_free(ag);
    stance_codebook_free(cb);
}
END_TEST

Suite *agree_suite(void)
{
    Suite *s = suite_create("agree");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_krippendorff_example);
    tcase_add_test(tc, test_kappa_through_records);
    tcase_add_test(tc, test_join_errors);
    suite_add_tcase(s, tc);
    return s;
}
