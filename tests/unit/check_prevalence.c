/* check_prevalence.c: the four prevalence estimators on hand-worked numbers, articles and
 * groups, the bootstrap's reproducibility, the rates a model reports, and the records refused. */
#include <math.h>
#include <string.h>

#include "../../pipeline/codebook_int.h"
#include "../../pipeline/modelbuild_int.h"
#include "../../pipeline/prevalence_int.h"
#include "suites.h"

/* topics: multi a, b (units 0, 1); tone: optional single pos, neg (unit 2, the pair model with
 * pos its first value; unit 3, the applies unit). */
static const char codebook_json[] =
    "{\"dimensions\": ["
    "{\"name\": \"topics\", \"kind\": \"multi\", \"values\": [{\"label\": \"a\"}, {\"label\": \"b\"}]},"
    "{\"name\": \"tone\", \"kind\": \"single\", \"optional\": true, \"values\": ["
    "{\"label\": \"pos\"}, {\"label\": \"neg\"}]}]}";

/* The units' cv figures, the shape stance-train writes. Unit 1 (b) has only precision and
 * recall, as a bundle from before the rates: tp = 0.6 * 100 = 60, tp + fp = 60 / 0.8 = 75,
 * so fpr = 15 / 400 = 0.0375, and no mean scores. */
static const char *const unit_cv[] = {
    "{\"folds\": 5, \"precision\": 0.9, \"recall\": 0.8, \"positives\": 100, \"negatives\": 100,"
    " \"tpr\": 0.8, \"fpr\": 0.1, \"score_pos\": 0.7, \"score_neg\": 0.2}",
    "{\"folds\": 5, \"precision\": 0.8, \"recall\": 0.6, \"positives\": 100, \"negatives\": 400}",
    "{\"folds\": 5, \"accuracy\": 0.85, \"first\": 50, \"second\": 50,"
    " \"tpr\": 0.9, \"fpr\": 0.2, \"score_pos\": 0.8, \"score_neg\": 0.3}",
    "{\"folds\": 5, \"accuracy\": 0.75, \"applies\": 100, \"none\": 100,"
    " \"tpr\": 0.75, \"fpr\": 0.25, \"score_pos\": 0.7, \"score_neg\": 0.3}",
};

/* A model with the codebook above whose units carry unit_cv and no classifier (prevalence
 * needs only the rates). */
static stance_model *test_model(void)
{
    json_t *json = json_loads(codebook_json, 0, NULL);
    ck_assert_ptr_nonnull(json);
    stance_codebook *cb;
    stance_model *m;
    stance_error err;
    ck_assert_int_eq(stance_codebook_from_json(json, "cb", &cb, &err), STANCE_OK);
    json_decref(json);
    ck_assert_int_eq(stance_model_new_for(cb, &m, &err), STANCE_OK);
    ck_assert_uint_eq(stance_model_get_unit_count(m), 4);
    for (size_t i = 0; i < 4; i++) {
        stance_unit u;
        stance_unit_init(&u, m, i);
        u.trained = 1;
        u.cv = json_loads(unit_cv[i], 0, NULL);
        ck_assert_ptr_nonnull(u.cv);
        stance_model_set_unit(m, i, &u);
    }
    return m;
}

/* Four passages of three articles (A1: p1, p2; A2: p3; A3: p4):
 *          topics a  score a | tone  applies  score pos (neg = 1 - pos)
 *   p1     yes       0.9     | pos   0.8      0.9
 *   p2     no        0.3     | neg   0.6      0.4
 *   p3     yes       0.6     | null  0.2      0.5
 *   p4     no        0.2     | pos   0.8      0.7
 * b is assigned to none, with score 0.1 each. "src": x on p1 (carried to p2), y on p3. */
