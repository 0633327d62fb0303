/* tokenize.h: splits UTF-8 text into lower-cased word and number tokens, with byte offsets.
 *
 * The rules, in order of precedence (see tests/check_tokenize.c for the table of cases):
 *  1. A token is a run of letters, digits and combining marks. Letters are ASCII letters and
 *     every code point from U+00C0 up (Latin with diacritics, Greek, Cyrillic, other scripts)
 *     except punctuation, symbols and spaces: U+0080-U+00BF (but ª µ º), × ÷, Greek and
 *     Armenian punctuation, U+2000-U+2BFF (dashes, quotes, ellipsis, currency, arrows...),
 *     U+2E00-U+2E7F, U+3000-U+303F, the CJK/fullwidth punctuation forms, private use, emoji.
 *     Digits are 0-9. "1990s", "21st" and "G8" are single tokens.
 *  2. Everything else but format characters (rule 8) separates tokens: white space, ASCII
 *     punctuation, typographic quotes, the en and em dash (so "West–including" gives "west",
 *     "including"), the ellipsis.
 *  3. An apostrophe (' U+2019 U+02BC) followed by "s" and then a non-letter ends the word and
 *     the "'s" is dropped ("Russia’s" gives "russia"). Followed by other letters it stays
 *     inside the word, as "'" ("don’t" gives "don't"). Anywhere else it separates.
 *  4. Numbers keep "," and "." between two digits ("1,500" and "2.5" are one token each);
 *     "60,000-strong" gives "60,000" and "strong"; "1998-2002" gives "1998" and "2002".
 *  5. A hyphen (- U+2010 U+2011) separates, except after a word of 1 to 4 letters and before
 *     a digit, which is a model designation kept whole: "S-300" gives "s-300", "MiG-29" "mig-29".
 *  6. Single letters joined by periods form one abbreviation: "U.S." gives "u.s".
 *  7. Letters are lower-cased (stance_utf8_lower); a token's text may differ in length from
 *     its source, but start/end always delimit the source bytes.
 *  8. Format characters (Unicode category Cf, stance_utf8_is_format: the soft hyphen U+00AD,
 *     zero-width space U+200B, ZWNJ and ZWJ U+200C/U+200D, word joiner U+2060, the BOM U+FEFF,
 *     bidirectional controls, ...) are ignored: text tokenizes as if they were not there
 *     ("Ko\u00ADsovo" gives "kosovo", as "Kosovo" does; between words one is nothing). A token's
 *     start/end still index the original bytes, so its source may contain them; it never
 *     starts or ends on one.
 * Bytes that are not well-formed UTF-8 separate tokens (callers validate input first). */
#ifndef STANCE_TOKENIZE_H
#define STANCE_TOKENIZE_H

#include <stddef.h>

#include "stance/error.h"

/* Version of the rules above; a model records it, since other rules give other tokens. */
#define STANCE_TOKENIZER_VERSION 1

/* One token: its normalised text and where it came from. */
typedef struct {
    size_t text;  /* offset of the NUL-terminated normalised text in stance_tokens.chars */
    size_t len;   /* length of that text in bytes */
    size_t start; /* byte offset of the token's first source byte */
    size_t end;   /* byte offset just past its last source byte */
} stance_token;

/* A list of tokens and the characters of their texts; storage the caller provides. */
typedef struct {
    stance_token *items; /* count tokens, in text order */
    size_t count, cap;
    char *chars; /* the tokens' texts, each NUL-terminated */
    size_t chars_len, chars_cap;
} stance_tokens;

/* Prepares an empty list (no allocation). */
void stance_tokens_init(stance_tokens *toks);

/* Frees the list's storage; the list is empty and reusable afterwards. */
void stance_tokens_clear(stance_tokens *toks);

/* Borrowed text of token i, valid until the list changes. */
const char *stance_tokens_get_text(const stance_tokens *toks, size_t i);

/* Replaces the list's contents with the tokens of text[0..len); offsets are added to base.
 * Returns STANCE_ERR_NOMEM (err filled) if memory runs out. */
stance_status stance_tokenize_run(const char *text, size_t len, size_t base, stance_tokens *toks,
                                  stance_error *err);

#endif
