/* fuzz_report.c: tagged records as stance-report reads them (report.h), with an article and
 * gold labels, written as a page.
 * Input: a JSON Lines file of tagged records, then optionally a form feed and the bytes of an
 * article named "a" (records of doc "a" take their text from it, and spans mark it). When the
 * first byte is odd the same records are also the gold labels. The page must be written whole,
 * with one card per record and no markup from the input. */
#include <jansson.h>

#include "fuzz_common.h"
#include "stance/article.h"
#include "stance/jsonl.h"
#include "../../pipeline/report_int.h"

/* Feeds every line of the n bytes at data to r, as tagged or gold records. */
static stance_status feed(stance_report *r, const char *data, size_t n, int gold,
                          stance_error *err)
{
    FILE *f = fmemopen((void *)(n ? data : "\n"), n ? n : 1, "rb");
    FUZZ_SETUP(f != NULL);
    stance_jsonl_reader *reader = NULL;
    FUZZ_CHECK(stance_jsonl_reader_new(f, "fuzz", &reader, err) == STANCE_OK);
    json_t *rec = NULL;
    stance_status st;
    while ((st = stance_jsonl_read(reader, &rec, err)) == STANCE_OK && rec) {
        long line = stance_jsonl_get_line(reader);
        st = gold ? stance_report_add_gold(r, rec, "gold", line, err)
                  : stance_report_add_tagged(r, rec, "fuzz", line, err);
        json_decref(rec);
        if (st != STANCE_OK)
            break;
    }
    stance_jsonl_reader_free(reader);
    fclose(f);
    return st;
}

/* Occurrences of needle in the n bytes at hay. */
static size_t count(const char *hay, size_t n, const char *needle)
{
    size_t k = 0, len = strlen(needle);
    for (size_t i = 0; i + len <= n; i++)
        k += memcmp(hay + i, needle, len) == 0;
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *ff = memchr(text, '\f', size);
    size_t records = ff ? (size_t)(ff - text) : size;
    stance_error err;
    stance_report *r = NULL;
    FUZZ_SETUP(stance_report_new("fuzz", &r, &err) == STANCE_OK);
    stance_status st = feed(r, text, records, 0, &err);
    if (st == STANCE_OK && ff) {
        stance_article *art = NULL;
        st = stance_article_from_bytes(ff + 1, size - records - 1, "a.txt", 0, STANCE_ENC_UTF8,
                                       &art, &err);
        if (st == STANCE_OK)
            st = stance_report_add_article(r, art, "a", "a.txt", &err);
        stance_article_free(art);
    }
    if (st == STANCE_OK && size > 0 && (data[0] & 1))
        st = feed(r, text, records, 1, &err);
    if (st == STANCE_OK)
        st = stance_report_finish(r, &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
    if (st != STANCE_OK) {
        FUZZ_CHECK(err.message[0] != '\0');
        stance_report_free(r);
        return 0;
    }
    char *page = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&page, &len);
    FUZZ_SETUP(f != NULL);
    FUZZ_CHECK(stance_report_write(r, f, "page", &err) == STANCE_OK);
    FUZZ_SETUP(fclose(f) == 0);
    FUZZ_CHECK(count(page, len, "<div class=\"card\"") == stance_report_get_record_count(r));
    FUZZ_CHECK(count(page, len, "<details class=\"art\"") == stance_report_get_article_count(r));
    FUZZ_CHECK(count(page, len, "<script") == 0 && count(page, len, "<img") == 0);
    FUZZ_CHECK(count(page, len, "</body></html>\n") == 1);
    free(page);
    stance_report_free(r);
    return 0;
}
