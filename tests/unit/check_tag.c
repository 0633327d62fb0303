/* check_tag.c: records built by the tagger, per passage and per article, with and without
 * text, with JSON Lines extra fields; labels agree with the model's own prediction; every
 * value's score, moved thresholds and table rows. The model
 * is trained once for the test case from data/train-small.jsonl. With a lexicon of the parties
 * (the shipped model, and one trained here with data/actors.txt), the word-by-word path gives
 * the records and feature vectors of the analyzer's path (case "paths"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../pipeline/analyze_int.h"
#include "../../pipeline/model_int.h"
#include "../../pipeline/record_int.h"
#include "../../pipeline/tag_int.h"
#include "stance/record.h"
#include "stance/tag.h"
#include "stance/threshold.h"
#include "stance/train.h"
#include "suites.h"

static stance_codebook *cb;
static stance_model *model;

static void setup(void)
{
    stance_error err;
    stance_engine_silence();
    ck_assert_int_eq(stance_codebook_load("data/codebook-project.json", &cb, &err), STANCE_OK);
    stance_train_options opt;
    stance_train_options_default(&opt);
    opt.folds = 3;
    stance_status st = stance_train_run(cb, "data/train-small.jsonl", &opt, &model, &err);
    ck_assert_msg(st == STANCE_OK, "training: %s", err.message);
}

static void teardown(void)
{
    stance_model_free(model);
    stance_codebook_free(cb);
    model = NULL;
    cb = NULL;
}

/* Passages: 1 headline [0, 29), 2 meta [31, 81), 3 body [83, 154), 4 body [156, 216). */
static const char article_text[] =
    "RUSSIA AND NATO RESUME TALKS.\n"
    "\n"
    "Publication: Unit Test Bulletin Volume: 1 Issue: 3\n"
    "\n"
    "Moscow warned that scrapping the ABM treaty would unravel arms control.\n"
    "\n"
    "The Kosovo peacekeepers reported calm in the Russian sector.\n";

static const struct {
    size_t start, end;
    const char *kind;
} passages[] = {
    {0, 29, "headline"},
    {31, 81, "meta"},
    {83, 154, "body"},
    {156, 216, "body"},
};

static stance_article *make_article(const char *text, size_t len)
{
    stance_article *art;
    stance_error err;
    ck_assert_int_eq(stance_article_from_bytes(text, len, "unit", 1, STANCE_ENC_UTF8, &art, &err), STANCE_OK);
    return art;
}

static json_t *tag(const stance_tag_options *opt, const char *text, size_t len, const json_t *extra)
{
    stance_tagger *tg;
    stance_error err;
    ck_assert_int_eq(stance_tagger_new(model, opt, &tg, &err), STANCE_OK);
    stance_article *art = make_article(text, len);
    json_t *records = NULL;
    stance_status st = stance_tagger_article(tg, art, "doc1", extra, &records, &err);
    ck_assert_msg(st == STANCE_OK, "%s", err.message);
    ck_assert(json_is_array(records));
    stance_article_free(art);
    stance_tagger_free(tg);
    return records;
}

/* 1 if rec has exactly the keys of the NULL-terminated list. */
static int has_keys(const json_t *rec, const char *const *keys)
{
    size_t n = 0;
    for (; keys[n]; n++)
        if (!json_object_get(rec, keys[n]))
            return 0;
    return json_object_size(rec) == n;
}

/* The labels the model gives text directly, as fields of a new object. */
static json_t *direct_labels(const char *text, size_t len)
{
    stance_error err;
    stance_analyzer *an;
    ck_assert_int_eq(stance_model_analyzer_new(model, &an, &err), STANCE_OK);
    const char *const *stems;
    const size_t *lens;
    size_t n;
    ck_assert_int_eq(stance_analyzer_run(an, text, len, &stems, &lens, &n, &err), STANCE_OK);
    stance_vector v;
    stance_vector_init(&v);
    ck_assert_int_eq(stance_vocab_vectorize(stance_model_vocab(model), stems, lens, n, NULL, 0, &v, &err), STANCE_OK);
    double probs[8];
    signed char present[8];
    ck_assert_uint_le(stance_codebook_get_value_count(cb), 8);
    stance_model_predict(model, &v, probs, present);
    json_t *rec = json_object();
    ck_assert_int_eq(stance_model_set_labels(model, probs, present, rec, &err), STANCE_OK);
    stance_vector_clear(&v);
    stance_analyzer_free(an);
    return rec;
}

/* The label fields of rec are well formed and equal the model's direct prediction for text. */
static void check_labels(const json_t *rec, const char *text, size_t len)
{
    const json_t *topics = json_object_get(rec, "topics"), *tone = json_object_get(rec, "tone");
    ck_assert(json_is_array(topics));
    double last = 2;
    size_t i;
    const json_t *item;
    json_array_foreach(topics, i, item) {
        double score = json_number_value(json_object_get(item, "score"));
        ck_assert(json_is_string(json_object_get(item, "label")));
        ck_assert_double_ge(score, 0.5);
        ck_assert_double_le(score, last);
        last = score;
    }
    ck_assert(json_is_object(tone));
    const char *t = json_string_value(json_object_get(tone, "label"));
    ck_assert(strcmp(t, "conciliatory") == 0 || strcmp(t, "confrontational") == 0);
    json_t *want = direct_labels(text, len);
    ck_assert(json_equal(json_object_get(want, "topics"), topics));
    ck_assert(json_equal(json_object_get(want, "tone"), tone));
    json_decref(want);
}

static const char *const body_keys[] = {"doc", "passage", "start", "end", "kind", "text", "topics", "tone", NULL};
static const char *const meta_keys[] = {"doc", "passage", "start", "end", "kind", "text", NULL};
static const char *const body_keys_nt[] = {"doc", "passage", "start", "end", "kind", "topics", "tone", NULL};
static const char *const meta_keys_nt[] = {"doc", "passage", "start", "end", "kind", NULL};

/* Passage records with (0) and without (1) text. */
START_TEST(test_passage_records)
{
    stance_tag_options opt = {.no_text = _i, .article_unit = 0};
    json_t *records = tag(&opt, article_text, strlen(article_text), NULL);
    ck_assert_uint_eq(json_array_size(records), 4);
    for (size_t i = 0; i < 4; i++) {
        const json_t *rec = json_array_get(records, i);
        int meta = strcmp(passages[i].kind, "meta") == 0;
        ck_assert(has_keys(rec, meta ? (_i ? meta_keys_nt : meta_keys) : (_i ? body_keys_nt : body_keys)));
        ck_assert_str_eq(json_string_value(json_object_get(rec, "doc")), "doc1");
        ck_assert_int_eq(json_integer_value(json_object_get(rec, "passage")), (json_int_t)i + 1);
        ck_assert_int_eq(json_integer_value(json_object_get(rec, "start")), (json_int_t)passages[i].start);
        ck_assert_int_eq(json_integer_value(json_object_get(rec, "end")), (json_int_t)passages[i].end);
        ck_assert_str_eq(json_string_value(json_object_get(rec, "kind")), passages[i].kind);
        const char *text = article_text + passages[i].start;
        size_t len = passages[i].end - passages[i].start;
        if (!_i) {
            ck_assert_uint_eq(json_string_length(json_object_get(rec, "text")), len);
            ck_assert_int_eq(memcmp(json_string_value(json_object_get(rec, "text")), text, len), 0);
        }
        if (!meta)
            check_labels(rec, text, len);
    }
    /* the two body passages get their topics */
    const json_t *abm = json_array_get(json_object_get(json_array_get(records, 2), "topics"), 0);
    const json_t *kosovo = json_array_get(json_object_get(json_array_get(records, 3), "topics"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(abm, "label")), "abm");
    ck_assert_str_eq(json_string_value(json_object_get(kosovo, "label")), "kosovo");
    json_decref(records);
}
END_TEST

