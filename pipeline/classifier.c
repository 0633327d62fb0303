/* classifier.c: the binary classifiers libsvm and liblinear train, and their model files; with
 * engine.c and svmguard.cpp, the only files that include those libraries' headers. */
#include "stance/engine.h"

#include <errno.h>
#include <fcntl.h>
#include <libsvm/svm.h>
#include <limits.h>
#include <linear.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "classifier_int.h"
#include "error_int.h"
#include "grow_int.h"
#include "regfile_int.h"
#include "svmguard_int.h"

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

/* ---- memory ----
 * libsvm and liblinear check few of their allocations: where malloc fails they write through
 * NULL (libsvm's kernel cache: SIGSEGV in SVC_Q::get_Q), and their new[] throws
 * std::bad_alloc (liblinear's TRON::trpcg: SIGABRT), which svmguard.cpp catches. So before
 * each call the peak it will allocate must be there: estimated below, for every classifier
 * that may be training at once, under the address-space and data limits (ulimit -v, -d), and
 * one such share as a trial allocation (which also meets other limits, as strict overcommit). */

#define ENGINE_SLACK ((size_t)256 << 10) /* left unallocated: small allocations, malloc's padding */
#define LIBSVM_BYTES_PER_ROW 192          /* ~20 arrays of n (groups, sub-problem, solver, model) */
#define LIBSVM_HEAD_BYTES 48              /* a cache entry's head (32), a column's malloc header */
#define LIBSVM_CACHE_MAX ((size_t)100 << 20)
#define LIBLINEAR_BYTES_PER_ROW 96        /* ~10 arrays of n (C, z, I, groups, sub-problem) */
#define LIBLINEAR_BYTES_PER_FEATURE 96    /* ~10 vectors over the features (w, TRON's) */

/* n * size + add, or SIZE_MAX when that does not fit in a size_t. */
static size_t bytes_for(size_t n, size_t size, size_t add)
{
    if (size && n > (SIZE_MAX - add) / size)
        return SIZE_MAX;
    return n * size + add;
}

/* Bytes this process may still map under RLIMIT_AS and RLIMIT_DATA (read without allocating:
 * /proc/self/statm gives its size and its data and stack); SIZE_MAX when neither limit is
 * set or the size cannot be read. */
static size_t memory_headroom(void)
{
    struct rlimit as, data;
    if (getrlimit(RLIMIT_AS, &as) != 0)
        as.rlim_cur = RLIM_INFINITY;
    if (getrlimit(RLIMIT_DATA, &data) != 0)
        data.rlim_cur = RLIM_INFINITY;
    if (as.rlim_cur == RLIM_INFINITY && data.rlim_cur == RLIM_INFINITY)
        return SIZE_MAX;
    char buf[256];
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (got <= 0)
        return SIZE_MAX;
    buf[got] = '\0';
    unsigned long long field[6]; /* size resident shared text lib data, in pages */
    char *p = buf;
    for (int i = 0; i < 6; i++) {
        char *end;
        errno = 0;
        field[i] = strtoull(p, &end, 10);
        if (errno || end == p)
            return SIZE_MAX;
        p = end;
    }
    long page = sysconf(_SC_PAGESIZE);
    unsigned long long unit = page > 0 ? (unsigned long long)page : 4096, room = SIZE_MAX;
    const struct { rlim_t limit; unsigned long long used; } lim[2] = {
        {as.rlim_cur, field[0]}, {data.rlim_cur, field[5]},
    };
    for (int i = 0; i < 2; i++) {
        if (lim[i].limit == RLIM_INFINITY)
            continue;
        unsigned long long used = lim[i].used * unit, limit = (unsigned long long)lim[i].limit;
        unsigned long long left = used < limit ? limit - used : 0;
        if (left < room)
            room = left;
    }
    return room;
}

/* A classifier's share of the headroom when trainers train at once; SIZE_MAX for no limit. */
static size_t memory_share(int trainers)
{
    size_t room = memory_headroom();
    return room == SIZE_MAX ? SIZE_MAX : room / (size_t)(trainers > 1 ? trainers : 1);
}

static stance_status out_of_memory(size_t n, size_t need, stance_error *err)
{
    return stance_fail(err, STANCE_ERR_NOMEM, NULL, 0,
                       "out of memory (training on %zu passages needs at least %zu MB free)", n,
                       (need + ENGINE_SLACK) / ((size_t)1 << 20) + 1);
}

