/* check_jsonl.c: the JSON Lines reader's records and its errors, line by line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../pipeline/jsonl_int.h"
#include "stance/jsonl.h"
#include "stance/stream.h"
#include "suites.h"

static FILE *from_bytes(const char *s, size_t n)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(s, 1, n, f), n);
    rewind(f);
    return f;
}

START_TEST(test_reads_objects_skipping_blank_lines)
{
    const char in[] = "{\"id\":\"a\",\"text\":\"x\"}\n\n  \n{\"id\":2}\r\n";
    FILE *f = from_bytes(in, sizeof in - 1);
    stance_jsonl_reader *r;
    stance_error err;
    ck_assert_int_eq(stance_jsonl_reader_new(f, "in.jsonl", &r, &err), STANCE_OK);
    json_t *obj;
    ck_assert_int_eq(stance_jsonl_read(r, &obj, &err), STANCE_OK);
    ck_assert_str_eq(json_string_value(json_object_get(obj, "id")), "a");
    ck_assert_int_eq(stance_jsonl_get_line(r), 1);
    json_decref(obj);
    ck_assert_int_eq(stance_jsonl_read(r, &obj, &err), STANCE_OK);
    ck_assert_int_eq(stance_jsonl_get_line(r), 4);
    char buf[32];
    const char *id;
    ck_assert_int_eq(stance_json_get_id(obj, "in.jsonl", 4, buf, sizeof buf, &id, &err), STANCE_OK);
    ck_assert_str_eq(id, "2");
    const char *s;
    size_t len;
    ck_assert_int_eq(stance_json_get_string(obj, "text", "in.jsonl", 4, &s, &len, &err),
                     STANCE_ERR_DATA);
    ck_assert_str_eq(err.message, "record has no \"text\" field");
    json_decref(obj);
    ck_assert_int_eq(stance_jsonl_read(r, &obj, &err), STANCE_OK);
    ck_assert_ptr_null(obj);
    stance_jsonl_reader_free(r);
    fclose(f);
}
END_TEST

/* input (length given, for NULs), then the line and message of the error */
static const struct {
    const char *in;
    size_t len;
    long line;
    const char *message;
} bad_cases[] = {
    {"{}\n{\"a\":\n", 9, 2, "invalid JSON at column"},
    {"{}\n[1,2]\n", 8, 2, "expected a JSON object"},
    {"\"str\"\n", 6, 1, "invalid JSON at column"},
    {"{\"a\":1,\"a\":2}\n", 14, 1, "invalid JSON at column"},
    {"{}\n{\"t\":\"\xE9\"}\n", 12, 2, "invalid UTF-8 at byte 9 (0xe9)"},
    {"{\"t\":\"a\0b\"}\n", 12, 1, "NUL byte at byte 7"},
    {"{\"t\":\"a\\u0000b\"}\n", 17, 1, "invalid JSON at column"},
    /* a byte-order mark is skipped only at the start of the stream; offsets count it */
    {"\xEF\xBB\xBF{\"t\":\"\xE9\"}\n", 13, 1, "invalid UTF-8 at byte 9 (0xe9)"},
    {"{}\n\xEF\xBB\xBF{}\n", 9, 2, "invalid JSON at column"},
};

START_TEST(test_bad_lines_table)
{
    FILE *f = from_bytes(bad_cases[_i].in, bad_cases[_i].len);
    stance_jsonl_reader *r;
    stance_error err;
    ck_assert_int_eq(stance_jsonl_reader_new(f, "in.jsonl", &r, &err), STANCE_OK);
    json_t *obj;
    stance_status st;
    while ((st = stance_jsonl_read(r, &obj, &err)) == STANCE_OK && obj)
        json_decref(obj);
    ck_assert_int_eq(st, STANCE_ERR_DATA);
    ck_assert_int_eq(err.line, bad_cases[_i].line);
    ck_assert_msg(strncmp(err.message, bad_cases[_i].message, strlen(bad_cases[_i].message)) == 0,
                  "got '%s'", err.message);
    stance_jsonl_reader_free(r);
    fclose(f);
}
END_TEST

/* A NUL byte anywhere in a line, before and after every eight-byte boundary of the read
 * buffer, whose last NUL the reader finds a word at a time: the error names its byte, on the
 * second line (the first, of 7 * _i bytes of padding, sets how much the second is read with);
 * the byte is counted from the start of the stream. */
