/* utf8_int.h: strict UTF-8 decoding and encoding, and the simple lower-casing the
 * tokenizer applies (Latin with diacritics, Greek, Cyrillic). */
#ifndef STANCE_UTF8_INT_H
#define STANCE_UTF8_INT_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from s (n bytes available) into *cp. Returns the sequence
 * length (1-4), or 0 if the bytes are not well-formed UTF-8 (overlong forms,
 * surrogates and values above U+10FFFF are rejected). */
size_t stance_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Writes cp as UTF-8 into out (room for 4 bytes); returns the byte count (0 if cp is invalid). */
size_t stance_utf8_encode(uint32_t cp, unsigned char out[4]);

/* Returns the offset of the first byte that is not well-formed UTF-8, or n if all is valid. */
size_t stance_utf8_check(const unsigned char *s, size_t n);

/* 1 if cp is a Unicode format character (general category Cf: soft hyphen, zero-width space,
 * joiners and non-joiners, word joiner, bidirectional controls, byte-order mark, tag
 * characters, ...), else 0. The tokenizer ignores them (tokenize.h, rule 8). */
int stance_utf8_is_format(uint32_t cp);

/* Returns the lower-case form of cp for Latin (Basic, Latin-1, Extended-A/B,
 * Additional), Greek (final sigma folded to sigma) and Cyrillic; other code points unchanged. */
uint32_t stance_utf8_lower(uint32_t cp);

#endif
