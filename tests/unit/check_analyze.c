/* check_analyze.c: text to stems in one call, checked against hand-written stems and against
 * the tokenizer and stemmer run one after the other; reuse of the analyzer's buffers. */
#include <stdlib.h>
#include <string.h>

#include "../../pipeline/analyze_int.h"
#include "../../pipeline/stem_int.h"
#include "stance/tokenize.h"
#include "suites.h"

#define MAXSTEMS 16

/* Built-in English stop words dropped (function words, not negations), possessive 's
 * dropped by the tokenizer, then Snowball English stems. */
static const struct {
    const char *text;
    size_t n;
    const char *stems[MAXSTEMS];
} cases[] = {
    {"The Alliance's warnings", 2, {"allianc", "warn"}},
    {"NATO and Russia did not agree on the ABM treaty.", 6,
     {"nato", "russia", "not", "agre", "abm", "treati"}},
    {"Moscow’s envoys met in Brussels–again.", 4, {"moscow", "envoy", "met", "brussel"}},
    {"60,000-strong S-300 units were deployed", 5, {"60,000", "strong", "s-300", "unit", "deploy"}},
    {"No expansion, no talks!", 4, {"no", "expans", "no", "talk"}},
    {"It is what it was", 0, {NULL}},
    {"", 0, {NULL}},
    {"  \n\t  ", 0, {NULL}},
    {"...!?", 0, {NULL}},
};

static void expect_stems(const char *const *stems, const size_t *lens, size_t n, size_t i)
{
    ck_assert_msg(n == cases[i].n, "\"%s\": %zu stems, expected %zu", cases[i].text, n, cases[i].n);
    for (size_t k = 0; k < n; k++) {
        ck_assert_uint_eq(lens[k], strlen(stems[k]));
        ck_assert_str_eq(stems[k], cases[i].stems[k]);
    }
}

START_TEST(test_stems_table)
{
    stance_analyzer *an;
    stance_error err;
    ck_assert_int_eq(stance_analyzer_new("english", &an, &err), STANCE_OK);
    const char *const *stems;
    const size_t *lens;
    size_t n = 99;
    ck_assert_int_eq(stance_analyzer_run(an, cases[_i].text, strlen(cases[_i].text), &stems, &lens, &n, &err),
                     STANCE_OK);
    expect_stems(stems, lens, n, (size_t)_i);
    stance_analyzer_free(an);
}
END_TEST

/* The same as tokenize, then stem_content on each token with a separate stemmer. */
START_TEST(test_same_as_tokenize_then_stem)
{
    stance_error err;
    stance_analyzer *an;
    stance_stemmer *st;
    ck_assert_int_eq(stance_analyzer_new("english", &an, &err), STANCE_OK);
    ck_assert_int_eq(stance_stemmer_new("english", &st, &err), STANCE_OK);
    stance_tokens toks;
    stance_tokens_init(&toks);
    const char *text = cases[_i].text;
    ck_assert_int_eq(stance_tokenize_run(text, strlen(text), 0, &toks, &err), STANCE_OK);
    const char *const *stems;
    const size_t *lens;
    size_t n;
    ck_assert_int_eq(stance_analyzer_run(an, text, strlen(text), &stems, &lens, &n, &err), STANCE_OK);
    size_t k = 0;
    for (size_t i = 0; i < toks.count; i++) {
        const char *stem;
        size_t slen;
        int r = stance_stemmer_stem_content(st, stance_tokens_get_text(&toks, i), toks.items[i].len,
                                            &stem, &slen);
        ck_assert_int_ge(r, 0);
        if (r == 0)
            continue;
        ck_assert_uint_lt(k, n);
        ck_assert_uint_eq(lens[k], slen);
        ck_assert_int_eq(memcmp(stems[k], stem, slen), 0);
        k++;
    }
    ck_assert_uint_eq(k, n);
    stance_tokens_clear(&toks);
    stance_stemmer_free(st);
    stance_analyzer_free(an);
}
END_TEST

/* One analyzer over many texts, long then short then long: each result is complete and has
 * nothing left over from the call before. */
