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

/* Scoped copies: the stems a text gives with scopes, after the plain ones (which the scopes leave
 * as they were). Stop words: none, unless the case says built-in. */
static const struct {
    const char *text;
    unsigned scopes;
    int builtin_stop;
    size_t ncopies;
    const char *copies[MAXSTEMS];
} scoped_cases[] = {
    /* the contrast runs to the sentence's end, not past it; commas do not end it */
    {"Talks were cordial, but tension rose, sharply. Ties improved.", STANCE_SCOPE_CONTRAST, 0, 3,
     {"c:tension", "c:rose", "c:sharpli"}},
    {"However, NATO refused! Moscow agreed; Kiev too.", STANCE_SCOPE_CONTRAST, 0, 2,
     {"c:nato", "c:refus"}},
    /* each marker opens a contrast: "still" and "despite" too, case does not matter */
    {"STILL silent. Despite protests", STANCE_SCOPE_CONTRAST, 0, 2, {"c:silent", "c:protest"}},
    /* three stems after a negation, fewer if punctuation comes first */
    {"Moscow did not accept the new treaty", STANCE_SCOPE_NEGATION, 0, 3,
     {"n:accept", "n:the", "n:new"}},
    {"They won't sign, then agreed", STANCE_SCOPE_NEGATION, 0, 1, {"n:sign"}},
    {"no, never", STANCE_SCOPE_NEGATION, 0, 0, {NULL}},
    /* a marker is copied into a scope already open ("not" into the contrast), not into the one
     * it opens ("yet", a contrast marker, into the contrast) */
    {"Agreed, but not yet ratified.", STANCE_SCOPE_ALL, 0, 4,
     {"c:not", "c:ratifi", "n:yet", "n:ratifi"}},
    /* with the built-in stop list: "but" and "did" are dropped, yet "but" still opens a scope */
    {"They agreed, but Moscow did not sign it.", STANCE_SCOPE_ALL, 1, 4,
     {"c:moscow", "c:not", "c:sign", "n:sign"}},
    /* a scope not asked for makes no copies */
    {"Agreed, but not signed", STANCE_SCOPE_NEGATION, 0, 1, {"n:sign"}},
    {"A marker at the end: but", STANCE_SCOPE_CONTRAST | STANCE_SCOPE_NEGATION, 0, 0, {NULL}},
    /* the last sentence, markers and all, when a sentence comes before it */
    {"Talks went well. But NATO balked.", STANCE_SCOPE_CONTRAST | STANCE_SCOPE_LAST, 0, 5,
     {"c:nato", "c:balk", "l:but", "l:nato", "l:balk"}},
    {"One. Two; three", STANCE_SCOPE_LAST, 0, 1, {"l:three"}},
    {"NATO balked, Moscow said.", STANCE_SCOPE_LAST, 0, 0, {NULL}},
    {"Agreed. It is what it was.", STANCE_SCOPE_LAST, 1, 0, {NULL}},
};

static void run_scoped(stance_analyzer *an, size_t i, unsigned scopes, const char *const **stems,
                       const size_t **lens, size_t *n)
{
    stance_error err;
    stance_analyzer_set_scopes(an, scopes);
    const char *text = scoped_cases[i].text;
    ck_assert_int_eq(stance_analyzer_run(an, text, strlen(text), stems, lens, n, &err), STANCE_OK);
}

START_TEST(test_scoped_copies)
{
    stance_analyzer *an;
    stance_error err;
    ck_assert_int_eq(stance_analyzer_new("english", &an, &err), STANCE_OK);
    if (!scoped_cases[_i].builtin_stop)
        stance_stemmer_clear_stopwords(stance_analyzer_stemmer(an));
    const char *const *stems;
    const size_t *lens;
    size_t plain, n;
    run_scoped(an, (size_t)_i, 0, &stems, &lens, &plain);
    char *want[64];
    ck_assert_uint_le(plain, 64);
    for (size_t k = 0; k < plain; k++)
        ck_assert_ptr_nonnull(want[k] = strdup(stems[k]));
    size_t *spans = malloc(2 * (plain ? plain : 1) * sizeof *spans);
    ck_assert_ptr_nonnull(spans);
    memcpy(spans, stance_analyzer_get_spans(an), 2 * plain * sizeof *spans);
    run_scoped(an, (size_t)_i, scoped_cases[_i].scopes, &stems, &lens, &n);
    ck_assert_msg(n == plain + scoped_cases[_i].ncopies, "\"%s\": %zu stems, expected %zu + %zu",
                  scoped_cases[_i].text, n, plain, scoped_cases[_i].ncopies);
    const size_t *got_spans = stance_analyzer_get_spans(an);
    for (size_t k = 0; k < plain; k++) {
        ck_assert_str_eq(stems[k], want[k]);
        ck_assert_uint_eq(got_spans[2 * k], spans[2 * k]);
    }
    for (size_t k = plain; k < n; k++) {
        ck_assert_str_eq(stems[k], scoped_cases[_i].copies[k - plain]);
        ck_assert_uint_eq(lens[k], strlen(stems[k]));
        ck_assert(stance_analyzer_is_scoped(stems[k]));
        /* the copy's span is its stem's: a plain stem with the same text after the prefix */
        int found = 0;
        for (size_t j = 0; j < plain; j++)
            found |= strcmp(want[j], stems[k] + 2) == 0 && got_spans[2 * k] == spans[2 * j] &&
                     got_spans[2 * k + 1] == spans[2 * j + 1];
        ck_assert_msg(found, "copy %s has no source stem with its span", stems[k]);
    }
    for (size_t k = 0; k < plain; k++)
        free(want[k]);
    free(spans);
    stance_analyzer_free(an);
}
END_TEST

