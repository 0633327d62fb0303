/* engine.c: the choice of SVM engine (libsvm or liblinear) and kernel, their versions, and
 * silencing both libraries' progress printing; classifier.c trains with them. */
#include "stance/engine.h"

#include <libsvm/svm.h>
#include <linear.h>
#include <string.h>

#include "engine_int.h"
#include "error_int.h"

void stance_svm_options_default(stance_svm_options *opt)
{
    opt->engine = STANCE_ENGINE_AUTO;
    opt->kernel = STANCE_KERNEL_LINEAR;
    opt->gamma = 0;
    opt->degree = 3;
    opt->coef0 = 0;
    opt->balanced = 0;
    opt->trainers = 1;
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

int stance_engine_version(stance_engine e)
{
    return e == STANCE_ENGINE_LIBSVM ? LIBSVM_VERSION : e == STANCE_ENGINE_LIBLINEAR ? LIBLINEAR_VERSION : 0;
}

static void print_nothing(const char *s)
{
    (void)s;
}

void stance_engine_silence(void)
{
    svm_set_print_string_function(print_nothing);
    set_print_string_function(print_nothing);
}
