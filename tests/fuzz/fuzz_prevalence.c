/* fuzz_prevalence.c: tagged records read by stance-prevalence (prevalence.h): labels, "scores",
 * "applies", article keys and --by groups, then the estimates and both reports.
 * Input: 1 byte of settings (bit 0: unit article, bit 1: group by "src"), then a JSON Lines
 * file. The model is built in process: the codebook below, units with cross-validation figures
 * and no classifier (prevalence reads only the figures). */
#include <jansson.h>
#include <math.h>

#include "../../pipeline/codebook_int.h"
#include "../../pipeline/modelbuild_int.h"
#include "fuzz_common.h"
#include "stance/prevalence.h"

/* A multi dimension, a single one with three values (one-vs-rest units) and an optional pair. */
static const char codebook_json[] =
    "{\"dimensions\": ["
    "{\"name\": \"topics\", \"kind\": \"multi\", \"values\": [{\"label\": \"kosovo\"}, "
    "{\"label\": \"abm\"}]}, "
    "{\"name\": \"tone\", \"kind\": \"single\", \"values\": [{\"label\": \"conciliatory\"}, "
    "{\"label\": \"confrontational\"}, {\"label\": \"neutral\"}]}, "
    "{\"name\": \"mood\", \"kind\": \"single\", \"optional\": true, \"values\": "
    "[{\"label\": \"calm\"}, {\"label\": \"tense\"}]}]}";

static stance_model *fuzz_model(void)
{
    stance_error err;
    stance_codebook *cb;
    stance_model *m;
    json_t *json = json_loads(codebook_json, 0, NULL);
    FUZZ_SETUP(json && stance_codebook_from_json(json, "cb", &cb, &err) == STANCE_OK);
    json_decref(json);
    FUZZ_SETUP(stance_model_new_for(cb, &m, &err) == STANCE_OK);
    for (size_t i = 0; i < stance_model_get_unit_count(m); i++) {
        stance_unit u;
        stance_unit_init(&u, m, i);
        u.trained = 1;
        /* unit 1 (abm) as an older bundle: precision and recall only */
        u.cv = i == 1 ? json_pack("{s:f, s:f, s:i, s:i}", "precision", 0.8, "recall", 0.7,
                                  "positives", 40, "negatives", 200)
                      : json_pack("{s:f, s:f, s:f, s:f, s:i, s:i, s:i, s:i, s:i, s:i}", "tpr",
                                  0.85, "fpr", 0.05 + 0.01 * (double)i, "score_pos", 0.8,
                                  "score_neg", 0.1, "positives", 50, "negatives", 150, "first",
                                  50, "second", 150, "applies", 50, "none", 150);
        FUZZ_SETUP(u.cv);
        stance_model_set_unit(m, i, &u);
    }
    return m;
}

/* Every estimate and interval bound in the report lies in 0..1, low at most high. */
static void check_report(const json_t *json)
{
    size_t g;
    const json_t *grp;
    json_array_foreach(json_object_get(json, "groups"), g, grp) {
        const char *dim;
        const json_t *dj;
        FUZZ_CHECK(json_integer_value(json_object_get(grp, "n")) > 0);
        json_object_foreach((json_t *)json_object_get(grp, "labels"), dim, dj) {
            const char *value;
            const json_t *lj;
            json_object_foreach((json_t *)dj, value, lj) {
                static const char *const methods[] = {"cc", "pcc", "acc", "pacc"};
                for (int k = 0; k < 4; k++) {
                    const json_t *e = json_object_get(lj, methods[k]);
                    FUZZ_CHECK(e);
                    if (json_is_null(e))
                        continue;
                    double x = json_real_value(json_object_get(e, "estimate"));
                    FUZZ_CHECK(x >= 0 && x <= 1);
                    const json_t *ci = json_object_get(e, "ci");
                    if (json_is_null(ci))
                        continue;
                    double lo = json_real_value(json_array_get(ci, 0));
                    double hi = json_real_value(json_array_get(ci, 1));
                    FUZZ_CHECK(lo >= 0 && lo <= hi && hi <= 1);
                }
                FUZZ_CHECK(json_is_string(json_object_get(lj, "preferred")));
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static stance_model *m;
    if (!m)
        m = fuzz_model(); /* kept for the whole run */
    if (size < 1)
        return 0;
    stance_prevalence_options opt;
    stance_prevalence_options_default(&opt);
    opt.articles = data[0] & 1;
    opt.by = data[0] & 2 ? "src" : NULL;
    opt.bootstrap = 20;
    stance_error err;
    stance_prevalence *p;
    FUZZ_CHECK(stance_prevalence_new(m, &opt, &p, &err) == STANCE_OK);
    FILE *f = size > 1 ? fmemopen((void *)(data + 1), size - 1, "rb") : NULL;
    stance_status st = f ? stance_prevalence_read(p, f, "fuzz", &err) : STANCE_OK;
    if (f)
        fclose(f);
    if (st == STANCE_OK)
        st = stance_prevalence_run(p, "fuzz", &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA || st == STANCE_ERR_NOMEM);
    if (st == STANCE_OK) {
        json_t *json = stance_prevalence_to_json(p);
        FUZZ_CHECK(json);
        check_report(json);
        json_decref(json);
        FILE *null = fopen("/dev/null", "w");
        FUZZ_SETUP(null);
        FUZZ_CHECK(stance_prevalence_write_tsv(p, null, "null", &err) == STANCE_OK);
        fclose(null);
    }
    stance_prevalence_free(p);
    return 0;
}