/* Scopes stay off until set, and setting 0 turns them off again on the same analyzer. */
START_TEST(test_scopes_off_again)
{
    stance_analyzer *an;
    stance_error err;
    ck_assert_int_eq(stance_analyzer_new("english", &an, &err), STANCE_OK);
    const char *text = "Agreed, but not signed";
    const char *const *stems;
    const size_t *lens;
    size_t n0, n1, n2;
    ck_assert_int_eq(stance_analyzer_run(an, text, strlen(text), &stems, &lens, &n0, &err), STANCE_OK);
    /* unknown bits are ignored */
    stance_analyzer_set_scopes(an, STANCE_SCOPE_CONTRAST | STANCE_SCOPE_NEGATION | 64u);
    ck_assert_int_eq(stance_analyzer_run(an, text, strlen(text), &stems, &lens, &n1, &err), STANCE_OK);
    stance_analyzer_set_scopes(an, 0);
    ck_assert_int_eq(stance_analyzer_run(an, text, strlen(text), &stems, &lens, &n2, &err), STANCE_OK);
    ck_assert_uint_eq(n1, n0 + 3); /* c:not c:sign n:sign */
    ck_assert_uint_eq(n2, n0);
    stance_analyzer_free(an);
}
END_TEST

/* A long text whose copies make the buffers grow while stems are copied from them. */
START_TEST(test_scoped_long_text)
{
    stance_analyzer *an;
    stance_error err;
    ck_assert_int_eq(stance_analyzer_new("english", &an, &err), STANCE_OK);
    stance_analyzer_set_scopes(an, STANCE_SCOPE_CONTRAST | STANCE_SCOPE_NEGATION);
    const char *unit = "but generals did not yield ";
    size_t reps = 400, ulen = strlen(unit);
    char *big = malloc(reps * ulen + 1);
    ck_assert_ptr_nonnull(big);
    for (size_t r = 0; r < reps; r++)
        memcpy(big + r * ulen, unit, ulen);
    const char *const *stems;
    const size_t *lens;
    size_t n;
    ck_assert_int_eq(stance_analyzer_run(an, big, reps * ulen, &stems, &lens, &n, &err), STANCE_OK);
    /* built-in stop words drop "but" and "did": plain general, not, yield per repeat; one
     * sentence, so every plain stem after the first "but" is in contrast, and the negation
     * copies reach from each "not" to the next one (which restarts them; the last has one) */
    size_t plain = 3 * reps;
    ck_assert_uint_eq(n, plain + plain + 2 * reps - 1);
    ck_assert_str_eq(stems[plain], "c:general");
    ck_assert_str_eq(stems[2 * plain], "n:yield");
    ck_assert_str_eq(stems[2 * plain + 1], "n:general");
    ck_assert_str_eq(stems[n - 1], "n:yield");
    free(big);
    stance_analyzer_free(an);
}
END_TEST

START_TEST(test_scopes_parse)
{
    unsigned sc = 99;
    ck_assert_int_eq(stance_analyzer_scopes_parse("none", &sc), 0);
    ck_assert_uint_eq(sc, 0);
    ck_assert_int_eq(stance_analyzer_scopes_parse("contrast", &sc), 0);
    ck_assert_uint_eq(sc, STANCE_SCOPE_CONTRAST);
    ck_assert_int_eq(stance_analyzer_scopes_parse("negation,contrast", &sc), 0);
    ck_assert_uint_eq(sc, STANCE_SCOPE_CONTRAST | STANCE_SCOPE_NEGATION);
    ck_assert_int_eq(stance_analyzer_scopes_parse("last,negation,contrast", &sc), 0);
    ck_assert_uint_eq(sc, STANCE_SCOPE_ALL);
    const char *bad[] = {"", ",", "contrast,", ",negation", "contrast,contrast", "Contrast",
                         "contrasts", "none,contrast", "negation contrast"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(stance_analyzer_scopes_parse(bad[i], &sc) == -1, "\"%s\" taken", bad[i]);
    ck_assert_str_eq(stance_analyzer_scope_name(STANCE_SCOPE_CONTRAST), "contrast");
    ck_assert_str_eq(stance_analyzer_scope_name(STANCE_SCOPE_NEGATION), "negation");
    ck_assert_str_eq(stance_analyzer_scope_name(STANCE_SCOPE_LAST), "last");
    ck_assert_ptr_null(stance_analyzer_scope_name(STANCE_SCOPE_ALL));
    ck_assert_ptr_null(stance_analyzer_scope_name(0));
    ck_assert(stance_analyzer_is_scoped("c:tension"));
    ck_assert(stance_analyzer_is_scoped("rose c:tension"));
    ck_assert(!stance_analyzer_is_scoped("tension rose"));
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
    tcase_add_loop_test(tc, test_scoped_copies, 0, (int)(sizeof scoped_cases / sizeof scoped_cases[0]));
    tcase_add_test(tc, test_scopes_off_again);
    tcase_add_test(tc, test_scoped_long_text);
    tcase_add_test(tc, test_scopes_parse);
    suite_add_tcase(s, tc);
    return s;
}
