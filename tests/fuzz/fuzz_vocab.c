/* fuzz_vocab.c: the vocabulary file (vocab.h), as stance-vectorize loads it with --vocab.
 * Input: the vocabulary file. A vocabulary that loads must survive a round trip through
 * stance_vocab_to_json, and vectorizing its own terms must give in-range, finite features. */
#include <jansson.h>
#include <math.h>

#include "../../pipeline/vocab_int.h"
#include "fuzz_common.h"
#include "fuzz_stems.h"
#include "stance/vocab.h"

/* Vectorizes the stems of the first terms (split at spaces) and checks the vector: indices in
 * range and increasing, weights positive and finite, unit length with l2. */
static void check_vectorize(const stance_vocab *vocab, int l2)
{
    enum { MAX_STEMS = 64 };
    const char *stems[MAX_STEMS];
    size_t lens[MAX_STEMS];
    size_t n = fuzz_term_stems(vocab, stems, lens, MAX_STEMS);
    size_t size = stance_vocab_get_size(vocab);
    stance_vector v;
    stance_vector_init(&v);
    stance_error err;
    FUZZ_CHECK(stance_vocab_vectorize(vocab, stems, lens, n, NULL, 0, &v, &err) == STANCE_OK);
    double norm = 0;
    for (size_t i = 0; i < v.count; i++) {
        FUZZ_CHECK(v.items[i].index >= 1 && (size_t)v.items[i].index <= size);
        FUZZ_CHECK(i == 0 || v.items[i].index > v.items[i - 1].index);
        FUZZ_CHECK(isfinite(v.items[i].value) && v.items[i].value > 0);
        norm += v.items[i].value * v.items[i].value;
    }
    if (l2 && v.count > 0)
        FUZZ_CHECK(fabs(norm - 1) < 1e-9);
    stance_vector_clear(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file("vocab.json", data, size);
    stance_error err;
    stance_vocab *vocab = NULL;
    stance_status st = stance_vocab_load(path, &vocab, &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
    FUZZ_CHECK((st == STANCE_OK) == (vocab != NULL));
    if (!vocab)
        return 0;
    size_t n = stance_vocab_get_size(vocab);
    FUZZ_CHECK(stance_vocab_term(vocab, 0) == NULL && stance_vocab_term(vocab, (int)n + 1) == NULL);
    json_t *j = stance_vocab_to_json(vocab);
    FUZZ_CHECK(j != NULL);
    check_vectorize(vocab, json_is_true(json_object_get(json_object_get(j, "options"), "l2")));
    stance_vocab *again = NULL;
    FUZZ_CHECK(stance_vocab_from_json(j, "round trip", &again, &err) == STANCE_OK);
    FUZZ_CHECK(stance_vocab_get_size(again) == n);
    for (size_t i = 1; i <= n; i++)
        FUZZ_CHECK(strcmp(stance_vocab_term(vocab, (int)i), stance_vocab_term(again, (int)i)) == 0);
    json_decref(j);
    stance_vocab_free(again);
    stance_vocab_free(vocab);
    return 0;
}
