/* nbweight.c: Naive Bayes log-count ratios of one binary problem (see nbweight_int.h). */
#include "nbweight_int.h"

#include <math.h>
#include <stdlib.h>

#include "error_int.h"

stance_status stance_nbweight_ratios(const stance_vector *vecs, const size_t *idx,
                                     const signed char *y, size_t n, int nfeatures, double alpha,
                                     double *r, stance_error *err)
{
    return stance_nbweight_ratios_masked(vecs, idx, y, n, nfeatures, alpha, NULL, r, err);
}

stance_status stance_nbweight_ratios_masked(const stance_vector *vecs, const size_t *idx,
                                            const signed char *y, size_t n, int nfeatures,
                                            double alpha, const double *keep, double *r,
                                            stance_error *err)
{
    if (!(alpha > 0) || nfeatures < 1)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "NB weighting needs alpha > 0 and at least one feature");
    double *q = malloc((size_t)nfeatures * sizeof *q);
    if (!q)
        return stance_fail_nomem(err, NULL);
    for (int j = 0; j < nfeatures; j++)
        r[j] = q[j] = alpha; /* r holds p until the end */
    for (size_t k = 0; k < n; k++) {
        double *count = y[k] > 0 ? r : q;
        const stance_vector *v = &vecs[idx[k]];
        for (size_t i = 0; i < v->count; i++)
            if (v->items[i].index >= 1 && v->items[i].index <= nfeatures && v->items[i].value > 0)
                count[v->items[i].index - 1] += 1;
    }
    double psum = 0, qsum = 0;
    for (int j = 0; j < nfeatures; j++)
        if (!keep || keep[j] != 0)
            psum += r[j], qsum += q[j];
    double shift = log(qsum) - log(psum);
    for (int j = 0; j < nfeatures; j++)
        r[j] = !keep || keep[j] != 0 ? log(r[j]) - log(q[j]) + shift : 0;
    free(q);
    return STANCE_OK;
}
