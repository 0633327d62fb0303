/* fuzz_actors.c: the lexicon of the parties (actors_int.h stance_actors_parse), as stance-train
 * --actors reads it, then stemmed, given to an analyzer and written to and read back from the
 * bundle's JSON form. Input: the file. A refused lexicon is a data error naming it; one taken has
 * at least two sides, each of its words on its own side; its JSON form reads back to the same
 * JSON; an analyzer with it analyzes the lexicon's own text, ending with one indicator. */
#include "../../pipeline/actors_int.h"
#include "../../pipeline/analyze_int.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static stance_analyzer *an;
    stance_error err;
    if (!an)
        FUZZ_SETUP(stance_analyzer_new("english", &an, &err) == STANCE_OK);
    stance_actors *a = NULL;
    stance_status st = stance_actors_parse((const char *)data, size, "actors.txt", &a, &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
    if (st != STANCE_OK) {
        FUZZ_CHECK(a == NULL && strcmp(err.where, "actors.txt") == 0 && err.line >= 0);
        return 0;
    }
    size_t sides = stance_actors_get_side_count(a);
    FUZZ_CHECK(sides >= 2 && sides <= STANCE_ACTORS_SIDES_MAX);
    st = stance_actors_stem(a, stance_analyzer_stemmer(an), &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
    if (st != STANCE_OK) {
        FUZZ_CHECK(err.line > 0);
        stance_actors_free(a);
        return 0;
    }
    json_t *j = stance_actors_to_json(a);
    FUZZ_SETUP(j != NULL);
    for (size_t i = 0; i < json_array_size(j); i++) {
        json_t *stems = json_object_get(json_array_get(j, i), "stems");
        for (size_t k = 0; k < json_array_size(stems); k++) {
            const json_t *s = json_array_get(stems, k);
            FUZZ_CHECK(stance_actors_side_of(a, json_string_value(s), json_string_length(s)) == (int)i);
        }
    }
    stance_actors *b = NULL;
    FUZZ_CHECK(stance_actors_from_json(j, "manifest.json", &b, &err) == STANCE_OK);
    json_t *j2 = stance_actors_to_json(b);
    FUZZ_SETUP(j2 != NULL);
    FUZZ_CHECK(json_equal(j, j2));
    json_decref(j2);
    json_decref(j);
    stance_analyzer_set_actors(an, b);
    const char *const *stems;
    const size_t *lens;
    size_t n;
    FUZZ_CHECK(stance_analyzer_run(an, (const char *)data, size, &stems, &lens, &n, &err) == STANCE_OK);
    FUZZ_CHECK(n >= 1 && strncmp(stems[n - 1], "a:#", 3) == 0);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(strlen(stems[i]) == lens[i]);
    stance_analyzer_set_actors(an, NULL);
    stance_actors_free(b);
    stance_actors_free(a);
    return 0;
}
