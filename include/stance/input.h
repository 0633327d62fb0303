/* input.h: walking the articles named on a command line, for the stages that read articles
 * (tokenize, tag). An argument is a plain-text file, a directory (its *.txt files in sorted
 * order) or "-" (standard input); with JSON Lines input each line is an article
 * {"id": ..., "text": ...} whose other fields are handed on as extra. A plain-text article's
 * id is its file name without directory and extension ("stdin" for standard input).
 * A file named as an argument is read whatever it is (a FIFO, <(...)), as standard input is;
 * a directory's entries that are not regular files (FIFOs, devices, directories, symbolic
 * links to them) are skipped, so that a stray FIFO cannot hang the walk. No article may be
 * larger than max_bytes: a longer file, stream or "text" is an error naming it.
 * The arguments are listed first (stance_input_list below): with recursive, a directory's
 * subdirectories too, with glob other names than *.txt; ids that would collide are made
 * unique by path suffixes; with failed, inputs that cannot be read are skipped. */
#ifndef STANCE_INPUT_H
#define STANCE_INPUT_H

#include <jansson.h>

#include "stance/article.h"
#include "stance/error.h"
#include "stance/idset.h"

/* The stdio buffer of a JSON Lines file the walk opens: reads of this many bytes, not BUFSIZ's
 * few (a main may give standard input one as large, with setvbuf, before reading it). */
#define STANCE_INPUT_READ_BYTES (256 * 1024)

typedef struct {
    int jsonl;            /* arguments hold JSON Lines articles */
    stance_encoding enc;  /* encoding of plain-text articles */
    stance_idset *seen;   /* when not NULL: ids seen so far; a repeated one is an error */
    size_t max_bytes;     /* largest article, in bytes (0: STANCE_ARTICLE_MAX_BYTES) */
    /* When not NULL: told of each directory entry skipped, and why (the walk goes on). */
    void (*skipped)(const char *path, const char *why);
    int recursive;        /* a directory's subdirectories too (symbolic links to directories
                           * are not followed, so that a loop cannot hang the walk) */
    const char *glob;     /* fnmatch(3) pattern for the base names of directory entries
                           * (NULL: "*.txt"); files named as arguments are read whatever
                           * their name */
    /* When not NULL (keep going): told of each input that cannot be read or decoded (it
     * could not be opened, vanished, is not valid in the encoding, is larger than max_bytes,
     * a subdirectory cannot be listed), which is then skipped, ctx being failed_ctx. Out of
     * memory, a repeated id, a bad JSON Lines line and errors of fn still stop the walk. */
    void (*failed)(void *ctx, const stance_error *err);
    void *failed_ctx;
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

/* 1 when where (as fn receives it) is standard input, which has no path. For a plain-text
 * file, where is its path as given or as found in a directory ("DIR/sub/a.txt"). */
int stance_input_is_stdin(const char *where);

/* The inputs of a whole command line, listed before any is read: each argument in order,
 * a directory replaced by its entries matching opt->glob (with opt->recursive, those of its
 * subdirectories too), all of one directory argument sorted by the byte order of their paths.
 * Plain-text ids are found up front: a file's id is its name without directory and extension,
 * unless several files would share it; those then get, all of them, the shortest number of
 * trailing path components, extension dropped, that tells them apart ("2000/a", "2001/a"),
 * whatever the order they come in. */
typedef struct stance_input_list stance_input_list;

/* Lists args[0..n) (n = 0: standard input). STANCE_ERR_DATA for a directory without
 * matching entries, STANCE_ERR_IO for one that cannot be listed (a subdirectory's failure
 * goes to opt->failed when set), STANCE_ERR_NOMEM. Caller frees with stance_input_list_free. */
stance_status stance_input_list_new(char *const *args, size_t n, const stance_input_options *opt,
                                    stance_input_list **out, stance_error *err);
void stance_input_list_free(stance_input_list *list);

/* How many inputs (files, directory entries, standard input) the list has. */
size_t stance_input_list_get_count(const stance_input_list *list);

/* The bytes of the list's regular files when listed, and 1 when that is all of its input
 * (no standard input, FIFO or other stream whose size is not known). */
int stance_input_list_get_bytes(const stance_input_list *list, unsigned long long *bytes);

/* Reads every article of the list in order and calls fn for each. */
stance_status stance_input_list_walk(const stance_input_list *list, const stance_input_options *opt,
                                     stance_article_fn fn, void *ctx, stance_error *err);

/* stance_input_list_new, stance_input_list_walk and stance_input_list_free in one. */
stance_status stance_input_walk_all(char *const *args, size_t n, const stance_input_options *opt,
                                    stance_article_fn fn, void *ctx, stance_error *err);

/* Reads a list of paths (--files-from): one a line (a last line without a newline counts),
 * or with nul NUL-separated; empty names are skipped, and "-" is refused (a list cannot
 * name standard input). STANCE_ERR_DATA naming name and the line (with nul: the entry) for
 * a NUL byte in a line or a "-", or when the list names no path at all; STANCE_ERR_IO for a
 * failed read. The names go to *names (*count of them), which the caller frees with
 * stance_input_names_free. */
stance_status stance_input_read_names(FILE *f, const char *name, int nul, char ***names,
                                      size_t *count, stance_error *err);
void stance_input_names_free(char **names, size_t count);

#endif
