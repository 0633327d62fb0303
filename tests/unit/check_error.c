/* check_error.c: error records formatted for a terminal: control characters, DEL, C1 controls
 * and bytes that are not UTF-8 escaped as \xNN, other text (UTF-8 included) as it is. */
#include <string.h>

#include "stance/error.h"
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

Suite *error_suite(void)
{
    Suite *s = suite_create("error");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_escape, 0, sizeof escape_cases / sizeof escape_cases[0]);
    tcase_add_test(tc, test_escape_truncates_whole);
    tcase_add_test(tc, test_format_escapes);
    tcase_add_test(tc, test_format_room);
    suite_add_tcase(s, tc);
    return s;
}
