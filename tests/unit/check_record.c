/* check_record.c: the passage records stance-tokenize writes (fields and their order,
 * escaping, offsets, the fields of a JSON Lines article they carry) and their jansson form, the
 * "stems" stance-stem adds, and document names from paths, with their errors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../pipeline/record_int.h"
#include "stance/jsonl.h"
#include "stance/record.h"
#include "suites.h"

static stance_article *make_article(const char *text, size_t len)
{
    stance_article *art;
    stance_error err;
    ck_assert_int_eq(stance_article_from_bytes(text, len, "unit", 1, STANCE_ENC_UTF8, &art, &err),
                     STANCE_OK);
    return art;
}

static json_t *parse(const char *json)
{
    json_error_t je;
    json_t *v = json_loads(json, 0, &je);
    ck_assert_msg(v != NULL, "%s: %s", json, je.text);
    return v;
}

/* Everything written to f, as a new string. */
static char *contents(FILE *f)
{
    long n = ftell(f);
    ck_assert_int_ge(n, 0);
    char *s = calloc((size_t)n + 1, 1);
    ck_assert_ptr_nonnull(s);
    rewind(f);
    ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    return s;
}

/* ---- records ---- */

#define TWO "Kosovo talks.\n\nNATO said no.\n"
#define TWO_1 "\"doc\":\"d\",\"passage\":1,\"start\":0,\"end\":13,\"kind\":\"body\",\"text\":\"Kosovo talks.\"," \
              "\"tokens\":[\"kosovo\",\"talks\"]"
#define TWO_2 "\"doc\":\"d\",\"passage\":2,\"start\":15,\"end\":28,\"kind\":\"body\",\"text\":\"NATO said no.\"," \
              "\"tokens\":[\"nato\",\"said\",\"no\"]"
#define ODD "SAY \\\"NO\\\" TO \\\\ THIS.\n\nCaf\xC3\xA9 talks\x01 went\tahead \xE2\x82\xAC" \
            "5 \xF0\x9F\x98\x80 \x7F done.\r\nNext line.\n"

/* An article (text), its name, the fields of its JSON Lines line (or none), with offsets or
 * not, and the lines written: the fields in this order, then those of the article that a
 * record carries (not "text", nor one of the record's own; all on the first record, only "id"
 * on the others). Checked against stance-tokenize before it wrote its records itself. */
static const struct {
    const char *text, *doc, *extra;
    int offsets;
    const char *want;
} records[] = {
    {TWO, "d", NULL, 0, "{" TWO_1 "}\n{" TWO_2 "}\n"},
    {TWO, "d", NULL, 1,
     "{" TWO_1 ",\"offsets\":[[0,6],[7,12]]}\n{" TWO_2 ",\"offsets\":[[15,19],[20,24],[25,27]]}\n"},
    {"", "d", NULL, 1, ""},
    {ODD, "d\"o\\c\t\xC3\xA9", NULL, 0,
     "{\"doc\":\"d\\\"o\\\\c\\t\xC3\xA9\",\"passage\":1,\"start\":0,\"end\":22,\"kind\":\"headline\","
     "\"text\":\"SAY \\\\\\\"NO\\\\\\\" TO \\\\\\\\ THIS.\",\"tokens\":[\"say\",\"no\",\"to\",\"this\"]}\n"
     "{\"doc\":\"d\\\"o\\\\c\\t\xC3\xA9\",\"passage\":2,\"start\":24,\"end\":77,\"kind\":\"body\","
     "\"text\":\"Caf\xC3\xA9 talks\\u0001 went\\tahead \xE2\x82\xAC" "5 \xF0\x9F\x98\x80 \x7F done.\\r\\nNext line.\","
     "\"tokens\":[\"caf\xC3\xA9\",\"talks\",\"went\",\"ahead\",\"5\",\"done\",\"next\",\"line\"]}\n"},
    {TWO, "d",
     "{\"id\":\"a1\",\"text\":\"ignored\",\"doc\":\"clash\",\"tokens\":1,\"source\":\"S\",\"n\":1.5,"
     "\"big\":1e300,\"k\\u00e9y\":[1,{\"b\":null}],\"passage\":null}", 0,
     "{" TWO_1 ",\"id\":\"a1\",\"source\":\"S\",\"n\":1.5,\"big\":1e300,\"k\xC3\xA9y\":[1,{\"b\":null}]}\n"
     "{" TWO_2 ",\"id\":\"a1\"}\n"},
    {TWO, "d", "{\"offsets\":0,\"id\":7}", 1,
     "{" TWO_1 ",\"offsets\":[[0,6],[7,12]],\"id\":7}\n{" TWO_2 ",\"offsets\":[[15,19],[20,24],[25,27]],\"id\":7}\n"},
    {TWO, "d", "{\"source\":\"S\"}", 0, "{" TWO_1 ",\"source\":\"S\"}\n{" TWO_2 "}\n"},
};

