/* stance-train: labeled passages in, a model bundle out (see train.h and model.h). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "stage.h"
#include "trainopts.h"
#include "stance/codebook.h"
#include "stance/engine.h"
#include "stance/labelcheck.h"
#include "stance/lock.h"
#include "stance/model.h"
#include "stance/stream.h"
#include "stance/train.h"

static const char usage[] =
    "Usage: stance-train --codebook FILE -o MODEL_DIR [OPTION]... TRAIN.jsonl\n"
    "  or:  stance-train --codebook FILE --check TRAIN.jsonl\n"
    "Train one SVM per label of the codebook on labeled passages (JSON Lines:\n"
    "{\"id\", \"text\", and one field per dimension}) and write a model bundle.\n"
    "The whole file is checked first, and every problem in it reported: a field\n"
    "that looks like a dimension but is not one, a value not in the codebook\n"
    "(errors: nothing is trained), the same text with other labels, a value with\n"
    "few labeled passages (warnings).\n"
    "\n"
    "  --codebook FILE     the dimensions and values (required)\n"
    "  --check             check the file only: report its problems and count its\n"
    "                      labeled passages per value; nothing is trained or written\n"
    "  --min-examples N    warn about values with fewer than N labeled passages\n"
    "                      (default 10)\n"
    "  -o, --output DIR    the model bundle to write: a new name, an empty directory\n"
    "                      or a stance bundle holding only its own files (replaced\n"
    "                      atomically); a symbolic link is refused\n"
    "  --wait[=SECONDS]    when another stance-train is writing the same -o, wait\n"
    "                      until it is done (at most SECONDS; default: as long as it\n"
    "                      takes) instead of stopping at once with status 75\n"
    "  --bundle-format N   3 (default): the vocabulary in vocab.bin and linear weights\n"
    "                      in weights.bin, binary files mapped at load; 2: weights.bin\n"
    "                      and the vocabulary in the manifest; 1: one text file per\n"
    "                      unit (all three load)\n"
    "  -c C                SVM cost (default 1)\n"
    "  --c-grid LIST       choose C per label by cross-validation, e.g. 0.1,0.3,1,3\n"
    "  --folds K           cross-validation folds for C, thresholds and calibration\n"
    "                      (default 3; 2 to 100, or 0 = none: threshold 0, calibration\n"
    "                      in-sample); a label with fewer examples of one class gets\n"
    "                      fewer folds, with a warning\n"
    "  --seed N            seed for the folds (default 1)\n"
    "  -j, --threads N     train labels on N threads (default: one per online core,\n"
    "                      at most 8); the model is the same whatever N\n"
    "  --kernel K          linear (default), rbf or poly\n"
    "  --engine E          auto (default: liblinear for linear, libsvm otherwise),\n"
    "                      libsvm or liblinear\n"
    "  --gamma G           rbf/poly gamma (default 1/number of features)\n"
    "  --degree D          poly degree (default 3)\n"
    "  --balance           weight each class by n / (2 n_class) (default: off; the\n"
    "                      tuned thresholds already handle rare values)\n"
    "  --no-balance        no class weights (the default)\n"
    "  --language L        Snowball stemmer (default english)\n"
    "  --stopwords FILE    stop word list, or 'none' (default: built-in English)\n"
    TRAINOPTS_HELP_SCOPES
    "  --no-bigrams        unigram features only\n"
    "  --min-df N          keep features seen in at least N passages (default 5 from\n"
    "                      2000 passages, 2 below; none kept is an error)\n"
    "  --no-sublinear-tf   raw term counts instead of 1 + ln(count)\n"
    "  --no-idf            no inverse document frequency weighting\n"
    "  --no-l2             no unit-length normalisation\n"
    "  --nb-weight         scale each label's features by Naive Bayes log-count\n"
    "                      ratios of its training passages (NBSVM, Wang & Manning\n"
    "                      2012), folded into the saved weights; linear kernel only\n"
    "  --nb-beta B         with --nb-weight: interpolate the weights towards their\n"
    "                      mean magnitude, (1 - B) mean + B w (0 to 1, default 0.25;\n"
    "                      1 = none)\n"
    "  --threshold RULE    how a topic's threshold is drawn from cross-validation:\n"
    "                      best-f1 (default), plateau (the middle of the cuts within\n"
    "                      0.01 of the best F1), platt (where a sigmoid fitted freely\n"
    "                      crosses 0.5) or zero (the SVM boundary)\n"
    "  -q, --quiet         no progress, no count table and no warnings about few\n"
    "                      labeled passages on standard error (with --check: no\n"
    "                      count table)\n"
    "  -h, --help          show this help and exit\n"
    "      --version       print the version and exit\n"
    "\n"
    "Progress, and the table of labeled passages per value, go to standard error when\n"
    "it is a terminal; --check always prints the table. Labels without positive\n"
    "(or negative) examples are left untrained, with a warning.\n"
    "\n"
    "While it runs, stance-train holds a lock on MODEL_DIR.lock beside the bundle (a\n"
    "file naming its pid, removed at the end; one left by a killed run does not\n"
    "block): a second run into the same -o stops, or with --wait waits, and never\n"
    "replaces the bundle mid-way.\n"
    "\n"
    "Exit status: 0 success, 1 bad input data, 2 usage error, 3 I/O or resource\n"
    "failure, 75 the bundle is locked by another run (without --wait, or SECONDS\n"
    "ran out).\n";

static void print_progress(void *ctx, const char *message)
{
    (void)ctx;
    char shown[STANCE_ERROR_TEXT_MAX];
    stance_error_escape(message, shown, sizeof shown);
    fprintf(stderr, "stance-train: %s\n", shown);
}

/* Locks the bundle's directory against other runs; when another holds it and wait is not 0,
 * says so (unless quiet) and waits for it, wait seconds at most (negative: as long as it
 * takes). */
