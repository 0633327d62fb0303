/* check_threshold.c: thresholds moved by "LABEL=P": the ways a label is named (value label,
 * DIMENSION.VALUE, DIMENSION.applies, DIMENSION), ambiguous and unknown labels, probabilities
 * out of range or not numbers, and a threshold given twice under two names. */
#include <math.h>
#include <string.h>

#include "../../pipeline/codebook_int.h"
#include "../../pipeline/threshold_int.h"
#include "suites.h"

/* Value slots: topics 0-2, tone 3-4, mood 5-7, mood.a 8; tone's applies unit is slot 9 + 1. */
static const char codebook_json[] =
    "{\"dimensions\": ["
    "{\"name\": \"topics\", \"kind\": \"multi\", \"values\": [{\"label\": \"kosovo\"}, "
    "{\"label\": \"abm\"}, {\"label\": \"peace\"}]},"
    "{\"name\": \"tone\", \"kind\": \"single\", \"optional\": true, \"values\": "
    "[{\"label\": \"conciliatory\"}, {\"label\": \"confrontational\"}]},"
    "{\"name\": \"mood\", \"kind\": \"single\", \"values\": [{\"label\": \"peace\"}, "
    "{\"label\": \"a.b\"}, {\"label\": \"tone\"}]},"
    "{\"name\": \"mood.a\", \"kind\": \"multi\", \"values\": [{\"label\": \"b\"}]}]}";

#define APPLIES_TONE 100 /* stands for tone's applies slot in the table below */

static const struct {
    const char *spec;
    int slot;            /* the value slot moved, APPLIES_TONE, or -1 for an error */
    double p;            /* the threshold set */
    const char *message; /* the error's message (-1) */
} cases[] = {
    {"kosovo=0.3", 0, 0.3, NULL},
    {"topics.kosovo=0.3", 0, 0.3, NULL},
    {"abm=0", 1, 0, NULL},
    {"abm=1", 1, 1, NULL},
    {"abm=-0", 1, 0, NULL},
    {"abm=.25", 1, 0.25, NULL},
    {"abm=2.5e-1", 1, 0.25, NULL},
    {"mood.peace=0.9", 5, 0.9, NULL},
    {"tone.applies=0.7", APPLIES_TONE, 0.7, NULL},
    {"conciliatory=0.4", 3, 0.4, NULL},
    {"a.b=0.5", 6, 0.5, NULL},
    {"mood.a.b=0.5", -1, 0,
     "'mood.a.b=0.5': label 'mood.a.b' is ambiguous: mood.a.b or mood.a.b"},
    {"mood.a=0.5", -1, 0, "'mood.a=0.5': unknown label 'mood.a' (labels: topics.kosovo, "
                          "topics.abm, topics.peace, tone.conciliatory, tone.confrontational, "
                          "tone.applies, mood.peace, mood.a.b, mood.tone, mood.a.b)"},
    {"peace=0.3", -1, 0, "'peace=0.3': label 'peace' is ambiguous: topics.peace or mood.peace"},
    {"tone=0.3", -1, 0, "'tone=0.3': label 'tone' is ambiguous: mood.tone or tone.applies"},
    {"mood.applies=0.5", -1, 0, NULL},   /* not optional: unknown */
    {"topics=0.5", -1, 0, NULL},         /* a multi dimension has no applies unit */
    {"Kosovo=0.5", -1, 0, NULL},         /* labels are case-sensitive */
    {"kos=ovo=0.5", -1, 0, NULL},        /* the last '=' splits */
    {"kosovo", -1, 0, "'kosovo' is not LABEL=P (a value label, DIMENSION.VALUE or "
                      "DIMENSION.applies, then '=' and a probability from 0 to 1)"},
    {"=0.5", -1, 0, NULL},
    {"kosovo=1.5", -1, 0, "'kosovo=1.5': '1.5' is not a probability from 0 to 1"},
    {"kosovo=-0.1", -1, 0, NULL},
    {"kosovo=abc", -1, 0, "'kosovo=abc': 'abc' is not a probability from 0 to 1"},
    {"kosovo=", -1, 0, NULL},
    {"kosovo= 0.5", -1, 0, NULL},
    {"kosovo=0.5x", -1, 0, NULL},
    {"kosovo=nan", -1, 0, NULL},
    {"kosovo=inf", -1, 0, NULL},
    {"kosovo=1e-999", -1, 0, NULL}, /* underflows */
};

static stance_codebook *make_codebook(void)
{
    json_error_t je;
    json_t *j = json_loads(codebook_json, 0, &je);
    ck_assert_msg(j != NULL, "%s", je.text);
    stance_codebook *cb;
    stance_error err;
    ck_assert_int_eq(stance_codebook_from_json(j, "cb", &cb, &err), STANCE_OK);
    json_decref(j);
    return cb;
}