/* The article unit, with (0) and without (1) text: one record over the non-meta passages. */
static const char *const article_keys[] = {"doc", "start", "end", "kind", "passages", "text", "topics", "tone", NULL};
static const char *const article_keys_nt[] = {"doc", "start", "end", "kind", "passages", "topics", "tone", NULL};

START_TEST(test_article_unit)
{
    stance_tag_options opt = {.no_text = _i, .article_unit = 1};
    json_t *records = tag(&opt, article_text, strlen(article_text), NULL);
    ck_assert_uint_eq(json_array_size(records), 1);
    const json_t *rec = json_array_get(records, 0);
    ck_assert(has_keys(rec, _i ? article_keys_nt : article_keys));
    ck_assert_str_eq(json_string_value(json_object_get(rec, "kind")), "document");
    ck_assert_int_eq(json_integer_value(json_object_get(rec, "passages")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(rec, "start")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(rec, "end")), 216);
    /* The labels are those of the non-meta passages' text taken together. */
    const char *joined =
        "RUSSIA AND NATO RESUME TALKS.\n"
        "Moscow warned that scrapping the ABM treaty would unravel arms control.\n"
        "The Kosovo peacekeepers reported calm in the Russian sector.";
    check_labels(rec, joined, strlen(joined));
    /* "text" is the span start..end of the article, as in passage records (so it includes
     * the metadata line between the first and the last labeled passage). */
    if (!_i)
        ck_assert_str_eq(json_string_value(json_object_get(rec, "text")),
                         "RUSSIA AND NATO RESUME TALKS.\n\n"
                         "Publication: Unit Test Bulletin Volume: 1 Issue: 3\n\n"
                         "Moscow warned that scrapping the ABM treaty would unravel arms control.\n\n"
                         "The Kosovo peacekeepers reported calm in the Russian sector.");
    json_decref(records);
}
END_TEST

/* An article of one passage: the article unit gives that passage's labels. */
START_TEST(test_single_passage_article)
{
    const char *text = "Russian generals threatened to deploy new missiles if the missile defence went ahead.";
    stance_tag_options per_passage = {.no_text = 1, .article_unit = 0};
    stance_tag_options per_article = {.no_text = 1, .article_unit = 1};
    json_t *a = tag(&per_passage, text, strlen(text), NULL);
    json_t *b = tag(&per_article, text, strlen(text), NULL);
    const json_t *ra = json_array_get(a, 0), *rb = json_array_get(b, 0);
    ck_assert(json_equal(json_object_get(ra, "topics"), json_object_get(rb, "topics")));
    ck_assert(json_equal(json_object_get(ra, "tone"), json_object_get(rb, "tone")));
    ck_assert(json_equal(json_object_get(ra, "end"), json_object_get(rb, "end")));
    json_decref(a);
    json_decref(b);
}
END_TEST

/* Fields of a JSON Lines article follow, unless the record has them: "text" never, "id" on
 * every record, the others on the article's first record only. */
START_TEST(test_extra_fields)
{
    json_t *extra = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "id", "art-7", "text", "not this",
                              "source", "wire", "doc", "other", "kind", "x", "year", 2001);
    stance_tag_options opt = {.no_text = 0, .article_unit = _i};
    json_t *records = tag(&opt, article_text, strlen(article_text), extra);
    size_t i;
    const json_t *rec;
    json_array_foreach(records, i, rec) {
        if (i == 0) {
            ck_assert_str_eq(json_string_value(json_object_get(rec, "source")), "wire");
            ck_assert_int_eq(json_integer_value(json_object_get(rec, "year")), 2001);
        } else {
            ck_assert_ptr_null(json_object_get(rec, "source"));
            ck_assert_ptr_null(json_object_get(rec, "year"));
        }
        ck_assert_str_eq(json_string_value(json_object_get(rec, "doc")), "doc1");
        ck_assert_str_ne(json_string_value(json_object_get(rec, "kind")), "x");
        ck_assert_str_ne(json_string_value(json_object_get(rec, "text")), "not this");
        ck_assert_str_eq(json_string_value(json_object_get(rec, "id")), "art-7");
    }
    ck_assert_uint_eq(json_array_size(records), _i ? 1 : 4);
    ck_assert_str_eq(json_string_value(json_object_get(extra, "text")), "not this"); /* untouched */
    json_decref(records);
    json_decref(extra);
}
END_TEST

/* Offsets are in the input as read: a byte-order mark counts. */
START_TEST(test_offsets_count_bom)
{
    const char text[] = "\xEF\xBB\xBFNATO warned Moscow.\n\nMoscow replied.\n";
    stance_tag_options opt = {.no_text = 0, .article_unit = _i};
    json_t *records = tag(&opt, text, sizeof text - 1, NULL);
    const json_t *first = json_array_get(records, 0);
    ck_assert_int_eq(json_integer_value(json_object_get(first, "start")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(first, "end")), _i ? 39 : 22);
    if (!_i)
        ck_assert_str_eq(json_string_value(json_object_get(first, "text")), "NATO warned Moscow.");
    json_decref(records);
}
END_TEST

/* Articles with nothing to label: empty, or metadata only. The article record has no label
 * fields either, as a meta passage. */
static const char *const unlabeled_article_keys[] = {"doc", "start", "end", "kind", "passages", "text", NULL};
static const struct {
    const char *text;
    size_t passage_records; /* per passage */
} empty_cases[] = {
    {"", 0},
    {"\n\n  \n", 0},
    {"Publication: Unit Test Bulletin Volume: 1 Issue: 3\n", 1},
};

START_TEST(test_nothing_to_label)
{
    const char *text = empty_cases[_i].text;
    stance_tag_options per_passage = {.no_text = 0, .article_unit = 0};
    stance_tag_options per_article = {.no_text = 0, .article_unit = 1};
    json_t *records = tag(&per_passage, text, strlen(text), NULL);
    ck_assert_uint_eq(json_array_size(records), empty_cases[_i].passage_records);
    if (empty_cases[_i].passage_records) {
        const json_t *rec = json_array_get(records, 0);
        ck_assert(has_keys(rec, meta_keys));
    }
    json_decref(records);
    records = tag(&per_article, text, strlen(text), NULL);
    ck_assert_uint_eq(json_array_size(records), 1);
    const json_t *rec = json_array_get(records, 0);
    ck_assert(has_keys(rec, unlabeled_article_keys));
    ck_assert_int_eq(json_integer_value(json_object_get(rec, "passages")), 0);
    ck_assert_str_eq(json_string_value(json_object_get(rec, "text")), "");
    json_decref(records);
}
END_TEST

