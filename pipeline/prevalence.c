/* prevalence.c: labels' shares of a collection of tagged records by classify and count and its
 * probabilistic and adjusted variants, with intervals from an article bootstrap (prevalence.h). */
#include "stance/prevalence.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codebook_int.h"
#include "error_int.h"
#include "grow_int.h"
#include "jsonl_int.h"
#include "prevalence_int.h"
#include "stance/jsonl.h"
#include "strmap_int.h"

#define MIN_DENOMINATOR 0.2 /* below it an adjusted estimate is not preferred */
#define CONFIDENCE 0.95
#define PI 3.14159265358979323846

static const char *const method_names[STANCE_PREV_METHODS] = {"cc", "pcc", "acc", "pacc"};

/* One label: a value of a dimension, and the units whose rates adjust its share. */
typedef struct {
    size_t dim, value, slot; /* slot: the value's place in a target array */
    long unit;               /* unit with the value's rates, or -1 */
    int flip;                /* the second value of a pair unit: rates turned round */
    long applies_unit;       /* the dimension's applies unit, or -1 */
    long applies_col;        /* column of the dimension's applies sums, or -1 */
} label;

/* The estimates of one label in one group (NaN: unavailable). */
typedef struct {
    double est[STANCE_PREV_METHODS], lo[STANCE_PREV_METHODS], hi[STANCE_PREV_METHODS];
    stance_prev_method preferred;
    char why[160];
} result;

typedef struct {
    json_t *value; /* the field's value (a reference), NULL for the group without one */
    double n;      /* units */
    result *res;   /* one per label, after a run */
} group;

typedef struct {
    size_t group;  /* the group of its first record */
    long cluster;  /* its cluster in unit article, -1 before its first counted record */
} article;

struct stance_prevalence {
    const stance_model *m;
    const stance_codebook *cb;
    stance_prevalence_options opt;
    label *labels;
    size_t nlabels, ncols; /* ncols: 2 per label (assigned, P), 2 per optional dimension */
    long *dim_col;         /* per dimension: its applies columns, or -1 */
    stance_unit_rates *rates; /* per unit, as the model has them */
    signed char *targets;
    double *values;  /* every value's score, for the record being read */
    double *applies; /* per dimension: the applies score */
    double *row;
    stance_strmap article_keys, group_keys, cluster_keys;
    article *articles;
    size_t narticles, articles_cap;
    group *groups;
    size_t ngroups, groups_cap;
    size_t *cl_group;
    double *cl_n, *cl_sums;
    size_t nclusters, cl_group_cap, cl_n_cap, cl_sums_cap;
    int scores;       /* -1 before the first counted record, else 1 if records carry scores */
    long scores_line; /* that record's line */
    char scores_where[STANCE_ERROR_NAME_MAX];
    int derived;
    int ran;
};

void stance_prevalence_options_default(stance_prevalence_options *opt)
{
    *opt = (stance_prevalence_options){.articles = 0, .by = NULL, .bootstrap = 1000, .seed = 1};
}

