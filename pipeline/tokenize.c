/* tokenize.c: the scanner behind stance_tokenize_run; the rules are listed in tokenize.h. */
#include "stance/tokenize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "grow_int.h"
#include "utf8_int.h"

/* C_FORMAT: a format character (rule 8), which the scanner steps over as if it were not there. */
typedef enum { C_SEP, C_LETTER, C_DIGIT, C_MARK, C_APOS, C_HYPHEN, C_DOT, C_COMMA, C_FORMAT } char_class;

/* Class of each ASCII character: letters, digits, the joiners ' - . , and separators. */
#define SP C_SEP
#define LT C_LETTER
#define DG C_DIGIT
static const unsigned char ascii_class[128] = {
    SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, /* 0x00 controls */
    SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, /* 0x10 controls */
    SP, SP, SP, SP, SP, SP, SP, C_APOS,                             /* 0x20  !"#$%&' */
    SP, SP, SP, SP, C_COMMA, C_HYPHEN, C_DOT, SP,                   /* 0x28 ()*+,-./ */
    DG, DG, DG, DG, DG, DG, DG, DG, DG, DG, SP, SP, SP, SP, SP, SP, /* 0x30 0-9 :;<=>? */
    SP, LT, LT, LT, LT, LT, LT, LT, LT, LT, LT, LT, LT, LT, LT, LT, /* 0x40 @A-O */
    LT, LT, LT, LT, LT, LT, LT, LT, LT, LT, LT, SP, SP, SP, SP, SP, /* 0x50 P-Z [\]^_ */
    SP, LT, LT, LT, LT, LT, LT, LT, LT, LT, LT, LT, LT, LT, LT, LT, /* 0x60 `a-o */
    LT, LT, LT, LT, LT, LT, LT, LT, LT, LT, LT, SP, SP, SP, SP, SP, /* 0x70 p-z {|}~ DEL */
};
#undef SP
#undef LT
#undef DG