/* Copies the fields of a JSON Lines article (extra) into rec as record.h says records carry
 * them: not "text", nor a key rec has; all of them when all, else only "id". */
static void copy_extra(json_t *rec, const json_t *extra, int all)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)extra, key, value) {
        if (strcmp(key, "text") != 0 && (all || strcmp(key, "id") == 0) && !json_object_get(rec, key))
            ck_assert_int_eq(json_object_set(rec, key, value), 0);
    }
}

/* The records a tagger writes, built here the plain way with jansson (fields in order,
 * labels from the model's own prediction, extra fields copied by copy_extra) and dumped as
 * stance_jsonl_write dumps them. */
static char *records_by_jansson(const stance_tag_options *opt, const stance_article *art,
                                const char *doc, const json_t *extra)
{
    size_t n = stance_article_get_passage_count(art), len, used = 0, count = 0, first = 0, last = 0;
    const char *text = stance_article_get_text(art, &len);
    char *out = calloc(1, 1), *joined = calloc(len + 1, 1);
    ck_assert(out && joined);
    for (size_t i = 0; i < n || (opt->article_unit && i == n); i++) {
        const stance_passage *p = i < n ? stance_article_get_passage(art, i) : NULL;
        if (opt->article_unit && p) { /* gather the article's text first */
            if (p->kind != STANCE_KIND_META) {
                if (count++)
                    joined[used++] = '\n';
                else
                    first = p->start;
                last = p->end;
                memcpy(joined + used, text + p->start, p->end - p->start);
                used += p->end - p->start;
            }
            continue;
        }
        size_t start = p ? p->start : first, end = p ? p->end : last;
        json_t *rec = json_pack("{s:s}", "doc", doc);
        if (p)
            json_object_set_new(rec, "passage", json_integer((json_int_t)p->number));
        json_object_set_new(rec, "start", json_integer((json_int_t)stance_article_get_source_offset(art, start)));
        json_object_set_new(rec, "end", json_integer((json_int_t)stance_article_get_source_offset(art, end)));
        json_object_set_new(rec, "kind", json_string(p ? stance_kind_name(p->kind) : "document"));
        if (!opt->no_text)
            json_object_set_new(rec, "text", json_stringn(text + start, end - start));
        if (!p)
            json_object_set_new(rec, "passages", json_integer((json_int_t)count));
        if (p ? p->kind != STANCE_KIND_META : count > 0) {
            json_t *labels = p ? direct_labels(text + p->start, p->end - p->start) : direct_labels(joined, used);
            json_object_update(rec, labels);
            json_decref(labels);
        }
        if (extra)
            copy_extra(rec, extra, !p || i == 0);
        char *line = json_dumps(rec, JSON_COMPACT | JSON_REAL_PRECISION(15));
        out = realloc(out, strlen(out) + strlen(line) + 2);
        ck_assert_ptr_nonnull(out);
        strcat(strcat(out, line), "\n");
        free(line);
        json_decref(rec);
    }
    free(joined);
    return out;
}

/* Text that needs escaping (quotes, backslashes, tabs, CR, control characters, DEL, several
 * scripts), a document name that does too, and extra fields of every kind, some named like
 * the record's own fields: the tagger's text is jansson's, byte for byte. */
START_TEST(test_text_is_jansson)
{
    static const char text[] =
        "\"QUOTED\" HEADLINE \\ WITH / SLASH.\n\n"
        "Talks on Kosovo\tresumed; the \x01 envoy \x7f said \xC3\xA9t\xC3\xA9 \xD0\x9C\xD0\xBE\xD1\x81 "
        "\xE2\x82\xAC" "5 \xF0\x9F\x98\x80 and\r\nthe ABM treaty\f would hold.\n\n"
        "Publication: Unit Test Bulletin Volume: 1 Issue: 3\n\n"
        "NATO said the enlargement would go ahead.\n";
    json_error_t je;
    json_t *extra = json_loads("{\"id\":\"a\\\"1\",\"text\":\"no\",\"passage\":9,\"topics\":[\"x\"],"
                               "\"kind\":\"k\",\"note\":\"a\\u0001b\\\\\",\"num\":1.5,\"big\":1e300,"
                               "\"int\":-7,\"n\":{\"b\":[true,null],\"a\":0.1},\"k\\u00e9y\":null}", 0, &je);
    ck_assert_msg(extra != NULL, "%s", je.text);
    const char *docs[] = {"doc1", "d\"o\\c\t\xC3\xA9"};
    for (int unit = 0; unit < 2; unit++)
        for (int no_text = 0; no_text < 2; no_text++)
            for (int d = 0; d < 2; d++)
                for (int with_extra = 0; with_extra < 2; with_extra++) {
                    stance_tag_options opt = {.no_text = no_text, .article_unit = unit};
                    stance_tagger *tg;
                    stance_error err;
                    ck_assert_int_eq(stance_tagger_new(model, &opt, &tg, &err), STANCE_OK);
                    stance_article *art = make_article(text, sizeof text - 1);
                    const json_t *x = with_extra ? extra : NULL;
                    const char *got;
                    size_t len;
                    ck_assert_int_eq(stance_tagger_article_jsonl(tg, art, docs[d], x, &got, &len, &err), STANCE_OK);
                    char *want = records_by_jansson(&opt, art, docs[d], x);
                    ck_assert_uint_eq(len, strlen(want));
                    ck_assert_msg(memcmp(got, want, len) == 0, "unit %d no_text %d doc %d extra %d:\n%.*s\n%s",
                                  unit, no_text, d, with_extra, (int)len, got, want);
                    free(want);
                    stance_article_free(art);
                    stance_tagger_free(tg);
                }
    json_decref(extra);
}
END_TEST

/* A document name that is not UTF-8 cannot be a JSON string: the article fails with a data
 * error naming it, unless it has no records at all. */
START_TEST(test_doc_not_utf8)
{
    stance_tag_options opt = {.no_text = 1, .article_unit = _i};
    stance_tagger *tg;
    stance_error err;
    ck_assert_int_eq(stance_tagger_new(model, &opt, &tg, &err), STANCE_OK);
    stance_article *art = make_article(article_text, strlen(article_text));
    const char *got;
    size_t len;
    ck_assert_int_eq(stance_tagger_article_jsonl(tg, art, "b\xff", NULL, &got, &len, &err), STANCE_ERR_DATA);
    ck_assert_uint_eq(len, 0);
    ck_assert_str_eq(err.where, "b\xff");
    ck_assert_str_eq(err.message, "the document name is not valid UTF-8, so it cannot be a JSON string");
    stance_article_free(art);
    art = make_article("", 0);
    ck_assert_int_eq(stance_tagger_article_jsonl(tg, art, "b\xff", NULL, &got, &len, &err),
                     _i ? STANCE_ERR_DATA : STANCE_OK);
    stance_article_free(art);
    stance_tagger_free(tg);
}
END_TEST

