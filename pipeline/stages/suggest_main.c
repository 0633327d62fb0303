/* stance-suggest: unlabeled articles and a model in, the passages worth labeling next out
 * (suggest.h), as JSON Lines or as tasks for an annotation tool. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "stage.h"
#include "stance/input.h"
#include "stance/model.h"
#include "stance/suggest.h"

static const char usage[] =
    "Usage: stance-suggest -m MODEL_DIR -n N [OPTION]... [FILE|DIR|-]...\n"
    "Pick the N passages most worth labeling next: mostly those the model is least\n"
    "sure of (closest to a decision, over all labels), a random share, and no two\n"
    "near-duplicates. Input as for stance-tag.\n"
    "\n"
    "  -m, --model DIR       the model bundle (from stance-train)\n"
    "  -n, --count N         passages to pick (1 to 1000000)\n"
    "  --random-share S      share of them picked at random, 0 to 1 (default 0.2,\n"
    "                        rounded to whole passages)\n"
    "  --seed N              seed of the random share (default 1)\n"
    "  --max-similarity X    pass over a passage whose TF-IDF cosine with one picked\n"
    "                        is above X, 0 to 1 (default 0.9)\n"
    "  --format F            jsonl (default): stance-tag records plus \"reason\";\n"
    "                        doccano, labelstudio or prodigy: tasks to import, with\n"
    "                        the model's labels as pre-annotations\n"
    "  --codebook FILE       check that the model was trained with this codebook\n"
    "  --jsonl               read JSON Lines articles {\"id\", \"text\", ...}\n"
    "  --unit UNIT           passage (default) or article: score whole articles\n"
    "  --encoding ENC        plain-text encoding: utf-8 (default), latin1, cp1252\n"
    "  --max-article-bytes N refuse larger articles (default 67108864, 64 MiB)\n"
    "  -h, --help            show this help and exit\n"
    "      --version         print the version and exit\n"
    "\n"
    "Each record says why it was picked: \"reason\":\"uncertain\" with the\n"
    "\"dimension\", \"label\" and \"score\" the model is least sure of (label null:\n"
    "whether any value of an optional dimension applies), or \"reason\":\"random\".\n"
    "Uncertain ones come first, least certain first. Fewer than N are written when\n"
    "the input has fewer passages that are not near-duplicates (with a warning).\n"
    "Every passage is held in memory until the pick.\n"
    "\n"
    "Exit status: 0 success, 1 bad input data or model, 2 usage error,\n"
    "3 I/O or resource failure.\n";

/* The walk's callback: each article's passages become candidates. */
static stance_status add_article(void *ctx, const stance_article *art, const char *doc,
                                 const json_t *extra, const char *where, long line,
                                 stance_error *err)
{
    (void)where, (void)line;
    return stance_suggester_add(ctx, art, doc, extra, err);
}

