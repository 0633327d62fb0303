/* check_jsonw.c: the JSON text writer against the text jansson's compact dump gives the same
 * values (strings, numbers, any value), the label form and its rounding, objects built a field
 * at a time, and what a failed allocation leaves. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../pipeline/jsonw_int.h"
#include "suites.h"

#define DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY)

/* w's text as a new NUL-terminated string. */
static char *text_of(const stance_jsonw *w)
{
    ck_assert(!w->failed);
    char *s = malloc(w->len + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, w->buf, w->len);
    s[w->len] = '\0';
    return s;
}

/* Checks that w holds want and that jansson dumps v (stolen) as want too. */
static void check_text(const stance_jsonw *w, json_t *v, const char *want, const char *what)
{
    char *got = text_of(w);
    ck_assert_msg(strcmp(got, want) == 0, "%s: got %s, want %s", what, got, want);
    ck_assert_ptr_nonnull(v);
    char *dumped = json_dumps(v, DUMP_FLAGS);
    ck_assert_msg(strcmp(dumped, want) == 0, "%s: jansson writes %s, want %s", what, dumped, want);
    free(dumped);
    free(got);
    json_decref(v);
}

/* ---- strings ---- */

#define BYTES(lit) lit, sizeof lit - 1 /* a literal and its length, NUL bytes included */

static const struct {
    const char *s;
    size_t n;
    const char *want;
} strings[] = {
    {BYTES(""), "\"\""},
    {BYTES("kosovo"), "\"kosovo\""},
    {BYTES("say \"no\""), "\"say \\\"no\\\"\""},
    {BYTES("a\\b"), "\"a\\\\b\""},
    {BYTES("a/b"), "\"a/b\""}, /* '/' as it is */
    {BYTES("\b\t\n\f\r"), "\"\\b\\t\\n\\f\\r\""},
    {BYTES("\x01\x1f\x0b"), "\"\\u0001\\u001F\\u000B\""}, /* upper-case hex, as jansson */
    {BYTES("a\0b"), "\"a\\u0000b\""},
    {BYTES("\x7f"), "\"\x7f\""}, /* DEL is not a control character to JSON */
    {BYTES("caf\xC3\xA9 \xD0\x9C\xD0\xBE\xD1\x81 \xE2\x82\xAC \xF0\x9F\x98\x80"),
     "\"caf\xC3\xA9 \xD0\x9C\xD0\xBE\xD1\x81 \xE2\x82\xAC \xF0\x9F\x98\x80\""}, /* as it is */
    {BYTES("\xC2\x85\xE2\x80\xA8"), "\"\xC2\x85\xE2\x80\xA8\""}, /* C1 NEL, LINE SEPARATOR too */
    {BYTES("end\\"), "\"end\\\\\""},
    {BYTES("\""), "\"\\\"\""},
};

START_TEST(test_string)
{
    stance_jsonw w;
    stance_jsonw_init(&w);
    stance_jsonw_string(&w, strings[_i].s, strings[_i].n);
    check_text(&w, json_stringn(strings[_i].s, strings[_i].n), strings[_i].want, strings[_i].want);
    stance_jsonw_clear(&w);
}
END_TEST

/* Every byte value once, in a string longer than the first buffer, so that it grows midway. */
START_TEST(test_string_every_byte)
{
    char s[4 * 128];
    for (size_t i = 0; i < sizeof s; i++)
        s[i] = (char)(i % 128);
    stance_jsonw w;
    stance_jsonw_init(&w);
    stance_jsonw_string(&w, s, sizeof s);
    json_t *v = json_stringn(s, sizeof s);
    char *want = json_dumps(v, DUMP_FLAGS);
    check_text(&w, v, want, "bytes 0-127");
    free(want);
    stance_jsonw_clear(&w);
}
END_TEST

/* ---- numbers ---- */

static const struct {
    long long v;
    const char *want;
} integers[] = {
    {0, "0"}, {7, "7"}, {-1, "-1"}, {10, "10"}, {-100, "-100"}, {1234567890123LL, "1234567890123"},
    {LLONG_MAX, "9223372036854775807"}, {LLONG_MIN, "-9223372036854775808"},
};

START_TEST(test_integer)
{
    stance_jsonw w;
    stance_jsonw_init(&w);
    stance_jsonw_integer(&w, integers[_i].v);
    check_text(&w, json_integer((json_int_t)integers[_i].v), integers[_i].want, integers[_i].want);
    stance_jsonw_clear(&w);
}
END_TEST

