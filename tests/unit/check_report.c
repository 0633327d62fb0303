/* check_report.c: the report's statistics (Wilson intervals, shares, reliability bins), the
 * codebook it reads off records, its text escaping, and the errors records are refused with. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../pipeline/report_int.h"
#include "suites.h"

/* Published Wilson 95% intervals (z = 1.96) of k successes in n. */
START_TEST(test_wilson)
{
    static const struct {
        size_t k, n;
        double lo, hi;
    } cases[] = {
        {0, 10, 0.0, 0.2775}, {5, 10, 0.2366, 0.7634}, {10, 10, 0.7225, 1.0},
        {1, 2, 0.0945, 0.9055}, {50, 100, 0.4038, 0.5962},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double lo, hi;
        stance_report_wilson(cases[i].k, cases[i].n, STANCE_REPORT_Z95, &lo, &hi);
        ck_assert_double_eq_tol(lo, cases[i].lo, 5e-5);
        ck_assert_double_eq_tol(hi, cases[i].hi, 5e-5);
    }
    double lo, hi;
    stance_report_wilson(0, 0, STANCE_REPORT_Z95, &lo, &hi);
    ck_assert(isnan(lo) && isnan(hi));
}
END_TEST

/* A report of the lines of text (tagged records), with gold lines if any; finished. */
static stance_report *make_report(const char *tagged, const char *gold, stance_status want,
                                  stance_error *err)
{
    stance_report *r;
    ck_assert_int_eq(stance_report_new("t", &r, err), STANCE_OK);
    const char *sets[2] = {tagged, gold};
    stance_status st = STANCE_OK;
    for (int s = 0; s < 2 && st == STANCE_OK && sets[s]; s++) {
        char *copy = strdup(sets[s]);
        ck_assert_ptr_nonnull(copy);
        long line = 0;
        for (char *save, *l = strtok_r(copy, "\n", &save); l && st == STANCE_OK;
             l = strtok_r(NULL, "\n", &save)) {
            json_t *rec = json_loads(l, 0, NULL);
            ck_assert_ptr_nonnull(rec);
            st = s ? stance_report_add_gold(r, rec, "gold", ++line, err)
                   : stance_report_add_tagged(r, rec, "tagged", ++line, err);
            json_decref(rec);
        }
        free(copy);
    }
    if (st == STANCE_OK)
        st = stance_report_finish(r, err);
    ck_assert_int_eq(st, want);
    return r;
}

/* Shares of labeled records: the meta record (no label fields) is not counted; a null tone is
 * "none" of an optional dimension read off the records. */
START_TEST(test_shares)
{
    stance_error err;
    stance_report *r = make_report(
        "{\"doc\":\"a\",\"passage\":1,\"topics\":[{\"label\":\"x\",\"score\":0.9}],\"tone\":{\"label\":\"calm\",\"score\":0.8}}\n"
        "{\"doc\":\"a\",\"passage\":2,\"kind\":\"meta\"}\n"
        "{\"doc\":\"b\",\"passage\":1,\"topics\":[{\"label\":\"y\",\"score\":0.7},{\"label\":\"x\",\"score\":0.6}],\"tone\":null}\n"
        "{\"doc\":\"b\",\"passage\":2,\"topics\":[],\"tone\":{\"label\":\"tense\",\"score\":0.9}}\n",
        NULL, STANCE_OK, &err);
    ck_assert_uint_eq(stance_report_get_record_count(r), 4);
    ck_assert_uint_eq(stance_report_get_article_count(r), 2);
    const stance_codebook *cb = stance_report_get_codebook(r);
    ck_assert_uint_eq(stance_codebook_get_dimension_count(cb), 2);
    const stance_dimension *topics = stance_codebook_get_dimension(cb, 0);
    const stance_dimension *tone = stance_codebook_get_dimension(cb, 1);
    ck_assert_str_eq(topics->name, "topics");
    ck_assert_int_eq(topics->kind, STANCE_DIM_MULTI);
    ck_assert_str_eq(topics->labels[0], "x"); /* order of first appearance */
    ck_assert_str_eq(topics->labels[1], "y");
    ck_assert_int_eq(tone->kind, STANCE_DIM_SINGLE);
    ck_assert(tone->optional);
    size_t k, n;
    stance_report_get_share(r, 0, topics->offset, &k, &n);
    ck_assert_uint_eq(k, 2);
    ck_assert_uint_eq(n, 3);
    stance_report_get_share(r, 0, topics->offset + 1, &k, &n);
    ck_assert_uint_eq(k, 1);
    stance_report_get_share(r, 1, SIZE_MAX, &k, &n); /* no tone */
    ck_assert_uint_eq(k, 1);
    ck_assert_uint_eq(n, 3);
    stance_report_free(r);
}
END_TEST