/* One tagger over several articles, long then short: each result stands alone. */
START_TEST(test_tagger_reuse)
{
    stance_tag_options opt = {.no_text = 0, .article_unit = _i};
    stance_tagger *tg;
    stance_error err;
    ck_assert_int_eq(stance_tagger_new(model, &opt, &tg, &err), STANCE_OK);
    const char *texts[] = {article_text, "Short one.", article_text, ""};
    json_t *first = NULL;
    for (size_t k = 0; k < 4; k++) {
        stance_article *art = make_article(texts[k], strlen(texts[k]));
        json_t *records;
        ck_assert_int_eq(stance_tagger_article(tg, art, "doc1", NULL, &records, &err), STANCE_OK);
        json_t *fresh = tag(&opt, texts[k], strlen(texts[k]), NULL);
        ck_assert(json_equal(records, fresh));
        if (k == 0)
            first = json_incref(records);
        if (k == 2)
            ck_assert(json_equal(records, first));
        json_decref(fresh);
        json_decref(records);
        stance_article_free(art);
    }
    json_decref(first);
    stance_tagger_free(tg);
    stance_tagger_free(NULL);
}
END_TEST

/* What a sink was handed: the text, the number of calls, and a call to fail at (0: none). */
typedef struct {
    char *text;
    size_t len, calls, fail_at;
} sunk;

static stance_status sink(void *ctx, const char *text, size_t len, stance_error *err)
{
    sunk *k = ctx;
    ck_assert_uint_gt(len, 0);
    ck_assert_int_eq(text[len - 1], '\n'); /* whole records only */
    if (++k->calls == k->fail_at)
        return stance_error_set(err, STANCE_ERR_IO, "<sink>", 0, "full");
    k->text = realloc(k->text, k->len + len);
    ck_assert_ptr_nonnull(k->text);
    memcpy(k->text + k->len, text, len);
    k->len += len;
    return STANCE_OK;
}

/* Records handed to a sink as they are made: in pieces of whole records for a long article,
 * together the same bytes as stance_tagger_article_jsonl gives; a sink that fails stops the
 * article there, and the tagger goes on with the next. */
START_TEST(test_records_to_sink)
{
    size_t n = 3000, len = 0;
    char *text = malloc(n * 24);
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "Kosovo talk %zu.\n\n", i);
    stance_article *art = make_article(text, len);
    json_t *extra = json_pack("{s:s, s:s}", "id", "long", "note", "first record only");
    stance_tag_options opt = {.no_text = _i, .article_unit = 0};
    stance_tagger *tg;
    stance_error err;
    ck_assert_int_eq(stance_tagger_new(model, &opt, &tg, &err), STANCE_OK);
    const char *want;
    size_t want_len;
    ck_assert_int_eq(stance_tagger_article_jsonl(tg, art, "doc1", extra, &want, &want_len, &err), STANCE_OK);
    char *copy = malloc(want_len);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, want, want_len);
    sunk k = {NULL, 0, 0, 0};
    ck_assert_int_eq(stance_tagger_write(tg, art, "doc1", extra, sink, &k, &err), STANCE_OK);
    ck_assert_uint_gt(k.calls, 2);
    ck_assert_uint_eq(k.len, want_len);
    ck_assert_int_eq(memcmp(k.text, copy, want_len), 0);
    free(k.text);
    k = (sunk){NULL, 0, 0, 2};
    ck_assert_int_eq(stance_tagger_write(tg, art, "doc1", extra, sink, &k, &err), STANCE_ERR_IO);
    ck_assert_str_eq(err.message, "full");
    ck_assert_uint_eq(k.calls, 2);
    ck_assert_uint_lt(k.len, want_len);
    ck_assert_int_eq(memcmp(k.text, copy, k.len), 0);
    free(k.text);
    const char *again;
    size_t again_len;
    ck_assert_int_eq(stance_tagger_article_jsonl(tg, art, "doc1", extra, &again, &again_len, &err), STANCE_OK);
    ck_assert_uint_eq(again_len, want_len);
    ck_assert_int_eq(memcmp(again, copy, want_len), 0);
    free(copy);
    json_decref(extra);
    stance_tagger_free(tg);
    stance_article_free(art);
    free(text);
}
END_TEST

/* ---- every score, moved thresholds, tables ---- */

/* The records of article_text tagged with opt, thresholds given as specs (NULL-terminated). */
static json_t *tag_moved(stance_tag_options *opt, const char *const *specs)
{
    stance_thresholds *th;
    stance_error err;
    ck_assert_int_eq(stance_thresholds_new(stance_model_get_codebook(model), &th, &err), STANCE_OK);
    for (size_t i = 0; specs && specs[i]; i++)
        ck_assert_msg(stance_thresholds_set(th, specs[i], &err) == STANCE_OK, "%s", err.message);
    opt->thresholds = th;
    json_t *records = tag(opt, article_text, strlen(article_text), NULL);
    opt->thresholds = NULL;
    stance_thresholds_free(th);
    return records;
}

/* The score of value label in dimension dim in rec's "scores" (NULL when null or absent). */
static const json_t *score_of(const json_t *rec, const char *dim, const char *label)
{
    return json_object_get(json_object_get(json_object_get(rec, "scores"), dim), label);
}

/* 1 if rec's field for multi dimension dim gives label. */
static int has_topic(const json_t *rec, const char *label)
{
    size_t i;
    const json_t *item;
    json_array_foreach(json_object_get(rec, "topics"), i, item)
        if (strcmp(json_string_value(json_object_get(item, "label")), label) == 0)
            return 1;
    return 0;
}

/* --all-scores adds "scores" (every value, codebook order, null for the untrained arms_sales)
 * to labeled records only, and changes nothing else: the labels' scores are the ones listed. */
START_TEST(test_all_scores)
{
    stance_tag_options plain = {.no_text = 1}, all = {.no_text = 1, .all_scores = 1};
    json_t *want = tag(&plain, article_text, strlen(article_text), NULL);
    json_t *got = tag(&all, article_text, strlen(article_text), NULL);
    ck_assert_uint_eq(json_array_size(got), 4);
    static const char *const keys[] = {"doc", "passage", "start", "end", "kind", "topics", "tone", "scores", NULL};
    for (size_t i = 0; i < 4; i++) {
        json_t *rec = json_array_get(got, i);
        ck_assert(has_keys(rec, strcmp(passages[i].kind, "meta") == 0 ? meta_keys_nt : keys));
        json_t *scores = json_object_get(rec, "scores");
        if (scores) {
            ck_assert(json_is_object(scores));
            for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
                const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
                const json_t *ds = json_object_get(scores, dim->name);
                ck_assert_uint_eq(json_object_size(ds), dim->nvalues);
                const char *key;
                const json_t *value;
                size_t v = 0;
                json_object_foreach((json_t *)ds, key, value) {
                    ck_assert_str_eq(key, dim->labels[v++]); /* codebook order */
                    ck_assert(strcmp(key, "arms_sales") == 0 ? json_is_null(value) : json_is_real(value));
                }
            }
            size_t k;
            const json_t *item;
            json_array_foreach(json_object_get(rec, "topics"), k, item)
                ck_assert(json_equal(json_object_get(item, "score"),
                                     score_of(rec, "topics", json_string_value(json_object_get(item, "label")))));
            const json_t *tone = json_object_get(rec, "tone");
            ck_assert(json_equal(json_object_get(tone, "score"),
                                 score_of(rec, "tone", json_string_value(json_object_get(tone, "label")))));
            json_object_del(rec, "scores");
        }
    }
    ck_assert(json_equal(want, got));
    json_decref(want);
    json_decref(got);
}
END_TEST

