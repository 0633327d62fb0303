/* shard_int.h: the manifest of a tagged output (its format in shard.h) in memory, read,
 * checked and written; shared by shard.c (stance-tag -o) and merge.c (stance-merge). */
#ifndef STANCE_SHARD_INT_H
#define STANCE_SHARD_INT_H

#include <stddef.h>

#include "outpath_int.h"
#include "stance/error.h"
#include "stance/shard.h"

#define STANCE_MANIFEST_SUFFIX ".manifest.json"
#define STANCE_MANIFEST_MAX_BYTES ((size_t)1 << 30) /* its "empty" list is its only long part */
#define STANCE_MANIFEST_OPTIONS_MAX (1 << 20)       /* bytes of "options" */

typedef struct {
    char *stance;  /* the version that wrote it */
    char output[8]; /* "jsonl", "csv" or "tsv" */
    char *options;  /* the tag options that shape the records */
    stance_shard shard;
    unsigned long long articles, shard_articles, skipped, bytes;
    unsigned long long records; /* with has_records (jsonl) */
    int has_records;
    char sha256[65], model_sha256[65], input_sha256[65];
    unsigned long long *empty; /* positions, increasing */
    size_t nempty;
} stance_manifest;

/* What stance-tag -o and stance-merge write: any regular file may be replaced (as sort -o does). */
extern const stance_outfile_kind stance_tagged_output_file;

/* How many of the positions 0 .. articles-1 shard holds (all of them for count 0). */
unsigned long long stance_shard_size(const stance_shard *shard, unsigned long long articles);

/* 1 if shard holds position pos. */
int stance_shard_holds(const stance_shard *shard, unsigned long long pos);

/* "<path>.manifest.json" (caller frees); NULL on no memory. */
char *stance_manifest_path(const char *path);

/* Parses and checks a manifest's text (where names it): every field present with its type,
 * hashes as 64 hex digits, the shard's index within its count, shard_articles what the shard
 * holds of articles, empty increasing and each a position of the shard, skipped at most that
 * many, records null exactly when output is not jsonl. STANCE_ERR_DATA naming where and the
 * field; STANCE_ERR_NOMEM. On success m is filled (stance_manifest_clear frees it). */
stance_status stance_manifest_parse(const char *text, size_t len, const char *where,
                                    stance_manifest *m, stance_error *err);

/* Reads and parses the manifest of the output at path (path.manifest.json). */
stance_status stance_manifest_load(const char *path, stance_manifest *m, stance_error *err);

/* Writes m as the manifest of the output at path, atomically. */
stance_status stance_manifest_save(const char *path, const stance_manifest *m, stance_error *err);

void stance_manifest_clear(stance_manifest *m);

/* Appends pos to m->empty (cap: its capacity). */
stance_status stance_manifest_add_empty(stance_manifest *m, size_t *cap, unsigned long long pos,
                                        stance_error *err);

/* The SHA-256 of model_dir/manifest.json as hex. STANCE_ERR_IO naming it. */
stance_status stance_model_manifest_sha256(const char *model_dir, char hex[65], stance_error *err);

#endif
