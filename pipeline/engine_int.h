/* engine_int.h: what model.c needs of engine.c beyond engine.h, which would otherwise take
 * it to libsvm's and liblinear's headers. */
#ifndef STANCE_ENGINE_INT_H
#define STANCE_ENGINE_INT_H

#include "stance/engine.h"

/* The version of the library behind engine e (LIBSVM_VERSION, LIBLINEAR_VERSION), recorded in
 * a bundle's manifest; 0 for STANCE_ENGINE_AUTO. */
int stance_engine_version(stance_engine e);

#endif
