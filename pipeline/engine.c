/* engine.c: the bridge to libsvm and liblinear; the only file that includes their headers. */
#include "stance/engine.h"

#include <errno.h>
#include <libsvm/svm.h>
#include <linear.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error_int.h"

struct stance_rows {
    stance_engine engine;
    size_t n;
    int nfeatures;
    struct feature_node **lin; /* liblinear rows: features, bias node, terminator */
    struct feature_node *lin_nodes;
    struct svm_node **svm;     /* libsvm rows: features, terminator */
    struct svm_node *svm_nodes;
};

struct stance_classifier {
    int nfeatures;
    double *w; /* linear: w[i - 1] is the weight of feature i */
    double bias;
    struct svm_model *svm; /* kernel models only */
    int flip;              /* libsvm's first class is -1: negate its decision values */
};

void stance_svm_options_default(stance_svm_options *opt)
{
    opt->engine = STANCE_ENGINE_AUTO;
    opt->kernel = STANCE_KERNEL_LINEAR;
    opt->gamma = 0;
    opt->degree = 3;
    opt->coef0 = 0;
    opt->balanced = 0;
}

const char *stance_engine_name(stance_engine e)
{
    return e == STANCE_ENGINE_LIBSVM ? "libsvm" : e == STANCE_ENGINE_LIBLINEAR ? "liblinear" : "auto";
}

const char *stance_kernel_name(stance_kernel k)
{
    return k == STANCE_KERNEL_RBF ? "rbf" : k == STANCE_KERNEL_POLY ? "poly" : "linear";
}

stance_status stance_engine_parse(const char *name, stance_engine *e, stance_error *err)
{
    const stance_engine all[] = {STANCE_ENGINE_AUTO, STANCE_ENGINE_LIBSVM, STANCE_ENGINE_LIBLINEAR};
    for (size_t i = 0; i < 3; i++)
        if (strcmp(name, stance_engine_name(all[i])) == 0) {
            *e = all[i];
            return STANCE_OK;
        }
    return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                       "unknown engine '%s' (expected auto, libsvm or liblinear)", name);
}

stance_status stance_kernel_parse(const char *name, stance_kernel *k, stance_error *err)
{
    const stance_kernel all[] = {STANCE_KERNEL_LINEAR, STANCE_KERNEL_RBF, STANCE_KERNEL_POLY};
    for (size_t i = 0; i < 3; i++)
        if (strcmp(name, stance_kernel_name(all[i])) == 0) {
            *k = all[i];
            return STANCE_OK;
        }
    return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                       "unknown kernel '%s' (expected linear, rbf or poly)", name);
}

stance_engine stance_engine_resolve(stance_engine e, stance_kernel k)
{
    if (e != STANCE_ENGINE_AUTO)
        return e;
    return k == STANCE_KERNEL_LINEAR ? STANCE_ENGINE_LIBLINEAR : STANCE_ENGINE_LIBSVM;
}

static void print_nothing(const char *s)
{
    (void)s;
}

void stance_engines_silence(void)
{
    svm_set_print_string_function(print_nothing);
    set_print_string_function(print_nothing);
}

/* ---- rows ---- */

void stance_rows_free(stance_rows *rows)
{
    if (!rows)
        return;
    free(rows->lin);
    free(rows->lin_nodes);
    free(rows->svm);
    free(rows->svm_nodes);
    free(rows);
}

static stance_status build_linear_rows(stance_rows *r, const stance_vector *vecs, size_t total)
{
    r->lin = malloc(r->n * sizeof *r->lin);
    r->lin_nodes = malloc((total + 2 * r->n) * sizeof *r->lin_nodes);
    if (!r->lin || !r->lin_nodes)
        return STANCE_ERR_NOMEM;
    struct feature_node *p = r->lin_nodes;
    for (size_t i = 0; i < r->n; i++) {
        r->lin[i] = p;
        for (size_t k = 0; k < vecs[i].count; k++)
            *p++ = (struct feature_node){vecs[i].items[k].index, vecs[i].items[k].value};
        *p++ = (struct feature_node){r->nfeatures + 1, 1.0}; /* the bias feature */
        *p++ = (struct feature_node){-1, 0};
    }
    return STANCE_OK;
}