static stance_status lock_output(const char *output, double wait, int quiet, stance_lock **lock,
                                 stance_error *err)
{
    stance_status st = stance_lock_new(output, "stance-train", 0, lock, err);
    if (st != STANCE_ERR_BUSY || wait == 0)
        return st;
    if (!quiet) {
        char text[STANCE_ERROR_TEXT_MAX];
        stance_error_format(err, text, sizeof text);
        fprintf(stderr, "stance-train: %s; waiting\n", text);
    }
    return stance_lock_new(output, "stance-train", wait, lock, err);
}

static void warn_untrained(const stance_model *m)
{
    for (size_t i = 0; i < stance_model_get_unit_count(m); i++) {
        const char *dim, *value, *why;
        int trained;
        stance_model_get_unit_info(m, i, &dim, &value, &trained, &why);
        if (trained)
            continue;
        char d[4 * 256], v[4 * 256], w[STANCE_ERROR_TEXT_MAX];
        stance_error_escape(dim, d, sizeof d);
        stance_error_escape(value ? value : stance_model_get_unit_applies(m, i) ? " (applies)" : "", v,
                            sizeof v);
        stance_error_escape(why, w, sizeof w);
        fprintf(stderr, "stance-train: warning: %s%s%s left untrained: %s\n", d, value ? "=" : "", v, w);
    }
}

/* Prints the check's problems: errors always, warnings unless quiet. */
static void print_problems(const stance_label_check *chk, int warnings)
{
    for (size_t i = 0; i < stance_label_check_get_problem_count(chk); i++) {
        const stance_label_problem *p = stance_label_check_get_problem(chk, i);
        if (p->warning && !warnings)
            continue;
        char text[STANCE_ERROR_TEXT_MAX];
        stance_error_format(&p->error, text, sizeof text);
        fprintf(stderr, "stance-train: %s%s\n", p->warning ? "warning: " : "", text);
    }
}

