/* stance-eval: scores predicted records (stance-tag output) against gold labels and prints
 * per value and per dimension scores as a table or as JSON. */
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "stage.h"
#include "stance/agree.h"
#include "stance/codebook.h"
#include "stance/eval.h"
#include "stance/jsonl.h"
#include "stance/stream.h"

static const char usage[] =
    "Usage: stance-eval --codebook FILE --gold GOLD.jsonl [OPTION]... [PRED.jsonl|-]...\n"
    "       stance-eval --codebook FILE --agreement [OPTION]... A.jsonl B.jsonl [C.jsonl...]\n"
    "Score predicted labels (records as stance-tag writes them) against gold labels,\n"
    "or measure the agreement between coders.\n"
    "\n"
    "A prediction matches the gold record by the first key both have: \"doc\" and\n"
    "\"start\", \"doc\" and \"passage\", or \"id\"; the report says how many matched by\n"
    "each. No match at all, or more than --max-unmatched of the gold records unmatched,\n"
    "is an error naming the first unmatched gold record. Each dimension is scored over\n"
    "the matched records labeled on it in gold and in the prediction: precision, recall,\n"
    "F1 and support per value, micro and macro averages, and for single-label\n"
    "dimensions the accuracy and the confusion matrix. '-' or no argument reads\n"
    "standard input.\n"
    "\n"
    "Gold null (or no field) on a dimension: not scored there. A single dimension the\n"
    "codebook declares optional is also scored on \"does not apply\": gold [] says so, a\n"
    "prediction of null abstains. Its accuracy is over the records gold gives a value\n"
    "(an abstention there is wrong); the abstention rate is the share of gold-none\n"
    "records predicted null, the abstention precision the share of null predictions\n"
    "gold says are none; the confusion matrix gets a (none) row and column.\n"
    "\n"
    "Uncertainty: F1, micro- and macro-F1 and accuracy get 95% intervals from a\n"
    "bootstrap that resamples articles (a gold record's \"doc\", else its \"id\"), and\n"
    "each single dimension Krippendorff's alpha of model against gold. With --json or\n"
    "--detail, per value also precision and recall with Wilson 95% intervals, alpha\n"
    "(multi dimensions), calibration (Brier score, expected calibration error, a\n"
    "10-bin reliability table) and coverage: precision and share decided when only\n"
    "scores >= p (yes) or <= 1-p (no) are taken, p = 0.5 to 0.99, and the share that\n"
    "can be decided at 95% precision. Scores come from a prediction's \"scores\"\n"
    "(stance-tag --all-scores), else from its assigned labels only.\n"
    "\n"
    "  --codebook FILE       the codebook the labels come from (required)\n"
    "  --gold FILE           gold records, JSON Lines (required unless --agreement)\n"
    "  --json                print one JSON object instead of a table\n"
    "  --detail              the table adds the per-value figures of --json (above)\n"
    "  --errors              list the misclassified records instead of the report: the\n"
    "                        record (id, else doc@start or doc#passage), its gold line,\n"
    "                        dimension, gold, predicted, and the scores of the values\n"
    "                        they disagree on; tab-separated, or JSON Lines with --json\n"
    "  --max-unmatched SHARE the share of gold records (0 to 1) that may go unmatched\n"
    "                        (default 0.5)\n"
    "  --bootstrap N         bootstrap replicates, 0 for none (default 1000)\n"
    "  --seed S              the bootstrap's seed, 0 or more (default 1): the same seed\n"
    "                        gives the same intervals\n"
    "  --null-means-none     gold null on an optional dimension means no value applies, as\n"
    "                        in files coded that way, e.g. ../shared/real/gold.jsonl (with\n"
    "                        --agreement, every coder's null: use it for stance-tag output)\n"
    "  --by FIELD            after the whole report, one for each value of the predictions'\n"
    "                        string field FIELD (e.g. kind: headline and body passages\n"
    "                        apart), in order of first appearance; (none) for records\n"
    "                        without it (no intervals in these)\n"
    "  --agreement           the arguments are two or more coders' labeled records: the\n"
    "                        first's are the units, the others' are joined to them as\n"
    "                        predictions to gold; prints Krippendorff's alpha (nominal,\n"
    "                        missing codes allowed) and Cohen's kappa for each pair,\n"
    "                        with bootstrap intervals, per single dimension and per\n"
    "                        value of a multi dimension (yes/no)\n"
    "  -h, --help            show this help and exit\n"
    "      --version         print the version and exit\n"
    "\n"
    "Exit status: 0 success, 1 bad input data, 2 usage error, 3 I/O or resource failure.\n";

/* What is done with each record of an input. */
typedef stance_status (*add_fn)(void *ctx, const json_t *rec, const char *where, long line,
                                stance_error *err);

static stance_status add_gold(void *ev, const json_t *rec, const char *where, long line,
                              stance_error *err)
{
    return stance_eval_add_gold(ev, rec, where, line, err);
}

