/* check_jsonl.c: the JSON Lines reader's records and its errors, line by line. */
#include <stdio.h>
#include <string.h>

#include "stance/jsonl.h"
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
    ck_assert_int_eq(stance_jsonl_line(r), 1);
    json_decref(obj);
    ck_assert_int_eq(stance_jsonl_read(r, &obj, &err), STANCE_OK);
    ck_assert_int_eq(stance_jsonl_line(r), 4);
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
    tcase_add_loop_test(tc, test_bad_lines_table, 0, sizeof bad_cases / sizeof bad_cases[0]);
    tcase_add_test(tc, test_write_to_full_device_fails);
    suite_add_tcase(s, tc);
    return s;
}