/* need bytes and ENGINE_SLACK fit in share, and need can be allocated now (released at once). */
static int can_allocate(size_t need, size_t share)
{
    if (need > share || share - need < ENGINE_SLACK)
        return 0;
    void *trial = malloc(need);
    free(trial);
    return trial != NULL;
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
        return stance_fail_nomem(err, NULL);
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
        return stance_fail_nomem(err, NULL);
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

/* NAME(rows, idx, n, scale, x): copies of rows idx[0..n) (liblinear's or libsvm's node type,
 * both {int index; double value;} ending at index -1, kept in rows->FIELD) with feature j
 * scaled by scale[j - 1] (liblinear's bias node kept): one block of nodes, the row pointers
 * into it stored in x. NULL on no memory. One definition for the two node types. */
#define DEFINE_SCALED_ROWS(NAME, NODE, FIELD)                                                   \
    static NODE *NAME(const stance_rows *rows, const size_t *idx, size_t n, const double *scale, \
                      NODE **x)                                                                 \
    {                                                                                           \
        size_t total = 0;                                                                       \
        for (size_t i = 0; i < n; i++)                                                          \
            for (const NODE *p = rows->FIELD[idx[i]];; p++, total++)                            \
                if (p->index == -1) {                                                           \
                    total++;                                                                    \
                    break;                                                                      \
                }                                                                               \
        NODE *block = malloc((total ? total : 1) * sizeof *block), *q = block;                  \
        if (!block)                                                                             \
            return NULL;                                                                        \
        for (size_t i = 0; i < n; i++) {                                                        \
            x[i] = q;                                                                           \
            const NODE *p = rows->FIELD[idx[i]];                                                \
            do {                                                                                \
                *q = *p;                                                                        \
                if (p->index >= 1 && p->index <= rows->nfeatures)                               \
                    q->value *= scale[p->index - 1];                                            \
                q++;                                                                            \
            } while ((p++)->index != -1);                                                       \
        }                                                                                       \
        return block;                                                                           \
    }
DEFINE_SCALED_ROWS(scaled_linear_rows, struct feature_node, lin)
DEFINE_SCALED_ROWS(scaled_svm_rows, struct svm_node, svm)

static stance_status train_liblinear(const stance_rows *rows, const size_t *idx,
                                     const signed char *y, size_t n, const stance_svm_options *opt,
                                     double c, const double *scale, stance_classifier **out,
                                     stance_error *err)
{
    double *yy = malloc(n * sizeof *yy);
    struct feature_node **x = malloc(n * sizeof *x), *block = NULL;
    stance_classifier *cl = new_linear(rows->nfeatures);
    if (!yy || !x || !cl || (scale && !(block = scaled_linear_rows(rows, idx, n, scale, x)))) {
        free(yy), free(x), stance_classifier_free(cl);
        return stance_fail_nomem(err, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        yy[i] = y[i] > 0 ? 1 : -1;
        if (!scale)
            x[i] = rows->lin[idx[i]];
    }
    struct problem prob = {(int)n, rows->nfeatures + 1, yy, x, 1.0};
    int labels[2] = {1, -1};
    double weights[2];
    class_weights(y, n, weights);
    struct parameter param = {L2R_L2LOSS_SVC, 0.01, c, opt->balanced ? 2 : 0, labels, weights, 0, NULL};
    const char *bad = check_parameter(&prob, &param);
    size_t need = bytes_for(n, LIBLINEAR_BYTES_PER_ROW,
                            bytes_for((size_t)rows->nfeatures + 2, LIBLINEAR_BYTES_PER_FEATURE, 0));
    int room = bad || can_allocate(need, memory_share(opt->trainers));
    stance_guard_result why = STANCE_GUARD_FAILED;
    struct model *m = bad || !room ? NULL : stance_guard_linear_train(&prob, &param, &why);
    free(block);
    if (!m) {
        free(yy), free(x), stance_classifier_free(cl);
        if (!room || why == STANCE_GUARD_NOMEM)
            return out_of_memory(n, need, err);
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "liblinear: %s",
                           bad ? bad : why == STANCE_GUARD_THREW ? "training failed (exception)"
                                                                : "training failed");
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

/* Memory for libsvm on n rows: its arrays, and its kernel cache, which holds columns of the
 * kernel matrix (n floats each, a 32-byte head per row): all n columns, at most
 * LIBSVM_CACHE_MAX, shrunk to what share leaves (a smaller cache is slower, not different),
 * but at least the two columns libsvm insists on. Sets *cache_param to the cache_size in bytes
 * libsvm's own accounting wants (which leaves out malloc's headers); returns the total, and
 * sets *least to the least total (the two columns). */
static size_t libsvm_budget(size_t n, size_t share, size_t *cache_param, size_t *least)
{
    size_t fixed = bytes_for(n, LIBSVM_BYTES_PER_ROW, 0);
    size_t heads = bytes_for(n, LIBSVM_HEAD_BYTES, 0);
    size_t two = bytes_for(n, 2 * sizeof(float), heads);
    size_t cache = bytes_for(n, n * sizeof(float), heads); /* n <= INT_MAX: n * 4 fits */
    if (cache > LIBSVM_CACHE_MAX)
        cache = LIBSVM_CACHE_MAX > two ? LIBSVM_CACHE_MAX : two;
    size_t spare = share - ENGINE_SLACK; /* what the cache may take, when there is a limit */
    if (share != SIZE_MAX && share > fixed + ENGINE_SLACK && spare - fixed < cache)
        cache = spare - fixed > two ? spare - fixed : two;
    *cache_param = cache - n * 16; /* heads holds 48 bytes a row: 32 libsvm counts, 16 it does not */
    *least = fixed + two;
    return cache <= SIZE_MAX - fixed ? fixed + cache : SIZE_MAX;
}

static stance_status train_libsvm(const stance_rows *rows, const size_t *idx, const signed char *y,
                                  size_t n, const stance_svm_options *opt, double c,
                                  const double *scale, stance_classifier **out, stance_error *err)
{
    double *yy = malloc(n * sizeof *yy);
    struct svm_node **x = malloc(n * sizeof *x), *block = NULL;
    if (!yy || !x || (scale && !(block = scaled_svm_rows(rows, idx, n, scale, x)))) {
        free(yy), free(x);
        return stance_fail_nomem(err, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        yy[i] = y[i] > 0 ? 1 : -1;
        if (!scale)
            x[i] = rows->svm[idx[i]];
    }
    struct svm_problem prob = {(int)n, yy, x};
    int labels[2] = {1, -1};
    double weights[2];
    class_weights(y, n, weights);
    int kernel = opt->kernel == STANCE_KERNEL_RBF ? RBF : opt->kernel == STANCE_KERNEL_POLY ? POLY : LINEAR;
    double gamma = opt->gamma > 0 ? opt->gamma : 1.0 / (rows->nfeatures > 0 ? rows->nfeatures : 1);
    size_t cache, least, share = memory_share(opt->trainers);
    size_t need = libsvm_budget(n, share, &cache, &least);
    struct svm_parameter param = {C_SVC, kernel, opt->degree, gamma, opt->coef0,
                                  (double)cache / (1 << 20), 1e-3, c,
                                  opt->balanced ? 2 : 0, labels, weights, 0.5, 0.1, 1, 0};
    const char *bad = svm_check_parameter(&prob, &param);
    int room = bad || can_allocate(need, share);
    stance_guard_result why = STANCE_GUARD_FAILED;
    struct svm_model *m = bad || !room ? NULL : stance_guard_svm_train(&prob, &param, &why);
    stance_status st = STANCE_OK;
    stance_classifier *cl = NULL;
    if (!m && (!room || why == STANCE_GUARD_NOMEM)) {
        st = out_of_memory(n, room ? need : least, err);
    } else if (!m) {
        st = stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "libsvm: %s",
                         bad ? bad : why == STANCE_GUARD_THREW ? "training failed (exception)"
                                                              : "training failed");
    } else if (opt->kernel == STANCE_KERNEL_LINEAR) {
        if (!(cl = new_linear(rows->nfeatures)))
            st = stance_fail_nomem(err, NULL);
        else
            collapse_linear(m, cl, m->label[0] == 1 ? 1.0 : -1.0);
        svm_free_and_destroy_model(&m);
    } else if (!(cl = calloc(1, sizeof *cl)) || !own_support_vectors(m)) {
        svm_free_and_destroy_model(&m);
        st = stance_fail_nomem(err, NULL);
    } else {
        cl->nfeatures = rows->nfeatures;
        cl->svm = m;
        cl->flip = m->label[0] != 1;
    }
    free(block); /* the linear case is collapsed, and kernel models own their support vectors */
    free(yy), free(x);
    if (st != STANCE_OK) {
        stance_classifier_free(cl);
        return st;
    }
    *out = cl;
    return STANCE_OK;
}

static stance_status train_any(const stance_rows *rows, const size_t *idx, const signed char *y,
                               size_t n, const stance_svm_options *opt, double c,
                               const double *scale, stance_classifier **out, stance_error *err)
{
    *out = NULL;
    if (rows->engine == STANCE_ENGINE_LIBLINEAR) {
        if (opt->kernel != STANCE_KERNEL_LINEAR)
            return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                               "liblinear trains linear models only; use --engine libsvm for %s",
                               stance_kernel_name(opt->kernel));
        return train_liblinear(rows, idx, y, n, opt, c, scale, out, err);
    }
    return train_libsvm(rows, idx, y, n, opt, c, scale, out, err);
}

stance_status stance_classifier_train(const stance_rows *rows, const size_t *idx,
                                      const signed char *y, size_t n,
                                      const stance_svm_options *opt, double c,
                                      stance_classifier **out, stance_error *err)
{
    return train_any(rows, idx, y, n, opt, c, NULL, out, err);
}

stance_status stance_classifier_train_scaled(const stance_rows *rows, const size_t *idx,
                                             const signed char *y, size_t n,
                                             const stance_svm_options *opt, double c,
                                             const double *scale, double beta,
                                             stance_classifier **out, stance_error *err)
{
    return stance_classifier_train_masked(rows, idx, y, n, opt, c, scale, beta, NULL, out, err);
}

stance_status stance_classifier_train_masked(const stance_rows *rows, const size_t *idx,
                                             const signed char *y, size_t n,
                                             const stance_svm_options *opt, double c,
                                             const double *scale, double beta,
                                             const double *keep, stance_classifier **out,
                                             stance_error *err)
{
    *out = NULL;
    if (opt->kernel != STANCE_KERNEL_LINEAR)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "scaled features need the linear kernel (a %s model cannot fold the scale in)",
                           stance_kernel_name(opt->kernel));
    stance_classifier *cl;
    stance_status st = train_any(rows, idx, y, n, opt, c, scale, &cl, err);
    if (st != STANCE_OK)
        return st;
    double mean = 0;
    int kept = 0;
    for (int j = 0; j < cl->nfeatures; j++)
        if (!keep || keep[j] != 0) {
            mean += fabs(cl->w[j]);
            kept++;
        }
    mean /= kept > 0 ? kept : 1;
    for (int j = 0; j < cl->nfeatures; j++)
        cl->w[j] = ((1 - beta) * mean + beta * cl->w[j]) * scale[j];
    *out = cl;
    return STANCE_OK;
}

/* ---- prediction ---- */

int stance_classifier_is_linear(const stance_classifier *cl)
{
    return cl->svm == NULL;
}

double stance_classifier_get_bias(const stance_classifier *cl)
{
    return cl->svm ? 0 : cl->bias;
}

double stance_classifier_get_weight(const stance_classifier *cl, int feature)
{
    return cl->svm || feature < 1 || feature > cl->nfeatures ? 0 : cl->w[feature - 1];
}

/* base to the power e >= 0 by repeated squaring (the way libsvm computes it, so results match). */
static double power_int(double base, int e)
{
    double result = 1;
    for (; e > 0; e /= 2, base *= base)
        if (e % 2 == 1)
            result *= base;
    return result;
}

/* NAME(cl, x, n): the decision value of a two-class kernel model at x[0..n) (features of
 * type X: {int index; double value;}, increasing indices), sum of coef_i k(x, sv_i) - rho. It is
 * computed here rather than by svm_predict_values, which allocates three arrays a call without
 * checking them; with the same terms in the same order (the squared distance and the dot
 * product summed in index order), so the same value. One definition for the two types of x.
 * x is walked by index: an empty vector may have x == NULL. */
#define DEFINE_KERNEL_DECISION(NAME, X)                                                        \
    static double NAME(const stance_classifier *cl, const X *x, size_t n)                     \
    {                                                                                          \
        const struct svm_model *m = cl->svm;                                                   \
        const struct svm_parameter *p = &m->param;                                             \
        double dec = 0;                                                                        \
        for (int i = 0; i < m->l; i++) {                                                       \
            size_t a = 0;                                                                      \
            const struct svm_node *b = m->SV[i];                                               \
            double sum = 0;                                                                    \
            for (;;) {                                                                         \
                int more_a = a < n, more_b = b->index != -1;                                   \
                if (more_a && more_b && x[a].index == b->index) {                              \
                    double va = x[a++].value, vb = (b++)->value;                               \
                    sum += p->kernel_type == RBF ? (va - vb) * (va - vb) : va * vb;            \
                } else if (more_a && (!more_b || x[a].index < b->index)) {                     \
                    if (p->kernel_type == RBF)                                                 \
                        sum += x[a].value * x[a].value;                                        \
                    a++;                                                                       \
                } else if (more_b) {                                                           \
                    if (p->kernel_type == RBF)                                                 \
                        sum += b->value * b->value;                                            \
                    b++;                                                                       \
                } else {                                                                       \
                    break;                                                                     \
                }                                                                              \
            }                                                                                  \
            dec += m->sv_coef[0][i] * (p->kernel_type == RBF                                   \
                                           ? exp(-p->gamma * sum)                              \
                                           : power_int(p->gamma * sum + p->coef0, p->degree)); \
        }                                                                                      \
        dec -= m->rho[0];                                                                      \
        return cl->flip ? -dec : dec;                                                          \
    }
DEFINE_KERNEL_DECISION(kernel_decision_vector, stance_feature)
DEFINE_KERNEL_DECISION(kernel_decision_row, struct svm_node)

double stance_classifier_decision(const stance_classifier *cl, const stance_vector *x)
{
    if (cl->svm)
        return kernel_decision_vector(cl, x->items, x->count);
    double f = cl->bias;
    for (size_t k = 0; k < x->count; k++) {
        int i = x->items[k].index;
        if (i >= 1 && i <= cl->nfeatures)
            f += cl->w[i - 1] * x->items[k].value;
    }
    return f;
}

double stance_classifier_decision_row(const stance_classifier *cl, const stance_rows *rows,
                                      size_t i)
{
    if (cl->svm) {
        size_t n = 0;
        while (rows->svm[i][n].index != -1)
            n++;
        return kernel_decision_row(cl, rows->svm[i], n);
    }
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
    return stance_linear_save(path, cl->nfeatures, cl->w, 1, cl->bias, err);
}

stance_status stance_linear_save(const char *path, int nfeatures, const double *w, size_t stride,
                                 double bias, stance_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return stance_fail_errno(err, errno, path, "cannot create");
    fprintf(f, "stance-linear 1\nfeatures %d\nbias %.9g\n", nfeatures, bias);
    for (int j = 0; j < nfeatures; j++)
        if (w[(size_t)j * stride] != 0)
            fprintf(f, "%d %.9g\n", j + 1, w[(size_t)j * stride]);
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

/* Parses "index weight" (a NUL-terminated line) through strtol and strtod, storing the weight
 * at w[(index - 1) * stride]. */
static stance_status parse_weight_line(const char *line, int nfeatures, int *last, double *w,
                                       size_t stride, const char *path, long lineno,
                                       stance_error *err)
{
    char *end;
    errno = 0;
    long idx = strtol(line, &end, 10);
    if (errno || end == line || *end != ' ' || idx <= *last || idx > nfeatures)
        return stance_fail(err, STANCE_ERR_DATA, path, lineno,
                           "expected an increasing feature index from 1 to %d", nfeatures);
    const char *v = end + 1;
    double x = strtod(v, &end);
    if (errno || end == v || (*end != '\n' && *end != '\0') || !isfinite(x))
        return stance_fail(err, STANCE_ERR_DATA, path, lineno, "bad weight");
    w[(size_t)(idx - 1) * stride] = x;
    *last = (int)idx;
    return STANCE_OK;
}

/* Every power of ten up to 1e22 is exact as a double. */
static const double exact_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* Reads a number -?D+(.D+)?(e[+-]?D+)? from p (before end) when that is exact without strtod:
 * at most 15 significant digits (an exact double m) scaled by 10^k with |k| <= 22 (exact too),
 * so one IEEE multiplication or division gives the correctly rounded value, as strtod does.
 * Returns the end of the number, or NULL to leave the text to strtod. */
static const char *quick_number(const char *p, const char *end, double *value)
{
    int neg = p < end && *p == '-';
    p += neg;
    uint64_t m = 0;
    int digits = 0, scale = 0, frac = 0;
    const char *first = p;
    for (; p < end && ((*p >= '0' && *p <= '9') || (*p == '.' && !frac && p > first)); p++) {
        if (*p == '.') {
            frac = 1;
            if (p + 1 >= end || p[1] < '0' || p[1] > '9')
                return NULL;
            continue;
        }
        if ((m || *p != '0') && ++digits > 15)
            return NULL;
        m = m * 10 + (uint64_t)(*p - '0');
        scale -= frac;
    }
    if (p == first)
        return NULL;
    if (p < end && *p == 'e') {
        int eneg = ++p < end && *p == '-';
        p += p < end && (*p == '-' || *p == '+');
        int e = 0;
        const char *digits_at = p;
        for (; p < end && *p >= '0' && *p <= '9' && e < 1000; p++)
            e = e * 10 + (*p - '0');
        if (p == digits_at || (p < end && *p >= '0' && *p <= '9'))
            return NULL;
        scale += eneg ? -e : e;
    }
    if (scale < -22 || scale > 22)
        return NULL;
    double x = (double)m;
    x = scale < 0 ? x / exact_pow10[-scale] : x * exact_pow10[scale];
    *value = neg ? -x : x;
    return p;
}

/* The common weight line, "index weight" in the form save writes, without strtol and strtod;
 * 0 for anything else (parse_weight_line decides about it). */
static int quick_weight_line(const char *p, const char *eol, int nfeatures, int *last, double *w,
                             size_t stride)
{
    long idx = 0;
    const char *first = p;
    for (; p < eol && *p >= '0' && *p <= '9' && p - first < 10; p++)
        idx = idx * 10 + (*p - '0');
    double x = 0;
    if (p == first || p >= eol || *p != ' ' || idx <= *last || idx > nfeatures ||
        quick_number(p + 1, eol, &x) != eol)
        return 0;
    w[(size_t)(idx - 1) * stride] = x;
    *last = (int)idx;
    return 1;
}

stance_status stance_linear_parse(const char *text, size_t len, const char *path, int nfeatures,
                                  double *w, size_t stride, double *bias, stance_error *err)
{
    const char *p = text, *end = text + len;
    char *line = NULL; /* a line as getline would give it, for the careful path */
    size_t cap = 0;
    long lineno = 0;
    double v;
    stance_status st = STANCE_OK;
    int last = 0;
    while (st == STANCE_OK && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end, *next = nl ? nl + 1 : end;
        lineno++;
        if (lineno > 3 && quick_weight_line(p, eol, nfeatures, &last, w, stride)) {
            p = next;
            continue;
        }
        size_t n = (size_t)(next - p);
        char *b = stance_grow(line, &cap, 0, n + 1, 1);
        if (!b) {
            st = stance_fail_nomem(err, path);
            break;
        }
        line = b;
        memcpy(line, p, n);
        line[n] = '\0';
        p = next;
        if (lineno == 1 && strcmp(line, "stance-linear 1\n") != 0)
            st = stance_fail(err, STANCE_ERR_DATA, path, 1, "not a stance linear model (version 1)");
        else if (lineno == 2 && (!parse_keyed(line, "features", &v) || v != nfeatures))
            st = stance_fail(err, STANCE_ERR_DATA, path, 2,
                             "expected \"features %d\" (the vocabulary size)", nfeatures);
        else if (lineno == 3 && !parse_keyed(line, "bias", bias))
            st = stance_fail(err, STANCE_ERR_DATA, path, 3, "expected \"bias <number>\"");
        else if (lineno > 3)
            st = parse_weight_line(line, nfeatures, &last, w, stride, path, lineno, err);
    }
    if (st == STANCE_OK && lineno < 3)
        st = stance_fail(err, STANCE_ERR_DATA, path, lineno + 1, "file ends early (truncated?)");
    free(line);
    return st;
}

/* libsvm's svm_load_model trusts its input: a key before "nr_class", a missing "label" or
 * "nr_sv", or fewer SV lines than "total_sv" make it read or write out of bounds, and a
 * precomputed kernel makes prediction index by feature value. parse_svm, which reads kernel
 * unit files in its place, accepts only the shape svm_save_model gives a two-class C-SVC with
 * the rbf or polynomial kernel: these header lines in this order (optional ones may be
 * absent), then the SVs. */
enum { SVM_TYPE, KERNEL_TYPE, DEGREE, GAMMA, COEF0, NR_CLASS, TOTAL_SV, RHO, LABEL, PROB_A, PROB_B,
       NR_SV, SV, SVM_NKEYS };
static const struct {
    const char *key;
    int optional;
    size_t nums; /* numbers after the key; 0: the whole line is fixed */
    int ints;
} svm_keys[SVM_NKEYS] = {
    [SVM_TYPE] = {"svm_type", 0, 0, 0}, [KERNEL_TYPE] = {"kernel_type", 0, 0, 0},
    [DEGREE] = {"degree", 1, 1, 1},     [GAMMA] = {"gamma", 1, 1, 0},
    [COEF0] = {"coef0", 1, 1, 0},       [NR_CLASS] = {"nr_class", 0, 0, 0},
    [TOTAL_SV] = {"total_sv", 0, 1, 1}, [RHO] = {"rho", 0, 1, 0},
    [LABEL] = {"label", 0, 2, 1},       [PROB_A] = {"probA", 1, 1, 0},
    [PROB_B] = {"probB", 1, 1, 0},      [NR_SV] = {"nr_sv", 0, 2, 1},
    [SV] = {"SV", 0, 0, 0},
};

/* Parses n numbers, each after one space, then the end of the line; finite, and ints in int
 * range when ints is set. */
static int line_numbers(const char *p, size_t n, int ints, double *out)
{
    for (size_t i = 0; i < n; i++) {
        if (*p++ != ' ' || *p == ' ')
            return 0;
        char *end;
        errno = 0;
        if (ints) {
            long v = strtol(p, &end, 10);
            if (errno || v < INT_MIN || v > INT_MAX)
                return 0;
            out[i] = (double)v;
        } else {
            out[i] = strtod(p, &end); /* a subnormal sets ERANGE and is fine */
        }
        if (end == p || !isfinite(out[i]))
            return 0;
        p = end;
    }
    return strcmp(p, "\n") == 0;
}

/* Header line of key k (already matched), its numbers into v. */
static int svm_header_ok(int k, const char *line, double *v)
{
    if (svm_keys[k].nums)
        return line_numbers(line + strlen(svm_keys[k].key), svm_keys[k].nums, svm_keys[k].ints, v);
    switch (k) {
    case SVM_TYPE: return strcmp(line, "svm_type c_svc\n") == 0;
    case KERNEL_TYPE:
        return strcmp(line, "kernel_type rbf\n") == 0 || strcmp(line, "kernel_type polynomial\n") == 0;
    case NR_CLASS: return strcmp(line, "nr_class 2\n") == 0;
    default: return strcmp(line, "SV\n") == 0;
    }
}

/* One SV line: a coefficient, then " index:value" pairs with increasing indices from 1. */
static int sv_line_ok(const char *p)
{
    char *end;
    double coef = strtod(p, &end);
    if (end == p || *p == ' ' || !isfinite(coef))
        return 0;
    long prev = 0;
    for (p = end; p[0] == ' ' && p[1] != '\n' && p[1] != '\0'; p = end) {
        p++;
        errno = 0;
        long index = strtol(p, &end, 10);
        if (end == p || *p < '0' || *p > '9' || *end != ':' || errno || index <= prev ||
            index > INT_MAX)
            return 0;
        p = end + 1;
        double value = strtod(p, &end);
        if (end == p || *p == ' ' || !isfinite(value))
            return 0;
        prev = index;
    }
    if (*p == ' ')
        p++;
    return strcmp(p, "\n") == 0 || *p == '\0';
}

/* Index of the key line starts with, at or after key next with only optional keys skipped;
 * SVM_NKEYS if none. */
static int svm_key_at(const char *line, int next)
{
    size_t klen = strcspn(line, " \n");
    for (int k = next; k < SVM_NKEYS; k++) {
        if (strlen(svm_keys[k].key) == klen && strncmp(line, svm_keys[k].key, klen) == 0)
            return k;
        if (!svm_keys[k].optional)
            break;
    }
    return SVM_NKEYS;
}

/* A kernel unit file as read so far: its header's values and its support vectors, each
 * sv_start[i] nodes into nodes (ending at index -1) with coefficient coef[i]. */
typedef struct {
    int kernel, degree, label[2], nsv[2];
    double gamma, coef0, rho, prob_a, prob_b;
    int has_prob_a, has_prob_b;
    long total, svs;
    double *coef;
    size_t *sv_start;
    struct svm_node *nodes;
    size_t nnodes, node_cap, sv_cap;
} svm_text;

/* Keeps the values of header line k (already checked, numbers in v). */
static void svm_header_keep(svm_text *t, int k, const char *line, const double *v)
{
    switch (k) {
    case KERNEL_TYPE: t->kernel = strcmp(line, "kernel_type rbf\n") == 0 ? RBF : POLY; break;
    case DEGREE: t->degree = (int)v[0]; break;
    case GAMMA: t->gamma = v[0]; break;
    case COEF0: t->coef0 = v[0]; break;
    case TOTAL_SV: t->total = (long)v[0]; break;
    case RHO: t->rho = v[0]; break;
    case LABEL: t->label[0] = (int)v[0], t->label[1] = (int)v[1]; break;
    case PROB_A: t->prob_a = v[0], t->has_prob_a = 1; break;
    case PROB_B: t->prob_b = v[0], t->has_prob_b = 1; break;
    case NR_SV: t->nsv[0] = (int)v[0], t->nsv[1] = (int)v[1]; break;
    default: break;
    }
}

/* Appends the support vector of line p (checked by sv_line_ok), parsed as svm_load_model
 * parses it (strtod, strtol), so the model is the one libsvm would read. 0 if out of memory. */
static int svm_add_vector(svm_text *t, const char *p)
{
    size_t pairs = 0;
    for (const char *q = strchr(p, ':'); q; q = strchr(q + 1, ':'))
        pairs++;
    size_t sv = (size_t)t->svs, cap = t->sv_cap; /* coef and sv_start grow alike */
    double *coef = stance_grow(t->coef, &cap, sv, 1, sizeof *coef);
    if (!coef)
        return 0;
    t->coef = coef;
    size_t *sv_start = stance_grow(t->sv_start, &t->sv_cap, sv, 1, sizeof *sv_start);
    if (!sv_start)
        return 0;
    t->sv_start = sv_start;
    struct svm_node *nodes = stance_grow(t->nodes, &t->node_cap, t->nnodes, pairs + 1,
                                         sizeof *nodes);
    if (!nodes)
        return 0;
    t->nodes = nodes;
    char *end;
    t->coef[sv] = strtod(p, &end);
    t->sv_start[sv] = t->nnodes;
    for (size_t i = 0; i < pairs; i++) {
        p = end + 1;
        int index = (int)strtol(p, &end, 10);
        t->nodes[t->nnodes++] = (struct svm_node){index, strtod(end + 1, &end)};
    }
    t->nodes[t->nnodes++] = (struct svm_node){-1, 0};
    t->svs++;
    return 1;
}

/* The libsvm model of a complete t, laid out as svm_load_model lays one out (every array from
 * malloc; the nodes in one block at SV[0], freed with the model as free_sv = 1 says), so that
 * svm_free_and_destroy_model frees it; t's coefficients and nodes move into it. NULL if out
 * of memory. */
static struct svm_model *svm_model_of(svm_text *t)
{
    struct svm_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->SV = malloc((size_t)t->total * sizeof *m->SV);
    m->sv_coef = malloc(sizeof *m->sv_coef);
    m->rho = malloc(sizeof *m->rho);
    m->label = malloc(2 * sizeof *m->label);
    m->nSV = malloc(2 * sizeof *m->nSV);
    m->probA = t->has_prob_a ? malloc(sizeof *m->probA) : NULL;
    m->probB = t->has_prob_b ? malloc(sizeof *m->probB) : NULL;
    if (!m->SV || !m->sv_coef || !m->rho || !m->label || !m->nSV ||
        (t->has_prob_a && !m->probA) || (t->has_prob_b && !m->probB)) {
        free(m->SV), free(m->sv_coef), free(m->rho), free(m->label), free(m->nSV);
        free(m->probA), free(m->probB), free(m);
        return NULL;
    }
    m->param.svm_type = C_SVC;
    m->param.kernel_type = t->kernel;
    m->param.degree = t->degree;
    m->param.gamma = t->gamma;
    m->param.coef0 = t->coef0;
    m->nr_class = 2;
    m->l = (int)t->total;
    for (long i = 0; i < t->total; i++)
        m->SV[i] = t->nodes + t->sv_start[i];
    m->sv_coef[0] = t->coef;
    m->rho[0] = t->rho;
    memcpy(m->label, t->label, sizeof t->label);
    memcpy(m->nSV, t->nsv, sizeof t->nsv);
    if (m->probA)
        m->probA[0] = t->prob_a;
    if (m->probB)
        m->probB[0] = t->prob_b;
    m->free_sv = 1;
    t->coef = NULL;
    t->nodes = NULL;
    return m;
}

/* Checks one line of a kernel unit file (NUL-terminated, with its '\n' if it has one) and
 * keeps what it gives in t; *next is the header key expected next (SVM_NKEYS: past "SV").
 * Returns NULL, or what is wrong; *nomem is set when that is memory. */
static const char *svm_line(svm_text *t, const char *line, size_t len, int *next, int *nomem)
{
    double v[2];
    int k = *next < SVM_NKEYS ? svm_key_at(line, *next) : SVM_NKEYS;
    if (strlen(line) != len)
        return "NUL byte";
    if (*next == SVM_NKEYS) { /* past "SV": a support vector */
        if (t->svs + 1 > t->total)
            return "more support vectors than total_sv";
        if (!sv_line_ok(line))
            return "malformed support vector";
        if (!svm_add_vector(t, line))
            return *nomem = 1, "out of memory";
        return NULL;
    }
    if (k == SVM_NKEYS)
        return "not a libsvm model as stance writes (header lines missing or out of order)";
    if (!svm_header_ok(k, line, v))
        return "not a two-class C-SVC with the rbf or polynomial kernel";
    if ((k == GAMMA && !(v[0] > 0)) || (k == DEGREE && !(v[0] >= 0 && v[0] <= INT_MAX)))
        return "gamma must be above 0 and degree at least 0";
    if ((k == TOTAL_SV && v[0] < 1) || (k == LABEL && v[0] == v[1]) ||
        (k == NR_SV && (v[0] < 0 || v[1] < 0 || v[0] + v[1] != (double)t->total)))
        return "inconsistent support vector counts or labels";
    svm_header_keep(t, k, line, v);
    *next = k + 1;
    return NULL;
}

/* Reads a kernel unit file held in text[0..len) into a libsvm model (*out; caller frees with
 * svm_free_and_destroy_model). libsvm's own svm_load_model is not used: it takes a path, so
 * it would read the file a second time, after its checksum was checked on the first. */
static stance_status parse_svm(const char *text, size_t len, const char *path,
                               struct svm_model **out, stance_error *err)
{
    *out = NULL;
    svm_text t = {.kernel = RBF};
    const char *p = text, *end = text + len, *bad = NULL;
    char *line = NULL; /* one line at a time, NUL-terminated for strtod and strcmp */
    size_t cap = 0;
    long lineno = 0;
    int next = 0, nomem = 0;
    while (!bad && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl + 1 : end) - p);
        lineno++;
        char *b = stance_grow(line, &cap, 0, n + 1, 1);
        if (!b) {
            nomem = 1;
            break;
        }
        line = b;
        memcpy(line, p, n);
        line[n] = '\0';
        p += n;
        bad = svm_line(&t, line, n, &next, &nomem);
    }
    free(line);
    stance_status st = STANCE_OK;
    if (nomem)
        st = stance_fail_nomem(err, path);
    else if (bad)
        st = stance_fail(err, STANCE_ERR_DATA, path, lineno, "%s", bad);
    else if (next < SVM_NKEYS || t.svs < t.total)
        st = stance_fail(err, STANCE_ERR_DATA, path, lineno + 1, "file ends early (truncated?)");
    else if (!(*out = svm_model_of(&t)))
        st = stance_fail_nomem(err, path);
    free(t.coef);
    free(t.sv_start);
    free(t.nodes);
    return st;
}