static const char *const records[] = {
    "{\"id\": \"A1\", \"doc\": \"A1\", \"passage\": 1, \"kind\": \"headline\", \"src\": \"x\","
    " \"topics\": [{\"label\": \"a\", \"score\": 0.9}], \"tone\": {\"label\": \"pos\", \"score\": 0.9},"
    " \"scores\": {\"topics\": {\"a\": 0.9, \"b\": 0.1}, \"tone\": {\"pos\": 0.9, \"neg\": 0.1}},"
    " \"applies\": {\"tone\": 0.8}}",
    "{\"id\": \"A1\", \"doc\": \"A1\", \"passage\": 2, \"kind\": \"body\","
    " \"topics\": [], \"tone\": {\"label\": \"neg\", \"score\": 0.6},"
    " \"scores\": {\"topics\": {\"a\": 0.3, \"b\": 0.1}, \"tone\": {\"pos\": 0.4, \"neg\": 0.6}},"
    " \"applies\": {\"tone\": 0.6}}",
    "{\"id\": \"A1\", \"doc\": \"A1\", \"passage\": 3, \"kind\": \"meta\"}",
    "{\"id\": 2, \"doc\": \"A2\", \"passage\": 1, \"kind\": \"body\", \"src\": \"y\","
    " \"topics\": [{\"label\": \"a\", \"score\": 0.6}], \"tone\": null,"
    " \"scores\": {\"topics\": {\"a\": 0.6, \"b\": 0.1}, \"tone\": {\"pos\": 0.5, \"neg\": 0.5}},"
    " \"applies\": {\"tone\": 0.2}}",
    "{\"doc\": \"A3\", \"passage\": 1, \"kind\": \"body\","
    " \"topics\": [], \"tone\": {\"label\": \"pos\", \"score\": 0.7},"
    " \"scores\": {\"topics\": {\"a\": 0.2, \"b\": 0.1}, \"tone\": {\"pos\": 0.7, \"neg\": 0.3}},"
    " \"applies\": {\"tone\": 0.8}}",
};
#define NRECORDS (sizeof records / sizeof records[0])

/* The report of records (all of them, or with their "scores" and "applies" removed). */
static json_t *report(const stance_model *m, int articles, const char *by, long bootstrap,
                      int drop_scores)
{
    stance_prevalence_options opt;
    stance_prevalence_options_default(&opt);
    opt.articles = articles, opt.by = by, opt.bootstrap = bootstrap;
    stance_prevalence *p;
    stance_error err;
    ck_assert_int_eq(stance_prevalence_new(m, &opt, &p, &err), STANCE_OK);
    for (size_t i = 0; i < NRECORDS; i++) {
        json_t *rec = json_loads(records[i], 0, NULL);
        ck_assert_ptr_nonnull(rec);
        if (drop_scores) {
            json_object_del(rec, "scores");
            json_object_del(rec, "applies");
        }
        ck_assert_int_eq(stance_prevalence_add(p, rec, "t", (long)i + 1, &err), STANCE_OK);
        json_decref(rec);
    }
    ck_assert_int_eq(stance_prevalence_run(p, "t", &err), STANCE_OK);
    ck_assert_int_eq(stance_prevalence_get_scores(p), !drop_scores);
    json_t *json = stance_prevalence_to_json(p);
    ck_assert_ptr_nonnull(json);
    stance_prevalence_free(p);
    return json;
}

/* The estimate of method for dim.value in group g, NaN for null. */
static double est(const json_t *json, size_t g, const char *dim, const char *value,
                  const char *method)
{
    const json_t *grp = json_array_get(json_object_get(json, "groups"), g);
    const json_t *l = json_object_get(json_object_get(json_object_get(grp, "labels"), dim), value);
    ck_assert_ptr_nonnull(l);
    const json_t *e = json_object_get(l, method);
    ck_assert_ptr_nonnull(e);
    return json_is_null(e) ? NAN : json_real_value(json_object_get(e, "estimate"));
}

static const char *preferred(const json_t *json, size_t g, const char *dim, const char *value)
{
    const json_t *grp = json_array_get(json_object_get(json, "groups"), g);
    const json_t *l = json_object_get(json_object_get(json_object_get(grp, "labels"), dim), value);
    return json_string_value(json_object_get(l, "preferred"));
}

