/* check_calibrate.c: F1-optimal thresholds worked out by hand, counts at a threshold, and the
 * Platt sigmoids (free and with the midpoint fixed), including extreme decision values. */
#include <math.h>
#include <stddef.h>

#include "../../pipeline/calibrate_int.h"
#include "suites.h"

#define MAXN 10

/* stance_threshold_best_f1 cases. F1 after predicting the top k positive is 2 tp / (k + P),
 * P the number of positives; cuts fall only between distinct values, midway between them
 * (or 1e-6 below the lowest value when everything is predicted positive). */
struct best_case {
    const char *name;
    size_t n;
    double f[MAXN];
    signed char y[MAXN];
    double threshold;
    size_t tp, fp, fn;
    double f1;
};
static const struct best_case best_cases[] = {
    /* Sorted: 0.9+ 0.8+ 0.3- -0.2+ -0.5-, P = 3.
     * k=1: 2/4 = .5  k=2: 4/5 = .8  k=3: 4/6 = .667  k=4: 6/7 = .857  k=5: 6/8 = .75
     * best k=4: t = (-0.2 + -0.5) / 2 = -0.35, tp 3, fp 1, fn 0, F1 6/7. */
    {"mixed", 5, {0.9, 0.8, 0.3, -0.2, -0.5}, {1, 1, -1, 1, -1}, -0.35, 3, 1, 0, 6.0 / 7},
    /* Equal values are never split: sorted 1.0+ 0.5+ 0.5- 0.0-, P = 2.
     * k=1: 2/3  (k=2 would split the two 0.5s)  k=3: 4/5 = .8  k=4: 4/6
     * best k=3: t = (0.5 + 0.0) / 2 = 0.25, tp 2, fp 1, fn 0, F1 .8. */
    {"equal values", 4, {0.5, 1.0, 0.0, 0.5}, {-1, 1, -1, 1}, 0.25, 2, 1, 0, 0.8},
    /* A tie in F1 goes to the higher threshold: sorted 3+ 2- 1- 0+, P = 2.
     * k=1: 2/3  k=2: 2/4  k=3: 2/5  k=4: 4/6 = 2/3 (the same double as 2/3)
     * best k=1: t = (3 + 2) / 2 = 2.5, tp 1, fp 0, fn 1, F1 2/3. */
    {"F1 tie", 4, {0, 1, 2, 3}, {1, -1, -1, 1}, 2.5, 1, 0, 1, 2.0 / 3},
    /* Best cut below every value: sorted 0.2+ -0.3+, P = 2. k=1: 2/3  k=2: 4/4 = 1
     * t = -0.3 - 1e-6, tp 2, F1 1. */
    {"all positive", 2, {-0.3, 0.2}, {1, 1}, -0.3 - 1e-6, 2, 0, 0, 1},
    /* One example: t = 0 - 1e-6. */
    {"single", 1, {0}, {1}, -1e-6, 1, 0, 0, 1},
    /* Perfect separation: sorted 2+ 1+ -1- -2-, best k=2: t = (1 + -1) / 2 = 0. */
    {"separable", 4, {-2, 1, -1, 2}, {-1, 1, -1, 1}, 0, 2, 0, 0, 1},
};

START_TEST(test_best_f1)
{
    const struct best_case *c = &best_cases[_i];
    stance_threshold r;
    stance_error err;
    ck_assert_int_eq(stance_threshold_best_f1(c->f, c->y, c->n, &r, &err), STANCE_OK);
    ck_assert_msg(fabs(r.threshold - c->threshold) < 1e-12, "%s: threshold %.17g", c->name, r.threshold);
    ck_assert_msg(r.tp == c->tp && r.fp == c->fp && r.fn == c->fn, "%s: tp %zu fp %zu fn %zu",
                  c->name, r.tp, r.fp, r.fn);
    ck_assert_msg(fabs(r.f1 - c->f1) < 1e-12, "%s: f1 %.17g", c->name, r.f1);
    /* The reported counts are those at the reported threshold. */
    stance_threshold at = stance_threshold_at(c->f, c->y, c->n, r.threshold);
    ck_assert_uint_eq(at.tp, r.tp);
    ck_assert_uint_eq(at.fp, r.fp);
    ck_assert_uint_eq(at.fn, r.fn);
}
END_TEST

