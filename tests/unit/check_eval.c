/* check_eval.c: evaluation arithmetic on a hand-computed table, record matching, and the
 * errors gold and predicted records are rejected with. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../pipeline/codebook_int.h"
#include "../../pipeline/eval_int.h"
#include "stance/codebook.h"
#include "stance/eval.h"
#include "suites.h"

/* topics: multi x, y, z (slots 0-2); tone: single calm, tense, hostile (slots 3-5). */
static const char codebook_json[] =
    "{\"dimensions\": ["
    "{\"name\": \"topics\", \"kind\": \"multi\", \"values\": ["
    "{\"label\": \"x\"}, {\"label\": \"y\"}, {\"label\": \"z\"}]},"
    "{\"name\": \"tone\", \"kind\": \"single\", \"values\": ["
    "{\"label\": \"calm\"}, {\"label\": \"tense\"}, {\"label\": \"hostile\"}]}]}";

static stance_codebook *test_codebook(void)
{
    json_t *json = json_loads(codebook_json, 0, NULL);
    ck_assert_ptr_nonnull(json);
    stance_codebook *cb;
    stance_error err;
    ck_assert_int_eq(stance_codebook_from_json(json, "cb", &cb, &err), STANCE_OK);
    json_decref(json);
    return cb;
}

/* Targets from one character per slot: Y(es), N(o), -(unlabeled). */
static void targets(const char *s, signed char *t)
{
    for (size_t i = 0; s[i]; i++)
        t[i] = s[i] == 'Y' ? STANCE_TARGET_YES : s[i] == 'N' ? STANCE_TARGET_NO
                                                            : STANCE_TARGET_UNLABELED;
}

/* Matched pairs, gold then predicted, slots "xyz" + "calm tense hostile":
 *   1  topics {x}   / {x}      tone calm    / calm
 *   2  topics {x,y} / {x}      tone calm    / tense
 *   3  topics {}    / {y}      tone tense   / tense
 *   4  topics {y}   / {y,z}    tone hostile / calm
 *   5  topics  -    / {x}      tone tense   / tense    (topics unlabeled in gold: skipped)
 *   6  topics {z}   /  -       tone  -      / calm     (topics missing in pred; tone skipped)
 *   7  topics {x}   / {}       tone tense   /  -       (tone missing in pred)
 * topics over records 1,2,3,4,7 (5 records, 1 missing):
 *   x: tp 2 (1,2) fp 0 fn 1 (7)  P 1    R 2/3  F1 2*2/(4+0+1) = 0.8   support 3
 *   y: tp 1 (4)   fp 1 (3) fn 1 (2)  P 1/2 R 1/2 F1 2/(2+1+1) = 0.5   support 2
 *   z: tp 0 fp 1 (4) fn 0        P 0    R undefined  F1 0/(0+1+0) = 0  support 0
 *   micro: tp 3 fp 2 fn 2: P 3/5 R 3/5 F1 6/10 = 0.6
 *   macro: P (1 + 1/2 + 0)/3 = 0.5, R (2/3 + 1/2)/2 = 7/12, F1 (0.8 + 0.5 + 0)/3 = 1.3/3
 * tone over records 1-5 (5 records, 1 missing); confusion, rows gold, columns predicted:
 *             calm tense hostile
 *   calm        1    1     0
 *   tense       0    2     0
 *   hostile     1    0     0
 *   calm:    tp 1 fp 1 fn 1  P 1/2  R 1/2  F1 2/4 = 0.5   support 2
 *   tense:   tp 2 fp 1 fn 0  P 2/3  R 1    F1 4/5 = 0.8   support 2
 *   hostile: tp 0 fp 0 fn 1  P undefined  R 0  F1 0       support 1
 *   accuracy 3/5; macro P (1/2 + 2/3)/2 = 7/12, R (1/2 + 1 + 0)/3 = 0.5, F1 1.3/3 */
static const char *const pairs[][2] = {
    {"YNN" "YNN", "YNN" "YNN"}, {"YYN" "YNN", "YNN" "NYN"}, {"NNN" "NYN", "NYN" "NYN"},
    {"NYN" "NNY", "NYY" "YNN"}, {"---" "NYN", "YNN" "NYN"}, {"NNY" "---", "---" "YNN"},
    {"YNN" "NYN", "NNN" "---"},
};

static const struct {
    size_t slot, tp, fp, fn, support;
    double precision, recall, f1; /* NAN: undefined */
} expected_values[] = {
    {0, 2, 0, 1, 3, 1.0, 2.0 / 3, 0.8}, {1, 1, 1, 1, 2, 0.5, 0.5, 0.5},
    {2, 0, 1, 0, 0, 0.0, NAN, 0.0},     {3, 1, 1, 1, 2, 0.5, 0.5, 0.5},
    {4, 2, 1, 0, 2, 2.0 / 3, 1.0, 0.8}, {5, 0, 0, 1, 1, NAN, 0.0, 0.0},
};

static void assert_ratio(double got, double want)
{
    if (isnan(want))
        ck_assert_msg(isnan(got), "expected undefined, got %g", got);
    else
        ck_assert_double_eq_tol(got, want, 1e-12);
}

