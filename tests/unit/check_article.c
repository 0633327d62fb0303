/* check_article.c: paragraph splitting, kinds, offsets, encodings and bad bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../pipeline/article_int.h"
#include "stance/article.h"
#include "suites.h"

/* input, then the expected passages as "start-end:kind" joined by ' ' */
static const struct {
    const char *in, *out;
} split_cases[] = {
    {"", ""},
    {"\n\n  \n", ""},
    {"One line.", "0-9:body"},
    {"One line.\n", "0-9:body"},
    {"a b\nc d\n\ne f\n", "0-7:body 9-12:body"},
    {"first\n\n\n\nsecond", "0-5:body 9-15:body"},
    {"  indented para  \n", "2-15:body"},
    {"CRLF line\r\n\r\nnext\r\n", "0-9:body 13-17:body"},
    {"NATO WARNS MOSCOW.\n\nPublication: Monitor Volume: 5 Issue: 1\n\nBody text.",
     "0-18:headline 20-59:meta 61-71:body"},
    {"Date: March 3, 1999", "0-19:meta"},
    {"Dateless: not a key", "0-19:body"},
    {"A", "0-1:body"},
    {"US", "0-2:headline"},
    {"THE ALLIANCE AND RUSSIA:\nTWO LINES", "0-34:headline"},
    {"\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90 \xD0\x9D\xD0\x90\xD0\xA2\xD0\x9E", "0-21:headline"},
    {"Mostly CAPS BUT NOT ALL", "0-23:body"},
};

static void describe(const stance_article *art, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t i = 0; i < stance_article_get_passage_count(art); i++) {
        const stance_passage *p = stance_article_get_passage(art, i);
        ck_assert_uint_eq(p->number, i + 1);
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%zu-%zu:%s", i ? " " : "", p->start, p->end,
                 stance_kind_name(p->kind));
    }
}

START_TEST(test_split_table)
{
    stance_article *art;
    stance_error err;
    const char *in = split_cases[_i].in;
    ck_assert_int_eq(stance_article_from_bytes(in, strlen(in), "t", 1, STANCE_ENC_UTF8, &art, &err),
                     STANCE_OK);
    char got[256];
    describe(art, got, sizeof got);
    ck_assert_msg(strcmp(got, split_cases[_i].out) == 0, "input '%s': got '%s', want '%s'", in, got,
                  split_cases[_i].out);
    stance_article_free(art);
}
END_TEST

START_TEST(test_bom_is_skipped_but_counted)
{
    const char in[] = "\xEF\xBB\xBFHello there.\n\nAgain.";
    stance_article *art;
    ck_assert_int_eq(stance_article_from_bytes(in, sizeof in - 1, "t", 1, STANCE_ENC_UTF8, &art, NULL),
                     STANCE_OK);
    size_t len;
    const char *text = stance_article_get_text(art, &len);
    ck_assert_uint_eq(len, sizeof in - 4);
    ck_assert_int_eq(text[0], 'H');
    const stance_passage *p = stance_article_get_passage(art, 1);
    ck_assert_uint_eq(stance_article_get_source_offset(art, p->start), 17);
    stance_article_free(art);
}
END_TEST

/* encoding, input, expected UTF-8 text, then a text offset and its source offset */
static const struct {
    stance_encoding enc;
    const char *in, *text;
    size_t text_off, src_off;
} transcode_cases[] = {
    {STANCE_ENC_LATIN1, "caf\xE9 ok", "caf\xC3\xA9 ok", 6, 5},
    {STANCE_ENC_CP1252, "\x93quoted\x94 \x96 x", "\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x80\x93 x", 17, 11},
    {STANCE_ENC_CP1252, "\x85", "\xE2\x80\xA6", 3, 1},
    {STANCE_ENC_LATIN1, "\x85", "\xC2\x85", 2, 1},
    {STANCE_ENC_CP1252, "\x81", "\xC2\x81", 2, 1},
    {STANCE_ENC_CP1252, "plain", "plain", 3, 3},
};

START_TEST(test_transcode_table)
{
    stance_article *art;
    const char *in = transcode_cases[_i].in;
    ck_assert_int_eq(stance_article_from_bytes(in, strlen(in), "t", 1, transcode_cases[_i].enc, &art,
                                               NULL),
                     STANCE_OK);
    ck_assert_str_eq(stance_article_get_text(art, NULL), transcode_cases[_i].text);
    ck_assert_uint_eq(stance_article_get_source_offset(art, transcode_cases[_i].text_off),
                      transcode_cases[_i].src_off);
    stance_article_free(art);
}
END_TEST

/* A copy outlives its original and agrees with it: text, passages, source offsets (after
 * transcoding and a byte-order mark too), and an article with no passages at all. */
