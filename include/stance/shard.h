/* shard.h: stance-tag's shards, and the manifest it writes beside an output file (-o FILE).
 *
 * Shard I/N (1 <= I <= N) holds the input articles at the 0-based positions k of the input
 * order with k mod N = I - 1 (round robin). The input order is that of the arguments, a
 * directory's files in sorted order, a JSON Lines file's articles line by line; every article
 * read counts, so the rule needs no count up front and every shard sees the same positions. An
 * input that --keep-going skips takes no position: shards that skipped different inputs have
 * different input hashes, and stance-merge refuses to join them. Under a Slurm job array, I = SLURM_ARRAY_TASK_ID - MIN + 1 and
 * N = MAX - MIN + 1 (SLURM_ARRAY_TASK_MIN, _MAX; _COUNT when _MAX is not set).
 *
 * The manifest, FILE.manifest.json, is one JSON object on one line:
 *   {"format":"stance-tag-output","version":1,"stance":"0.1.0","output":"jsonl",
 *    "options":"--unit passage ...","shard":{"index":2,"count":4},"articles":12,
 *    "shard_articles":3,"skipped":0,"records":41,"bytes":20577,"sha256":"...","model_sha256":"...","input_sha256":"...",
 *    "empty":[5]}
 * output: jsonl, csv or tsv; options: the tag options that shape the records, as the run
 * spelled them out (stance-tag: every such option, in a fixed order); shard: null for the
 * whole input; articles: in the whole input; shard_articles: this shard's; skipped: 0 (kept for the format's readers: a skipped input has
 * no position, so no article of a shard is skipped; stance-merge adds them up); records: the
 * lines of FILE (null for csv and tsv, whose text may span lines); bytes and sha256: FILE's
 * size and SHA-256; model_sha256: the SHA-256 of the model bundle's manifest.json (which holds
 * the SHA-256 of every unit file); input_sha256: the SHA-256 of the ids of all the input's
 * articles in order, each as "<length in bytes>:<id>"; empty: the positions (as above) of this
 * shard's articles that wrote no records (no passage), in order. stance-merge
 * (merge.h) reads it. All hashes are lower-case hex. */
#ifndef STANCE_SHARD_H
#define STANCE_SHARD_H

#include <stddef.h>
#include <time.h>

#include "stance/error.h"
#include "stance/vocab.h" /* stance_removed_fn */

/* A shard: index from 1 to count; count 0 means the whole input (no shard). */
typedef struct {
    long index, count;
} stance_shard;

/* "I/N", two decimal numbers with 1 <= I <= N <= 1000000. STANCE_ERR_USAGE saying why not. */
stance_status stance_shard_parse(const char *spec, stance_shard *shard, stance_error *err);

/* The shard of a Slurm array task from the values of SLURM_ARRAY_TASK_ID, _MIN, _MAX, _COUNT
 * and _STEP (NULL: not set). ID and MIN are needed, and MAX or COUNT (both: they must agree);
 * a STEP other than 1 is refused (the ids would not be consecutive). STANCE_ERR_USAGE naming
 * the variable that is missing, not a number or inconsistent. */
stance_status stance_shard_from_slurm(const char *id, const char *min, const char *max,
                                      const char *count, const char *step, stance_shard *shard,
                                      stance_error *err);

/* What a tag run saw and wrote, for its manifest: positions, the input ids' hash, the articles
 * without records, and the output's bytes. */
typedef struct stance_tally stance_tally;

/* A tally for shard (NULL or count 0: the whole input). */
stance_status stance_tally_new(const stance_shard *shard, stance_tally **out, stance_error *err);
void stance_tally_free(stance_tally *t);

/* The tag options that shape the records, a string merge compares (copied). */
stance_status stance_tally_set_options(stance_tally *t, const char *options, stance_error *err);

/* Counts the next input article, doc its id: 1 if it belongs to the shard (*pos its position),
 * 0 if another shard has it. */
int stance_tally_take(stance_tally *t, const char *doc, unsigned long long *pos);

/* The article at pos (taken, in the shard) wrote no records. Positions come in order. */
stance_status stance_tally_empty(stance_tally *t, unsigned long long pos, stance_error *err);

/* Bytes written to the output, in order. */
void stance_tally_output(stance_tally *t, const char *bytes, size_t len);

/* The checks before any work: path and path.manifest.json may be written (outpath rules: not
 * a directory, a link or a device; the parent exists). STANCE_ERR_IO naming the path. */
stance_status stance_tally_check(const char *path, stance_error *err);

/* Removes the temporaries that a run killed while it wrote path or path.manifest.json
 * (stance-tag -o, stance-merge -o) left beside them: "<path>.tmp.XXXXXX" and
 * "<path>.manifest.json.tmp.XXXXXX" that are regular files last changed before since, not
 * held by a save in progress, and marked as temporaries of their kind by the save that made
 * them (outpath_int.h); a user's file of such a name is left alone. Tells removed (when not
 * NULL) the path of each. Only running out of memory is an error. */
stance_status stance_tally_remove_stale(const char *path, const struct timespec *since,
                                        stance_removed_fn removed, void *ctx, stance_error *err);

/* Fills the output: writes the bytes to fd with write(2) (telling the tally of them), and
 * returns non-OK to give up (the output is then not written). */
typedef stance_status (*stance_tally_fill_fn)(void *ctx, int fd, stance_error *err);

/* Writes path atomically (a temporary beside it, renamed into place) through fill, then
 * path.manifest.json, also atomically. output: "jsonl", "csv" or "tsv"; model_dir: the bundle
 * whose manifest.json is hashed (before the output is written). On failure path is as it was
 * (if the manifest fails after the rename, path is the new output without a new manifest). */
stance_status stance_tally_save(stance_tally *t, const char *path, const char *output,
                                const char *model_dir, stance_tally_fill_fn fill, void *ctx,
                                stance_error *err);

#endif