#define ck_near(x, y) ck_assert_double_eq_tol((x), (y), 1e-4)

START_TEST(test_adjust)
{
    ck_near(stance_prevalence_adjust(0.3, 0.9, 0.1), 0.25);   /* (0.3 - 0.1) / 0.8 */
    ck_near(stance_prevalence_adjust(0.05, 0.9, 0.1), 0);     /* below fpr: clipped */
    ck_near(stance_prevalence_adjust(0.95, 0.9, 0.1), 1);     /* 1.0625 clipped */
    ck_assert(isnan(stance_prevalence_adjust(0.5, 0.3, 0.3))); /* no denominator */
    ck_assert(isnan(stance_prevalence_adjust(0.5, 0.2, 0.3)));
}
END_TEST

START_TEST(test_quantile)
{
    const double x[] = {1, 2, 3, 4, 5};
    ck_near(stance_prevalence_quantile(x, 5, 0.25), 2);   /* at 0.25 * 4 = 1 */
    ck_near(stance_prevalence_quantile(x, 5, 0.1), 1.4);  /* at 0.4: 1 + 0.4 * (2 - 1) */
    ck_near(stance_prevalence_quantile(x, 5, 1), 5);
    ck_near(stance_prevalence_quantile(x, 1, 0.975), 1);
    ck_assert(isnan(stance_prevalence_quantile(x, 0, 0.5)));
}
END_TEST

START_TEST(test_unit_rates)
{
    stance_model *m = test_model();
    stance_unit_rates r;
    stance_model_get_unit_rates(m, 0, &r);
    ck_assert(r.rates && r.scores && !r.derived);
    ck_near(r.tpr, 0.8);
    ck_near(r.fpr, 0.1);
    ck_near(r.score_pos, 0.7);
    ck_near(r.score_neg, 0.2);
    stance_model_get_unit_rates(m, 1, &r);
    ck_assert(r.rates && r.derived && !r.scores);
    ck_near(r.tpr, 0.6);
    ck_near(r.fpr, 0.0375);
    ck_near(r.negatives, 400);
    stance_model_get_unit_rates(m, 3, &r); /* counts from "applies"/"none" */
    ck_assert(r.rates && r.scores);
    ck_near(r.positives, 100);
    stance_model_free(m);
}
END_TEST

/* Passages: n = 4 (the meta passage is not counted).
 * a:   cc = 2/4 = 0.5; acc = (0.5 - 0.1) / (0.8 - 0.1) = 0.5714;
 *      pcc = (0.9 + 0.3 + 0.6 + 0.2) / 4 = 0.5; pacc = (0.5 - 0.2) / (0.7 - 0.2) = 0.6.
 * b:   cc = 0, acc = clip((0 - 0.0375) / 0.5625) = 0 (derived rates); pcc = 0.1; no pacc.
 * tone pos: cc = 2/4 = 0.5. acc: a tone applies on 3 of 4, (0.75 - 0.25) / 0.5 = 1, times pos
 *      among those, 2/3, (0.6667 - 0.2) / (0.9 - 0.2) = 0.6667: 0.6667.
 *      pcc = (0.8*0.9 + 0.6*0.4 + 0.2*0.5 + 0.8*0.7) / 4 = 1.62 / 4 = 0.405. pacc: applies
 *      2.4 / 4 = 0.6, (0.6 - 0.3) / 0.4 = 0.75, times (1.62 / 2.4 - 0.3) / (0.8 - 0.3) = 0.75:
 *      0.5625.
 * tone neg (rates turned round: tpr 0.8, fpr 0.1, s+ 0.7, s- 0.2): cc = 0.25; acc = 1 *
 *      (1/3 - 0.1) / 0.7 = 0.3333; pcc = (0.08 + 0.36 + 0.1 + 0.24) / 4 = 0.195; pacc = 0.75 *
 *      (0.78 / 2.4 - 0.2) / 0.5 = 0.75 * 0.25 = 0.1875. */
