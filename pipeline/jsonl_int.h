/* jsonl_int.h: one JSON document read or parsed whole, and the fields records are read by
 * (jsonl.c), for the library's readers of codebooks, vocabularies, manifests and records. */
#ifndef STANCE_JSONL_INT_H
#define STANCE_JSONL_INT_H

#include <jansson.h>
#include <stddef.h>

#include "stance/error.h"
#include "stance/jsonl.h"

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

/* The next line of r that is not blank, with a byte-order mark at the start of the stream
 * left out: *n bytes at *text (borrowed until the next read), at byte *at of the stream, its
 * number stance_jsonl_get_line(r); *n = 0 at the end. stance_jsonl_read is this, then
 * stance_jsonl_parse_line: a caller may parse the lines elsewhere (on other threads). */
stance_status stance_jsonl_read_line(stance_jsonl_reader *r, const char **text, size_t *n,
                                     size_t *at, stance_error *err);

/* Parses a line from stance_jsonl_read_line (line number `line` of name) into one object
 * (*obj, caller owns it), with stance_jsonl_read's checks and messages. *scratch (capacity
 * *cap, initially NULL and 0; caller frees) is kept for the next call: one per thread. */
stance_status stance_jsonl_parse_line(const char *name, long line, const char *text, size_t n,
                                      size_t at, char **scratch, size_t *cap, json_t **obj,
                                      stance_error *err);

#endif