/* No positives: every cut has F1 0; the result must say so and find no true positive. */
START_TEST(test_best_f1_all_negative)
{
    const double f[] = {0.4, -0.1, -0.7};
    const signed char y[] = {-1, -1, -1};
    stance_threshold r;
    ck_assert_int_eq(stance_threshold_best_f1(f, y, 3, &r, NULL), STANCE_OK);
    ck_assert_double_eq(r.f1, 0);
    ck_assert_uint_eq(r.tp, 0);
    ck_assert_uint_eq(r.fn, 0);
    ck_assert_double_eq(r.recall, 0);
    ck_assert_double_eq(r.precision, 0);
    ck_assert(isfinite(r.threshold));
}
END_TEST

/* stance_threshold_plateau_f1 on the "mixed" case: sorted 0.9+ 0.8+ 0.3- -0.2+ -0.5-, F1 of the
 * cuts after k = 1..5: .5 .8 .667 .857 .75 (cuts at .85 .55 .05 -.35 -.500001). */
START_TEST(test_plateau_f1)
{
    const double f[] = {0.9, 0.8, 0.3, -0.2, -0.5};
    const signed char y[] = {1, 1, -1, 1, -1};
    /* tol 0: the best cut alone, as stance_threshold_best_f1. */
    stance_threshold r;
    ck_assert_int_eq(stance_threshold_plateau_f1(f, y, 5, 0, &r, NULL), STANCE_OK);
    ck_assert_double_eq_tol(r.threshold, -0.35, 1e-12);
    ck_assert_double_eq_tol(r.f1, 6.0 / 7, 1e-12);
    /* tol .06: k = 2 (.8) and k = 4 (.857) are near-best; the middle of .55 and -.35 is .1,
     * where 0.9, 0.8 and 0.3 are predicted positive: tp 2, fp 1, fn 1. */
    ck_assert_int_eq(stance_threshold_plateau_f1(f, y, 5, 0.06, &r, NULL), STANCE_OK);
    ck_assert_double_eq_tol(r.threshold, 0.1, 1e-12);
    ck_assert_uint_eq(r.tp, 2);
    ck_assert_uint_eq(r.fp, 1);
    ck_assert_uint_eq(r.fn, 1);
    /* tol .11 adds k = 5 (.75): the middle of .55 and -.500001. */
    ck_assert_int_eq(stance_threshold_plateau_f1(f, y, 5, 0.11, &r, NULL), STANCE_OK);
    ck_assert_double_eq_tol(r.threshold, (0.55 - 0.5 - 1e-6) / 2, 1e-12);
}
END_TEST

/* stance_threshold_at on f = 0.9+ 0.8+ 0.3- -0.2+ -0.5- (f >= t predicts positive). */
static const double at_f[] = {0.9, 0.8, 0.3, -0.2, -0.5};
static const signed char at_y[] = {1, 1, -1, 1, -1};
static const struct {
    double t;
    size_t tp, fp, fn;
    double precision, recall, f1;
} at_cases[] = {
    /* 0.9 0.8 0.3 predicted (>= is inclusive): tp 2 fp 1 fn 1, P = R = 2/3, F1 4/6 */
    {0.3, 2, 1, 1, 2.0 / 3, 2.0 / 3, 4.0 / 6},
    /* nothing predicted: precision and F1 are 0, not NaN */
    {1.0, 0, 0, 3, 0, 0, 0},
    /* everything predicted: tp 3 fp 2, P = 3/5, R = 1, F1 6/8 */
    {-1.0, 3, 2, 0, 0.6, 1, 0.75},
    /* 0.9 0.8: tp 2 fp 0 fn 1, P = 1, R = 2/3, F1 4/5 */
    {0.5, 2, 0, 1, 1, 2.0 / 3, 0.8},
};

