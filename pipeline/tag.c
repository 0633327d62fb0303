/* tag.c: passages to labeled records with a model. */
#include "stance/tag.h"

#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "stance/analyze.h"
#include "stance/record.h"
#include "stance/vocab.h"

struct stance_tagger {
    const stance_model *m;
    stance_tag_options opt;
    stance_analyzer *an;
    stance_vector vec;
    double *probs;
    signed char *present;
    char *buf; /* the article unit's text */
    size_t buf_cap;
};

stance_status stance_tagger_new(const stance_model *m, const stance_tag_options *opt,
                                stance_tagger **out, stance_error *err)
{
    *out = NULL;
    stance_tagger *tg = calloc(1, sizeof *tg);
    size_t nv = stance_codebook_value_count(stance_model_codebook(m));
    if (!tg || !(tg->probs = calloc(nv + 1, sizeof *tg->probs)) || !(tg->present = calloc(nv + 1, 1))) {
        stance_tagger_free(tg);
        return stance_fail_nomem(err, "tagger");
    }
    tg->m = m;
    tg->opt = *opt;
    stance_vector_init(&tg->vec);
    stance_status st = stance_model_analyzer_new(m, &tg->an, err);
    if (st != STANCE_OK) {
        stance_tagger_free(tg);
        return st;
    }
    *out = tg;
    return STANCE_OK;
}

void stance_tagger_free(stance_tagger *tg)
{
    if (!tg)
        return;
    stance_analyzer_free(tg->an);
    stance_vector_clear(&tg->vec);
    free(tg->probs);
    free(tg->present);
    free(tg->buf);
    free(tg);
}

/* Analyzes, vectorizes and predicts text, then adds the label fields to rec. */
static stance_status label(stance_tagger *tg, const char *text, size_t len, json_t *rec,
                           stance_error *err)
{
    const char *const *stems;
    const size_t *lens;
    size_t n;
    stance_status st = stance_analyzer_run(tg->an, text, len, &stems, &lens, &n, err);
    if (st == STANCE_OK)
        st = stance_vocab_vectorize(stance_model_vocab(tg->m), stems, lens, n, &tg->vec, err);
    if (st != STANCE_OK)
        return st;
    stance_model_predict(tg->m, &tg->vec, tg->probs, tg->present);
    return stance_model_set_labels(tg->m, tg->probs, tg->present, rec, err);
}

static json_t *base_record(const stance_article *art, const char *doc, size_t number, size_t start,
                           size_t end, const char *kind, const stance_tag_options *opt)
{
    const char *text = stance_article_text(art, NULL);
    json_t *rec = json_pack("{s:s}", "doc", doc);
    int bad = !rec;
    if (!bad && number)
        bad |= json_object_set_new(rec, "passage", json_integer((json_int_t)number));
    bad = bad || json_object_set_new(rec, "start", json_integer((json_int_t)stance_article_source_offset(art, start))) ||
          json_object_set_new(rec, "end", json_integer((json_int_t)stance_article_source_offset(art, end))) ||
          json_object_set_new(rec, "kind", json_string(kind)) ||
          (!opt->no_text && json_object_set_new(rec, "text", json_stringn(text + start, end - start)));
    if (bad) {
        json_decref(rec);
        return NULL;
    }
    return rec;
}

static stance_status tag_passages(stance_tagger *tg, const stance_article *art, const char *doc,
                                  const json_t *extra, json_t *records, stance_error *err)
{
    const char *text = stance_article_text(art, NULL);
    for (size_t i = 0; i < stance_article_passage_count(art); i++) {
        const stance_passage *p = stance_article_passage(art, i);
        json_t *rec = base_record(art, doc, p->number, p->start, p->end, stance_kind_name(p->kind), &tg->opt);
        if (!rec)
            return stance_fail_nomem(err, doc);
        stance_status st = STANCE_OK;
        if (p->kind != STANCE_KIND_META)
            st = label(tg, text + p->start, p->end - p->start, rec, err);
        if (st == STANCE_OK && extra)
            st = stance_record_copy_extra(rec, extra, 0, err);
        if (st == STANCE_OK && json_array_append_new(records, rec) != 0)
            return stance_fail_nomem(err, doc);
        if (st != STANCE_OK) {
            json_decref(rec);
            return st;
        }
    }
    return STANCE_OK;
}

/* The article unit: the non-meta passages, joined by newlines, analyzed as one text. */
static stance_status tag_article(stance_tagger *tg, const stance_article *art, const char *doc,
                                 const json_t *extra, json_t *records, stance_error *err)
{
    size_t len, used = 0, count = 0, first = 0, last = 0;
    const char *text = stance_article_text(art, &len);
    if (tg->buf_cap < len + 1) {
        char *b = realloc(tg->buf, len + 1);
        if (!b)
            return stance_fail_nomem(err, doc);
        tg->buf = b;
        tg->buf_cap = len + 1;
    }
    for (size_t i = 0; i < stance_article_passage_count(art); i++) {
        const stance_passage *p = stance_article_passage(art, i);
        if (p->kind == STANCE_KIND_META)
            continue;
        if (count++ == 0)
            first = p->start;
        else
            tg->buf[used++] = '\n';
        last = p->end;
        memcpy(tg->buf + used, text + p->start, p->end - p->start);
        used += p->end - p->start;
    }
    json_t *rec = base_record(art, doc, 0, first, last, "article", &tg->opt);
    stance_status st = rec && json_object_set_new(rec, "passages", json_integer((json_int_t)count)) == 0
                           ? label(tg, tg->buf, used, rec, err)
                           : stance_fail_nomem(err, doc);
    if (st == STANCE_OK && extra)
        st = stance_record_copy_extra(rec, extra, 1, err);
    if (st == STANCE_OK && json_array_append_new(records, rec) != 0)
        return stance_fail_nomem(err, doc);
    if (st != STANCE_OK)
        json_decref(rec);
    return st;
}

stance_status stance_tagger_article(stance_tagger *tg, const stance_article *art,
                                    const char *doc, const json_t *extra, json_t **records,
                                    stance_error *err)
{
    *records = json_array();
    if (!*records)
        return stance_fail_nomem(err, doc);
    stance_status st = tg->opt.article_unit ? tag_article(tg, art, doc, extra, *records, err)
                                            : tag_passages(tg, art, doc, extra, *records, err);
    if (st != STANCE_OK) {
        json_decref(*records);
        *records = NULL;
    }
    return st;
}