/* Reliability bins: every value's "scores" entry against gold on a multi dimension; on a single
 * one only records gold gives a value; "applies" against gold giving any value. */
START_TEST(test_reliability)
{
    stance_error err;
    stance_report *r = make_report(
        "{\"doc\":\"a\",\"start\":0,\"topics\":[{\"label\":\"x\",\"score\":0.95}],\"tone\":{\"label\":\"calm\",\"score\":0.85},"
        "\"scores\":{\"topics\":{\"x\":0.95,\"y\":0.15},\"tone\":{\"calm\":0.85,\"tense\":0.15}},\"applies\":{\"tone\":0.75}}\n"
        "{\"doc\":\"a\",\"start\":10,\"topics\":[{\"label\":\"x\",\"score\":0.91}],\"tone\":null,"
        "\"scores\":{\"topics\":{\"x\":0.91,\"y\":0.12},\"tone\":{\"calm\":0.4,\"tense\":0.6}},\"applies\":{\"tone\":0.35}}\n"
        "{\"doc\":\"a\",\"start\":20,\"topics\":[],\"tone\":null}\n",
        "{\"doc\":\"a\",\"start\":0,\"topics\":[\"x\",\"y\"],\"tone\":\"calm\"}\n"
        "{\"doc\":\"a\",\"start\":10,\"topics\":[],\"tone\":[]}\n",
        STANCE_OK, &err);
    ck_assert_uint_eq(stance_report_get_matched(r), 2);
    stance_report_bin bins[STANCE_REPORT_BINS];
    stance_report_get_reliability(r, 0, 0, bins); /* topics: 0.95/yes 0.15/yes 0.91/no 0.12/no */
    ck_assert_uint_eq(bins[9].n, 2);
    ck_assert_double_eq_tol(bins[9].score, 0.93, 1e-9);
    ck_assert_double_eq_tol(bins[9].observed, 0.5, 1e-9);
    ck_assert_uint_eq(bins[1].n, 2);
    ck_assert_double_eq_tol(bins[1].observed, 0.5, 1e-9);
    ck_assert_uint_eq(bins[5].n, 0);
    ck_assert(isnan(bins[5].score));
    stance_report_get_reliability(r, 1, 0, bins); /* tone: record 1 only (gold none on 2) */
    ck_assert_uint_eq(bins[8].n + bins[1].n, 2);
    ck_assert_double_eq_tol(bins[8].observed, 1.0, 1e-9);
    ck_assert_double_eq_tol(bins[1].observed, 0.0, 1e-9);
    ck_assert_uint_eq(bins[6].n, 0);
    stance_report_get_reliability(r, 1, 1, bins); /* applies: 0.75/yes, 0.35/no */
    ck_assert_uint_eq(bins[7].n, 1);
    ck_assert_double_eq_tol(bins[7].observed, 1.0, 1e-9);
    ck_assert_uint_eq(bins[3].n, 1);
    ck_assert_double_eq_tol(bins[3].observed, 0.0, 1e-9);
    stance_report_free(r);
}
END_TEST

/* Without "scores", the assigned labels' scores only. */
START_TEST(test_reliability_assigned)
{
    stance_error err;
    stance_report *r = make_report(
        "{\"doc\":\"a\",\"start\":0,\"topics\":[{\"label\":\"x\",\"score\":0.55}],\"tone\":{\"label\":\"calm\",\"score\":0.65}}\n"
        "{\"doc\":\"a\",\"start\":5,\"topics\":[{\"label\":\"y\",\"score\":1.0}],\"tone\":{\"label\":\"tense\",\"score\":0.6}}\n",
        "{\"doc\":\"a\",\"start\":0,\"topics\":[],\"tone\":\"calm\"}\n"
        "{\"doc\":\"a\",\"start\":5,\"topics\":[\"y\"],\"tone\":\"calm\"}\n",
        STANCE_OK, &err);
    stance_report_bin bins[STANCE_REPORT_BINS];
    stance_report_get_reliability(r, 0, 0, bins);
    ck_assert_uint_eq(bins[5].n, 1);
    ck_assert_double_eq_tol(bins[5].observed, 0.0, 1e-9);
    ck_assert_uint_eq(bins[9].n, 1); /* a score of 1 falls in the last bin */
    ck_assert_double_eq_tol(bins[9].observed, 1.0, 1e-9);
    size_t total = 0;
    for (size_t b = 0; b < STANCE_REPORT_BINS; b++)
        total += bins[b].n;
    ck_assert_uint_eq(total, 2);
    stance_report_free(r);
}
END_TEST