START_TEST(test_threshold_at)
{
    stance_threshold r = stance_threshold_at(at_f, at_y, 5, at_cases[_i].t);
    ck_assert_double_eq(r.threshold, at_cases[_i].t);
    ck_assert_uint_eq(r.tp, at_cases[_i].tp);
    ck_assert_uint_eq(r.fp, at_cases[_i].fp);
    ck_assert_uint_eq(r.fn, at_cases[_i].fn);
    ck_assert_double_eq_tol(r.precision, at_cases[_i].precision, 1e-12);
    ck_assert_double_eq_tol(r.recall, at_cases[_i].recall, 1e-12);
    ck_assert_double_eq_tol(r.f1, at_cases[_i].f1, 1e-12);
}
END_TEST

START_TEST(test_threshold_at_empty)
{
    stance_threshold r = stance_threshold_at(NULL, NULL, 0, 0.5);
    ck_assert_uint_eq(r.tp + r.fp + r.fn, 0);
    ck_assert_double_eq(r.f1, 0);
    ck_assert_double_eq(r.precision, 0);
    ck_assert_double_eq(r.recall, 0);
}
END_TEST

/* Decision values for the sigmoid fits: mostly separated, with overlap in the middle
 * (-0.6 is positive, 0.1 negative), and a cleanly separable set. */
struct fit_case {
    const char *name;
    size_t n;
    double f[MAXN];
    signed char y[MAXN];
};
static const struct fit_case fit_cases[] = {
    {"overlapping", 10, {-2, -1.5, -1, -0.6, -0.2, 0.1, 0.4, 1, 1.6, 2.2},
     {-1, -1, -1, 1, -1, -1, 1, 1, 1, 1}},
    {"separable", 6, {-1.2, -0.8, -0.3, 0.4, 0.9, 1.3}, {-1, -1, -1, 1, 1, 1}},
    {"unbalanced", 7, {-1.5, -1.1, -0.9, -0.7, -0.4, 0.2, 0.8}, {-1, -1, -1, -1, 1, -1, 1}},
};

START_TEST(test_platt_fit)
{
    const struct fit_case *c = &fit_cases[_i];
    stance_platt s = stance_platt_fit(c->f, c->y, c->n);
    ck_assert_msg(isfinite(s.a) && isfinite(s.b), "%s: a %g b %g", c->name, s.a, s.b);
    ck_assert_msg(s.a < 0, "%s: a = %g, expected a < 0", c->name, s.a);
    /* Probabilities are ordered like the decision values, and the extremes fall on the
     * right sides of 0.5. */
    for (size_t i = 1; i < c->n; i++)
        ck_assert_msg(stance_platt_prob(s, c->f[i]) > stance_platt_prob(s, c->f[i - 1]),
                      "%s: p(%g) <= p(%g)", c->name, c->f[i], c->f[i - 1]);
    ck_assert_double_lt(stance_platt_prob(s, c->f[0]), 0.5);
    ck_assert_double_gt(stance_platt_prob(s, c->f[c->n - 1]), 0.5);
}
END_TEST

/* With the midpoint fixed at t: p(t) = 0.5, and p >= 0.5 exactly when f >= t at every point
 * tried (the data, the threshold's neighbourhood, far away). Thresholds from best_f1, plus
 * thresholds that do not separate the data at all (the slope is then kept gently negative). */
static const double fixed_thresholds[] = {NAN /* best F1 */, 0, 0.75, -1.9, 3};

