/* train.c: labeled passages to a model: analysis, vocabulary, and per-unit training with
 * cross-validated C, thresholds and Platt scaling, on one or more threads. */
#define _GNU_SOURCE /* fopencookie: the training file is hashed as it is parsed */
#include "stance/train.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analyze_int.h"
#include "calibrate_int.h"
#include "codebook_int.h"
#include "engine_int.h"
#include "error_int.h"
#include "grow_int.h"
#include "idset_int.h"
#include "jsonl_int.h"
#include "labelcheck_int.h"
#include "model_int.h"
#include "modelbuild_int.h"
#include "nbweight_int.h"
#include "sha256_int.h"
#include "stance/idset.h"
#include "stance/jsonl.h"
#include "stem_int.h"
#include "stemlist_int.h"
#include "strmap_int.h"
#include "vocab_int.h"

static const char *const rule_names[] = {"best-f1", "plateau", "platt", "zero"};

const char *stance_threshold_rule_name(stance_threshold_rule rule)
{
    return (unsigned)rule < sizeof rule_names / sizeof rule_names[0] ? rule_names[rule] : "?";
}

int stance_threshold_rule_parse(const char *name, stance_threshold_rule *rule)
{
    for (size_t i = 0; i < sizeof rule_names / sizeof rule_names[0]; i++)
        if (strcmp(name, rule_names[i]) == 0) {
            *rule = (stance_threshold_rule)i;
            return 0;
        }
    return -1;
}

void stance_train_options_default(stance_train_options *opt)
{
    memset(opt, 0, sizeof *opt);
    stance_svm_options_default(&opt->svm);
    opt->c = 1;
    opt->folds = 3;
    opt->seed = 1;
    opt->threads = 0; /* one per online core, at most STANCE_TRAIN_AUTO_THREADS */
    opt->nb_beta = STANCE_NB_BETA;
    stance_vocab_options_default(&opt->vocab);
    opt->vocab.min_df = 0; /* by the size of the training set: train_min_df */
    opt->language = "english";
}

/* ---- the training set ---- */

/* Every record's targets and stems. */
typedef struct {
    size_t n, nvalues;
    signed char *targets; /* n * nvalues */
    size_t targets_cap;
    stance_stem_store *stems; /* one record per passage, in order */
} trainset;

static void trainset_clear(trainset *t)
{
    free(t->targets);
    stance_stem_store_free(t->stems);
}

/* 0 on no memory. */
static int add_record(trainset *t, const signed char *targets, const char *const *stems,
                      const size_t *lens, size_t n)
{
    size_t k = t->nvalues;
    signed char *tg = stance_grow(t->targets, &t->targets_cap, t->n * k, k + 1, 1);
    if (!tg)
        return 0;
    t->targets = tg;
    if (stance_stem_store_add_stems(t->stems, stems, lens, n, NULL) != STANCE_OK)
        return 0;
    memcpy(t->targets + t->n * k, targets, k);
    t->n++;
    return 1;
}

/* A passage's "id" is optional; when given it must be a string or an integer and unique:
 * a passage listed twice would count twice and could sit on both sides of a fold. */
static stance_status check_id(const json_t *rec, stance_idset *ids, const char *path, long line,
                              stance_error *err)
{
    if (!json_object_get(rec, "id"))
        return STANCE_OK;
    char buf[32];
    const char *id;
    stance_status st = stance_json_get_id(rec, path, line, buf, sizeof buf, &id, err);
    return st == STANCE_OK ? stance_idset_add(ids, id, path, line, err) : st;
}

/* The training file as the parser reads it: every byte goes into the SHA-256 on its way, so
 * the file is read once (a pipe or /dev/stdin works) and the digest is of the bytes trained
 * on. A NUL byte, which no JSON Lines file holds, ends the stream right after it: the parser
 * then reports it with its line, and an endless source such as /dev/zero stops at once. */
typedef struct {
    int fd;
    stance_sha256 sha;
    int nul; /* a NUL byte was passed on: end of stream */
} hashing_input;

static ssize_t hashing_read(void *cookie, char *buf, size_t size)
{
    hashing_input *h = cookie;
    if (h->nul)
        return 0;
    ssize_t n;
    do
        n = read(h->fd, buf, size);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return n;
    const char *z = memchr(buf, '\0', (size_t)n);
    if (z) {
        n = z - buf + 1;
        h->nul = 1;
    }
    stance_sha256_update(&h->sha, buf, (size_t)n);
    return n;
}

/* Opens path as a stream over h (fd and digest set up here). The caller fcloses the stream,
 * then closes h->fd. */
