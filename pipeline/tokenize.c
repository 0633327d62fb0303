/* tokenize.c: the scanner behind stance_tokenize; the rules are listed in tokenize.h. */
#include "stance/tokenize.h"

#include <stdint.h>
#include <stdlib.h>

#include "error_int.h"
#include "stance/utf8.h"

typedef enum { C_SEP, C_LETTER, C_DIGIT, C_MARK, C_APOS, C_HYPHEN, C_DOT, C_COMMA } char_class;

static char_class classify_ascii(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return C_LETTER;
    if (c >= '0' && c <= '9')
        return C_DIGIT;
    switch (c) {
    case '\'': return C_APOS;
    case '-': return C_HYPHEN;
    case '.': return C_DOT;
    case ',': return C_COMMA;
    default: return C_SEP;
    }
}

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

static char_class classify_cp(uint32_t cp)
{
    if (cp < 0x80)
        return classify_ascii((unsigned char)cp);
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

static scanned scan_at(const unsigned char *s, size_t n, size_t i)
{
    scanned c = {C_SEP, 0, 1};
    if (i >= n)
        return c;
    if (s[i] < 0x80) {
        c.cls = classify_ascii(s[i]);
        c.cp = s[i];
        return c;
    }
    size_t len = stance_utf8_decode(s + i, n - i, &c.cp);
    if (len == 0)
        return c; /* malformed byte: a one-byte separator */
    c.len = len;
    c.cls = classify_cp(c.cp);
    return c;
}

static int is_word_char(char_class cls)
{
    return cls == C_LETTER || cls == C_DIGIT || cls == C_MARK;
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

const char *stance_tokens_text(const stance_tokens *toks, size_t i)
{
    return toks->chars + toks->items[i].text;
}

static int reserve_chars(stance_tokens *toks, size_t need)
{
    if (need <= toks->chars_cap)
        return 1;
    char *p = realloc(toks->chars, need);
    if (!p)
        return 0;
    toks->chars = p;
    toks->chars_cap = need;
    return 1;
}

static int push_item(stance_tokens *toks, stance_token t)
{
    if (toks->count == toks->cap) {
        size_t cap = toks->cap ? toks->cap * 2 : 256;
        stance_token *p = realloc(toks->items, cap * sizeof *p);
        if (!p)
            return 0;
        toks->items = p;
        toks->cap = cap;
    }
    toks->items[toks->count++] = t;
    return 1;
}

/* The token being built: where its text starts in chars, and the state the joining rules need. */
typedef struct {
    size_t text;
    size_t letters;       /* letters in the current run */
    int only_letters;     /* no digit, mark or joiner so far (rule 5) */
    int single_letters;   /* every run so far is one letter, joined by '.' (rule 6) */
    char_class last;      /* class of the last character taken into the token */
} building;

static void put_lower(stance_tokens *toks, uint32_t cp)
{
    unsigned char *out = (unsigned char *)toks->chars + toks->chars_len;
    toks->chars_len += stance_utf8_encode(stance_utf8_lower(cp), out);
}

static void put_byte(stance_tokens *toks, char c)
{
    toks->chars[toks->chars_len++] = c;
}

/* Takes a run of word characters starting at i; returns the offset just past it. */
static size_t take_run(const unsigned char *s, size_t n, size_t i, stance_tokens *toks,
                       building *b)
{
    b->letters = 0;
    for (;;) {
        scanned c = scan_at(s, n, i);
        if (!is_word_char(c.cls))
            return i;
        if (c.cls == C_LETTER)
            b->letters++;
        else
            b->only_letters = 0;
        if (c.cp < 0x80)
            put_byte(toks, (char)((c.cp >= 'A' && c.cp <= 'Z') ? c.cp + 32 : c.cp));
        else
            put_lower(toks, c.cp);
        b->last = c.cls;
        i += c.len;
    }
}

/* Decides whether the joiner at i continues the token (rules 3-6). Returns the offset of the
 * next run to take, 0 to end the token at i, or sets *skip to the end of a dropped "'s". */
static size_t joiner(const unsigned char *s, size_t n, size_t i, stance_tokens *toks,
                     building *b, size_t *skip)
{
    scanned c = scan_at(s, n, i);
    size_t j = i + c.len;
    scanned next = scan_at(s, n, j);
    switch (c.cls) {
    case C_APOS:
        if (next.cls != C_LETTER)
            return 0;
        if ((next.cp == 's' || next.cp == 'S') && !is_word_char(scan_at(s, n, j + 1).cls)) {
            *skip = j + 1;
            return 0;
        }
        put_byte(toks, '\'');
        b->only_letters = b->single_letters = 0;
        return j;
    case C_DOT:
        if (b->single_letters && b->letters == 1 && next.cls == C_LETTER &&
            !is_word_char(scan_at(s, n, j + next.len).cls)) {
            put_byte(toks, '.');
            b->only_letters = 0;
            return j;
        }
        /* fall through - a decimal point */
    case C_COMMA:
        if (b->last == C_DIGIT && next.cls == C_DIGIT) {
            put_byte(toks, (char)c.cp);
            b->single_letters = 0;
            return j;
        }
        return 0;
    case C_HYPHEN:
        if (b->only_letters && b->letters <= 4 && next.cls == C_DIGIT) {
            put_byte(toks, '-');
            b->only_letters = b->single_letters = 0;
            return j;
        }
        return 0;
    default:
        return 0;
    }
}

stance_status stance_tokenize(const char *text, size_t len, size_t base, stance_tokens *toks,
                              stance_error *err)
{
    const unsigned char *s = (const unsigned char *)text;
    toks->count = 0;
    toks->chars_len = 0;
    /* Lower-casing never lengthens a character, so a token's text fits in its source bytes
     * plus a NUL; reserving that once keeps the per-character path free of checks. */
    if (len > (SIZE_MAX - 1) / 2 || !reserve_chars(toks, 2 * len + 1))
        return stance_fail_nomem(err, "tokenize");
    size_t i = 0;
    while (i < len) {
        scanned c = scan_at(s, len, i);
        if (!is_word_char(c.cls)) {
            i += c.len;
            continue;
        }
        building b = {toks->chars_len, 0, 1, 1, C_SEP};
        size_t start = i, end, skip = 0;
        for (;;) {
            i = take_run(s, len, i, toks, &b);
            if (b.letters != 1 || b.last != C_LETTER)
                b.single_letters = 0;
            size_t next = joiner(s, len, i, toks, &b, &skip);
            if (next == 0)
                break;
            i = next;
        }
        end = i;
        stance_token t = {b.text, toks->chars_len - b.text, base + start, base + end};
        put_byte(toks, '\0');
        if (!push_item(toks, t))
            return stance_fail_nomem(err, "tokenize");
        if (skip)
            i = skip;
    }
    return STANCE_OK;
}