START_TEST(test_platt_fit_at)
{
    for (size_t c = 0; c < sizeof fit_cases / sizeof fit_cases[0]; c++) {
        const struct fit_case *fc = &fit_cases[c];
        double t = fixed_thresholds[_i];
        stance_threshold best;
        if (isnan(t)) {
            ck_assert_int_eq(stance_threshold_best_f1(fc->f, fc->y, fc->n, &best, NULL), STANCE_OK);
            t = best.threshold;
        }
        stance_platt s = stance_platt_fit_at(fc->f, fc->y, fc->n, t);
        ck_assert_msg(s.a <= -1e-6, "%s at %g: a = %g", fc->name, t, s.a);
        ck_assert_msg(fabs(s.b + s.a * t) < 1e-12, "%s at %g: b = %g", fc->name, t, s.b);
        ck_assert_msg(fabs(stance_platt_prob(s, t) - 0.5) <= 1e-12, "%s: p(t) = %.17g", fc->name,
                      stance_platt_prob(s, t));
        double probe[MAXN + 6];
        size_t np = 0;
        for (size_t i = 0; i < fc->n; i++)
            probe[np++] = fc->f[i];
        probe[np++] = t + 1e-3;
        probe[np++] = t - 1e-3;
        probe[np++] = t + 10;
        probe[np++] = t - 10;
        probe[np++] = 1e6;
        probe[np++] = -1e6;
        for (size_t i = 0; i < np; i++)
            ck_assert_msg((stance_platt_prob(s, probe[i]) >= 0.5) == (probe[i] >= t),
                          "%s at %g: f %g gives p %.17g", fc->name, t, probe[i],
                          stance_platt_prob(s, probe[i]));
    }
}
END_TEST

/* A fitted midpoint on separating data gives a real slope, not the fallback. */
START_TEST(test_platt_fit_at_slope)
{
    const struct fit_case *fc = &fit_cases[1];
    stance_platt s = stance_platt_fit_at(fc->f, fc->y, fc->n, 0.05);
    ck_assert_double_lt(s.a, -1);
    ck_assert_double_lt(stance_platt_prob(s, -1.2), 0.25);
    ck_assert_double_gt(stance_platt_prob(s, 1.3), 0.75);
}
END_TEST

/* Extreme decision values never overflow: the result is finite and in [0, 1]. */
static const struct {
    stance_platt s;
    double f;
    double p;
} extreme_cases[] = {
    {{-5, 1}, 1e6, 1},   {{-5, 1}, -1e6, 0},  {{5, -1}, 1e6, 0},    {{5, -1}, -1e6, 1},
    /* z = -1 and 1: 1 / (1 + e^-1), 1 / (1 + e) */
    {{-1e-6, 0}, 1e6, 0.7310585786300049},    {{-1e-6, 0}, -1e6, 0.2689414213699951},
    {{-800, 0}, 1, 1},   {{-800, 0}, -1, 0},  {{0, 0}, 1e6, 0.5},
};

START_TEST(test_platt_prob_extremes)
{
    double p = stance_platt_prob(extreme_cases[_i].s, extreme_cases[_i].f);
    ck_assert(isfinite(p));
    ck_assert(p >= 0 && p <= 1);
    ck_assert_double_eq_tol(p, extreme_cases[_i].p, 1e-12);
}
END_TEST

Suite *calibrate_suite(void)
{
    Suite *s = suite_create("calibrate");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_best_f1, 0, (int)(sizeof best_cases / sizeof best_cases[0]));
    tcase_add_test(tc, test_best_f1_all_negative);
    tcase_add_test(tc, test_plateau_f1);
    tcase_add_loop_test(tc, test_threshold_at, 0, (int)(sizeof at_cases / sizeof at_cases[0]));
    tcase_add_test(tc, test_threshold_at_empty);
    tcase_add_loop_test(tc, test_platt_fit, 0, (int)(sizeof fit_cases / sizeof fit_cases[0]));
    tcase_add_loop_test(tc, test_platt_fit_at, 0,
                        (int)(sizeof fixed_thresholds / sizeof fixed_thresholds[0]));
    tcase_add_test(tc, test_platt_fit_at_slope);
    tcase_add_loop_test(tc, test_platt_prob_extremes, 0,
                        (int)(sizeof extreme_cases / sizeof extreme_cases[0]));
    suite_add_tcase(s, tc);
    return s;
}
