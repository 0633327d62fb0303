/* check_table.c: CSV fields quoted as RFC 4180 asks, TSV fields with their escapes. */
#include <string.h>

#include "../../pipeline/table_int.h"
#include "suites.h"

static const struct {
    const char *in;
    size_t len; /* 0: strlen(in) */
    const char *csv, *tsv;
} cases[] = {
    {"plain", 0, "plain", "plain"},
    {"", 0, "", ""},
    {"a,b", 0, "\"a,b\"", "a,b"},
    {"say \"no\"", 0, "\"say \"\"no\"\"\"", "say \"no\""},
    {"\"", 0, "\"\"\"\"", "\""},
    {"two\nlines", 0, "\"two\nlines\"", "two\\nlines"},
    {"cr\r\nlf", 0, "\"cr\r\nlf\"", "cr\\r\\nlf"},
    {"tab\there", 0, "tab\there", "tab\\there"},
    {"back\\slash", 0, "back\\slash", "back\\\\slash"},
    {"a,\"b\"\n", 0, "\"a,\"\"b\"\"\n\"", "a,\"b\"\\n"},
    {"semi;colon 'q' \xC3\xA9", 0, "semi;colon 'q' \xC3\xA9", "semi;colon 'q' \xC3\xA9"},
    {"nul\0byte", 8, "nul\0byte", "nul\0byte"},
};

START_TEST(test_fields)
{
    size_t len = cases[_i].len ? cases[_i].len : strlen(cases[_i].in);
    for (int tsv = 0; tsv < 2; tsv++) {
        const char *want = tsv ? cases[_i].tsv : cases[_i].csv;
        size_t want_len = cases[_i].len ? cases[_i].len : strlen(want);
        stance_jsonw w;
        stance_jsonw_init(&w);
        stance_jsonw_raw(&w, "x", 1); /* appended after what is there */
        stance_table_field(&w, tsv, cases[_i].in, len);
        ck_assert(!w.failed);
        ck_assert_uint_eq(w.len, want_len + 1);
        ck_assert_msg(memcmp(w.buf + 1, want, want_len) == 0, "%s field %d", tsv ? "tsv" : "csv", _i);
        stance_jsonw_clear(&w);
    }
}
END_TEST

Suite *table_suite(void)
{
    Suite *s = suite_create("table");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_fields, 0, (int)(sizeof cases / sizeof cases[0]));
    suite_add_tcase(s, tc);
    return s;
}