START_TEST(test_passages)
{
    stance_model *m = test_model();
    json_t *json = report(m, 0, NULL, 0, 0);
    ck_assert_int_eq(json_integer_value(json_object_get(json, "n")), 4);
    ck_assert_str_eq(json_string_value(json_object_get(json, "unit")), "passage");
    ck_assert(json_is_null(json_object_get(json_array_get(json_object_get(json, "groups"), 0), "group")));
    static const struct {
        const char *dim, *value;
        double e[4];
        const char *preferred;
    } want[] = {
        {"topics", "a", {0.5, 0.5, 0.5714, 0.6}, "pacc"},
        {"topics", "b", {0, 0.1, 0, NAN}, "acc"},
        {"tone", "pos", {0.5, 0.405, 0.6667, 0.5625}, "pacc"},
        {"tone", "neg", {0.25, 0.195, 0.3333, 0.1875}, "pacc"},
    };
    static const char *const methods[] = {"cc", "pcc", "acc", "pacc"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        for (int k = 0; k < 4; k++) {
            double e = est(json, 0, want[i].dim, want[i].value, methods[k]);
            if (isnan(want[i].e[k]))
                ck_assert(isnan(e));
            else
                ck_near(e, want[i].e[k]);
        }
        ck_assert_str_eq(preferred(json, 0, want[i].dim, want[i].value), want[i].preferred);
    }
    /* without resampling there are no intervals */
    const json_t *cc = json_object_get(json_object_get(json_object_get(json_object_get(
        json_array_get(json_object_get(json, "groups"), 0), "labels"), "topics"), "a"), "cc");
    ck_assert(json_is_null(json_object_get(cc, "ci")));
    json_decref(json);
    stance_model_free(m);
}
END_TEST

/* Without scores: pcc and pacc are null, acc is preferred where it has rates. */
START_TEST(test_no_scores)
{
    stance_model *m = test_model();
    json_t *json = report(m, 0, NULL, 0, 1);
    ck_near(est(json, 0, "topics", "a", "cc"), 0.5);
    ck_assert(isnan(est(json, 0, "topics", "a", "pcc")));
    ck_assert(isnan(est(json, 0, "topics", "a", "pacc")));
    ck_near(est(json, 0, "tone", "pos", "acc"), 0.6667);
    ck_assert_str_eq(preferred(json, 0, "topics", "a"), "acc");
    json_decref(json);
    stance_model_free(m);
}
END_TEST

/* Articles A1 (p1, p2), A2 (p3), A3 (p4): a on A1 and A2: cc = 2/3; pcc from each article's
 * likeliest passage: (0.9 + 0.6 + 0.2) / 3 = 0.5667. tone pos on A1 and A3: cc = 2/3; pcc:
 * (max(0.72, 0.24) + 0.1 + 0.56) / 3 = 0.46. No acc or pacc for articles; pcc preferred. */
START_TEST(test_articles)
{
    stance_model *m = test_model();
    json_t *json = report(m, 1, NULL, 0, 0);
    ck_assert_int_eq(json_integer_value(json_object_get(json, "n")), 3);
    ck_assert_str_eq(json_string_value(json_object_get(json, "unit")), "article");
    ck_near(est(json, 0, "topics", "a", "cc"), 0.6667);
    ck_near(est(json, 0, "topics", "a", "pcc"), 0.5667);
    ck_near(est(json, 0, "tone", "pos", "cc"), 0.6667);
    ck_near(est(json, 0, "tone", "pos", "pcc"), 0.46);
    ck_assert(isnan(est(json, 0, "topics", "a", "acc")));
    ck_assert(isnan(est(json, 0, "tone", "pos", "pacc")));
    ck_assert_str_eq(preferred(json, 0, "topics", "a"), "pcc");
    json_decref(json);
    stance_model_free(m);
}
END_TEST

/* --by src: p1 names x and p2 takes it from A1's first record; p3 names y; p4 has none (its
 * article's first record has none either): groups x (p1, p2), y (p3), null (p4), in order.
 * a in x: 1/2; in y: 1; in null: 0. */