START_TEST(test_records)
{
    stance_article *art = make_article(records[_i].text, strlen(records[_i].text));
    json_t *extra = records[_i].extra ? parse(records[_i].extra) : NULL;
    stance_tokens toks;
    stance_tokens_init(&toks);
    stance_error err;
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    stance_status st = stance_record_write_article(f, "out", art, records[_i].doc, extra,
                                                   records[_i].offsets, &toks, &err);
    ck_assert_msg(st == STANCE_OK, "%s", err.message);
    char *got = contents(f);
    ck_assert_msg(strcmp(got, records[_i].want) == 0, "case %d:\n%s\nwant:\n%s", _i, got,
                  records[_i].want);

    /* The jansson form: each line read back; dumped as stance_jsonl_write dumps, each is
     * its line again. */
    json_t *arr;
    ck_assert_int_eq(stance_record_from_article(art, records[_i].doc, extra, records[_i].offsets,
                                                &toks, &arr, &err), STANCE_OK);
    size_t i = 0;
    for (char *line = got, *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1, i++) {
        ck_assert_uint_lt(i, json_array_size(arr));
        char *dumped = json_dumps(json_array_get(arr, i), JSON_COMPACT | JSON_REAL_PRECISION(15));
        ck_assert_uint_eq(strlen(dumped), (size_t)(nl - line));
        ck_assert(memcmp(dumped, line, strlen(dumped)) == 0);
        free(dumped);
    }
    ck_assert_uint_eq(i, json_array_size(arr));
    json_decref(arr);
    free(got);
    fclose(f);
    json_decref(extra);
    stance_tokens_clear(&toks);
    stance_article_free(art);
}
END_TEST

/* A document name that is not UTF-8 cannot be a JSON string: a data error naming it, and
 * nothing written (unless the article has no passage, so no record). */
START_TEST(test_doc_not_utf8)
{
    static const char *const texts[] = {TWO, ""};
    for (size_t k = 0; k < 2; k++) {
        stance_article *art = make_article(texts[k], strlen(texts[k]));
        stance_tokens toks;
        stance_tokens_init(&toks);
        stance_error err;
        stance_error_clear(&err);
        FILE *f = tmpfile();
        ck_assert_ptr_nonnull(f);
        stance_status st = stance_record_write_article(f, "out", art, "caf\xE9", NULL, 0, &toks, &err);
        ck_assert_int_eq(st, k == 0 ? STANCE_ERR_DATA : STANCE_OK);
        ck_assert_int_eq(ftell(f), 0);
        json_t *arr;
        ck_assert_int_eq(stance_record_from_article(art, "caf\xE9", NULL, 0, &toks, &arr, &err), st);
        ck_assert(k == 0 ? arr == NULL : json_array_size(arr) == 0);
        json_decref(arr);
        if (k == 0) {
            ck_assert_str_eq(err.where, "caf\xE9");
            ck_assert_str_eq(err.message, "the document name is not valid UTF-8, so it cannot be a JSON string");
        }
        fclose(f);
        stance_tokens_clear(&toks);
        stance_article_free(art);
    }
}
END_TEST

/* A write that fails is an I/O error naming the output, with the system's reason. */
START_TEST(test_write_fails)
{
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        return; /* no /dev/full here */
    setvbuf(f, NULL, _IONBF, 0); /* so the first record's write fails, not a later flush */
    stance_article *art = make_article(TWO, strlen(TWO));
    stance_tokens toks;
    stance_tokens_init(&toks);
    stance_error err;
    ck_assert_int_eq(stance_record_write_article(f, "<stdout>", art, "d", NULL, 0, &toks, &err),
                     STANCE_ERR_IO);
    ck_assert_str_eq(err.where, "<stdout>");
    char want[200];
    snprintf(want, sizeof want, "write failed: %s", strerror(ENOSPC));
    ck_assert_str_eq(err.message, want);
    fclose(f);
    stance_tokens_clear(&toks);
    stance_article_free(art);
}
END_TEST

/* ---- stems ---- */

/* A record before and after stems are added (stop words left out, "stems" after the other
 * fields or in the place it had), or the data error it gets. */
