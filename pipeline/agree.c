/* agree.c: coders joined to the first coder's records as predictions to gold (eval.c), then
 * Cohen's kappa per pair and Krippendorff's alpha per item, bootstrapped over articles. */
#include "stance/agree.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "eval_int.h"
#include "grow_int.h"
#include "stats_int.h"

struct stance_agree {
    const stance_codebook *cb;
    stance_eval *ev;      /* the first coder's records as gold, each other coder's as predictions */
    char **names;         /* per coder */
    signed char **rows;   /* per coder from the second: ngold * nvalues targets (-1: not joined) */
    size_t ncoders, cap;
};

void stance_agree_free(stance_agree *ag)
{
    if (!ag)
        return;
    for (size_t k = 0; k < ag->ncoders; k++) {
        free(ag->names[k]);
        free(ag->rows[k]);
    }
    free(ag->names);
    free(ag->rows);
    stance_eval_free(ag->ev);
    free(ag);
}

stance_status stance_agree_new(const stance_codebook *cb, stance_agree **out, stance_error *err)
{
    *out = NULL;
    stance_agree *ag = calloc(1, sizeof *ag);
    if (!ag)
        return stance_fail_nomem(err, NULL);
    ag->cb = cb;
    stance_status st = stance_eval_new(cb, &ag->ev, err);
    if (st != STANCE_OK) {
        free(ag);
        return st;
    }
    stance_eval_set_preds_like_gold(ag->ev, 1);
    *out = ag;
    return STANCE_OK;
}

void stance_agree_set_null_means_none(stance_agree *ag, int on)
{
    stance_eval_set_null_means_none(ag->ev, on);
}

void stance_agree_set_max_unmatched(stance_agree *ag, double share)
{
    stance_eval_set_max_unmatched(ag->ev, share);
}

void stance_agree_set_bootstrap(stance_agree *ag, size_t replicates, uint64_t seed)
{
    stance_eval_set_bootstrap(ag->ev, replicates, seed);
}

stance_status stance_agree_begin_coder(stance_agree *ag, const char *name, stance_error *err)
{
    size_t cap = ag->cap, rows_cap = ag->cap;
    char **names = stance_grow(ag->names, &cap, ag->ncoders, 1, sizeof *names);
    if (!names)
        return stance_fail_nomem(err, name);
    ag->names = names;
    signed char **rows = stance_grow(ag->rows, &rows_cap, ag->ncoders, 1, sizeof *rows);
    if (!rows)
        return stance_fail_nomem(err, name);
    ag->rows = rows;
    ag->cap = cap < rows_cap ? cap : rows_cap;
    if (!(ag->names[ag->ncoders] = strdup(name)))
        return stance_fail_nomem(err, name);
    ag->rows[ag->ncoders++] = NULL;
    if (ag->ncoders > 1)
        stance_eval_restart(ag->ev);
    return STANCE_OK;
}

stance_status stance_agree_add(stance_agree *ag, const json_t *rec, const char *where, long line,
                               stance_error *err)
{
    if (ag->ncoders == 1)
        return stance_eval_add_gold(ag->ev, rec, where, line, err);
    return stance_eval_add_pred(ag->ev, rec, where, line, err);
}

/* The first unit the current coder left unjoined. */
static size_t first_unjoined(const stance_eval *ev)
{
    size_t g = 0;
    while (g < ev->ngold && ev->gold[g].matched)
        g++;
    return g;
}