static stance_status open_hashing(const char *path, hashing_input *h, FILE **f,
                                  stance_error *err)
{
    *f = NULL;
    stance_sha256_init(&h->sha);
    h->nul = 0;
    if ((h->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return stance_fail_errno(err, errno, path, "cannot open");
    cookie_io_functions_t io = {.read = hashing_read};
    if (!(*f = fopencookie(h, "r", io))) {
        close(h->fd);
        return stance_fail_nomem(err, path);
    }
    return STANCE_OK;
}

/* One record's text and targets, checked into chk: *usable 0 for a record to leave out. */
static stance_status checked_record(stance_label_check *chk, const json_t *rec, const char *path,
                                    long line, signed char *targets, const char **text,
                                    size_t *len, int *usable, stance_error *err)
{
    stance_status st = stance_label_check_add(chk, rec, path, line, targets, usable, err);
    *usable = *usable && st == STANCE_OK && stance_label_check_get_error_count(chk) == 0;
    if (*usable) { /* checked: a string without NUL */
        *text = json_string_value(json_object_get(rec, "text"));
        *len = json_string_length(json_object_get(rec, "text"));
    }
    return st;
}

/* One record's text and targets, the first problem failing the run. */
static stance_status plain_record(const stance_codebook *cb, stance_idset *ids, const json_t *rec,
                                  const char *path, long line, signed char *targets,
                                  const char **text, size_t *len, stance_error *err)
{
    stance_status st = stance_json_get_string(rec, "text", path, line, text, len, err);
    if (st == STANCE_OK)
        st = check_id(rec, ids, path, line, err);
    if (st == STANCE_OK)
        st = stance_codebook_targets(cb, rec, path, line, targets, err);
    if (st == STANCE_OK && memchr(*text, '\0', *len))
        st = stance_fail(err, STANCE_ERR_DATA, path, line, "\"text\" holds a NUL character");
    return st;
}

/* Reads the next record into *rec. With a check, a line the reader refused is kept as a
 * problem and reading goes on past it when it can (*skip is 1 then); without, it fails. */
static stance_status next_record(stance_label_check *chk, stance_jsonl_reader *r, json_t **rec,
                                 int *skip, stance_error *err)
{
    *skip = 0;
    stance_error e;
    stance_status st = stance_jsonl_read(r, rec, &e);
    if (st == STANCE_OK)
        return st;
    if (chk && st == STANCE_ERR_DATA) {
        if (stance_label_check_add_error(chk, &e, err) != STANCE_OK)
            return STANCE_ERR_NOMEM;
        *skip = stance_label_check_can_go_on(&e, stance_jsonl_get_line(r));
        if (*skip)
            return STANCE_OK;
    }
    if (err)
        *err = e;
    return st;
}

static stance_status read_trainset(const stance_codebook *cb, const char *path,
                                   stance_analyzer *an, stance_label_check *chk, trainset *t,
                                   char sha[65], stance_error *err)
{
    FILE *f;
    hashing_input h;
    stance_status st = open_hashing(path, &h, &f, err);
    if (st != STANCE_OK)
        return st;
    stance_jsonl_reader *r = NULL;
    stance_idset *ids = NULL;
    signed char *targets = malloc(t->nvalues ? t->nvalues : 1);
    st = targets ? stance_idset_new(&ids, err) : stance_fail_nomem(err, path);
    if (st == STANCE_OK)
        st = stance_stem_store_new(&t->stems, err);
    if (st == STANCE_OK)
        st = stance_jsonl_reader_new(f, path, &r, err);
    json_t *rec = NULL;
    int skip = 0;
    while (st == STANCE_OK) {
        st = next_record(chk, r, &rec, &skip, err);
        if (st != STANCE_OK || skip)
            continue;
        if (!rec)
            break;
        long line = stance_jsonl_get_line(r);
        const char *text = NULL, *const *stems;
        const size_t *lens;
        size_t len = 0, n;
        int usable = 1;
        st = chk ? checked_record(chk, rec, path, line, targets, &text, &len, &usable, err)
                 : plain_record(cb, ids, rec, path, line, targets, &text, &len, err);
        if (!usable) {
            json_decref(rec);
            continue;
        }
        if (st == STANCE_OK)
            st = stance_analyzer_run(an, text, len, &stems, &lens, &n, err);
        if (st == STANCE_OK && !add_record(t, targets, stems, lens, n))
            st = stance_fail_nomem(err, path);
        json_decref(rec);
    }
    stance_jsonl_reader_free(r);
    stance_idset_free(ids);
    fclose(f);
    close(h.fd);
    free(targets);
    if (st == STANCE_OK && chk)
        st = stance_label_check_finish(chk, path, err);
    if (st == STANCE_OK && chk && stance_label_check_get_error_count(chk) > 0)
        st = stance_fail(err, STANCE_ERR_DATA, path, 0, "%zu errors in the labeled passages",
                         stance_label_check_get_error_count(chk));
    if (st == STANCE_OK && h.nul) /* the parser reports it; this is a safety net */
        st = stance_fail(err, STANCE_ERR_DATA, path, 0, "holds a NUL byte");
    if (st == STANCE_OK)
        stance_sha256_hex(&h.sha, sha);
    if (st == STANCE_OK && t->n == 0)
        st = stance_fail(err, STANCE_ERR_DATA, path, 0, "no labeled passages to train on");
    return st;
}

/* The training set as documents for the vocabulary: record i's stems, borrowed from the store
 * through sl until the next call. */
typedef struct {
    const trainset *t;
    stance_stem_list sl;
} trainset_docs;

static stance_status trainset_doc(void *ctx, size_t i, stance_vocab_doc *doc, stance_error *err)
{
    trainset_docs *d = ctx;
    stance_status st = stance_stem_store_get(d->t->stems, i, &d->sl, err);
    *doc = (stance_vocab_doc){d->sl.stems, d->sl.lens, d->sl.n, NULL, 0};
    return st;
}

/* Fits vocab on t and vectorizes every passage; with apart, the scoped features get a norm of
 * their own (stance_vocab_set_blocks). */
static stance_status build_vectors(const trainset *t, stance_vocab *vocab, int apart,
                                   stance_vector **out, stance_error *err)
{
    trainset_docs docs = {.t = t};
    stance_stem_list_init(&docs.sl);
    stance_vector *vecs = calloc(t->n ? t->n : 1, sizeof *vecs);
    stance_status st = vecs ? STANCE_OK : stance_fail_nomem(err, NULL);
    if (st == STANCE_OK)
        st = stance_vocab_fit(vocab, t->n, trainset_doc, &docs, err);
    if (st == STANCE_OK && apart)
        st = stance_vocab_set_blocks(vocab, stance_analyzer_is_scoped, err);
    for (size_t i = 0; st == STANCE_OK && i < t->n; i++) {
        stance_vocab_doc doc;
        stance_vector_init(&vecs[i]);
        st = trainset_doc(&docs, i, &doc, err);
        if (st == STANCE_OK)
            st = stance_vocab_vectorize(vocab, doc.stems, doc.lens, doc.n, doc.where, doc.line,
                                        &vecs[i], err);
    }
    stance_stem_list_clear(&docs.sl);
    if (st != STANCE_OK) {
        for (size_t i = 0; vecs && i < t->n; i++)
            stance_vector_clear(&vecs[i]);
        free(vecs);
        return st;
    }
    *out = vecs;
    return STANCE_OK;
}

/* ---- one unit ---- */

/* The shared state of a training run; workers take units from it one at a time. */
typedef struct {
    const trainset *t;
    const stance_vector *vecs; /* the rows' vectors, for NB weights */
    const stance_rows *rows;
    const stance_train_options *opt;
    stance_svm_options svm; /* opt->svm, with the number of threads training at once */
    const stance_codebook *cb;
    const stance_vocab *vocab;
    stance_unit *units; /* the model's units, trained here and then handed to it */
    size_t nunits;
    pthread_mutex_t lock;
    pthread_cond_t idle; /* signalled when a unit ends */
    int active;          /* units being trained */
    int serial;          /* one unit at a time, after one ran short of memory beside others */
    int retrying;        /* threads waiting to train their unit again alone */
    size_t next, done;
    stance_status status;
    stance_error err;
    struct timespec start;
    stance_cross_scores *cs; /* out-of-fold scores to fill, or NULL */
    unsigned scopes;         /* STANCE_SCOPE_* of the analyzer */
    stance_actors *actors;   /* the analyzer's lexicon of the parties, or NULL (handed to the model) */
    double *plain;           /* with scopes or actors: per feature, 1 for a plain one, 0 for a scoped one */
    double *no_actors;       /* with actors_applies: per feature, 0 for an actor feature ("a:"), else 1 */
} run;

/* splitmix64: a small, well-mixed generator for fold assignment. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Stratified folds: positives and negatives are each shuffled, then dealt round-robin.
 * 0 on no memory. */
static int assign_folds(const signed char *y, size_t n, int k, uint64_t seed, int *fold)
{
    uint64_t state = seed;
    for (int cls = 0; cls < 2; cls++) {
        size_t *members = malloc((n ? n : 1) * sizeof *members), m = 0;
        if (!members)
            return 0;
        for (size_t i = 0; i < n; i++)
            if ((y[i] > 0) == (cls == 0))
                members[m++] = i;
        for (size_t i = m; i > 1; i--) { /* Fisher-Yates */
            size_t j = (size_t)(next_random(&state) % i);
            size_t tmp = members[i - 1];
            members[i - 1] = members[j];
            members[j] = tmp;
        }
        for (size_t i = 0; i < m; i++)
            fold[members[i]] = (int)(i % (size_t)k);
        free(members);
    }
    return 1;
}

/* The examples of one unit: rows labeled on its dimension and their +1/-1 labels. */
typedef struct {
    size_t *idx;
    signed char *y;
    size_t n, pos;
} examples;

/* 1 if one of the n targets t is YES: for a single dimension, one of its values applies. */
static int some_yes(const signed char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i] == STANCE_TARGET_YES)
            return 1;
    return 0;
}

