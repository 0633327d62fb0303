/* check_stats.c: Wilson intervals, the seeded stream, percentiles, and the agreement
 * coefficients against published worked examples. */
#include <math.h>
#include <string.h>

#include "../../pipeline/stats_int.h"
#include "suites.h"

/* Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: four
 * observers, twelve units, values 1-5, 0 for a missing value; his nominal alpha is 0.743. */
static const int kripp_data[4][12] = {
    {1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0},
    {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3},
    {0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0},
    {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0},
};

START_TEST(test_alpha_krippendorff_example)
{
    double o[25] = {0};
    int pairable = 0;
    for (size_t u = 0; u < 12; u++) {
        int codes[4];
        size_t m = 0;
        for (size_t c = 0; c < 4; c++)
            if (kripp_data[c][u])
                codes[m++] = kripp_data[c][u] - 1;
        pairable += stance_alpha_add_unit(o, 5, codes, m);
    }
    ck_assert_int_eq(pairable, 11); /* unit 12 has one value only */
    double n = 0;
    for (size_t i = 0; i < 25; i++)
        n += o[i];
    ck_assert_double_eq_tol(n, 40, 1e-9); /* his n: 40 pairable values */
    ck_assert_double_eq_tol(stance_alpha_nominal(o, 5), 0.743, 0.0005);
}
END_TEST

/* Two coders, one unit, the same code: no expected disagreement, so alpha is undefined; and
 * a unit with one value adds nothing. */
START_TEST(test_alpha_undefined)
{
    double o[4] = {0};
    int codes[2] = {1, 1};
    ck_assert_int_eq(stance_alpha_add_unit(o, 2, codes, 1), 0);
    ck_assert(isnan(stance_alpha_nominal(o, 2)));
    ck_assert_int_eq(stance_alpha_add_unit(o, 2, codes, 2), 1);
    ck_assert(isnan(stance_alpha_nominal(o, 2)));
    /* perfect agreement with two codes in use: alpha 1 */
    int other[2] = {0, 0};
    stance_alpha_add_unit(o, 2, other, 2);
    ck_assert_double_eq_tol(stance_alpha_nominal(o, 2), 1.0, 1e-12);
}
END_TEST

/* The worked example of the Wikipedia article "Cohen's kappa" (section "Simple example"): 50
 * grant proposals read by two readers, yes/yes 20, yes/no 5, no/yes 10, no/no 15: po 0.7,
 * pe 0.5, kappa 0.4. And the 20 patients of easycalculation.com's "Cohen's kappa index":
 * 12, 2 / 4, 2: po 0.7, pe 0.62, kappa 0.21. */
START_TEST(test_kappa_examples)
{
    static const size_t proposals[4] = {20, 5, 10, 15};
    ck_assert_double_eq_tol(stance_kappa(proposals, 2), 0.4, 1e-12);
    static const size_t patients[4] = {12, 2, 4, 2};
    ck_assert_double_eq_tol(stance_kappa(patients, 2), 0.08 / 0.38, 1e-12);
    static const size_t one_code[4] = {7, 0, 0, 0};
    ck_assert(isnan(stance_kappa(one_code, 2)));
    static const size_t empty[4] = {0, 0, 0, 0};
    ck_assert(isnan(stance_kappa(empty, 2)));
}
END_TEST

/* Wilson intervals: Newcombe (1998), "Two-sided confidence intervals for the single
 * proportion", Table I: 81/263 -> 0.2553-0.3662, 15/148 -> 0.0624-0.1605, 0/20 -> 0-0.1611,
 * 1/29 -> 0.0061-0.1718. */
START_TEST(test_wilson)
{
    static const struct {
        size_t k, n;
        double lo, hi;
    } cases[] = {
        {81, 263, 0.2553, 0.3662},
        {15, 148, 0.0624, 0.1605},
        {0, 20, 0.0, 0.1611},
        {1, 29, 0.0061, 0.1718},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double lo, hi;
        stance_wilson(cases[i].k, cases[i].n, &lo, &hi);
        ck_assert_double_eq_tol(lo, cases[i].lo, 0.00006);
        ck_assert_double_eq_tol(hi, cases[i].hi, 0.00006);
    }
    double lo, hi;
    stance_wilson(0, 0, &lo, &hi);
    ck_assert(isnan(lo) && isnan(hi));
}
END_TEST

START_TEST(test_rng_reproducible)
{
    stance_rng a, b;
    stance_rng_seed(&a, 42);
    stance_rng_seed(&b, 42);
    size_t counts[3] = {0, 0, 0};
    for (int i = 0; i < 3000; i++) {
        size_t x = stance_rng_below(&a, 3);
        ck_assert_uint_eq(x, stance_rng_below(&b, 3));
        counts[x]++;
    }
    for (int i = 0; i < 3; i++) /* each about 1000 */
        ck_assert(counts[i] > 900 && counts[i] < 1100);
    stance_rng_seed(&b, 43);
    ck_assert(stance_rng_next(&a) != stance_rng_next(&b));
}
END_TEST

START_TEST(test_percentile)
{
    double xs[41];
    for (int i = 0; i <= 40; i++)
        xs[i] = (double)(40 - i) / 40;
    xs[3] = NAN;
    double lo, hi;
    ck_assert_int_eq(stance_percentile_ci(xs, 41, &lo, &hi), 1);
    /* 40 defined values 0 .. 1 without 37/40: positions 0.975 and 38.025 */
    ck_assert_double_eq_tol(lo, 0.975 / 40, 1e-12);
    ck_assert_double_eq_tol(hi, 39.025 / 40, 1e-12);
    double none[2] = {NAN, NAN};
    ck_assert_int_eq(stance_percentile_ci(none, 2, &lo, &hi), 0);
    ck_assert(isnan(lo) && isnan(hi));
}
END_TEST

Suite *stats_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_alpha_krippendorff_example);
    tcase_add_test(tc, test_alpha_undefined);
    tcase_add_test(tc, test_kappa_examples);
    tcase_add_test(tc, test_wilson);
    tcase_add_test(tc, test_rng_reproducible);
    tcase_add_test(tc, test_percentile);
    suite_add_tcase(s, tc);
    return s;
}