static stance_eval *hand_table(stance_codebook *cb)
{
    stance_eval *ev;
    stance_error err;
    ck_assert_int_eq(stance_eval_new(cb, &ev, &err), STANCE_OK);
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        signed char g[6], p[6];
        targets(pairs[i][0], g);
        targets(pairs[i][1], p);
        stance_eval_add(ev, g, p);
    }
    return ev;
}

START_TEST(test_value_scores)
{
    stance_codebook *cb = test_codebook();
    stance_eval *ev = hand_table(cb);
    stance_eval_scores s;
    stance_eval_get_scores(ev, expected_values[_i].slot, &s);
    ck_assert_uint_eq(s.tp, expected_values[_i].tp);
    ck_assert_uint_eq(s.fp, expected_values[_i].fp);
    ck_assert_uint_eq(s.fn, expected_values[_i].fn);
    ck_assert_uint_eq(s.support, expected_values[_i].support);
    assert_ratio(s.precision, expected_values[_i].precision);
    assert_ratio(s.recall, expected_values[_i].recall);
    assert_ratio(s.f1, expected_values[_i].f1);
    stance_eval_free(ev);
    stance_codebook_free(cb);
}
END_TEST

START_TEST(test_dimension_summaries)
{
    stance_codebook *cb = test_codebook();
    stance_eval *ev = hand_table(cb);
    ck_assert_uint_eq(stance_eval_get_matched(ev), 7);
    ck_assert_uint_eq(stance_eval_get_unmatched_gold(ev), 0);
    ck_assert_uint_eq(stance_eval_get_unmatched_pred(ev), 0);

    stance_eval_summary sum;
    stance_eval_get_summary(ev, 0, &sum);
    ck_assert_uint_eq(sum.records, 5);
    ck_assert_uint_eq(sum.missing, 1);
    ck_assert_uint_eq(sum.micro.tp, 3);
    ck_assert_uint_eq(sum.micro.fp, 2);
    ck_assert_uint_eq(sum.micro.fn, 2);
    assert_ratio(sum.micro.precision, 0.6);
    assert_ratio(sum.micro.recall, 0.6);
    assert_ratio(sum.micro.f1, 0.6);
    assert_ratio(sum.macro_precision, 0.5);
    assert_ratio(sum.macro_recall, 7.0 / 12);
    assert_ratio(sum.macro_f1, 1.3 / 3);
    ck_assert(isnan(sum.accuracy));
    ck_assert_ptr_null(sum.confusion);

    stance_eval_get_summary(ev, 1, &sum);
    ck_assert_uint_eq(sum.records, 5);
    ck_assert_uint_eq(sum.missing, 1);
    assert_ratio(sum.accuracy, 0.6);
    assert_ratio(sum.macro_precision, 7.0 / 12);
    assert_ratio(sum.macro_recall, 0.5);
    assert_ratio(sum.macro_f1, 1.3 / 3);
    static const size_t confusion[9] = {1, 1, 0, 0, 2, 0, 1, 0, 0};
    ck_assert_ptr_nonnull(sum.confusion);
    for (int i = 0; i < 9; i++)
        ck_assert_uint_eq(sum.confusion[i], confusion[i]);

    /* the same numbers in the JSON report, undefined ones as null */
    json_t *json = stance_eval_to_json(ev);
    ck_assert_ptr_nonnull(json);
    json_t *topics = json_object_get(json_object_get(json, "dimensions"), "topics");
    json_t *tone = json_object_get(json_object_get(json, "dimensions"), "tone");
    ck_assert_int_eq(json_integer_value(json_object_get(json, "matched")), 7);
    ck_assert_str_eq(json_string_value(json_object_get(topics, "kind")), "multi");
    ck_assert(json_is_null(json_object_get(json_object_get(json_object_get(topics, "values"), "z"),
                                           "recall")));
    assert_ratio(json_real_value(json_object_get(json_object_get(topics, "micro"), "f1")), 0.6);
    ck_assert_ptr_null(json_object_get(tone, "micro"));
    assert_ratio(json_real_value(json_object_get(tone, "accuracy")), 0.6);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_object_get(json_object_get(tone, "confusion"), "hostile"), "calm")),
                     1);
    json_decref(json);
    stance_eval_free(ev);
    stance_codebook_free(cb);
}
END_TEST

START_TEST(test_empty_is_undefined)
{
    stance_codebook *cb = test_codebook();
    stance_eval *ev;
    ck_assert_int_eq(stance_eval_new(cb, &ev, NULL), STANCE_OK);
    stance_eval_summary sum;
    stance_eval_get_summary(ev, 1, &sum);
    ck_assert_uint_eq(sum.records, 0);
    ck_assert(isnan(sum.accuracy));
    ck_assert(isnan(sum.macro_f1));
    FILE *f = tmpfile();
    ck_assert_int_eq(stance_eval_write(ev, f, "tmp", NULL), STANCE_OK);
    fclose(f);
    stance_eval_free(ev);
    stance_eval_free(NULL);
    stance_codebook_free(cb);
}
END_TEST