/* The value units of a single dimension learn from the passages where one of its values
 * applies; the applies unit learns, from all its labeled passages, whether one does. */
static int collect_examples(const trainset *t, const stance_unit *u, const stance_dimension *d,
                            examples *ex)
{
    ex->idx = malloc((t->n ? t->n : 1) * sizeof *ex->idx);
    ex->y = malloc(t->n ? t->n : 1);
    ex->n = ex->pos = 0;
    if (!ex->idx || !ex->y)
        return 0;
    size_t slot = d->offset + (size_t)(u->value >= 0 ? u->value : 0);
    for (size_t i = 0; i < t->n; i++) {
        signed char target = t->targets[i * t->nvalues + slot];
        if (target == STANCE_TARGET_UNLABELED)
            continue;
        int applies = d->kind == STANCE_DIM_MULTI ||
                      some_yes(t->targets + i * t->nvalues + d->offset, d->nvalues);
        if (u->applies)
            target = applies ? STANCE_TARGET_YES : STANCE_TARGET_NO;
        else if (!applies)
            continue;
        ex->idx[ex->n] = i;
        ex->y[ex->n++] = target == STANCE_TARGET_YES ? 1 : -1;
        ex->pos += target == STANCE_TARGET_YES;
    }
    return 1;
}

/* Trains on the examples idx[0..n) at cost c: plain, or with NB weights computed from these
 * examples alone (so out-of-fold decision values see no weights from their own fold); the
 * features mask (unit_mask; NULL: none) says 0 for are masked out. */
static stance_status train_classifier(const run *r, const double *mask, const size_t *idx,
                                      const signed char *y, size_t n, double c,
                                      stance_classifier **out, stance_error *err)
{
    if (!r->opt->nb_weight && !mask)
        return stance_classifier_train(r->rows, idx, y, n, &r->svm, c, out, err);
    *out = NULL;
    int nf = (int)stance_vocab_get_size(r->vocab);
    double *ratio = malloc((nf > 0 ? (size_t)nf : 1) * sizeof *ratio);
    if (!ratio)
        return stance_fail_nomem(err, NULL);
    stance_status st = STANCE_OK;
    if (r->opt->nb_weight)
        st = stance_nbweight_ratios_masked(r->vecs, idx, y, n, nf, STANCE_NB_ALPHA, mask, ratio, err);
    else
        for (int j = 0; j < nf; j++)
            ratio[j] = 1;
    for (int j = 0; mask && j < nf; j++)
        ratio[j] *= mask[j];
    if (st == STANCE_OK)
        st = stance_classifier_train_masked(r->rows, idx, y, n, &r->svm, c, ratio,
                                            r->opt->nb_weight ? r->opt->nb_beta : 1, mask, out, err);
    free(ratio);
    return st;
}

/* STANCE_OK while no other unit has failed; else that failure's status (this unit stops early,
 * and only the first failure is reported). */
static stance_status still_running(run *r, stance_error *err)
{
    pthread_mutex_lock(&r->lock);
    stance_status st = r->status;
    pthread_mutex_unlock(&r->lock);
    return st == STANCE_OK ? STANCE_OK : stance_fail(err, st, NULL, 0, "stopped: another unit failed");
}

/* Out-of-fold decision values for every example, at cost c. */
static stance_status cross_decisions(run *r, const double *mask, const examples *ex,
                                     const int *fold, int k, double c, double *oof,
                                     stance_error *err)
{
    size_t *tr_idx = malloc(ex->n * sizeof *tr_idx);
    signed char *tr_y = malloc(ex->n);
    stance_status st = tr_idx && tr_y ? STANCE_OK : stance_fail_nomem(err, NULL);
    for (int j = 0; st == STANCE_OK && (st = still_running(r, err)) == STANCE_OK && j < k; j++) {
        size_t m = 0;
        for (size_t i = 0; i < ex->n; i++)
            if (fold[i] != j) {
                tr_idx[m] = ex->idx[i];
                tr_y[m++] = ex->y[i];
            }
        stance_classifier *cl;
        st = train_classifier(r, mask, tr_idx, tr_y, m, c, &cl, err);
        for (size_t i = 0; st == STANCE_OK && i < ex->n; i++)
            if (fold[i] == j)
                oof[i] = stance_classifier_decision_row(cl, r->rows, ex->idx[i]);
        stance_classifier_free(cl);
    }
    free(tr_idx);
    free(tr_y);
    return st;
}

static double accuracy_at_zero(const double *f, const signed char *y, size_t n)
{
    size_t right = 0;
    for (size_t i = 0; i < n; i++)
        right += (f[i] >= 0) == (y[i] > 0);
    return n ? (double)right / (double)n : 0;
}