/* Text from records is escaped, and bytes that are not UTF-8 and control characters become
 * U+FFFD: no markup from the input reaches the page. */
START_TEST(test_escaping)
{
    stance_error err;
    stance_report *r = make_report(
        "{\"doc\":\"<b>d\",\"passage\":1,\"start\":0,\"end\":38,"
        "\"text\":\"<script>alert('x')</script> & \\\"q\\\"\\u0007!\","
        "\"topics\":[{\"label\":\"x\",\"score\":0.9}],\"tone\":{\"label\":\"a<i>\",\"score\":0.8}}\n"
        "{\"doc\":\"e\",\"topics\":[],\"tone\":{\"label\":\"b\",\"score\":0.8}}\n",
        NULL, STANCE_OK, &err);
    char *page = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&page, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(stance_report_write(r, f, "mem", &err), STANCE_OK);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(page, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                                       "&quot;q&quot;\xef\xbf\xbd!"));
    ck_assert_ptr_nonnull(strstr(page, "&lt;b&gt;d"));
    ck_assert_ptr_nonnull(strstr(page, "a&lt;i&gt;"));
    ck_assert_ptr_null(strstr(page, "<script"));
    ck_assert_ptr_null(strstr(page, "<b>d"));
    ck_assert_ptr_null(strstr(page, "a<i>"));
    ck_assert_ptr_null(strstr(page, "://")); /* no URL of any scheme */
    ck_assert_ptr_nonnull(strstr(page, "Content-Security-Policy\" content=\"default-src 'none'"));
    free(page);
    stance_report_free(r);
}
END_TEST

/* Records refused, and where. */
START_TEST(test_errors)
{
    static const struct {
        const char *tagged, *gold;
        long line;
        const char *message;
    } cases[] = {
        {"{\"passage\":1}", NULL, 1, "no \"doc\""},
        {"{\"doc\":\"a\",\"start\":-1}", NULL, 1, "\"start\" is not a non-negative integer"},
        {"{\"doc\":\"a\",\"start\":5,\"end\":4}", NULL, 1, "\"end\" 4 is before \"start\" 5"},
        {"{\"doc\":\"a\",\"kind\":3}", NULL, 1, "\"kind\" is not a string"},
        {"{\"doc\":\"a\",\"scores\":[]}", NULL, 1, "\"scores\" is not an object"},
        {"{\"doc\":\"a\",\"applies\":{\"tone\":2}}", NULL, 1, "\"applies\".\"tone\" is not a number"},
        {"{\"doc\":\"a\",\"explain\":{\"t\":{\"x\":{\"decision\":1}}}}", NULL, 1, "is not {\"decision\""},
        {"{\"doc\":\"a\",\"explain\":{\"t\":{\"x\":{\"decision\":1,\"bias\":0,\"rest\":0,\"terms\":"
         "[{\"term\":\"w\",\"contribution\":1,\"spans\":[[3,2]]}]}}}}", NULL, 1, "a span is not"},
        {"{\"doc\":\"a\",\"t\":[{\"label\":\"x\"}]}\n{\"doc\":\"a\",\"t\":{\"label\":\"x\"}}", NULL, 2,
         "\"t\" holds one label here and an array of labels on line 1"},
        {"{\"doc\":\"a\",\"t\":[{\"label\":\"x\",\"score\":3}]}", NULL, 1, "a label is not"},
        {"{\"doc\":\"a\"}", NULL, 0, "cannot tell the codebook"},
        {"{\"doc\":\"a\",\"start\":0,\"t\":[{\"label\":\"x\"}]}",
         "{\"doc\":\"b\",\"start\":0,\"t\":[\"x\"]}", 1, "no prediction matches"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        stance_error err;
        stance_report *r = make_report(cases[i].tagged, cases[i].gold, STANCE_ERR_DATA, &err);
        ck_assert_int_eq(err.status, STANCE_ERR_DATA);
        ck_assert_int_eq(err.line, cases[i].line);
        ck_assert_msg(strstr(err.message, cases[i].message), "case %zu: %s", i, err.message);
        stance_report_free(r);
    }
}
END_TEST

Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_wilson);
    tcase_add_test(tc, test_shares);
    tcase_add_test(tc, test_reliability);
    tcase_add_test(tc, test_reliability_assigned);
    tcase_add_test(tc, test_escaping);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(s, tc);
    return s;
}
