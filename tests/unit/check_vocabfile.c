/* check_vocabfile.c: the binary vocabulary (vocabfile_int.h): written and mapped back it
 * vectorizes as the vocabulary it came from and as that vocabulary read from JSON; the same
 * vocabulary gives the same bytes; every header field and every length short of the header is
 * refused with the byte named. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../pipeline/vocab_int.h"
#include "../../pipeline/vocabfile_int.h"
#include "stance/vocab.h"
#include "suites.h"

enum { NSTEMS = 3000, DOC_LEN = 40, NDOCS = 600 };

/* Stem k of the synthetic language: "s<k>" (k < NSTEMS). */
static void stem_name(unsigned k, char *buf, size_t n)
{
    snprintf(buf, n, "s%u", k);
}

/* Document d: DOC_LEN stems drawn by a fixed generator, skewed to small k so that many
 * unigrams and bigrams pass min_df. */
static void make_doc(unsigned d, char names[DOC_LEN][16], const char **stems, size_t *lens)
{
    uint64_t x = 0x9e3779b97f4a7c15u * (d + 1);
    for (int i = 0; i < DOC_LEN; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        unsigned k = (unsigned)((x % NSTEMS) * (x % NSTEMS) / NSTEMS);
        stem_name(k, names[i], sizeof names[i]);
        stems[i] = names[i];
        lens[i] = strlen(names[i]);
    }
}

static stance_vocab *fit_synthetic(void)
{
    stance_vocab_options opt;
    stance_vocab_options_default(&opt);
    stance_vocab *vocab;
    stance_error err;
    ck_assert_int_eq(stance_vocab_new(&opt, &vocab, &err), STANCE_OK);
    char names[DOC_LEN][16];
    const char *stems[DOC_LEN];
    size_t lens[DOC_LEN];
    for (unsigned d = 0; d < NDOCS; d++) {
        make_doc(d, names, stems, lens);
        ck_assert_int_eq(stance_vocab_add(vocab, stems, lens, DOC_LEN, NULL, 0, &err), STANCE_OK);
    }
    ck_assert_int_eq(stance_vocab_finish(vocab, &err), STANCE_OK);
    return vocab;
}

/* Writes vocab as dir/name and maps it back. */
static stance_vocab *write_and_map(const stance_vocab *vocab, const char *dir, const char *name)
{
    char path[128], sha[65];
    size_t bytes;
    stance_error err;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ck_assert_int_eq(stance_vocab_write_bin(vocab, path, sha, &bytes, &err), STANCE_OK);
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY);
    ck_assert_int_ge(dirfd, 0);
    stance_vocab *mapped;
    ck_assert_int_eq(stance_vocab_map(dirfd, name, path, bytes, &mapped, &err), STANCE_OK);
    close(dirfd);
    ck_assert_int_eq(stance_vocab_verify(mapped, sha, &err), STANCE_OK);
    return mapped;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    char *buf = malloc(*len ? *len : 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, *len, f), *len);
    fclose(f);
    return buf;
}

static void assert_same_vectors(const stance_vocab *a, const stance_vocab *b)
{
    char names[DOC_LEN][16];
    const char *stems[DOC_LEN];
    size_t lens[DOC_LEN];
    stance_vector va, vb;
    stance_vector_init(&va);
    stance_vector_init(&vb);
    stance_error err;
    size_t features = 0;
    for (unsigned d = 0; d < NDOCS + 200; d++) { /* the training documents and unseen ones */
        make_doc(d, names, stems, lens);
        ck_assert_int_eq(stance_vocab_vectorize(a, stems, lens, DOC_LEN, NULL, 0, &va, &err), STANCE_OK);
        ck_assert_int_eq(stance_vocab_vectorize(b, stems, lens, DOC_LEN, NULL, 0, &vb, &err), STANCE_OK);
        ck_assert_uint_eq(va.count, vb.count);
        for (size_t i = 0; i < va.count; i++) {
            ck_assert_int_eq(va.items[i].index, vb.items[i].index);
            ck_assert_double_eq(va.items[i].value, vb.items[i].value);
        }
        features += va.count;
    }
    ck_assert_uint_gt(features, (NDOCS + 200) * DOC_LEN / 2); /* bigrams and unigrams found */
    stance_vector_clear(&va);
    stance_vector_clear(&vb);
}