/* Cross-validation score of decision values into *score: F1 at the best threshold, or accuracy. */
static stance_status cv_score(int multi, const double *f, const signed char *y, size_t n,
                              double *score, stance_error *err)
{
    stance_threshold thr;
    stance_status st = multi ? stance_threshold_best_f1(f, y, n, &thr, err) : STANCE_OK;
    *score = multi ? thr.f1 : accuracy_at_zero(f, y, n);
    return st;
}

static json_t *ratio_json(size_t num, size_t den)
{
    return den ? json_real((double)num / (double)den) : json_null();
}

/* The applies unit: a sigmoid fitted freely, as for a pair of values, and the decision where
 * it crosses 0.5 (threshold -b/a): calibrated probabilities make that the cut with the fewest
 * expected errors, and naming a value where none applies is as wrong as withholding one where
 * one does. An F1-tuned cut, as for multi values, would favour whichever side F1 is taken on,
 * and be chosen on the few "none" passages. The report adds the abstention figures at that
 * cut: the share of "none" passages held back (recall) and how many held back were "none"
 * (precision). */
static void applies_calibrate(stance_unit *u, const double *f, const examples *ex, int k)
{
    size_t n = ex->n, right = 0, held = 0, held_none = 0;
    u->platt = stance_platt_fit(f, ex->y, n);
    u->threshold = u->platt.a != 0 ? -u->platt.b / u->platt.a : 0;
    for (size_t i = 0; i < n; i++) {
        int applies = stance_platt_prob(u->platt, f[i]) >= 0.5;
        right += applies == (ex->y[i] > 0);
        held += !applies;
        held_none += !applies && ex->y[i] < 0;
    }
    if (k >= 2)
        u->cv = json_pack("{s:i, s:f, s:I, s:I, s:{s:o, s:o}}", "folds", k, "accuracy",
                          (double)right / (double)n, "applies", (json_int_t)ex->pos, "none",
                          (json_int_t)(n - ex->pos), "abstention", "precision",
                          ratio_json(held_none, held), "recall", ratio_json(held_none, n - ex->pos));
}

/* Sets the unit's threshold, sigmoid and cross-validation report from decision values.
 * 0 on no memory. */
static int calibrate_unit(stance_unit *u, int multi, stance_threshold_rule rule, const double *f,
                          const examples *ex, int k)
{
    size_t n = ex->n;
    if (multi) {
        stance_threshold thr = stance_threshold_at(f, ex->y, n, 0);
        int free_fit = 0;
        if (k >= 2 && rule == STANCE_THRESHOLD_BEST_F1) {
            if (stance_threshold_best_f1(f, ex->y, n, &thr, NULL) != STANCE_OK)
                return 0;
        } else if (k >= 2 && rule == STANCE_THRESHOLD_PLATEAU) {
            if (stance_threshold_plateau_f1(f, ex->y, n, STANCE_PLATEAU_TOL, &thr, NULL) != STANCE_OK)
                return 0;
        } else if (k >= 2 && rule == STANCE_THRESHOLD_PLATT) {
            u->platt = stance_platt_fit(f, ex->y, n);
            free_fit = u->platt.a < 0; /* a rising or flat sigmoid: the boundary, and a fit at it */
            thr = stance_threshold_at(f, ex->y, n, free_fit ? -u->platt.b / u->platt.a : 0);
        }
        if (k >= 2 && thr.f1 < STANCE_MIN_TUNED_F1 && thr.threshold < 0) {
            thr = stance_threshold_at(f, ex->y, n, 0); /* no evidence for a lower cut */
            free_fit = 0;
        }
        u->threshold = thr.threshold;
        if (!free_fit)
            u->platt = stance_platt_fit_at(f, ex->y, n, thr.threshold);
        if (k >= 2)
            u->cv = json_pack("{s:i, s:f, s:f, s:f, s:I, s:I}", "folds", k, "f1", thr.f1,
                              "precision", thr.precision, "recall", thr.recall,
                              "positives", (json_int_t)ex->pos, "negatives", (json_int_t)(n - ex->pos));
    } else if (u->applies) {
        applies_calibrate(u, f, ex, k);
    } else {
        u->threshold = 0;
        u->platt = stance_platt_fit(f, ex->y, n);
        size_t right = 0;
        for (size_t i = 0; i < n; i++)
            right += (stance_platt_prob(u->platt, f[i]) >= 0.5) == (ex->y[i] > 0);
        if (k >= 2)
            u->cv = json_pack("{s:i, s:f, s:I, s:I}", "folds", k, "accuracy", (double)right / (double)n,
                              "first", (json_int_t)ex->pos, "second", (json_int_t)(n - ex->pos));
    }
    return k < 2 || u->cv != NULL;
}

/* Adds to u->cv what prevalence estimates correct with (prevalence.h): from the out-of-fold
 * decision values f, the true- and false-positive rates of the unit's own decision (f at or
 * above the threshold for a multi value, probability at least 0.5 otherwise, as the model
 * decides) and the mean calibrated score over the positives and over the negatives. The
 * threshold and sigmoid were fitted on these same values, so the rates lean slightly
 * optimistic. 0 on no memory. */
static int add_cv_rates(stance_unit *u, int multi, const double *f, const examples *ex)
{
    size_t tp = 0, fp = 0, neg = ex->n - ex->pos;
    double sum_pos = 0, sum_neg = 0;
    for (size_t i = 0; i < ex->n; i++) {
        double p = stance_platt_prob(u->platt, f[i]);
        int yes = multi ? f[i] >= u->threshold : p >= 0.5;
        if (ex->y[i] > 0) {
            tp += (size_t)yes;
            sum_pos += p;
        } else {
            fp += (size_t)yes;
            sum_neg += p;
        }
    }
    int bad = json_object_set_new(u->cv, "tpr", json_real((double)tp / (double)ex->pos));
    bad |= json_object_set_new(u->cv, "fpr", json_real((double)fp / (double)neg));
    bad |= json_object_set_new(u->cv, "score_pos", json_real(sum_pos / (double)ex->pos));
    bad |= json_object_set_new(u->cv, "score_neg", json_real(sum_neg / (double)neg));
    return !bad;
}

/* Number of folds the examples allow: each fold needs a positive and a negative. */
static int usable_folds(int folds, const examples *ex)
{
    size_t k = (size_t)(folds > 0 ? folds : 0);
    if (k > ex->pos)
        k = ex->pos;
    if (k > ex->n - ex->pos)
        k = ex->n - ex->pos;
    return (int)k;
}