static const struct {
    const char *in, *want, *error;
} stems[] = {
    {"{\"tokens\":[\"the\",\"talks\",\"resumed\",\"kosovo\"]}",
     "{\"tokens\":[\"the\",\"talks\",\"resumed\",\"kosovo\"],\"stems\":[\"talk\",\"resum\",\"kosovo\"]}", NULL},
    {"{\"doc\":\"d\",\"tokens\":[],\"x\":1}", "{\"doc\":\"d\",\"tokens\":[],\"x\":1,\"stems\":[]}", NULL},
    {"{\"tokens\":[\"nato\"],\"stems\":[\"old\"],\"z\":0}", "{\"tokens\":[\"nato\"],\"stems\":[\"nato\"],\"z\":0}", NULL},
    {"{\"tokens\":[\"caf\\u00e9\",\"\\u00e9t\\u00e9s\",\"running\"]}",
     "{\"tokens\":[\"caf\xC3\xA9\",\"\xC3\xA9t\xC3\xA9s\",\"running\"],\"stems\":[\"caf\xC3\xA9\",\"\xC3\xA9t\xC3\xA9s\",\"run\"]}", NULL},
    {"{}", NULL, "record has no \"tokens\" array (run stance-tokenize first)"},
    {"{\"tokens\":\"x\"}", NULL, "\"tokens\" is not an array"},
    {"{\"tokens\":[\"ok\",3]}", NULL, "token 2 is not a string"},
};

START_TEST(test_add_stems)
{
    stance_stemmer *st;
    stance_error err;
    ck_assert_int_eq(stance_stemmer_new("english", &st, &err), STANCE_OK);
    json_t *rec = parse(stems[_i].in);
    stance_status got = stance_record_add_stems(rec, st, "in.jsonl", 4, &err);
    if (stems[_i].error) {
        ck_assert_int_eq(got, STANCE_ERR_DATA);
        ck_assert_str_eq(err.where, "in.jsonl");
        ck_assert_int_eq(err.line, 4);
        ck_assert_str_eq(err.message, stems[_i].error);
    } else {
        ck_assert_int_eq(got, STANCE_OK);
        char *s = json_dumps(rec, JSON_COMPACT);
        ck_assert_str_eq(s, stems[_i].want);
        free(s);
    }
    json_decref(rec);
    stance_stemmer_free(st);
}
END_TEST

/* ---- document names ---- */

/* A path and the document name it gives: its base name without the last extension (a leading
 * dot is not one), or NULL for a data error naming the path. */
static const struct {
    const char *path, *doc;
} doc_names[] = {
    {"a/b/c.txt", "c"},
    {"c.txt", "c"},
    {"c", "c"},
    {"x.tar.gz", "x.tar"},
    {"dir.d/file", "file"},
    {".hidden", ".hidden"},
    {"dir/.hidden.txt", ".hidden"},
    {"-", "-"},
    {"dir/", ""},
    {"caf\xC3\xA9 \xE2\x82\xAC.txt", "caf\xC3\xA9 \xE2\x82\xAC"},
    {"caf\xE9.txt", NULL},
    {"ok\xE9/c.txt", "c"}, /* only the name counts */
    {"c.t\xE9xt", "c"},     /* the extension is cut off first */
};

START_TEST(test_doc_name)
{
    char *doc = NULL;
    stance_error err;
    stance_status st = stance_record_doc_from_path(doc_names[_i].path, &doc, &err);
    if (!doc_names[_i].doc) {
        ck_assert_int_eq(st, STANCE_ERR_DATA);
        ck_assert_ptr_null(doc);
        ck_assert_str_eq(err.where, doc_names[_i].path);
        ck_assert_ptr_nonnull(strstr(err.message, "not valid UTF-8"));
        return;
    }
    ck_assert_int_eq(st, STANCE_OK);
    ck_assert_str_eq(doc, doc_names[_i].doc);
    free(doc);
}
END_TEST

Suite *record_suite(void)
{
    Suite *s = suite_create("record");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_records, 0, sizeof records / sizeof records[0]);
    tcase_add_test(tc, test_doc_not_utf8);
    tcase_add_test(tc, test_write_fails);
    tcase_add_loop_test(tc, test_add_stems, 0, sizeof stems / sizeof stems[0]);
    tcase_add_loop_test(tc, test_doc_name, 0, sizeof doc_names / sizeof doc_names[0]);
    suite_add_tcase(s, tc);
    return s;
}