static void add_lines(stance_eval *ev, const char *const *lines, int gold, stance_status last,
                      stance_error *err)
{
    for (long i = 0; lines[i]; i++) {
        json_t *rec = json_loads(lines[i], 0, NULL);
        ck_assert_ptr_nonnull(rec);
        stance_status st = gold ? stance_eval_add_gold(ev, rec, "gold.jsonl", i + 1, err)
                                : stance_eval_add_pred(ev, rec, "pred.jsonl", i + 1, err);
        json_decref(rec);
        ck_assert_int_eq(st, lines[i + 1] ? STANCE_OK : last);
    }
}

/* Positions first (doc and start, then doc and passage or paragraph), then ids; gold
 * records of one article may share its id, which then matches nothing. */
START_TEST(test_matching)
{
    static const char *const gold[] = {
        "{\"id\": \"a\", \"topics\": [\"x\"]}",
        "{\"doc\": \"d1\", \"start\": 0, \"topics\": [\"y\"], \"paragraph\": 2}",
        "{\"id\": \"b\", \"doc\": \"d1\", \"start\": 10, \"topics\": []}",
        "{\"doc\": 7, \"start\": 5, \"topics\": [\"z\"], \"tone\": null}",
        "{\"doc\": \"d2\", \"passage\": 3, \"topics\": [\"x\"]}",
        "{\"id\": \"s\", \"doc\": \"d3\", \"start\": 0, \"topics\": []}",
        "{\"id\": \"s\", \"doc\": \"d3\", \"start\": 9, \"topics\": []}",
        NULL,
    };
    static const char *const pred[] = {
        "{\"id\": \"a\", \"topics\": [\"x\"]}",                              /* gold 1 by id */
        "{\"doc\": \"d1\", \"start\": 0, \"kind\": \"body\", \"topics\": [\"y\"]}", /* gold 2 */
        "{\"id\": \"c\", \"doc\": \"d1\", \"start\": 10, \"topics\": [{\"label\": \"x\"}]}", /* 3 */
        "{\"doc\": \"d9\", \"start\": 0, \"kind\": \"meta\"}",               /* no gold */
        "{\"doc\": \"d2\", \"passage\": 3, \"start\": 50, \"topics\": [\"x\"]}", /* gold 5 */
        "{\"id\": \"s\", \"topics\": []}",                                   /* shared id */
        "{\"doc\": \"d1\", \"passage\": 2, \"start\": 99, \"topics\": []}",  /* starts differ */
        "{\"doc\": \"7\", \"start\": 5, \"topics\": [\"z\"]}",               /* gold 4 */
        "{\"doc\": 7, \"start\": 5, \"topics\": []}",                        /* gold 4 again */
        NULL,
    };
    stance_codebook *cb = test_codebook();
    stance_eval *ev;
    stance_error err;
    ck_assert_int_eq(stance_eval_new(cb, &ev, &err), STANCE_OK);
    add_lines(ev, gold, 1, STANCE_OK, &err);
    add_lines(ev, pred, 0, STANCE_ERR_DATA, &err);
    ck_assert_str_eq(err.where, "pred.jsonl");
    ck_assert_int_eq(err.line, 9);
    ck_assert_str_eq(err.message,
                     "second prediction for the gold record at gold.jsonl:4 (first on line 8)");
    ck_assert_uint_eq(stance_eval_get_matched(ev), 5);
    ck_assert_uint_eq(stance_eval_get_matched_by(ev, STANCE_MATCH_START), 3);
    ck_assert_uint_eq(stance_eval_get_matched_by(ev, STANCE_MATCH_PASSAGE), 1);
    ck_assert_uint_eq(stance_eval_get_matched_by(ev, STANCE_MATCH_ID), 1);
    ck_assert_uint_eq(stance_eval_get_gold_count(ev), 7);
    ck_assert_uint_eq(stance_eval_get_unmatched_gold(ev), 2);
    ck_assert_uint_eq(stance_eval_get_unmatched_pred(ev), 3);
    ck_assert_int_eq(stance_eval_check(ev, &err), STANCE_OK); /* 2 of 7 unmatched */
    stance_eval_scores s;
    stance_eval_get_scores(ev, 0, &s); /* x: right for gold 1 and 5, wrong for gold 3 */
    ck_assert_uint_eq(s.tp, 2);
    ck_assert_uint_eq(s.fp, 1);
    stance_eval_free(ev);
    stance_codebook_free(cb);
}
END_TEST

