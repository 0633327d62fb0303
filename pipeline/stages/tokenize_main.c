/* stance-tokenize: articles in, one JSON record per paragraph out (see record.h). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stance/article.h"
#include "stance/input.h"
#include "stance/jsonl.h"
#include "stance/record.h"
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

static int report(const stance_error *err)
{
    char msg[STANCE_ERROR_TEXT_MAX];
    stance_error_format(err, msg, sizeof msg);
    fprintf(stderr, "stance-tokenize: %s\n", msg);
    return stance_status_exit_code(err->status);
}

/* Parses a positive whole number of bytes. */
static int parse_bytes(const char *s, size_t *v)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (errno || end == s || *end != '\0' || x < 1)
        return 0;
    *v = (size_t)x;
    return 1;
}

static void say_skipped(const char *path, const char *why)
{
    char shown[4 * PATH_MAX];
    stance_error_escape(path, shown, sizeof shown);
    fprintf(stderr, "stance-tokenize: %s: skipped, %s\n", shown, why);
}

/* Tokenizes one article and writes its records. */
static stance_status emit_article(void *ctx, const stance_article *art, const char *doc,
                                  const json_t *extra, const char *where, long line,
                                  stance_error *err)
{
    (void)where, (void)line;
    tokenizer *tz = ctx;
    return stance_article_records_write(stdout, "<stdout>", art, doc, extra, tz->offsets,
                                        &tz->toks, err);
}

int main(int argc, char **argv)
{
    /* Even when started with SIGPIPE ignored: a reader that goes away (| head) ends the
     * program at once and quietly, as it does every Unix filter (status 141 in the shell). */
    signal(SIGPIPE, SIG_DFL);
    static const struct option longopts[] = {
        {"jsonl", no_argument, NULL, 'J'},
        {"offsets", no_argument, NULL, 'O'},
        {"encoding", required_argument, NULL, 'E'},
        {"max-article-bytes", required_argument, NULL, 'X'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    tokenizer tz = {{0, STANCE_ENC_UTF8, NULL, STANCE_ARTICLE_MAX_BYTES, say_skipped}, 0, {0}};
    stance_error err;
    stance_error_clear(&err);
    int c;
    char shown[4 * 256]; /* an option as typed, escaped for the terminal */
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'J': tz.in.jsonl = 1; break;
        case 'O': tz.offsets = 1; break;
        case 'E':
            if (stance_encoding_parse(optarg, &tz.in.enc, &err) != STANCE_OK)
                return report(&err);
            break;
        case 'X':
            if (!parse_bytes(optarg, &tz.in.max_bytes)) {
                stance_error_escape(optarg, shown, sizeof shown);
                fprintf(stderr, "stance-tokenize: --max-article-bytes needs a positive number of "
                                "bytes, not '%s'\n", shown);
                fputs("Try 'stance-tokenize --help' for more information.\n", stderr);
                return 2;
            }
            break;
        case 'h':
            fputs(usage, stdout);
            return stance_stream_close(stdout, "<stdout>", &err) == STANCE_OK ? 0 : report(&err);
        case ':':
            stance_error_escape(argv[optind - 1], shown, sizeof shown);
            fprintf(stderr, "stance-tokenize: option '%s' needs an argument\n", shown);
            fputs("Try 'stance-tokenize --help' for more information.\n", stderr);
            return 2;
        default:
            stance_error_escape(argv[optind - 1], shown, sizeof shown);
            fprintf(stderr, "stance-tokenize: unknown option '%s'\n", shown);
            fputs("Try 'stance-tokenize --help' for more information.\n", stderr);
            return 2;
        }
    }
    if (tz.in.jsonl && tz.in.enc != STANCE_ENC_UTF8) {
        fputs("stance-tokenize: --encoding applies to plain text; JSON Lines input is UTF-8\n",
              stderr);
        return 2;
    }
    stance_tokens_init(&tz.toks);
    stance_status st = stance_idset_new(&tz.in.seen, &err);
    if (st == STANCE_OK && optind == argc)
        st = stance_input_walk("-", &tz.in, emit_article, &tz, &err);
    for (int i = optind; st == STANCE_OK && i < argc; i++)
        st = stance_input_walk(argv[i], &tz.in, emit_article, &tz, &err);
    stance_tokens_clear(&tz.toks);
    stance_idset_free(tz.in.seen);
    stance_error close_err;
    stance_status cst = stance_stream_close(stdout, "<stdout>", &close_err);
    if (st != STANCE_OK)
        return report(&err);
    return cst == STANCE_OK ? 0 : report(&close_err);
}
