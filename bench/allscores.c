/* allscores.c: tags JSON Lines articles with a model as whole documents, one record each with
 * every value's calibrated score ("scores", the fields of stance-tag --all-scores), for the
 * prevalence benchmark (prevalence.sh) while stance-tag cannot write them itself. Multi
 * dimensions only: the applies score of an optional dimension is not at hand here.
 *
 * Usage: allscores MODEL < articles.jsonl > records.jsonl */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "../pipeline/model_int.h"
#include "stance/codebook.h"
#include "stance/jsonl.h"
#include "stance/vocab.h"

#define PROG "allscores"

static int fail(const stance_error *err)
{
    char buf[STANCE_ERROR_TEXT_MAX];
    stance_error_format(err, buf, sizeof buf);
    fprintf(stderr, PROG ": %s\n", buf);
    return 1;
}

/* The record of one article: its id, labels and every value's score. */
static json_t *record(const stance_model *m, const json_t *id, const double *probs,
                      const signed char *present)
{
    const stance_codebook *cb = stance_model_get_codebook(m);
    json_t *rec = json_pack("{s:O, s:O}", "id", id, "doc", id), *scores = json_object();
    stance_error err;
    if (!rec || !scores || stance_model_set_labels(m, probs, present, rec, &err) != STANCE_OK) {
        json_decref(rec);
        json_decref(scores);
        return NULL;
    }
    for (size_t di = 0; di < stance_codebook_get_dimension_count(cb); di++) {
        const stance_dimension *d = stance_codebook_get_dimension(cb, di);
        json_t *ds = json_object();
        for (size_t v = 0; ds && v < d->nvalues; v++)
            json_object_set_new(ds, d->labels[v], json_real(probs[d->offset + v]));
        json_object_set_new(scores, d->name, ds);
    }
    json_object_set_new(rec, "scores", scores);
    return rec;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("Usage: " PROG " MODEL < articles.jsonl > records.jsonl\n", stderr);
        return 2;
    }
    stance_error err;
    stance_model *m = NULL;
    stance_analyzer *an = NULL;
    stance_jsonl_reader *r = NULL;
    if (stance_model_load(argv[1], &m, &err) != STANCE_OK ||
        stance_model_analyzer_new(m, &an, &err) != STANCE_OK ||
        stance_jsonl_reader_new(stdin, "<stdin>", &r, &err) != STANCE_OK)
        return fail(&err);
    const stance_codebook *cb = stance_model_get_codebook(m);
    for (size_t di = 0; di < stance_codebook_get_dimension_count(cb); di++)
        if (stance_codebook_get_dimension(cb, di)->kind != STANCE_DIM_MULTI) {
            fputs(PROG ": the model has a single dimension: multi dimensions only\n", stderr);
            return 1;
        }
    size_t nv = stance_codebook_get_value_count(cb);
    double *probs = malloc(nv * sizeof *probs);
    signed char *present = malloc(nv);
    stance_vector vec;
    stance_vector_init(&vec);
    json_t *art = NULL;
    int status = probs && present ? 0 : 1;
    while (!status && stance_jsonl_read(r, &art, &err) == STANCE_OK && art) {
        const json_t *tj = json_object_get(art, "text");
        const char *text = json_string_value(tj);
        const char *const *stems;
        const size_t *lens;
        size_t n;
        json_t *rec = NULL;
        if (!text || stance_analyzer_run(an, text, json_string_length(tj), &stems, &lens, &n, &err) != STANCE_OK ||
            stance_vocab_vectorize(stance_model_vocab(m), stems, lens, n, NULL, 0, &vec, &err) != STANCE_OK)
            status = text ? fail(&err) : (fputs(PROG ": a record without text\n", stderr), 1);
        if (!status) {
            stance_model_predict(m, &vec, probs, present);
            rec = record(m, json_object_get(art, "id"), probs, present);
            status = !rec || stance_jsonl_write(stdout, rec, "<stdout>", &err) != STANCE_OK;
        }
        json_decref(rec);
        json_decref(art);
    }
    stance_vector_clear(&vec);
    free(probs);
    free(present);
    stance_jsonl_reader_free(r);
    stance_analyzer_free(an);
    stance_model_free(m);
    return status || fclose(stdout) != 0;
}
