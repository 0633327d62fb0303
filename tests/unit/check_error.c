/* check_error.c: error records formatted for a terminal: control characters, DEL, C1 controls
 * and bytes that are not UTF-8 escaped as \xNN, other text (UTF-8 included) as it is; and the
 * contract error.h states, on failures of each kind. */
#include <string.h>

#include "../../pipeline/analyze_int.h"
#include "../../pipeline/jsonl_int.h"
#include "../../pipeline/stream_int.h"
#include "../../pipeline/vector_int.h"
#include "stance/article.h"
#include "stance/codebook.h"
#include "stance/error.h"
#include "stance/jsonl.h"
#include "stance/vector.h"
#include "stance/vocab.h"
#include "suites.h"

static const struct {
    const char *in, *out;
} escape_cases[] = {
    {"plain name.txt", "plain name.txt"},
    {"", ""},
    {"esc\x1b[31mred\nline.txt", "esc\\x1b[31mred\\x0aline.txt"},
    {"tab\there\r", "tab\\x09here\\x0d"},
    {"del\x7f", "del\\x7f"},
    {"c1 \xc2\x9b" "1m", "c1 \\xc2\\x9b1m"},                 /* U+009B, the 8-bit CSI */
    {"caf\xc3\xa9 \xd0\x9c \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xd0\x9c \xe2\x82\xac \xf0\x9f\x98\x80"},
    {"caf\xe9.txt", "caf\\xe9.txt"},                          /* Latin-1, not UTF-8 */
    {"cut \xe2\x82", "cut \\xe2\\x82"},                       /* a sequence cut short */
    {"nbsp\xc2\xa0ok", "nbsp\xc2\xa0ok"},                     /* U+00A0 is no control */
};

START_TEST(test_escape)
{
    char buf[128];
    stance_error_escape(escape_cases[_i].in, buf, sizeof buf);
    ck_assert_str_eq(buf, escape_cases[_i].out);
}
END_TEST

/* A buffer too small takes whole characters and whole escapes only. */
START_TEST(test_escape_truncates_whole)
{
    char buf[8];
    stance_error_escape("ab\x1b" "cd", buf, sizeof buf); /* "ab\x1bcd" needs 9 bytes */
    ck_assert_str_eq(buf, "ab\\x1bc");
    stance_error_escape("abcde\xc3\xa9", buf, 7);
    ck_assert_str_eq(buf, "abcde");
    stance_error_escape("\x01", buf, 4);
    ck_assert_str_eq(buf, "");
    buf[0] = 'x';
    stance_error_escape("a", buf, 0); /* nothing written */
    ck_assert_int_eq(buf[0], 'x');
}
END_TEST

START_TEST(test_format_escapes)
{
    stance_error err;
    char buf[STANCE_ERROR_TEXT_MAX];
    stance_error_set(&err, STANCE_ERR_DATA, "dir/a\x1b]0;t\a.txt", 3, "unknown value \"%s\"", "x\x9by");
    stance_error_format(&err, buf, sizeof buf);
    ck_assert_str_eq(buf, "dir/a\\x1b]0;t\\x07.txt:3: unknown value \"x\\x9by\"");
    stance_error_set(&err, STANCE_ERR_IO, "<stdout>", 0, "write failed");
    stance_error_format(&err, buf, sizeof buf);
    ck_assert_str_eq(buf, "<stdout>: write failed");
    stance_error_set(&err, STANCE_ERR_NOMEM, NULL, 0, "out of memory");
    stance_error_format(&err, buf, sizeof buf);
    ck_assert_str_eq(buf, "out of memory");
}
END_TEST

/* Every byte escaped, where and message at their longest: the text still fits. */
START_TEST(test_format_room)
{
    stance_error err;
    char where[STANCE_ERROR_NAME_MAX], message[STANCE_ERROR_MSG_MAX];
    memset(where, 0x1b, sizeof where - 1);
    where[sizeof where - 1] = '\0';
    memset(message, 0x7f, sizeof message - 1);
    message[sizeof message - 1] = '\0';
    stance_error_set(&err, STANCE_ERR_DATA, where, 12345, "%s", message);
    char buf[STANCE_ERROR_TEXT_MAX];
    stance_error_format(&err, buf, sizeof buf);
    ck_assert_uint_eq(strlen(buf), 4 * (sizeof where - 1) + strlen(":12345: ") + 4 * (sizeof message - 1));
}
END_TEST