/* Passages of one text matched by its id: the second is an error that says why. */
START_TEST(test_shared_id_in_predictions)
{
    static const char *const gold[] = {"{\"id\": \"t1\", \"topics\": [\"x\"]}", NULL};
    static const char *const pred[] = {
        "{\"doc\": \"t1\", \"passage\": 1, \"start\": 0, \"id\": \"t1\", \"topics\": []}",
        "{\"doc\": \"t1\", \"passage\": 2, \"start\": 20, \"id\": \"t1\", \"topics\": []}",
        NULL,
    };
    stance_codebook *cb = test_codebook();
    stance_eval *ev;
    stance_error err;
    ck_assert_int_eq(stance_eval_new(cb, &ev, &err), STANCE_OK);
    add_lines(ev, gold, 1, STANCE_OK, &err);
    add_lines(ev, pred, 0, STANCE_ERR_DATA, &err);
    ck_assert_str_eq(err.message, "second prediction for the gold record at gold.jsonl:1 (first on "
                                  "line 1); passages of one text share its id: tag with --unit document");
    stance_eval_free(ev);
    stance_codebook_free(cb);
}
END_TEST

/* How many gold records predictions must cover: some, and at least half. */
static const struct {
    const char *pred[4];
    stance_status status;
    long line; /* of the first unmatched gold record named */
    const char *message;
} coverage[] = {
    {{"{\"id\": \"a\"}", "{\"id\": \"b\"}", "{\"id\": \"c\"}"}, STANCE_OK, 0, ""},
    {{"{\"id\": \"a\"}", "{\"id\": \"c\"}"}, STANCE_OK, 0, ""},
    {{"{\"id\": \"c\"}", "{\"id\": \"zz\"}"}, STANCE_ERR_DATA, 1,
     "no prediction matches this gold record, nor 1 more of the 3 (more than half of the gold "
     "records unmatched)"},
    {{"{\"doc\": \"a\", \"start\": 0}"}, STANCE_ERR_DATA, 1,
     "no prediction matches this gold record, nor any of the 2 others: records match by \"doc\" "
     "and \"start\", \"doc\" and \"passage\", or \"id\""},
};

/* One gold record, unmatched. */
START_TEST(test_coverage_of_one)
{
    static const char *const gold[] = {"{\"id\": \"a\"}", NULL};
    stance_codebook *cb = test_codebook();
    stance_eval *ev;
    stance_error err;
    ck_assert_int_eq(stance_eval_new(cb, &ev, &err), STANCE_OK);
    add_lines(ev, gold, 1, STANCE_OK, &err);
    ck_assert_int_eq(stance_eval_check(ev, &err), STANCE_ERR_DATA);
    ck_assert_str_eq(err.message, "no prediction matches this gold record: records match by "
                                  "\"doc\" and \"start\", \"doc\" and \"passage\", or \"id\"");
    stance_eval_free(ev);
    stance_codebook_free(cb);
}
END_TEST

START_TEST(test_coverage)
{
    static const char *const gold[] = {"{\"id\": \"a\"}", "{\"id\": \"b\"}", "{\"id\": \"c\"}", NULL};
    stance_codebook *cb = test_codebook();
    stance_eval *ev;
    stance_error err;
    ck_assert_int_eq(stance_eval_new(cb, &ev, &err), STANCE_OK);
    add_lines(ev, gold, 1, STANCE_OK, &err);
    for (size_t i = 0; coverage[_i].pred[i]; i++) {
        json_t *rec = json_loads(coverage[_i].pred[i], 0, NULL);
        ck_assert_int_eq(stance_eval_add_pred(ev, rec, "pred.jsonl", (long)i + 1, &err), STANCE_OK);
        json_decref(rec);
    }
    stance_error_clear(&err);
    ck_assert_int_eq(stance_eval_check(ev, &err), coverage[_i].status);
    ck_assert_str_eq(err.message, coverage[_i].message);
    if (coverage[_i].status != STANCE_OK) {
        ck_assert_str_eq(err.where, "gold.jsonl");
        ck_assert_int_eq(err.line, coverage[_i].line);
    }
    stance_eval_free(ev);
    stance_codebook_free(cb);
}
END_TEST

/* Gold records, the last of which is rejected at its line with the message. */
static const struct {
    const char *lines[3];
    const char *message;
} bad_gold[] = {
    {{"{\"id\": \"a\"}", "{\"id\": \"a\"}"}, "duplicate \"id\" \"a\" (also line 1)"},
    {{"{\"id\": 5}", "{\"id\": \"5\"}"}, "duplicate \"id\" \"5\" (also line 1)"},
    {{"{\"doc\": \"d\", \"start\": 3, \"id\": \"p\"}", "{\"doc\": \"d\", \"start\": 3, \"id\": \"q\"}"},
     "duplicate \"doc\" \"d\" and \"start\" 3 (also line 1)"},
    {{"{\"doc\": \"d\", \"topics\": []}"},
     "record has no \"id\", and no \"doc\" with \"start\" or \"passage\", to match it by"},
    {{"{\"doc\": \"d\", \"passage\": 2}", "{\"doc\": \"d\", \"paragraph\": 2, \"id\": \"q\"}"},
     "duplicate \"doc\" \"d\" and \"passage\" 2 (also line 1)"},
    {{"{\"doc\": \"d\", \"start\": 1, \"id\": \"a\"}", "{\"id\": \"a\"}"},
     "duplicate \"id\" \"a\" (also line 1)"},
    {{"{\"doc\": \"d\", \"passage\": 0.5}"}, "\"passage\" is not a non-negative integer"},
    {{"{\"doc\": \"d\", \"start\": \"3\"}"}, "\"start\" is not a non-negative integer"},
    {{"{\"doc\": \"d\", \"start\": -1}"}, "\"start\" is not a non-negative integer"},
    {{"{\"id\": [1]}"}, "\"id\" is not a string or an integer"},
    {{"{\"id\": \"a\", \"topics\": [\"w\"]}"}, "unknown value \"w\" for dimension \"topics\""},
    {{"{\"id\": \"a\", \"tone\": \"angry\"}"}, "unknown value \"angry\" for dimension \"tone\""},
};

