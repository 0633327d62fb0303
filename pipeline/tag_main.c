/* stance-tag: articles in, one labeled JSON record per passage (or article) out. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "stance/input.h"
#include "stance/jsonl.h"
#include "stance/model.h"
#include "stance/tag.h"

static const char usage[] =
    "Usage: stance-tag -m MODEL_DIR [OPTION]... [FILE|DIR|-]...\n"
    "Label articles with a trained model: one JSON object per passage on standard\n"
    "output, with byte offsets, the text, and one field per codebook dimension.\n"
    "\n"
    "A FILE is a plain-text article; a DIR means its *.txt files in sorted order;\n"
    "'-' or no argument reads standard input.\n"
    "\n"
    "  -m, --model DIR     the model bundle (from stance-train)\n"
    "  --codebook FILE     check that the model was trained with this codebook\n"
    "  --jsonl             read JSON Lines articles {\"id\", \"text\", ...}\n"
    "  --unit UNIT         passage (default) or article: one record per article\n"
    "  --no-text           leave the text out of the records\n"
    "  --encoding ENC      plain-text input encoding: utf-8 (default), latin1, cp1252\n"
    "  -h, --help          show this help and exit\n"
    "\n"
    "Multi-valued dimensions give an array of {\"label\", \"score\"} for the values\n"
    "present (score >= 0.5), highest first; single ones one {\"label\", \"score\"}.\n"
    "Scores are calibrated probabilities. Metadata passages carry no labels.\n"
    "\n"
    "Exit status: 0 success, 1 bad input data or model, 2 usage error,\n"
    "3 I/O or resource failure.\n";

static int report(const stance_error *err)
{
    char msg[STANCE_ERROR_MSG_MAX + STANCE_ERROR_NAME_MAX + 32];
    stance_error_format(err, msg, sizeof msg);
    fprintf(stderr, "stance-tag: %s\n", msg);
    return stance_status_exit_code(err->status);
}

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "stance-tag: %s '%s'\n", what, arg);
    fputs("Try 'stance-tag --help' for more information.\n", stderr);
    return 2;
}

/* Tags one article and writes its records; an article that fails writes nothing. */
static stance_status tag_article(void *ctx, const stance_article *art, const char *doc,
                                 const json_t *extra, const char *where, long line,
                                 stance_error *err)
{
    (void)where, (void)line;
    json_t *records;
    stance_status st = stance_tagger_article(ctx, art, doc, extra, &records, err);
    if (st == STANCE_OK)
        st = stance_jsonl_write_all(stdout, records, "<stdout>", err);
    json_decref(records);
    return st;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"model", required_argument, NULL, 'm'},    {"jsonl", no_argument, NULL, 'J'},
        {"unit", required_argument, NULL, 'U'},     {"no-text", no_argument, NULL, 'T'},
        {"encoding", required_argument, NULL, 'E'}, {"help", no_argument, NULL, 'h'},
        {"codebook", required_argument, NULL, 'B'},
        {NULL, 0, NULL, 0},
    };
    stance_input_options in = {0, STANCE_ENC_UTF8};
    stance_tag_options opt = {0, 0};
    const char *model_dir = NULL, *codebook = NULL;
    stance_error err;
    stance_error_clear(&err);
    int c;
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":m:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'm': model_dir = optarg; break;
        case 'B': codebook = optarg; break;
        case 'J': in.jsonl = 1; break;
        case 'T': opt.no_text = 1; break;
        case 'U':
            if (strcmp(optarg, "article") != 0 && strcmp(optarg, "passage") != 0)
                return usage_error("--unit is passage or article, not", optarg);
            opt.article_unit = strcmp(optarg, "article") == 0;
            break;
        case 'E':
            if (stance_encoding_parse(optarg, &in.enc, &err) != STANCE_OK)
                return report(&err);
            break;
        case 'h': fputs(usage, stdout); return 0;
        case ':': return usage_error("missing argument for option", argv[optind - 1]);
        default: return usage_error("unknown option", argv[optind - 1]);
        }
    }
    if (!model_dir) {
        fputs("stance-tag: -m MODEL_DIR is required\nTry 'stance-tag --help' for more information.\n", stderr);
        return 2;
    }
    if (in.jsonl && in.enc != STANCE_ENC_UTF8) {
        fputs("stance-tag: --encoding applies to plain text; JSON Lines input is UTF-8\n", stderr);
        return 2;
    }
    stance_model *model = NULL;
    stance_tagger *tagger = NULL;
    stance_status st = stance_model_load(model_dir, &model, &err);
    if (st == STANCE_OK && codebook)
        st = stance_model_check_codebook(model, codebook, &err);
    if (st == STANCE_OK)
        st = stance_tagger_new(model, &opt, &tagger, &err);
    if (st == STANCE_OK && optind == argc)
        st = stance_input_walk("-", &in, tag_article, tagger, &err);
    for (int i = optind; st == STANCE_OK && i < argc; i++)
        st = stance_input_walk(argv[i], &in, tag_article, tagger, &err);
    stance_tagger_free(tagger);
    stance_model_free(model);
    stance_error close_err;
    stance_status cst = stance_stream_close(stdout, "<stdout>", &close_err);
    if (st != STANCE_OK)
        return report(&err);
    return cst == STANCE_OK ? 0 : report(&close_err);
}