static stance_status build_svm_rows(stance_rows *r, const stance_vector *vecs, size_t total)
{
    r->svm = malloc(r->n * sizeof *r->svm);
    r->svm_nodes = malloc((total + r->n) * sizeof *r->svm_nodes);
    if (!r->svm || !r->svm_nodes)
        return STANCE_ERR_NOMEM;
    struct svm_node *p = r->svm_nodes;
    for (size_t i = 0; i < r->n; i++) {
        r->svm[i] = p;
        for (size_t k = 0; k < vecs[i].count; k++)
            *p++ = (struct svm_node){vecs[i].items[k].index, vecs[i].items[k].value};
        *p++ = (struct svm_node){-1, 0};
    }
    return STANCE_OK;
}

stance_status stance_rows_new(const stance_vector *vecs, size_t n, int nfeatures,
                              stance_engine engine, stance_rows **out, stance_error *err)
{
    *out = NULL;
    stance_rows *r = calloc(1, sizeof *r);
    if (!r)
        return stance_fail_nomem(err, "training rows");
    r->engine = engine;
    r->n = n;
    r->nfeatures = nfeatures;
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += vecs[i].count;
    stance_status st = engine == STANCE_ENGINE_LIBLINEAR ? build_linear_rows(r, vecs, total)
                                                         : build_svm_rows(r, vecs, total);
    if (st != STANCE_OK) {
        stance_rows_free(r);
        return stance_fail_nomem(err, "training rows");
    }
    *out = r;
    return STANCE_OK;
}

/* ---- training ---- */

void stance_classifier_free(stance_classifier *cl)
{
    if (!cl)
        return;
    free(cl->w);
    if (cl->svm)
        svm_free_and_destroy_model(&cl->svm);
    free(cl);
}

static stance_classifier *new_linear(int nfeatures)
{
    stance_classifier *cl = calloc(1, sizeof *cl);
    if (!cl)
        return NULL;
    cl->nfeatures = nfeatures;
    cl->w = calloc((size_t)nfeatures + 1, sizeof *cl->w);
    if (!cl->w) {
        free(cl);
        return NULL;
    }
    return cl;
}

/* Balanced class weights: each class weighs as much as the other in total. */
static void class_weights(const signed char *y, size_t n, double w[2])
{
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        pos += y[i] > 0;
    w[0] = (double)n / (2.0 * (double)pos);
    w[1] = (double)n / (2.0 * (double)(n - pos));
}

static stance_status train_liblinear(const stance_rows *rows, const size_t *idx,
                                     const signed char *y, size_t n, const stance_svm_options *opt,
                                     double c, stance_classifier **out, stance_error *err)
{
    double *yy = malloc(n * sizeof *yy);
    struct feature_node **x = malloc(n * sizeof *x);
    stance_classifier *cl = new_linear(rows->nfeatures);
    if (!yy || !x || !cl) {
        free(yy), free(x), stance_classifier_free(cl);
        return stance_fail_nomem(err, "liblinear");
    }
    for (size_t i = 0; i < n; i++) {
        yy[i] = y[i] > 0 ? 1 : -1;
        x[i] = rows->lin[idx[i]];
    }
    struct problem prob = {(int)n, rows->nfeatures + 1, yy, x, 1.0};
    int labels[2] = {1, -1};
    double weights[2];
    class_weights(y, n, weights);
    struct parameter param = {L2R_L2LOSS_SVC, 0.01, c, opt->balanced ? 2 : 0, labels, weights, 0, NULL};
    const char *bad = check_parameter(&prob, &param);
    struct model *m = bad ? NULL : train(&prob, &param);
    if (!m) {
        free(yy), free(x), stance_classifier_free(cl);
        return stance_fail(err, STANCE_ERR_USAGE, "liblinear", 0, "%s", bad ? bad : "training failed");
    }
    double sign = m->label[0] == 1 ? 1.0 : -1.0;
    for (int j = 0; j < rows->nfeatures; j++)
        cl->w[j] = sign * m->w[j];
    cl->bias = sign * m->w[rows->nfeatures] * prob.bias;
    free_and_destroy_model(&m);
    free(yy), free(x);
    *out = cl;
    return STANCE_OK;
}