START_TEST(test_copy)
{
    static const struct {
        const char *in;
        stance_encoding enc;
    } inputs[] = {
        {"\xEF\xBB\xBFHEADLINE HERE.\n\nA body line.\nAnother.\n", STANCE_ENC_UTF8},
        {"Caf\xE9 \x93quoted\x94.\n\n\xC9t\xE9 here.\n", STANCE_ENC_CP1252},
        {"", STANCE_ENC_UTF8},
    };
    for (size_t k = 0; k < sizeof inputs / sizeof inputs[0]; k++) {
        stance_article *art, *copy;
        stance_error err;
        ck_assert_int_eq(stance_article_from_bytes(inputs[k].in, strlen(inputs[k].in), "t", 1,
                                                   inputs[k].enc, &art, &err), STANCE_OK);
        ck_assert_int_eq(stance_article_copy(art, &copy, &err), STANCE_OK);
        size_t len, clen, n = stance_article_get_passage_count(art);
        char *text = strdup(stance_article_get_text(art, &len));
        size_t offsets[64];
        for (size_t i = 0; i <= len && i < 64; i++)
            offsets[i] = stance_article_get_source_offset(art, i);
        stance_passage first = n ? *stance_article_get_passage(art, 0) : (stance_passage){0, 0, 0, 0};
        stance_article_free(art);
        ck_assert_str_eq(stance_article_get_text(copy, &clen), text);
        ck_assert_uint_eq(clen, len);
        ck_assert_uint_eq(stance_article_get_passage_count(copy), n);
        for (size_t i = 0; i <= len && i < 64; i++)
            ck_assert_uint_eq(stance_article_get_source_offset(copy, i), offsets[i]);
        if (n) {
            const stance_passage *p = stance_article_get_passage(copy, 0);
            ck_assert(p->start == first.start && p->end == first.end && p->kind == first.kind);
        }
        free(text);
        stance_article_free(copy);
    }
}
END_TEST

/* input bytes (with length, for NULs), then the expected line and message */
static const struct {
    const char *in;
    size_t len;
    long line;
    const char *message;
} bad_cases[] = {
    {"ok\nbad \xE9t\xE9\n", 12, 2,
     "invalid UTF-8 at byte 7 (0xe9); for Latin-1 or Windows-1252 text give the encoding "
     "(--encoding latin1|cp1252)"},
    {"one\ntwo\nth\0ree", 14, 3, "NUL byte at byte 10"},
    {"\xEF\xBB\xBF\xC0\xAF", 5, 1,
     "invalid UTF-8 at byte 3 (0xc0); for Latin-1 or Windows-1252 text give the encoding "
     "(--encoding latin1|cp1252)"},
    {"trunc \xE2\x80", 8, 1,
     "invalid UTF-8 at byte 6 (0xe2); for Latin-1 or Windows-1252 text give the encoding "
     "(--encoding latin1|cp1252)"},
};

START_TEST(test_bad_bytes_table)
{
    stance_article *art = (stance_article *)1;
    stance_error err;
    stance_error_clear(&err);
    ck_assert_int_eq(stance_article_from_bytes(bad_cases[_i].in, bad_cases[_i].len, "in.txt", 1,
                                               STANCE_ENC_UTF8, &art, &err),
                     STANCE_ERR_DATA);
    ck_assert_ptr_null(art);
    ck_assert_str_eq(err.where, "in.txt");
    ck_assert_int_eq(err.line, bad_cases[_i].line);
    ck_assert_str_eq(err.message, bad_cases[_i].message);
}
END_TEST

START_TEST(test_nul_rejected_in_latin1_too)
{
    stance_article *art;
    stance_error err;
    ck_assert_int_eq(stance_article_from_bytes("a\0b", 3, "x", 1, STANCE_ENC_LATIN1, &art, &err),
                     STANCE_ERR_DATA);
    ck_assert_str_eq(err.message, "NUL byte at byte 1");
}
END_TEST

START_TEST(test_missing_file)
{
    stance_article *art;
    stance_error err;
    ck_assert_int_eq(stance_article_load("data/no-such-file.txt", STANCE_ENC_UTF8, &art, &err),
                     STANCE_ERR_IO);
    ck_assert_str_eq(err.message, "cannot open: No such file or directory");
}
END_TEST

/* The size limit: a regular file is refused from its size, a stream without end after the
 * limit's worth of bytes; an article of exactly the limit is read. */
static const struct {
    const char *path;
    size_t max;
    stance_status status;
} limit_cases[] = {
    {"data/articles/a.txt", 15, STANCE_OK}, /* "Alpha article.\n" */
    {"data/articles/a.txt", 14, STANCE_ERR_DATA},
    {"/dev/zero", 1000, STANCE_ERR_DATA},
    {"/dev/zero", 200000, STANCE_ERR_DATA}, /* more than one read buffer */
    {"data/empty.txt", 1, STANCE_OK},
};

