/* fuzz_article.c: plain-text articles (article.h) and the tokenizer (tokenize.h).
 * Input: one byte choosing the encoding (value % 3: UTF-8, Latin-1, Windows-1252), then the
 * article's bytes. Checks that passages and tokens stay inside the text, that offsets map
 * back inside the input, and that the tokenizer copes with bytes that are not UTF-8. */
#include <jansson.h>

#include "../../pipeline/record_int.h"
#include "../../pipeline/utf8_int.h"
#include "fuzz_common.h"
#include "stance/article.h"
#include "stance/record.h"
#include "stance/tokenize.h"

static void check_tokens(const stance_tokens *toks, size_t base, size_t len)
{
    size_t prev_end = base;
    for (size_t i = 0; i < toks->count; i++) {
        const stance_token *t = &toks->items[i];
        FUZZ_CHECK(t->start >= prev_end && t->start < t->end && t->end <= base + len);
        FUZZ_CHECK(t->len > 0 && t->text + t->len < toks->chars_len);
        const char *s = stance_tokens_get_text(toks, i);
        FUZZ_CHECK(s[t->len] == '\0' && strlen(s) == t->len);
        prev_end = t->end;
    }
}

static void check_article(const stance_article *art, size_t input_len)
{
    size_t len;
    const char *text = stance_article_get_text(art, &len);
    FUZZ_CHECK(text[len] == '\0' && stance_utf8_check((const unsigned char *)text, len) == len);
    size_t n = stance_article_get_passage_count(art), prev_end = 0;
    stance_tokens toks;
    stance_tokens_init(&toks);
    for (size_t i = 0; i < n; i++) {
        const stance_passage *p = stance_article_get_passage(art, i);
        FUZZ_CHECK(p->number == i + 1);
        FUZZ_CHECK(p->start >= prev_end && p->start < p->end && p->end <= len);
        FUZZ_CHECK(p->kind == STANCE_KIND_BODY || p->kind == STANCE_KIND_HEADLINE ||
                   p->kind == STANCE_KIND_META);
        size_t s = stance_article_get_source_offset(art, p->start);
        size_t e = stance_article_get_source_offset(art, p->end);
        FUZZ_CHECK(s < e && e <= input_len);
        stance_error err;
        stance_status st = stance_tokenize_run(text + p->start, p->end - p->start, p->start, &toks, &err);
        FUZZ_CHECK(st == STANCE_OK);
        check_tokens(&toks, p->start, p->end - p->start);
        prev_end = p->end;
    }
    stance_tokens_clear(&toks);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const stance_encoding encs[] = {STANCE_ENC_UTF8, STANCE_ENC_LATIN1, STANCE_ENC_CP1252};
    stance_encoding enc = encs[data[0] % 3];
    const char *bytes = (const char *)data + 1;
    size_t len = size - 1;

    /* The stream reader, as stance-tokenize uses it (fmemopen wants at least one byte). */
    stance_error err;
    stance_article *art = NULL;
    stance_status st;
    FILE *f = fmemopen((void *)(len ? bytes : "\n"), len ? len : 1, "rb");
    FUZZ_SETUP(f != NULL);
    st = stance_article_read(f, "fuzz", enc, 0, &art, &err);
    fclose(f);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
    FUZZ_CHECK((st == STANCE_OK) == (art != NULL));
    if (st == STANCE_ERR_DATA)
        FUZZ_CHECK(err.message[0] != '\0');
    if (art) {
        check_article(art, len ? len : 1);
        stance_tokens toks;
        stance_tokens_init(&toks);
        json_t *records = NULL;
        st = stance_record_from_article(art, "fuzz", NULL, 1, &toks, &records, &err);
        FUZZ_CHECK(st == STANCE_OK);
        FUZZ_CHECK(json_array_size(records) == stance_article_get_passage_count(art));
        json_decref(records);
        stance_tokens_clear(&toks);
        stance_article_free(art);
    }

    /* The in-memory constructor must agree with the reader. */
    st = stance_article_from_bytes(bytes, len, "fuzz", 1, enc, &art, &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
    if (art)
        check_article(art, len);
    stance_article_free(art);

    /* The tokenizer on raw bytes: malformed UTF-8 only separates tokens. */
    stance_tokens toks;
    stance_tokens_init(&toks);
    st = stance_tokenize_run(bytes, len, 7, &toks, &err);
    FUZZ_CHECK(st == STANCE_OK);
    check_tokens(&toks, 7, len);
    stance_tokens_clear(&toks);
    return 0;
}