/* What a failing call handed back: a pointer (set to a non-NULL mark before the call) and a
 * length (set to 1). */
typedef struct {
    void *p;
    size_t len;
} handed;

static stance_status fail_codebook(handed *h)
{
    stance_codebook *cb = h->p;
    stance_status st = stance_codebook_load("data/no-such-codebook.json", &cb, NULL);
    h->p = cb;
    return st;
}

static stance_status fail_vocab_load(handed *h)
{
    stance_vocab *v = h->p;
    stance_status st = stance_vocab_load("data/no-such-vocab.json", &v, NULL);
    h->p = v;
    return st;
}

static stance_status fail_vocab_new(handed *h)
{
    stance_vocab_options opt;
    stance_vocab_options_default(&opt);
    opt.min_df = 0;
    stance_vocab *v = h->p;
    stance_status st = stance_vocab_new(&opt, &v, NULL);
    h->p = v;
    return st;
}

static stance_status fail_article(handed *h)
{
    stance_article *art = h->p;
    stance_status st = stance_article_load("data/no-such-article.txt", STANCE_ENC_UTF8, &art, NULL);
    h->p = art;
    return st;
}

static stance_status fail_file_read(handed *h)
{
    char *buf = h->p;
    stance_status st = stance_stream_load("data/no-such-file", &buf, &h->len, NULL);
    h->p = buf;
    return st;
}

static stance_status fail_get_string(handed *h)
{
    json_t *rec = json_object();
    const char *s = h->p;
    stance_status st = stance_json_get_string(rec, "text", "in.jsonl", 1, &s, &h->len, NULL);
    h->p = (void *)s;
    json_decref(rec);
    return st;
}

static stance_status fail_get_id(handed *h)
{
    json_t *rec = json_object();
    char buf[32];
    const char *id = h->p;
    stance_status st = stance_json_get_id(rec, "in.jsonl", 1, buf, sizeof buf, &id, NULL);
    h->p = (void *)id;
    json_decref(rec);
    return st;
}

static stance_status fail_analyzer(handed *h)
{
    stance_analyzer *an = h->p;
    stance_status st = stance_analyzer_new("klingon", &an, NULL);
    h->p = an;
    return st;
}

static stance_status fail_vector_parse(handed *h)
{
    stance_vector v;
    stance_vector_init(&v);
    char *label = h->p;
    stance_status st = stance_vector_parse("1 2:0.5 1:0.5", 13, "in.svm", 1, &label, &v, NULL);
    h->p = label;
    stance_vector_clear(&v);
    return st;
}

static const struct {
    stance_status (*call)(handed *h);
    stance_status want;
    int has_len; /* the call hands back a length too */
} contract_cases[] = {
    {fail_codebook, STANCE_ERR_IO, 0},
    {fail_vocab_load, STANCE_ERR_IO, 0},
    {fail_vocab_new, STANCE_ERR_USAGE, 0},
    {fail_article, STANCE_ERR_IO, 0},
    {fail_file_read, STANCE_ERR_IO, 1},
    {fail_get_string, STANCE_ERR_DATA, 1},
    {fail_get_id, STANCE_ERR_DATA, 0},
    {fail_analyzer, STANCE_ERR_USAGE, 0},
    {fail_vector_parse, STANCE_ERR_DATA, 0},
};

/* err may be NULL: the status still says what failed; and what a failing call hands back is
 * NULL (and 0), whatever the caller's variables held. */
START_TEST(test_contract)
{
    handed h = {&h, 1};
    ck_assert_int_eq(contract_cases[_i].call(&h), contract_cases[_i].want);
    ck_assert_ptr_null(h.p);
    if (contract_cases[_i].has_len)
        ck_assert_uint_eq(h.len, 0);
}
END_TEST

Suite *error_suite(void)
{
    Suite *s = suite_create("error");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_escape, 0, sizeof escape_cases / sizeof escape_cases[0]);
    tcase_add_test(tc, test_escape_truncates_whole);
    tcase_add_test(tc, test_format_escapes);
    tcase_add_test(tc, test_format_room);
    tcase_add_loop_test(tc, test_contract, 0, sizeof contract_cases / sizeof contract_cases[0]);
    suite_add_tcase(s, tc);
    return s;
}