/* Stores unit u's out-of-fold scores in r->cs (train.h): its examples' from best, the
 * out-of-fold decision values, the other rows' from the final classifier, which did not see
 * them. Each unit writes its own slots, so threads need no lock. */
static void record_cross_scores(const run *r, const stance_unit *u, const examples *ex,
                                const double *best)
{
    const stance_dimension *d = stance_codebook_get_dimension(r->cb, u->dim);
    stance_cross_scores *cs = r->cs;
    for (size_t row = 0, k = 0; row < cs->n; row++) {
        double f;
        if (k < ex->n && ex->idx[k] == row) /* the examples are in row order */
            f = best[k++];
        else
            f = stance_classifier_decision_row(u->cl, r->rows, row);
        double p = stance_platt_prob(u->platt, f);
        double *probs = cs->probs + row * cs->nvalues + d->offset;
        if (u->applies) {
            cs->applies[row * cs->ndims + u->dim] = p;
        } else if (u->value < 0) { /* pair model: p is the first value's */
            probs[0] = p;
            probs[1] = 1 - p;
        } else {
            probs[u->value] = p;
        }
    }
}

/* Chooses C (by cross-validation when there are at least two folds), trains the final
 * classifier and calibrates it. */
/* The features unit u trains without (0 in the mask), or NULL: the units of multi dimensions
 * give scoped features no weight; with actors_applies, the value units of single dimensions
 * none to the actor features. */
static const double *unit_mask(const run *r, const stance_unit *u, int multi)
{
    if (multi)
        return r->plain;
    return u->applies ? NULL : r->no_actors;
}

static stance_status fit_unit(run *r, stance_unit *u, int multi, const examples *ex,
                              uint64_t seed, stance_error *err)
{
    const double *mask = unit_mask(r, u, multi);
    int k = usable_folds(r->opt->folds, ex);
    double *oof = malloc(ex->n * sizeof *oof), *best = malloc(ex->n * sizeof *best);
    int *fold = malloc(ex->n * sizeof *fold);
    stance_status st = oof && best && fold ? STANCE_OK : stance_fail_nomem(err, NULL);
    if (st == STANCE_OK && k >= 2 && !assign_folds(ex->y, ex->n, k, seed, fold))
        st = stance_fail_nomem(err, NULL);
    const double *grid = r->opt->c_grid ? r->opt->c_grid : &r->opt->c;
    size_t ngrid = r->opt->c_grid ? r->opt->n_c_grid : 1;
    double best_score = -1;
    u->c = grid[0];
    for (size_t g = 0; st == STANCE_OK && k >= 2 && g < ngrid; g++) {
        st = cross_decisions(r, mask, ex, fold, k, grid[g], oof, err);
        double score = 0;
        if (st == STANCE_OK)
            st = cv_score(multi, oof, ex->y, ex->n, &score, err);
        if (st == STANCE_OK && score > best_score) { /* ties keep the earlier C */
            best_score = score;
            u->c = grid[g];
            memcpy(best, oof, ex->n * sizeof *oof);
        }
    }
    if (st == STANCE_OK)
        st = still_running(r, err);
    if (st == STANCE_OK)
        st = train_classifier(r, mask, ex->idx, ex->y, ex->n, u->c, &u->cl, err);
    if (st == STANCE_OK && k < 2) /* no cross-validation: calibrate on the training data */
        for (size_t i = 0; i < ex->n; i++)
            best[i] = stance_classifier_decision_row(u->cl, r->rows, ex->idx[i]);
    if (st == STANCE_OK && !calibrate_unit(u, multi, r->opt->threshold_rule, best, ex, k))
        st = stance_fail_nomem(err, NULL);
    if (st == STANCE_OK && k >= 2 && !add_cv_rates(u, multi, best, ex))
        st = stance_fail_nomem(err, NULL);
    if (st == STANCE_OK && r->cs && k >= 2)
        record_cross_scores(r, u, ex, best);
    free(oof);
    free(best);
    free(fold);
    return st;
}

static stance_status train_unit(run *r, stance_unit *u, size_t number, stance_error *err)
{
    const stance_dimension *d = stance_codebook_get_dimension(r->cb, u->dim);
    examples ex;
    stance_status st = STANCE_OK;
    if (!collect_examples(r->t, u, d, &ex))
        st = stance_fail_nomem(err, NULL);
    else if ((ex.pos == 0 || ex.pos == ex.n) && u->applies)
        snprintf(u->why_not, sizeof u->why_not, "no passages where %s among %zu labeled passages",
                 ex.pos == 0 ? "a value applies" : "no value applies ([])", ex.n);
    else if (ex.pos == 0 || ex.pos == ex.n)
        snprintf(u->why_not, sizeof u->why_not, "no %s examples among %zu labeled passages",
                 ex.pos == 0 ? "positive" : "negative", ex.n);
    else if ((st = fit_unit(r, u, d->kind == STANCE_DIM_MULTI, &ex,
                            r->opt->seed * 1000003ULL + number, err)) == STANCE_OK)
        u->trained = 1;
    free(ex.idx);
    free(ex.y);
    return st;
}

static void report_progress(run *r, size_t k)
{
    if (!r->opt->progress)
        return;
    const stance_unit *u = &r->units[k];
    const stance_dimension *d = stance_codebook_get_dimension(r->cb, u->dim);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double secs = (double)(now.tv_sec - r->start.tv_sec) + (double)(now.tv_nsec - r->start.tv_nsec) / 1e9;
    char msg[400];
    const char *value = u->value >= 0 ? d->labels[u->value] : u->applies ? " (applies)" : "";
    const char *eq = u->value >= 0 ? "=" : "";
    if (!u->trained)
        snprintf(msg, sizeof msg, "[%zu/%zu] %s%s%s: not trained (%s)", r->done, r->nunits,
                 d->name, eq, value, u->why_not);
    else
        snprintf(msg, sizeof msg, "[%zu/%zu] %s%s%s: C=%g, %.1f s", r->done, r->nunits, d->name,
                 eq, value, u->c, secs);
    r->opt->progress(r->opt->progress_ctx, msg);
}

/* Forgets what a failed attempt left in unit u, to train it again. */
static void unit_reset(stance_unit *u)
{
    stance_classifier_free(u->cl);
    u->cl = NULL;
    json_decref(u->cv);
    u->cv = NULL;
    u->trained = 0;
    u->why_not[0] = '\0';
}