/* Reals keep a '.' or an exponent (so they read back as reals), 15 significant digits, and
 * exponents without '+' or leading zeros. */
static const struct {
    double v;
    const char *want;
} reals[] = {
    {0.0, "0.0"},
    {-0.0, "-0.0"},
    {1.0, "1.0"},
    {-2.5, "-2.5"},
    {0.1, "0.1"},
    {0.9986, "0.9986"},
    {1.0 / 3, "0.333333333333333"},
    {100000000000000.0, "100000000000000.0"}, /* 15 digits: still no exponent */
    {1e15, "1e15"},
    {123456789012345678.0, "1.23456789012346e17"},
    {1e300, "1e300"},
    {1e-5, "1e-5"},
    {-1.5e-7, "-1.5e-7"},
    {0.0001, "0.0001"},
    {5e-324, "4.94065645841247e-324"},
    {1.7976931348623157e308, "1.79769313486232e308"},
};

START_TEST(test_real)
{
    stance_jsonw w;
    stance_jsonw_init(&w);
    ck_assert_int_eq(stance_jsonw_real(&w, reals[_i].v), 1);
    check_text(&w, json_real(reals[_i].v), reals[_i].want, reals[_i].want);
    stance_jsonw_clear(&w);
}
END_TEST

/* NaN and the infinities have no JSON form (jansson refuses them too): nothing is written. */
START_TEST(test_real_not_finite)
{
    const double odd[] = {NAN, INFINITY, -INFINITY};
    stance_jsonw w;
    stance_jsonw_init(&w);
    stance_jsonw_raw(&w, "[", 1);
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        ck_assert_int_eq(stance_jsonw_real(&w, odd[i]), 0);
        ck_assert_ptr_null(json_real(odd[i]));
    }
    ck_assert_uint_eq(w.len, 1);
    ck_assert(!w.failed);
    stance_jsonw_clear(&w);
}
END_TEST

/* ---- any value ---- */

static const char *const values[] = {
    "{\"b\":[true,false,null],\"a\":{\"x\":0.1,\"y\":-7,\"z\":\"\\u0001\\\"\"},\"k\\u00e9y\":1e300}",
    "[]",
    "{}",
    "[1,2.5,\"three\",[[]],{\"\":null}]",
    "\"only a string\"",
    "-12",
};

START_TEST(test_value)
{
    json_error_t je;
    json_t *v = json_loads(values[_i], JSON_DECODE_ANY, &je);
    ck_assert_msg(v != NULL, "%s", je.text);
    stance_jsonw w;
    stance_jsonw_init(&w);
    stance_jsonw_value(&w, v);
    char *want = json_dumps(v, DUMP_FLAGS);
    check_text(&w, v, want, values[_i]);
    free(want);
    stance_jsonw_clear(&w);
}
END_TEST

/* ---- labels ---- */

/* The one form of a label, and its score rounded to 4 decimals (half away from zero). */
static const struct {
    const char *label;
    double score;
    const char *want;
} labels[] = {
    {"kosovo", 0.9731, "{\"label\":\"kosovo\",\"score\":0.9731}"},
    {"kosovo", 0.612345, "{\"label\":\"kosovo\",\"score\":0.6123}"},
    {"abm", 0.987654, "{\"label\":\"abm\",\"score\":0.9877}"},
    {"abm", 0.99996, "{\"label\":\"abm\",\"score\":1.0}"},
    {"abm", 1.0, "{\"label\":\"abm\",\"score\":1.0}"},
    {"abm", 0.5, "{\"label\":\"abm\",\"score\":0.5}"},
    {"abm", 0.00004, "{\"label\":\"abm\",\"score\":0.0}"},
    {"abm", 0.00006, "{\"label\":\"abm\",\"score\":0.0001}"},
    {"abm", 0.0, "{\"label\":\"abm\",\"score\":0.0}"},
    {"a \"b\"\t\xC3\xA9", 0.25, "{\"label\":\"a \\\"b\\\"\\t\xC3\xA9\",\"score\":0.25}"},
};

START_TEST(test_label)
{
    stance_jsonw w;
    stance_jsonw_init(&w);
    ck_assert_int_eq(stance_jsonw_label(&w, labels[_i].label, labels[_i].score), 1);
    json_t *v = json_object();
    ck_assert_ptr_nonnull(v);
    json_object_set_new(v, "label", json_string(labels[_i].label));
    json_object_set_new(v, "score", json_real(round(labels[_i].score * 10000) / 10000));
    check_text(&w, v, labels[_i].want, labels[_i].want);
    stance_jsonw_clear(&w);
}
END_TEST

