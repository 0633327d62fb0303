/* merge.h: the outputs of the shards of one stance-tag run (--shard I/N -o FILE, shard.h),
 * checked to be one complete set and merged back into the input order (stance-merge).
 *
 * The set is complete when there are N outputs, each with its manifest, of shards 1..N of the
 * same N, each index once, all made by the same stance version with the same model (model
 * hash) over the same input (article count and input hash), all JSON Lines, and each output
 * whole: its size and SHA-256 those of its manifest. The records then go out round robin: the
 * article at position k is the next of shard (k mod N) + 1, whose records are its next lines
 * with one "doc" (ids are unique within an input), or none when its manifest lists k as empty.
 * The result is the output one unsharded run (stance-tag -o) writes, byte for byte, and so is
 * its manifest (shard null). */
#ifndef STANCE_MERGE_H
#define STANCE_MERGE_H

#include <stddef.h>

#include "stance/error.h"

/* Checks the set of the n outputs (their paths) and writes the merged output to path
 * atomically, then its manifest. STANCE_ERR_DATA naming the output at fault for a set that is
 * not complete or an output that does not match its manifest or its records; STANCE_ERR_IO
 * for a file that cannot be read (a missing manifest) or written; STANCE_ERR_USAGE when n is 0.
 * On failure nothing is written and path is as it was. */
stance_status stance_merge_save(const char *path, const char *const *outputs, size_t n,
                                stance_error *err);

#endif