/* Replaces the support vectors' pointers into the training rows by one private block, so
 * the model outlives the rows; free_sv = 1 makes libsvm free that block with the model. */
static int own_support_vectors(struct svm_model *m)
{
    size_t total = 0;
    for (int i = 0; i < m->l; i++) {
        const struct svm_node *p = m->SV[i];
        while (p->index != -1)
            p++, total++;
        total++;
    }
    struct svm_node *block = malloc((total ? total : 1) * sizeof *block), *q = block;
    if (!block)
        return 0;
    for (int i = 0; i < m->l; i++) {
        const struct svm_node *p = m->SV[i];
        m->SV[i] = q;
        do
            *q++ = *p;
        while ((p++)->index != -1);
    }
    if (m->l == 0)
        free(block);
    m->free_sv = 1;
    return 1;
}

/* Collapses a linear libsvm model into w and bias: w = sum of coef_i * sv_i, bias = -rho. */
static void collapse_linear(const struct svm_model *m, stance_classifier *cl, double sign)
{
    for (int i = 0; i < m->l; i++)
        for (const struct svm_node *p = m->SV[i]; p->index != -1; p++)
            if (p->index >= 1 && p->index <= cl->nfeatures)
                cl->w[p->index - 1] += sign * m->sv_coef[0][i] * p->value;
    cl->bias = -sign * m->rho[0];
}

static stance_status train_libsvm(const stance_rows *rows, const size_t *idx, const signed char *y,
                                  size_t n, const stance_svm_options *opt, double c,
                                  stance_classifier **out, stance_error *err)
{
    double *yy = malloc(n * sizeof *yy);
    struct svm_node **x = malloc(n * sizeof *x);
    if (!yy || !x) {
        free(yy), free(x);
        return stance_fail_nomem(err, "libsvm");
    }
    for (size_t i = 0; i < n; i++) {
        yy[i] = y[i] > 0 ? 1 : -1;
        x[i] = rows->svm[idx[i]];
    }
    struct svm_problem prob = {(int)n, yy, x};
    int labels[2] = {1, -1};
    double weights[2];
    class_weights(y, n, weights);
    int kernel = opt->kernel == STANCE_KERNEL_RBF ? RBF : opt->kernel == STANCE_KERNEL_POLY ? POLY : LINEAR;
    double gamma = opt->gamma > 0 ? opt->gamma : 1.0 / (rows->nfeatures > 0 ? rows->nfeatures : 1);
    struct svm_parameter param = {C_SVC, kernel, opt->degree, gamma, opt->coef0, 100, 1e-3, c,
                                  opt->balanced ? 2 : 0, labels, weights, 0.5, 0.1, 1, 0};
    const char *bad = svm_check_parameter(&prob, &param);
    struct svm_model *m = bad ? NULL : svm_train(&prob, &param);
    stance_status st = STANCE_OK;
    stance_classifier *cl = NULL;
    if (!m) {
        st = stance_fail(err, STANCE_ERR_USAGE, "libsvm", 0, "%s", bad ? bad : "training failed");
    } else if (opt->kernel == STANCE_KERNEL_LINEAR) {
        if (!(cl = new_linear(rows->nfeatures)))
            st = stance_fail_nomem(err, "libsvm");
        else
            collapse_linear(m, cl, m->label[0] == 1 ? 1.0 : -1.0);
        svm_free_and_destroy_model(&m);
    } else if (!(cl = calloc(1, sizeof *cl)) || !own_support_vectors(m)) {
        svm_free_and_destroy_model(&m);
        st = stance_fail_nomem(err, "libsvm");
    } else {
        cl->nfeatures = rows->nfeatures;
        cl->svm = m;
        cl->flip = m->label[0] != 1;
    }
    free(yy), free(x);
    if (st != STANCE_OK) {
        stance_classifier_free(cl);
        return st;
    }
    *out = cl;
    return STANCE_OK;
}

