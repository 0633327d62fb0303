/* check_stemlist.c: stems read from records (and the errors named), and the store that keeps
 * many records' stems. */
#include <string.h>

#include "../../pipeline/stemlist_int.h"
#include "stance/stemlist.h"
#include "suites.h"

/* A record, and its stems joined by '|' ("" for none), or NULL for a data error whose message
 * is in error. */
static const struct {
    const char *record, *joined, *error;
} record_cases[] = {
    {"{\"stems\": [\"nato\", \"enlarg\", \"talk\"]}", "nato|enlarg|talk", NULL},
    {"{\"stems\": []}", "", NULL},
    {"{\"stems\": [\"a\\u0000b\"]}", "a\\0b", NULL}, /* the length counts past a NUL */
    {"{\"tokens\": [\"nato\"]}", NULL, "record has no \"stems\" array (run stance-stem first)"},
    {"{\"stems\": \"nato\"}", NULL, "\"stems\" is not an array"},
    {"{\"stems\": [\"nato\", 7]}", NULL, "stem 2 is not a string"},
};

/* The stems of sl joined by '|', NULs written as "\0", into buf. */
static void join(const stance_stem_list *sl, char *buf, size_t n)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sl->n; i++) {
        if (i)
            at += (size_t)snprintf(buf + at, n - at, "|");
        for (size_t k = 0; k < sl->lens[i]; k++)
            at += (size_t)snprintf(buf + at, n - at, sl->stems[i][k] ? "%c" : "\\0", sl->stems[i][k]);
    }
}

START_TEST(test_from_record)
{
    stance_stem_list sl;
    stance_stem_list_init(&sl);
    stance_error err;
    json_t *rec = json_loads(record_cases[_i].record, JSON_ALLOW_NUL, NULL);
    ck_assert_ptr_nonnull(rec);
    stance_status st = stance_stem_list_from_record(&sl, rec, "in.jsonl", 3, &err);
    if (record_cases[_i].joined) {
        ck_assert_int_eq(st, STANCE_OK);
        char buf[128];
        join(&sl, buf, sizeof buf);
        ck_assert_str_eq(buf, record_cases[_i].joined);
    } else {
        ck_assert_int_eq(st, STANCE_ERR_DATA);
        ck_assert_str_eq(err.message, record_cases[_i].error);
        ck_assert_str_eq(err.where, "in.jsonl");
        ck_assert_int_eq(err.line, 3);
        ck_assert_uint_eq(sl.n, 0);
    }
    json_decref(rec);
    stance_stem_list_clear(&sl);
}
END_TEST

/* Records go in and come out as they were, in order, after the records that were read from
 * are gone and after the buffers have grown many times. */
START_TEST(test_store)
{
    stance_stem_store *store;
    stance_error err;
    ck_assert_int_eq(stance_stem_store_new(&store, &err), STANCE_OK);
    stance_stem_list in, out;
    stance_stem_list_init(&in);
    stance_stem_list_init(&out);
    enum { RECORDS = 3000 };
    for (int r = 0; r < RECORDS; r++) {
        char text[256];
        int at = snprintf(text, sizeof text, "{\"stems\": [");
        for (int k = 0; k < r % 7; k++)
            at += snprintf(text + at, sizeof text - (size_t)at, "%s\"s%d-%d\"", k ? ", " : "", r, k);
        snprintf(text + at, sizeof text - (size_t)at, "]}");
        json_t *rec = json_loads(text, 0, NULL);
        ck_assert_int_eq(stance_stem_list_from_record(&in, rec, "in", r + 1, &err), STANCE_OK);
        ck_assert_int_eq(stance_stem_store_add(store, &in, &err), STANCE_OK);
        json_decref(rec);
    }
    ck_assert_uint_eq(stance_stem_store_count(store), RECORDS);
    for (int r = 0; r < RECORDS; r++) {
        ck_assert_int_eq(stance_stem_store_get(store, (size_t)r, &out, &err), STANCE_OK);
        ck_assert_uint_eq(out.n, (size_t)(r % 7));
        for (int k = 0; k < r % 7; k++) {
            char want[32];
            snprintf(want, sizeof want, "s%d-%d", r, k);
            ck_assert_uint_eq(out.lens[k], strlen(want));
            ck_assert_str_eq(out.stems[k], want); /* NUL-terminated in the store */
        }
    }
    ck_assert_int_eq(stance_stem_store_get(store, RECORDS, &out, &err), STANCE_ERR_USAGE);
    ck_assert_uint_eq(out.n, 0);
    stance_stem_list_clear(&in);
    stance_stem_list_clear(&out);
    stance_stem_store_free(store);
    stance_stem_store_free(NULL);
}
END_TEST

Suite *stemlist_suite(void)
{
    Suite *s = suite_create("stemlist");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_from_record, 0, sizeof record_cases / sizeof record_cases[0]);
    tcase_add_test(tc, test_store);
    suite_add_tcase(s, tc);
    return s;
}