/* How many slots of th hold a threshold (values, then applies units). */
static size_t moved(const stance_thresholds *th, const stance_codebook *cb)
{
    size_t n = 0;
    for (size_t v = 0; v < stance_codebook_get_value_count(cb); v++)
        n += !isnan(stance_thresholds_value(th, v));
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++)
        n += !isnan(stance_thresholds_applies(th, d));
    return n;
}

START_TEST(test_set)
{
    stance_codebook *cb = make_codebook();
    stance_thresholds *th;
    stance_error err;
    ck_assert_int_eq(stance_thresholds_new(cb, &th, &err), STANCE_OK);
    ck_assert(!stance_thresholds_any(th));
    stance_status st = stance_thresholds_set(th, cases[_i].spec, &err);
    if (cases[_i].slot < 0) {
        ck_assert_int_eq(st, STANCE_ERR_USAGE);
        ck_assert_msg(strncmp(err.message, "'", 1) == 0, "%s", err.message);
        if (cases[_i].message)
            ck_assert_str_eq(err.message, cases[_i].message);
        ck_assert(!stance_thresholds_any(th));
        ck_assert_uint_eq(moved(th, cb), 0);
    } else {
        ck_assert_msg(st == STANCE_OK, "%s: %s", cases[_i].spec, err.message);
        ck_assert(stance_thresholds_any(th));
        ck_assert_uint_eq(moved(th, cb), 1);
        double got = cases[_i].slot == APPLIES_TONE ? stance_thresholds_applies(th, 1)
                                                    : stance_thresholds_value(th, (size_t)cases[_i].slot);
        ck_assert_double_eq(got, cases[_i].p);
    }
    stance_thresholds_free(th);
    stance_codebook_free(cb);
}
END_TEST

/* The same threshold under two names is refused; other thresholds add up. */
START_TEST(test_twice)
{
    stance_codebook *cb = make_codebook();
    stance_thresholds *th;
    stance_error err;
    ck_assert_int_eq(stance_thresholds_new(cb, &th, &err), STANCE_OK);
    ck_assert_int_eq(stance_thresholds_set(th, "kosovo=0.2", &err), STANCE_OK);
    ck_assert_int_eq(stance_thresholds_set(th, "tone.applies=0.6", &err), STANCE_OK);
    ck_assert_int_eq(stance_thresholds_set(th, "topics.kosovo=0.3", &err), STANCE_ERR_USAGE);
    ck_assert_str_eq(err.message, "'topics.kosovo=0.3': the threshold of topics.kosovo is given twice");
    ck_assert_int_eq(stance_thresholds_set(th, "tone.applies=0.6", &err), STANCE_ERR_USAGE);
    ck_assert_str_eq(err.message, "'tone.applies=0.6': the threshold of tone.applies is given twice");
    ck_assert_int_eq(stance_thresholds_set(th, "mood.peace=0.4", &err), STANCE_OK);
    ck_assert_uint_eq(moved(th, cb), 3);
    ck_assert_double_eq(stance_thresholds_value(th, 0), 0.2);
    ck_assert(isnan(stance_thresholds_value(NULL, 0)));
    ck_assert(isnan(stance_thresholds_applies(NULL, 1)));
    stance_thresholds_free(th);
    stance_thresholds_free(NULL);
    stance_codebook_free(cb);
}
END_TEST

/* A long codebook's unknown-label message lists some labels, then "...". */
START_TEST(test_unknown_long_list)
{
    char json[8192];
    size_t n = (size_t)snprintf(json, sizeof json, "{\"dimensions\": [{\"name\": \"topics\", "
                                "\"kind\": \"multi\", \"values\": [");
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(json + n, sizeof json - n, "%s{\"label\": \"value_%d\"}", i ? ", " : "", i);
    snprintf(json + n, sizeof json - n, "]}]}");
    json_t *j = json_loads(json, 0, NULL);
    ck_assert_ptr_nonnull(j);
    stance_codebook *cb;
    stance_thresholds *th;
    stance_error err;
    ck_assert_int_eq(stance_codebook_from_json(j, "cb", &cb, &err), STANCE_OK);
    ck_assert_int_eq(stance_thresholds_new(cb, &th, &err), STANCE_OK);
    ck_assert_int_eq(stance_thresholds_set(th, "nothing=0.5", &err), STANCE_ERR_USAGE);
    ck_assert_msg(strstr(err.message, "(labels: topics.value_0, topics.value_1, ") != NULL, "%s", err.message);
    ck_assert_msg(strstr(err.message, ", ...)") != NULL, "%s", err.message);
    ck_assert(strstr(err.message, "value_99") == NULL);
    stance_thresholds_free(th);
    stance_codebook_free(cb);
    json_decref(j);
}
END_TEST

Suite *threshold_suite(void)
{
    Suite *s = suite_create("threshold");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_set, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, test_twice);
    tcase_add_test(tc, test_unknown_long_list);
    suite_add_tcase(s, tc);
    return s;
}