START_TEST(test_bad_gold)
{
    stance_codebook *cb = test_codebook();
    stance_eval *ev;
    stance_error err;
    ck_assert_int_eq(stance_eval_new(cb, &ev, &err), STANCE_OK);
    add_lines(ev, bad_gold[_i].lines, 1, STANCE_ERR_DATA, &err);
    ck_assert_str_eq(err.where, "gold.jsonl");
    ck_assert_int_eq(err.line, bad_gold[_i].lines[1] ? 2 : 1);
    ck_assert_str_eq(err.message, bad_gold[_i].message);
    stance_eval_free(ev);
    stance_codebook_free(cb);
}
END_TEST

START_TEST(test_bad_pred)
{
    static const char *const gold[] = {"{\"id\": \"a\", \"topics\": [\"x\"]}", NULL};
    static const char *const pred[] = {"{\"id\": \"zz\", \"topics\": [\"q\"]}", NULL};
    stance_codebook *cb = test_codebook();
    stance_eval *ev;
    stance_error err;
    ck_assert_int_eq(stance_eval_new(cb, &ev, &err), STANCE_OK);
    add_lines(ev, gold, 1, STANCE_OK, &err);
    add_lines(ev, pred, 0, STANCE_ERR_DATA, &err); /* unknown values fail even unmatched */
    ck_assert_str_eq(err.where, "pred.jsonl");
    ck_assert_str_eq(err.message, "unknown value \"q\" for dimension \"topics\"");
    ck_assert_uint_eq(stance_eval_get_unmatched_gold(ev), 1);
    stance_eval_free(ev);
    stance_codebook_free(cb);
}
END_TEST

/* ---- an optional single dimension ---- */

/* topics as above; tone optional: calm, tense, hostile (slots 3-5). */
static const char optional_json[] =
    "{\"dimensions\": ["
    "{\"name\": \"topics\", \"kind\": \"multi\", \"values\": ["
    "{\"label\": \"x\"}, {\"label\": \"y\"}, {\"label\": \"z\"}]},"
    "{\"name\": \"tone\", \"kind\": \"single\", \"optional\": true, \"values\": ["
    "{\"label\": \"calm\"}, {\"label\": \"tense\"}, {\"label\": \"hostile\"}]}]}";

static stance_codebook *optional_codebook(void)
{
    json_t *json = json_loads(optional_json, 0, NULL);
    stance_codebook *cb;
    stance_error err;
    ck_assert_int_eq(stance_codebook_from_json(json, "cb", &cb, &err), STANCE_OK);
    json_decref(json);
    return cb;
}

/* Tone pairs, gold then predicted (NNN: no value applies; ---: unlabeled, an abstention when
 * predicted):
 *   1 calm / calm   2 calm / NNN   3 tense / ---   4 NNN / NNN   5 NNN / hostile
 *   6 NNN / ---     7 --- / calm (skipped)   8 hostile / tense
 * records 7: applies 4 (1 2 3 8), none 3 (4 5 6); accuracy 1/4 (only 1 right).
 * abstention: tp 2 (4 6), fp 2 (2 3), fn 1 (5): rate 2/3, precision 1/2, f1 4/7.
 * calm tp 1 fn 1 (2); tense fp 1 (8) fn 1 (3); hostile fp 1 (5) fn 1 (8).
 * confusion (calm tense hostile none): calm 1 0 0 1, tense 0 0 0 1, hostile 0 1 0 0,
 * none 0 0 1 2. */
static const char *const optional_pairs[][2] = {
    {"YNN", "YNN"}, {"YNN", "NNN"}, {"NYN", "---"}, {"NNN", "NNN"},
    {"NNN", "NNY"}, {"NNN", "---"}, {"---", "YNN"}, {"NNY", "NYN"},
};

