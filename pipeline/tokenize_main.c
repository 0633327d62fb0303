/* stance-tokenize: articles in, one JSON record per paragraph out (see record.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "stance/article.h"
#include "stance/jsonl.h"
#include "stance/record.h"
#include "stance/tokenize.h"

static const char usage[] =
    "Usage: stance-tokenize [OPTION]... [FILE|DIR|-]...\n"
    "Split articles into passages (paragraphs) and tokens; write one JSON object per\n"
    "passage to standard output (JSON Lines).\n"
    "\n"
    "A FILE is a plain-text article; a DIR means its *.txt files in sorted order;\n"
    "'-' or no argument reads standard input.\n"
    "\n"
    "  --jsonl            read JSON Lines articles, one object per line with \"id\" and\n"
    "                     \"text\"; other fields are copied to each passage record\n"
    "  --offsets          add \"offsets\": [start,end] byte offsets of every token\n"
    "  --encoding ENC     input encoding of plain text: utf-8 (default), latin1, cp1252\n"
    "  -h, --help         show this help and exit\n"
    "\n"
    "Each record: doc, passage (1-based), start, end (byte offsets in the input, end\n"
    "exclusive), kind (body|headline|meta), text, tokens.\n"
    "\n"
    "Exit status: 0 success, 1 bad input data, 2 usage error, 3 I/O or resource failure.\n";

typedef struct {
    int jsonl;
    int offsets;
    stance_encoding enc;
} options;

static int report(const stance_error *err)
{
    char msg[STANCE_ERROR_MSG_MAX + STANCE_ERROR_NAME_MAX + 32];
    stance_error_format(err, msg, sizeof msg);
    fprintf(stderr, "stance-tokenize: %s\n", msg);
    return stance_status_exit_code(err->status);
}

/* Tokenizes one article and writes its records; nothing is written if any record fails. */
static stance_status emit_article(const stance_article *art, const char *doc, const json_t *extra,
                                  const options *opt, stance_tokens *toks, stance_error *err)
{
    json_t *records;
    stance_status st = stance_article_records(art, doc, extra, opt->offsets, toks, &records, err);
    size_t i;
    json_t *rec;
    json_array_foreach(records, i, rec) {
        if (st == STANCE_OK)
            st = stance_jsonl_write(stdout, rec, "<stdout>", err);
    }
    json_decref(records);
    return st;
}

static stance_status tokenize_text(FILE *f, const char *name, const char *doc, const options *opt,
                                   stance_tokens *toks, stance_error *err)
{
    stance_article *art;
    stance_status st = stance_article_read(f, name, opt->enc, &art, err);
    if (st == STANCE_OK)
        st = emit_article(art, doc, NULL, opt, toks, err);
    stance_article_free(art);
    return st;
}

/* One JSON Lines article: "id" (string or integer) names the doc, "text" is the article. */
static stance_status tokenize_jsonl_record(const json_t *obj, const char *name, long line,
                                           const options *opt, stance_tokens *toks,
                                           stance_error *err)
{
    const char *text, *doc;
    size_t len;
    char idbuf[32];
    stance_status st = stance_json_get_id(obj, name, line, idbuf, sizeof idbuf, &doc, err);
    if (st != STANCE_OK)
        return st;
    st = stance_json_get_string(obj, "text", name, line, &text, &len, err);
    if (st != STANCE_OK)
        return st;
    stance_article *art;
    st = stance_article_from_bytes(text, len, name, line, STANCE_ENC_UTF8, &art, err);
    if (st == STANCE_OK)
        st = emit_article(art, doc, obj, opt, toks, err);
    stance_article_free(art);
    return st;
}

static stance_status tokenize_jsonl(FILE *f, const char *name, const options *opt,
                                    stance_tokens *toks, stance_error *err)
{
    stance_jsonl_reader *r;
    stance_status st = stance_jsonl_reader_new(f, name, &r, err);
    json_t *obj = NULL;
    while (st == STANCE_OK && (st = stance_jsonl_read(r, &obj, err)) == STANCE_OK && obj) {
        st = tokenize_jsonl_record(obj, name, stance_jsonl_line(r), opt, toks, err);
        json_decref(obj);
    }
    stance_jsonl_reader_free(r);
    return st;
}

static stance_status tokenize_path(const char *path, const options *opt, stance_tokens *toks,
                                   stance_error *err)
{
    FILE *f;
    stance_status st = stance_stream_open(path, "rb", &f, err);
    if (st != STANCE_OK)
        return st;
    if (opt->jsonl) {
        st = tokenize_jsonl(f, path, opt, toks, err);
    } else {
        char *doc = NULL;
        st = stance_doc_name(path, &doc, err);
        if (st == STANCE_OK)
            st = tokenize_text(f, path, doc, opt, toks, err);
        free(doc);
    }
    fclose(f);
    return st;
}

static stance_status tokenize_arg(const char *arg, const options *opt, stance_tokens *toks,
                                  stance_error *err)
{
    if (strcmp(arg, "-") == 0)
        return opt->jsonl ? tokenize_jsonl(stdin, "<stdin>", opt, toks, err)
                          : tokenize_text(stdin, "<stdin>", "stdin", opt, toks, err);
    struct stat sb;
    if (stat(arg, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return tokenize_path(arg, opt, toks, err);
    char **paths;
    size_t n;
    stance_status st = stance_list_texts(arg, &paths, &n, err);
    for (size_t i = 0; st == STANCE_OK && i < n; i++)
        st = tokenize_path(paths[i], opt, toks, err);
    stance_paths_free(paths, n);
    return st;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"jsonl", no_argument, NULL, 'J'},
        {"offsets", no_argument, NULL, 'O'},
        {"encoding", required_argument, NULL, 'E'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    options opt = {0, 0, STANCE_ENC_UTF8};
    stance_error err;
    stance_error_clear(&err);
    int c;
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'J': opt.jsonl = 1; break;
        case 'O': opt.offsets = 1; break;
        case 'E':
            if (stance_encoding_parse(optarg, &opt.enc, &err) != STANCE_OK)
                return report(&err);
            break;
        case 'h': fputs(usage, stdout); return 0;
        case ':':
            fprintf(stderr, "stance-tokenize: option '%s' needs an argument\n", argv[optind - 1]);
            fputs("Try 'stance-tokenize --help' for more information.\n", stderr);
            return 2;
        default:
            fprintf(stderr, "stance-tokenize: unknown option '%s'\n", argv[optind - 1]);
            fputs("Try 'stance-tokenize --help' for more information.\n", stderr);
            return 2;
        }
    }
    if (opt.jsonl && opt.enc != STANCE_ENC_UTF8) {
        fputs("stance-tokenize: --encoding applies to plain text; JSON Lines input is UTF-8\n",
              stderr);
        return 2;
    }
    stance_tokens toks;
    stance_tokens_init(&toks);
    stance_status st = STANCE_OK;
    if (optind == argc)
        st = tokenize_arg("-", &opt, &toks, &err);
    for (int i = optind; st == STANCE_OK && i < argc; i++)
        st = tokenize_arg(argv[i], &opt, &toks, &err);
    stance_tokens_clear(&toks);
    stance_error close_err;
    stance_status cst = stance_stream_close(stdout, "<stdout>", &close_err);
    if (st != STANCE_OK)
        return report(&err);
    return cst == STANCE_OK ? 0 : report(&close_err);
}