START_TEST(test_reuse)
{
    stance_analyzer *an;
    stance_error err;
    ck_assert_int_eq(stance_analyzer_new("english", &an, &err), STANCE_OK);
    /* A long text first, so the buffers grow (and move) while it is analyzed. */
    size_t reps = 500;
    const char *unit = "Russian generals warned NATO. ";
    size_t ulen = strlen(unit);
    char *big = malloc(reps * ulen + 1);
    ck_assert_ptr_nonnull(big);
    for (size_t r = 0; r < reps; r++)
        memcpy(big + r * ulen, unit, ulen);
    big[reps * ulen] = '\0';
    const char *const *stems;
    const size_t *lens;
    size_t n;
    for (int round = 0; round < 2; round++) {
        ck_assert_int_eq(stance_analyzer_run(an, big, reps * ulen, &stems, &lens, &n, &err), STANCE_OK);
        ck_assert_uint_eq(n, 4 * reps);
        const char *want[] = {"russian", "general", "warn", "nato"};
        for (size_t k = 0; k < n; k++) {
            ck_assert_uint_eq(lens[k], strlen(want[k % 4]));
            ck_assert_str_eq(stems[k], want[k % 4]);
        }
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            ck_assert_int_eq(stance_analyzer_run(an, cases[i].text, strlen(cases[i].text), &stems, &lens, &n, &err),
                             STANCE_OK);
            expect_stems(stems, lens, n, i);
        }
    }
    free(big);
    stance_analyzer_free(an);
}
END_TEST

/* Only the first len bytes count, and the text need not be NUL-terminated there. */
START_TEST(test_length_bounds_text)
{
    stance_analyzer *an;
    stance_error err;
    ck_assert_int_eq(stance_analyzer_new("english", &an, &err), STANCE_OK);
    const char *text = "warnings about treaties";
    const char *const *stems;
    const size_t *lens;
    size_t n;
    ck_assert_int_eq(stance_analyzer_run(an, text, 8, &stems, &lens, &n, &err), STANCE_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(stems[0], "warn");
    stance_analyzer_free(an);
}
END_TEST

/* Stop words are the stemmer's: emptied, function words come through (stemmed). */
START_TEST(test_stopwords_through_stemmer)
{
    stance_analyzer *an;
    stance_error err;
    ck_assert_int_eq(stance_analyzer_new("english", &an, &err), STANCE_OK);
    const char *text = "The Alliance's warnings";
    const char *const *stems;
    const size_t *lens;
    size_t n;
    stance_stemmer_clear_stopwords(stance_analyzer_stemmer(an));
    ck_assert_int_eq(stance_analyzer_run(an, text, strlen(text), &stems, &lens, &n, &err), STANCE_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(stems[0], "the");
    ck_assert_str_eq(stems[1], "allianc");
    ck_assert_str_eq(stems[2], "warn");
    ck_assert_int_eq(stance_stemmer_add_stopword(stance_analyzer_stemmer(an), "warnings", 8, &err), STANCE_OK);
    ck_assert_int_eq(stance_analyzer_run(an, text, strlen(text), &stems, &lens, &n, &err), STANCE_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(stems[1], "allianc");
    stance_analyzer_free(an);
}
END_TEST

START_TEST(test_other_language_and_unknown)
{
    stance_analyzer *an = (stance_analyzer *)&an; /* not NULL: must be reset */
    stance_error err;
    stance_error_clear(&err);
    ck_assert_int_eq(stance_analyzer_new("klingon", &an, &err), STANCE_ERR_USAGE);
    ck_assert_ptr_null(an);
    ck_assert_ptr_nonnull(strstr(err.message, "klingon"));
    ck_assert_int_eq(stance_analyzer_new("russian", &an, &err), STANCE_OK);
    const char *text = "НАТО расширяется";
    const char *const *stems;
    const size_t *lens;
    size_t n;
    ck_assert_int_eq(stance_analyzer_run(an, text, strlen(text), &stems, &lens, &n, &err), STANCE_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(stems[0], "нат");
    ck_assert_str_eq(stems[1], "расширя");
    stance_analyzer_free(an);
    stance_analyzer_free(NULL);
}
END_TEST

Suite *analyze_suite(void)
{
    Suite *s = suite_create("analyze");
    TCase *tc = tcase_create("core");
    int ncases = (int)(sizeof cases / sizeof cases[0]);
    tcase_add_loop_test(tc, test_stems_table, 0, ncases);
    tcase_add_loop_test(tc, test_same_as_tokenize_then_stem, 0, ncases);
    tcase_add_test(tc, test_reuse);
    tcase_add_test(tc, test_length_bounds_text);
    tcase_add_test(tc, test_stopwords_through_stemmer);
    tcase_add_test(tc, test_other_language_and_unknown);
    suite_add_tcase(s, tc);
    return s;
}