stance_status stance_agree_end_coder(stance_agree *ag, const char *where, stance_error *err)
{
    stance_eval *ev = ag->ev;
    if (ag->ncoders == 1)
        return ev->ngold ? STANCE_OK : stance_fail(err, STANCE_ERR_DATA, where, 0, "no records");
    size_t unjoined = ev->ngold - ev->gold_matched, g = first_unjoined(ev);
    if (ev->gold_matched == 0)
        return stance_fail(err, STANCE_ERR_DATA, ev->gold_where, ev->gold[g].line,
                           "no record of %s joins this one, nor any other: records join by "
                           "\"doc\" and \"start\", \"doc\" and \"passage\", or \"id\"", where);
    char more[64] = "";
    if (unjoined > 1)
        snprintf(more, sizeof more, ", nor %zu more", unjoined - 1);
    if ((double)unjoined > ev->max_unmatched * (double)ev->ngold)
        return stance_fail(err, STANCE_ERR_DATA, ev->gold_where, ev->gold[g].line,
                           "no record of %s joins this one%s of the %zu (more than %g%% "
                           "unjoined)", where, more, ev->ngold, 100 * ev->max_unmatched);
    size_t nv = ev->nvalues ? ev->nvalues : 1;
    signed char *row = malloc(ev->ngold * nv + 1);
    if (!row)
        return stance_fail_nomem(err, where);
    for (size_t i = 0; i < ev->ngold; i++)
        if (ev->gold[i].matched)
            memcpy(row + i * nv, ev->pred_targets + i * ev->nvalues, ev->nvalues);
        else
            memset(row + i * nv, STANCE_TARGET_UNLABELED, nv);
    ag->rows[ag->ncoders - 1] = row;
    return STANCE_OK;
}

/* ---- the figures ---- */

typedef struct {
    size_t nitems, npairs;
    double *alpha;
    stance_ci *ci;
    size_t *units;
    double *kappa; /* nitems * npairs */
    stance_ci *kappa_ci;
    size_t *n;     /* units both of a pair coded, nitems * npairs */
} figures;

static void figures_clear(figures *f)
{
    free(f->alpha);
    free(f->ci);
    free(f->units);
    free(f->kappa);
    free(f->kappa_ci);
    free(f->n);
}

static const signed char *coder_row(const stance_agree *ag, size_t k, size_t g)
{
    size_t nv = ag->ev->nvalues;
    return k == 0 ? ag->ev->gold_targets + g * nv : ag->rows[k] + g * (nv ? nv : 1);
}

/* Kappa of the sum of the articles' tables (ncat * ncat each) that draw picks (all of them
 * in order when rng is NULL), using sum as scratch. */
static double kappa_of(const size_t *tabs, size_t na, size_t ncat, stance_rng *rng, size_t *sum)
{
    size_t cells = ncat * ncat;
    memset(sum, 0, cells * sizeof *sum);
    for (size_t k = 0; k < na; k++) {
        const size_t *t = tabs + (rng ? stance_rng_below(rng, na) : k) * cells;
        for (size_t c = 0; c < cells; c++)
            sum[c] += t[c];
    }
    return stance_kappa(sum, ncat);
}

/* Kappa of every pair on item j (ncat codes) over the units both coded, with its bootstrap
 * interval over articles (as alpha's). */
static int pair_kappas(const stance_agree *ag, size_t j, size_t ncat, figures *f)
{
    const stance_eval *ev = ag->ev;
    size_t na = ev->articles.count, cells = ncat * ncat, B = ev->bootstrap;
    size_t *tabs = malloc((na * cells + 1) * sizeof *tabs), *sum = malloc(cells * sizeof *sum);
    double *draws = malloc((B + 1) * sizeof *draws);
    int ok = tabs && sum && draws;
    for (size_t a = 0, p = 0; ok && a < ag->ncoders; a++)
        for (size_t b = a + 1; b < ag->ncoders; b++, p++) {
            memset(tabs, 0, na * cells * sizeof *tabs);
            size_t n = 0;
            for (size_t g = 0; g < ev->ngold; g++) {
                int ca = stance_eval_item_code(ag->cb, j, coder_row(ag, a, g), 0);
                int cb = stance_eval_item_code(ag->cb, j, coder_row(ag, b, g), 0);
                if (ca >= 0 && cb >= 0) {
                    tabs[ev->gold[g].article * cells + (size_t)ca * ncat + (size_t)cb]++;
                    n++;
                }
            }
            size_t at = j * f->npairs + p;
            f->kappa[at] = kappa_of(tabs, na, ncat, NULL, sum);
            f->n[at] = n;
            f->kappa_ci[at] = (stance_ci){NAN, NAN};
            stance_rng rng;
            stance_rng_seed(&rng, ev->seed);
            for (size_t r = 0; r < B && na; r++)
                draws[r] = kappa_of(tabs, na, ncat, &rng, sum);
            if (B && na)
                stance_percentile_ci(draws, B, &f->kappa_ci[at].lo, &f->kappa_ci[at].hi);
        }
    free(tabs);
    free(sum);
    free(draws);
    return ok;
}

