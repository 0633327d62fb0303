/* import.h: annotation-tool exports (doccano, Label Studio, Prodigy) to stance's labeled
 * JSON Lines, the records stance-train reads (train.h, codebook.h):
 *   {"id":"a17#p4","text":"...","topics":["kosovo","abm"],"tone":"confrontational",
 *    "annotator":1,"source":{"tool":"labelstudio","task":17,"annotation":41,"passage_id":"a17#p4"}}
 * one record per passage and annotator (several annotators of one passage stay apart, for an
 * agreement check, unless a resolve rule makes one record of them). "id" is the passage's join
 * field (below) when it has one, else the tool's own id of the passage; "annotator" is null
 * when the tool does not say; "source" keeps the tool's ids and the other imported fields.
 *
 * What is read, per format:
 * - doccano (JSON Lines, "label" a list of strings): with a dimension (stance-import --project
 *   DIM=FILE) every label is a value of it; without, the file is one project over the whole
 *   codebook, with prefixed labels ("topics:kosovo", "tone:confrontational") or labels that name
 *   a value of one dimension only. There, a record with labels but none of a multi or optional
 *   dimension says that none of its values applies. "label": [] is not labeled (doccano exports
 *   the examples nobody labeled so), and is left out and counted.
 * - labelstudio (one JSON array of tasks): "data" holds the text and the imported fields; each
 *   annotation not cancelled is one annotator's record, its "choices" results one dimension
 *   each, by "from_name"; other result types are ignored.
 * - labelstudio-min (JSON_MIN: a JSON array of flat records, or JSON Lines of them): every
 *   field named after a dimension is its choices, as a string (one choice) or {"choices":
 *   [...]} (several); "annotator", "annotation_id" and "id" are the tool's, other fields go to
 *   "source" (a field that looks like a dimension is an error).
 * - prodigy (db-out JSON Lines): a choice task ("options") labels the dimensions its options
 *   belong to with its "accept" list ([] says none applies); rejected and ignored ones are
 *   left out and counted. A binary task ("label", textcat.teach) says that its label applies
 *   ("accept") or not ("reject"; on a multi dimension, [] when no label of a passage's binary
 *   tasks was accepted). Tasks are merged per "_input_hash"; the annotator is "_annotator_id",
 *   else "_session_id".
 * Records of one passage are joined, across files too, by the join field (default
 * "passage_id"; a top-level field, or in Label Studio's "data", or Prodigy's "meta"), else by
 * Prodigy's "_input_hash", else by identical text.
 *
 * The map (stance-import --map, a JSON object; every key optional):
 *   {"text": "body",                       the text field (default "text")
 *    "join": "doc_id",                     the join field (default "passage_id")
 *    "dimensions": {"sentiment": "tone"},  a tool's dimension (Label Studio from_name, a JSON_MIN
 *                                          field, a doccano prefix) -> codebook dimension
 *    "labels": {"Kosovo": "topics:kosovo", a tool's label -> "DIM:VALUE", a bare value, "DIM:"
 *               "sentiment:calm": "tone:", (labeled: none of DIM's values applies) or null (the
 *               "unsure": null}}           label is ignored); a key "TOOLDIM:LABEL" applies to
 *                                          that tool dimension only and wins over "LABEL"
 * Errors in the data (every one of a file is kept, each naming the file, the line or the array
 * index, and the value): a record or task without a text string, a label that is no value of
 * the codebook (with the nearest value, if any), a label found in two dimensions, a single
 * dimension given two values (also by two tasks of one passage and annotator), or none when it
 * is not optional, a tool dimension that is not one of the codebook, invalid JSON, the same
 * passage with two texts. */
#ifndef STANCE_IMPORT_H
#define STANCE_IMPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "stance/codebook.h"
#include "stance/error.h"
#include "stance/vocab.h" /* stance_removed_fn */

typedef enum {
    STANCE_IMPORT_DOCCANO,
    STANCE_IMPORT_LABELSTUDIO,
    STANCE_IMPORT_LABELSTUDIO_MIN,
    STANCE_IMPORT_PRODIGY
} stance_import_format;

/* How several annotators' records of one passage become one record: NONE keeps each;
 * FIRST keeps the first annotator's; MAJORITY keeps, per dimension, what more than half of the
 * annotators who labeled it gave (multi: each value; single: the value, or none), leaving a
 * dimension with no majority unlabeled; DROP keeps passages whose annotators agree on every
 * dimension they all labeled, and leaves out the others. */
typedef enum {
    STANCE_RESOLVE_NONE,
    STANCE_RESOLVE_MAJORITY,
    STANCE_RESOLVE_FIRST,
    STANCE_RESOLVE_DROP
} stance_resolve;

