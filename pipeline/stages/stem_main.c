/* stance-stem: tokenize records in, the same records with "stems" added out. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "stage.h"
#include "stance/jsonl.h"
#include "stance/record.h"
#include "stance/stem.h"
#include "stance/stream.h"

static const char usage[] =
    "Usage: stance-stem [OPTION]... [FILE|-]...\n"
    "Read passage records from stance-tokenize (JSON Lines) and add \"stems\": the\n"
    "tokens stemmed with Snowball, stop words left out. Every other field is kept.\n"
    "'-' or no argument reads standard input.\n"
    "\n"
    "  --language L       Snowball algorithm (default english)\n"
    "  --list-languages   print the available algorithms and exit\n"
    "  --stopwords FILE   stop words, one per line ('#' starts a comment);\n"
    "                     'none' keeps every token (default: built-in English list)\n"
    "  -h, --help         show this help and exit\n"
    "      --version      print the version and exit\n"
    "\n"
    "Exit status: 0 success, 1 bad input data, 2 usage error, 3 I/O or resource failure.\n";

static stance_status stem_stream(FILE *f, const char *name, stance_stemmer *st, stance_error *err)
{
    stance_jsonl_reader *r;
    stance_status status = stance_jsonl_reader_new(f, name, &r, err);
    json_t *rec = NULL;
    while (status == STANCE_OK && (status = stance_jsonl_read(r, &rec, err)) == STANCE_OK && rec) {
        status = stance_record_add_stems(rec, st, name, stance_jsonl_get_line(r), err);
        if (status == STANCE_OK)
            status = stance_jsonl_write(stdout, rec, "<stdout>", err);
        json_decref(rec);
    }
    stance_jsonl_reader_free(r);
    return status;
}

static stance_status stem_arg(const char *arg, stance_stemmer *st, stance_error *err)
{
    if (strcmp(arg, "-") == 0)
        return stem_stream(stdin, "<stdin>", st, err);
    FILE *f;
    stance_status status = stance_stream_open(arg, "rb", &f, err);
    if (status != STANCE_OK)
        return status;
    status = stem_stream(f, arg, st, err);
    fclose(f);
    return status;
}

int main(int argc, char **argv)
{
    stage_start("stance-stem");
    stance_error err;
    stance_error_clear(&err);
    static const struct option longopts[] = {
        {"language", required_argument, NULL, 'L'},
        {"list-languages", no_argument, NULL, 'l'},
        {"stopwords", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, STAGE_OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    const char *language = "english", *stopwords = NULL;
    int c;
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'L': language = optarg; break;
        case 'S': stopwords = optarg; break;
        case 'l':
            for (const char **l = stance_stem_get_languages(); *l; l++)
                puts(*l);
            return 0;
        case 'h': return stage_help(usage);
        case STAGE_OPT_VERSION: return stage_version();
        case ':': return stage_usage_error("option '%s' needs an argument", argv[optind - 1]);
        default: return stage_unknown_option(argv);
        }
    }
    stance_stemmer *st = NULL;
    stance_status status = stance_stemmer_new(language, &st, &err);
    if (status == STANCE_OK && stopwords) {
        if (strcmp(stopwords, "none") == 0)
            stance_stemmer_clear_stopwords(st);
        else
            status = stance_stemmer_load_stopwords(st, stopwords, &err);
    }
    if (status == STANCE_OK && optind == argc)
        status = stem_arg("-", st, &err);
    for (int i = optind; status == STANCE_OK && i < argc; i++)
        status = stem_arg(argv[i], st, &err);
    stance_stemmer_free(st);
    return stage_finish(status, &err);
}
