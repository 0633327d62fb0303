/* stance-report: tagged records (stance-tag output), the articles they come from and, if given,
 * gold labels, to one static HTML page for an analyst to read in a browser. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "stage.h"
#include "stance/codebook.h"
#include "stance/input.h"
#include "stance/jsonl.h"
#include "stance/report.h"
#include "stance/stream.h"

static const char usage[] =
    "Usage: stance-report [-o REPORT.html] [OPTION]... TAGGED.jsonl [ARTICLE|DIR]...\n"
    "Write one static HTML page of the records stance-tag wrote: a summary of the\n"
    "collection (each label's share of the passages with a 95% Wilson interval, bar\n"
    "charts), then one card per article with each passage's labels and score bars.\n"
    "Given the articles (the files or directories stance-tag read, or with --jsonl its\n"
    "JSON Lines input), each passage shows its text, its bytes start..end of the\n"
    "article whose name (file name without extension, or JSON Lines id) is its doc,\n"
    "with the terms of --explain highlighted; without them a record's own \"text\" is\n"
    "shown. The page loads nothing (no script, font or image from anywhere) and all\n"
    "text in it is escaped. '-' reads TAGGED from standard input.\n"
    "\n"
    "  -o, --output FILE     write the page to FILE (a new file, an empty one or an\n"
    "                        earlier report; written whole, then renamed into place)\n"
    "                        instead of standard output\n"
    "  --gold FILE           gold labels (JSON Lines, as stance-eval reads them):\n"
    "                        precision, recall and F1 per value, a confusion matrix\n"
    "                        of each single dimension, reliability diagrams\n"
    "  --null-means-none     gold null on an optional dimension means no value applies\n"
    "  --codebook FILE       the codebook of the labels (default: read off the records)\n"
    "  --jsonl               the articles are JSON Lines {\"id\", \"text\", ...}\n"
    "  --title TEXT          the page's title (default: \"stance report: TAGGED\")\n"
    "  --max-article-bytes N refuse larger articles (default 67108864, 64 MiB)\n"
    "  -h, --help            show this help and exit\n"
    "      --version         print the version and exit\n"
    "\n"
    "Gold records match the tagged ones as in stance-eval: by \"doc\" and \"start\",\n"
    "\"doc\" and \"passage\", or \"id\"; more than half of them unmatched is an error.\n"
    "\n"
    "Exit status: 0 success, 1 bad input data (a malformed record, a doc with no\n"
    "article, offsets outside their article, gold that does not match), 2 usage\n"
    "error, 3 I/O or resource failure.\n";

/* Feeds every record of one JSON Lines input to the report, as tagged or as gold records. */
static stance_status read_records(stance_report *r, const char *arg, int gold, stance_error *err)
{
    int is_stdin = strcmp(arg, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : arg;
    FILE *f = stdin;
    stance_status status = is_stdin ? STANCE_OK : stance_stream_open(arg, "rb", &f, err);
    if (status != STANCE_OK)
        return status;
    stance_jsonl_reader *reader = NULL;
    status = stance_jsonl_reader_new(f, name, &reader, err);
    json_t *rec = NULL;
    long count = 0;
    while (status == STANCE_OK && (status = stance_jsonl_read(reader, &rec, err)) == STANCE_OK &&
           rec) {
        long line = stance_jsonl_get_line(reader);
        status = gold ? stance_report_add_gold(r, rec, name, line, err)
                      : stance_report_add_tagged(r, rec, name, line, err);
        json_decref(rec);
        count++;
    }
    stance_jsonl_reader_free(reader);
    if (!is_stdin)
        fclose(f);
    if (status == STANCE_OK && count == 0)
        status = stance_error_set(err, STANCE_ERR_DATA, name, 0, gold ? "no gold records"
                                                                      : "no records");
    return status;
}

static stance_status on_article(void *ctx, const stance_article *art, const char *doc,
                                const json_t *extra, const char *where, long line,
                                stance_error *err)
{
    (void)extra;
    (void)line;
    return stance_report_add_article(ctx, art, doc, where, err);
}

/* Writes the page to path atomically (signals held, so an interrupt leaves the old file or
 * the new one), or to standard output. */
static stance_status write_page(const stance_report *r, const char *path, stance_error *err)
{
    if (!path)
        return stance_report_write(r, stdout, "<stdout>", err);
    sigset_t old;
    stage_hold_signals(&old);
    stance_status status = stance_report_save(r, path, err);
    stage_release_signals(&old);
    return status;
}

enum { OPT_GOLD = 256, OPT_NULL_NONE, OPT_CODEBOOK, OPT_JSONL, OPT_TITLE, OPT_MAX_BYTES };

int main(int argc, char **argv)
{
    stage_start("stance-report");
    stance_error err;
    stance_error_clear(&err);
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"gold", required_argument, NULL, OPT_GOLD},
        {"null-means-none", no_argument, NULL, OPT_NULL_NONE},
        {"codebook", required_argument, NULL, OPT_CODEBOOK},
        {"jsonl", no_argument, NULL, OPT_JSONL},
        {"title", required_argument, NULL, OPT_TITLE},
        {"max-article-bytes", required_argument, NULL, OPT_MAX_BYTES},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, STAGE_OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *gold = NULL, *codebook = NULL, *title = NULL;
    int null_means_none = 0, c;
    long max_bytes = 0;
    stance_input_options in = {.enc = STANCE_ENC_UTF8, .skipped = stage_skipped};
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_GOLD: gold = optarg; break;
        case OPT_NULL_NONE: null_means_none = 1; break;
        case OPT_CODEBOOK: codebook = optarg; break;
        case OPT_JSONL: in.jsonl = 1; break;
        case OPT_TITLE: title = optarg; break;
        case OPT_MAX_BYTES:
            if (!stage_parse_long(optarg, 1, 1L << 40, &max_bytes))
                return stage_usage_error("--max-article-bytes wants a positive number, not '%s'",
                                         optarg);
            break;
        case 'h': return stage_help(usage);
        case STAGE_OPT_VERSION: return stage_version();
        case ':': return stage_usage_error("option '%s' needs an argument", argv[optind - 1]);
        default: return stage_unknown_option(argv);
        }
    }
    if (optind == argc)
        return stage_usage_error("no TAGGED.jsonl given");
    const char *tagged = argv[optind];
    int stdin_uses = (strcmp(tagged, "-") == 0) + (gold && strcmp(gold, "-") == 0);
    for (int i = optind + 1; i < argc; i++)
        stdin_uses += strcmp(argv[i], "-") == 0;
    if (stdin_uses > 1)
        return stage_usage_error("standard input ('-') named more than once");
    in.max_bytes = (size_t)max_bytes;

    struct timespec started;
    clock_gettime(CLOCK_REALTIME, &started);
    stance_status status = STANCE_OK;
    if (out) {
        status = stance_report_check_target(out, &err);
        if (status == STANCE_OK)
            status = stance_report_remove_stale(out, &started, stage_removed, NULL, &err);
        if (status != STANCE_OK)
            return stage_report(&err);
    }
    char default_title[512];
    snprintf(default_title, sizeof default_title, "stance report: %s",
             strcmp(tagged, "-") ? tagged : "<stdin>");
    stance_codebook *cb = NULL;
    stance_report *r = NULL;
    status = stance_report_new(title ? title : default_title, &r, &err);
    if (status == STANCE_OK && codebook &&
        (status = stance_codebook_load(codebook, &cb, &err)) == STANCE_OK)
        stance_report_set_codebook(r, cb);
    if (status == STANCE_OK) {
        stance_report_set_null_means_none(r, null_means_none);
        status = read_records(r, tagged, 0, &err);
    }
    for (int i = optind + 1; status == STANCE_OK && i < argc; i++)
        status = stance_input_walk(argv[i], &in, on_article, r, &err);
    if (status == STANCE_OK && gold)
        status = read_records(r, gold, 1, &err);
    if (status == STANCE_OK)
        status = stance_report_finish(r, &err);
    if (status == STANCE_OK)
        status = write_page(r, out, &err);
    stance_report_free(r);
    stance_codebook_free(cb);
    return stage_finish(status, &err);
}