/* A multi value is given from the threshold moved to its score (4 decimals) and up, not one
 * step above; scores stay the same. */
START_TEST(test_threshold_multi)
{
    stance_tag_options opt = {.no_text = 1, .all_scores = 1};
    json_t *base = tag(&opt, article_text, strlen(article_text), NULL);
    const char *const values[] = {"kosovo", "enlargement", "abm"};
    int moved_in = 0, moved_out = 0;
    for (size_t i = 0; i < 4; i++) {
        json_t *rec = json_array_get(base, i);
        for (size_t v = 0; rec && json_object_get(rec, "scores") && v < 3; v++) {
            double s = json_real_value(score_of(rec, "topics", values[v]));
            char at[64], above[64];
            snprintf(at, sizeof at, "%s=%.4f", values[v], s);
            snprintf(above, sizeof above, "topics.%s=%.4f", values[v], s + 0.0001);
            const char *const s_at[] = {at, NULL}, *const s_above[] = {above, NULL};
            json_t *with = tag_moved(&opt, s_at), *without = s + 0.0001 <= 1 ? tag_moved(&opt, s_above) : NULL;
            ck_assert_msg(has_topic(json_array_get(with, i), values[v]), "%s: passage %zu", at, i + 1);
            ck_assert(json_equal(json_object_get(json_array_get(with, i), "scores"), json_object_get(rec, "scores")));
            if (without) {
                ck_assert_msg(!has_topic(json_array_get(without, i), values[v]), "%s: passage %zu", above, i + 1);
                ck_assert(json_equal(json_object_get(json_array_get(without, i), "scores"), json_object_get(rec, "scores")));
            }
            moved_in += !has_topic(rec, values[v]);
            moved_out += has_topic(rec, values[v]) && without;
            json_decref(with);
            json_decref(without);
        }
    }
    ck_assert_int_gt(moved_in, 0); /* a value not given became given, */
    ck_assert_int_gt(moved_out, 0); /* and one given stopped being */
    /* an untrained value is never given, whatever its threshold */
    const char *const untrained[] = {"arms_sales=0", NULL};
    json_t *none = tag_moved(&opt, untrained);
    for (size_t i = 0; i < 4; i++)
        ck_assert(!has_topic(json_array_get(none, i), "arms_sales"));
    json_decref(none);
    json_decref(base);
}
END_TEST

/* A two-valued single dimension: conciliatory=P gives conciliatory when its score is at least P,
 * confrontational otherwise, even where confrontational is less probable; both moved, neither
 * reached: null. */
START_TEST(test_threshold_single)
{
    stance_tag_options opt = {.no_text = 1, .all_scores = 1};
    json_t *base = tag(&opt, article_text, strlen(article_text), NULL);
    for (size_t i = 0; i < 4; i++) {
        json_t *rec = json_array_get(base, i);
        if (!json_object_get(rec, "scores"))
            continue;
        double c = json_real_value(score_of(rec, "tone", "conciliatory"));
        double f = json_real_value(score_of(rec, "tone", "confrontational"));
        if (c >= 1 || f >= 1)
            continue; /* no threshold above */
        char at[64], above[64], both[2][64];
        snprintf(at, sizeof at, "conciliatory=%.4f", c);
        snprintf(above, sizeof above, "conciliatory=%.4f", c + 0.0001);
        snprintf(both[0], sizeof both[0], "conciliatory=%.4f", c + 0.0001);
        snprintf(both[1], sizeof both[1], "confrontational=%.4f", f + 0.0001);
        const char *const s_at[] = {at, NULL}, *const s_above[] = {above, NULL};
        const char *const s_both[] = {both[0], both[1], NULL};
        json_t *r_at = tag_moved(&opt, s_at), *r_above = tag_moved(&opt, s_above);
        json_t *r_both = tag_moved(&opt, s_both);
        const json_t *t_at = json_object_get(json_array_get(r_at, i), "tone");
        const json_t *t_above = json_object_get(json_array_get(r_above, i), "tone");
        ck_assert_str_eq(json_string_value(json_object_get(t_at, "label")), "conciliatory");
        ck_assert_str_eq(json_string_value(json_object_get(t_above, "label")), "confrontational");
        ck_assert(json_is_null(json_object_get(json_array_get(r_both, i), "tone")));
        ck_assert(json_equal(json_object_get(json_array_get(r_above, i), "scores"), json_object_get(rec, "scores")));
        json_decref(r_at);
        json_decref(r_above);
        json_decref(r_both);
    }
    json_decref(base);
}
END_TEST

/* Thresholds made for another codebook are refused. */
START_TEST(test_threshold_other_codebook)
{
    stance_codebook *other;
    stance_thresholds *th;
    stance_tagger *tg;
    stance_error err;
    ck_assert_int_eq(stance_codebook_load("data/codebook-project.json", &other, &err), STANCE_OK);
    ck_assert_int_eq(stance_thresholds_new(other, &th, &err), STANCE_OK);
    stance_tag_options opt = {.thresholds = th};
    ck_assert_int_eq(stance_tagger_new(model, &opt, &tg, &err), STANCE_ERR_USAGE);
    ck_assert_ptr_null(tg);
    stance_thresholds_free(th);
    stance_codebook_free(other);
}
END_TEST

/* Appends the JSON text of v (a number, or "" for null and absent) to a row being built. */
static void cell_of(char *row, size_t size, const json_t *v, char sep)
{
    size_t n = strlen(row);
    char *text = v && !json_is_null(v) ? json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15)) : NULL;
    snprintf(row + n, size - n, "%c%s", sep, text ? text : "");
    free(text);
}

/* A table (CSV 0, TSV 1) has the header's columns on every row, the records' labels and scores
 * (an untrained value's score empty), a meta passage with empty labels and scores. */