START_TEST(test_optional_scores)
{
    stance_codebook *cb = optional_codebook();
    stance_eval *ev;
    stance_error err;
    ck_assert_int_eq(stance_eval_new(cb, &ev, &err), STANCE_OK);
    for (size_t i = 0; i < sizeof optional_pairs / sizeof optional_pairs[0]; i++) {
        signed char g[6], p[6];
        targets("---", g);
        targets("---", p);
        targets(optional_pairs[i][0], g + 3);
        targets(optional_pairs[i][1], p + 3);
        stance_eval_add(ev, g, p);
    }
    stance_eval_summary sum;
    stance_eval_get_summary(ev, 1, &sum);
    ck_assert_int_eq(sum.optional, 1);
    ck_assert_uint_eq(sum.records, 7);
    ck_assert_uint_eq(sum.missing, 0);
    ck_assert_uint_eq(sum.applies, 4);
    ck_assert_uint_eq(sum.none, 3);
    assert_ratio(sum.accuracy, 0.25);
    ck_assert_uint_eq(sum.abstention.tp, 2);
    ck_assert_uint_eq(sum.abstention.fp, 2);
    ck_assert_uint_eq(sum.abstention.fn, 1);
    ck_assert_uint_eq(sum.abstention.support, 3);
    assert_ratio(sum.abstention.recall, 2.0 / 3);
    assert_ratio(sum.abstention.precision, 0.5);
    assert_ratio(sum.abstention.f1, 4.0 / 7);
    static const size_t confusion[16] = {1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 2};
    for (size_t i = 0; i < 16; i++)
        ck_assert_uint_eq(sum.confusion[i], confusion[i]);
    static const size_t tp[3] = {1, 0, 0}, fp[3] = {0, 1, 1}, fn[3] = {1, 1, 1};
    for (size_t v = 0; v < 3; v++) {
        stance_eval_scores sc;
        stance_eval_get_scores(ev, 3 + v, &sc);
        ck_assert_uint_eq(sc.tp, tp[v]);
        ck_assert_uint_eq(sc.fp, fp[v]);
        ck_assert_uint_eq(sc.fn, fn[v]);
    }
    /* the JSON report carries the same figures */
    json_t *json = stance_eval_to_json(ev);
    const json_t *tone = json_object_get(json_object_get(json, "dimensions"), "tone");
    ck_assert(json_is_true(json_object_get(tone, "optional")));
    ck_assert_int_eq(json_integer_value(json_object_get(tone, "none")), 3);
    const json_t *abst = json_object_get(tone, "abstention");
    assert_ratio(json_real_value(json_object_get(abst, "rate")), 2.0 / 3);
    ck_assert_int_eq(json_integer_value(json_object_get(abst, "predicted")), 4);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_object_get(tone, "confusion"),
                                                                        "(none)"), "hostile")), 1);
    ck_assert_ptr_null(json_object_get(json, "by"));
    json_decref(json);
    /* a dimension that is not optional has none of it */
    stance_eval_get_summary(ev, 0, &sum);
    ck_assert_int_eq(sum.optional, 0);
    stance_eval_free(ev);
    stance_codebook_free(cb);
}
END_TEST

/* Gold null on an optional dimension: not scored, or "none applies" with the option; a
 * missing field stays unlabeled either way. */
START_TEST(test_null_means_none)
{
    static const char *const gold[] = {
        "{\"id\": \"a\", \"tone\": null}", "{\"id\": \"b\"}", "{\"id\": \"c\", \"tone\": []}",
        "{\"id\": \"d\", \"tone\": \"calm\"}", NULL,
    };
    static const char *const pred[] = {
        "{\"id\": \"a\", \"tone\": null}", "{\"id\": \"b\", \"tone\": null}",
        "{\"id\": \"c\", \"tone\": {\"label\": \"calm\", \"score\": 0.6}}", "{\"id\": \"d\"}", NULL,
    };
    stance_codebook *cb = optional_codebook();
    for (int on = 0; on < 2; on++) {
        stance_eval *ev;
        stance_error err;
        ck_assert_int_eq(stance_eval_new(cb, &ev, &err), STANCE_OK);
        stance_eval_set_null_means_none(ev, on);
        add_lines(ev, gold, 1, STANCE_OK, &err);
        add_lines(ev, pred, 0, STANCE_OK, &err);
        stance_eval_summary sum;
        stance_eval_get_summary(ev, 1, &sum);
        ck_assert_uint_eq(sum.records, 2 + (size_t)on); /* c and d, and a with the option */
        ck_assert_uint_eq(sum.none, 1 + (size_t)on);
        ck_assert_uint_eq(sum.abstention.tp, (size_t)on); /* a: none, predicted null */
        ck_assert_uint_eq(sum.abstention.fp, 1);          /* d: calm, predicted nothing */
        ck_assert_uint_eq(sum.abstention.fn, 1);          /* c: none, predicted calm */
        ck_assert_uint_eq(sum.missing, 0);
        stance_eval_free(ev);
    }
    stance_codebook_free(cb);
}
END_TEST

/* Grouping by a field of the prediction, in order of first appearance; records without it go
 * to "(none)"; unmatched predictions count in their group; another type is an error. */
