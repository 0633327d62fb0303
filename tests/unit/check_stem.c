/* check_stem.c: Snowball stems through the cache, stop word lists and bad inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../pipeline/stem_int.h"
#include "stance/stem.h"
#include "suites.h"

static const struct {
    const char *word, *stem;
} english_cases[] = {
    {"relations", "relat"}, {"missiles", "missil"}, {"enlargement", "enlarg"},
    {"talks", "talk"},      {"cooperation", "cooper"}, {"russia", "russia"},
    {"1,500", "1,500"},     {"s-300", "s-300"},
};

START_TEST(test_english_stems_cached)
{
    stance_stemmer *st;
    stance_error err;
    ck_assert_int_eq(stance_stemmer_new("english", &st, &err), STANCE_OK);
    for (int round = 0; round < 2; round++) { /* the second round is served by the cache */
        size_t len;
        const char *w = english_cases[_i].word;
        const char *s = stance_stemmer_stem(st, w, strlen(w), &len);
        ck_assert_str_eq(s, english_cases[_i].stem);
        ck_assert_uint_eq(len, strlen(english_cases[_i].stem));
    }
    stance_stemmer_free(st);
}
END_TEST

START_TEST(test_other_language_and_unknown)
{
    stance_stemmer *st;
    stance_error err;
    ck_assert_int_eq(stance_stemmer_new("russian", &st, &err), STANCE_OK);
    size_t len;
    const char *w = "\xD0\xB2\xD0\xBE\xD0\xB9\xD0\xBD\xD1\x8B"; /* войны */
    ck_assert_str_eq(stance_stemmer_stem(st, w, strlen(w), &len), "\xD0\xB2\xD0\xBE\xD0\xB9\xD0\xBD");
    stance_stemmer_free(st);
    ck_assert_int_eq(stance_stemmer_new("klingon", &st, &err), STANCE_ERR_USAGE);
    ck_assert_ptr_null(st);
    int english = 0;
    for (const char **l = stance_stem_get_languages(); *l; l++)
        english |= strcmp(*l, "english") == 0;
    ck_assert(english);
}
END_TEST

START_TEST(test_builtin_stopwords_keep_negation)
{
    stance_stemmer *st;
    ck_assert_int_eq(stance_stemmer_new("english", &st, NULL), STANCE_OK);
    ck_assert(stance_stemmer_is_stopword(st, "the", 3));
    ck_assert(stance_stemmer_is_stopword(st, "would", 5));
    ck_assert(!stance_stemmer_is_stopword(st, "not", 3));
    ck_assert(!stance_stemmer_is_stopword(st, "against", 7));
    ck_assert(!stance_stemmer_is_stopword(st, "nato", 4));
    stance_stemmer_clear_stopwords(st);
    ck_assert(!stance_stemmer_is_stopword(st, "the", 3));
    stance_stemmer_free(st);
}
END_TEST

START_TEST(test_stopword_file)
{
    stance_stemmer *st;
    stance_error err;
    ck_assert_int_eq(stance_stemmer_new("english", &st, &err), STANCE_OK);
    ck_assert_int_eq(stance_stemmer_load_stopwords(st, "data/stopwords.txt", &err), STANCE_OK);
    ck_assert(stance_stemmer_is_stopword(st, "moscow", 6)); /* listed as "Moscow" */
    ck_assert(stance_stemmer_is_stopword(st, "nato", 4));
    ck_assert(!stance_stemmer_is_stopword(st, "the", 3)); /* the file replaces the built-in list */
    ck_assert(!stance_stemmer_is_stopword(st, "# comment", 9));
    ck_assert_int_eq(stance_stemmer_load_stopwords(st, "data/stopwords-bad.txt", &err), STANCE_ERR_DATA);
    ck_assert_int_eq(err.line, 2);
    ck_assert_str_eq(err.message, "invalid UTF-8 in stop word");
    ck_assert(stance_stemmer_is_stopword(st, "nato", 4)); /* a failed load changes nothing */
    ck_assert_int_eq(stance_stemmer_load_stopwords(st, "data/nope.txt", &err), STANCE_ERR_IO);
    stance_stemmer_free(st);
}
END_TEST