static stance_status add_pred(void *ev, const json_t *rec, const char *where, long line,
                              stance_error *err)
{
    return stance_eval_add_pred(ev, rec, where, line, err);
}

static stance_status add_coded(void *ag, const json_t *rec, const char *where, long line,
                               stance_error *err)
{
    return stance_agree_add(ag, rec, where, line, err);
}

/* The name of an input in messages. */
static const char *input_name(const char *arg)
{
    return strcmp(arg, "-") == 0 ? "<stdin>" : arg;
}

/* Feeds every record of one input to add. */
static stance_status read_arg(const char *arg, add_fn add, void *ctx, stance_error *err)
{
    int is_stdin = strcmp(arg, "-") == 0;
    const char *name = input_name(arg);
    FILE *f = stdin;
    stance_status status = is_stdin ? STANCE_OK : stance_stream_open(arg, "rb", &f, err);
    if (status != STANCE_OK)
        return status;
    stance_jsonl_reader *r = NULL;
    status = stance_jsonl_reader_new(f, name, &r, err);
    json_t *rec = NULL;
    while (status == STANCE_OK && (status = stance_jsonl_read(r, &rec, err)) == STANCE_OK && rec) {
        status = add(ctx, rec, name, stance_jsonl_get_line(r), err);
        json_decref(rec);
    }
    stance_jsonl_reader_free(r);
    if (!is_stdin)
        fclose(f);
    return status;
}

static stance_status fail_nomem(stance_error *err)
{
    return stance_error_set(err, STANCE_ERR_NOMEM, NULL, 0, "out of memory");
}

static stance_status fail_write(stance_error *err)
{
    return stance_error_set(err, STANCE_ERR_IO, "<stdout>", 0, "write failed");
}

/* Prints json (taken) on stdout: indented, or one line (JSON Lines) when compact. */
static stance_status print_json(json_t *json, int compact, stance_error *err)
{
    if (!json)
        return fail_nomem(err);
    size_t flags = JSON_SORT_KEYS | JSON_REAL_PRECISION(10) | (compact ? JSON_COMPACT : JSON_INDENT(2));
    stance_status status = STANCE_OK;
    if (json_dumpf(json, stdout, flags) != 0 || putchar('\n') == EOF)
        status = fail_write(err);
    json_decref(json);
    return status;
}

static stance_status write_errors(const stance_eval *ev, int as_json, stance_error *err)
{
    if (!as_json)
        return stance_eval_write_errors(ev, stdout, "<stdout>", err);
    json_t *all = json_array();
    if (!all || !stance_eval_errors_json(ev, all)) {
        json_decref(all);
        return fail_nomem(err);
    }
    stance_status status = STANCE_OK;
    for (size_t i = 0; status == STANCE_OK && i < json_array_size(all); i++)
        status = print_json(json_incref(json_array_get(all, i)), 1, err);
    json_decref(all);
    return status;
}

static stance_status write_report(const stance_eval *ev, int as_json, stance_error *err)
{
    if (!as_json)
        return stance_eval_write(ev, stdout, "<stdout>", err);
    return print_json(stance_eval_to_json(ev), 0, err);
}

/* The settings of one run. */
typedef struct {
    const char *codebook, *gold, *by;
    int as_json, null_means_none, detail, errors, agreement;
    double max_unmatched;
    long bootstrap, seed;
} settings;

static stance_status run_eval(const stance_codebook *cb, const settings *o, char **args,
                              int nargs, stance_error *err)
{
    stance_eval *ev = NULL;
    stance_status status = stance_eval_new(cb, &ev, err);
    if (status == STANCE_OK && o->by)
        status = stance_eval_set_group_by(ev, o->by, err);
    if (status == STANCE_OK) {
        stance_eval_set_null_means_none(ev, o->null_means_none);
        stance_eval_set_max_unmatched(ev, o->max_unmatched);
        stance_eval_set_bootstrap(ev, (size_t)o->bootstrap, (uint64_t)o->seed);
        stance_eval_set_detail(ev, o->detail);
        status = read_arg(o->gold, add_gold, ev, err);
    }
    if (status == STANCE_OK && stance_eval_get_gold_count(ev) == 0)
        status = stance_error_set(err, STANCE_ERR_DATA, input_name(o->gold), 0, "no gold records");
    if (status == STANCE_OK && nargs == 0)
        status = read_arg("-", add_pred, ev, err);
    for (int i = 0; status == STANCE_OK && i < nargs; i++)
        status = read_arg(args[i], add_pred, ev, err);
    if (status == STANCE_OK)
        status = stance_eval_check(ev, err);
    if (status == STANCE_OK)
        status = o->errors ? write_errors(ev, o->as_json, err) : write_report(ev, o->as_json, err);
    stance_eval_free(ev);
    return status;
}