double stance_prevalence_adjust(double observed, double tpr, double fpr)
{
    double den = tpr - fpr;
    if (!(den > 0))
        return NAN;
    double x = (observed - fpr) / den;
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

double stance_prevalence_quantile(const double *x, size_t n, double p)
{
    if (n == 0)
        return NAN;
    double at = p * (double)(n - 1);
    size_t i = (size_t)at;
    if (i + 1 >= n)
        return x[n - 1];
    return x[i] + (at - (double)i) * (x[i + 1] - x[i]);
}

/* ---- setting up ---- */

/* The unit of dimension d with value v (v -1: the pair unit), or its applies unit; -1 if none. */
static long find_unit(const stance_model *m, const stance_dimension *d, long v, int applies)
{
    for (size_t i = 0; i < stance_model_get_unit_count(m); i++) {
        const char *dim, *value, *why;
        int trained;
        stance_model_get_unit_info(m, i, &dim, &value, &trained, &why);
        if (strcmp(dim, d->name) != 0 || stance_model_get_unit_applies(m, i) != applies)
            continue;
        if (applies || (v < 0 ? value == NULL : value && strcmp(value, d->labels[v]) == 0))
            return (long)i;
    }
    return -1;
}

static stance_status plan_labels(stance_prevalence *p, stance_error *err)
{
    size_t ndims = stance_codebook_get_dimension_count(p->cb), nopt = 0;
    p->nlabels = stance_codebook_get_value_count(p->cb);
    p->labels = calloc(p->nlabels ? p->nlabels : 1, sizeof *p->labels);
    p->dim_col = calloc(ndims ? ndims : 1, sizeof *p->dim_col);
    if (!p->labels || !p->dim_col)
        return stance_fail_nomem(err, NULL);
    for (size_t di = 0; di < ndims; di++) {
        const stance_dimension *d = stance_codebook_get_dimension(p->cb, di);
        p->dim_col[di] = d->optional ? (long)(2 * p->nlabels + 2 * nopt++) : -1;
        for (size_t v = 0; v < d->nvalues; v++) {
            label *l = &p->labels[d->offset + v];
            int pair = d->kind == STANCE_DIM_SINGLE && d->nvalues == 2;
            *l = (label){.dim = di, .value = v, .slot = d->offset + v,
                         .unit = find_unit(p->m, d, pair ? -1 : (long)v, 0), .flip = pair && v == 1,
                         .applies_unit = d->optional ? find_unit(p->m, d, -1, 1) : -1,
                         .applies_col = p->dim_col[di]};
        }
    }
    p->ncols = 2 * p->nlabels + 2 * nopt;
    return STANCE_OK;
}

stance_status stance_prevalence_new(const stance_model *m, const stance_prevalence_options *opt,
                                    stance_prevalence **out, stance_error *err)
{
    *out = NULL;
    if (opt->bootstrap < 0)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "the number of resamples is negative");
    stance_prevalence *p = calloc(1, sizeof *p);
    if (!p)
        return stance_fail_nomem(err, NULL);
    p->m = m;
    p->cb = stance_model_get_codebook(m);
    p->opt = *opt;
    p->scores = -1;
    stance_strmap_init(&p->article_keys);
    stance_strmap_init(&p->group_keys);
    stance_strmap_init(&p->cluster_keys);
    stance_status st = plan_labels(p, err);
    size_t nv = p->nlabels ? p->nlabels : 1, nu = stance_model_get_unit_count(m);
    if (st == STANCE_OK) {
        p->targets = malloc(nv);
        p->values = malloc(nv * sizeof *p->values);
        p->applies = malloc((stance_codebook_get_dimension_count(p->cb) + 1) * sizeof *p->applies);
        p->row = malloc((p->ncols + 1) * sizeof *p->row);
        p->rates = calloc(nu ? nu : 1, sizeof *p->rates);
        if (!p->targets || !p->values || !p->applies || !p->row || !p->rates)
            st = stance_fail_nomem(err, NULL);
    }
    for (size_t i = 0; st == STANCE_OK && i < nu; i++)
        stance_model_get_unit_rates(m, i, &p->rates[i]);
    if (st != STANCE_OK) {
        stance_prevalence_free(p);
        return st;
    }
    *out = p;
    return STANCE_OK;
}

void stance_prevalence_free(stance_prevalence *p)
{
    if (!p)
        return;
    for (size_t g = 0; g < p->ngroups; g++) {
        json_decref(p->groups[g].value);
        free(p->groups[g].res);
    }
    free(p->groups);
    free(p->labels);
    free(p->dim_col);
    free(p->rates);
    free(p->targets);
    free(p->values);
    free(p->applies);
    free(p->row);
    stance_strmap_clear(&p->article_keys);
    stance_strmap_clear(&p->group_keys);
    stance_strmap_clear(&p->cluster_keys);
    free(p->articles);
    free(p->cl_group);
    free(p->cl_n);
    free(p->cl_sums);
    free(p);
}

/* ---- reading records ---- */

/* The article key of rec into *key (caller frees): "i" and its id, else "d" and its doc
 * (strings or integers). */
static stance_status article_key(const json_t *rec, const char *where, long line, char **key,
                                 stance_error *err)
{
    const char *field = json_object_get(rec, "id") ? "id" : json_object_get(rec, "doc") ? "doc" : NULL;
    if (!field)
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "the record has neither \"id\" nor \"doc\": which article is it from?");
    const json_t *v = json_object_get(rec, field);
    char num[32];
    const char *s = num;
    if (json_is_integer(v))
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (json_is_string(v))
        s = json_string_value(v);
    else
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "\"%s\" is neither a string nor an integer", field);
    size_t n = strlen(s);
    if (!(*key = malloc(n + 2)))
        return stance_fail_nomem(err, where);
    (*key)[0] = field[0];
    memcpy(*key + 1, s, n + 1);
    return STANCE_OK;
}

/* The index of the group of value (NULL: no value), added if new. -1 on no memory. */
static long group_index(stance_prevalence *p, const json_t *value)
{
    char *text = value ? json_dumps(value, JSON_ENCODE_ANY | JSON_REAL_PRECISION(17)) : NULL;
    if (value && !text)
        return -1;
    const char *key = text ? text : "";
    long i = stance_strmap_put(&p->group_keys, key, strlen(key), p->ngroups);
    free(text);
    if (i < 0 || (size_t)i < p->ngroups)
        return i;
    group *g = stance_grow(p->groups, &p->groups_cap, p->ngroups, 1, sizeof *g);
    if (!g)
        return -1;
    p->groups = g;
    p->groups[p->ngroups++] = (group){.value = value ? json_incref((json_t *)value) : NULL};
    return i;
}