/* Punctuation, symbols and spaces above ASCII; everything else from U+00C0 up is a letter. */
static int is_nonletter(uint32_t cp)
{
    if (cp < 0x00C0)
        return cp != 0xAA && cp != 0xB5 && cp != 0xBA;
    if (cp == 0xD7 || cp == 0xF7 || cp == 0x037E || cp == 0x0387 || cp == 0x0589 ||
        (cp >= 0x055A && cp <= 0x055F) || cp == 0x05BE || cp == 0x05C0 || cp == 0x05C3 ||
        cp == 0x060C || cp == 0x061B || cp == 0x061F || cp == 0x06D4)
        return 1;
    return (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x2E00 && cp <= 0x2E7F) ||
           (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xE000 && cp <= 0xF8FF) ||
           (cp >= 0xFE10 && cp <= 0xFE1F) || (cp >= 0xFE30 && cp <= 0xFE6F) ||
           (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
           (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
           (cp >= 0xFFF0 && cp <= 0xFFFF) || (cp >= 0x1F000 && cp <= 0x1FAFF);
}

static int is_mark(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x0483 && cp <= 0x0489) ||
           (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
           (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

/* stance_utf8_is_format, with the soft hyphen and everything below U+0600 (Latin, Greek,
 * Cyrillic) decided without a call. */
static inline int is_format(uint32_t cp)
{
    return cp == 0x00AD || (cp >= 0x0600 && stance_utf8_is_format(cp));
}

/* Class of a code point from U+0080 up. */
static char_class classify_cp(uint32_t cp)
{
    if (is_format(cp))
        return C_FORMAT;
    if (cp == 0x2019 || cp == 0x02BC)
        return C_APOS;
    if (cp == 0x2010 || cp == 0x2011)
        return C_HYPHEN;
    if (is_mark(cp))
        return C_MARK;
    return is_nonletter(cp) ? C_SEP : C_LETTER;
}

/* The scanner's view of one character: class, code point and byte length (>= 1). */
typedef struct {
    char_class cls;
    uint32_t cp;
    size_t len;
} scanned;

/* Scans the character at i of s[0..n) into *c. Past the end, and for a malformed byte, the
 * character is a one-byte separator. The hot loops handle ASCII themselves and call this for
 * the rest (the scanner used to classify every character through one such call). */
static void scan_slow(const unsigned char *s, size_t n, size_t i, scanned *c)
{
    c->cls = C_SEP;
    c->cp = 0;
    c->len = 1;
    if (i >= n)
        return;
    if (s[i] < 0x80) {
        c->cls = (char_class)ascii_class[s[i]];
        c->cp = s[i];
        return;
    }
    uint32_t cp;
    size_t len = stance_utf8_decode(s + i, n - i, &cp);
    if (len == 0)
        return; /* malformed byte: a one-byte separator */
    c->cp = cp;
    c->len = len;
    c->cls = classify_cp(cp);
}

static inline void scan_at(const unsigned char *s, size_t n, size_t i, scanned *c)
{
    if (i < n && s[i] < 0x80) {
        c->cls = (char_class)ascii_class[s[i]];
        c->cp = s[i];
        c->len = 1;
    } else {
        scan_slow(s, n, i, c);
    }
}

static inline int is_word_char(char_class cls)
{
    return cls == C_LETTER || cls == C_DIGIT || cls == C_MARK;
}

/* Scans the first character at or after *i that is not a format character into *c and moves *i
 * to it: the lookahead of the joining rules sees the text as if format characters were gone. */
static inline void scan_visible(const unsigned char *s, size_t n, size_t *i, scanned *c)
{
    scan_at(s, n, *i, c);
    while (c->cls == C_FORMAT) {
        *i += c->len;
        scan_slow(s, n, *i, c);
    }
}

/* Whether the character at i, format characters skipped, is a letter, digit or mark
 * (lookahead for rules 3 and 6). */
static inline int word_char_at(const unsigned char *s, size_t n, size_t i)
{
    scanned c;
    scan_visible(s, n, &i, &c);
    return is_word_char(c.cls);
}

/* end moved back over the format characters just before it (a token's source ends on a
 * character of the token; its first character is one, so the walk stops there). */
static size_t before_format(const unsigned char *s, size_t end)
{
    while (s[end - 1] >= 0x80) {
        size_t k = end - 1;
        while ((s[k] & 0xC0) == 0x80 && end - k < 4)
            k--;
        uint32_t cp;
        if (stance_utf8_decode(s + k, end - k, &cp) != end - k || !is_format(cp))
            break;
        end = k;
    }
    return end;
}

void stance_tokens_init(stance_tokens *toks)
{
    toks->items = NULL;
    toks->count = toks->cap = 0;
    toks->chars = NULL;
    toks->chars_len = toks->chars_cap = 0;
}

void stance_tokens_clear(stance_tokens *toks)
{
    free(toks->items);
    free(toks->chars);
    stance_tokens_init(toks);
}

const char *stance_tokens_get_text(const stance_tokens *toks, size_t i)
{
    return toks->chars + toks->items[i].text;
}

/* The token being built: the state the joining rules need. */
typedef struct {
    size_t letters;     /* letters in the current run */
    int only_letters;   /* no digit, mark or joiner so far (rule 5) */
    int single_letters; /* every run so far is one letter, joined by '.' (rule 6) */
    char_class last;    /* class of the last character taken into the token */
    int format;         /* a format character was stepped over (rule 8) */
} building;

/* Eight bytes at a time where the byte order allows (SWAR): ASCII letters and digits, which
 * make up most of news text, are found, counted and lower-cased without a branch per byte.
 * Each mask has the high bit of a byte set where that byte qualifies. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR 1
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

static inline uint64_t load8(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Bytes of v that are ASCII letters (*letters) and ASCII letters or digits (returned). */
static inline uint64_t word_bytes(uint64_t v, uint64_t *letters)
{
    uint64_t x = v & ~HIGHS; /* seven bits per byte: the sums below never carry */
    uint64_t lower = x | (ONES * 0x20);
    uint64_t letter = (lower + ONES * (0x80 - 'a')) & ~(lower + ONES * (0x80 - 'z' - 1));
    uint64_t digit = (x + ONES * (0x80 - '0')) & ~(x + ONES * (0x80 - '9' - 1));
    *letters = letter & ~v & HIGHS;
    return (letter | digit) & ~v & HIGHS;
}

/* Number of bytes before the first one marked in mask (8 if none). */
static inline size_t bytes_before(uint64_t mask)
{
    return mask ? (size_t)__builtin_ctzll(mask) >> 3 : 8;
}
#else
#define SWAR 0
#endif

/* Takes the run of word characters starting at i into out[*o...], lower-cased. Returns the
 * offset just past the run and leaves in *stop the character there, which ended it. */
static inline size_t take_run(const unsigned char *s, size_t n, size_t i, char *out, size_t *o,
                              building *b, scanned *stop)
{
    size_t k = *o, letters = 0;
    int only_letters = b->only_letters;
    char_class last = b->last;
    for (;;) {
#if SWAR
        if (n - i >= 8) {
            uint64_t v = load8(s + i), letter;
            uint64_t word = word_bytes(v, &letter);
            size_t m = bytes_before(~word & HIGHS);
            if (m > 0) {
                uint64_t low = v | (letter >> 2); /* 0x80 >> 2 is the case bit 0x20 */
                memcpy(out + k, &low, sizeof low); /* out has 8 bytes of slack */
                uint64_t taken = m == 8 ? ~0ULL : (1ULL << (8 * m)) - 1;
                letters += (size_t)((((letter & taken) >> 7) * ONES) >> 56);
                if ((word & ~letter & taken) != 0)
                    only_letters = 0; /* a digit */
                last = (letter >> (8 * m - 1)) & 1 ? C_LETTER : C_DIGIT;
                k += m;
                i += m;
                if (m == 8)
                    continue;
            }
        }
#endif
        if (i < n && s[i] < 0x80) {
            unsigned char ch = s[i];
            char_class cls = (char_class)ascii_class[ch];
            if (cls == C_LETTER) {
                letters++;
                out[k++] = (char)(ch | 0x20); /* A-Z to a-z; a-z unchanged */
            } else if (cls == C_DIGIT) {
                only_letters = 0;
                out[k++] = (char)ch;
            } else {
                stop->cls = cls;
                stop->cp = ch;
                stop->len = 1;
                break;
            }
            last = cls;
            i++;
            continue;
        }
        scan_slow(s, n, i, stop);
        if (stop->cls == C_FORMAT) { /* inside the word: dropped (rule 8) */
            b->format = 1;
            i += stop->len;
            continue;
        }
        if (!is_word_char(stop->cls))
            break;
        if (stop->cls == C_LETTER)
            letters++;
        else
            only_letters = 0;
        k += stance_utf8_encode(stance_utf8_lower(stop->cp), (unsigned char *)out + k);
        last = stop->cls;
        i += stop->len;
    }
    b->letters = letters;
    b->only_letters = only_letters;
    b->last = last;
    *o = k;
    return i;
}

/* Decides whether the joiner c at i continues the token (rules 3-6), writing it to out[*o] if
 * so. Returns the offset of the next run to take, 0 to end the token at i, or sets *skip to
 * the end of a dropped "'s". Format characters after the joiner are looked past (rule 8). */
static inline size_t joiner(const unsigned char *s, size_t n, size_t i, const scanned *c,
                            char *out, size_t *o, building *b, size_t *skip)
{
    if (c->cls == C_SEP)
        return 0;
    size_t j = i + c->len;
    scanned next;
    scan_visible(s, n, &j, &next);
    switch (c->cls) {
    case C_APOS:
        if (next.cls != C_LETTER)
            return 0;
        if ((next.cp == 's' || next.cp == 'S') && !word_char_at(s, n, j + 1)) {
            *skip = j + 1;
            return 0;
        }
        out[(*o)++] = '\'';
        b->only_letters = b->single_letters = 0;
        return j;
    case C_DOT:
        if (b->single_letters && b->letters == 1 && next.cls == C_LETTER &&
            !word_char_at(s, n, j + next.len)) {
            out[(*o)++] = '.';
            b->only_letters = 0;
            return j;
        }
        /* fall through - a decimal point */
    case C_COMMA:
        if (b->last == C_DIGIT && next.cls == C_DIGIT) {
            out[(*o)++] = (char)c->cp;
            b->single_letters = 0;
            return j;
        }
        return 0;
    case C_HYPHEN:
        if (b->only_letters && b->letters <= 4 && next.cls == C_DIGIT) {
            out[(*o)++] = '-';
            b->only_letters = b->single_letters = 0;
            return j;
        }
        return 0;
    default:
        return 0;
    }
}

stance_status stance_tokenize_run(const char *text, size_t len, size_t base, stance_tokens *toks,
                                  stance_error *err)
{
    const unsigned char *s = (const unsigned char *)text;
    toks->count = 0;
    toks->chars_len = 0;
    /* Lower-casing never lengthens a character, so a token's text fits in its source bytes
     * plus a NUL; reserving that once keeps the per-character path free of checks. */
    if (len > (SIZE_MAX - 9) / 2)
        return stance_fail_nomem(err, NULL);
    char *out = stance_grow(toks->chars, &toks->chars_cap, 0, 2 * len + 9, 1); /* 8: SWAR slack */
    if (!out)
        return stance_fail_nomem(err, NULL);
    toks->chars = out;
    size_t o = 0, i = 0;
    while (i < len) {
#if SWAR
        if (len - i >= 8) {
            /* skip ASCII separators up to a letter, a digit or a non-ASCII byte */
            uint64_t v = load8(s + i), letter;
            uint64_t stop = word_bytes(v, &letter) | (v & HIGHS);
            i += bytes_before(stop);
            if (!stop)
                continue;
        }
#endif
        if (s[i] < 0x80) {
            if (!is_word_char((char_class)ascii_class[s[i]])) {
                i++;
                continue;
            }
        } else {
            scanned c;
            scan_slow(s, len, i, &c);
            if (!is_word_char(c.cls)) {
                i += c.len;
                continue;
            }
        }
        building b = {0, 1, 1, C_SEP, 0};
        size_t start = i, text_at = o, skip = 0;
        scanned stop;
        for (;;) {
            i = take_run(s, len, i, out, &o, &b, &stop);
            if (b.letters != 1 || b.last != C_LETTER)
                b.single_letters = 0;
            size_t next = joiner(s, len, i, &stop, out, &o, &b, &skip);
            if (next == 0)
                break;
            i = next;
        }
        size_t end = b.format ? before_format(s, i) : i;
        stance_token t = {text_at, o - text_at, base + start, base + end};
        out[o++] = '\0';
        stance_token *items = stance_grow(toks->items, &toks->cap, toks->count, 1, sizeof *items);
        if (!items) {
            toks->chars_len = o;
            return stance_fail_nomem(err, NULL);
        }
        toks->items = items;
        toks->items[toks->count++] = t;
        /* The character at i ended the token and is not part of a word: step over it. */
        i = skip ? skip : i + stop.len;
    }
    toks->chars_len = o;
    return STANCE_OK;
}