START_TEST(test_nul_every_offset)
{
    char in[600];
    size_t pad = (size_t)_i * 7;
    size_t second = (size_t)sprintf(in, "{\"p\":\"%*s\"}\n", (int)pad, "");
    for (size_t at = 6; at < 79; at++) { /* up to the newline */
        size_t len = second + (size_t)sprintf(in + second, "{\"t\":\"%070d\"}\n", 0);
        in[second + at] = '\0';
        FILE *f = from_bytes(in, len);
        stance_jsonl_reader *r;
        stance_error err;
        ck_assert_int_eq(stance_jsonl_reader_new(f, "in.jsonl", &r, &err), STANCE_OK);
        json_t *obj;
        stance_status st;
        while ((st = stance_jsonl_read(r, &obj, &err)) == STANCE_OK && obj)
            json_decref(obj);
        char want[64];
        snprintf(want, sizeof want, "NUL byte at byte %zu", second + at);
        ck_assert_msg(st == STANCE_ERR_DATA && err.line == 2, "pad %zu, NUL at %zu: status %d",
                      pad, at, (int)st);
        ck_assert_msg(strncmp(err.message, want, strlen(want)) == 0, "pad %zu, NUL at %zu: got '%s'",
                      pad, at, err.message);
        stance_jsonl_reader_free(r);
        fclose(f);
    }
}
END_TEST

/* Lines the reader must read exactly as json_loadb(JSON_REJECT_DUPLICATES) does: the same
 * values, key order and number types, or the same error. They cover what the reader's quick
 * parser takes and what it leaves to jansson. */
static const char *const same_as_jansson[] = {
    "{}",
    " \t{ \"a\" : 1 , \"b\":[ ] ,\"c\":{ }}\r",
    "{\"id\":\"x\",\"text\":\"line\\none\\ttab \\\"q\\\" \\\\ \\/ \\b\\f\\r\"}",
    "{\"u\":\"\\u00e9\\u20AC\\ud83d\\ude00 caf\u00c3\u00a9\"}",
    "{\"n\":[0,-0,1.5,1e5,1E-5,-12,9223372036854775807,-9223372036854775808,1e-400,2.5e+3]}",
    "{\"t\":true,\"f\":false,\"z\":null,\"deep\":[[[[{\"k\":[1,{\"x\":\"y\"}]}]]]]}",
    "{\"b\":1,\"a\":2,\"c\":3}",
    "{\"id\":\"a\",\"text\":\"0123456789abcdef\\\"0123456\\\\89abcdef0123456\"}",
    /* errors: jansson's message */
    "{\"a\":1,\"a\":2}",
    "{\"a\":\"\\u0000\"}",
    "{\"a\":\"\\ud800\"}",
    "{\"a\":\"\\udc00x\"}",
    "{\"a\":\"\\x\"}",
    "{\"a\":\"tab\there\"}",
    "{\"a\":9223372036854775808}",
    "{\"a\":-9223372036854775809}",
    "{\"a\":1e400}",
    "{\"a\":01}",
    "{\"a\":1.}",
    "{\"a\":.5}",
    "{\"a\":-}",
    "{\"a\":1}x",
    "{\"a\":1,}",
    "{\"a\" 1}",
    "{\"a\":tru}",
    "{\"a\":truex}",
    "{\"a\":[1 2]}",
    "{\"a\":\"open",
    "[1]",
    "\"s\"",
    "{a:1}",
};

START_TEST(test_same_as_jansson)
{
    const char *line = same_as_jansson[_i];
    FILE *f = from_bytes(line, strlen(line));
    stance_jsonl_reader *r;
    stance_error err;
    ck_assert_int_eq(stance_jsonl_reader_new(f, "in.jsonl", &r, &err), STANCE_OK);
    json_t *got = NULL;
    stance_status st = stance_jsonl_read(r, &got, &err);
    json_error_t je;
    json_t *want = json_loadb(line, strlen(line), JSON_REJECT_DUPLICATES, &je);
    if (want && json_is_object(want)) {
        ck_assert_msg(st == STANCE_OK && got, "%s: %s", line, err.message);
        char *a = json_dumps(got, JSON_COMPACT), *b = json_dumps(want, JSON_COMPACT);
        ck_assert_str_eq(a, b);
        size_t k;
        json_t *x;
        json_array_foreach(json_object_get(want, "n"), k, x) /* integers stay integers */
            ck_assert_int_eq(json_typeof(json_array_get(json_object_get(got, "n"), k)), json_typeof(x));
        free(a);
        free(b);
    } else {
        char msg[STANCE_ERROR_MSG_MAX];
        if (want)
            snprintf(msg, sizeof msg, "expected a JSON object");
        else
            snprintf(msg, sizeof msg, "invalid JSON at column %d: %s", je.column, je.text);
        ck_assert_int_eq(st, STANCE_ERR_DATA);
        ck_assert_str_eq(err.message, msg);
    }
    json_decref(got);
    json_decref(want);
    stance_jsonl_reader_free(r);
    fclose(f);
}
END_TEST