/* The group rec itself names (*g -1 if it names none). */
static stance_status own_group(stance_prevalence *p, const json_t *rec, const char *where,
                               long line, long *g, stance_error *err)
{
    *g = -1;
    const json_t *v = p->opt.by ? json_object_get(rec, p->opt.by) : NULL;
    if (!v || json_is_null(v))
        return STANCE_OK;
    if (!json_is_string(v) && !json_is_number(v))
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "\"%s\" is neither a string nor a number (--by groups by those)",
                           p->opt.by);
    if ((*g = group_index(p, v)) < 0)
        return stance_fail_nomem(err, where);
    return STANCE_OK;
}

/* The article of rec, added with group g (or the null group) if new; *a its index. */
static stance_status find_article(stance_prevalence *p, const json_t *rec, long g,
                                  const char *where, long line, size_t *a, stance_error *err)
{
    char *key;
    stance_status st = article_key(rec, where, line, &key, err);
    if (st != STANCE_OK)
        return st;
    long i = stance_strmap_put(&p->article_keys, key, strlen(key), p->narticles);
    free(key);
    if (i < 0)
        return stance_fail_nomem(err, where);
    if ((size_t)i == p->narticles) {
        if (g < 0 && (g = group_index(p, NULL)) < 0)
            return stance_fail_nomem(err, where);
        article *grown = stance_grow(p->articles, &p->articles_cap, p->narticles, 1, sizeof *grown);
        if (!grown)
            return stance_fail_nomem(err, where);
        p->articles = grown;
        p->articles[p->narticles++] = (article){.group = (size_t)g, .cluster = -1};
    }
    *a = (size_t)i;
    return STANCE_OK;
}

/* How many of the codebook's dimension fields rec has; *missing one it lacks. */
static size_t dimensions_present(const stance_codebook *cb, const json_t *rec, const char **missing)
{
    size_t n = 0;
    *missing = NULL;
    for (size_t di = 0; di < stance_codebook_get_dimension_count(cb); di++) {
        const char *name = stance_codebook_get_dimension(cb, di)->name;
        if (json_object_get(rec, name))
            n++;
        else
            *missing = name;
    }
    return n;
}

/* A score at key of obj into *x: a number in 0..1. */
static stance_status get_score(const json_t *obj, const char *key, const char *what,
                               const char *where, long line, double *x, stance_error *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!v)
        return stance_fail(err, STANCE_ERR_DATA, where, line, "%s has no \"%s\"", what, key);
    *x = json_number_value(v);
    if (!json_is_number(v) || !(*x >= 0 && *x <= 1))
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "%s \"%s\" is not a number from 0 to 1", what, key);
    return STANCE_OK;
}

/* The "scores" and "applies" of rec into p->values and p->applies: every value of every
 * dimension and nothing else; the applies score of each optional dimension. */
static stance_status read_scores(stance_prevalence *p, const json_t *rec, const char *where,
                                 long line, stance_error *err)
{
    const json_t *sc = json_object_get(rec, "scores");
    if (!json_is_object(sc))
        return stance_fail(err, STANCE_ERR_DATA, where, line, "\"scores\" is not an object");
    const json_t *ap = json_object_get(rec, "applies");
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)sc, key, v) {
        if (stance_codebook_find_dimension(p->cb, key) < 0)
            return stance_fail(err, STANCE_ERR_DATA, where, line,
                               "\"scores\" has \"%s\", not a dimension of the model's codebook", key);
    }
    stance_status st = STANCE_OK;
    for (size_t di = 0; st == STANCE_OK && di < stance_codebook_get_dimension_count(p->cb); di++) {
        const stance_dimension *d = stance_codebook_get_dimension(p->cb, di);
        const json_t *ds = json_object_get(sc, d->name);
        char what[STANCE_ERROR_NAME_MAX];
        snprintf(what, sizeof what, "\"scores\" of \"%s\"", d->name);
        if (!json_is_object(ds))
            return stance_fail(err, STANCE_ERR_DATA, where, line, "%s is %s", what,
                               ds ? "not an object" : "missing");
        json_object_foreach((json_t *)ds, key, v)
            if (stance_dimension_find(d, key) < 0)
                return stance_fail(err, STANCE_ERR_DATA, where, line,
                                   "%s: \"%s\" is not a value of \"%s\" in the model's codebook",
                                   what, key, d->name);
        for (size_t k = 0; st == STANCE_OK && k < d->nvalues; k++)
            st = get_score(ds, d->labels[k], what, where, line, &p->values[d->offset + k], err);
        if (st == STANCE_OK && d->optional) {
            if (!json_is_object(ap))
                return stance_fail(err, STANCE_ERR_DATA, where, line,
                                   "\"applies\" is %s (it gives the optional \"%s\" with \"scores\")",
                                   ap ? "not an object" : "missing", d->name);
            st = get_score(ap, d->name, "\"applies\"", where, line, &p->applies[di], err);
        }
    }
    return st;
}

