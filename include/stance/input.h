/* input.h: walking the articles named on a command line, for the stages that read articles
 * (tokenize, tag). An argument is a plain-text file, a directory (its *.txt files in sorted
 * order) or "-" (standard input); with JSON Lines input each line is an article
 * {"id": ..., "text": ...} whose other fields are handed on as extra. A plain-text article's
 * id is its file name without directory and extension ("stdin" for standard input).
 * A file named as an argument is read whatever it is (a FIFO, <(...)), as standard input is;
 * a directory's entries that are not regular files (FIFOs, devices, directories, symbolic
 * links to them) are skipped, so that a stray FIFO cannot hang the walk. No article may be
 * larger than max_bytes: a longer file, stream or "text" is an error naming it. */
#ifndef STANCE_INPUT_H
#define STANCE_INPUT_H

#include <jansson.h>

#include "stance/article.h"
#include "stance/error.h"
#include "stance/idset.h"

typedef struct {
    int jsonl;            /* arguments hold JSON Lines articles */
    stance_encoding enc;  /* encoding of plain-text articles */
    stance_idset *seen;   /* when not NULL: ids seen so far; a repeated one is an error */
    size_t max_bytes;     /* largest article, in bytes (0: STANCE_ARTICLE_MAX_BYTES) */
    /* When not NULL: told of each directory entry skipped, and why (the walk goes on). */
    void (*skipped)(const char *path, const char *why);
} stance_input_options;

/* Called once per article: doc names it, extra holds a JSON Lines article's object (or NULL),
 * where/line locate it for messages. A non-OK return stops the walk. */
typedef stance_status (*stance_article_fn)(void *ctx, const stance_article *art, const char *doc,
                                           const json_t *extra, const char *where, long line,
                                           stance_error *err);

/* Reads every article of one argument in order and calls fn for each. */
stance_status stance_input_walk(const char *arg, const stance_input_options *opt,
                                stance_article_fn fn, void *ctx, stance_error *err);

/* Called with each JSON Lines line that is not blank: n bytes at text (borrowed), from byte
 * `at` of where, line number `line`. A non-OK return stops the walk. */
typedef stance_status (*stance_line_fn)(void *ctx, const char *text, size_t n, size_t at,
                                        const char *where, long line, stance_error *err);

/* stance_input_walk for JSON Lines (opt->jsonl), each line handed to fn unparsed instead of
 * its article: for a caller that parses lines on other threads (stance_input_parse_line) and
 * checks their ids in order (stance_input_add_id), which this walk does not. */
stance_status stance_input_walk_lines(const char *arg, const stance_input_options *opt,
                                      stance_line_fn fn, void *ctx, stance_error *err);

/* A line from stance_input_walk_lines as the walk would read it, every check made but the
 * duplicate id: the record (*obj, caller json_decref), its id (*doc: in *obj or written in
 * idbuf, of idsize bytes, 32 are enough) and its article (*art, caller frees). Safe on several
 * threads at once. On failure the id is in *doc if it was read (its duplicate check comes
 * first, as in the walk), and *obj and *art may be set all the same (to be freed). */
stance_status stance_input_parse_line(const char *text, size_t n, size_t at, const char *where,
                                      long line, const stance_input_options *opt, char *idbuf,
                                      size_t idsize, json_t **obj, const char **doc,
                                      stance_article **art, stance_error *err);

/* Adds the id doc, read at where:line, to opt->seen (nothing when that is NULL): a data error
 * naming the first place if it is there already. */
stance_status stance_input_add_id(const stance_input_options *opt, const char *doc,
                                  const char *where, long line, stance_error *err);

#endif