START_TEST(test_table)
{
    stance_tag_options json_opt = {.no_text = 1, .all_scores = 1};
    stance_tag_options opt = {.no_text = 1, .format = _i ? STANCE_TAG_TSV : STANCE_TAG_CSV};
    char sep = _i ? '\t' : ',';
    json_t *records = tag(&json_opt, article_text, strlen(article_text), NULL);
    char *header;
    size_t header_len;
    stance_error err;
    ck_assert_int_eq(stance_tag_get_header(model, &opt, &header, &header_len, &err), STANCE_OK);
    char want_header[256];
    snprintf(want_header, sizeof want_header, "doc,passage,start,end,kind,topics,tone,topics.kosovo,"
             "topics.enlargement,topics.abm,topics.arms_sales,tone.conciliatory,tone.confrontational\n");
    for (char *c = want_header; *c; c++)
        if (*c == ',')
            *c = sep;
    ck_assert_str_eq(header, want_header);
    ck_assert_uint_eq(header_len, strlen(want_header));
    free(header);
    stance_tagger *tg;
    ck_assert_int_eq(stance_tagger_new(model, &opt, &tg, &err), STANCE_OK);
    stance_article *art = make_article(article_text, strlen(article_text));
    const char *text;
    size_t len;
    ck_assert_int_eq(stance_tagger_article_jsonl(tg, art, "doc1", NULL, &text, &len, &err), STANCE_OK);
    char want[2048] = "";
    for (size_t i = 0; i < 4; i++) {
        const json_t *rec = json_array_get(records, i);
        size_t n = strlen(want);
        snprintf(want + n, sizeof want - n, "doc1%c%zu%c%zu%c%zu%c%s", sep, i + 1, sep, passages[i].start, sep,
                 passages[i].end, sep, passages[i].kind);
        n = strlen(want);
        const json_t *topics = json_object_get(rec, "topics");
        snprintf(want + n, sizeof want - n, "%c", sep);
        const char *const values[] = {"kosovo", "enlargement", "abm", "arms_sales"};
        for (size_t v = 0, k = 0; topics && v < 4; v++)
            if (has_topic(rec, values[v])) {
                n = strlen(want);
                snprintf(want + n, sizeof want - n, "%s%s", k++ ? ";" : "", values[v]);
            }
        n = strlen(want);
        const json_t *tone = json_object_get(rec, "tone");
        snprintf(want + n, sizeof want - n, "%c%s", sep, tone ? json_string_value(json_object_get(tone, "label")) : "");
        for (size_t v = 0; v < 4; v++)
            cell_of(want, sizeof want, score_of(rec, "topics", values[v]), sep);
        cell_of(want, sizeof want, score_of(rec, "tone", "conciliatory"), sep);
        cell_of(want, sizeof want, score_of(rec, "tone", "confrontational"), sep);
        n = strlen(want);
        snprintf(want + n, sizeof want - n, "\n");
    }
    ck_assert_uint_eq(len, strlen(want));
    ck_assert_int_eq(memcmp(text, want, len), 0);
    stance_article_free(art);
    stance_tagger_free(tg);
    json_decref(records);
}
END_TEST

/* The article unit's row: "passages" and the count, the text last when asked, quoted. */
START_TEST(test_table_article)
{
    stance_tag_options opt = {.article_unit = 1, .format = STANCE_TAG_CSV, .id_column = 1};
    char *header;
    size_t header_len;
    stance_error err;
    ck_assert_int_eq(stance_tag_get_header(model, &opt, &header, &header_len, &err), STANCE_OK);
    ck_assert_str_eq(header, "doc,id,passages,start,end,kind,topics,tone,topics.kosovo,topics.enlargement,"
                             "topics.abm,topics.arms_sales,tone.conciliatory,tone.confrontational,text\n");
    free(header);
    stance_tagger *tg;
    ck_assert_int_eq(stance_tagger_new(model, &opt, &tg, &err), STANCE_OK);
    static const char text[] = "Moscow said \"no\", again.\n\nKosovo, too.\n";
    stance_article *art = make_article(text, strlen(text));
    json_t *extra = json_pack("{s:i}", "id", 42);
    const char *out;
    size_t len;
    ck_assert_int_eq(stance_tagger_article_jsonl(tg, art, "42", extra, &out, &len, &err), STANCE_OK);
    ck_assert(len > 0 && out[len - 1] == '\n');
    const char *prefix = "42,42,2,0,38,document,";
    ck_assert_int_eq(strncmp(out, prefix, strlen(prefix)), 0);
    const char *suffix = ",\"Moscow said \"\"no\"\", again.\n\nKosovo, too.\"\n";
    ck_assert_uint_ge(len, strlen(suffix));
    ck_assert_int_eq(memcmp(out + len - strlen(suffix), suffix, strlen(suffix)), 0);
    json_decref(extra);
    stance_article_free(art);
    stance_tagger_free(tg);
}
END_TEST

/* ---- the article unit's roll-up ---- */

/* Tags article_text (with thresholds specs, may be NULL) per passage and rolled up, both with
 * every score; the per-passage records in *per, the roll-up record returned (one). */
static json_t *rollup_pair(double share, const char *const *specs, json_t **per)
{
    stance_tag_options one = {.no_text = 1, .all_scores = 1};
    stance_tag_options art = {.no_text = 1, .all_scores = 1, .article_unit = 1, .rollup = 1,
                              .article_share = share};
    *per = tag_moved(&one, specs);
    json_t *records = tag_moved(&art, specs);
    ck_assert_uint_eq(json_array_size(records), 1);
    return records;
}

/* How many of the labeled records carry label in dimension dim (a NULL label: have no value
 * in the single dimension dim); the number of labeled records in *n. */
static size_t carrying(const json_t *per, const char *dim, const char *label, size_t *n)
{
    size_t i, c = 0;
    const json_t *rec;
    *n = 0;
    json_array_foreach(per, i, rec) {
        const json_t *f = json_object_get(rec, dim);
        if (!f)
            continue; /* a meta passage */
        (*n)++;
        if (json_is_array(f))
            c += has_topic(rec, label);
        else if (!label)
            c += json_is_null(f);
        else
            c += json_is_object(f) && strcmp(json_string_value(json_object_get(f, "label")), label) == 0;
    }
    return c;
}

/* The mean score of label over the labeled records (a single dimension's: those with a value);
 * -1 when there are none. */
static double mean_score(const json_t *per, const stance_dimension *dim, const char *label)
{
    size_t i, n = 0;
    double sum = 0;
    const json_t *rec;
    json_array_foreach(per, i, rec) {
        const json_t *f = json_object_get(rec, dim->name);
        if (!f || json_is_null(f))
            continue;
        sum += json_number_value(score_of(rec, dim->name, label));
        n++;
    }
    return n ? sum / (double)n : -1;
}

/* The roll-up agrees with the per it was made from (tag.h): counts, shares, the rule for
 * multi values, mean scores, and the single dimension's value of highest mean. */