/* A score is the rounded value written as a real: every one of the 10001, and values between. */
START_TEST(test_score_every_value)
{
    stance_jsonw fast, slow;
    stance_jsonw_init(&fast);
    stance_jsonw_init(&slow);
    for (int k = -2; k <= 10002; k++) {
        for (int part = 0; part < (k % 7 ? 1 : 3); part++) { /* some values between, too */
            double score = (k + 0.3 * part) / 10000;
            fast.len = slow.len = 0;
            ck_assert_int_eq(stance_jsonw_score(&fast, score), 1);
            ck_assert_int_eq(stance_jsonw_real(&slow, stance_jsonw_score_round(score)), 1);
            ck_assert_uint_eq(fast.len, slow.len);
            ck_assert_msg(memcmp(fast.buf, slow.buf, fast.len) == 0, "%.17g: %.*s, not %.*s",
                          score, (int)fast.len, fast.buf, (int)slow.len, slow.buf);
        }
    }
    stance_jsonw_clear(&fast);
    stance_jsonw_clear(&slow);
}
END_TEST

START_TEST(test_label_not_finite)
{
    stance_jsonw w;
    stance_jsonw_init(&w);
    ck_assert_int_eq(stance_jsonw_label(&w, "abm", NAN), 0);
    ck_assert_int_eq(stance_jsonw_label(&w, "abm", INFINITY), 0);
    stance_jsonw_clear(&w);
}
END_TEST

/* ---- objects ---- */

/* Accepts every key but "skip". */
static int keep_not_skip(const char *key, void *arg)
{
    (void)arg;
    return strcmp(key, "skip") != 0;
}

/* An object of fields added in an order of their own (not sorted), then the members of `more`
 * (JSON text, or NULL) with keep: fields keep the order they were added in, and the members
 * follow in more's order, except those whose key the object has (its value stays) or that
 * keep refuses. */
static const struct {
    int nfields; /* how many of the fields below the object gets */
    const char *more;
    int keep;    /* keep_not_skip, or none */
    const char *want;
} objects[] = {
    {0, NULL, 0, "{}"},
    {0, "{}", 1, "{}"},
    {1, NULL, 0, "{\"z\":1}"},
    {4, NULL, 0, "{\"z\":1,\"a\":\"x\\\"y\",\"k\xC3\xA9y\":[1,{\"b\":null}],\"m\":-2.5}"},
    {0, "{\"b\":2,\"a\":1}", 0, "{\"b\":2,\"a\":1}"},
    {2, "{\"a\":\"other\",\"new\":true,\"z\":0,\"skip\":1,\"last\":[]}", 1,
     "{\"z\":1,\"a\":\"x\\\"y\",\"new\":true,\"last\":[]}"},
    {2, "{\"skip\":1}", 1, "{\"z\":1,\"a\":\"x\\\"y\"}"},
    {2, "{\"skip\":1}", 0, "{\"z\":1,\"a\":\"x\\\"y\",\"skip\":1}"},
};

START_TEST(test_object)
{
    stance_jsonw_object o;
    stance_jsonw_object_init(&o);
    for (int pass = 0; pass < 2; pass++) { /* a second time after a reset: same text */
        stance_jsonw_object_reset(&o);
        int n = objects[_i].nfields;
        if (n > 0)
            stance_jsonw_object_integer(&o, "z", 1);
        if (n > 1)
            stance_jsonw_object_string(&o, "a", "x\"y", 3);
        if (n > 2) {
            size_t at = o.values.len;
            stance_jsonw_raw(&o.values, "[1,{\"b\":null}]", 14);
            stance_jsonw_object_add(&o, "k\xC3\xA9y", at);
        }
        if (n > 3) {
            size_t at = o.values.len;
            ck_assert_int_eq(stance_jsonw_real(&o.values, -2.5), 1);
            stance_jsonw_object_add(&o, "m", at);
        }
        json_t *more = NULL;
        json_error_t je;
        if (objects[_i].more)
            ck_assert_msg((more = json_loads(objects[_i].more, 0, &je)) != NULL, "%s", je.text);
        stance_jsonw w;
        stance_jsonw_init(&w);
        stance_jsonw_object_write(&w, &o, more, objects[_i].keep ? keep_not_skip : NULL, NULL);
        char *got = text_of(&w);
        ck_assert_msg(strcmp(got, objects[_i].want) == 0, "case %d: got %s, want %s", _i, got,
                      objects[_i].want);
        json_t *back = json_loads(got, JSON_REJECT_DUPLICATES, &je); /* valid JSON, no key twice */
        ck_assert_msg(back != NULL, "%s: %s", got, je.text);
        json_decref(back);
        free(got);
        stance_jsonw_clear(&w);
        json_decref(more);
    }
    stance_jsonw_object_clear(&o);
}
END_TEST

