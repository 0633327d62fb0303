/* fuzz_model_weights.c: a format 2 bundle's weights.bin (weightfile_int.h
 * stance_weightfile_map, through stance_model_load). Input: the file's bytes. The manifest is
 * fixed (fuzz_bundle.h's codebook and vocabulary: 5 features; units 0 and 2 trained, so 2
 * columns) and declares the input's size and SHA-256, so the header checks run; a model
 * that loads is verified, and one whose weights are all finite tags a passage (a weight that
 * is not finite makes a score that is not a number, which labels refuse). */
#include "fuzz_bundle.h"

static const char manifest_fmt[] =
    "{\"format\": \"stance-model\", \"version\": 2, \"codebook\": " BUNDLE_CODEBOOK ", "
    "\"analyzer\": " BUNDLE_ANALYZER ", \"vocabulary\": " BUNDLE_VOCAB ", "
    "\"svm\": {\"engine\": \"liblinear\", \"kernel\": \"linear\", \"gamma\": 0.5, \"degree\": 3, "
    "\"coef0\": 0, \"balanced\": false}, \"weights\": {\"file\": \"weights.bin\", \"sha256\": "
    "\"%s\", \"bytes\": %zu, \"features\": 5, \"columns\": 2}, \"units\": ["
    "{\"dimension\": \"topics\", \"value\": \"kosovo\", \"trained\": true, \"column\": 0, "
    "\"c\": 1, \"threshold\": -0.2, \"platt\": {\"a\": -4.1, \"b\": -0.86}, \"cv\": null}, "
    "{\"dimension\": \"topics\", \"value\": \"abm\", \"trained\": false, \"why_not\": \"fuzz\"}, "
    "{\"dimension\": \"tone\", \"value\": null, \"trained\": true, \"column\": 1, \"c\": 1, "
    "\"threshold\": 0.1, \"platt\": {\"a\": -3, \"b\": 0.2}, \"cv\": null}], "
    "\"training\": null, \"versions\": {}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char hex[65];
    fuzz_write_hashed("weights.bin", data, size, hex);
    fuzz_write_printf("manifest.json", manifest_fmt, hex, size);

    stance_error err;
    stance_model *m = NULL;
    stance_status st = stance_model_load(fuzz_tmpdir(), &m, &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
    FUZZ_CHECK((st == STANCE_OK) == (m != NULL));
    if (!m) {
        FUZZ_CHECK(strstr(err.where, "weights.bin") != NULL); /* the manifest is right */
        return 0;
    }
    st = stance_model_verify(m, &err);
    FUZZ_CHECK(st == STANCE_OK || (st == STANCE_ERR_DATA && strstr(err.message, "not a finite number")));
    if (st == STANCE_OK)
        bundle_predict(m);
    stance_model_free(m);
    return 0;
}
