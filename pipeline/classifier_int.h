/* classifier_int.h: binary SVM classifiers trained by libsvm or liblinear (classifier.c).
 *
 * A linear classifier, whichever engine trained it, is kept as one weight vector and a bias:
 * f(x) = w.x + b, positive for the positive class. libsvm's support vectors are collapsed
 * into w right after training, so both engines give the same kind of model and prediction
 * costs one pass over the non-zero features of x. Kernel (rbf, poly) classifiers keep
 * libsvm's model. liblinear runs its primal trust-region solver (L2-regularised L2-loss SVC),
 * which uses no random numbers, so training is deterministic and safe on several threads.
 *
 * Linear model file (text):
 *   stance-linear 1
 *   features 8123
 *   bias -0.4187
 *   12 0.0931
 *   ...        (index weight, one line per non-zero weight, increasing index)
 * Kernel model files are libsvm's own format (svm_save_model). */
#ifndef STANCE_CLASSIFIER_INT_H
#define STANCE_CLASSIFIER_INT_H

#include <stddef.h>

#include "stance/engine.h"
#include "stance/error.h"
#include "stance/vector.h"

/* Training rows in the layout of engine (resolved, not AUTO), built once and shared by every
 * label. Keeps no pointer into vecs. Caller frees with stance_rows_free. */
typedef struct stance_rows stance_rows;
stance_status stance_rows_new(const stance_vector *vecs, size_t n, int nfeatures,
                              stance_engine engine, stance_rows **out, stance_error *err);
void stance_rows_free(stance_rows *rows);

typedef struct stance_classifier stance_classifier;

/* Trains on the rows listed in idx[0..n) with labels y[k] = +1 or -1 (both must occur).
 * The classifier copies what it keeps (libsvm's support vectors included), so rows may be
 * freed first. Several threads may train on the same rows at once (say how many in
 * opt->trainers). Caller frees *out with stance_classifier_free.
 * libsvm and liblinear leave most of their allocations unchecked, so before calling one this
 * checks that its peak (estimated from n and the number of features; libsvm's kernel cache is
 * bounded by the problem and shrunk to fit, which only slows it) fits under the process's
 * address-space and data limits, opt->trainers times, and that one share can be allocated:
 * STANCE_ERR_NOMEM ("out of memory") when not, or when the library throws std::bad_alloc (what
 * it had allocated is then lost). */
stance_status stance_classifier_train(const stance_rows *rows, const size_t *idx,
                                      const signed char *y, size_t n,
                                      const stance_svm_options *opt, double c,
                                      stance_classifier **out, stance_error *err);

/* As stance_classifier_train, on the rows scaled feature by feature (x∘scale, scale[j - 1] for
 * feature j; the bias feature is not scaled). The weights w learnt there are interpolated
 * towards their mean magnitude m = mean |w_j|, w_j <- (1 - beta) m + beta w_j (beta = 1 keeps
 * w; the bias stays as learnt), then folded back, w_j <- w_j scale_j, so the classifier scores
 * unscaled vectors as a plain linear one. The linear kernel only: STANCE_ERR_USAGE for rbf and
 * poly, which cannot fold a scale. scale is not kept. Caller frees *out with
 * stance_classifier_free. */
stance_status stance_classifier_train_scaled(const stance_rows *rows, const size_t *idx,
                                             const signed char *y, size_t n,
                                             const stance_svm_options *opt, double c,
                                             const double *scale, double beta,
                                             stance_classifier **out, stance_error *err);

/* stance_classifier_train_scaled, with the mean magnitude m taken over the features whose
 * keep[j - 1] is not 0 alone (keep NULL: all): for features masked out with scale 0, so that
 * the others get the weights of a classifier trained without them. */
stance_status stance_classifier_train_masked(const stance_rows *rows, const size_t *idx,
                                             const signed char *y, size_t n,
                                             const stance_svm_options *opt, double c,
                                             const double *scale, double beta,
                                             const double *keep, stance_classifier **out,
                                             stance_error *err);

/* Frees the classifier; NULL is allowed. */
void stance_classifier_free(stance_classifier *cl);

/* Decision value f(x): positive means the positive class. Allocates nothing (kernel models
 * too: stance computes libsvm's decision value itself, to the same bits). */
double stance_classifier_decision(const stance_classifier *cl, const stance_vector *x);

/* Decision value of training row i (same value as for the vector it was built from). */
double stance_classifier_decision_row(const stance_classifier *cl, const stance_rows *rows,
                                      size_t i);

/* 1 for a linear classifier (weight file), 0 for a libsvm kernel model. */
int stance_classifier_is_linear(const stance_classifier *cl);

/* A linear classifier's bias and the weight of feature (1-based), as its decision values use
 * them; 0 for a kernel model and for a feature out of range. */
double stance_classifier_get_bias(const stance_classifier *cl);
double stance_classifier_get_weight(const stance_classifier *cl, int feature);

/* Writes the classifier to path (format above). STANCE_ERR_IO on failure. */
stance_status stance_classifier_save(const stance_classifier *cl, const char *path,
                                     stance_error *err);

/* The most bytes read of a model file whose size is not known in advance: one unit file of a
 * bundle whose manifest does not record sizes, a manifest, a file given to
 * stance_classifier_load (1 GiB). */
#define STANCE_MODEL_FILE_MAX ((size_t)1 << 30)

/* Reads a classifier written by save; linear says which format to expect. nfeatures is the
 * vocabulary size (indices above it are an error). Only a regular file of at most
 * STANCE_MODEL_FILE_MAX bytes is read (a FIFO or device is refused, not waited on).
 * STANCE_ERR_DATA naming the file and line for anything malformed. */
stance_status stance_classifier_load(const char *path, int linear, int nfeatures,
                                     stance_classifier **out, stance_error *err);

/* stance_classifier_load of a file held in memory, text[0..len) (path names it in messages):
 * what a model bundle's loader uses, to parse the very bytes whose checksum it checked.
 * Kernel models are parsed here into libsvm's model, not by libsvm's loader, which reads only
 * a path and trusts what it reads. */
stance_status stance_classifier_parse(const char *text, size_t len, const char *path, int linear,
                                      int nfeatures, stance_classifier **out, stance_error *err);

/* Writes a linear classifier whose weight for feature i is w[(i - 1) * stride] to path, as
 * stance_classifier_save does. STANCE_ERR_IO on failure. */
stance_status stance_linear_save(const char *path, int nfeatures, const double *w, size_t stride,
                                 double bias, stance_error *err);

/* Parses a linear model file held in memory (text[0..len), path names it in messages) exactly
 * as stance_classifier_load reads one: the weight of feature i goes to w[(i - 1) * stride]
 * (features the file does not list are left as they are), the bias to *bias. STANCE_ERR_DATA
 * naming path and line for anything malformed. */
stance_status stance_linear_parse(const char *text, size_t len, const char *path, int nfeatures,
                                  double *w, size_t stride, double *bias, stance_error *err);

#endif
