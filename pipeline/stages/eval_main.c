/* stance-eval: scores predicted records (stance-tag output) against gold labels and prints
 * per value and per dimension scores as a table or as JSON. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "stage.h"
#include "stance/codebook.h"
#include "stance/eval.h"
#include "stance/jsonl.h"
#include "stance/stream.h"

static const char usage[] =
    "Usage: stance-eval --codebook FILE --gold FILE [OPTION]... [PRED.jsonl|-]...\n"
    "Score predicted labels (records as stance-tag writes them) against gold labels.\n"
    "A prediction matches the gold record by the first key both have: \"doc\" and\n"
    "\"start\", \"doc\" and \"passage\", or \"id\". No match at all, or more than half of\n"
    "the gold records unmatched, is an error. Each dimension is scored over the matched\n"
    "records labeled on it in gold and in the prediction: precision, recall, F1 and\n"
    "support per value, micro and macro averages, and for single-label dimensions the\n"
    "accuracy and the confusion matrix. '-' or no argument reads standard input.\n"
    "\n"
    "A single dimension the codebook declares optional is also scored on \"no value\n"
    "applies\": gold [] says so (gold null is not scored), a prediction of null abstains.\n"
    "Its accuracy is over the records gold gives a value (an abstention there is wrong);\n"
    "the abstention rate is the share of gold-none records predicted null, the abstention\n"
    "precision the share of null predictions gold says are none; the confusion matrix\n"
    "gets a (none) row and column.\n"
    "\n"
    "  --codebook FILE    the codebook the labels come from (required)\n"
    "  --gold FILE        gold records, JSON Lines (required)\n"
    "  --json             print one JSON object instead of a table\n"
    "  --null-means-none  gold null on an optional dimension means no value applies, as\n"
    "                     in files coded that way, e.g. ../shared/real/gold.jsonl\n"
    "  --by FIELD         after the whole report, one for each value of the predictions'\n"
    "                     string field FIELD (e.g. kind: headline and body passages\n"
    "                     apart), in order of first appearance; (none) for records\n"
    "                     without it\n"
    "  -h, --help         show this help and exit\n"
    "      --version      print the version and exit\n"
    "\n"
    "Exit status: 0 success, 1 bad input data, 2 usage error, 3 I/O or resource failure.\n";

/* Feeds every record of one input to ev, as gold or as predictions. */
static stance_status read_arg(stance_eval *ev, const char *arg, int gold, stance_error *err)
{
    int is_stdin = strcmp(arg, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : arg;
    FILE *f = stdin;
    stance_status status = is_stdin ? STANCE_OK : stance_stream_open(arg, "rb", &f, err);
    if (status != STANCE_OK)
        return status;
    stance_jsonl_reader *r = NULL;
    status = stance_jsonl_reader_new(f, name, &r, err);
    json_t *rec = NULL;
    while (status == STANCE_OK && (status = stance_jsonl_read(r, &rec, err)) == STANCE_OK && rec) {
        long line = stance_jsonl_get_line(r);
        status = gold ? stance_eval_add_gold(ev, rec, name, line, err)
                      : stance_eval_add_pred(ev, rec, name, line, err);
        json_decref(rec);
    }
    stance_jsonl_reader_free(r);
    if (!is_stdin)
        fclose(f);
    return status;
}

static stance_status write_report(const stance_eval *ev, int as_json, stance_error *err)
{
    if (!as_json)
        return stance_eval_write(ev, stdout, "<stdout>", err);
    json_t *json = stance_eval_to_json(ev);
    if (!json) {
        err->status = STANCE_ERR_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        return STANCE_ERR_NOMEM;
    }
    stance_status status = STANCE_OK;
    if (json_dumpf(json, stdout, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0 ||
        putchar('\n') == EOF) {
        err->status = STANCE_ERR_IO;
        snprintf(err->where, sizeof err->where, "<stdout>");
        snprintf(err->message, sizeof err->message, "write failed");
        status = STANCE_ERR_IO;
    }
    json_decref(json);
    return status;
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
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, STAGE_OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    const char *codebook = NULL, *gold = NULL, *by = NULL;
    int as_json = 0, null_means_none = 0, c;
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': codebook = optarg; break;
        case 'g': gold = optarg; break;
        case 'j': as_json = 1; break;
        case 'n': null_means_none = 1; break;
        case 'b': by = optarg; break;
        case 'h': return stage_help(usage);
        case STAGE_OPT_VERSION: return stage_version();
        case ':': return stage_usage_error("option '%s' needs an argument", argv[optind - 1]);
        default: return stage_unknown_option(argv);
        }
    }
    if (!codebook)
        return stage_usage_error("no --codebook given");
    if (!gold)
        return stage_usage_error("no --gold given");
    if (by && !*by)
        return stage_usage_error("--by needs a field name");

    stance_codebook *cb = NULL;
    stance_eval *ev = NULL;
    stance_status status = stance_codebook_load(codebook, &cb, &err);
    if (status == STANCE_OK)
        status = stance_eval_new(cb, &ev, &err);
    if (status == STANCE_OK && by)
        status = stance_eval_set_group_by(ev, by, &err);
    if (status == STANCE_OK) {
        stance_eval_set_null_means_none(ev, null_means_none);
        status = read_arg(ev, gold, 1, &err);
    }
    if (status == STANCE_OK && stance_eval_get_gold_count(ev) == 0)
        status = stance_error_set(&err, STANCE_ERR_DATA, strcmp(gold, "-") ? gold : "<stdin>", 0,
                                  "no gold records");
    if (status == STANCE_OK && optind == argc)
        status = read_arg(ev, "-", 0, &err);
    for (int i = optind; status == STANCE_OK && i < argc; i++)
        status = read_arg(ev, argv[i], 0, &err);
    if (status == STANCE_OK)
        status = stance_eval_check(ev, &err);
    if (status == STANCE_OK)
        status = write_report(ev, as_json, &err);
    stance_eval_free(ev);
    stance_codebook_free(cb);
    return stage_finish(status, &err);
}