stance_status stance_classifier_parse(const char *text, size_t len, const char *path, int linear,
                                      int nfeatures, stance_classifier **out, stance_error *err)
{
    *out = NULL;
    stance_classifier *cl = linear ? new_linear(nfeatures) : calloc(1, sizeof *cl);
    if (!cl)
        return stance_fail_nomem(err, path);
    cl->nfeatures = nfeatures;
    stance_status st = linear ? stance_linear_parse(text, len, path, nfeatures, cl->w, 1, &cl->bias, err)
                              : parse_svm(text, len, path, &cl->svm, err);
    if (st != STANCE_OK) {
        stance_classifier_free(cl);
        return st;
    }
    if (cl->svm)
        cl->flip = cl->svm->label[0] != 1;
    *out = cl;
    return STANCE_OK;
}

stance_status stance_classifier_load(const char *path, int linear, int nfeatures,
                                     stance_classifier **out, stance_error *err)
{
    *out = NULL;
    char *text;
    size_t len;
    stance_status st = stance_regfile_read(AT_FDCWD, path, path, 0, STANCE_MODEL_FILE_MAX,
                                           "bytes stance reads of a model file", &text, &len, err);
    if (st != STANCE_OK)
        return st;
    st = stance_classifier_parse(text, len, path, linear, nfeatures, out, err);
    free(text);
    return st;
}
