/* check_vector.c: libsvm lines written and parsed, good and malformed (table-driven). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../pipeline/vector_int.h"
#include "stance/vector.h"
#include "suites.h"

/* Lines that parse: the label, the pairs, and how the writer prints them back. */
static const struct {
    const char *line, *label;
    size_t count;
    int index[3];
    double value[3];
    const char *written;
} good_cases[] = {
    {"1 4:0.2673 17:0.5345 230:0.8018", "1", 3, {4, 17, 230}, {0.2673, 0.5345, 0.8018},
     "1 4:0.2673 17:0.5345 230:0.8018\n"},
    {"0", "0", 0, {0}, {0}, "0\n"},
    {"-1 1:1\n", "-1", 1, {1}, {1}, "-1 1:1\n"},
    {"+1\t2:-0.5  3:1e-3 \r\n", "+1", 2, {2, 3}, {-0.5, 0.001}, "+1 2:-0.5 3:0.001\n"},
    {"  tone 7:0.333333333", "tone", 1, {7}, {0.333333333}, "tone 7:0.333333\n"},
    {"2 2147483647:1e300", "2", 1, {2147483647}, {1e300}, "2 2147483647:1e+300\n"},
    {"3 5:1e-400", "3", 1, {5}, {0}, "3 5:0\n"}, /* underflow reads as 0 */
    {"x 1:0", "x", 1, {1}, {0}, "x 1:0\n"},
};

START_TEST(test_parse_good)
{
    const char *line = good_cases[_i].line;
    char *label;
    stance_vector v;
    stance_vector_init(&v);
    stance_error err;
    stance_error_clear(&err);
    ck_assert_int_eq(stance_vector_parse(line, strlen(line), "t", 1, &label, &v, &err), STANCE_OK);
    ck_assert_str_eq(label, good_cases[_i].label);
    ck_assert_uint_eq(v.count, good_cases[_i].count);
    for (size_t k = 0; k < v.count; k++) {
        ck_assert_int_eq(v.items[k].index, good_cases[_i].index[k]);
        ck_assert_double_eq_tol(v.items[k].value, good_cases[_i].value[k], 1e-12);
    }
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(stance_vector_write(f, label, &v, "mem", &err), STANCE_OK);
    fclose(f);
    ck_assert_str_eq(buf, good_cases[_i].written);
    free(buf);
    free(label);
    stance_vector_clear(&v);
}
END_TEST

/* Lines that do not parse, and the message naming the column. */
static const struct {
    const char *line, *message;
} bad_cases[] = {
    {"", "empty line: expected a label"},
    {" \t\n", "empty line: expected a label"},
    {"1 0:1", "column 3: index 0 is below 1"},
    {"1 -2:1", "column 3: index -2 is below 1"},
    {"1 3:1 2:1", "column 7: index 2 after 3 (indices must increase)"},
    {"1 3:1 3:1", "column 7: index 3 after 3 (indices must increase)"},
    {"1 a:1", "column 3: malformed index in 'a:1'"},
    {"1 :1", "column 3: malformed index in ':1'"},
    {"1 +2:1", "column 3: malformed index in '+2:1'"},
    {"1 2.5:1", "column 3: malformed index in '2.5:1'"},
    {"1 2147483648:1", "column 3: index in '2147483648:1' is too large"},
    {"1 99999999999999999999:1", "column 3: index in '99999999999999999999:1' is too large"},
    {"1 2:x", "column 3: malformed value in '2:x'"},
    {"1 2:1x", "column 3: malformed value in '2:1x'"},
    {"1 2:1:3", "column 3: malformed value in '2:1:3'"},
    {"1 2:", "column 3: index 2 has no value"},
    {"1 2:inf", "column 3: value in '2:inf' is not a finite number"},
    {"1 2:-inf", "column 3: value in '2:-inf' is not a finite number"},
    {"1 2:nan", "column 3: value in '2:nan' is not a finite number"},
    {"1 2:1e999", "column 3: value in '2:1e999' is not a finite number"},
    {"1 2", "column 3: expected index:value, got '2'"},
    {"1 1:1 2", "column 7: expected index:value, got '2'"},
};

START_TEST(test_parse_bad)
{
    const char *line = bad_cases[_i].line;
    char *label = (char *)"unset";
    stance_vector v;
    stance_vector_init(&v);
    stance_error err;
    stance_error_clear(&err);
    ck_assert_int_eq(stance_vector_parse(line, strlen(line), "data.svm", 4, &label, &v, &err),
                     STANCE_ERR_DATA);
    ck_assert_ptr_null(label);
    ck_assert_uint_eq(v.count, 0);
    ck_assert_str_eq(err.where, "data.svm");
    ck_assert_int_eq(err.line, 4);
    ck_assert_str_eq(err.message, bad_cases[_i].message);
    stance_vector_clear(&v);
}
END_TEST

START_TEST(test_parse_length_and_nul)
{
    stance_vector v;
    stance_vector_init(&v);
    stance_error err;
    char *label;
    /* only len bytes count: the rest of the buffer is not part of the line */
    ck_assert_int_eq(stance_vector_parse("1 2:3 garbage", 5, "t", 1, &label, &v, &err), STANCE_OK);
    ck_assert_str_eq(label, "1");
    ck_assert_uint_eq(v.count, 1);
    free(label);
    ck_assert_int_eq(stance_vector_parse("1 2:3\0 4:1", 10, "t", 1, &label, &v, &err),
                     STANCE_ERR_DATA);
    ck_assert_str_eq(err.message, "column 6: NUL byte");
    /* a parse replaces what v held */
    ck_assert_int_eq(stance_vector_parse("1 9:1", 5, "t", 1, &label, &v, &err), STANCE_OK);
    ck_assert_uint_eq(v.count, 1);
    ck_assert_int_eq(v.items[0].index, 9);
    free(label);
    stance_vector_clear(&v);
    ck_assert_ptr_null(v.items);
    ck_assert_uint_eq(v.count, 0);
}
END_TEST

START_TEST(test_push_grows)
{
    stance_vector v;
    stance_vector_init(&v);
    for (int i = 1; i <= 1000; i++)
        ck_assert_int_eq(stance_vector_push(&v, i, i * 0.5, NULL), STANCE_OK);
    ck_assert_uint_eq(v.count, 1000);
    ck_assert_int_eq(v.items[999].index, 1000);
    ck_assert_double_eq(v.items[999].value, 500.0);
    stance_vector_clear(&v);
}
END_TEST

START_TEST(test_write_failure)
{
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        return; /* no /dev/full here */
    stance_vector v;
    stance_vector_init(&v);
    for (int i = 1; i <= 10000; i++) /* more than the stdio buffer, so a write happens */
        ck_assert_int_eq(stance_vector_push(&v, i, 0.125, NULL), STANCE_OK);
    stance_error err;
    ck_assert_int_eq(stance_vector_write(f, "1", &v, "/dev/full", &err), STANCE_ERR_IO);
    ck_assert_str_eq(err.where, "/dev/full");
    ck_assert_ptr_nonnull(strstr(err.message, "write failed"));
    fclose(f);
    stance_vector_clear(&v);
}
END_TEST

Suite *vector_suite(void)
{
    Suite *s = suite_create("vector");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_parse_good, 0, sizeof good_cases / sizeof good_cases[0]);
    tcase_add_loop_test(tc, test_parse_bad, 0, sizeof bad_cases / sizeof bad_cases[0]);
    tcase_add_test(tc, test_parse_length_and_nul);
    tcase_add_test(tc, test_push_grows);
    tcase_add_test(tc, test_write_failure);
    suite_add_tcase(s, tc);
    return s;
}