/* More fields than the first allocation holds. */
START_TEST(test_object_many_fields)
{
    static char keys[100][8];
    stance_jsonw_object o;
    stance_jsonw_object_init(&o);
    json_t *want = json_object();
    for (int i = 0; i < 100; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", 99 - i);
        stance_jsonw_object_integer(&o, keys[i], i);
        json_object_set_new(want, keys[i], json_integer(i));
    }
    stance_jsonw w;
    stance_jsonw_init(&w);
    stance_jsonw_object_write(&w, &o, NULL, NULL, NULL);
    char *s = json_dumps(want, DUMP_FLAGS);
    check_text(&w, want, s, "100 fields");
    free(s);
    stance_jsonw_clear(&w);
    stance_jsonw_object_clear(&o);
}
END_TEST

/* ---- failure ---- */

/* A buffer that cannot grow is marked failed and takes nothing more (a size past SIZE_MAX / 2
 * fails before any allocation); clearing makes it usable again. An object whose values failed
 * makes the text it is written into fail too. */
START_TEST(test_failure_sticks)
{
    stance_jsonw w;
    stance_jsonw_init(&w);
    stance_jsonw_raw(&w, "[1", 2);
    stance_jsonw_raw(&w, "", SIZE_MAX);
    ck_assert(w.failed);
    ck_assert_uint_eq(w.len, 2);
    stance_jsonw_raw(&w, "]", 1);
    stance_jsonw_string(&w, "x", 1);
    stance_jsonw_integer(&w, 3);
    stance_jsonw_real(&w, 0.5);
    ck_assert_uint_eq(w.len, 2);
    ck_assert(w.failed);
    stance_jsonw_clear(&w);
    ck_assert(!w.failed);
    stance_jsonw_raw(&w, "[]", 2);
    char *s = text_of(&w);
    ck_assert_str_eq(s, "[]");
    free(s);

    stance_jsonw_object o;
    stance_jsonw_object_init(&o);
    stance_jsonw_object_integer(&o, "a", 1);
    stance_jsonw_raw(&o.values, "", SIZE_MAX);
    w.len = 0;
    stance_jsonw_object_write(&w, &o, NULL, NULL, NULL);
    ck_assert(w.failed);
    stance_jsonw_object_reset(&o); /* forgets the failure */
    ck_assert(!o.values.failed);
    stance_jsonw_clear(&w);
    stance_jsonw_object_integer(&o, "b", 2);
    stance_jsonw_object_write(&w, &o, NULL, NULL, NULL);
    s = text_of(&w);
    ck_assert_str_eq(s, "{\"b\":2}");
    free(s);
    stance_jsonw_clear(&w);
    stance_jsonw_object_clear(&o);
}
END_TEST

Suite *jsonw_suite(void)
{
    Suite *s = suite_create("jsonw");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_string, 0, sizeof strings / sizeof strings[0]);
    tcase_add_test(tc, test_string_every_byte);
    tcase_add_loop_test(tc, test_integer, 0, sizeof integers / sizeof integers[0]);
    tcase_add_loop_test(tc, test_real, 0, sizeof reals / sizeof reals[0]);
    tcase_add_test(tc, test_real_not_finite);
    tcase_add_loop_test(tc, test_value, 0, sizeof values / sizeof values[0]);
    tcase_add_loop_test(tc, test_label, 0, sizeof labels / sizeof labels[0]);
    tcase_add_test(tc, test_label_not_finite);
    tcase_add_test(tc, test_score_every_value);
    tcase_add_loop_test(tc, test_object, 0, sizeof objects / sizeof objects[0]);
    tcase_add_test(tc, test_object_many_fields);
    tcase_add_test(tc, test_failure_sticks);
    suite_add_tcase(s, tc);
    return s;
}
