/* check_idset.c: duplicate ids, the place named for the first one, and many ids. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../pipeline/idset_int.h"
#include "stance/idset.h"
#include "suites.h"

/* A stream of (id, where, line) adds, and the message expected of each ("" when it is new). */
static const struct {
    const char *id, *where;
    long line;
    const char *message;
} stream[] = {
    {"a", "one.jsonl", 1, ""},
    {"b", "one.jsonl", 2, ""},
    {"A", "one.jsonl", 3, ""}, /* ids are compared byte for byte */
    {"a", "one.jsonl", 4, "duplicate id \"a\" (first at one.jsonl:1)"},
    {"doc", "doc.txt", 0, ""},
    {"b", "two.jsonl", 1, "duplicate id \"b\" (first at one.jsonl:2)"},
    {"doc", "dir/doc.txt", 0, "duplicate id \"doc\" (first in doc.txt)"},
    {"", "two.jsonl", 2, ""},
    {"", "two.jsonl", 3, "duplicate id \"\" (first at two.jsonl:2)"},
};

START_TEST(test_stream)
{
    stance_idset *s;
    stance_error err;
    ck_assert_int_eq(stance_idset_new(&s, &err), STANCE_OK);
    for (size_t i = 0; i < sizeof stream / sizeof stream[0]; i++) {
        stance_error_clear(&err);
        stance_status st = stance_idset_add(s, stream[i].id, stream[i].where, stream[i].line, &err);
        if (!*stream[i].message) {
            ck_assert_msg(st == STANCE_OK, "add %zu: %s", i, err.message);
            continue;
        }
        ck_assert_int_eq(st, STANCE_ERR_DATA);
        ck_assert_str_eq(err.message, stream[i].message);
        ck_assert_str_eq(err.where, stream[i].where);
        ck_assert_int_eq(err.line, stream[i].line);
    }
    stance_idset_free(s);
}
END_TEST

/* Enough ids to grow every table several times; each is refused the second time. */
START_TEST(test_many)
{
    stance_idset *s;
    stance_error err;
    ck_assert_int_eq(stance_idset_new(&s, &err), STANCE_OK);
    char id[32], where[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(id, sizeof id, "id-%d", i);
        snprintf(where, sizeof where, "file-%d", i / 1000);
        ck_assert_int_eq(stance_idset_add(s, id, where, i % 1000 + 1, &err), STANCE_OK);
    }
    ck_assert_int_eq(stance_idset_add(s, "id-12345", "last", 9, &err), STANCE_ERR_DATA);
    ck_assert_str_eq(err.message, "duplicate id \"id-12345\" (first at file-12:346)");
    stance_idset_free(s);
    stance_idset_free(NULL);
}
END_TEST

/* Ids alike but for one byte, in every 8-byte word and of every length up to 40: no two of
 * them may share a fingerprint (a false duplicate would stop a whole run). */
START_TEST(test_alike_ids)
{
    stance_idset *s;
    stance_error err;
    ck_assert_int_eq(stance_idset_new(&s, &err), STANCE_OK);
    char id[48];
    size_t n = 0;
    for (size_t len = 1; len <= 40; len++)
        for (size_t at = 0; at < len; at++)
            for (int c = 1; c < 256; c += 2) {
                if (c == 'x')
                    continue;
                memset(id, 'x', len);
                id[len] = '\0';
                id[at] = (char)c;
                ck_assert_msg(stance_idset_add(s, id, "alike", (long)++n, &err) == STANCE_OK,
                              "%s", err.message);
            }
    /* The same, counted by another route: numbered ids, 200 000 of them, all new. */
    for (int i = 0; i < 200000; i++) {
        snprintf(id, sizeof id, "article-%07d/passage", i);
        ck_assert_msg(stance_idset_add(s, id, "numbered", i + 1, &err) == STANCE_OK, "%s", err.message);
    }
    stance_idset_free(s);
}
END_TEST

/* 100k ids of 16 bytes that all shared the first half of the fingerprint the set used before
 * it was keyed (so they made one probe chain, and adding them took quadratic time): the first
 * 8 bytes are a number, the state after them is known, and the last 8 bytes cancel it. Under
 * the keyed fingerprint they spread: the longest look-up stays short (about 20 for a random
 * hash at the set's load of at most 3/4 would be typical; 200 is far beyond chance). */
START_TEST(test_flooding_ids)
{
    stance_idset *s;
    stance_error err;
    ck_assert_int_eq(stance_idset_new(&s, &err), STANCE_OK);
    size_t added = 0;
    for (unsigned i = 0; added < 100000; i++) {
        char id[17];
        snprintf(id, sizeof id, "%08x", i);
        uint64_t w0;
        memcpy(&w0, id, 8);
        uint64_t a = ((0x9E3779B97F4A7C15ULL ^ 16) ^ w0) * 0x87C37B91114253D5ULL;
        a ^= a >> 31;
        uint64_t w1 = a ^ 0x4f4c442d48415348ULL; /* the lane's state after both words: fixed */
        memcpy(id + 8, &w1, 8);
        id[16] = '\0';
        if (strlen(id) != 16)
            continue; /* a NUL byte in the second half */
        ck_assert_msg(stance_idset_add(s, id, "flood", (long)++added, &err) == STANCE_OK, "%s",
                      err.message);
    }
    size_t most = stance_idset_longest_probe(s);
    ck_assert_msg(most <= 200, "longest probe %zu", most);
    stance_idset_free(s);
}
END_TEST

/* A line number too large to keep still gives a duplicate error, without the first place. */
START_TEST(test_huge_line)
{
    stance_idset *s;
    stance_error err;
    ck_assert_int_eq(stance_idset_new(&s, &err), STANCE_OK);
    ck_assert_int_eq(stance_idset_add(s, "far", "big.jsonl", 1L << 50, &err), STANCE_OK);
    ck_assert_int_eq(stance_idset_add(s, "far", "big.jsonl", 3, &err), STANCE_ERR_DATA);
    ck_assert_str_eq(err.message, "duplicate id \"far\"");
    stance_idset_free(s);
}
END_TEST

Suite *idset_suite(void)
{
    Suite *s = suite_create("idset");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30); /* 300,000 ids: well under a second alone; the machine may be busy or valgrind on */
    tcase_add_test(tc, test_stream);
    tcase_add_test(tc, test_many);
    tcase_add_test(tc, test_alike_ids);
    tcase_add_test(tc, test_huge_line);
    tcase_add_test(tc, test_flooding_ids);
    suite_add_tcase(s, tc);
    return s;
}
