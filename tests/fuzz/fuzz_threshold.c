/* fuzz_threshold.c: stance-tag's --threshold LABEL=P (threshold.h), against a fixed codebook
 * with labels that collide (a value label in two dimensions, a value named like a dimension,
 * dots in names and labels). Input: the spec. A spec that is taken moves exactly one threshold,
 * to a probability from 0 to 1; one refused moves none and says why, quoting the spec. */
#include <math.h>

#include "../../pipeline/codebook_int.h"
#include "../../pipeline/threshold_int.h"
#include "fuzz_common.h"

static const char codebook_json[] =
    "{\"dimensions\": ["
    "{\"name\": \"topics\", \"kind\": \"multi\", \"values\": [{\"label\": \"kosovo\"}, "
    "{\"label\": \"abm\"}, {\"label\": \"peace\"}]},"
    "{\"name\": \"tone\", \"kind\": \"single\", \"optional\": true, \"values\": "
    "[{\"label\": \"conciliatory\"}, {\"label\": \"confrontational\"}]},"
    "{\"name\": \"mood\", \"kind\": \"single\", \"values\": [{\"label\": \"peace\"}, "
    "{\"label\": \"a.b\"}, {\"label\": \"tone\"}]},"
    "{\"name\": \"mood.a\", \"kind\": \"multi\", \"values\": [{\"label\": \"b\"}]}]}";

static size_t moved(const stance_thresholds *th, const stance_codebook *cb)
{
    size_t n = 0;
    for (size_t v = 0; v < stance_codebook_get_value_count(cb); v++) {
        double p = stance_thresholds_value(th, v);
        FUZZ_CHECK(isnan(p) || (p >= 0 && p <= 1));
        n += !isnan(p);
    }
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        double p = stance_thresholds_applies(th, d);
        FUZZ_CHECK(isnan(p) || (p >= 0 && p <= 1));
        n += !isnan(p);
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static stance_codebook *cb;
    if (!cb) {
        json_t *j = json_loads(codebook_json, 0, NULL);
        stance_error err;
        FUZZ_SETUP(j && stance_codebook_from_json(j, "cb", &cb, &err) == STANCE_OK);
        json_decref(j);
    }
    char *spec = malloc(size + 1);
    FUZZ_SETUP(spec != NULL);
    memcpy(spec, data, size);
    spec[size] = '\0'; /* an argument ends at its first NUL */
    stance_thresholds *th;
    stance_error err;
    FUZZ_SETUP(stance_thresholds_new(cb, &th, &err) == STANCE_OK);
    stance_status st = stance_thresholds_set(th, spec, &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_USAGE);
    if (st == STANCE_OK) {
        FUZZ_CHECK(stance_thresholds_any(th) && moved(th, cb) == 1);
        FUZZ_CHECK(stance_thresholds_set(th, spec, &err) == STANCE_ERR_USAGE); /* twice */
    } else {
        FUZZ_CHECK(!stance_thresholds_any(th) && moved(th, cb) == 0);
        FUZZ_CHECK(err.message[0] == '\'');
    }
    stance_thresholds_free(th);
    free(spec);
    return 0;
}
