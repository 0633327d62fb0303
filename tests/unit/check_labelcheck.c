/* check_labelcheck.c: a labeled file checked whole (labelcheck.h): each kind of problem, the
 * counts, and the near-miss names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../pipeline/codebook_int.h"
#include "../../pipeline/labelcheck_int.h"
#include "stance/codebook.h"
#include "stance/labelcheck.h"
#include "suites.h"

static const char codebook_json[] =
    "{\"dimensions\": ["
    "{\"name\": \"topics\", \"kind\": \"multi\", \"values\": [{\"label\": \"kosovo\"}, "
    "{\"label\": \"abm\"}]},"
    "{\"name\": \"tone3\", \"kind\": \"single\", \"optional\": true, \"values\": ["
    "{\"label\": \"calm\"}, {\"label\": \"tense\"}]}]}";

static const struct {
    const char *records;
    size_t errors, warnings; /* with a minimum of 2 passages per value */
    const char *first;       /* the first problem, "line: message" */
} cases[] = {
    {"{\"text\":\"a\",\"topics\":[\"kosovo\",\"abm\"],\"tone3\":\"calm\"}\n"
     "{\"text\":\"b\",\"topics\":[\"kosovo\",\"abm\"],\"tone3\":\"tense\"}\n"
     "{\"text\":\"c\",\"topics\":[],\"tone3\":[]}\n"
     "{\"text\":\"d\",\"topics\":[],\"tone3\":[]}\n"
     "{\"text\":\"e\",\"tone3\":\"calm\"}\n"
     "{\"text\":\"f\",\"tone3\":\"tense\",\"score\":1}\n", 0, 0, NULL},
    {"{\"text\":\"a\",\"topics\":[\"kosovo\"],\"tone\":\"calm\"}\n", 1, 5,
     "0: `tone`: not a dimension of this codebook; did you mean `tone3`? (line 1)"},
    {"{\"text\":\"a\",\"TOPICS\":[\"kosovo\"]}\n{\"text\":\"b\",\"TOPICS\":[]}\n"
     "{\"text\":\"c\",\"TOPICS\":[]}\n", 1, 5,
     "0: `TOPICS`: not a dimension of this codebook; did you mean `topics`? (line 1 and 2 more "
     "records)"},
    {"{\"text\":\"a\",\"label\":[\"kosovo\"]}\n", 1, 5, "0: `label`: not a dimension"},
    {"{\"text\":\"a\",\"topics\":[\"kosovo\",\"bosnia\"],\"tone3\":\"warm\"}\n", 2, 5,
     "1: unknown value \"bosnia\" for dimension \"topics\""},
    {"{\"text\":\"a\",\"tone3\":\"calm\"}\n{\"text\":\"a\",\"tone3\":\"tense\"}\n", 0, 6,
     "2: same text as line 1 with other labels on \"tone3\""}, /* a warning */
    {"{\"text\":\"a\",\"tone3\":\"calm\"}\n{\"text\":\"a\",\"topics\":[\"abm\"]}\n", 0, 5, NULL},
    {"{\"id\":1,\"text\":\"a\"}\n{\"id\":\"1\",\"text\":\"b\",\"annotator\":2}\n", 1, 5,
     "2: duplicate id \"1\" (first at f:1); several annotators?"},
    {"{\"text\":\"a\"}\n[1]\n{\"text\":\"b\"\n{\"topics\":[]}\n", 3, 5,
     "2: expected a JSON object"},
};

