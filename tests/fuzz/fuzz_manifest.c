/* fuzz_manifest.c: the manifest beside a stance-tag -o output (shard.h), as stance-merge reads
 * it (stance_manifest_parse, shard_int.h). Input: the manifest. One that is taken holds what
 * merge relies on (the shard's share of the articles, its empty positions increasing and its
 * own, no more skipped than empty), and survives a round trip: written and read back, the
 * same fields; one refused is a data error naming it. */
#include "../../pipeline/shard_int.h"
#include "fuzz_common.h"

/* Every field of a and b the same. */
static int same_manifest(const stance_manifest *a, const stance_manifest *b)
{
    int same = strcmp(a->stance, b->stance) == 0 && strcmp(a->output, b->output) == 0 &&
               strcmp(a->options, b->options) == 0 &&
               a->shard.index == b->shard.index && a->shard.count == b->shard.count &&
               a->articles == b->articles && a->shard_articles == b->shard_articles &&
               a->skipped == b->skipped && a->bytes == b->bytes &&
               a->has_records == b->has_records && a->records == b->records &&
               strcmp(a->sha256, b->sha256) == 0 && strcmp(a->model_sha256, b->model_sha256) == 0 &&
               strcmp(a->input_sha256, b->input_sha256) == 0 && a->nempty == b->nempty;
    for (size_t i = 0; same && i < a->nempty; i++)
        same = a->empty[i] == b->empty[i];
    return same;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stance_manifest m;
    stance_error err;
    stance_status st = stance_manifest_parse((const char *)data, size, "m.json", &m, &err);
    if (st != STANCE_OK) {
        FUZZ_CHECK(st == STANCE_ERR_DATA || st == STANCE_ERR_NOMEM);
        FUZZ_CHECK(strcmp(err.where, "m.json") == 0 && err.message[0]);
        return 0;
    }
    FUZZ_CHECK(m.shard_articles == stance_shard_size(&m.shard, m.articles));
    FUZZ_CHECK(m.skipped <= m.nempty && m.nempty <= m.shard_articles);
    for (size_t i = 0; i < m.nempty; i++) {
        FUZZ_CHECK(m.empty[i] < m.articles && stance_shard_holds(&m.shard, m.empty[i]));
        FUZZ_CHECK(i == 0 || m.empty[i - 1] < m.empty[i]);
    }
    FUZZ_CHECK(m.has_records == (strcmp(m.output, "jsonl") == 0));
    /* written beside an output path in the scratch directory, then read back */
    char out[4200];
    snprintf(out, sizeof out, "%s/out.jsonl", fuzz_tmpdir());
    stance_manifest back;
    FUZZ_SETUP(stance_manifest_save(out, &m, &err) == STANCE_OK);
    FUZZ_CHECK(stance_manifest_load(out, &back, &err) == STANCE_OK);
    FUZZ_CHECK(same_manifest(&m, &back));
    stance_manifest_clear(&back);
    stance_manifest_clear(&m);
    fuzz_remove_file("out.jsonl.manifest.json");
    return 0;
}
