/* svmguard_int.h: libsvm's and liblinear's training behind a C++ boundary that
 * no exception crosses (svmguard.cpp). Both libraries allocate with new[], which throws
 * std::bad_alloc when memory runs out; through a C caller that would end the process. */
#ifndef STANCE_SVMGUARD_INT_H
#define STANCE_SVMGUARD_INT_H

#include <libsvm/svm.h>
#include <linear.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a guarded call ended with when it returned NULL. */
typedef enum {
    STANCE_GUARD_FAILED = 0, /* the library returned NULL itself */
    STANCE_GUARD_NOMEM,      /* it threw std::bad_alloc */
    STANCE_GUARD_THREW,      /* it threw something else */
} stance_guard_result;

/* svm_train and train (liblinear), each returning what the library returns,
 * or NULL with *why saying why. What the library had allocated before it threw is lost:
 * neither frees on unwinding (a caller that goes on after an out-of-memory leaks it). */
struct svm_model *stance_guard_svm_train(const struct svm_problem *prob,
                                         const struct svm_parameter *param,
                                         stance_guard_result *why);
struct model *stance_guard_linear_train(const struct problem *prob, const struct parameter *param,
                                        stance_guard_result *why);

#ifdef __cplusplus
}
#endif

#endif