/* A long string with escapes at every place in the 8-byte blocks the reader scans. */
START_TEST(test_long_string_escapes)
{
    size_t n = 20000, at = 0;
    char *line = malloc(3 * n + 64);
    ck_assert_ptr_nonnull(line);
    at += (size_t)sprintf(line, "{\"id\":\"x\",\"text\":\"");
    for (size_t i = 0; i < n; i++) {
        if (i % 13 == 0)
            at += (size_t)sprintf(line + at, "\\n");
        else if (i % 29 == 0)
            at += (size_t)sprintf(line + at, "\\\"");
        else
            line[at++] = (char)('a' + i % 26);
    }
    at += (size_t)sprintf(line + at, "\"}\n");
    FILE *f = from_bytes(line, at);
    stance_jsonl_reader *r;
    stance_error err;
    ck_assert_int_eq(stance_jsonl_reader_new(f, "in.jsonl", &r, &err), STANCE_OK);
    json_t *got;
    ck_assert_int_eq(stance_jsonl_read(r, &got, &err), STANCE_OK);
    json_t *want = json_loadb(line, at, 0, NULL);
    ck_assert(json_equal(got, want));
    json_decref(got);
    json_decref(want);
    stance_jsonl_reader_free(r);
    fclose(f);
    free(line);
}
END_TEST

/* A stream that starts with a byte-order mark (as some editors write UTF-8): the mark is not
 * part of the first record, and a mark alone on the first line makes a blank line. */
START_TEST(test_skips_leading_bom)
{
    static const char *const ins[] = {"\xEF\xBB\xBF{\"id\":\"a\"}\n{\"id\":\"b\"}\n",
                                      "\xEF\xBB\xBF\n{\"id\":\"a\"}\n{\"id\":\"b\"}"};
    static const char *const ids[] = {"a", "b"};
    for (size_t k = 0; k < sizeof ins / sizeof ins[0]; k++) {
        FILE *f = from_bytes(ins[k], strlen(ins[k]));
        stance_jsonl_reader *r;
        stance_error err;
        ck_assert_int_eq(stance_jsonl_reader_new(f, "in.jsonl", &r, &err), STANCE_OK);
        json_t *obj;
        for (size_t i = 0; i < 2; i++) {
            ck_assert_int_eq(stance_jsonl_read(r, &obj, &err), STANCE_OK);
            ck_assert_ptr_nonnull(obj);
            ck_assert_str_eq(json_string_value(json_object_get(obj, "id")), ids[i]);
            json_decref(obj);
        }
        ck_assert_int_eq(stance_jsonl_read(r, &obj, &err), STANCE_OK);
        ck_assert_ptr_null(obj);
        stance_jsonl_reader_free(r);
        fclose(f);
    }
}
END_TEST

/* jansson's allocations fail above alloc_limit bytes (and, as malloc does, set ENOMEM). */
static size_t alloc_limit;

static void *limited_malloc(size_t n)
{
    if (n > alloc_limit) {
        errno = ENOMEM;
        return NULL;
    }
    return malloc(n);
}

/* {"d":[[...[inner]...]]} nested 70 deep, then a newline, into buf (400 bytes). */
static void nested(char *buf, const char *inner)
{
    strcpy(buf, "{\"d\":");
    for (int i = 0; i < 70; i++)
        strcat(buf, "[");
    strcat(buf, inner);
    for (int i = 0; i < 70; i++)
        strcat(buf, "]");
    strcat(buf, "}\n");
}

/* Out of memory while a line or a text is parsed is out of memory: never "invalid JSON", and
 * never a second try by json_loadb, which, when its token buffer cannot grow, reads and writes
 * past its buffers. Cases: a long string with no jansson allocation possible, or only small
 * ones; a line the quick parser leaves to json_loadb (nested deeper than it goes). */
