/* stance-audit: a training file in, the labels that look wrong out, most confident first
 * (audit.h), as JSON Lines or as tasks for an annotation tool. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "stage.h"
#include "trainopts.h"
#include "stance/audit.h"
#include "stance/codebook.h"
#include "stance/engine.h"
#include "stance/suggest.h"
#include "stance/train.h"

static const char usage[] =
    "Usage: stance-audit --codebook FILE [OPTION]... TRAIN.jsonl\n"
    "Find likely label errors in a training file: score every passage by\n"
    "cross-validation (classifiers that did not learn from it), then list the labels\n"
    "the scores confidently contradict (confident learning), most confident first.\n"
    "\n"
    "  --codebook FILE     the dimensions and values (required)\n"
    "  -n, --count N       write the N best ranked (default: all)\n"
    "  --format F          jsonl (default), or doccano, labelstudio or prodigy: tasks\n"
    "                      to review, the suggestion applied as pre-annotation\n"
    "Training settings, as for stance-train (use those the model is trained with):\n"
    "  -c C                SVM cost (default 1)\n"
    "  --c-grid LIST       choose C per label by cross-validation, e.g. 0.25,1,4\n"
    "  --folds K           cross-validation folds, 2 to 100 (default 5)\n"
    "  --seed N            seed for the folds (default 1)\n"
    "  -j, --threads N     train labels on N threads (default 1)\n"
    "  --engine E          auto (default), libsvm or liblinear (linear kernel)\n"
    "  --balance           weight each class by n / (2 n_class)\n"
    "  --language L        Snowball stemmer (default english)\n"
    "  --stopwords FILE    stop word list, or 'none' (default: built-in English)\n"
    TRAINOPTS_HELP_SCOPES
    "  --no-bigrams        unigram features only\n"
    "  --min-df N          keep features seen in at least N passages (default 2)\n"
    "  --no-sublinear-tf   raw term counts instead of 1 + ln(count)\n"
    "  --no-idf            no inverse document frequency weighting\n"
    "  --no-l2             no unit-length normalisation\n"
    "  --nb-weight         Naive Bayes log-count ratio features (NBSVM)\n"
    "  --nb-beta B         with --nb-weight: interpolation, 0 to 1 (default 0.25)\n"
    "  --threshold RULE    best-f1 (default), plateau, platt or zero\n"
    "  -h, --help          show this help and exit\n"
    "      --version       print the version and exit\n"
    "\n"
    "One record per contradicted label: {\"id\", \"line\", \"dimension\", \"given\",\n"
    "\"suggested\", \"score\" (the out-of-fold score of the suggestion), \"rank\",\n"
    "\"text\"}. TRAIN.jsonl is read twice, so it must be a regular file.\n"
    "\n"
    "Exit status: 0 success, 1 bad input data, 2 usage error, 3 I/O or resource failure.\n";

int main(int argc, char **argv)
{
    stage_start("stance-audit");
    static const struct option longopts[] = {
        {"codebook", required_argument, NULL, 'B'}, {"count", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},   TRAINOPTS_LONGOPTS,
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, STAGE_OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    stance_audit_options opt;
    memset(&opt, 0, sizeof opt);
    stance_train_options_default(&opt.train);
    /* stance-audit keeps its own defaults (--help), not stance-train's newer ones */
    opt.train.folds = 5;
    opt.train.threads = 1;
    opt.train.vocab.min_df = 2;
    opt.format = STANCE_TASKS_JSONL;
    stance_error err;
    stance_error_clear(&err);
    const char *codebook = NULL;
    trainopts topts = {.no_folds = 0};
    long v;
    int c, rc;
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":n:c:j:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'B': codebook = optarg; break;
        case 'n':
            if (!stage_parse_long(optarg, 1, 100000000, &v))
                return stage_usage_error("-n needs a positive number of records, not '%s'", optarg);
            opt.max = (size_t)v;
            break;
        case 'f':
            if (stance_task_format_parse(optarg, &opt.format) != 0)
                return stage_usage_error("--format needs jsonl, doccano, labelstudio or prodigy, "
                                         "not '%s'", optarg);
            break;
        case 'h': return stage_help(usage);
        case STAGE_OPT_VERSION: return stage_version();
        case ':': return stage_usage_error("missing argument for option '%s'", argv[optind - 1]);
        default:
            rc = trainopts_parse(&topts, c, &opt.train, &err);
            if (rc != 0)
                return rc < 0 ? stage_unknown_option(argv) : rc; /* '?' is no training option */
        }
    }
    if (!codebook || optind != argc - 1)
        return stage_usage_error(!codebook ? "--codebook is required" : "give exactly one training file");
    const char *path = argv[optind];
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return stage_usage_error("%s: not a regular file (it is read twice)", path);
    if ((rc = trainopts_check(&topts, &opt.train)) != 0)
        return rc;
    stance_engine_silence();
    stance_codebook *cb = NULL;
    stance_status st = stance_codebook_load(codebook, &cb, &err);
    if (st == STANCE_OK)
        st = stance_audit_run(cb, path, &opt, stdout, "<stdout>", NULL, &err);
    stance_codebook_free(cb);
    return stage_finish(st, &err);
}
