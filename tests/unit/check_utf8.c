/* check_utf8.c: strict decoding, encoding round trips and lower-casing. */
#include <stdlib.h>
#include <string.h>

#include "../../pipeline/utf8_int.h"
#include "suites.h"

static const struct {
    const char *bytes;
    size_t len;     /* expected sequence length, 0 = malformed */
    uint32_t cp;
} decode_cases[] = {
    {"A", 1, 'A'},
    {"\xC3\xA9", 2, 0xE9},           /* é */
    {"\xE2\x80\x99", 3, 0x2019},     /* ’ */
    {"\xF0\x9F\x98\x80", 4, 0x1F600},
    {"\xC0\xAF", 0, 0},              /* overlong '/' */
    {"\xE0\x80\xAF", 0, 0},          /* overlong, 3 bytes */
    {"\xED\xA0\x80", 0, 0},          /* surrogate */
    {"\xF4\x90\x80\x80", 0, 0},      /* above U+10FFFF */
    {"\x80", 0, 0},                  /* lone continuation */
    {"\xE2\x80", 0, 0},              /* truncated */
    {"\xE9", 0, 0},                  /* Latin-1 é */
};

START_TEST(test_decode_table)
{
    uint32_t cp = 0;
    size_t len = stance_utf8_decode((const unsigned char *)decode_cases[_i].bytes,
                                    strlen(decode_cases[_i].bytes), &cp);
    ck_assert_uint_eq(len, decode_cases[_i].len);
    if (len)
        ck_assert_uint_eq(cp, decode_cases[_i].cp);
}
END_TEST

START_TEST(test_encode_round_trip)
{
    const uint32_t cps[] = {0x41, 0xE9, 0x416, 0x2014, 0xFFFD, 0x1F600, 0x10FFFF};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        unsigned char buf[4];
        uint32_t back = 0;
        size_t n = stance_utf8_encode(cps[i], buf);
        ck_assert_uint_gt(n, 0);
        ck_assert_uint_eq(stance_utf8_decode(buf, n, &back), n);
        ck_assert_uint_eq(back, cps[i]);
    }
    unsigned char buf[4];
    ck_assert_uint_eq(stance_utf8_encode(0xD800, buf), 0);
    ck_assert_uint_eq(stance_utf8_encode(0x110000, buf), 0);
}
END_TEST

START_TEST(test_check_reports_first_bad_byte)
{
    const char *s = "ok \xE2\x80\x99 then \xE9t\xE9";
    ck_assert_uint_eq(stance_utf8_check((const unsigned char *)s, strlen(s)), 12);
    ck_assert_uint_eq(stance_utf8_check((const unsigned char *)"fine", 4), 4);
}
END_TEST

/* ASCII runs whose length ends the 16- and 8-byte steps exactly at the end, in buffers of
 * exactly that size (found by valgrind: a read of the byte after the end; ASan sees it here
 * because nothing follows the buffer). */
START_TEST(test_check_stays_in_bounds)
{
    static const size_t lens[] = {0, 1, 7, 8, 9, 15, 16, 17, 24, 32, 48, 100000};
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        unsigned char *b = malloc(lens[k] ? lens[k] : 1);
        ck_assert_ptr_nonnull(b);
        memset(b, 'a', lens[k]);
        ck_assert_uint_eq(stance_utf8_check(b, lens[k]), lens[k]);
        if (lens[k] >= 16) { /* a bad byte last, after whole steps */
            b[lens[k] - 1] = 0xFF;
            ck_assert_uint_eq(stance_utf8_check(b, lens[k]), lens[k] - 1);
        }
        free(b);
    }
}
END_TEST

static const struct {
    uint32_t upper, lower;
} lower_cases[] = {
    {'Q', 'q'}, {'q', 'q'}, {'7', '7'},
    {0xC9, 0xE9},     /* É */
    {0xD7, 0xD7},     /* × is not a letter */
    {0x0160, 0x0161}, /* Š */
    {0x0141, 0x0142}, /* Ł */
    {0x017D, 0x017E}, /* Ž */
    {0x0178, 0xFF},   /* Ÿ */
    {0x0130, 'i'},    /* İ */
    {0x0391, 0x03B1}, /* Α */
    {0x03A3, 0x03C3}, /* Σ */
    {0x03C2, 0x03C3}, /* final ς */
    {0x0386, 0x03AC}, /* Ά */
    {0x038F, 0x03CE}, /* Ώ */
    {0x0410, 0x0430}, /* А */
    {0x042F, 0x044F}, /* Я */
    {0x0401, 0x0451}, /* Ё */
    {0x0404, 0x0454}, /* Є */
    {0x0490, 0x0491}, /* Ґ */
    {0x4E2D, 0x4E2D}, /* 中: caseless */
};

START_TEST(test_lower_table)
{
    ck_assert_uint_eq(stance_utf8_lower(lower_cases[_i].upper), lower_cases[_i].lower);
}
END_TEST

static const struct {
    uint32_t cp;
    int format;
} format_cases[] = {
    {0x00AD, 1}, {0x00AC, 0}, {0x00AE, 0}, {0x0600, 1}, {0x0605, 1}, {0x0606, 0},
    {0x061C, 1}, {0x180E, 1}, {0x200A, 0}, {0x200B, 1}, {0x200F, 1}, {0x2010, 0},
    {0x2065, 0}, {0x2066, 1}, {0x206F, 1}, {0xFEFF, 1}, {0xFFFB, 1}, {0xFFFC, 0},
    {0x1343F, 1}, {0xE0001, 1}, {0xE0002, 0}, {0xE007F, 1}, {0xE0080, 0},
    {'a', 0}, {0x0430, 0}, {0x10FFFF, 0},
};

START_TEST(test_format_table)
{
    ck_assert_int_eq(stance_utf8_is_format(format_cases[_i].cp), format_cases[_i].format);
}
END_TEST

/* Category Cf has 170 code points in Unicode 15.1. */
START_TEST(test_format_count)
{
    size_t n = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++)
        n += stance_utf8_is_format(cp) != 0;
    ck_assert_uint_eq(n, 170);
}
END_TEST

Suite *utf8_suite(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_decode_table, 0, sizeof decode_cases / sizeof decode_cases[0]);
    tcase_add_test(tc, test_encode_round_trip);
    tcase_add_test(tc, test_check_reports_first_bad_byte);
    tcase_add_test(tc, test_check_stays_in_bounds);
    tcase_add_loop_test(tc, test_lower_table, 0, sizeof lower_cases / sizeof lower_cases[0]);
    tcase_add_loop_test(tc, test_format_table, 0, sizeof format_cases / sizeof format_cases[0]);
    tcase_add_test(tc, test_format_count);
    suite_add_tcase(s, tc);
    return s;
}