/* Whether rec carries scores, checked against the first counted record: a collection is
 * tagged with --all-scores or without, not partly. */
static stance_status check_scores_presence(stance_prevalence *p, const json_t *rec,
                                           const char *where, long line, stance_error *err)
{
    int has = json_object_get(rec, "scores") != NULL;
    if (p->scores < 0) {
        p->scores = has;
        p->scores_line = line;
        snprintf(p->scores_where, sizeof p->scores_where, "%s", where);
        return STANCE_OK;
    }
    if (has == p->scores)
        return STANCE_OK;
    return stance_fail(err, STANCE_ERR_DATA, where, line,
                       "the record %s \"scores\" but the first one (%s:%ld) %s: tag the whole "
                       "collection alike (with or without --all-scores)",
                       has ? "has" : "has no", p->scores_where, p->scores_line,
                       has ? "has none" : "has them");
}

/* The label fields of rec into p->targets, and its row: per label assigned (0/1) and its
 * probability, per optional dimension whether a value is assigned and the applies score. */
static stance_status read_labels(stance_prevalence *p, const json_t *rec, const char *where,
                                 long line, stance_error *err)
{
    stance_status st = stance_codebook_targets(p->cb, rec, where, line, p->targets, err);
    if (st == STANCE_ERR_DATA && err && strncmp(err->message, "unknown value", 13) == 0) {
        size_t n = strlen(err->message);
        snprintf(err->message + n, sizeof err->message - n,
                 " in the model's codebook: were the records tagged with another model?");
    }
    if (st == STANCE_OK && p->scores)
        st = read_scores(p, rec, where, line, err);
    if (st != STANCE_OK)
        return st;
    for (size_t di = 0; di < stance_codebook_get_dimension_count(p->cb); di++) {
        const stance_dimension *d = stance_codebook_get_dimension(p->cb, di);
        int any = 0;
        for (size_t v = 0; v < d->nvalues; v++)
            any |= p->targets[d->offset + v] == STANCE_TARGET_YES;
        if (p->targets[d->offset] == STANCE_TARGET_UNLABELED && !d->optional)
            return stance_fail(err, STANCE_ERR_DATA, where, line,
                               "\"%s\" is null: a tagged record gives every dimension (%s)", d->name,
                               d->kind == STANCE_DIM_MULTI ? "[] for none" : "one value");
        double a = d->optional && p->scores ? p->applies[di] : 1;
        for (size_t v = 0; v < d->nvalues; v++) {
            size_t slot = d->offset + v;
            p->row[2 * slot] = p->targets[slot] == STANCE_TARGET_YES;
            p->row[2 * slot + 1] = p->scores ? a * p->values[slot] : 0;
        }
        if (p->dim_col[di] >= 0) {
            p->row[p->dim_col[di]] = any;
            p->row[p->dim_col[di] + 1] = p->scores ? a : 0;
        }
    }
    return STANCE_OK;
}

/* The cluster of article a in group g: the article itself in unit article, else the passages
 * of a in g. -1 on no memory. */
static long find_cluster(stance_prevalence *p, size_t a, size_t g)
{
    article *art = &p->articles[a];
    long c;
    if (p->opt.articles) {
        if (art->cluster >= 0)
            return art->cluster;
        c = (long)p->nclusters;
    } else {
        char key[64];
        int n = snprintf(key, sizeof key, "%zu:%zu", g, a);
        c = stance_strmap_put(&p->cluster_keys, key, (size_t)n, p->nclusters);
        if (c < 0 || (size_t)c < p->nclusters)
            return c;
    }
    size_t *cg = stance_grow(p->cl_group, &p->cl_group_cap, p->nclusters, 1, sizeof *cg);
    if (cg)
        p->cl_group = cg;
    double *cn = cg ? stance_grow(p->cl_n, &p->cl_n_cap, p->nclusters, 1, sizeof *cn) : NULL;
    if (cn)
        p->cl_n = cn;
    double *cs = cn ? stance_grow(p->cl_sums, &p->cl_sums_cap, p->nclusters * p->ncols, p->ncols + 1,
                                  sizeof *cs)
                    : NULL;
    if (!cs)
        return -1;
    p->cl_sums = cs;
    p->cl_group[p->nclusters] = g;
    p->cl_n[p->nclusters] = 0;
    memset(p->cl_sums + p->nclusters * p->ncols, 0, p->ncols * sizeof *cs);
    if (p->opt.articles)
        art->cluster = c;
    p->nclusters++;
    return c;
}

/* Adds the row to cluster c: summed over passages, the largest over an article's passages. */
static void add_row(stance_prevalence *p, size_t c)
{
    double *s = p->cl_sums + c * p->ncols;
    for (size_t k = 0; k < p->ncols; k++)
        s[k] = p->opt.articles ? fmax(s[k], p->row[k]) : s[k] + p->row[k];
    p->cl_n[c] = p->opt.articles ? 1 : p->cl_n[c] + 1;
}

