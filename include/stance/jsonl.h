/* jsonl.h: JSON Lines in and out, the format every stage passes records in.
 *
 * One UTF-8 JSON object per line, e.g.
 *   {"doc":"000_8f88","passage":3,"start":78,"end":506,"kind":"body","text":"...","tokens":["tensions"]}
 * Blank lines are skipped, and so is a byte-order mark at the start of the stream. A line with
 * a NUL byte, invalid UTF-8, invalid JSON, a duplicate key or a value that is not an object is
 * an error naming the input and the line. A line may be up to STANCE_JSONL_LINE_MAX bytes (a
 * longer one is a data error naming it); one that does not fit in memory is STANCE_ERR_NOMEM
 * naming the line, never taken for the end of the input. A NUL byte ends the reading at once
 * (so /dev/zero is refused, not read until memory runs out). */
#ifndef STANCE_JSONL_H
#define STANCE_JSONL_H

#include <jansson.h>
#include <stdio.h>

#include "stance/error.h"

/* The longest line a reader takes (1 GiB): far above stance-tag's article limit even with
 * every character escaped, and a bound on what an input without newlines costs. */
#define STANCE_JSONL_LINE_MAX ((size_t)1 << 30)

typedef struct stance_jsonl_reader stance_jsonl_reader;

/* Starts reading f (borrowed: the caller closes it); name is used in messages.
 * Caller frees *out with stance_jsonl_reader_free. */
stance_status stance_jsonl_reader_new(FILE *f, const char *name, stance_jsonl_reader **out,
                                      stance_error *err);

/* Frees the reader (not its stream); NULL is allowed. */
void stance_jsonl_reader_free(stance_jsonl_reader *r);

/* Reads the next object into *obj (caller owns it: json_decref); *obj is NULL at the end.
 * STANCE_ERR_IO if the read fails, STANCE_ERR_NOMEM if memory runs out. */
stance_status stance_jsonl_read(stance_jsonl_reader *r, json_t **obj, stance_error *err);

/* 1-based number of the line last read (0 before the first). */
long stance_jsonl_get_line(const stance_jsonl_reader *r);

/* Writes obj as one compact line followed by '\n'. STANCE_ERR_IO if the write fails,
 * STANCE_ERR_NOMEM if memory runs out. */
stance_status stance_jsonl_write(FILE *f, const json_t *obj, const char *name, stance_error *err);

#endif