int main(int argc, char **argv)
{
    stage_start("stance-suggest");
    static const struct option longopts[] = {
        {"model", required_argument, NULL, 'm'},          {"count", required_argument, NULL, 'n'},
        {"random-share", required_argument, NULL, 'R'},   {"seed", required_argument, NULL, 'S'},
        {"max-similarity", required_argument, NULL, 'M'}, {"format", required_argument, NULL, 'F'},
        {"codebook", required_argument, NULL, 'B'},       {"jsonl", no_argument, NULL, 'J'},
        {"unit", required_argument, NULL, 'U'},           {"encoding", required_argument, NULL, 'E'},
        {"max-article-bytes", required_argument, NULL, 'X'}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, STAGE_OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    stance_input_options in = {.enc = STANCE_ENC_UTF8, .max_bytes = STANCE_ARTICLE_MAX_BYTES,
                              .skipped = stage_skipped};
    stance_suggest_options opt;
    stance_suggest_options_default(&opt);
    stance_task_format fmt = STANCE_TASKS_JSONL;
    const char *model_dir = NULL, *codebook = NULL;
    long v;
    int have_n = 0, c;
    stance_error err;
    stance_error_clear(&err);
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":m:n:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'm': model_dir = optarg; break;
        case 'n':
            if (!stage_parse_long(optarg, 1, 1000000, &v))
                return stage_usage_error("-n needs a number of passages from 1 to 1000000, not '%s'",
                                         optarg);
            opt.n = (size_t)v;
            have_n = 1;
            break;
        case 'R':
            if (!stage_parse_double(optarg, &opt.random_share) || opt.random_share < 0 ||
                opt.random_share > 1)
                return stage_usage_error("--random-share needs a number from 0 to 1, not '%s'", optarg);
            break;
        case 'S':
            if (!stage_parse_long(optarg, 0, LONG_MAX, &v))
                return stage_usage_error("--seed needs a non-negative integer, not '%s'", optarg);
            opt.seed = (uint64_t)v;
            break;
        case 'M':
            if (!stage_parse_double(optarg, &opt.max_similarity) || opt.max_similarity < 0 ||
                opt.max_similarity > 1)
                return stage_usage_error("--max-similarity needs a number from 0 to 1, not '%s'",
                                         optarg);
            break;
        case 'F':
            if (stance_task_format_parse(optarg, &fmt) != 0)
                return stage_usage_error("--format needs jsonl, doccano, labelstudio or prodigy, "
                                         "not '%s'", optarg);
            break;
        case 'B': codebook = optarg; break;
        case 'J': in.jsonl = 1; break;
        case 'U':
            if (strcmp(optarg, "article") != 0 && strcmp(optarg, "passage") != 0)
                return stage_usage_error("--unit is passage or article, not '%s'", optarg);
            opt.article_unit = strcmp(optarg, "article") == 0;
            break;
        case 'E':
            if (stance_encoding_parse(optarg, &in.enc, &err) != STANCE_OK)
                return stage_report(&err);
            break;
        case 'X':
            if (!stage_parse_long(optarg, 1, LONG_MAX, &v))
                return stage_usage_error("--max-article-bytes needs a positive number of bytes, "
                                         "not '%s'", optarg);
            in.max_bytes = (size_t)v;
            break;
        case 'h': return stage_help(usage);
        case STAGE_OPT_VERSION: return stage_version();
        case ':': return stage_usage_error("missing argument for option '%s'", argv[optind - 1]);
        default: return stage_unknown_option(argv);
        }
    }
    if (!model_dir || !have_n)
        return stage_usage_error(!model_dir ? "-m MODEL_DIR is required" : "-n N is required");
    if (in.jsonl && in.enc != STANCE_ENC_UTF8)
        return stage_usage_error("--encoding applies to plain text; JSON Lines input is UTF-8");
    stance_model *model = NULL;
    stance_suggester *sg = NULL;
    size_t picked = 0;
    stance_status st = stance_idset_new(&in.seen, &err);
    if (st == STANCE_OK)
        st = stance_model_load(model_dir, &model, &err);
    if (st == STANCE_OK && codebook)
        st = stance_model_check_codebook(model, codebook, &err);
    if (st == STANCE_OK)
        st = stance_suggester_new(model, &opt, &sg, &err);
    if (st == STANCE_OK) /* all of them listed first: their ids are found together */
        st = stance_input_walk_all(argv + optind, (size_t)(argc - optind), &in, add_article, sg, &err);
    if (st == STANCE_OK)
        st = stance_suggester_write(sg, fmt, stdout, "<stdout>", &picked, &err);
    if (st == STANCE_OK && picked < opt.n)
        fprintf(stderr, "stance-suggest: warning: %zu of %zu passages picked (%zu read)\n", picked,
                opt.n, stance_suggester_get_count(sg));
    stance_suggester_free(sg);
    stance_model_free(model);
    stance_idset_free(in.seen);
    return stage_finish(st, &err);
}