/* Names ("doccano", "labelstudio", "labelstudio-min", "prodigy"; "none", "majority", "first",
 * "drop") to values: 0, or -1 for an unknown name. */
int stance_import_format_parse(const char *name, stance_import_format *format);
int stance_resolve_parse(const char *name, stance_resolve *resolve);

/* What was left out on the way, by cause. */
typedef struct {
    size_t unlabeled; /* records, tasks or annotations without labels */
    size_t cancelled; /* Label Studio annotations with was_cancelled */
    size_t rejected;  /* Prodigy choice tasks answered reject */
    size_t ignored;   /* Prodigy tasks answered ignore */
    size_t disagreed; /* passages left out by STANCE_RESOLVE_DROP */
    size_t ties;      /* dimensions left unlabeled by STANCE_RESOLVE_MAJORITY */
} stance_import_counts;

/* The most errors kept; more are only counted. */
#define STANCE_IMPORT_MAX_ERRORS 1000

typedef struct stance_importer stance_importer;

/* A new importer of format into cb's labels (cb borrowed: it must outlive the importer).
 * Caller frees *out with stance_importer_free. */
stance_status stance_importer_new(const stance_codebook *cb, stance_import_format format,
                                  stance_importer **out, stance_error *err);

/* Frees the importer; NULL is allowed. */
void stance_importer_free(stance_importer *imp);

/* Sets the map (the JSON object above; where names it in messages), before any file is added.
 * STANCE_ERR_DATA naming where for a bad shape, a dimension or label the codebook lacks. */
stance_status stance_importer_set_map(stance_importer *imp, const json_t *map, const char *where,
                                      stance_error *err);

/* Reads the map file at path (STANCE_ERR_IO if unreadable) and sets it. */
stance_status stance_importer_load_map(stance_importer *imp, const char *path, stance_error *err);

/* Adds one export, n bytes of text named name in messages; dimension is the codebook dimension
 * a doccano project file holds (NULL: none; only for doccano, else STANCE_ERR_USAGE). Problems
 * in the data are kept (stance_importer_get_error) and the file's bad records left out; the
 * result is STANCE_ERR_USAGE for an unknown dimension, STANCE_ERR_NOMEM, else STANCE_OK. */
stance_status stance_importer_add(stance_importer *imp, const char *text, size_t n,
                                  const char *name, const char *dimension, stance_error *err);

/* stance_importer_add of the file at path (STANCE_ERR_IO if it cannot be read). */
stance_status stance_importer_load(stance_importer *imp, const char *path, const char *dimension,
                                   stance_error *err);

/* stance_importer_add of the rest of stream f (borrowed), named name (STANCE_ERR_IO if the
 * read fails). */
stance_status stance_importer_read(stance_importer *imp, FILE *f, const char *name,
                                   const char *dimension, stance_error *err);

/* The errors kept so far, in the order found (borrowed, valid while imp lives), and how many
 * there were in all (more than kept past STANCE_IMPORT_MAX_ERRORS). */
size_t stance_importer_get_error_count(const stance_importer *imp);
const stance_error *stance_importer_get_error(const stance_importer *imp, size_t i);

/* What was left out so far (borrowed, valid while imp lives; disagreed and ties are filled by
 * the write). */
const stance_import_counts *stance_importer_get_counts(const stance_importer *imp);

/* Writes the labeled records, resolved by resolve, to f (named name in messages) as JSON Lines;
 * *written is their number. STANCE_ERR_USAGE (writing nothing) while errors are kept;
 * STANCE_ERR_IO if a write fails, STANCE_ERR_NOMEM. */
stance_status stance_importer_write(stance_importer *imp, stance_resolve resolve, FILE *f,
                                    const char *name, size_t *written, stance_error *err);

/* stance_importer_write into the file path, atomically: a temporary beside it
 * ("<path>.tmp.XXXXXX") renamed into place, so a failure leaves the old file (if any). */
stance_status stance_importer_save(stance_importer *imp, stance_resolve resolve, const char *path,
                                   size_t *written, stance_error *err);

/* Removes the temporaries "<path>.tmp.XXXXXX" that a save killed midway left beside path:
 * regular files last changed before since, not held by a save in progress, and marked by the
 * save that made them (outpath_int.h); a user's file of such a name is left alone. Tells
 * removed (when not NULL) the path of each. Only running out of memory is an error. */
stance_status stance_importer_remove_stale(const char *path, const struct timespec *since,
                                           stance_removed_fn removed, void *ctx,
                                           stance_error *err);

#endif