stance_status stance_prevalence_add(stance_prevalence *p, const json_t *rec, const char *where,
                                    long line, stance_error *err)
{
    if (!json_is_object(rec))
        return stance_fail(err, STANCE_ERR_DATA, where, line, "the record is not a JSON object");
    long g;
    size_t a = 0;
    stance_status st = own_group(p, rec, where, line, &g, err);
    if (st == STANCE_OK)
        st = find_article(p, rec, g, where, line, &a, err);
    if (st != STANCE_OK)
        return st;
    if (p->opt.articles || g < 0)
        g = (long)p->articles[a].group; /* carried from the article's first record */
    const char *missing;
    size_t present = dimensions_present(p->cb, rec, &missing);
    const json_t *kind = json_object_get(rec, "kind");
    if (present == 0 || (json_is_string(kind) && strcmp(json_string_value(kind), "meta") == 0))
        return STANCE_OK; /* nothing classified: a meta passage, an empty article */
    if (missing)
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "the record has no \"%s\" field, though it has other label fields",
                           missing);
    st = check_scores_presence(p, rec, where, line, err);
    if (st == STANCE_OK)
        st = read_labels(p, rec, where, line, err);
    if (st != STANCE_OK)
        return st;
    long c = find_cluster(p, a, (size_t)g);
    if (c < 0)
        return stance_fail_nomem(err, where);
    add_row(p, (size_t)c);
    return STANCE_OK;
}

stance_status stance_prevalence_read(stance_prevalence *p, FILE *f, const char *name,
                                     stance_error *err)
{
    stance_jsonl_reader *r = NULL;
    stance_status st = stance_jsonl_reader_new(f, name, &r, err);
    json_t *rec = NULL;
    while (st == STANCE_OK && (st = stance_jsonl_read(r, &rec, err)) == STANCE_OK && rec) {
        st = stance_prevalence_add(p, rec, name, stance_jsonl_get_line(r), err);
        json_decref(rec);
    }
    stance_jsonl_reader_free(r);
    return st;
}

/* ---- estimating ---- */

/* splitmix64 (as train.c's folds). */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* A standard normal draw (Box-Muller). */
static double next_normal(uint64_t *state)
{
    double u1 = (double)((next_random(state) >> 11) + 1) * 0x1.0p-53; /* (0, 1] */
    double u2 = (double)(next_random(state) >> 11) * 0x1.0p-53;
    return sqrt(-2 * log(u1)) * cos(2 * PI * u2);
}

static double clip01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* A rate measured as x of n redrawn from its sampling distribution: normal, with the
 * variance of (x + 0.5) / (n + 1), which is not 0 at a rate of 0 or 1. */
static double redraw_rate(double rate, double n, uint64_t *state)
{
    double q = (rate * n + 0.5) / (n + 1);
    return clip01(rate + sqrt(q * (1 - q) / n) * next_normal(state));
}

/* A mean score of n examples redrawn: normal with the largest variance it may have. */
static double redraw_mean(double mean, double n, uint64_t *state)
{
    return clip01(mean + sqrt(mean * (1 - mean) / n) * next_normal(state));
}

static stance_unit_rates redraw(const stance_unit_rates *r, uint64_t *state)
{
    stance_unit_rates d = *r;
    if (r->rates) {
        d.tpr = redraw_rate(r->tpr, r->positives, state);
        d.fpr = redraw_rate(r->fpr, r->negatives, state);
    }
    if (r->scores) {
        d.score_pos = redraw_mean(r->score_pos, r->positives, state);
        d.score_neg = redraw_mean(r->score_neg, r->negatives, state);
    }
    return d;
}

/* The rates of the second value of a pair unit, whose positives are the first value's. */
static stance_unit_rates turn_round(stance_unit_rates r)
{
    stance_unit_rates t = r;
    t.tpr = 1 - r.fpr, t.fpr = 1 - r.tpr;
    t.score_pos = 1 - r.score_neg, t.score_neg = 1 - r.score_pos;
    t.positives = r.negatives, t.negatives = r.positives;
    return t;
}

static const stance_unit_rates no_rates;

static stance_unit_rates label_rates(const label *l, const stance_unit_rates *units)
{
    if (l->unit < 0)
        return no_rates;
    return l->flip ? turn_round(units[l->unit]) : units[l->unit];
}

