/* check_sha256.c: the FIPS 180-4 / NIST test vectors, fed whole, byte by byte and in uneven
 * chunks, the padding boundaries, and file digests. */
#include <stdlib.h>
#include <string.h>

#include "../../pipeline/sha256_int.h"
#include "suites.h"

/* message = text repeated `repeat` times; digests from FIPS 180-2 appendix B and NIST's
 * SHA-256 examples; the "x" rows sit on the padding boundaries (55 bytes leave room for the
 * length in one block, 56 do not; 64 and 120 fill blocks exactly) and were computed with
 * coreutils sha256sum. */
static const struct {
    const char *text;
    size_t repeat;
    const char *hex;
} vectors[] = {
    {"", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopq"
     "rsmnopqrstnopqrstu", 1, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    {"a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
    {"x", 55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
    {"x", 56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"},
    {"x", 63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
    {"x", 64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
    {"x", 65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"},
    {"x", 119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"},
    {"x", 120, "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"},
};

/* The whole message of vectors[i] in one new buffer. */
static char *message(size_t i, size_t *len)
{
    size_t k = strlen(vectors[i].text);
    *len = k * vectors[i].repeat;
    char *buf = malloc(*len + 1);
    ck_assert_ptr_nonnull(buf);
    for (size_t r = 0; r < vectors[i].repeat; r++)
        memcpy(buf + r * k, vectors[i].text, k);
    buf[*len] = '\0';
    return buf;
}

START_TEST(test_vector_whole)
{
    size_t len;
    char *msg = message((size_t)_i, &len);
    stance_sha256 s;
    char hex[65];
    stance_sha256_init(&s);
    stance_sha256_update(&s, msg, len);
    stance_sha256_hex(&s, hex);
    ck_assert_str_eq(hex, vectors[_i].hex);
    free(msg);
}
END_TEST

/* Uneven chunk sizes: below, at and across the 64-byte block, and 0 (a no-op). */
static const size_t chunks[] = {1, 7, 0, 63, 64, 65, 3, 129, 1000, 55, 56, 4093};

START_TEST(test_vector_chunked)
{
    size_t len;
    char *msg = message((size_t)_i, &len);
    stance_sha256 s;
    char hex[65];
    stance_sha256_init(&s);
    size_t at = 0;
    for (size_t c = 0; at < len; c = (c + 1) % (sizeof chunks / sizeof chunks[0])) {
        size_t take = chunks[c] < len - at ? chunks[c] : len - at;
        stance_sha256_update(&s, msg + at, take);
        at += take;
    }
    stance_sha256_hex(&s, hex);
    ck_assert_str_eq(hex, vectors[_i].hex);
    free(msg);
}
END_TEST

START_TEST(test_vector_bytewise)
{
    if (vectors[_i].repeat > 1000)
        return; /* the million-byte vector is covered by the chunked test */
    size_t len;
    char *msg = message((size_t)_i, &len);
    stance_sha256 s;
    char hex[65];
    stance_sha256_init(&s);
    for (size_t k = 0; k < len; k++)
        stance_sha256_update(&s, msg + k, 1);
    stance_sha256_hex(&s, hex);
    ck_assert_str_eq(hex, vectors[_i].hex);
    free(msg);
}
END_TEST

/* The portable code (accel cleared after init) gives the NIST digests too, whole and chunked,
 * whichever code init chose on this machine. */
START_TEST(test_vector_portable)
{
    size_t len;
    char *msg = message((size_t)_i, &len);
    stance_sha256 s;
    char hex[65];
    stance_sha256_init(&s);
    s.accel = 0;
    stance_sha256_update(&s, msg, len / 3);
    stance_sha256_update(&s, msg + len / 3, len - len / 3);
    stance_sha256_hex(&s, hex);
    ck_assert_str_eq(hex, vectors[_i].hex);
    free(msg);
}
END_TEST

/* Both codes agree on every length up to four blocks and on a long pseudo-random message. */
START_TEST(test_portable_same)
{
    size_t n = 100003;
    unsigned char *buf = malloc(n);
    ck_assert_ptr_nonnull(buf);
    unsigned long x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        buf[i] = (unsigned char)(x >> 56);
    }
    for (size_t len = 0; len <= n; len = len < 260 ? len + 1 : n + (len == n)) {
        char a[65], b[65];
        stance_sha256 s, t;
        stance_sha256_init(&s);
        stance_sha256_init(&t);
        t.accel = 0;
        stance_sha256_update(&s, buf, len);
        stance_sha256_update(&t, buf, len);
        stance_sha256_hex(&s, a);
        stance_sha256_hex(&t, b);
        ck_assert_msg(strcmp(a, b) == 0, "length %zu: %s and %s", len, a, b);
    }
    free(buf);
}
END_TEST

/* The state can be reused after init; the digest does not depend on earlier messages. */
START_TEST(test_reinit)
{
    stance_sha256 s;
    char hex[65];
    stance_sha256_init(&s);
    stance_sha256_update(&s, "something else entirely", 23);
    stance_sha256_hex(&s, hex);
    stance_sha256_init(&s);
    stance_sha256_update(&s, "abc", 3);
    stance_sha256_hex(&s, hex);
    ck_assert_str_eq(hex, vectors[1].hex);
    ck_assert_uint_eq(strlen(hex), 64);
}
END_TEST

/* File digests: data/articles/a.txt is "Alpha article.\n" (sha256sum), empty.txt is "". */
static const struct {
    const char *path;
    stance_status status;
    const char *hex;       /* for OK */
    const char *message;   /* substring of the message otherwise */
} files[] = {
    {"data/articles/a.txt", STANCE_OK,
     "91f109e0ba28461c03d6fdbfc13a4047e43cc35a94d04211445a08fc77a9144a", NULL},
    {"data/empty.txt", STANCE_OK,
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", NULL},
    {"data/no-such-file.txt", STANCE_ERR_IO, NULL, "cannot open: No such file or directory"},
    {"data/articles", STANCE_ERR_IO, NULL, "read failed"}, /* a directory opens but cannot be read */
};

START_TEST(test_file)
{
    char hex[65] = "";
    stance_error err;
    stance_error_clear(&err);
    stance_status st = stance_sha256_file(files[_i].path, hex, &err);
    ck_assert_int_eq(st, files[_i].status);
    if (st == STANCE_OK) {
        ck_assert_str_eq(hex, files[_i].hex);
    } else {
        ck_assert_int_eq(err.status, st);
        ck_assert_str_eq(err.where, files[_i].path);
        ck_assert_msg(strstr(err.message, files[_i].message) != NULL, "message: %s", err.message);
    }
}
END_TEST

Suite *sha256_suite(void)
{
    Suite *s = suite_create("sha256");
    TCase *tc = tcase_create("core");
    size_t nv = sizeof vectors / sizeof vectors[0];
    tcase_add_loop_test(tc, test_vector_whole, 0, (int)nv);
    tcase_add_loop_test(tc, test_vector_chunked, 0, (int)nv);
    tcase_add_loop_test(tc, test_vector_bytewise, 0, (int)nv);
    tcase_add_loop_test(tc, test_vector_portable, 0, (int)nv);
    tcase_add_test(tc, test_portable_same);
    tcase_add_test(tc, test_reinit);
    tcase_add_loop_test(tc, test_file, 0, (int)(sizeof files / sizeof files[0]));
    suite_add_tcase(s, tc);
    return s;
}