START_TEST(test_out_of_memory_is_not_invalid_json)
{
    size_t n = 100000;
    char *longline = malloc(n + 64);
    ck_assert_ptr_nonnull(longline);
    int at = sprintf(longline, "{\"id\":\"x\",\"text\":\"");
    memset(longline + at, 'a', n);
    strcpy(longline + at + n, "\"}\n");
    char deep[400];
    nested(deep, "\"a string of some length, longer than jansson starts with\"");
    const struct {
        const char *text;
        size_t limit;
    } cases[] = {{longline, 0}, {longline, 4096}, {deep, 0}, {deep, 40}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t len = strlen(cases[k].text);
        FILE *f = from_bytes(cases[k].text, len);
        stance_jsonl_reader *r;
        stance_error err, perr;
        ck_assert_int_eq(stance_jsonl_reader_new(f, "in.jsonl", &r, &err), STANCE_OK);
        json_t *obj = NULL, *json = NULL;
        alloc_limit = cases[k].limit;
        json_set_alloc_funcs(limited_malloc, free);
        stance_status st = stance_jsonl_read(r, &obj, &err);
        stance_status pst = stance_json_parse(cases[k].text, len, "in.json", &json, &perr);
        json_set_alloc_funcs(malloc, free);
        ck_assert_msg(st == STANCE_ERR_NOMEM, "case %zu: status %d: %s", k, st, err.message);
        ck_assert_str_eq(err.message, "out of memory");
        ck_assert_int_eq(err.line, 1);
        ck_assert_ptr_null(obj);
        ck_assert_msg(pst == STANCE_ERR_NOMEM, "case %zu: status %d: %s", k, pst, perr.message);
        ck_assert_ptr_null(json);
        stance_jsonl_reader_free(r);
        fclose(f);
    }
    free(longline);
}
END_TEST

/* stance_json_parse reads what json_loadb(JSON_REJECT_DUPLICATES) reads, any JSON value, and
 * names the line of an error in a text of several lines. */
START_TEST(test_json_parse)
{
    static const char *const good[] = {
        "{\n  \"a\": [1, 2.5, \"x\"],\n  \"b\": {}\n}\n",
        "[1, {\"a\": null}]",
        NULL, /* deep: nested deeper than the quick parser goes */
    };
    char deep[400];
    nested(deep, "1");
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        const char *text = good[i] ? good[i] : deep;
        json_t *got, *want = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
        stance_error err;
        ck_assert_ptr_nonnull(want);
        ck_assert_int_eq(stance_json_parse(text, strlen(text), "in.json", &got, &err), STANCE_OK);
        ck_assert(json_equal(got, want));
        json_decref(got);
        json_decref(want);
    }
    const char bad[] = "{\n  \"a\": 1,\n  \"a\": 2\n}\n";
    json_t *got;
    stance_error err;
    ck_assert_int_eq(stance_json_parse(bad, strlen(bad), "in.json", &got, &err), STANCE_ERR_DATA);
    ck_assert_ptr_null(got);
    ck_assert_int_eq(err.line, 3);
    ck_assert_str_eq(err.where, "in.json");
    ck_assert_msg(strncmp(err.message, "invalid JSON at column", 22) == 0, "got '%s'", err.message);
}
END_TEST

START_TEST(test_write_to_full_device_fails)
{
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        return; /* not every system has /dev/full */
    json_t *obj = json_pack("{s:s}", "k", "v");
    stance_error err;
    stance_status st = STANCE_OK;
    for (int i = 0; i < 10000 && st == STANCE_OK; i++)
        st = stance_jsonl_write(f, obj, "/dev/full", &err);
    if (st == STANCE_OK)
        st = stance_stream_close(f, "/dev/full", &err);
    else
        fclose(f);
    ck_assert_int_eq(st, STANCE_ERR_IO);
    ck_assert_msg(strstr(err.message, "No space left on device") != NULL, "got '%s'", err.message);
    json_decref(obj);
}
END_TEST

Suite *jsonl_suite(void)
{
    Suite *s = suite_create("jsonl");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_reads_objects_skipping_blank_lines);
    tcase_add_loop_test(tc, test_nul_every_offset, 0, 60);
    tcase_add_loop_test(tc, test_bad_lines_table, 0, sizeof bad_cases / sizeof bad_cases[0]);
    tcase_add_loop_test(tc, test_same_as_jansson, 0, sizeof same_as_jansson / sizeof same_as_jansson[0]);
    tcase_add_test(tc, test_long_string_escapes);
    tcase_add_test(tc, test_write_to_full_device_fails);
    tcase_add_test(tc, test_skips_leading_bom);
    tcase_add_test(tc, test_out_of_memory_is_not_invalid_json);
    tcase_add_test(tc, test_json_parse);
    suite_add_tcase(s, tc);
    return s;
}