/* The four estimates of label l from the sums s over n units, with the units' rates. */
static void estimate(const stance_prevalence *p, const label *l, const double *s, double n,
                     const stance_unit_rates *units, double est[STANCE_PREV_METHODS])
{
    double assigned = s[2 * l->slot], prob = s[2 * l->slot + 1];
    est[STANCE_PREV_CC] = assigned / n;
    est[STANCE_PREV_PCC] = p->scores ? prob / n : NAN;
    est[STANCE_PREV_ACC] = est[STANCE_PREV_PACC] = NAN;
    if (p->opt.articles)
        return;
    stance_unit_rates r = label_rates(l, units);
    if (l->applies_col < 0) {
        if (r.rates)
            est[STANCE_PREV_ACC] = stance_prevalence_adjust(assigned / n, r.tpr, r.fpr);
        if (p->scores && r.scores)
            est[STANCE_PREV_PACC] = stance_prevalence_adjust(prob / n, r.score_pos, r.score_neg);
        return;
    }
    /* share where a value applies, times the value's share among those */
    stance_unit_rates ar = l->applies_unit >= 0 ? units[l->applies_unit] : no_rates;
    double any = s[l->applies_col], any_prob = s[l->applies_col + 1];
    if (r.rates && ar.rates)
        est[STANCE_PREV_ACC] = stance_prevalence_adjust(any / n, ar.tpr, ar.fpr) *
                               stance_prevalence_adjust(any > 0 ? assigned / any : 0, r.tpr, r.fpr);
    if (p->scores && r.scores && ar.scores)
        est[STANCE_PREV_PACC] =
            stance_prevalence_adjust(any_prob / n, ar.score_pos, ar.score_neg) *
            stance_prevalence_adjust(any_prob > 0 ? prob / any_prob : 0, r.score_pos, r.score_neg);
}

/* The smaller denominator of l's adjustment with rates (scores: the mean scores), or NaN. */
static double denominator(const stance_prevalence *p, const label *l, int scores)
{
    stance_unit_rates r = label_rates(l, p->rates);
    double den = scores ? r.score_pos - r.score_neg : r.tpr - r.fpr;
    if (l->applies_unit >= 0) {
        const stance_unit_rates *ar = &p->rates[l->applies_unit];
        den = fmin(den, scores ? ar->score_pos - ar->score_neg : ar->tpr - ar->fpr);
    }
    return den;
}

static void choose(const stance_prevalence *p, const label *l, result *res)
{
    if (p->opt.articles) {
        res->preferred = p->scores ? STANCE_PREV_PCC : STANCE_PREV_CC;
        snprintf(res->why, sizeof res->why, "%s; the cross-validated rates are passages', not "
                 "articles'", p->scores ? "scores: mean of each article's likeliest passage"
                                        : "no scores (tag with --all-scores for pcc)");
        return;
    }
    double dp = denominator(p, l, 1), da = denominator(p, l, 0);
    if (!isnan(res->est[STANCE_PREV_PACC]) && dp >= MIN_DENOMINATOR) {
        res->preferred = STANCE_PREV_PACC;
        snprintf(res->why, sizeof res->why, "adjusted for a shift from the training shares, "
                 "from scores; denominator %.2f", dp);
    } else if (!isnan(res->est[STANCE_PREV_ACC]) && da >= MIN_DENOMINATOR) {
        res->preferred = STANCE_PREV_ACC;
        snprintf(res->why, sizeof res->why, "adjusted for a shift from the training shares; "
                 "denominator %.2f; %s", da,
                 !p->scores ? "no scores for pacc (tag with --all-scores)"
                 : isnan(res->est[STANCE_PREV_PACC]) ? "no mean scores in the model for pacc"
                                                     : "pacc denominator small");
    } else {
        res->preferred = p->scores ? STANCE_PREV_PCC : STANCE_PREV_CC;
        snprintf(res->why, sizeof res->why, "%s; %s",
                 isnan(res->est[STANCE_PREV_ACC]) ? "no cross-validated rates to adjust with"
                                                  : "adjustment denominator below 0.2",
                 p->scores ? "pcc from scores" : "no scores (tag with --all-scores for pcc)");
    }
}

/* Collects the estimates of the ok replicates (NaN left out), sorts them, and sets the interval. */
static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void interval(double *boot, size_t b, double *lo, double *hi)
{
    size_t n = 0;
    for (size_t i = 0; i < b; i++)
        if (!isnan(boot[i]))
            boot[n++] = boot[i];
    qsort(boot, n, sizeof *boot, compare_double);
    *lo = stance_prevalence_quantile(boot, n, (1 - CONFIDENCE) / 2);
    *hi = stance_prevalence_quantile(boot, n, 1 - (1 - CONFIDENCE) / 2);
}

