/* stance-prevalence: each label's share of a collection of tagged records (stance-tag output),
 * by classify and count and its probabilistic and adjusted variants, with 95% intervals. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "stage.h"
#include "stance/model.h"
#include "stance/prevalence.h"
#include "stance/stream.h"

static const char usage[] =
    "Usage: stance-prevalence -m MODEL [--by FIELD] [--unit passage|article] [--json]\n"
    "                         [--bootstrap N] [--seed N] [TAGGED.jsonl|-]...\n"
    "Estimate each label's share of a collection of records tagged with MODEL (stance-tag\n"
    "output; '-' or no argument reads standard input) by four methods, with 95% intervals:\n"
    "  cc    classify and count: the share of units assigned the label\n"
    "  pcc   probabilistic classify and count: the mean calibrated score (needs every\n"
    "        value's score: tag with stance-tag --all-scores)\n"
    "  acc   adjusted classify and count: (cc - fpr) / (tpr - fpr), clipped to 0..1, with\n"
    "        the label's true- and false-positive rates stance-train measured by\n"
    "        cross-validation (stored in the model)\n"
    "  pacc  probabilistic adjusted: (pcc - s-) / (s+ - s-), clipped, with the mean\n"
    "        out-of-fold scores of the label's positives (s+) and negatives (s-)\n"
    "The adjusted estimates stay unbiased when the collection's shares differ from the\n"
    "training data's; the report prefers pacc, else acc, when its denominator is at least\n"
    "0.2, else pcc (with scores), else cc, and says why. Intervals: percentile bootstrap\n"
    "over articles (records sharing \"id\", else \"doc\"), the cross-validated rates redrawn\n"
    "in each resample from their own sampling error. Meta passages are not counted.\n"
    "\n"
    "  -m, --model DIR     the model the records were tagged with (required)\n"
    "  --unit passage|article\n"
    "                      count passages (default) or articles: an article has a label\n"
    "                      if any passage has it, and its probability is that of its\n"
    "                      likeliest passage (acc and pacc: none, the rates are passages')\n"
    "  --by FIELD          estimate for each value of the records' string or number field\n"
    "                      FIELD, in order of first appearance; a record without it takes\n"
    "                      its article's first record's (stance-tag --jsonl puts an\n"
    "                      article's fields there); (none) for records with neither\n"
    "  --json              one JSON object instead of the TSV table\n"
    "  --bootstrap N       resamples for the intervals (default 1000; 0: no intervals)\n"
    "  --seed N            seed of the resampling (default 1)\n"
    "  -h, --help          show this help and exit\n"
    "      --version       print the version and exit\n"
    "\n"
    "TSV columns: group dimension value n, then cc cc_low cc_high and the same for pcc,\n"
    "acc and pacc ('-' where unavailable), preferred, why.\n"
    "\n"
    "Exit status: 0 success, 1 bad input data (malformed record, a label or score the\n"
    "model's codebook does not have), 2 usage error, 3 I/O or resource failure.\n";

static stance_status read_arg(stance_prevalence *p, const char *arg, stance_error *err)
{
    int is_stdin = strcmp(arg, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : arg;
    FILE *f = stdin;
    stance_status status = is_stdin ? STANCE_OK : stance_stream_open(arg, "rb", &f, err);
    if (status != STANCE_OK)
        return status;
    status = stance_prevalence_read(p, f, name, err);
    if (!is_stdin)
        fclose(f);
    return status;
}

static stance_status write_report(const stance_prevalence *p, int as_json, stance_error *err)
{
    if (!as_json)
        return stance_prevalence_write_tsv(p, stdout, "<stdout>", err);
    json_t *json = stance_prevalence_to_json(p);
    if (!json)
        return stance_error_set(err, STANCE_ERR_NOMEM, NULL, 0, "out of memory");
    stance_status status = STANCE_OK;
    if (json_dumpf(json, stdout, JSON_COMPACT | JSON_REAL_PRECISION(10)) != 0 ||
        putchar('\n') == EOF)
        status = stance_error_set(err, STANCE_ERR_IO, "<stdout>", 0, "write failed");
    json_decref(json);
    return status;
}

/* What the user should know about estimates left out, on standard error. */
static void notes(const stance_prevalence *p, int articles)
{
    if (!stance_prevalence_get_scores(p))
        fputs("stance-prevalence: the records carry no \"scores\": pcc and pacc need every "
              "value's score; tag with stance-tag --all-scores\n", stderr);
    if (stance_prevalence_get_derived(p) && !articles)
        fputs("stance-prevalence: the model predates stored cross-validation rates: acc uses "
              "tpr and fpr derived from its precision and recall, and pacc is unavailable; "
              "retrain it for both\n", stderr);
}

int main(int argc, char **argv)
{
    stage_start("stance-prevalence");
    stance_error err;
    stance_error_clear(&err);
    static const struct option longopts[] = {
        {"model", required_argument, NULL, 'm'},
        {"unit", required_argument, NULL, 'u'},
        {"by", required_argument, NULL, 'b'},
        {"json", no_argument, NULL, 'j'},
        {"bootstrap", required_argument, NULL, 'B'},
        {"seed", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, STAGE_OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    stance_prevalence_options opt;
    stance_prevalence_options_default(&opt);
    const char *model = NULL;
    int as_json = 0, c;
    long n;
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":m:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'm': model = optarg; break;
        case 'u':
            if (strcmp(optarg, "passage") != 0 && strcmp(optarg, "article") != 0)
                return stage_usage_error("--unit takes passage or article, not '%s'", optarg);
            opt.articles = strcmp(optarg, "article") == 0;
            break;
        case 'b': opt.by = optarg; break;
        case 'j': as_json = 1; break;
        case 'B':
            if (!stage_parse_long(optarg, 0, 1000000, &opt.bootstrap))
                return stage_usage_error("--bootstrap takes a number from 0 to 1000000, not '%s'",
                                         optarg);
            break;
        case 's':
            if (!stage_parse_long(optarg, 0, 2147483647L, &n))
                return stage_usage_error("--seed takes a number from 0 to 2147483647, not '%s'",
                                         optarg);
            opt.seed = (uint64_t)n;
            break;
        case 'h': return stage_help(usage);
        case STAGE_OPT_VERSION: return stage_version();
        case ':': return stage_usage_error("option '%s' needs an argument", argv[optind - 1]);
        default: return stage_unknown_option(argv);
        }
    }
    if (!model)
        return stage_usage_error("no model given (-m MODEL)");
    if (opt.by && !*opt.by)
        return stage_usage_error("--by needs a field name");

    stance_model *m = NULL;
    stance_prevalence *p = NULL;
    stance_status status = stance_model_load(model, &m, &err);
    if (status == STANCE_OK)
        status = stance_prevalence_new(m, &opt, &p, &err);
    if (status == STANCE_OK && optind == argc)
        status = read_arg(p, "-", &err);
    for (int i = optind; status == STANCE_OK && i < argc; i++)
        status = read_arg(p, argv[i], &err);
    const char *where = optind == argc || strcmp(argv[argc - 1], "-") == 0 ? "<stdin>" : argv[argc - 1];
    if (status == STANCE_OK)
        status = stance_prevalence_run(p, optind + 1 < argc ? "input" : where, &err);
    if (status == STANCE_OK) {
        notes(p, opt.articles);
        status = write_report(p, as_json, &err);
    }
    stance_prevalence_free(p);
    stance_model_free(m);
    return stage_finish(status, &err);
}