static void *worker(void *arg)
{
    run *r = arg;
    for (;;) {
        pthread_mutex_lock(&r->lock);
        while (((r->serial && r->active > 0) || r->retrying > 0) && r->status == STANCE_OK)
            pthread_cond_wait(&r->idle, &r->lock);
        size_t k = r->next++;
        int stop = r->status != STANCE_OK || k >= r->nunits, shared = r->svm.trainers > 1;
        r->active += !stop;
        pthread_mutex_unlock(&r->lock);
        if (stop)
            return NULL;
        stance_error err;
        stance_error_clear(&err);
        stance_status st = train_unit(r, &r->units[k], k, &err);
        pthread_mutex_lock(&r->lock);
        r->active--;
        if (st == STANCE_ERR_NOMEM && shared) {
            /* Short of memory beside other threads: once they are done with their units,
             * train this one again alone, with all the memory there is, and the rest of the
             * run one unit at a time. */
            r->serial = 1;
            r->retrying++;
            pthread_cond_broadcast(&r->idle);
            while (r->active > 0 && r->status == STANCE_OK)
                pthread_cond_wait(&r->idle, &r->lock);
            r->retrying--;
            if (r->status == STANCE_OK) {
                r->svm.trainers = 1; /* no unit is training: nobody reads it now */
                r->active++;
                pthread_mutex_unlock(&r->lock);
                unit_reset(&r->units[k]);
                stance_error_clear(&err);
                st = train_unit(r, &r->units[k], k, &err);
                pthread_mutex_lock(&r->lock);
                r->active--;
            }
        }
        r->done++;
        if (st != STANCE_OK && r->status == STANCE_OK) {
            r->status = st;
            r->err = err;
        }
        if (st == STANCE_OK)
            report_progress(r, k);
        pthread_cond_broadcast(&r->idle);
        pthread_mutex_unlock(&r->lock);
    }
}

#define WORKER_STACK ((size_t)1 << 21) /* 2 MB */

/* Threads for opt->threads 0: the online cores, at most STANCE_TRAIN_AUTO_THREADS. */
static int auto_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > STANCE_TRAIN_AUTO_THREADS ? STANCE_TRAIN_AUTO_THREADS : (int)n;
}

