/* trainopts.c: the training settings stance-train and stance-audit share (trainopts.h). */
#include "trainopts.h"

#include <stdlib.h>
#include <string.h>

#include "stage.h"
#include "stance/engine.h"

/* "0.1,1,10" into grid (up to max values, each > 0). */
static int parse_grid(const char *s, double *grid, size_t max, size_t *n)
{
    *n = 0;
    char *copy = strdup(s), *save = NULL;
    int ok = copy != NULL;
    for (char *tok = copy ? strtok_r(copy, ",", &save) : NULL; ok && tok; tok = strtok_r(NULL, ",", &save))
        ok = *n < max && stage_parse_double(tok, &grid[*n]) && grid[*n] > 0 && ++*n;
    free(copy);
    return ok && *n > 0;
}

/* --folds: 2 to 100, or 0 where t allows it. */
static int parse_folds(const trainopts *t, stance_train_options *opt)
{
    long v;
    if (!stage_parse_long(optarg, t->no_folds ? 0 : 2, 100, &v) || v == 1)
        return t->no_folds ? stage_usage_error("--folds needs 0 (no cross-validation) or a number "
                                               "from 2 to 100, not '%s'", optarg)
                           : stage_usage_error("--folds needs a number from 2 to 100, not '%s'",
                                               optarg);
    opt->folds = (int)v;
    return 0;
}

/* The options that take a number. */
static int parse_number(trainopts *t, int c, stance_train_options *opt)
{
    long v;
    switch (c) {
    case 'c':
        if (!stage_parse_double(optarg, &opt->c) || opt->c <= 0)
            return stage_usage_error("-c needs a positive number, not '%s'", optarg);
        return 0;
    case 'G':
        if (!parse_grid(optarg, t->grid, sizeof t->grid / sizeof t->grid[0], &opt->n_c_grid))
            return stage_usage_error("--c-grid needs positive numbers separated by commas, not '%s'",
                                     optarg);
        opt->c_grid = t->grid;
        return 0;
    case 'F': return parse_folds(t, opt);
    case 'S':
        if (!stage_parse_long(optarg, 0, 2147483647L, &v))
            return stage_usage_error("--seed needs a non-negative integer, not '%s'", optarg);
        opt->seed = (unsigned long)v;
        return 0;
    case 'j':
        if (!stage_parse_long(optarg, 1, 256, &v))
            return stage_usage_error("-j needs a number of threads from 1 to 256, not '%s'", optarg);
        opt->threads = (int)v;
        return 0;
    case 'g':
        if (!stage_parse_double(optarg, &opt->svm.gamma) || opt->svm.gamma <= 0)
            return stage_usage_error("--gamma needs a positive number, not '%s'", optarg);
        return 0;
    case 'd':
        if (!stage_parse_long(optarg, 1, 10, &v))
            return stage_usage_error("--degree needs a number from 1 to 10, not '%s'", optarg);
        opt->svm.degree = (int)v;
        return 0;
    case 'm':
        if (!stage_parse_long(optarg, 1, 1000000, &v))
            return stage_usage_error("--min-df needs a positive integer, not '%s'", optarg);
        opt->vocab.min_df = v;
        return 0;
    case 'Z':
        if (!stage_parse_double(optarg, &opt->nb_beta) || opt->nb_beta < 0 || opt->nb_beta > 1)
            return stage_usage_error("--nb-beta needs a number from 0 to 1, not '%s'", optarg);
        t->beta_given = 1;
        return 0;
    default: return -1;
    }
}

int trainopts_parse(trainopts *t, int c, stance_train_options *opt, stance_error *err)
{
    switch (c) {
    case 'K':
        return stance_kernel_parse(optarg, &opt->svm.kernel, err) == STANCE_OK ? 0 : stage_report(err);
    case 'E':
        return stance_engine_parse(optarg, &opt->svm.engine, err) == STANCE_OK ? 0 : stage_report(err);
    case 'T':
        if (stance_threshold_rule_parse(optarg, &opt->threshold_rule) != 0)
            return stage_usage_error("--threshold needs best-f1, plateau, platt or zero, not '%s'",
                                     optarg);
        return 0;
    case 'a': opt->svm.balanced = 1; return 0;
    case 'b': opt->svm.balanced = 0; return 0;
    case 'L': opt->language = optarg; return 0;
    case 'W': opt->stopwords = optarg; return 0;
    case 'P': opt->scopes = optarg; return 0;
    case 'A': opt->actors = optarg; return 0;
    case 'Y': opt->actors_applies = 1; return 0;
    case '2': opt->vocab.bigrams = 0; return 0;
    case 't': opt->vocab.sublinear_tf = 0; return 0;
    case 'i': opt->vocab.idf = 0; return 0;
    case 'l': opt->vocab.l2 = 0; return 0;
    case 'N': opt->nb_weight = 1; return 0;
    default: return parse_number(t, c, opt);
    }
}

int trainopts_check(const trainopts *t, const stance_train_options *opt)
{
    if (t->beta_given && !opt->nb_weight)
        return stage_usage_error("--nb-beta applies to --nb-weight only");
    return 0;
}