/* The table of labeled passages per value, on stderr. */
static void print_counts(const stance_label_check *chk, const stance_codebook *cb)
{
    fprintf(stderr, "stance-train: labeled passages per value (%zu records):\n",
            stance_label_check_get_record_count(chk));
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        char name[4 * 256];
        stance_error_escape(dim->name, name, sizeof name);
        fprintf(stderr, "  %s: %zu labeled\n", name, stance_label_check_get_labeled(chk, d));
        for (size_t v = 0; v < dim->nvalues; v++) {
            stance_error_escape(dim->labels[v], name, sizeof name);
            fprintf(stderr, "    %-24s %zu\n", name, stance_label_check_get_value(chk, d, v));
        }
        if (dim->kind == STANCE_DIM_MULTI || dim->optional)
            fprintf(stderr, "    %-24s %zu\n", "(none)", stance_label_check_get_none(chk, d));
    }
}

/* A label with fewer examples of one class than --folds is cross-validated with fewer folds
 * (each needs an example of both classes): say so. */
static void warn_folds(const stance_model *m, int folds)
{
    for (size_t i = 0; folds >= 2 && i < stance_model_get_unit_count(m); i++) {
        const char *dim, *value, *why;
        int trained, k = stance_model_get_unit_folds(m, i);
        stance_model_get_unit_info(m, i, &dim, &value, &trained, &why);
        if (!trained || k >= folds)
            continue;
        if (k >= 2)
            fprintf(stderr, "stance-train: warning: %s%s%s: %d folds instead of %d (its rarer "
                            "class has %d examples)\n", dim, value ? "=" : "", value ? value : "",
                    k, folds, k);
        else
            fprintf(stderr, "stance-train: warning: %s%s%s: not cross-validated (its rarer class "
                            "has 1 example): threshold 0, calibration in-sample\n",
                    dim, value ? "=" : "", value ? value : "");
    }
}

/* The exit code: standard output closed (nothing is written there, but a failed close is no
 * success), then 1 for the problems of the training file (printed), else the run's error. */
static int finish(stance_status st, size_t errors, const stance_error *err)
{
    if (errors)
        return stage_finish(STANCE_OK, err) == 0 ? 1 : 3;
    return stage_finish(st, err);
}