stance_status stance_classifier_train(const stance_rows *rows, const size_t *idx,
                                      const signed char *y, size_t n,
                                      const stance_svm_options *opt, double c,
                                      stance_classifier **out, stance_error *err)
{
    *out = NULL;
    if (rows->engine == STANCE_ENGINE_LIBLINEAR) {
        if (opt->kernel != STANCE_KERNEL_LINEAR)
            return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                               "liblinear trains linear models only; use --engine libsvm for %s",
                               stance_kernel_name(opt->kernel));
        return train_liblinear(rows, idx, y, n, opt, c, out, err);
    }
    return train_libsvm(rows, idx, y, n, opt, c, out, err);
}

/* ---- prediction ---- */

int stance_classifier_is_linear(const stance_classifier *cl)
{
    return cl->svm == NULL;
}

static double kernel_decision(const stance_classifier *cl, const struct svm_node *x)
{
    double dec = 0;
    svm_predict_values(cl->svm, x, &dec);
    return cl->flip ? -dec : dec;
}

double stance_classifier_decision(const stance_classifier *cl, const stance_vector *x)
{
    if (!cl->svm) {
        double f = cl->bias;
        for (size_t k = 0; k < x->count; k++) {
            int i = x->items[k].index;
            if (i >= 1 && i <= cl->nfeatures)
                f += cl->w[i - 1] * x->items[k].value;
        }
        return f;
    }
    struct svm_node small[64], *nodes = x->count < 64 ? small : malloc((x->count + 1) * sizeof *nodes);
    if (!nodes)
        return NAN;
    for (size_t k = 0; k < x->count; k++)
        nodes[k] = (struct svm_node){x->items[k].index, x->items[k].value};
    nodes[x->count] = (struct svm_node){-1, 0};
    double f = kernel_decision(cl, nodes);
    if (nodes != small)
        free(nodes);
    return f;
}

double stance_classifier_decision_row(const stance_classifier *cl, const stance_rows *rows,
                                      size_t i)
{
    if (cl->svm)
        return kernel_decision(cl, rows->svm[i]);
    double f = cl->bias;
    if (rows->engine == STANCE_ENGINE_LIBLINEAR) {
        for (const struct feature_node *p = rows->lin[i]; p->index != -1; p++)
            if (p->index <= cl->nfeatures)
                f += cl->w[p->index - 1] * p->value;
    } else {
        for (const struct svm_node *p = rows->svm[i]; p->index != -1; p++)
            if (p->index <= cl->nfeatures)
                f += cl->w[p->index - 1] * p->value;
    }
    return f;
}

/* ---- files ---- */

stance_status stance_classifier_save(const stance_classifier *cl, const char *path,
                                     stance_error *err)
{
    if (cl->svm) {
        if (svm_save_model(path, cl->svm) != 0)
            return stance_fail_errno(err, errno ? errno : EIO, path, "cannot write libsvm model");
        return STANCE_OK;
    }
    FILE *f = fopen(path, "w");
    if (!f)
        return stance_fail_errno(err, errno, path, "cannot create");
    fprintf(f, "stance-linear 1\nfeatures %d\nbias %.9g\n", cl->nfeatures, cl->bias);
    for (int j = 0; j < cl->nfeatures; j++)
        if (cl->w[j] != 0)
            fprintf(f, "%d %.9g\n", j + 1, cl->w[j]);
    int failed = ferror(f);
    int e = errno;
    if (fclose(f) != 0 && !failed)
        failed = 1, e = errno;
    if (failed)
        return stance_fail_errno(err, e ? e : EIO, path, "write failed");
    return STANCE_OK;
}

