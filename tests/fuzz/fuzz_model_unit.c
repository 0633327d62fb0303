/* fuzz_model_unit.c: a model bundle's unit file (classifier_int.h stance_classifier_parse, through
 * stance_model_load). Input: one byte choosing the kind (even: a linear unit-0.txt, odd: a
 * libsvm unit-0.svm), then the file's bytes. The manifest is fixed (fuzz_bundle.h) and
 * carries the file's real SHA-256, so the checksum passes and the unit parser itself runs.
 * A model that loads tags a passage. */
#include "fuzz_bundle.h"

/* The manifest around unit 0; units 1 and 2 are untrained. */
static const char manifest_fmt[] =
    "{\"format\": \"stance-model\", \"version\": 1, \"codebook\": " BUNDLE_CODEBOOK ", "
    "\"analyzer\": " BUNDLE_ANALYZER ", \"vocabulary\": " BUNDLE_VOCAB ", "
    "\"svm\": {\"engine\": \"%s\", \"kernel\": \"%s\", \"gamma\": 0.5, \"degree\": 3, "
    "\"coef0\": 0, \"balanced\": false}, \"units\": ["
    "{\"dimension\": \"topics\", \"value\": \"kosovo\", \"trained\": true, \"file\": \"%s\", "
    "\"sha256\": \"%s\", \"c\": 1, \"threshold\": -0.2, \"platt\": {\"a\": -4.1, \"b\": -0.86}, "
    "\"cv\": null}, "
    "{\"dimension\": \"topics\", \"value\": \"abm\", \"trained\": false, \"why_not\": \"fuzz\"}, "
    "{\"dimension\": \"tone\", \"value\": null, \"trained\": false, \"why_not\": \"fuzz\"}], "
    "\"training\": null, \"versions\": {}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int linear = data[0] % 2 == 0;
    const char *file = linear ? "unit-0.txt" : "unit-0.svm";
    fuzz_remove_file(linear ? "unit-0.svm" : "unit-0.txt");
    char hex[65];
    fuzz_write_hashed(file, data + 1, size - 1, hex);
    fuzz_write_printf("manifest.json", manifest_fmt, linear ? "liblinear" : "libsvm",
                      linear ? "linear" : "rbf", file, hex);

    stance_error err;
    stance_model *m = NULL;
    stance_status st = stance_model_load(fuzz_tmpdir(), &m, &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
    FUZZ_CHECK((st == STANCE_OK) == (m != NULL));
    if (!m) {
        /* The manifest is right, so only the unit file may be blamed. */
        FUZZ_CHECK(strstr(err.where, file) != NULL);
        return 0;
    }
    bundle_predict(m);
    stance_model_free(m);
    return 0;
}
