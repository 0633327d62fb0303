/* article.h: one article in memory as UTF-8 text, split into passages (paragraphs).
 *
 * Input is plain text: UTF-8 (a leading byte-order mark is skipped), or Latin-1 /
 * Windows-1252 transcoded to UTF-8 on request. NUL bytes and, for UTF-8, malformed
 * sequences are errors naming the line and the byte offset. Line ends may be LF or CRLF.
 *
 * A passage is a paragraph: a maximal run of non-blank lines (a blank line holds only
 * spaces, tabs and CR). Its start/end delimit the paragraph's text with surrounding white
 * space trimmed, so the trailing newline is never included. Paragraphs are numbered from 1,
 * every paragraph counted. Kinds:
 *   meta      one line that opens with a metadata key and a colon, e.g.
 *             "Publication: Monitor Volume: 5 Issue: 154" (keys: see article.c)
 *   headline  at most 200 bytes, at least two upper-case letters and no lower-case one,
 *             e.g. "RUSSIA REMAINS AT ODDS WITH NATO."
 *   body      everything else.
 * Offsets come in two frames: text offsets index stance_article_get_text(), source offsets index
 * the bytes as read (BOM included, before transcoding); stance_article_get_source_offset() maps. */
#ifndef STANCE_ARTICLE_H
#define STANCE_ARTICLE_H

#include <stddef.h>
#include <stdio.h>

#include "stance/error.h"

typedef enum { STANCE_ENC_UTF8, STANCE_ENC_LATIN1, STANCE_ENC_CP1252 } stance_encoding;

typedef enum { STANCE_KIND_BODY, STANCE_KIND_HEADLINE, STANCE_KIND_META } stance_kind;

/* One paragraph of an article. */
typedef struct {
    size_t number;     /* 1-based position among the article's paragraphs */
    size_t start, end; /* text offsets of the trimmed paragraph, end exclusive */
    stance_kind kind;
} stance_passage;

typedef struct stance_article stance_article;

/* Parses an encoding name (utf-8, latin1, iso-8859-1, cp1252, windows-1252; any case).
 * Returns STANCE_ERR_USAGE for an unknown name. */
stance_status stance_encoding_parse(const char *name, stance_encoding *enc, stance_error *err);

/* Name of a passage kind: "body", "headline" or "meta" (static storage). */
const char *stance_kind_name(stance_kind kind);

/* The largest article read unless the caller says otherwise (--max-article-bytes): a file of
 * more bytes, or a stream that goes on (a FIFO, /dev/zero), is refused instead of filling memory. */
#define STANCE_ARTICLE_MAX_BYTES ((size_t)64 << 20)

/* Reads all of f as one article called name (used in messages), of at most max bytes (0:
 * STANCE_ARTICLE_MAX_BYTES; more is STANCE_ERR_DATA naming name).
 * On success *out is a new article the caller frees with stance_article_free. */
stance_status stance_article_read(FILE *f, const char *name, stance_encoding enc, size_t max,
                                  stance_article **out, stance_error *err);

/* Opens path and reads it as stance_article_read does, up to STANCE_ARTICLE_MAX_BYTES. */
stance_status stance_article_load(const char *path, stance_encoding enc, stance_article **out,
                                  stance_error *err);

/* Makes an article from bytes already in memory (copied). name and line locate errors. */
stance_status stance_article_from_bytes(const char *bytes, size_t len, const char *name,
                                        long line, stance_encoding enc, stance_article **out,
                                        stance_error *err);

/* A copy of art that lives on its own, for another thread (caller frees *out with
 * stance_article_free). */
stance_status stance_article_copy(const stance_article *art, stance_article **out,
                                  stance_error *err);

/* Frees the article; NULL is allowed. */
void stance_article_free(stance_article *art);

/* Borrowed UTF-8 text (NUL-terminated) and its length, valid until the article is freed. */
const char *stance_article_get_text(const stance_article *art, size_t *len);

/* Number of passages, and passage i (borrowed, valid until the article is freed). */
size_t stance_article_get_passage_count(const stance_article *art);
const stance_passage *stance_article_get_passage(const stance_article *art, size_t i);

/* Maps a text offset to the byte offset in the input as read. */
size_t stance_article_get_source_offset(const stance_article *art, size_t text_offset);

#endif