/* Parses "<key> <number>" exactly. */
static int parse_keyed(const char *line, const char *key, double *value)
{
    size_t k = strlen(key);
    if (strncmp(line, key, k) != 0 || line[k] != ' ')
        return 0;
    char *end;
    errno = 0;
    *value = strtod(line + k + 1, &end);
    return errno == 0 && end != line + k + 1 && (*end == '\n' || *end == '\0') && isfinite(*value);
}

static stance_status parse_weight_line(stance_classifier *cl, const char *line, int *last,
                                       const char *path, long lineno, stance_error *err)
{
    char *end;
    errno = 0;
    long idx = strtol(line, &end, 10);
    if (errno || end == line || *end != ' ' || idx <= *last || idx > cl->nfeatures)
        return stance_fail(err, STANCE_ERR_DATA, path, lineno,
                           "expected an increasing feature index from 1 to %d", cl->nfeatures);
    const char *v = end + 1;
    double w = strtod(v, &end);
    if (errno || end == v || (*end != '\n' && *end != '\0') || !isfinite(w))
        return stance_fail(err, STANCE_ERR_DATA, path, lineno, "bad weight");
    cl->w[idx - 1] = w;
    *last = (int)idx;
    return STANCE_OK;
}

static stance_status load_linear(FILE *f, const char *path, int nfeatures, stance_classifier *cl,
                                 stance_error *err)
{
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    double v;
    stance_status st = STANCE_OK;
    int last = 0;
    while (st == STANCE_OK && getline(&line, &cap, f) >= 0) {
        lineno++;
        if (lineno == 1 && strcmp(line, "stance-linear 1\n") != 0)
            st = stance_fail(err, STANCE_ERR_DATA, path, 1, "not a stance linear model (version 1)");
        else if (lineno == 2 && (!parse_keyed(line, "features", &v) || v != nfeatures))
            st = stance_fail(err, STANCE_ERR_DATA, path, 2,
                             "expected \"features %d\" (the vocabulary size)", nfeatures);
        else if (lineno == 3 && !parse_keyed(line, "bias", &cl->bias))
            st = stance_fail(err, STANCE_ERR_DATA, path, 3, "expected \"bias <number>\"");
        else if (lineno > 3)
            st = parse_weight_line(cl, line, &last, path, lineno, err);
    }
    if (st == STANCE_OK && ferror(f))
        st = stance_fail_errno(err, errno, path, "read failed");
    if (st == STANCE_OK && lineno < 3)
        st = stance_fail(err, STANCE_ERR_DATA, path, lineno + 1, "file ends early (truncated?)");
    free(line);
    return st;
}

stance_status stance_classifier_load(const char *path, int linear, int nfeatures,
                                     stance_classifier **out, stance_error *err)
{
    *out = NULL;
    if (!linear) {
        FILE *probe = fopen(path, "r"); /* libsvm says only NULL; find out if it is missing */
        if (!probe)
            return stance_fail_errno(err, errno, path, "cannot open");
        fclose(probe);
        struct svm_model *m = svm_load_model(path);
        if (!m)
            return stance_fail(err, STANCE_ERR_DATA, path, 0, "not a readable libsvm model");
        stance_classifier *cl = calloc(1, sizeof *cl);
        if (!cl || m->nr_class != 2 || m->param.svm_type != C_SVC) {
            svm_free_and_destroy_model(&m);
            free(cl);
            return cl ? stance_fail(err, STANCE_ERR_DATA, path, 0, "not a binary C-SVC model")
                      : stance_fail_nomem(err, path);
        }
        cl->nfeatures = nfeatures;
        cl->svm = m;
        cl->flip = m->label[0] != 1;
        *out = cl;
        return STANCE_OK;
    }
    FILE *f = fopen(path, "r");
    if (!f)
        return stance_fail_errno(err, errno, path, "cannot open");
    stance_classifier *cl = new_linear(nfeatures);
    stance_status st = cl ? load_linear(f, path, nfeatures, cl, err) : stance_fail_nomem(err, path);
    fclose(f);
    if (st != STANCE_OK) {
        stance_classifier_free(cl);
        return st;
    }
    *out = cl;
    return STANCE_OK;
}
