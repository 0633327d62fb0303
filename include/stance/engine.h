/* engine.h: the SVM engines a model can be trained with, libsvm or liblinear, and the kernel:
 * their names, as the options of stance-train and the manifest of a model bundle give them. */
#ifndef STANCE_ENGINE_H
#define STANCE_ENGINE_H

#include "stance/error.h"

typedef enum { STANCE_ENGINE_AUTO, STANCE_ENGINE_LIBSVM, STANCE_ENGINE_LIBLINEAR } stance_engine;
typedef enum { STANCE_KERNEL_LINEAR, STANCE_KERNEL_RBF, STANCE_KERNEL_POLY } stance_kernel;

/* How to train. */
typedef struct {
    stance_engine engine; /* AUTO: liblinear for the linear kernel, libsvm otherwise */
    stance_kernel kernel;
    double gamma;         /* rbf/poly; 0 means 1 / number of features */
    int degree;           /* poly (default 3) */
    double coef0;         /* poly (default 0) */
    int balanced;         /* weight classes by n / (2 n_class) (default 0: the tuned threshold
                           * already handles rare values, and weights slow liblinear 8-10x) */
    int trainers;         /* classifiers that may be training at the same time, on other
                           * threads (default 1): each call's memory check leaves room for all */
} stance_svm_options;

/* Names for messages and manifests ("libsvm", "liblinear"; "linear", "rbf", "poly"). */
const char *stance_engine_name(stance_engine e);
const char *stance_kernel_name(stance_kernel k);
stance_status stance_engine_parse(const char *name, stance_engine *e, stance_error *err);
stance_status stance_kernel_parse(const char *name, stance_kernel *k, stance_error *err);

/* Silences libsvm's and liblinear's progress printing (they write to stdout by default).
 * Process-wide: mains call it once, before any training. */
void stance_engine_silence(void);

#endif
