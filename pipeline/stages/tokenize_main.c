/* stance-tokenize: articles in, one JSON record per paragraph out (see record.h). */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>

#include "stage.h"
#include "stance/article.h"
#include "stance/input.h"
#include "stance/jsonl.h"
#include "stance/record.h"
#include "stance/stream.h"
#include "stance/tokenize.h"

static const char usage[] =
    "Usage: stance-tokenize [OPTION]... [FILE|DIR|-]...\n"
    "Split articles into passages (paragraphs) and tokens; write one JSON object per\n"
    "passage to standard output (JSON Lines).\n"
    "\n"
    "A FILE is a plain-text article; a DIR means its *.txt files in sorted order;\n"
    "'-' or no argument reads standard input. Article ids (file names without\n"
    "directory and extension, or the JSON Lines \"id\") must not repeat.\n"
    "\n"
    "  --jsonl            read JSON Lines articles, one object per line with \"id\" and\n"
    "                     \"text\"; other fields are copied to the article's first\n"
    "                     record, its \"id\" to every one\n"
    "  --offsets          add \"offsets\": [start,end] byte offsets of every token\n"
    "  --encoding ENC     input encoding of plain text: utf-8 (default), latin1, cp1252\n"
    "  --max-article-bytes N  refuse larger articles (default 67108864, 64 MiB)\n"
    "  -h, --help         show this help and exit\n"
    "      --version      print the version and exit\n"
    "\n"
    "Each record: doc, passage (1-based), start, end (byte offsets in the input, end\n"
    "exclusive), kind (body|headline|meta), text, tokens. Entries of a DIR that are not\n"
    "regular files (FIFOs, devices) are skipped, with a notice.\n"
    "\n"
    "Exit status: 0 success, 1 bad input data, 2 usage error, 3 I/O or resource failure.\n";

typedef struct {
    stance_input_options in;
    int offsets;
    stance_tokens toks;
} tokenizer;

/* Tokenizes one article and writes its records. */
static stance_status emit_article(void *ctx, const stance_article *art, const char *doc,
                                  const json_t *extra, const char *where, long line,
                                  stance_error *err)
{
    (void)where, (void)line;
    tokenizer *tz = ctx;
    return stance_record_write_article(stdout, "<stdout>", art, doc, extra, tz->offsets,
                                       &tz->toks, err);
}

int main(int argc, char **argv)
{
    stage_start("stance-tokenize");
    static const struct option longopts[] = {
        {"jsonl", no_argument, NULL, 'J'},
        {"offsets", no_argument, NULL, 'O'},
        {"encoding", required_argument, NULL, 'E'},
        {"max-article-bytes", required_argument, NULL, 'X'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, STAGE_OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    tokenizer tz = {{.enc = STANCE_ENC_UTF8, .max_bytes = STANCE_ARTICLE_MAX_BYTES, .skipped = stage_skipped},
                    0, {0}};
    stance_error err;
    stance_error_clear(&err);
    long max_bytes;
    int c;
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'J': tz.in.jsonl = 1; break;
        case 'O': tz.offsets = 1; break;
        case 'E':
            if (stance_encoding_parse(optarg, &tz.in.enc, &err) != STANCE_OK)
                return stage_report(&err);
            break;
        case 'X':
            if (!stage_parse_long(optarg, 1, LONG_MAX, &max_bytes))
                return stage_usage_error("--max-article-bytes needs a positive number of bytes, "
                                         "not '%s'", optarg);
            tz.in.max_bytes = (size_t)max_bytes;
            break;
        case 'h': return stage_help(usage);
        case STAGE_OPT_VERSION: return stage_version();
        case ':': return stage_usage_error("option '%s' needs an argument", argv[optind - 1]);
        default: return stage_unknown_option(argv);
        }
    }
    if (tz.in.jsonl && tz.in.enc != STANCE_ENC_UTF8) {
        stance_error_set(&err, STANCE_ERR_USAGE, NULL, 0,
                         "--encoding applies to plain text; JSON Lines input is UTF-8");
        return stage_report(&err);
    }
    stance_tokens_init(&tz.toks);
    stance_status st = stance_idset_new(&tz.in.seen, &err);
    if (st == STANCE_OK) /* all of them listed first: their ids are found together */
        st = stance_input_walk_all(argv + optind, (size_t)(argc - optind), &tz.in, emit_article, &tz, &err);
    stance_tokens_clear(&tz.toks);
    stance_idset_free(tz.in.seen);
    return stage_finish(st, &err);
}