START_TEST(test_check_case)
{
    json_t *json = json_loads(codebook_json, 0, NULL);
    stance_codebook *cb;
    ck_assert_int_eq(stance_codebook_from_json(json, "cb", &cb, NULL), STANCE_OK);
    json_decref(json);
    char path[] = "/tmp/check_labelcheck.XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, cases[_i].records, strlen(cases[_i].records)),
                     (ssize_t)strlen(cases[_i].records));
    close(fd);
    stance_label_check *c;
    ck_assert_int_eq(stance_label_check_new(cb, 2, &c, NULL), STANCE_OK);
    ck_assert_int_eq(stance_label_check_load(c, path, NULL), STANCE_OK);
    unlink(path);
    size_t n = stance_label_check_get_problem_count(c), warnings = 0;
    for (size_t i = 0; i < n; i++)
        warnings += stance_label_check_get_problem(c, i)->warning;
    ck_assert_uint_eq(stance_label_check_get_error_count(c), cases[_i].errors);
    ck_assert_uint_eq(warnings, cases[_i].warnings);
    ck_assert_uint_eq(n, cases[_i].errors + cases[_i].warnings);
    if (cases[_i].first) {
        const stance_error *e = &stance_label_check_get_problem(c, 0)->error;
        char got[STANCE_ERROR_MSG_MAX + 32], want[256];
        snprintf(got, sizeof got, "%ld: %s", e->line, e->message);
        snprintf(want, sizeof want, "%s", cases[_i].first);
        char *f = strstr(want, "f:1"); /* the temporary file's name */
        if (f) {
            snprintf(want, sizeof want, "2: duplicate id \"1\" (first at %s:1); several "
                     "annotators?", path);
        }
        ck_assert_msg(strncmp(got, want, strlen(want)) == 0, "got '%s', want '%s'", got, want);
    }
    stance_label_check_free(c);
    stance_codebook_free(cb);
}
END_TEST

/* The counts of the first case: labeled passages per dimension, per value, and none. */
START_TEST(test_counts)
{
    json_t *json = json_loads(codebook_json, 0, NULL);
    stance_codebook *cb;
    ck_assert_int_eq(stance_codebook_from_json(json, "cb", &cb, NULL), STANCE_OK);
    json_decref(json);
    stance_label_check *c;
    ck_assert_int_eq(stance_label_check_new(cb, 2, &c, NULL), STANCE_OK);
    json_t *recs[] = {
        json_loads("{\"text\":\"a\",\"topics\":[\"kosovo\",\"abm\"],\"tone3\":\"calm\"}", 0, NULL),
        json_loads("{\"text\":\"b\",\"topics\":[],\"tone3\":[]}", 0, NULL),
        json_loads("{\"text\":\"c\",\"tone3\":\"calm\"}", 0, NULL),
    };
    signed char targets[4];
    for (size_t i = 0; i < 3; i++) {
        int usable;
        ck_assert_int_eq(stance_label_check_add(c, recs[i], "f", (long)i + 1, targets, &usable,
                                                NULL),
                         STANCE_OK);
        ck_assert_int_eq(usable, 1);
        json_decref(recs[i]);
    }
    ck_assert_int_eq(stance_label_check_finish(c, "f", NULL), STANCE_OK);
    ck_assert_uint_eq(stance_label_check_get_record_count(c), 3);
    ck_assert_uint_eq(stance_label_check_get_labeled(c, 0), 2);
    ck_assert_uint_eq(stance_label_check_get_labeled(c, 1), 3);
    ck_assert_uint_eq(stance_label_check_get_value(c, 0, 1), 1);
    ck_assert_uint_eq(stance_label_check_get_value(c, 1, 0), 2);
    ck_assert_uint_eq(stance_label_check_get_value(c, 1, 2), 0); /* no such value */
    ck_assert_uint_eq(stance_label_check_get_none(c, 0), 1);
    ck_assert_uint_eq(stance_label_check_get_none(c, 1), 1);
    /* warnings: abm, kosovo (1 each), tense (0), tone3 none (1) */
    ck_assert_uint_eq(stance_label_check_get_problem_count(c), 4);
    ck_assert_str_eq(stance_label_check_get_problem(c, 0)->error.message,
                     "topics=kosovo: 1 labeled passages, fewer than 2");
    stance_label_check_free(c);
    stance_codebook_free(cb);
}
END_TEST

static const struct {
    const char *a, *b;
    size_t limit, want;
} distances[] = {
    {"tone", "tone3", 2, 1}, {"Topics", "topics", 2, 0}, {"", "abc", 5, 3},
    {"kitten", "sitting", 5, 3}, {"kitten", "sitting", 2, 3}, {"abc", "abcdefgh", 2, 3},
};

START_TEST(test_edit_distance)
{
    ck_assert_uint_eq(stance_edit_distance(distances[_i].a, distances[_i].b, distances[_i].limit),
                      distances[_i].want);
}
END_TEST

Suite *labelcheck_suite(void)
{
    Suite *s = suite_create("labelcheck");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_check_case, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, test_counts);
    tcase_add_loop_test(tc, test_edit_distance, 0, sizeof distances / sizeof distances[0]);
    suite_add_tcase(s, tc);
    return s;
}