static void check_rollup(const json_t *per, const json_t *rec, double share)
{
    size_t n;
    carrying(per, "tone", NULL, &n);
    ck_assert_str_eq(json_string_value(json_object_get(rec, "kind")), "article");
    ck_assert_int_eq(json_integer_value(json_object_get(rec, "passages")), (json_int_t)n);
    const json_t *counts = json_object_get(rec, "counts"), *shares = json_object_get(rec, "shares");
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        const json_t *dc = json_object_get(counts, dim->name), *ds = json_object_get(shares, dim->name);
        int single = dim->kind == STANCE_DIM_SINGLE;
        ck_assert_uint_eq(json_object_size(dc), dim->nvalues + (size_t)single);
        const char *best = NULL;
        double best_mean = -1, second = -1;
        for (size_t v = 0; v <= dim->nvalues; v++) {
            if (v == dim->nvalues && !single)
                break;
            const char *label = v < dim->nvalues ? dim->labels[v] : NULL;
            size_t c = carrying(per, dim->name, label, &n);
            const char *key = label ? label : "(none)";
            ck_assert_int_eq(json_integer_value(json_object_get(dc, key)), (json_int_t)c);
            ck_assert_double_eq_tol(json_number_value(json_object_get(ds, key)), (double)c / (double)n, 0.00005);
            if (!label)
                break;
            double mean = mean_score(per, dim, label);
            const json_t *got = score_of(rec, dim->name, label);
            if (mean < 0) {
                ck_assert(json_is_null(got));
                continue;
            }
            ck_assert_double_eq_tol(json_number_value(got), mean, 0.00015);
            if (single) {
                if (mean > best_mean)
                    second = best_mean, best_mean = mean, best = label;
                else if (mean > second)
                    second = mean;
            } else {
                int want = share > 0 ? (double)c >= share * (double)n : c > 0;
                ck_assert_int_eq(has_topic(rec, label), want);
            }
        }
        if (!single)
            continue;
        const json_t *f = json_object_get(rec, dim->name);
        if (!best) {
            ck_assert(json_is_null(f));
        } else if (best_mean - second > 0.0003) { /* clear of the per' rounding */
            ck_assert_str_eq(json_string_value(json_object_get(f, "label")), best);
            ck_assert_double_eq_tol(json_number_value(json_object_get(f, "score")), best_mean, 0.00015);
        }
    }
}

/* The roll-up with the rule any (0) and with shares; its text is the labeled per only. */
static const double rollup_shares[] = {0, 0.3, 0.5, 2.0 / 3, 1};

START_TEST(test_rollup)
{
    json_t *per;
    json_t *records = rollup_pair(rollup_shares[_i], NULL, &per);
    check_rollup(per, json_array_get(records, 0), rollup_shares[_i]);
    json_decref(records);
    json_decref(per);
    stance_tag_options with_text = {.article_unit = 1, .rollup = 1};
    records = tag(&with_text, article_text, strlen(article_text), NULL);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(records, 0), "text")),
                     "RUSSIA AND NATO RESUME TALKS.\n"
                     "Moscow warned that scrapping the ABM treaty would unravel arms control.\n"
                     "The Kosovo peacekeepers reported calm in the Russian sector.");
    json_decref(records);
}
END_TEST

/* No passage with a tone (both thresholds out of reach): the article's tone is null, every
 * passage counted under "(none)". */
START_TEST(test_rollup_no_tone)
{
    const char *const specs[] = {"conciliatory=1", "confrontational=1", NULL};
    json_t *per;
    json_t *records = rollup_pair(0, specs, &per);
    const json_t *rec = json_array_get(records, 0);
    size_t n;
    ck_assert_uint_eq(carrying(per, "tone", NULL, &n), n);
    ck_assert_uint_gt(n, 0);
    ck_assert(json_is_null(json_object_get(rec, "tone")));
    check_rollup(per, rec, 0);
    json_decref(records);
    json_decref(per);
}
END_TEST

/* Metadata lines only: nothing to label, no label fields and no counts. */
START_TEST(test_rollup_meta_only)
{
    static const char text[] = "Publication: Unit Test Bulletin Volume: 1 Issue: 3\n";
    stance_tag_options opt = {.article_unit = 1, .rollup = 1, .all_scores = 1};
    json_t *records = tag(&opt, text, strlen(text), NULL);
    static const char *const keys[] = {"doc", "start", "end", "kind", "passages", "text", NULL};
    const json_t *rec = json_array_get(records, 0);
    ck_assert(has_keys(rec, keys));
    ck_assert_int_eq(json_integer_value(json_object_get(rec, "passages")), 0);
    ck_assert_str_eq(json_string_value(json_object_get(rec, "text")), "");
    json_decref(records);
}
END_TEST

/* A roll-up has no explanation: a usage error. */
START_TEST(test_rollup_no_explain)
{
    stance_tag_options opt = {.article_unit = 1, .rollup = 1};
    stance_tagger *tg;
    stance_error err;
    ck_assert_int_eq(stance_tagger_new(model, &opt, &tg, &err), STANCE_OK);
    ck_assert_int_eq(stance_tagger_set_explain(tg, 3, &err), STANCE_ERR_USAGE);
    stance_tagger_free(tg);
}
END_TEST

/* ---- the word-by-word path against the analyzer's, with a lexicon of the parties ---- */

enum { SHIPPED, SMALL_ACTORS, NPATH_MODELS };
static stance_model *path_models[NPATH_MODELS];

/* The shipped model (trained with labels/actors.txt), and one trained here with a small
 * lexicon (data/actors.txt: "us" a stop word, "united_states" a name of two words) whose
 * actor copies go to every unit. */
static void paths_setup(void)
{
    stance_error err;
    stance_engine_silence();
    stance_status st = stance_model_load("../models/default", &path_models[SHIPPED], &err);
    ck_assert_msg(st == STANCE_OK, "%s", err.message);
    stance_codebook *book;
    ck_assert_int_eq(stance_codebook_load("data/codebook-project.json", &book, &err), STANCE_OK);
    stance_train_options opt;
    stance_train_options_default(&opt);
    opt.folds = 3;
    opt.actors = "data/actors.txt";
    st = stance_train_run(book, "data/train-small.jsonl", &opt, &path_models[SMALL_ACTORS], &err);
    ck_assert_msg(st == STANCE_OK, "training: %s", err.message);
    stance_codebook_free(book);
}

static void paths_teardown(void)
{
    for (size_t i = 0; i < NPATH_MODELS; i++) {
        stance_model_free(path_models[i]);
        path_models[i] = NULL;
    }
}

/* Texts at the edges of the actor scope: sentence ends (".", "!", "?", ";", not the period of
 * an abbreviation), names of two words (across a break or not), possessives, a side's word
 * that is a stop word ("us"), headlines, long words (beyond the tagger's cache), odd bytes. */