START_TEST(test_groups)
{
    stance_model *m = test_model();
    json_t *json = report(m, 0, "src", 0, 0);
    const json_t *groups = json_object_get(json, "groups");
    ck_assert_uint_eq(json_array_size(groups), 3);
    ck_assert_str_eq(json_string_value(json_object_get(json, "by")), "src");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(groups, 0), "group")), "x");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(groups, 1), "group")), "y");
    ck_assert(json_is_null(json_object_get(json_array_get(groups, 2), "group")));
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(groups, 0), "n")), 2);
    ck_near(est(json, 0, "topics", "a", "cc"), 0.5);
    ck_near(est(json, 1, "topics", "a", "cc"), 1);
    ck_near(est(json, 2, "topics", "a", "cc"), 0);
    json_decref(json);
    stance_model_free(m);
}
END_TEST

/* The same seed gives the same intervals; each holds its estimate here and lies in 0..1. */
START_TEST(test_bootstrap)
{
    stance_model *m = test_model();
    json_t *a = report(m, 0, NULL, 300, 0), *b = report(m, 0, NULL, 300, 0);
    ck_assert(json_equal(a, b));
    static const char *const methods[] = {"cc", "pcc", "acc", "pacc"};
    const json_t *l = json_object_get(json_object_get(json_object_get(json_array_get(
        json_object_get(a, "groups"), 0), "labels"), "topics"), "a");
    for (int k = 0; k < 4; k++) {
        const json_t *e = json_object_get(l, methods[k]);
        double lo = json_real_value(json_array_get(json_object_get(e, "ci"), 0));
        double hi = json_real_value(json_array_get(json_object_get(e, "ci"), 1));
        double x = json_real_value(json_object_get(e, "estimate"));
        ck_assert(0 <= lo && lo <= x && x <= hi && hi <= 1);
        ck_assert(hi > lo); /* 3 articles that differ, rates with sampling error */
    }
    json_decref(a);
    json_decref(b);
    stance_model_free(m);
}
END_TEST

/* Records refused, each with the start of its message. */
static const struct {
    const char *record, *by, *message;
} bad[] = {
    {"[1]", NULL, "the record is not a JSON object"},
    {"{\"passage\": 1, \"topics\": [], \"tone\": null}", NULL, "the record has neither"},
    {"{\"id\": [1], \"topics\": [], \"tone\": null}", NULL, "\"id\" is neither"},
    {"{\"doc\": \"d\", \"topics\": []}", NULL, "the record has no \"tone\" field"},
    {"{\"doc\": \"d\", \"topics\": [\"zz\"], \"tone\": null}", NULL, "topics"},
    {"{\"doc\": \"d\", \"topics\": null, \"tone\": null}", NULL, "\"topics\" is null"},
    {"{\"doc\": \"d\", \"topics\": [], \"tone\": null, \"src\": true}", "src", "\"src\" is neither"},
    {"{\"doc\": \"d\", \"topics\": [], \"tone\": null, \"scores\": 3}", NULL, "\"scores\" is not an object"},
    {"{\"doc\": \"d\", \"topics\": [], \"tone\": null, \"scores\": {\"topics\": {\"a\": 0.1, \"b\": 0.1}}}",
     NULL, "\"scores\" of \"tone\" is missing"},
    {"{\"doc\": \"d\", \"topics\": [], \"tone\": null, \"scores\": {\"topics\": {\"a\": 0.1}, "
     "\"tone\": {\"pos\": 0.5, \"neg\": 0.5}}, \"applies\": {\"tone\": 0.1}}", NULL,
     "\"scores\" of \"topics\" has no \"b\""},
    {"{\"doc\": \"d\", \"topics\": [], \"tone\": null, \"scores\": {\"topics\": {\"a\": 0.1, \"b\": 1.5}, "
     "\"tone\": {\"pos\": 0.5, \"neg\": 0.5}}, \"applies\": {\"tone\": 0.1}}", NULL,
     "\"scores\" of \"topics\" \"b\" is not a number from 0 to 1"},
    {"{\"doc\": \"d\", \"topics\": [], \"tone\": null, \"scores\": {\"topics\": {\"a\": 0.1, \"b\": 0.1, "
     "\"c\": 0.1}, \"tone\": {\"pos\": 0.5, \"neg\": 0.5}}, \"applies\": {\"tone\": 0.1}}", NULL,
     "\"scores\" of \"topics\": \"c\" is not a value"},
    {"{\"doc\": \"d\", \"topics\": [], \"tone\": null, \"scores\": {\"topics\": {\"a\": 0.1, \"b\": 0.1}, "
     "\"tone\": {\"pos\": 0.5, \"neg\": 0.5}, \"mood\": {}}, \"applies\": {\"tone\": 0.1}}", NULL,
     "\"scores\" has \"mood\""},
    {"{\"doc\": \"d\", \"topics\": [], \"tone\": null, \"scores\": {\"topics\": {\"a\": 0.1, \"b\": 0.1}, "
     "\"tone\": {\"pos\": 0.5, \"neg\": 0.5}}}", NULL, "\"applies\" is missing"},
};