START_TEST(test_group_by)
{
    static const char *const gold[] = {
        "{\"id\": \"a\", \"topics\": [\"x\"]}", "{\"id\": \"b\", \"topics\": [\"y\"]}",
        "{\"id\": \"c\", \"topics\": []}", NULL,
    };
    static const char *const pred[] = {
        "{\"id\": \"a\", \"kind\": \"body\", \"topics\": [\"x\"]}",
        "{\"id\": \"b\", \"kind\": \"headline\", \"topics\": [\"x\"]}",
        "{\"id\": \"c\", \"topics\": []}",
        "{\"id\": \"e\", \"kind\": \"body\", \"topics\": []}",
        "{\"id\": \"f\", \"kind\": null}",
        "{\"id\": \"g\", \"kind\": [\"body\"]}",
        NULL,
    };
    stance_codebook *cb = test_codebook();
    stance_eval *ev;
    stance_error err;
    ck_assert_int_eq(stance_eval_new(cb, &ev, &err), STANCE_OK);
    ck_assert_int_eq(stance_eval_set_group_by(ev, "kind", &err), STANCE_OK);
    add_lines(ev, gold, 1, STANCE_OK, &err);
    add_lines(ev, pred, 0, STANCE_ERR_DATA, &err);
    ck_assert_int_eq(err.line, 6);
    ck_assert_str_eq(err.message, "\"kind\" is not a string, and records are grouped by it");
    ck_assert_uint_eq(stance_eval_get_group_count(ev), 3);
    static const char *const values[] = {"body", "headline", STANCE_EVAL_NO_GROUP};
    static const size_t matched[] = {1, 1, 1}, unmatched[] = {1, 0, 1};
    for (size_t i = 0; i < 3; i++) {
        ck_assert_str_eq(stance_eval_get_group_value(ev, i), values[i]);
        const stance_eval *g = stance_eval_get_group(ev, i);
        ck_assert_uint_eq(stance_eval_get_matched(g), matched[i]);
        ck_assert_uint_eq(stance_eval_get_unmatched_pred(g), unmatched[i]);
    }
    stance_eval_scores sc;
    stance_eval_get_scores(stance_eval_get_group(ev, 1), 0, &sc); /* headline: x predicted, y gold */
    ck_assert_uint_eq(sc.fp, 1);
    stance_eval_get_scores(ev, 0, &sc); /* overall: x right once, wrong once */
    ck_assert_uint_eq(sc.tp, 1);
    ck_assert_uint_eq(sc.fp, 1);
    json_t *json = stance_eval_to_json(ev);
    const json_t *by = json_object_get(json, "by");
    ck_assert_str_eq(json_string_value(json_object_get(by, "field")), "kind");
    const json_t *first = json_array_get(json_object_get(by, "groups"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(first, "value")), "body");
    ck_assert_int_eq(json_integer_value(json_object_get(first, "unmatched_pred")), 1);
    ck_assert_ptr_null(json_object_get(first, "unmatched_gold"));
    ck_assert_uint_eq(json_array_size(json_object_get(by, "groups")), 3);
    json_decref(json);
    stance_eval_free(ev);
    stance_codebook_free(cb);
}
END_TEST

/* Scores from "scores", else the assigned labels'; the figures made from them (hand-computed
 * below); the misclassified records; --max-unmatched. Codebook: topics x, y, z; tone calm,
 * tense, hostile (not optional). Three articles, four records. */