static stance_status train_units(run *r, stance_error *err)
{
    int nthreads = r->opt->threads > 0 ? r->opt->threads : auto_threads();
    if ((size_t)nthreads > r->nunits)
        nthreads = r->nunits ? (int)r->nunits : 1;
    pthread_t *threads = calloc((size_t)nthreads, sizeof *threads);
    if (!threads || pthread_mutex_init(&r->lock, NULL) != 0) {
        free(threads);
        return stance_fail_nomem(err, NULL);
    }
    if (pthread_cond_init(&r->idle, NULL) != 0) {
        pthread_mutex_destroy(&r->lock);
        free(threads);
        return stance_fail_nomem(err, NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &r->start);
    /* Workers need little stack; the default (ulimit -s, often 8 MB) would take as much
     * address space as the engines under a memory limit. */
    pthread_attr_t attr;
    int have_attr = pthread_attr_init(&attr) == 0;
    if (have_attr)
        pthread_attr_setstacksize(&attr, WORKER_STACK);
    int started = 0;
    pthread_mutex_lock(&r->lock); /* the workers wait for the count of those that started */
    for (int i = 1; i < nthreads; i++, started++)
        if (pthread_create(&threads[i], have_attr ? &attr : NULL, worker, r) != 0)
            break;
    if (have_attr)
        pthread_attr_destroy(&attr);
    r->svm.trainers = started + 1; /* for the memory checks before each training call */
    pthread_mutex_unlock(&r->lock);
    worker(r); /* this thread works too */
    for (int i = 1; i <= started; i++)
        pthread_join(threads[i], NULL);
    pthread_cond_destroy(&r->idle);
    pthread_mutex_destroy(&r->lock);
    free(threads);
    if (r->status != STANCE_OK && err)
        *err = r->err;
    return r->status;
}

/* ---- the whole run ---- */

/* The vocabulary's min_df: the option's, or for 0 one by the number of passages n. On a
 * large set a feature seen in 2-4 passages is mostly noise and costs training time (on
 * Reuters-21578, 7,770 articles, min_df 5 trains in half the time with the same F1); on a
 * small one such features are much of the signal. */
static long train_min_df(const stance_train_options *opt, size_t n)
{
    if (opt->vocab.min_df > 0)
        return opt->vocab.min_df;
    return n >= STANCE_TRAIN_LARGE_SET ? STANCE_TRAIN_LARGE_MIN_DF : STANCE_TRAIN_SMALL_MIN_DF;
}

static json_t *training_json(const stance_train_options *opt, const char *path, const char *sha,
                             size_t records)
{
    const char *base = strrchr(path, '/');
    json_t *grid = json_array();
    for (size_t i = 0; grid && opt->c_grid && i < opt->n_c_grid; i++)
        if (json_array_append_new(grid, json_real(opt->c_grid[i])) != 0) {
            json_decref(grid);
            grid = NULL; /* json_pack below fails on it: no memory */
        }
    json_t *nb = opt->nb_weight ? json_pack("{s:f, s:f}", "alpha", STANCE_NB_ALPHA, "beta", opt->nb_beta)
                                : json_null();
    json_t *t = json_pack("{s:s, s:s, s:I, s:f, s:o, s:i, s:I, s:o}", "file", base ? base + 1 : path,
                          "sha256", sha, "records", (json_int_t)records, "c", opt->c, "c_grid",
                          opt->c_grid ? grid : (json_decref(grid), json_null()), "folds", opt->folds,
                          "seed", (json_int_t)opt->seed, "nb_weight", nb);
    /* Recorded only when set, so bundles trained as before keep their bytes. */
    if (t && opt->actors_applies &&
        json_object_set_new(t, "actors_units", json_string("applies")) != 0) {
        json_decref(t);
        return NULL;
    }
    /* Recorded only when not the default, so bundles trained as before keep their bytes. */
    if (t && opt->threshold_rule != STANCE_THRESHOLD_BEST_F1 &&
        json_object_set_new(t, "threshold_rule",
                            json_string(stance_threshold_rule_name(opt->threshold_rule))) != 0) {
        json_decref(t);
        return NULL;
    }
    return t;
}

static stance_status configure_stopwords(stance_analyzer *an, const char *spec, stance_error *err)
{
    if (!spec)
        return STANCE_OK;
    stance_stemmer *st = stance_analyzer_stemmer(an);
    if (strcmp(spec, "none") == 0) {
        stance_stemmer_clear_stopwords(st);
        return STANCE_OK;
    }
    return stance_stemmer_load_stopwords(st, spec, err);
}

/* 1 if a feature's term (a stem, or two joined by a space) holds an actor feature ("a:"). */
static int is_actor_term(const char *term)
{
    return strncmp(term, "a:", 2) == 0 || strstr(term, " a:") != NULL;
}

/* Per feature of the fitted vocabulary: 0 where masked(its term), else 1. The masks units train
 * with: stance_analyzer_is_scoped for the units of multi dimensions, is_actor_term for the
 * value units of single dimensions with actors_applies. */
static stance_status feature_mask(const stance_vocab *vocab, int (*masked)(const char *),
                                  double **out, stance_error *err)
{
    size_t nf = stance_vocab_get_size(vocab);
    double *keep = malloc((nf ? nf : 1) * sizeof *keep);
    if (!keep)
        return stance_fail_nomem(err, NULL);
    for (size_t j = 0; j < nf; j++)
        keep[j] = !masked(stance_vocab_get_term(vocab, (int)j + 1));
    *out = keep;
    return STANCE_OK;
}

/* 1 if some unit has both positive and negative examples (train_unit trains those alone). */
static int any_trainable(const trainset *t, const run *r)
{
    for (size_t i = 0; i < r->nunits; i++) {
        const stance_unit *u = &r->units[i];
        const stance_dimension *d = stance_codebook_get_dimension(r->cb, u->dim);
        size_t slot = d->offset + (size_t)(u->value >= 0 ? u->value : 0);
        int yes = 0, no = 0;
        for (size_t row = 0; row < t->n && !(yes && no); row++) {
            signed char target = t->targets[row * t->nvalues + slot];
            yes |= target == STANCE_TARGET_YES;
            no |= target != STANCE_TARGET_YES && target != STANCE_TARGET_UNLABELED;
        }
        if (yes && no)
            return 1;
    }
    return 0;
}

/* Sets r up to train m's units (r->units: untrained copies, which r then owns). */
static stance_status plan_units(run *r, const stance_model *m, stance_error *err)
{
    r->cb = stance_model_get_codebook(m);
    r->nunits = stance_model_get_unit_count(m);
    if (!(r->units = calloc(r->nunits ? r->nunits : 1, sizeof *r->units)))
        return stance_fail_nomem(err, NULL);
    for (size_t i = 0; i < r->nunits; i++)
        stance_unit_init(&r->units[i], m, i);
    return STANCE_OK;
}

/* Frees the units of r that were not handed to the model. */
static void free_units(run *r)
{
    for (size_t i = 0; r->units && i < r->nunits; i++)
        unit_reset(&r->units[i]);
    free(r->units);
}

/* Hands what the run made to m: its units, the vocabulary (*vocab, which m takes) and the
 * settings they were trained with. */
static stance_status fill_model(stance_model *m, run *r, stance_vocab **vocab,
                                stance_engine engine, stance_analyzer *an, const char *path,
                                const char *sha, stance_error *err)
{
    for (size_t i = 0; i < r->nunits; i++)
        stance_model_set_unit(m, i, &r->units[i]);
    stance_model_set_vocab(m, *vocab);
    *vocab = NULL;
    stance_svm_options svm = r->opt->svm;
    svm.engine = engine;
    stance_model_set_svm(m, &svm);
    stance_status st = stance_model_set_analyzer(m, r->opt->language, stance_analyzer_stemmer(an), err);
    stance_model_set_scopes(m, r->scopes);
    stance_model_set_actors(m, r->actors);
    r->actors = NULL;
    stance_model_set_norm_apart(m, r->plain != NULL);
    json_t *training = st == STANCE_OK ? training_json(r->opt, path, sha, r->t->n) : NULL;
    if (st == STANCE_OK && !training)
        st = stance_fail_nomem(err, NULL);
    stance_model_set_training(m, training);
    return st;
}

/* The first cost in opt (C, then the grid's) that is not a positive finite number, or NULL.
 * liblinear would loop for ever on an infinite or NaN C, and the manifest cannot record one. */
static const double *bad_cost(const stance_train_options *opt)
{
    if (!(opt->c > 0) || !isfinite(opt->c))
        return &opt->c;
    for (size_t i = 0; opt->c_grid && i < opt->n_c_grid; i++)
        if (!(opt->c_grid[i] > 0) || !isfinite(opt->c_grid[i]))
            return &opt->c_grid[i];
    return NULL;
}

void stance_cross_scores_clear(stance_cross_scores *cs)
{
    free(cs->probs);
    free(cs->applies);
    memset(cs, 0, sizeof *cs);
}

/* Sizes cs for n records, every score NaN (none yet; applies -1), and points r at it. */
static stance_status cross_scores_init(stance_cross_scores *cs, const stance_codebook *cb,
                                       size_t n, run *r, stance_error *err)
{
    stance_cross_scores_clear(cs);
    cs->n = n;
    cs->nvalues = stance_codebook_get_value_count(cb);
    cs->ndims = stance_codebook_get_dimension_count(cb);
    size_t np = n * cs->nvalues, na = n * cs->ndims; /* both below the stems already held */
    if (!(cs->probs = malloc((np > 0 ? np : 1) * sizeof *cs->probs)) ||
        !(cs->applies = malloc((na > 0 ? na : 1) * sizeof *cs->applies))) {
        stance_cross_scores_clear(cs);
        return stance_fail_nomem(err, NULL);
    }
    for (size_t i = 0; i < n * cs->nvalues; i++)
        cs->probs[i] = NAN;
    for (size_t i = 0; i < n * cs->ndims; i++)
        cs->applies[i] = -1;
    r->cs = cs;
    return STANCE_OK;
}

/* A single dimension of more than two values has one unit per value: its scores are made to
 * sum to 1, as prediction does (model.h). */
static void cross_scores_normalize(stance_cross_scores *cs, const stance_codebook *cb)
{
    for (size_t di = 0; di < cs->ndims; di++) {
        const stance_dimension *d = stance_codebook_get_dimension(cb, di);
        for (size_t row = 0; d->kind == STANCE_DIM_SINGLE && d->nvalues > 2 && row < cs->n; row++) {
            double *p = cs->probs + row * cs->nvalues + d->offset, sum = 0;
            for (size_t v = 0; v < d->nvalues; v++)
                sum += p[v];
            for (size_t v = 0; v < d->nvalues; v++)
                p[v] = sum > 0 ? p[v] / sum : NAN; /* NaN stays NaN */
        }
    }
}

stance_status stance_train_cross_scores(const stance_codebook *cb, const char *path,
                                        const stance_train_options *opt, stance_cross_scores *cs,
                                        stance_error *err)
{
    memset(cs, 0, sizeof *cs);
    if (opt->folds < 2)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "out-of-fold scores need at least 2 folds, not %d", opt->folds);
    stance_train_options o = *opt;
    o.cross_scores = cs;
    stance_model *m = NULL;
    stance_status st = stance_train_run(cb, path, &o, &m, err);
    stance_model_free(m);
    if (st != STANCE_OK)
        stance_cross_scores_clear(cs);
    return st;
}