static const char *const path_texts[] = {
    "",
    "Moscow",
    "NATO.",
    "us",
    "Russia and NATO",
    "RUSSIA WARNS NATO OVER BALTIC BID",
    "Moscow protested. NATO replied.",
    "Moscow protested; NATO replied.",
    "Moscow protested! NATO replied? The Kremlin said nothing.",
    "Moscow protested, NATO replied, and the Kremlin said nothing",
    "U.S. officials met Russian envoys in Moscow.",
    "The talks in the U.S. Moscow stayed away.",
    "The talks were held in the U.S.. Moscow stayed away.",
    "Talks with the E.U. and Moscow; talks with the U.N. and nobody.",
    "The United States and Russia signed. United States troops left.",
    "Troops of the United. States of mind; Moscow",
    "United, States and Moscow",
    "united states united states moscow",
    "Russia's envoy met NATO's chief; the Kremlin's reply was cold.",
    "Russia\xe2\x80\x99s envoy met Washington\xe2\x80\x99s envoy.",
    "Let us talk, said Moscow. Us and them; the Kremlin and us.",
    "US and Russian negotiators met in Geneva. The US side left early.",
    "Washington Washington Washington Moscow Moscow",
    "Internationalization of the Kosovo peacekeeping counterproposals by Moscow and NATO.",
    "Counterrevolutionaries and antidisestablishmentarianism: NATO, Kremlin",
    "S-300 missiles and MiG-29 fighters went from Russia to Iran, 1,500 of them, 2.5 billion.",
    "Moscow \xe2\x80\x94 NATO \xe2\x80\x93 the Kremlin\xe2\x80\xa6 Washington",
    "Ko\xc2\xadsovo: Moscow and NATO; the\xe2\x80\x8b Kremlin.",
    "Moscow...NATO",
    "the of and to a in",
    "The. The. The. Moscow. NATO. Russia and NATO. Kremlin!",
    "\"Moscow,\" he said, \"and (NATO) agree.\" [Washington] disagreed.",
    "Russia-NATO Founding Act; NATO-Russia Council; Russia/NATO talks.",
    "Moscow\n\nNATO\n\nThe Kremlin and Washington met.\n\nUS",
    "BALKS AT NEW SANCTIONS ON BELGRADE.\n\nMoscow and the Contact Group met in London on March 9.",
    "Publication: Unit Test Bulletin Volume: 1 Issue: 3\n\nMoscow and NATO met.",
    "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 and NATO; \xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1 and Moscow.",
    "NATO NATO NATO. Moscow Moscow. NATO Moscow NATO Moscow.",
};

/* The texts to tag: path_texts, then data/train-small.jsonl's and the first few hundred of
 * ../labels/passages.jsonl's (the labeled passages the shipped model was trained on). */
static json_t *path_inputs(void)
{
    json_t *texts = json_array();
    for (size_t i = 0; i < sizeof path_texts / sizeof path_texts[0]; i++)
        json_array_append_new(texts, json_string(path_texts[i]));
    static const struct {
        const char *path;
        size_t most;
    } files[] = {{"data/train-small.jsonl", 100}, {"../labels/passages.jsonl", 400}};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        FILE *in = fopen(files[f].path, "r");
        ck_assert_ptr_nonnull(in);
        char *line = NULL;
        size_t cap = 0;
        for (size_t n = 0; n < files[f].most && getline(&line, &cap, in) > 0; n++) {
            json_t *rec = json_loads(line, 0, NULL);
            ck_assert(json_is_string(json_object_get(rec, "text")));
            json_array_append(texts, json_object_get(rec, "text"));
            json_decref(rec);
        }
        free(line);
        fclose(in);
    }
    return texts;
}

/* Tagging through the word cache gives the records, and with the document unit the feature
 * vectors bit for bit, that the analyzer's path gives (_i: 0 passages, 1 documents), for both
 * models, each text tagged twice (the second time from a filled cache). */
START_TEST(test_word_path_matches_analyzer)
{
    json_t *texts = path_inputs();
    ck_assert_uint_gt(json_array_size(texts), 200);
    stance_tag_options opt = {.article_unit = _i, .all_scores = 1, .no_text = 1};
    for (size_t m = 0; m < NPATH_MODELS; m++) {
        stance_tagger *tg[2];
        stance_error err;
        for (int slow = 0; slow < 2; slow++) {
            ck_assert_int_eq(stance_tagger_new(path_models[m], &opt, &tg[slow], &err), STANCE_OK);
            stance_tagger_set_slow_path(tg[slow], slow);
        }
        for (size_t round = 0; round < 2; round++)
            for (size_t t = 0; t < json_array_size(texts); t++) {
                const json_t *jt = json_array_get(texts, t);
                stance_article *art = make_article(json_string_value(jt), json_string_length(jt));
                char *got[2];
                for (int slow = 0; slow < 2; slow++) {
                    const char *text;
                    size_t len;
                    stance_status st = stance_tagger_article_jsonl(tg[slow], art, "d", NULL, &text,
                                                                   &len, &err);
                    ck_assert_msg(st == STANCE_OK, "%s", err.message);
                    got[slow] = strndup(text, len);
                }
                ck_assert_msg(strcmp(got[0], got[1]) == 0, "model %zu, text %zu:\n%s\n%s", m, t,
                              got[0], got[1]);
                const stance_vector *v0 = stance_tagger_get_vector(tg[0]);
                const stance_vector *v1 = stance_tagger_get_vector(tg[1]);
                ck_assert_uint_eq(v0->count, v1->count);
                for (size_t k = 0; _i && k < v0->count; k++) {
                    ck_assert_int_eq(v0->items[k].index, v1->items[k].index);
                    ck_assert(memcmp(&v0->items[k].value, &v1->items[k].value, sizeof(double)) == 0);
                }
                free(got[0]);
                free(got[1]);
                stance_article_free(art);
            }
        stance_tagger_free(tg[0]);
        stance_tagger_free(tg[1]);
    }
    json_decref(texts);
}
END_TEST

Suite *tag_suite(void)
{
    Suite *s = suite_create("tag");
    TCase *tc = tcase_create("trained");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, test_passage_records, 0, 2);
    tcase_add_loop_test(tc, test_article_unit, 0, 2);
    tcase_add_test(tc, test_single_passage_article);
    tcase_add_loop_test(tc, test_extra_fields, 0, 2);
    tcase_add_loop_test(tc, test_offsets_count_bom, 0, 2);
    tcase_add_loop_test(tc, test_nothing_to_label, 0, (int)(sizeof empty_cases / sizeof empty_cases[0]));
    tcase_add_loop_test(tc, test_tagger_reuse, 0, 2);
    tcase_add_test(tc, test_text_is_jansson);
    tcase_add_loop_test(tc, test_doc_not_utf8, 0, 2);
    tcase_add_loop_test(tc, test_records_to_sink, 0, 2);
    tcase_add_test(tc, test_all_scores);
    tcase_add_test(tc, test_threshold_multi);
    tcase_add_test(tc, test_threshold_single);
    tcase_add_test(tc, test_threshold_other_codebook);
    tcase_add_loop_test(tc, test_table, 0, 2);
    tcase_add_test(tc, test_table_article);
    tcase_add_loop_test(tc, test_rollup, 0, (int)(sizeof rollup_shares / sizeof rollup_shares[0]));
    tcase_add_test(tc, test_rollup_no_tone);
    tcase_add_test(tc, test_rollup_meta_only);
    tcase_add_test(tc, test_rollup_no_explain);
    suite_add_tcase(s, tc);
    TCase *paths = tcase_create("paths");
    tcase_add_unchecked_fixture(paths, paths_setup, paths_teardown);
    tcase_set_timeout(paths, 60);
    tcase_add_loop_test(paths, test_word_path_matches_analyzer, 0, 2);
    suite_add_tcase(s, paths);
    return s;
}