START_TEST(test_size_limit)
{
    FILE *f = fopen(limit_cases[_i].path, "rb");
    ck_assert_ptr_nonnull(f);
    stance_article *art = NULL;
    stance_error err;
    stance_status st = stance_article_read(f, limit_cases[_i].path, STANCE_ENC_UTF8,
                                           limit_cases[_i].max, &art, &err);
    fclose(f);
    ck_assert_int_eq(st, limit_cases[_i].status);
    if (st == STANCE_OK) {
        ck_assert_ptr_nonnull(art);
    } else {
        ck_assert_ptr_null(art);
        ck_assert_str_eq(err.where, limit_cases[_i].path);
        char want[128];
        snprintf(want, sizeof want, "article larger than the limit of %zu bytes "
                 "(--max-article-bytes raises it)", limit_cases[_i].max);
        ck_assert_str_eq(err.message, want);
    }
    stance_article_free(art);
}
END_TEST

START_TEST(test_encoding_names)
{
    stance_encoding enc;
    stance_error err;
    ck_assert_int_eq(stance_encoding_parse("Windows-1252", &enc, &err), STANCE_OK);
    ck_assert_int_eq(enc, STANCE_ENC_CP1252);
    ck_assert_int_eq(stance_encoding_parse("ISO-8859-1", &enc, &err), STANCE_OK);
    ck_assert_int_eq(enc, STANCE_ENC_LATIN1);
    ck_assert_int_eq(stance_encoding_parse("ebcdic", &enc, &err), STANCE_ERR_USAGE);
}
END_TEST

/* The article as one unit: input, the joined text, then "count first-last" and the pieces as
 * "at:start+len" joined by ' '. */
static const struct {
    const char *in, *text, *span, *pieces;
} join_cases[] = {
    {"", "", "0 0-0", ""},
    {"Date: March 3, 1999", "", "0 0-0", ""},
    {"One line.\n", "One line.", "1 0-9", "0:0+9"},
    {"NATO WARNS.\n\nPublication: Monitor\n\nBody  text.\n", "NATO WARNS.\nBody  text.", "2 0-46",
     "0:0+11 12:35+11"},
};

/* A stance_joined_fn writing each piece into the buffer at ctx. */
static int note_piece(void *ctx, size_t at, size_t start, size_t len)
{
    char *buf = ctx;
    size_t used = strlen(buf);
    snprintf(buf + used, 256 - used, "%s%zu:%zu+%zu", used ? " " : "", at, start, len);
    return 1;
}

static int refuse_piece(void *ctx, size_t at, size_t start, size_t len)
{
    (void)ctx, (void)at, (void)start, (void)len;
    return 0;
}

START_TEST(test_join_table)
{
    stance_article *art;
    const char *in = join_cases[_i].in;
    ck_assert_int_eq(stance_article_from_bytes(in, strlen(in), "t", 1, STANCE_ENC_UTF8, &art, NULL),
                     STANCE_OK);
    char *buf = NULL, pieces[256] = "", span[64];
    size_t cap = 0;
    stance_joined j;
    ck_assert_int_eq(stance_article_join(art, "t", &buf, &cap, &j, note_piece, pieces, NULL),
                     STANCE_OK);
    ck_assert_uint_eq(j.used, strlen(join_cases[_i].text));
    ck_assert(memcmp(buf, join_cases[_i].text, j.used) == 0);
    snprintf(span, sizeof span, "%zu %zu-%zu", j.count, j.first, j.last);
    ck_assert_str_eq(span, join_cases[_i].span);
    ck_assert_str_eq(pieces, join_cases[_i].pieces);
    /* the same without a callback, into the buffer already grown */
    ck_assert_int_eq(stance_article_join(art, "t", &buf, &cap, &j, NULL, NULL, NULL), STANCE_OK);
    ck_assert_uint_eq(j.used, strlen(join_cases[_i].text));
    stance_error err;
    stance_status want = j.count ? STANCE_ERR_NOMEM : STANCE_OK;
    ck_assert_int_eq(stance_article_join(art, "t", &buf, &cap, &j, refuse_piece, NULL, &err), want);
    if (want != STANCE_OK)
        ck_assert_str_eq(err.where, "t");
    free(buf);
    stance_article_free(art);
}
END_TEST

Suite *article_suite(void)
{
    Suite *s = suite_create("article");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_split_table, 0, sizeof split_cases / sizeof split_cases[0]);
    tcase_add_test(tc, test_bom_is_skipped_but_counted);
    tcase_add_test(tc, test_copy);
    tcase_add_loop_test(tc, test_join_table, 0, sizeof join_cases / sizeof join_cases[0]);
    tcase_add_loop_test(tc, test_transcode_table, 0,
                        sizeof transcode_cases / sizeof transcode_cases[0]);
    tcase_add_loop_test(tc, test_bad_bytes_table, 0, sizeof bad_cases / sizeof bad_cases[0]);
    tcase_add_test(tc, test_nul_rejected_in_latin1_too);
    tcase_add_test(tc, test_missing_file);
    tcase_add_test(tc, test_encoding_names);
    tcase_add_loop_test(tc, test_size_limit, 0, sizeof limit_cases / sizeof limit_cases[0]);
    suite_add_tcase(s, tc);
    return s;
}