stance_status stance_train_run(const stance_codebook *cb, const char *path,
                               const stance_train_options *opt, stance_model **out,
                               stance_error *err)
{
    *out = NULL;
    if (opt->nb_weight && opt->svm.kernel != STANCE_KERNEL_LINEAR) /* r cannot fold into a kernel */
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "NB weighting needs the linear kernel, not %s",
                           stance_kernel_name(opt->svm.kernel));
    if (opt->folds < 0 || opt->folds == 1)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "folds must be 0 (no cross-validation) or at least 2, not %d", opt->folds);
    if (opt->c_grid && opt->n_c_grid == 0)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "the C grid is empty");
    unsigned scopes = 0;
    if (opt->scopes && stance_analyzer_scopes_parse(opt->scopes, &scopes) != 0)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "scopes must be \"none\" or names from \"contrast\", \"negation\", \"last\" "
                           "joined by commas, not \"%s\"", opt->scopes);
    if (opt->actors_applies && !opt->actors)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "the actor features for the applies units alone need a lexicon (--actors)");
    const double *bad_c = bad_cost(opt);
    if (bad_c)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "C must be a positive finite number, not %g", *bad_c);
    json_t *cbj = stance_codebook_to_json(cb);
    stance_codebook *own_cb = NULL;
    stance_status st = cbj ? stance_codebook_from_json(cbj, NULL, &own_cb, err)
                           : stance_fail_nomem(err, NULL);
    json_decref(cbj);
    stance_model *m = NULL;
    if (st == STANCE_OK)
        st = stance_model_new_for(own_cb, &m, err);
    run r;
    memset(&r, 0, sizeof r); /* train_units initialises the lock */
    if (st == STANCE_OK)
        st = plan_units(&r, m, err);
    stance_analyzer *an = NULL;
    trainset t = {0};
    t.nvalues = stance_codebook_get_value_count(cb);
    stance_vocab *vocab = NULL;
    stance_vector *vecs = NULL;
    stance_rows *rows = NULL;
    char sha[65];
    if (st == STANCE_OK)
        st = stance_analyzer_new(opt->language, &an, err);
    if (st == STANCE_OK)
        st = configure_stopwords(an, opt->stopwords, err);
    if (st == STANCE_OK)
        stance_analyzer_set_scopes(an, scopes);
    if (st == STANCE_OK && opt->actors)
        st = stance_actors_load(opt->actors, &r.actors, err);
    if (st == STANCE_OK && r.actors)
        st = stance_actors_stem(r.actors, stance_analyzer_stemmer(an), err);
    if (st == STANCE_OK)
        stance_analyzer_set_actors(an, r.actors);
    if (st == STANCE_OK)
        st = read_trainset(cb, path, an, opt->check, &t, sha, err);
    stance_vocab_options vocab_opt = opt->vocab;
    if (st == STANCE_OK) {
        vocab_opt.min_df = train_min_df(opt, t.n);
        st = stance_vocab_new(&vocab_opt, &vocab, err);
    }
    if (st == STANCE_OK)
        st = build_vectors(&t, vocab, scopes || r.actors, &vecs, err);
    if (st == STANCE_OK && !any_trainable(&t, &r))
        st = stance_fail(err, STANCE_ERR_DATA, path, 0,
                         "nothing to train: no value has both positive and negative examples");
    if (st == STANCE_OK && stance_vocab_get_size(vocab) == 0)
        st = vocab_opt.min_df > 1
                 ? stance_fail(err, STANCE_ERR_DATA, path, 0,
                               "no features to train on: no stem or bigram occurs in at least "
                               "%ld of the %zu passages (--min-df); lower --min-df",
                               vocab_opt.min_df, t.n)
                 : stance_fail(err, STANCE_ERR_DATA, path, 0,
                               "no features to train on: the passages have no stems (after stop "
                               "words)");
    stance_engine engine = stance_engine_resolve(opt->svm.engine, opt->svm.kernel);
    if (st == STANCE_OK)
        st = stance_rows_new(vecs, t.n, (int)stance_vocab_get_size(vocab), engine, &rows, err);
    r.t = &t, r.vecs = vecs, r.rows = rows, r.opt = opt, r.svm = opt->svm, r.vocab = vocab;
    r.scopes = scopes;
    if (st == STANCE_OK && (scopes || r.actors))
        st = feature_mask(vocab, stance_analyzer_is_scoped, &r.plain, err);
    if (st == STANCE_OK && r.actors && opt->actors_applies)
        st = feature_mask(vocab, is_actor_term, &r.no_actors, err);
    if (st == STANCE_OK && opt->cross_scores)
        st = cross_scores_init(opt->cross_scores, cb, t.n, &r, err);
    if (st == STANCE_OK)
        st = train_units(&r, err);
    if (st == STANCE_OK && opt->cross_scores)
        cross_scores_normalize(opt->cross_scores, cb);
    if (st == STANCE_OK)
        st = fill_model(m, &r, &vocab, engine, an, path, sha, err);
    free_units(&r);
    free(r.plain);
    free(r.no_actors);
    stance_actors_free(r.actors);
    stance_vocab_free(vocab);
    for (size_t i = 0; vecs && i < t.n; i++)
        stance_vector_clear(&vecs[i]);
    free(vecs);
    stance_rows_free(rows);
    trainset_clear(&t);
    stance_analyzer_free(an);
    if (st != STANCE_OK) {
        stance_model_free(m);
        return st;
    }
    *out = m;
    return STANCE_OK;
}
