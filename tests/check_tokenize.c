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
        memcpy(p, stance_tokens_text(toks, i), toks->items[i].len);
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
    ck_assert_int_eq(stance_tokenize(cases[_i].in, strlen(cases[_i].in), 0, &toks, &err), STANCE_OK);
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
    ck_assert_int_eq(stance_tokenize(s, strlen(s), 100, &toks, NULL), STANCE_OK);
    ck_assert_uint_eq(toks.count, 3);
    const size_t want[3][2] = {{100, 106}, {111, 114}, {116, 121}};
    for (size_t i = 0; i < 3; i++) {
        ck_assert_uint_eq(toks.items[i].start, want[i][0]);
        ck_assert_uint_eq(toks.items[i].end, want[i][1]);
    }
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
    ck_assert_int_eq(stance_tokenize(big, n, 0, &toks, NULL), STANCE_OK);
    ck_assert_uint_eq(toks.count, 1);
    ck_assert_uint_eq(toks.items[0].len, n);
    ck_assert_int_eq(stance_tokens_text(&toks, 0)[n - 1], 'a');
    ck_assert_int_eq(stance_tokenize("two words", 9, 0, &toks, NULL), STANCE_OK);
    ck_assert_uint_eq(toks.count, 2);
    ck_assert_str_eq(stance_tokens_text(&toks, 1), "words");
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
    tcase_add_test(tc, test_reuse_and_long_word);
    suite_add_tcase(s, tc);
    return s;
}
