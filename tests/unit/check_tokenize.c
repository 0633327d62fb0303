/* check_tokenize.c: the tokenizer rules of tokenize.h, one table row per case. */
#include <stdlib.h>
#include <string.h>

#include "stance/tokenize.h"
#include "suites.h"

/* input, then the expected tokens joined by '|' */
static const struct {
    const char *in, *out;
} cases[] = {
    {"", ""},
    {"  \t\n ", ""},
    {"NATO and Moscow", "nato|and|moscow"},
    /* typographic dashes between words, no spaces */
    {"the Alliance\xE2\x80\x93" "and Moscow\xE2\x80\x94" "disagreed", "the|alliance|and|moscow|disagreed"},
    /* possessives, straight and curly */
    {"Russia\xE2\x80\x99s envoy", "russia|envoy"},
    {"Yeltsin's decree", "yeltsin|decree"},
    {"the allies\xE2\x80\x99 plans", "the|allies|plans"},
    {"it's", "it"},
    /* other apostrophes stay inside the word, normalised */
    {"don\xE2\x80\x99t o'Neill", "don't|o'neill"},
    {"'quoted' words", "quoted|words"},
    /* typographic quotes and ellipsis separate */
    {"\xE2\x80\x9CPeace\xE2\x80\x9D\xE2\x80\xA6 later", "peace|later"},
    /* numbers */
    {"1,500 troops", "1,500|troops"},
    {"a 60,000-strong force", "a|60,000|strong|force"},
    {"2.5 percent.", "2.5|percent"},
    {"in 1999, 2000", "in|1999|2000"},
    {"1998-2002", "1998|2002"},
    {"the 1990s, 21st century, G8", "the|1990s|21st|century|g8"},
    /* hyphens separate, except in model designations */
    {"pro-Western anti-missile", "pro|western|anti|missile"},
    {"S-300 MiG-29 Su-27SK T-90", "s-300|mig-29|su-27sk|t-90"},
    {"long-range", "long|range"},
    {"Tomahawk-2", "tomahawk|2"},
    /* abbreviations */
    {"U.S. envoys", "u.s|envoys"},
    {"U.S.-Russian talks", "u.s|russian|talks"},
    {"Mr. A. Smith", "mr|a|smith"},
    {"the U.N.", "the|u.n"},
    /* letters with diacritics, Cyrillic, Greek */
    {"\xC3\x89" "ric Mari\xC3\xA9", "\xC3\xA9" "ric|mari\xC3\xA9"},
    {"\xD0\x9F\xD0\xA3\xD0\xA2\xD0\x98\xD0\x9D \xD0\x9D\xD0\x90\xD0\xA2\xD0\x9E",
     "\xD0\xBF\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD|\xD0\xBD\xD0\xB0\xD1\x82\xD0\xBE"},
    {"\xCE\x91\xCE\x98\xCE\x97\xCE\x9D\xCE\x91", "\xCE\xB1\xCE\xB8\xCE\xB7\xCE\xBD\xCE\xB1"},
    {"Wa\xC5\x81\xC4\x99sa", "wa\xC5\x82\xC4\x99sa"},
    /* guillemets, non-breaking space, section sign separate */
    {"\xC2\xAB" "da\xC2\xBB\xC2\xA0net \xC2\xA7" "5", "da|net|5"},
    /* combining accent stays in the word */
    {"Cafe\xCC\x81 bar", "cafe\xCC\x81|bar"},
    /* malformed bytes separate */
    {"ab\xFF" "cd", "ab|cd"},
    /* CRLF */
    {"one\r\ntwo", "one|two"},
    /* format characters are ignored, inside words and between them (rule 8) */
    {"Ko\xC2\xAD" "sovo peace\xC2\xAD" "keepers", "kosovo|peacekeepers"},   /* soft hyphen */
    {"kos\xEF\xBB\xBF" "ovo", "kosovo"},                                  /* BOM inside */
    {"Ko\xE2\x81\xA0so\xE2\x80\x8C" "vo\xE2\x80\x8D" "s", "kosovos"},     /* WJ, ZWNJ, ZWJ */
    {"Ko\xE2\x80\x8B" "sovo", "kosovo"},                                   /* zero-width space */
    {"\xE2\x80\xAEKosovo\xE2\x80\xAC talks", "kosovo|talks"},             /* bidi controls */
    {"NA\xF3\xA0\x80\xA1TO", "nato"},                                      /* a tag character */
    {"\xC2\xAD \xEF\xBB\xBF \xE2\x80\x8B", ""},                         /* only format chars */
    {"one \xC2\xAD two", "one|two"},
    /* ...and the joining rules look past them */
    {"Russia\xC2\xAD\xE2\x80\x99\xC2\xADs envoy", "russia|envoy"},
    {"U.\xC2\xAD" "S.\xC2\xAD envoys", "u.s|envoys"},
    {"S-\xE2\x81\xA0" "300 1,\xC2\xAD" "500", "s-300|1,500"},
    {"don\xE2\x80\x99\xC2\xADt", "don't"},
};

static char *joined(const stance_tokens *toks)
{
    size_t n = 1;
    for (size_t i = 0; i < toks->count; i++)
        n += toks->items[i].len + 1;
    char *s = malloc(n), *p = s;
    for (size_t i = 0; i < toks->count; i++) {
        if (i)
            *p++ = '|';
        memcpy(p, stance_tokens_get_text(toks, i), toks->items[i].len);
        p += toks->items[i].len;
    }
    *p = '\0';
    return s;
}

