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
long stance_jsonl_line(const stance_jsonl_reader *r);

/* Writes obj as one compact line followed by '\n'. STANCE_ERR_IO if the write fails,
 * STANCE_ERR_NOMEM if memory runs out. */
stance_status stance_jsonl_write(FILE *f, const json_t *obj, const char *name, stance_error *err);

/* Opens path with fopen mode; STANCE_ERR_IO with the system's reason if it cannot. */
stance_status stance_stream_open(const char *path, const char *mode, FILE **f, stance_error *err);

/* Reads the rest of stream f into *buf (a new NUL-terminated buffer the caller frees; *len
 * bytes before the NUL): a regular file in one read of its size, a pipe into a buffer that
 * doubles. STANCE_ERR_IO naming name with the system's reason if the read fails. */
stance_status stance_stream_read(FILE *f, const char *name, char **buf, size_t *len,
                                 stance_error *err);

/* stance_stream_read that reads at most max bytes: STANCE_ERR_DATA naming name ("more than max
 * bytes") for a longer stream, found without reading a regular file, and after max + 1 bytes
 * of any other (a pipe, /dev/zero). */
stance_status stance_stream_read_max(FILE *f, const char *name, size_t max, char **buf,
                                     size_t *len, stance_error *err);

/* Reads the whole file at path into *buf (a new NUL-terminated buffer the caller frees; *len
 * bytes before the NUL). STANCE_ERR_IO with the system's reason if it cannot be opened or read. */
stance_status stance_file_read(const char *path, char **buf, size_t *len, stance_error *err);

/* Flushes and closes f, reporting a failed write (a full disk, say) as STANCE_ERR_IO. */
stance_status stance_stream_close(FILE *f, const char *name, stance_error *err);

/* Reads the whole file at path as one JSON value (duplicate keys rejected) into *json
 * (caller owns it: json_decref). STANCE_ERR_IO if unreadable, STANCE_ERR_DATA naming the line
 * and column if it is not valid JSON, STANCE_ERR_NOMEM if memory runs out. */
stance_status stance_json_load_file(const char *path, json_t **json, stance_error *err);

/* Parses text (n bytes) as one JSON value, as stance_json_load_file does a file's bytes; name
 * is used in messages. Caller owns *json (json_decref). */
stance_status stance_json_parse(const char *text, size_t n, const char *name, json_t **json,
                                stance_error *err);

/* Gets the string field key of obj: STANCE_ERR_DATA naming where/line if it is missing
 * or not a string. *s is borrowed from obj. */
stance_status stance_json_get_string(const json_t *obj, const char *key, const char *where,
                                     long line, const char **s, size_t *len, stance_error *err);

/* Gets the "id" field of obj as text: a string (borrowed from obj) or an integer (written
 * into buf). STANCE_ERR_DATA naming where/line if missing or of another type. */
stance_status stance_json_get_id(const json_t *obj, const char *where, long line, char *buf,
                                 size_t size, const char **id, stance_error *err);

#endif
