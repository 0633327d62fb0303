/* fuzz_labeled.c: labeled records checked against a codebook (codebook.h), as stance-train
 * reads its training passages (train.c read_trainset: "text", labels, analysis) and as
 * stance-eval reads gold and predicted records (eval.h).
 * Input: a JSON Lines file; every line is a training record, then a gold record, and in a
 * second pass a prediction scored against the gold ones, grouped by "kind"; gold null on the
 * optional dimension means "none applies" when the input's size is odd. The codebook is fixed
 * (below). */
#include <jansson.h>
#include <math.h>

#include "../../pipeline/analyze_int.h"
#include "../../pipeline/codebook_int.h"
#include "../../pipeline/jsonl_int.h"
#include "fuzz_common.h"
#include "stance/codebook.h"
#include "stance/eval.h"
#include "stance/jsonl.h"

/* A multi dimension, a single one with three values (one-vs-rest units, a 3x3 confusion) and
 * an optional single one (a 3x3 confusion with "none"). */
static const char codebook_json[] =
    "{\"dimensions\": ["
    "{\"name\": \"topics\", \"kind\": \"multi\", \"values\": [{\"label\": \"kosovo\"}, "
    "{\"label\": \"enlargement\"}, {\"label\": \"abm\"}]}, "
    "{\"name\": \"tone\", \"kind\": \"single\", \"values\": [{\"label\": \"conciliatory\"}, "
    "{\"label\": \"confrontational\"}, {\"label\": \"neutral\"}]}, "
    "{\"name\": \"mood\", \"kind\": \"single\", \"optional\": true, \"values\": "
    "[{\"label\": \"calm\"}, {\"label\": \"tense\"}]}]}";

/* One record as the trainer checks it: a "text" string without NUL, valid labels, stems. */
static void train_record(const stance_codebook *cb, stance_analyzer *an, const json_t *rec,
                         long line, signed char *targets)
{
    stance_error err;
    const char *text;
    size_t len;
    stance_status st = stance_json_get_string(rec, "text", "fuzz", line, &text, &len, &err);
    if (st == STANCE_OK)
        st = stance_codebook_targets(cb, rec, "fuzz", line, targets, &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
    if (st != STANCE_OK) {
        FUZZ_CHECK(err.line == line);
        return;
    }
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        size_t yes = 0, unl = 0;
        for (size_t v = 0; v < dim->nvalues; v++) {
            signed char t = targets[dim->offset + v];
            FUZZ_CHECK(t == STANCE_TARGET_YES || t == STANCE_TARGET_NO || t == STANCE_TARGET_UNLABELED);
            yes += t == STANCE_TARGET_YES;
            unl += t == STANCE_TARGET_UNLABELED;
        }
        FUZZ_CHECK(unl == 0 || unl == dim->nvalues);
        if (dim->kind == STANCE_DIM_SINGLE && unl == 0)
            FUZZ_CHECK(yes == 1 || (dim->optional && yes == 0));
    }
    if (memchr(text, '\0', len))
        return; /* the trainer refuses it */
    const char *const *stems;
    const size_t *lens;
    size_t n;
    st = stance_analyzer_run(an, text, len, &stems, &lens, &n, &err);
    FUZZ_CHECK(st == STANCE_OK);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(lens[i] > 0 && strlen(stems[i]) == lens[i]);
}

static void check_report(const stance_codebook *cb, const stance_eval *ev)
{
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        stance_eval_summary s;
        stance_eval_get_summary(ev, d, &s);
        FUZZ_CHECK(s.records + s.missing <= stance_eval_get_matched(ev));
        FUZZ_CHECK(s.optional == dim->optional);
        if (s.optional) {
            FUZZ_CHECK(s.applies + s.none == s.records && s.missing == 0);
            FUZZ_CHECK(s.abstention.support == s.none && s.abstention.tp <= s.none);
            FUZZ_CHECK(isnan(s.abstention.f1) || (s.abstention.f1 >= 0 && s.abstention.f1 <= 1));
        }
        for (size_t v = 0; v < dim->nvalues; v++) {
            stance_eval_scores sc;
            stance_eval_get_scores(ev, dim->offset + v, &sc);
            FUZZ_CHECK(sc.support == sc.tp + sc.fn);
            FUZZ_CHECK(isnan(sc.f1) || (sc.f1 >= 0 && sc.f1 <= 1));
        }
    }
    json_t *report = stance_eval_to_json(ev);
    FUZZ_CHECK(report != NULL);
    json_decref(report);
    json_t *errors = json_array();
    FUZZ_CHECK(errors && stance_eval_errors_json(ev, errors));
    json_decref(errors);
    static FILE *devnull;
    if (!devnull)
        FUZZ_SETUP((devnull = fopen("/dev/null", "w")) != NULL);
    stance_error err;
    FUZZ_CHECK(stance_eval_write(ev, devnull, "/dev/null", &err) == STANCE_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static stance_codebook *cb;
    static stance_analyzer *an;
    stance_error err;
    if (!cb) {
        json_error_t je;
        json_t *j = json_loads(codebook_json, JSON_REJECT_DUPLICATES, &je);
        FUZZ_SETUP(j && stance_codebook_from_json(j, "codebook", &cb, &err) == STANCE_OK);
        json_decref(j);
        FUZZ_SETUP(stance_analyzer_new("english", &an, &err) == STANCE_OK);
    }
    signed char targets[16];
    FUZZ_SETUP(stance_codebook_get_value_count(cb) <= sizeof targets);
    stance_eval *ev = NULL;
    FUZZ_SETUP(stance_eval_new(cb, &ev, &err) == STANCE_OK);
    FUZZ_SETUP(stance_eval_set_group_by(ev, "kind", &err) == STANCE_OK);
    stance_eval_set_null_means_none(ev, size & 1);
    stance_eval_set_bootstrap(ev, 20, size); /* few replicates: the arithmetic, not the figures */

    for (int pass = 0; pass < 2; pass++) {
        FILE *f = fmemopen((void *)(size ? (const char *)data : "\n"), size ? size : 1, "rb");
        FUZZ_SETUP(f != NULL);
        stance_jsonl_reader *r = NULL;
        FUZZ_CHECK(stance_jsonl_reader_new(f, "fuzz", &r, &err) == STANCE_OK);
        json_t *rec = NULL;
        stance_status st;
        while ((st = stance_jsonl_read(r, &rec, &err)) == STANCE_OK && rec) {
            long line = stance_jsonl_get_line(r);
            if (pass == 0) {
                train_record(cb, an, rec, line, targets);
                st = stance_eval_add_gold(ev, rec, "gold", line, &err);
            } else {
                st = stance_eval_add_pred(ev, rec, "pred", line, &err);
            }
            FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
            json_decref(rec);
        }
        FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
        stance_jsonl_reader_free(r);
        fclose(f);
    }
    check_report(cb, ev);
    size_t grouped = 0;
    for (size_t i = 0; i < stance_eval_get_group_count(ev); i++) {
        check_report(cb, stance_eval_get_group(ev, i));
        grouped += stance_eval_get_matched(stance_eval_get_group(ev, i));
    }
    FUZZ_CHECK(grouped == stance_eval_get_matched(ev));
    stance_eval_free(ev);
    return 0;
}