START_TEST(test_bad_record)
{
    stance_model *m = test_model();
    stance_prevalence_options opt;
    stance_prevalence_options_default(&opt);
    opt.by = bad[_i].by;
    stance_prevalence *p;
    stance_error err;
    ck_assert_int_eq(stance_prevalence_new(m, &opt, &p, &err), STANCE_OK);
    json_t *rec = json_loads(bad[_i].record, JSON_DECODE_ANY, NULL);
    ck_assert_ptr_nonnull(rec);
    ck_assert_int_eq(stance_prevalence_add(p, rec, "f", 7, &err), STANCE_ERR_DATA);
    ck_assert_str_eq(err.where, "f");
    ck_assert_int_eq(err.line, 7);
    ck_assert_msg(strstr(err.message, bad[_i].message), "%s", err.message);
    json_decref(rec);
    stance_prevalence_free(p);
    stance_model_free(m);
}
END_TEST

/* Scores on the first record and not on the second, no records at all, a negative count. */
START_TEST(test_bad_collection)
{
    stance_model *m = test_model();
    stance_prevalence_options opt;
    stance_prevalence_options_default(&opt);
    stance_prevalence *p;
    stance_error err;
    ck_assert_int_eq(stance_prevalence_new(m, &opt, &p, &err), STANCE_OK);
    json_t *with = json_loads(records[0], 0, NULL), *without = json_loads(records[0], 0, NULL);
    json_object_del(without, "scores");
    ck_assert_int_eq(stance_prevalence_add(p, with, "f", 1, &err), STANCE_OK);
    ck_assert_int_eq(stance_prevalence_add(p, without, "f", 2, &err), STANCE_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "first one (f:1) has them"));
    json_decref(with);
    json_decref(without);
    stance_prevalence_free(p);

    ck_assert_int_eq(stance_prevalence_new(m, &opt, &p, &err), STANCE_OK);
    ck_assert_int_eq(stance_prevalence_run(p, "empty", &err), STANCE_ERR_DATA);
    ck_assert_str_eq(err.where, "empty");
    stance_prevalence_free(p);

    opt.bootstrap = -1;
    ck_assert_int_eq(stance_prevalence_new(m, &opt, &p, &err), STANCE_ERR_USAGE);
    ck_assert_ptr_null(p);
    stance_model_free(m);
}
END_TEST

Suite *prevalence_suite(void)
{
    Suite *s = suite_create("prevalence");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_adjust);
    tcase_add_test(tc, test_quantile);
    tcase_add_test(tc, test_unit_rates);
    tcase_add_test(tc, test_passages);
    tcase_add_test(tc, test_no_scores);
    tcase_add_test(tc, test_articles);
    tcase_add_test(tc, test_groups);
    tcase_add_test(tc, test_bootstrap);
    tcase_add_loop_test(tc, test_bad_record, 0, sizeof bad / sizeof bad[0]);
    tcase_add_test(tc, test_bad_collection);
    suite_add_tcase(s, tc);
    return s;
}