/* A stop word file that starts with a byte-order mark: the mark is not part of the first word. */
START_TEST(test_stopwords_bom)
{
    char path[] = "/tmp/check_stem_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const char text[] = "\xEF\xBB\xBFnato\nkosovo\n";
    ck_assert_int_eq(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    stance_stemmer *st;
    stance_error err;
    ck_assert_int_eq(stance_stemmer_new("english", &st, &err), STANCE_OK);
    ck_assert_int_eq(stance_stemmer_load_stopwords(st, path, &err), STANCE_OK);
    unlink(path);
    ck_assert(stance_stemmer_is_stopword(st, "nato", 4));
    ck_assert(stance_stemmer_is_stopword(st, "kosovo", 6));
    stance_stemmer_free(st);
}
END_TEST

START_TEST(test_overlong_token_passes_through)
{
    stance_stemmer *st;
    ck_assert_int_eq(stance_stemmer_new("english", &st, NULL), STANCE_OK);
    char word[STANCE_STEM_MAX_BYTES + 10];
    memset(word, 's', sizeof word);
    size_t len;
    const char *s = stance_stemmer_stem(st, word, sizeof word, &len);
    ck_assert_ptr_eq(s, word);
    ck_assert_uint_eq(len, sizeof word);
    stance_stemmer_free(st);
}
END_TEST

/* word, then what stem_content says: 1 and the stem, or 0 for a stop word */
static const struct {
    const char *word;
    int kept;
    const char *stem;
} content_cases[] = {
    {"the", 0, NULL}, {"against", 1, "against"}, {"warnings", 1, "warn"}, {"would", 0, NULL},
    {"alliance", 1, "allianc"},
};

/* The same answers with the cache, with room for one word, and with no cache at all. */
static void content_case(int i, size_t cache_max)
{
    stance_stemmer *st;
    ck_assert_int_eq(stance_stemmer_new("english", &st, NULL), STANCE_OK);
    if (cache_max != STANCE_STEM_CACHE_MAX)
        stance_stemmer_set_cache_max(st, cache_max);
    const char *other = NULL;
    size_t olen;
    ck_assert_int_eq(stance_stemmer_stem_content(st, "treaties", 8, &other, &olen), 1);
    for (int round = 0; round < 2; round++) { /* cold, then from the cache if any */
        const char *stem = NULL;
        size_t len = 0;
        const char *w = content_cases[i].word;
        ck_assert_int_eq(stance_stemmer_stem_content(st, w, strlen(w), &stem, &len), content_cases[i].kept);
        if (content_cases[i].kept) {
            ck_assert_uint_eq(len, strlen(content_cases[i].stem));
            ck_assert(memcmp(stem, content_cases[i].stem, len) == 0);
        }
    }
    stance_stemmer_free(st);
}

START_TEST(test_stem_content_table)
{
    content_case(_i, STANCE_STEM_CACHE_MAX);
    content_case(_i, 1);
    content_case(_i, 0);
}
END_TEST

/* The cache remembers stop-word status, so changing the list must be seen at once. */
START_TEST(test_stem_content_follows_stopword_changes)
{
    stance_stemmer *st;
    const char *stem;
    size_t len;
    ck_assert_int_eq(stance_stemmer_new("english", &st, NULL), STANCE_OK);
    ck_assert_int_eq(stance_stemmer_stem_content(st, "the", 3, &stem, &len), 0);
    ck_assert_int_eq(stance_stemmer_stem_content(st, "nato", 4, &stem, &len), 1);
    stance_stemmer_clear_stopwords(st);
    ck_assert_int_eq(stance_stemmer_stem_content(st, "the", 3, &stem, &len), 1);
    ck_assert_int_eq(stance_stemmer_add_stopword(st, "nato", 4, NULL), STANCE_OK);
    ck_assert_int_eq(stance_stemmer_stem_content(st, "nato", 4, &stem, &len), 0);
    ck_assert_int_eq(stance_stemmer_load_stopwords(st, "data/stopwords.txt", NULL), STANCE_OK);
    ck_assert_int_eq(stance_stemmer_stem_content(st, "nato", 4, &stem, &len), 0);
    ck_assert_int_eq(stance_stemmer_stem_content(st, "the", 3, &stem, &len), 1);
    ck_assert_int_eq(stance_stemmer_stem_content(st, "moscow", 6, &stem, &len), 0);
    stance_stemmer_free(st);
}
END_TEST

Suite *stem_suite(void)
{
    Suite *s = suite_create("stem");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_english_stems_cached, 0,
                        sizeof english_cases / sizeof english_cases[0]);
    tcase_add_test(tc, test_other_language_and_unknown);
    tcase_add_test(tc, test_builtin_stopwords_keep_negation);
    tcase_add_test(tc, test_stopword_file);
    tcase_add_test(tc, test_overlong_token_passes_through);
    tcase_add_test(tc, test_stopwords_bom);
    tcase_add_loop_test(tc, test_stem_content_table, 0, sizeof content_cases / sizeof content_cases[0]);
    tcase_add_test(tc, test_stem_content_follows_stopword_changes);
    suite_add_tcase(s, tc);
    return s;
}