static stance_status run_agreement(const stance_codebook *cb, const settings *o, char **args,
                                   int nargs, stance_error *err)
{
    stance_agree *ag = NULL;
    stance_status status = stance_agree_new(cb, &ag, err);
    if (status == STANCE_OK) {
        stance_agree_set_null_means_none(ag, o->null_means_none);
        stance_agree_set_max_unmatched(ag, o->max_unmatched);
        stance_agree_set_bootstrap(ag, (size_t)o->bootstrap, (uint64_t)o->seed);
    }
    for (int i = 0; status == STANCE_OK && i < nargs; i++) {
        const char *name = input_name(args[i]);
        status = stance_agree_begin_coder(ag, name, err);
        if (status == STANCE_OK)
            status = read_arg(args[i], add_coded, ag, err);
        if (status == STANCE_OK)
            status = stance_agree_end_coder(ag, name, err);
    }
    if (status == STANCE_OK && o->as_json)
        status = print_json(stance_agree_to_json(ag), 0, err);
    else if (status == STANCE_OK)
        status = stance_agree_write(ag, stdout, "<stdout>", err);
    stance_agree_free(ag);
    return status;
}

/* The usage mistakes options can make together; 0 when none, else the exit code. */
static int check_settings(const settings *o, char **args, int nargs)
{
    if (!o->codebook)
        return stage_usage_error("no --codebook given");
    if (o->by && !*o->by)
        return stage_usage_error("--by needs a field name");
    if (!o->agreement) {
        if (!o->gold)
            return stage_usage_error("no --gold given");
        return 0;
    }
    if (o->gold)
        return stage_usage_error("--agreement takes no --gold: the first coder's file is the units");
    if (o->by || o->errors)
        return stage_usage_error("--agreement takes no %s", o->by ? "--by" : "--errors");
    if (nargs < 2)
        return stage_usage_error("--agreement needs two or more coders' files, got %d", nargs);
    for (int i = 0; i < nargs; i++)
        for (int j = 0; j < i; j++)
            if (strcmp(args[i], "-") == 0 && strcmp(args[j], "-") == 0)
                return stage_usage_error("--agreement reads standard input once at most");
    return 0;
}

int main(int argc, char **argv)
{
    stage_start("stance-eval");
    stance_error err;
    stance_error_clear(&err);
    static const struct option longopts[] = {
        {"codebook", required_argument, NULL, 'c'},
        {"gold", required_argument, NULL, 'g'},
        {"json", no_argument, NULL, 'j'},
        {"null-means-none", no_argument, NULL, 'n'},
        {"by", required_argument, NULL, 'b'},
        {"detail", no_argument, NULL, 'd'},
        {"errors", no_argument, NULL, 'e'},
        {"max-unmatched", required_argument, NULL, 'm'},
        {"bootstrap", required_argument, NULL, 'B'},
        {"seed", required_argument, NULL, 'S'},
        {"agreement", no_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, STAGE_OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    settings o = {.max_unmatched = 0.5, .bootstrap = STANCE_EVAL_BOOTSTRAP, .seed = STANCE_EVAL_SEED};
    int c;
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': o.codebook = optarg; break;
        case 'g': o.gold = optarg; break;
        case 'j': o.as_json = 1; break;
        case 'n': o.null_means_none = 1; break;
        case 'b': o.by = optarg; break;
        case 'd': o.detail = 1; break;
        case 'e': o.errors = 1; break;
        case 'a': o.agreement = 1; break;
        case 'm':
            if (!stage_parse_double(optarg, &o.max_unmatched) || o.max_unmatched < 0 ||
                o.max_unmatched > 1)
                return stage_usage_error("--max-unmatched wants a share from 0 to 1, not '%s'",
                                         optarg);
            break;
        case 'B':
            if (!stage_parse_long(optarg, 0, 1000000, &o.bootstrap))
                return stage_usage_error("--bootstrap wants a count from 0 to 1000000, not '%s'",
                                         optarg);
            break;
        case 'S':
            if (!stage_parse_long(optarg, 0, LONG_MAX, &o.seed))
                return stage_usage_error("--seed wants a whole number from 0, not '%s'", optarg);
            break;
        case 'h': return stage_help(usage);
        case STAGE_OPT_VERSION: return stage_version();
        case ':': return stage_usage_error("option '%s' needs an argument", argv[optind - 1]);
        default: return stage_unknown_option(argv);
        }
    }
    char **args = argv + optind;
    int nargs = argc - optind, bad = check_settings(&o, args, nargs);
    if (bad)
        return bad;

    stance_codebook *cb = NULL;
    stance_status status = stance_codebook_load(o.codebook, &cb, &err);
    if (status == STANCE_OK)
        status = o.agreement ? run_agreement(cb, &o, args, nargs, &err)
                             : run_eval(cb, &o, args, nargs, &err);
    stance_codebook_free(cb);
    return stage_finish(status, &err);
}