/* Estimates and intervals of group g, whose clusters are cl[0..ncl). */
static stance_status run_group(stance_prevalence *p, size_t g, const size_t *cl, size_t ncl,
                               stance_error *err)
{
    size_t K = p->ncols, L = p->nlabels, B = (size_t)p->opt.bootstrap;
    size_t nu = stance_model_get_unit_count(p->m);
    group *gr = &p->groups[g];
    double *s = calloc(K + 1, sizeof *s);
    double *boot = malloc((B * L * STANCE_PREV_METHODS + 1) * sizeof *boot);
    stance_unit_rates *drawn = malloc((nu + 1) * sizeof *drawn);
    gr->res = calloc(L ? L : 1, sizeof *gr->res);
    if (!s || !boot || !drawn || !gr->res) {
        free(s), free(boot), free(drawn);
        return stance_fail_nomem(err, NULL);
    }
    gr->n = 0;
    for (size_t i = 0; i < ncl; i++) {
        gr->n += p->cl_n[cl[i]];
        for (size_t k = 0; k < K; k++)
            s[k] += p->cl_sums[cl[i] * K + k];
    }
    for (size_t l = 0; l < L; l++)
        estimate(p, &p->labels[l], s, gr->n, p->rates, gr->res[l].est);
    uint64_t state = p->opt.seed ^ (0xD1B54A32D192ED03ULL * (g + 1));
    for (size_t b = 0; b < B; b++) {
        double n = 0;
        memset(s, 0, K * sizeof *s);
        for (size_t i = 0; i < ncl; i++) {
            size_t c = cl[next_random(&state) % ncl];
            n += p->cl_n[c];
            for (size_t k = 0; k < K; k++)
                s[k] += p->cl_sums[c * K + k];
        }
        for (size_t u = 0; u < nu; u++)
            drawn[u] = redraw(&p->rates[u], &state);
        for (size_t l = 0; l < L; l++) {
            double est[STANCE_PREV_METHODS];
            estimate(p, &p->labels[l], s, n, drawn, est);
            for (int m = 0; m < STANCE_PREV_METHODS; m++)
                boot[(l * STANCE_PREV_METHODS + (size_t)m) * B + b] = est[m];
        }
    }
    for (size_t l = 0; l < L; l++) {
        result *res = &gr->res[l];
        for (int m = 0; m < STANCE_PREV_METHODS; m++) {
            res->lo[m] = res->hi[m] = NAN;
            if (B && !isnan(res->est[m]))
                interval(boot + (l * STANCE_PREV_METHODS + (size_t)m) * B, B, &res->lo[m], &res->hi[m]);
        }
        choose(p, &p->labels[l], res);
    }
    free(s);
    free(boot);
    free(drawn);
    return STANCE_OK;
}

stance_status stance_prevalence_run(stance_prevalence *p, const char *where, stance_error *err)
{
    if (p->nclusters == 0)
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "no labeled records (only meta passages, or nothing)");
    /* the clusters in group order: group g's are order[start[g] .. start[g + 1]) */
    size_t *order = malloc(p->nclusters * sizeof *order);
    size_t *start = calloc(p->ngroups + 1, sizeof *start), *fill = malloc(p->ngroups * sizeof *fill);
    stance_status st = order && start && fill ? STANCE_OK : stance_fail_nomem(err, NULL);
    for (size_t c = 0; st == STANCE_OK && c < p->nclusters; c++)
        start[p->cl_group[c] + 1]++;
    for (size_t g = 0; st == STANCE_OK && g < p->ngroups; g++) {
        start[g + 1] += start[g];
        fill[g] = start[g];
    }
    for (size_t c = 0; st == STANCE_OK && c < p->nclusters; c++)
        order[fill[p->cl_group[c]]++] = c;
    for (size_t g = 0; st == STANCE_OK && g < p->ngroups; g++)
        if (start[g + 1] > start[g])
            st = run_group(p, g, order + start[g], start[g + 1] - start[g], err);
    for (size_t l = 0; st == STANCE_OK && l < p->nlabels; l++) {
        stance_unit_rates r = label_rates(&p->labels[l], p->rates);
        p->derived |= !p->opt.articles && r.derived;
    }
    p->ran = st == STANCE_OK;
    free(order);
    free(start);
    free(fill);
    return st;
}

int stance_prevalence_get_scores(const stance_prevalence *p)
{
    return p->scores > 0;
}

int stance_prevalence_get_derived(const stance_prevalence *p)
{
    return p->derived;
}

/* ---- reports ---- */

static double round4(double x)
{
    return round(x * 1e4) / 1e4;
}

/* Sets key of o to v (taken, also on failure); 1 if that failed. */
static int set(json_t *o, const char *key, json_t *v)
{
    if (!o) {
        json_decref(v);
        return 1;
    }
    return json_object_set_new(o, key, v) != 0;
}

