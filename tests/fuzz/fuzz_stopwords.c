/* fuzz_stopwords.c: the stop word file (stem.h stance_stemmer_load_stopwords), as stance-stem
 * and stance-train read it with --stopwords. Input: the file. Every word loaded must then be
 * recognised as a stop word and kept out of the stems; a failed load keeps the old list. */
#include "../../pipeline/stem_int.h"
#include "fuzz_common.h"
#include "stance/stem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static stance_stemmer *st;
    stance_error err;
    if (!st)
        FUZZ_SETUP(stance_stemmer_new("english", &st, &err) == STANCE_OK);
    stance_stemmer_clear_stopwords(st);
    FUZZ_SETUP(stance_stemmer_add_stopword(st, "sentinel", 8, &err) == STANCE_OK);

    const char *path = fuzz_write_file("stopwords.txt", data, size);
    stance_status status = stance_stemmer_load_stopwords(st, path, &err);
    FUZZ_CHECK(status == STANCE_OK || status == STANCE_ERR_DATA);
    if (status != STANCE_OK) {
        FUZZ_CHECK(err.line > 0);
        FUZZ_CHECK(stance_stemmer_stopword_count(st) == 1 &&
                   stance_stemmer_is_stopword(st, "sentinel", 8));
        return 0;
    }
    size_t n = stance_stemmer_stopword_count(st);
    FUZZ_CHECK(n <= size);
    for (size_t i = 0; i < n; i++) {
        const char *w = stance_stemmer_stopword(st, i);
        size_t len = strlen(w);
        FUZZ_CHECK(len > 0 && len <= size);
        FUZZ_CHECK(stance_stemmer_is_stopword(st, w, len));
        const char *stem;
        size_t stem_len;
        FUZZ_CHECK(stance_stemmer_stem_content(st, w, len, &stem, &stem_len) == 0);
        FUZZ_CHECK(stem == NULL && stem_len == 0);
    }
    return 0;
}