static int compute(const stance_agree *ag, figures *f)
{
    const stance_eval *ev = ag->ev;
    memset(f, 0, sizeof *f);
    f->nitems = stance_eval_items(ag->cb, NULL);
    f->npairs = ag->ncoders * (ag->ncoders - 1) / 2;
    size_t ni = f->nitems + 1, slots = ni * (f->npairs + 1);
    size_t *ncat = malloc(ni * sizeof *ncat);
    int *codes = malloc(ag->ncoders * sizeof *codes);
    stance_alpha_set set = {0};
    int ok = ncat && codes && (f->alpha = malloc(ni * sizeof *f->alpha)) &&
             (f->ci = malloc(ni * sizeof *f->ci)) && (f->units = calloc(ni, sizeof *f->units)) &&
             (f->kappa = malloc(slots * sizeof *f->kappa)) &&
             (f->kappa_ci = malloc(slots * sizeof *f->kappa_ci)) &&
             (f->n = calloc(slots, sizeof *f->n));
    if (ok) {
        stance_eval_items(ag->cb, ncat);
        ok = stance_alpha_set_init(&set, f->nitems, ncat, ev->articles.count);
    }
    for (size_t g = 0; ok && g < ev->ngold; g++)
        for (size_t j = 0; j < f->nitems; j++) {
            size_t m = 0;
            for (size_t k = 0; k < ag->ncoders; k++) {
                int c = stance_eval_item_code(ag->cb, j, coder_row(ag, k, g), 0);
                if (c >= 0)
                    codes[m++] = c;
            }
            stance_alpha_set_add(&set, ev->gold[g].article, j, codes, m);
        }
    for (size_t j = 0; ok && j < f->nitems; j++) {
        ok = stance_alpha_set_get(&set, j, ev->bootstrap, ev->seed, &f->alpha[j], &f->ci[j].lo,
                                  &f->ci[j].hi) &&
             pair_kappas(ag, j, ncat[j], f);
        f->units[j] = set.units[j];
    }
    stance_alpha_set_clear(&set);
    free(ncat);
    free(codes);
    if (!ok)
        figures_clear(f);
    return ok;
}

/* ---- JSON ---- */