static json_t *estimate_json(const result *res, int m, long bootstrap)
{
    if (isnan(res->est[m]))
        return json_null();
    json_t *ci = json_null();
    if (bootstrap && !isnan(res->lo[m])) {
        ci = json_array();
        if (ci && (json_array_append_new(ci, json_real(round4(res->lo[m]))) != 0 ||
                   json_array_append_new(ci, json_real(round4(res->hi[m]))) != 0)) {
            json_decref(ci);
            return NULL;
        }
    }
    json_t *o = json_object();
    if (set(o, "estimate", json_real(round4(res->est[m]))) | set(o, "ci", ci)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *group_json(const stance_prevalence *p, const group *gr)
{
    json_t *labels = json_object(), *gj = json_object();
    int bad = set(gj, "group", gr->value ? json_incref(gr->value) : json_null());
    bad |= set(gj, "n", json_integer((json_int_t)gr->n));
    for (size_t l = 0; !bad && l < p->nlabels; l++) {
        const label *lb = &p->labels[l];
        const stance_dimension *d = stance_codebook_get_dimension(p->cb, lb->dim);
        if (!json_object_get(labels, d->name))
            bad |= set(labels, d->name, json_object());
        json_t *o = json_object();
        for (int m = 0; m < STANCE_PREV_METHODS; m++)
            bad |= set(o, method_names[m], estimate_json(&gr->res[l], m, p->opt.bootstrap));
        bad |= set(o, "preferred", json_string(method_names[gr->res[l].preferred]));
        bad |= set(o, "why", json_string(gr->res[l].why));
        bad |= set(json_object_get(labels, d->name), d->labels[lb->value], o);
    }
    bad |= set(gj, "labels", labels);
    if (bad) {
        json_decref(gj);
        return NULL;
    }
    return gj;
}

json_t *stance_prevalence_to_json(const stance_prevalence *p)
{
    double n = 0;
    json_t *groups = json_array();
    for (size_t g = 0; groups && g < p->ngroups; g++) {
        if (!p->groups[g].res)
            continue;
        n += p->groups[g].n;
        if (json_array_append_new(groups, group_json(p, &p->groups[g])) != 0) {
            json_decref(groups);
            return NULL;
        }
    }
    if (!groups)
        return NULL;
    json_t *o = json_pack("{s:s, s:I, s:I, s:I}", "unit", p->opt.articles ? "article" : "passage",
                          "n", (json_int_t)n, "bootstrap", (json_int_t)p->opt.bootstrap, "seed",
                          (json_int_t)p->opt.seed);
    if (o && p->opt.by && json_object_set_new(o, "by", json_string(p->opt.by)) != 0) {
        json_decref(o);
        o = NULL;
    }
    if (!o || json_object_set_new(o, "groups", groups) != 0) {
        json_decref(o);
        json_decref(groups);
        return NULL;
    }
    return o;
}

/* The group's name in the table: "(all)", "(none)", or the value escaped. */
static void group_name(const stance_prevalence *p, const group *gr, char *buf, size_t size)
{
    if (!p->opt.by) {
        snprintf(buf, size, "(all)");
    } else if (!gr->value) {
        snprintf(buf, size, "(none)");
    } else if (json_is_string(gr->value)) {
        stance_error_escape(json_string_value(gr->value), buf, size);
    } else {
        char *text = json_dumps(gr->value, JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
        snprintf(buf, size, "%s", text ? text : "?");
        free(text);
    }
}

static void put_number(FILE *f, double x)
{
    if (isnan(x))
        fputs("\t-", f);
    else
        fprintf(f, "\t%.4f", x);
}

stance_status stance_prevalence_write_tsv(const stance_prevalence *p, FILE *f, const char *name,
                                          stance_error *err)
{
    fputs("group\tdimension\tvalue\tn", f);
    for (int m = 0; m < STANCE_PREV_METHODS; m++)
        fprintf(f, "\t%s\t%s_low\t%s_high", method_names[m], method_names[m], method_names[m]);
    fputs("\tpreferred\twhy\n", f);
    char gname[4 * STANCE_ERROR_NAME_MAX], dname[4 * STANCE_ERROR_NAME_MAX], vname[4 * STANCE_ERROR_NAME_MAX];
    for (size_t g = 0; g < p->ngroups; g++) {
        const group *gr = &p->groups[g];
        if (!gr->res)
            continue;
        group_name(p, gr, gname, sizeof gname);
        for (size_t l = 0; l < p->nlabels; l++) {
            const stance_dimension *d = stance_codebook_get_dimension(p->cb, p->labels[l].dim);
            const result *res = &gr->res[l];
            stance_error_escape(d->name, dname, sizeof dname);
            stance_error_escape(d->labels[p->labels[l].value], vname, sizeof vname);
            fprintf(f, "%s\t%s\t%s\t%.0f", gname, dname, vname, gr->n);
            for (int m = 0; m < STANCE_PREV_METHODS; m++) {
                put_number(f, res->est[m]);
                put_number(f, res->lo[m]);
                put_number(f, res->hi[m]);
            }
            fprintf(f, "\t%s\t%s\n", method_names[res->preferred], res->why);
        }
    }
    if (ferror(f))
        return stance_fail(err, STANCE_ERR_IO, name, 0, "write failed");
    return STANCE_OK;
}