int main(int argc, char **argv)
{
    stage_start("stance-train");
    struct timespec started; /* temporaries older than this run are stale */
    clock_gettime(CLOCK_REALTIME, &started);
    static const struct option longopts[] = {
        {"codebook", required_argument, NULL, 'B'}, {"output", required_argument, NULL, 'o'},
        TRAINOPTS_LONGOPTS, TRAINOPTS_KERNEL_LONGOPTS,
        {"quiet", no_argument, NULL, 'q'},          {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, STAGE_OPT_VERSION},
        {"check", no_argument, NULL, 'C'},         {"min-examples", required_argument, NULL, 'M'},
        {"wait", optional_argument, NULL, 'w'},
        {"bundle-format", required_argument, NULL, 'U'},
        {NULL, 0, NULL, 0},
    };
    stance_train_options opt;
    stance_train_options_default(&opt);
    stance_error err;
    stance_error_clear(&err);
    const char *codebook = NULL, *output = NULL;
    trainopts topts = {.no_folds = 1};
    double wait = 0; /* --wait: 0 none, negative as long as it takes */
    int quiet = 0, check_only = 0, wait_given = 0, c, rc;
    long bundle_format = 0;
    long min_examples = STANCE_CHECK_MIN_EXAMPLES;
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":o:c:j:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'B': codebook = optarg; break;
        case 'o': output = optarg; break;
        case 'U':
            if (!stage_parse_long(optarg, 1, 3, &bundle_format))
                return stage_usage_error("--bundle-format needs 1, 2 or 3, not '%s'", optarg);
            break;
        case 'C': check_only = 1; break;
        case 'M':
            if (!stage_parse_long(optarg, 1, 1000000, &min_examples))
                return stage_usage_error("--min-examples needs a positive integer, not '%s'",
                                         optarg);
            break;
        case 'w':
            wait_given = 1;
            wait = -1;
            if (optarg && (!stage_parse_double(optarg, &wait) || wait < 0 || wait > 31536000))
                return stage_usage_error("--wait needs a number of seconds from 0 to 31536000, "
                                         "not '%s'", optarg);
            break;
        case 'q': quiet = 1; break;
        case 'h': return stage_help(usage);
        case STAGE_OPT_VERSION: return stage_version();
        case ':': return stage_usage_error("missing argument for option '%s'", argv[optind - 1]);
        default:
            rc = trainopts_parse(&topts, c, &opt, &err);
            if (rc != 0)
                return rc < 0 ? stage_unknown_option(argv) : rc; /* '?' is no training option */
        }
    }
    if (!codebook || (!output && !check_only) || optind != argc - 1)
        return stage_usage_error(!codebook ? "--codebook is required"
                                 : !output && !check_only ? "-o MODEL_DIR is required"
                                                           : "give exactly one training file");
    if (check_only && output)
        return stage_usage_error("--check writes no model: leave out -o");
    if (check_only && wait_given)
        return stage_usage_error("--check writes no model: leave out --wait");
    if (check_only) {
        stance_codebook *cb = NULL;
        stance_label_check *chk = NULL;
        stance_status st = stance_codebook_load(codebook, &cb, &err);
        if (st == STANCE_OK)
            st = stance_label_check_new(cb, min_examples, &chk, &err);
        if (st == STANCE_OK)
            st = stance_label_check_load(chk, argv[optind], &err);
        size_t errors = chk ? stance_label_check_get_error_count(chk) : 0;
        if (chk)
            print_problems(chk, 1); /* every problem, the warnings too */
        if (chk && !quiet && st == STANCE_OK && errors == 0)
            print_counts(chk, cb);
        stance_label_check_free(chk);
        stance_codebook_free(cb);
        return finish(st, errors, &err);
    }
    if (opt.svm.kernel != STANCE_KERNEL_LINEAR && opt.svm.engine == STANCE_ENGINE_LIBLINEAR) {
        stance_error_set(&err, STANCE_ERR_USAGE, NULL, 0,
                         "liblinear trains linear models only; use --engine libsvm or auto");
        return stage_report(&err);
    }
    if ((rc = trainopts_check(&topts, &opt)) != 0)
        return rc;
    if (opt.nb_weight && opt.svm.kernel != STANCE_KERNEL_LINEAR)
        return stage_usage_error("--nb-weight needs the linear kernel (NB weights are folded into "
                                 "linear weights), not --kernel %s",
                                 stance_kernel_name(opt.svm.kernel));
    if (!quiet && isatty(STDERR_FILENO)) {
        opt.progress = print_progress;
    }
    stance_engine_silence();
    stance_codebook *cb = NULL;
    stance_model *model = NULL;
    stance_label_check *chk = NULL;
    stance_lock *lock = NULL; /* held until the bundle is written */
    stance_status st = stance_model_check_target(output, &err);
    if (st == STANCE_OK)
        st = lock_output(output, wait, quiet, &lock, &err);
    if (st == STANCE_OK)
        st = stance_model_remove_stale(output, &started, stage_removed, NULL, &err);
    if (st == STANCE_OK)
        st = stance_codebook_load(codebook, &cb, &err);
    if (st == STANCE_OK)
        st = stance_label_check_new(cb, min_examples, &chk, &err);
    opt.check = chk;
    if (st == STANCE_OK)
        st = stance_train_run(cb, argv[optind], &opt, &model, &err);
    size_t errors = chk ? stance_label_check_get_error_count(chk) : 0;
    if (chk) /* warnings matter once the file is trained on */
        print_problems(chk, !quiet && errors == 0 && st == STANCE_OK);
    if (chk && opt.progress && errors == 0 && st == STANCE_OK)
        print_counts(chk, cb);
    if (st == STANCE_OK) {
        warn_untrained(model);
        warn_folds(model, opt.folds);
        /* Nothing written before: an interrupt leaves the old bundle or the new one. */
        sigset_t old;
        stage_hold_signals(&old);
        if (bundle_format)
            st = stance_model_set_format(model, (int)bundle_format, &err);
        if (st == STANCE_OK)
            st = stance_model_save(model, output, &err);
        stage_release_signals(&old);
    }
    stance_lock_free(lock);
    stance_model_free(model);
    stance_label_check_free(chk);
    stance_codebook_free(cb);
    return finish(st, errors, &err);
}