static json_t *real_or_null(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

static json_t *ci_json(stance_ci ci)
{
    return isnan(ci.lo) || isnan(ci.hi) ? json_null() : json_pack("[f, f]", ci.lo, ci.hi);
}

static json_t *item_json(const stance_agree *ag, const figures *f, size_t j)
{
    json_t *pairs = json_array();
    json_t *o = json_pack("{s:o, s:o, s:I, s:o}", "alpha", real_or_null(f->alpha[j]), "alpha_ci",
                          ci_json(f->ci[j]), "units", (json_int_t)f->units[j], "pairs", pairs);
    for (size_t a = 0, p = 0; o && a < ag->ncoders; a++)
        for (size_t b = a + 1; o && b < ag->ncoders; b++, p++) {
            size_t at = j * f->npairs + p;
            json_t *one = json_pack("{s:s, s:s, s:o, s:o, s:I}", "a", ag->names[a], "b",
                                    ag->names[b], "kappa", real_or_null(f->kappa[at]), "kappa_ci",
                                    ci_json(f->kappa_ci[at]), "n", (json_int_t)f->n[at]);
            if (!one || json_array_append_new(pairs, one) != 0) {
                json_decref(o);
                o = NULL;
            }
        }
    return o;
}

static int set_new(json_t *obj, const char *key, json_t *v)
{
    return v && json_object_set_new(obj, key, v) == 0;
}

json_t *stance_agree_to_json(const stance_agree *ag)
{
    figures f;
    if (!compute(ag, &f))
        return NULL;
    json_t *root = json_object(), *agreement = json_object(), *coders = json_array();
    int ok = root && set_new(root, "agreement", agreement) && set_new(root, "coders", coders) &&
             set_new(root, "records", json_integer((json_int_t)ag->ev->ngold)) &&
             set_new(root, "articles", json_integer((json_int_t)ag->ev->articles.count)) &&
             set_new(root, "bootstrap", json_pack("{s:I, s:I}", "replicates",
                                                  (json_int_t)ag->ev->bootstrap, "seed",
                                                  (json_int_t)ag->ev->seed));
    for (size_t k = 0; ok && k < ag->ncoders; k++)
        ok = json_array_append_new(coders, json_string(ag->names[k])) == 0;
    for (size_t d = 0; ok && d < stance_codebook_get_dimension_count(ag->cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(ag->cb, d);
        if (dim->kind == STANCE_DIM_SINGLE) {
            ok = set_new(agreement, dim->name, item_json(ag, &f, stance_eval_item_of(ag->cb, d, 0)));
            continue;
        }
        json_t *values = json_object();
        ok = set_new(agreement, dim->name, values);
        for (size_t i = 0; ok && i < dim->nvalues; i++)
            ok = set_new(values, dim->labels[i], item_json(ag, &f, stance_eval_item_of(ag->cb, d, i)));
    }
    figures_clear(&f);
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

/* ---- text ---- */

static void put_value(FILE *f, double x)
{
    if (isnan(x))
        fprintf(f, "%8s", "-");
    else
        fprintf(f, "%8.3f", x);
}

static void write_item(const stance_agree *ag, const figures *fg, size_t j, const char *name,
                       FILE *f)
{
    char esc[4 * 512];
    stance_error_escape(name, esc, sizeof esc);
    fprintf(f, "%-28s", esc);
    put_value(f, fg->alpha[j]);
    if (isnan(fg->ci[j].lo))
        fprintf(f, "  %-18s", "");
    else
        fprintf(f, "  [%6.3f, %6.3f]  ", fg->ci[j].lo, fg->ci[j].hi);
    fprintf(f, "%6zu\n", fg->units[j]);
    for (size_t a = 0, p = 0; a < ag->ncoders; a++)
        for (size_t b = a + 1; b < ag->ncoders; b++, p++) {
            char ea[4 * 256], eb[4 * 256];
            stance_error_escape(ag->names[a], ea, sizeof ea);
            stance_error_escape(ag->names[b], eb, sizeof eb);
            size_t at = j * fg->npairs + p;
            fprintf(f, "  kappa %s / %s:", ea, eb);
            put_value(f, fg->kappa[at]);
            if (!isnan(fg->kappa_ci[at].lo))
                fprintf(f, " [%.3f, %.3f]", fg->kappa_ci[at].lo, fg->kappa_ci[at].hi);
            fprintf(f, " (n %zu)\n", fg->n[at]);
        }
}

stance_status stance_agree_write(const stance_agree *ag, FILE *f, const char *name,
                                 stance_error *err)
{
    figures fg;
    if (!compute(ag, &fg))
        return stance_fail_nomem(err, name);
    fprintf(f, "%zu coders, %zu records in %zu articles", ag->ncoders, ag->ev->ngold,
            ag->ev->articles.count);
    if (ag->ev->bootstrap)
        fprintf(f, "; intervals from %zu bootstrap replicates over articles, seed %llu",
                ag->ev->bootstrap, (unsigned long long)ag->ev->seed);
    fprintf(f, "\n%-28s%8s  %-18s%6s\n", "item", "alpha", "95% CI", "units");
    for (size_t d = 0; d < stance_codebook_get_dimension_count(ag->cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(ag->cb, d);
        if (dim->kind == STANCE_DIM_SINGLE) {
            write_item(ag, &fg, stance_eval_item_of(ag->cb, d, 0), dim->name, f);
            continue;
        }
        for (size_t i = 0; i < dim->nvalues; i++) {
            char both[512];
            snprintf(both, sizeof both, "%s:%s", dim->name, dim->labels[i]);
            write_item(ag, &fg, stance_eval_item_of(ag->cb, d, i), both, f);
        }
    }
    figures_clear(&fg);
    if (ferror(f))
        return stance_fail_errno(err, errno ? errno : EIO, name, "write failed");
    return STANCE_OK;
}
