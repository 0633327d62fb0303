/* fuzz_import.c: the annotation-tool export parsers of import.h (doccano, Label Studio JSON and
 * JSON_MIN, Prodigy), then the records written, checked as stance-train checks them.
 * Input: 1 byte, then the export. The byte picks the format (% 4: doccano, labelstudio,
 * labelstudio-min, prodigy), bit 2 a doccano project's dimension (tone), bit 3 the map below,
 * bits 4-5 the resolve rule. The codebook is fixed (below). */
#include <jansson.h>

#include "../../pipeline/codebook_int.h"
#include "fuzz_common.h"
#include "stance/codebook.h"
#include "stance/import.h"
#include "stance/labelcheck.h"

static const char codebook_json[] =
    "{\"dimensions\": ["
    "{\"name\": \"topics\", \"kind\": \"multi\", \"values\": [{\"label\": \"kosovo\"}, "
    "{\"label\": \"abm\"}, {\"label\": \"a:b\"}]}, "
    "{\"name\": \"tone\", \"kind\": \"single\", \"optional\": true, \"values\": "
    "[{\"label\": \"calm\"}, {\"label\": \"tense\"}]}, "
    "{\"name\": \"stance\", \"kind\": \"single\", \"values\": [{\"label\": \"pro\"}, "
    "{\"label\": \"abm\"}]}]}";

static const char map_json[] =
    "{\"text\": \"body\", \"join\": \"doc\", \"dimensions\": {\"mood\": \"tone\"}, "
    "\"labels\": {\"Peace\": \"tone:calm\", \"mood:Flat\": \"tone:\", \"?\": null, "
    "\"Kosovo\": \"kosovo\"}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static stance_codebook *cb;
    static json_t *map;
    stance_error err;
    if (!cb) {
        json_t *j = json_loads(codebook_json, JSON_REJECT_DUPLICATES, NULL);
        FUZZ_SETUP(j && stance_codebook_from_json(j, "codebook", &cb, &err) == STANCE_OK);
        json_decref(j);
        FUZZ_SETUP((map = json_loads(map_json, 0, NULL)) != NULL);
    }
    if (size < 1)
        return 0;
    stance_import_format format = (stance_import_format)(data[0] % 4);
    const char *dimension = format == STANCE_IMPORT_DOCCANO && (data[0] & 4) ? "tone" : NULL;
    stance_resolve rule = (stance_resolve)((data[0] >> 4) & 3);
    stance_importer *imp = NULL;
    FUZZ_CHECK(stance_importer_new(cb, format, &imp, &err) == STANCE_OK);
    if (data[0] & 8)
        FUZZ_CHECK(stance_importer_set_map(imp, map, "map", &err) == STANCE_OK);
    stance_status st = stance_importer_add(imp, (const char *)data + 1, size - 1, "fuzz",
                                           dimension, &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_NOMEM);
    size_t errors = stance_importer_get_error_count(imp);
    for (size_t i = 0; i < errors && i < STANCE_IMPORT_MAX_ERRORS; i++) {
        const stance_error *e = stance_importer_get_error(imp, i);
        FUZZ_CHECK(e && e->status == STANCE_ERR_DATA && strcmp(e->where, "fuzz") == 0);
    }
    char *out = NULL;
    size_t len = 0, written = 0;
    FILE *f = open_memstream(&out, &len);
    FUZZ_SETUP(f != NULL);
    st = stance_importer_write(imp, rule, f, "mem", &written, &err);
    FUZZ_SETUP(fclose(f) == 0);
    FUZZ_CHECK(errors ? st == STANCE_ERR_USAGE && len == 0 : st == STANCE_OK || st == STANCE_ERR_NOMEM);
    /* every record written is one a training run takes: a text, valid labels */
    signed char targets[8];
    size_t lines = 0;
    for (char *line = out, *nl; st == STANCE_OK && line && (nl = strchr(line, '\n')); line = nl + 1) {
        json_t *rec = json_loadb(line, (size_t)(nl - line), JSON_REJECT_DUPLICATES, NULL);
        FUZZ_CHECK(json_is_object(rec) && json_is_string(json_object_get(rec, "text")));
        FUZZ_CHECK(json_object_get(rec, "annotator") && json_is_object(json_object_get(rec, "source")));
        FUZZ_CHECK(stance_codebook_targets(cb, rec, "out", 1, targets, &err) == STANCE_OK);
        json_decref(rec);
        lines++;
    }
    FUZZ_CHECK(st != STANCE_OK || lines == written);
    free(out);
    stance_importer_free(imp);
    return 0;
}
