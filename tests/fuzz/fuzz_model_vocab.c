/* fuzz_model_vocab.c: a format 3 bundle's vocab.bin (vocabfile_int.h, through stance_vocab_map
 * as stance_model_load maps it). Input: the file's bytes. A file that maps names vocab.bin when
 * refused; one that maps answers every term and vectorizes its own stems without a crash or a
 * long search (a damaged entry is a data error naming vocab.bin); one that also passes the whole
 * check (stance_vocab_verify) vectorizes to in-range, increasing, finite features, the same as
 * its round trip through JSON (to the rounding the check allows an idf). */
#include <fcntl.h>
#include <math.h>
#include <unistd.h>

#include "../../pipeline/vocab_int.h"
#include "fuzz_common.h"
#include "fuzz_stems.h"
#include "stance/vocab.h"

enum { MAX_STEMS = 128 };

/* Vectorizes the stems with vocab and again with its JSON round trip: the same vector, in
 * range and finite. */
static void check_verified(const stance_vocab *vocab, const char **stems, const size_t *lens,
                           size_t n)
{
    stance_error err;
    json_t *json = stance_vocab_to_json(vocab);
    FUZZ_SETUP(json != NULL);
    stance_vocab *again = NULL;
    FUZZ_CHECK(stance_vocab_from_json(json, "again", &again, &err) == STANCE_OK);
    json_decref(json);
    stance_vector a, b;
    stance_vector_init(&a);
    stance_vector_init(&b);
    FUZZ_CHECK(stance_vocab_vectorize(vocab, stems, lens, n, NULL, 0, &a, &err) == STANCE_OK);
    FUZZ_CHECK(stance_vocab_vectorize(again, stems, lens, n, NULL, 0, &b, &err) == STANCE_OK);
    FUZZ_CHECK(a.count == b.count);
    for (size_t i = 0; i < a.count; i++) {
        FUZZ_CHECK(a.items[i].index >= 1 && (size_t)a.items[i].index <= stance_vocab_get_size(vocab));
        FUZZ_CHECK(i == 0 || a.items[i].index > a.items[i - 1].index);
        FUZZ_CHECK(isfinite(a.items[i].value));
        FUZZ_CHECK(a.items[i].index == b.items[i].index); /* idf checked to 1e-9 of its df's */
        FUZZ_CHECK(fabs(a.items[i].value - b.items[i].value) <= 1e-8 * fabs(b.items[i].value));
    }
    stance_vector_clear(&a);
    stance_vector_clear(&b);
    stance_vocab_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_write_file("vocab.bin", data, size);
    int dirfd = open(fuzz_tmpdir(), O_RDONLY | O_DIRECTORY);
    FUZZ_SETUP(dirfd >= 0);
    stance_error err;
    stance_vocab *vocab = NULL;
    stance_status st = stance_vocab_map(dirfd, "vocab.bin", "vocab.bin", size, &vocab, &err);
    close(dirfd);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
    FUZZ_CHECK((st == STANCE_OK) == (vocab != NULL));
    if (!vocab) {
        FUZZ_CHECK(strcmp(err.where, "vocab.bin") == 0);
        return 0;
    }
    const char *stems[MAX_STEMS];
    size_t lens[MAX_STEMS];
    size_t n = fuzz_term_stems(vocab, stems, lens, MAX_STEMS);
    FUZZ_CHECK(stance_vocab_term(vocab, 0) == NULL);
    FUZZ_CHECK(stance_vocab_term(vocab, (int)stance_vocab_get_size(vocab) + 1) == NULL);
    stance_vector v;
    stance_vector_init(&v);
    st = stance_vocab_vectorize(vocab, stems, lens, n, NULL, 0, &v, &err);
    FUZZ_CHECK(st == STANCE_OK || (st == STANCE_ERR_DATA && strcmp(err.where, "vocab.bin") == 0));
    stance_vector_clear(&v);
    if (stance_vocab_verify(vocab, NULL, &err) == STANCE_OK)
        check_verified(vocab, stems, lens, n);
    else
        FUZZ_CHECK(err.status == STANCE_ERR_DATA && strcmp(err.where, "vocab.bin") == 0);
    stance_vocab_free(vocab);
    return 0;
}