START_TEST(test_roundtrip)
{
    char dir[] = "/tmp/check_vocabfile.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    stance_vocab *fitted = fit_synthetic();
    ck_assert_uint_gt(stance_vocab_get_size(fitted), 1000);
    stance_vocab *mapped = write_and_map(fitted, dir, "vocab.bin");
    json_t *json = stance_vocab_to_json(fitted);
    stance_vocab *from_json;
    stance_error err;
    ck_assert_int_eq(stance_vocab_from_json(json, "json", &from_json, &err), STANCE_OK);
    json_t *again = stance_vocab_to_json(mapped);
    ck_assert(json_equal(json, again)); /* terms, df, options, documents */
    json_decref(json);
    json_decref(again);
    size_t n = stance_vocab_get_size(fitted);
    ck_assert_uint_eq(stance_vocab_get_size(mapped), n);
    for (int f = 1; f <= (int)n; f++) {
        ck_assert_str_eq(stance_vocab_term(mapped, f), stance_vocab_term(fitted, f));
        ck_assert_uint_eq(stance_vocab_get_df(mapped, f), stance_vocab_get_df(from_json, f));
        ck_assert_double_eq(stance_vocab_get_idf(mapped, f), stance_vocab_get_idf(from_json, f));
    }
    ck_assert_ptr_null(stance_vocab_term(mapped, 0));
    ck_assert_ptr_null(stance_vocab_term(mapped, (int)n + 1));
    assert_same_vectors(fitted, mapped);
    assert_same_vectors(from_json, mapped);
    /* the same vocabulary, built again from JSON, writes the same bytes */
    stance_vocab *mapped2 = write_and_map(from_json, dir, "again.bin");
    char p1[128], p2[128];
    snprintf(p1, sizeof p1, "%s/vocab.bin", dir);
    snprintf(p2, sizeof p2, "%s/again.bin", dir);
    size_t l1, l2;
    char *b1 = read_file(p1, &l1), *b2 = read_file(p2, &l2);
    ck_assert_uint_eq(l1, l2);
    ck_assert(memcmp(b1, b2, l1) == 0);
    free(b1);
    free(b2);
    stance_vocab_free(mapped2);
    stance_vocab_free(from_json);
    stance_vocab_free(mapped);
    stance_vocab_free(fitted);
    unlink(p1);
    unlink(p2);
    rmdir(dir);
}
END_TEST

/* The header's FNV-1a hash over bytes 0-119, made right after a change. */
static void rehash(unsigned char *img)
{
    uint64_t h = 14695981039346656037u;
    for (int i = 0; i < 120; i++)
        h = (h ^ img[i]) * 1099511628211u;
    for (int i = 0; i < 8; i++)
        img[120 + i] = (unsigned char)(h >> (8 * i));
}

START_TEST(test_header_refused)
{
    /* the image of a small vocabulary, built directly */
    stance_vocabfile_entry terms[] = {{"a", 1, 2}, {"a b", 3, 1}, {"b", 1, 2}};
    unsigned char *img;
    size_t len;
    stance_error err;
    ck_assert_int_eq(stance_vocabfile_build(terms, 3, 2, 1, STANCE_VOCABFILE_BIGRAMS | STANCE_VOCABFILE_IDF,
                                            &img, &len, &err), STANCE_OK);
    stance_vocabfile vf;
    ck_assert_int_eq(stance_vocabfile_open(img, len, "v", &vf, &err), STANCE_OK);
    ck_assert_int_eq(stance_vocabfile_check(&vf, "v", &err), STANCE_OK);
    size_t at = 0;
    ck_assert_int_eq(stance_vocabfile_stem(&vf, "b", 1, &at), 1);
    ck_assert_int_eq(stance_vocabfile_stem(&vf, "c", 1, &at), -1);
    for (size_t cut = 0; cut < len; cut += cut < 130 ? 1 : 7) {
        ck_assert_int_eq(stance_vocabfile_open(img, cut, "v", &vf, &err), STANCE_ERR_DATA);
        ck_assert_str_eq(err.where, "v");
    }
    /* each header field: a change caught by the hash, then (rehashed) by its own check */
    static const struct {
        size_t at;
        unsigned char byte;
        const char *says;
    } fields[] = {
        {0, 'X', "byte 0: not a stance vocabulary file"},
        {8, 4, "byte 8: vocabulary file version 4"},
        {12, 64, "byte 12: the header size is 64"},
        {16, 16, "byte 16: the options is 16"},
        {20, 0, "byte 20: the stem table's log2 size is 0"},
        {24, 65, "byte 24: the stem table's longest probe is 65"},
        {28, 32, "byte 28: the bigram table's log2 size is 32"},
        {32, 200, "byte 32: the bigram table's longest probe is 200"},
        {36, 1, "byte 36: the reserved field is 1"},
        {40, 0, "byte 40: min_df is 0"},
        {56, 9, "not the"},        /* more terms: a size that does not match */
        {64, 99, "byte 64: the number of stem codes is 99"},
        {76, 1, "byte 72: the size of the strings"},
    };
    unsigned char *copy = malloc(len);
    ck_assert_ptr_nonnull(copy);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        memcpy(copy, img, len);
        copy[fields[i].at] = fields[i].byte;
        if (fields[i].at != 0) {
            ck_assert_int_eq(stance_vocabfile_open(copy, len, "v", &vf, &err), STANCE_ERR_DATA);
            ck_assert_ptr_nonnull(strstr(err.message, "byte 120: the header's hash"));
        }
        rehash(copy);
        ck_assert_int_eq(stance_vocabfile_open(copy, len, "v", &vf, &err), STANCE_ERR_DATA);
        ck_assert_msg(strstr(err.message, fields[i].says) != NULL, "%s: %s", fields[i].says,
                      err.message);
    }
    free(copy);
    free(img);
}
END_TEST

Suite *vocabfile_suite(void)
{
    Suite *s = suite_create("vocabfile");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_roundtrip);
    tcase_add_test(tc, test_header_refused);
    suite_add_tcase(s, tc);
    return s;
}
