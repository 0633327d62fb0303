/* engine_int.h: the engine choice as the library resolves it, the default options, and the
 * versions of the libraries behind the engines (for model.c, which this keeps away from
 * libsvm's and liblinear's headers). */
#ifndef STANCE_ENGINE_INT_H
#define STANCE_ENGINE_INT_H

#include "stance/engine.h"

/* Fills opt with the defaults documented in stance_svm_options. */
void stance_svm_options_default(stance_svm_options *opt);

/* The engine AUTO stands for with this kernel. */
stance_engine stance_engine_resolve(stance_engine e, stance_kernel k);

/* The version of the library behind engine e (LIBSVM_VERSION, LIBLINEAR_VERSION), recorded in
 * a bundle's manifest; 0 for STANCE_ENGINE_AUTO. */
int stance_engine_version(stance_engine e);

#endif