START_TEST(test_scores_and_intervals)
{
    static const char *const gold[] = {
        "{\"doc\": \"d1\", \"start\": 0, \"topics\": [\"x\"], \"tone\": \"calm\"}",
        "{\"doc\": \"d1\", \"start\": 9, \"topics\": [], \"tone\": \"tense\"}",
        "{\"doc\": \"d2\", \"start\": 0, \"topics\": [\"x\", \"y\"], \"tone\": null}",
        "{\"id\": \"e\", \"topics\": [\"z\"], \"tone\": \"hostile\"}",
        NULL,
    };
    static const char *const pred[] = {
        "{\"doc\": \"d1\", \"start\": 0, \"topics\": [{\"label\": \"x\", \"score\": 0.9}], "
        "\"tone\": {\"label\": \"calm\", \"score\": 0.6}}",
        "{\"doc\": \"d1\", \"start\": 9, \"topics\": [\"x\"], \"tone\": \"calm\", "
        "\"scores\": {\"topics\": {\"x\": 0.7, \"y\": 0.1, \"z\": 0.0}}}",
        "{\"doc\": \"d2\", \"start\": 0, \"topics\": [\"x\"], \"tone\": \"calm\", "
        "\"scores\": {\"topics\": {\"x\": 0.95, \"y\": 0.45, \"z\": 0.2}}}",
        NULL,
    };
    stance_codebook *cb = test_codebook();
    stance_eval *ev;
    stance_error err;
    ck_assert_int_eq(stance_eval_new(cb, &ev, &err), STANCE_OK);
    stance_eval_set_bootstrap(ev, 50, 9);
    add_lines(ev, gold, 1, STANCE_OK, &err);
    add_lines(ev, pred, 0, STANCE_OK, &err);
    /* 1 of 4 unmatched: fails at 0.2, passes at 0.25 */
    stance_eval_set_max_unmatched(ev, 0.2);
    ck_assert_int_eq(stance_eval_check(ev, &err), STANCE_ERR_DATA);
    ck_assert_int_eq(err.line, 4);
    stance_eval_set_max_unmatched(ev, 0.25);
    ck_assert_int_eq(stance_eval_check(ev, &err), STANCE_OK);

    json_t *json = stance_eval_to_json(ev);
    ck_assert_ptr_nonnull(json);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json, "bootstrap"),
                                                        "articles")), 3);
    json_t *topics = json_object_get(json_object_get(json, "dimensions"), "topics");
    json_t *x = json_object_get(json_object_get(topics, "values"), "x");
    /* x: scored 0.9 (yes), 0.7 (no), 0.95 (yes): Brier (0.01 + 0.49 + 0.0025) / 3 */
    json_t *cal = json_object_get(x, "calibration");
    ck_assert_int_eq(json_integer_value(json_object_get(cal, "scored")), 3);
    ck_assert_double_eq_tol(json_real_value(json_object_get(cal, "brier")), 0.5025 / 3, 1e-12);
    /* bins 0.7 (1 record, observed 0) and 0.9 (two, both yes, mean 0.925):
     * ECE = 1/3 * 0.7 + 2/3 * 0.075 */
    ck_assert_double_eq_tol(json_real_value(json_object_get(cal, "ece")), 0.7 / 3 + 0.05, 1e-12);
    json_t *bin9 = json_array_get(json_object_get(cal, "bins"), 9);
    ck_assert_int_eq(json_integer_value(json_object_get(bin9, "count")), 2);
    ck_assert_double_eq_tol(json_real_value(json_object_get(bin9, "mean_score")), 0.925, 1e-12);
    /* coverage: at p 0.8 two decided, both right; at 95% precision two of three (0.9 and up) */
    json_t *cov = json_object_get(x, "coverage");
    json_t *at08 = json_array_get(json_object_get(cov, "at"), 3);
    ck_assert_double_eq_tol(json_real_value(json_object_get(at08, "p")), 0.8, 1e-12);
    ck_assert_int_eq(json_integer_value(json_object_get(at08, "decided")), 2);
    ck_assert_double_eq_tol(json_real_value(json_object_get(at08, "precision")), 1.0, 1e-12);
    json_t *at95 = json_object_get(cov, "at_precision_95");
    ck_assert_double_eq_tol(json_real_value(json_object_get(at95, "share")), 2.0 / 3, 1e-12);
    ck_assert_double_eq_tol(json_real_value(json_object_get(at95, "confidence")), 0.9, 1e-12);
    /* x: tp 2 fp 1: Wilson of 2/3 */
    json_t *pci = json_object_get(x, "precision_ci");
    ck_assert_double_eq_tol(json_real_value(json_array_get(pci, 0)), 0.2077, 0.0001);
    ck_assert_double_eq_tol(json_real_value(json_array_get(pci, 1)), 0.9385, 0.0001);
    /* the same seed, the same intervals */
    json_t *again = stance_eval_to_json(ev);
    ck_assert(json_equal(json, again));
    json_decref(again);
    json_decref(json);

    /* misclassified: record 2 (topics, tone), record 3 (topics); tone of 3 is not gold */
    json_t *errors = json_array();
    ck_assert(stance_eval_errors_json(ev, errors));
    ck_assert_uint_eq(json_array_size(errors), 3);
    json_t *e = json_array_get(errors, 2);
    ck_assert_str_eq(json_string_value(json_object_get(e, "doc")), "d2");
    ck_assert_str_eq(json_string_value(json_object_get(e, "dimension")), "topics");
    ck_assert_double_eq_tol(json_real_value(json_object_get(json_object_get(e, "scores"), "y")),
                            0.45, 1e-12);
    e = json_array_get(errors, 1);
    ck_assert_str_eq(json_string_value(json_object_get(e, "gold")), "tense");
    ck_assert_str_eq(json_string_value(json_object_get(e, "predicted")), "calm");
    ck_assert(json_is_null(json_object_get(json_object_get(e, "scores"), "calm")));
    json_decref(errors);

    /* without replicates, no intervals */
    stance_eval_set_bootstrap(ev, 0, 9);
    json = stance_eval_to_json(ev);
    topics = json_object_get(json_object_get(json, "dimensions"), "topics");
    ck_assert(json_is_null(json_object_get(json_object_get(topics, "micro"), "f1_ci")));
    json_decref(json);
    stance_eval_free(ev);
    stance_codebook_free(cb);
}
END_TEST

Suite *eval_suite(void)
{
    Suite *s = suite_create("eval");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_value_scores, 0,
                        sizeof expected_values / sizeof expected_values[0]);
    tcase_add_test(tc, test_dimension_summaries);
    tcase_add_test(tc, test_empty_is_undefined);
    tcase_add_test(tc, test_matching);
    tcase_add_test(tc, test_shared_id_in_predictions);
    tcase_add_loop_test(tc, test_coverage, 0, sizeof coverage / sizeof coverage[0]);
    tcase_add_test(tc, test_coverage_of_one);
    tcase_add_loop_test(tc, test_bad_gold, 0, sizeof bad_gold / sizeof bad_gold[0]);
    tcase_add_test(tc, test_bad_pred);
    tcase_add_test(tc, test_optional_scores);
    tcase_add_test(tc, test_null_means_none);
    tcase_add_test(tc, test_group_by);
    tcase_add_test(tc, test_scores_and_intervals);
    suite_add_tcase(s, tc);
    return s;
}
