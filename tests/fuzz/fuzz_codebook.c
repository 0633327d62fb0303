/* fuzz_codebook.c: the codebook loader (codebook.h), from a file as stance-train and
 * stance-eval read it. Input: the codebook file. A codebook that loads must survive a round
 * trip through stance_codebook_to_json, and its value slots must tile the target array. */
#include <jansson.h>

#include "../../pipeline/codebook_int.h"
#include "fuzz_common.h"
#include "stance/codebook.h"

static void check_codebook(const stance_codebook *cb)
{
    size_t ndims = stance_codebook_get_dimension_count(cb), slots = 0;
    FUZZ_CHECK(ndims > 0);
    for (size_t d = 0; d < ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        FUZZ_CHECK(dim->offset == slots && dim->name[0] != '\0');
        FUZZ_CHECK(dim->nvalues >= (dim->kind == STANCE_DIM_SINGLE ? 2u : 1u));
        for (size_t v = 0; v < dim->nvalues; v++) {
            FUZZ_CHECK(dim->labels[v][0] != '\0' && dim->definitions[v] != NULL);
            FUZZ_CHECK(stance_dimension_find(dim, dim->labels[v]) == (long)v);
        }
        slots += dim->nvalues;
    }
    FUZZ_CHECK(slots == stance_codebook_get_value_count(cb));
    FUZZ_CHECK(stance_codebook_get_dimension(cb, ndims) == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file("codebook.json", data, size);
    stance_error err;
    stance_codebook *cb = NULL;
    stance_status st = stance_codebook_load(path, &cb, &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
    FUZZ_CHECK((st == STANCE_OK) == (cb != NULL));
    if (!cb) {
        FUZZ_CHECK(err.message[0] != '\0');
        return 0;
    }
    check_codebook(cb);
    json_t *j = stance_codebook_to_json(cb);
    FUZZ_CHECK(j != NULL);
    stance_codebook *again = NULL;
    st = stance_codebook_from_json(j, "round trip", &again, &err);
    FUZZ_CHECK(st == STANCE_OK);
    FUZZ_CHECK(stance_codebook_same(cb, again) && stance_codebook_same(again, cb));
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *a = stance_codebook_get_dimension(cb, d);
        const stance_dimension *b = stance_codebook_get_dimension(again, d);
        for (size_t v = 0; v < a->nvalues; v++)
            FUZZ_CHECK(strcmp(a->definitions[v], b->definitions[v]) == 0);
    }
    json_decref(j);
    stance_codebook_free(again);
    stance_codebook_free(cb);
    return 0;
}