START_TEST(test_rules_table)
{
    stance_tokens toks;
    stance_tokens_init(&toks);
    stance_error err;
    ck_assert_int_eq(stance_tokenize_run(cases[_i].in, strlen(cases[_i].in), 0, &toks, &err), STANCE_OK);
    char *got = joined(&toks);
    ck_assert_msg(strcmp(got, cases[_i].out) == 0, "input '%s': got '%s', want '%s'", cases[_i].in,
                  got, cases[_i].out);
    free(got);
    stance_tokens_clear(&toks);
}
END_TEST

START_TEST(test_offsets_delimit_source)
{
    const char *s = "Moscow\xE2\x80\x99s U.S. S-300";
    stance_tokens toks;
    stance_tokens_init(&toks);
    ck_assert_int_eq(stance_tokenize_run(s, strlen(s), 100, &toks, NULL), STANCE_OK);
    ck_assert_uint_eq(toks.count, 3);
    const size_t want[3][2] = {{100, 106}, {111, 114}, {116, 121}};
    for (size_t i = 0; i < 3; i++) {
        ck_assert_uint_eq(toks.items[i].start, want[i][0]);
        ck_assert_uint_eq(toks.items[i].end, want[i][1]);
    }
    stance_tokens_clear(&toks);
}
END_TEST

/* Format characters: tokens as if they were not there, offsets in the original bytes, and a
 * token never starts or ends on one. */
START_TEST(test_format_offsets)
{
    const char *s = "\xC2\xAD" "Ko\xC2\xAD" "sovo\xE2\x80\x8B, U.S\xEF\xBB\xBF.";
    stance_tokens toks;
    stance_tokens_init(&toks);
    ck_assert_int_eq(stance_tokenize_run(s, strlen(s), 10, &toks, NULL), STANCE_OK);
    ck_assert_uint_eq(toks.count, 2);
    ck_assert_str_eq(stance_tokens_get_text(&toks, 0), "kosovo");
    ck_assert_str_eq(stance_tokens_get_text(&toks, 1), "u.s");
    const size_t want[2][2] = {{12, 20}, {25, 28}};
    for (size_t i = 0; i < 2; i++) {
        ck_assert_uint_eq(toks.items[i].start, want[i][0]);
        ck_assert_uint_eq(toks.items[i].end, want[i][1]);
    }
    stance_tokens_clear(&toks);
}
END_TEST

/* Every format character of the table inserted at every place of every rules-table input gives
 * the tokens of the input without it. */
START_TEST(test_format_anywhere)
{
    static const char *const fmt[] = {"\xC2\xAD", "\xD8\x80", "\xE2\x80\x8B", "\xE2\x80\x8F",
                                      "\xE2\x81\xA0", "\xE2\x81\xAF", "\xEF\xBB\xBF",
                                      "\xF3\xA0\x81\xBF"};
    const char *in = cases[_i].in;
    size_t n = strlen(in);
    stance_tokens toks;
    stance_tokens_init(&toks);
    char *buf = malloc(n + 5);
    for (size_t f = 0; f < sizeof fmt / sizeof fmt[0]; f++) {
        size_t k = strlen(fmt[f]);
        for (size_t at = 0; at <= n; at++) {
            if (at < n && ((unsigned char)in[at] & 0xC0) == 0x80)
                continue; /* not inside a character */
            memcpy(buf, in, at);
            memcpy(buf + at, fmt[f], k);
            memcpy(buf + at + k, in + at, n - at);
            ck_assert_int_eq(stance_tokenize_run(buf, n + k, 0, &toks, NULL), STANCE_OK);
            char *got = joined(&toks);
            ck_assert_msg(strcmp(got, cases[_i].out) == 0, "input '%s' with format character %zu "
                          "at %zu: got '%s', want '%s'", in, f, at, got, cases[_i].out);
            free(got);
            for (size_t t = 0; t < toks.count; t++) { /* a token starts and ends on its own bytes */
                ck_assert(toks.items[t].start < at || toks.items[t].start >= at + k);
                ck_assert(toks.items[t].end <= at || toks.items[t].end > at + k);
            }
        }
    }
    free(buf);
    stance_tokens_clear(&toks);
}
END_TEST

START_TEST(test_reuse_and_long_word)
{
    stance_tokens toks;
    stance_tokens_init(&toks);
    size_t n = 1 << 20;
    char *big = malloc(n);
    memset(big, 'A', n);
    ck_assert_int_eq(stance_tokenize_run(big, n, 0, &toks, NULL), STANCE_OK);
    ck_assert_uint_eq(toks.count, 1);
    ck_assert_uint_eq(toks.items[0].len, n);
    ck_assert_int_eq(stance_tokens_get_text(&toks, 0)[n - 1], 'a');
    ck_assert_int_eq(stance_tokenize_run("two words", 9, 0, &toks, NULL), STANCE_OK);
    ck_assert_uint_eq(toks.count, 2);
    ck_assert_str_eq(stance_tokens_get_text(&toks, 1), "words");
    free(big);
    stance_tokens_clear(&toks);
}
END_TEST

Suite *tokenize_suite(void)
{
    Suite *s = suite_create("tokenize");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_rules_table, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, test_offsets_delimit_source);
    tcase_add_test(tc, test_format_offsets);
    tcase_add_loop_test(tc, test_format_anywhere, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, test_reuse_and_long_word);
    suite_add_tcase(s, tc);
    return s;
}
