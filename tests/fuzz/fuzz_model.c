/* fuzz_model.c: the model bundle's manifest (model.h), as stance-tag loads it.
 * Input: manifest.json, placed in a bundle directory beside the valid unit files of
 * fuzz_bundle.h (whose checksums the seeds carry, so the loader gets past them). A model
 * that loads tags a passage (fuzz_bundle.h bundle_predict). */
#include "fuzz_bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        for (size_t i = 0; i < sizeof bundle_units / sizeof bundle_units[0]; i++)
            fuzz_write_file(bundle_units[i].name, bundle_units[i].text, strlen(bundle_units[i].text));
        ready = 1;
    }
    fuzz_write_file("manifest.json", data, size);
    stance_error err;
    stance_model *m = NULL;
    stance_status st = stance_model_load(fuzz_tmpdir(), &m, &err);
    /* STANCE_ERR_IO: the manifest names a unit file that is not there. */
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA || st == STANCE_ERR_IO);
    FUZZ_CHECK((st == STANCE_OK) == (m != NULL));
    if (!m) {
        FUZZ_CHECK(err.message[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(stance_model_manifest(m) != NULL);
    for (size_t i = 0; i < stance_model_get_unit_count(m); i++) {
        const char *dim, *value, *why;
        int trained;
        stance_model_get_unit_info(m, i, &dim, &value, &trained, &why);
        FUZZ_CHECK(dim != NULL && why != NULL);
    }
    bundle_predict(m);
    stance_model_free(m);
    return 0;
}
