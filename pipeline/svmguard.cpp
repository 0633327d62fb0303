// svmguard.cpp: the only C++ in stance. Calls into libsvm and liblinear that may throw, each
// wrapped so that an exception ends as a NULL result and a reason, never crossing into C.
#include "svmguard_int.h"

#include <new>

namespace {

template <typename Call>
auto guarded(Call call, stance_guard_result *why) noexcept -> decltype(call())
{
    *why = STANCE_GUARD_FAILED;
    try {
        return call();
    } catch (const std::bad_alloc &) {
        *why = STANCE_GUARD_NOMEM;
    } catch (...) {
        *why = STANCE_GUARD_THREW;
    }
    return nullptr;
}

} // namespace

extern "C" struct svm_model *stance_guard_svm_train(const struct svm_problem *prob,
                                                    const struct svm_parameter *param,
                                                    stance_guard_result *why)
{
    return guarded([&] { return svm_train(prob, param); }, why);
}

extern "C" struct model *stance_guard_linear_train(const struct problem *prob,
                                                   const struct parameter *param,
                                                   stance_guard_result *why)
{
    return guarded([&] { return train(prob, param); }, why);
}
