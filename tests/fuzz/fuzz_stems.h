/* fuzz_stems.h: the stems a vocabulary's own terms are made of, for the targets that vectorize
 * a vocabulary they have just loaded or mapped. */
#ifndef STANCE_FUZZ_STEMS_H
#define STANCE_FUZZ_STEMS_H

#include <string.h>

#include "../../pipeline/vocab_int.h"
#include "fuzz_common.h"

/* The stems of the first terms (a bigram split at its space) into stems and lens, at most max;
 * their number. */
static inline size_t fuzz_term_stems(const stance_vocab *vocab, const char **stems, size_t *lens,
                                     size_t max)
{
    size_t n = 0, size = stance_vocab_get_size(vocab);
    for (size_t i = 1; i <= size && n < max; i++) {
        const char *t = stance_vocab_term(vocab, (int)i);
        FUZZ_CHECK(t != NULL);
        while (*t && n < max) {
            size_t k = strcspn(t, " ");
            if (k > 0) {
                stems[n] = t;
                lens[n++] = k;
            }
            t += k;
            t += *t == ' ';
        }
    }
    return n;
}

#endif
