/* stance-vectorize: stem records in, one libsvm line per record out (TF-IDF over a vocabulary
 * fitted here with --fit or read with --vocab). */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stage.h"
#include "stance/codebook.h"
#include "stance/jsonl.h"
#include "stance/stemlist.h"
#include "stance/stream.h"
#include "stance/vector.h"
#include "stance/vocab.h"

static const char usage[] =
    "Usage: stance-vectorize (--fit VOCAB | --vocab VOCAB) [OPTION]... [FILE|-]...\n"
    "Read passage records from stance-stem (JSON Lines with \"stems\") and write one\n"
    "libsvm line per record, in input order: a label, then index:value pairs.\n"
    "Features are stems and bigrams of adjacent stems, weighted by TF-IDF and scaled\n"
    "to unit length. '-' or no argument reads standard input.\n"
    "\n"
    "  --fit VOCAB        fit the vocabulary on the input, save it to VOCAB, then\n"
    "                     write the input's vectors; VOCAB is a new name, an empty\n"
    "                     file or a vocabulary file (replaced atomically), not a link\n"
    "  --vocab VOCAB      vectorize with a saved vocabulary (its feature settings apply)\n"
    "Feature settings (with --fit only):\n"
    "  --no-bigrams       stems only, no bigrams\n"
    "  --min-df N         keep features found in at least N records (default 2; none\n"
    "                     kept is an error)\n"
    "  --no-sublinear-tf  weight by the count, not 1 + ln(count)\n"
    "  --no-idf           no inverse document frequency factor\n"
    "  --no-l2            do not scale vectors to unit length\n"
    "Labels (default: 0 on every line):\n"
    "  --codebook C       the codebook naming the label fields (needs --label)\n"
    "  --label DIM:VALUE  +1 if the record has VALUE on dimension DIM, -1 if it is\n"
    "                     labeled on DIM without it, 0 if it is not labeled on DIM\n"
    "  --label DIM        for a single-value dimension: the 1-based index of the\n"
    "                     record's value in the codebook, 0 if it is not labeled\n"
    "                     (on an optional dimension: the number of values + 1\n"
    "                     if none of them applies)\n"
    "  -h, --help         show this help and exit\n"
    "      --version      print the version and exit\n"
    "\n"
    "Exit status: 0 success, 1 bad input data, 2 usage error, 3 I/O or resource failure.\n";

/* Where each record kept for --fit came from, and its label (its stems are in the store). */
typedef struct {
    const char *name; /* input name (borrowed from argv or a literal) */
    long line;
    int label;
} kept_record;

/* State shared by the reading loop: with vocab set each record is written at once,
 * otherwise it is kept (stems in store, place and label in kept) for fitting. */
typedef struct {
    const stance_vocab *vocab;
    stance_label_column *label; /* NULL: every label is 0 */
    stance_stem_store *store;
    kept_record *kept;
    size_t nkept, kept_cap;
    stance_stem_list stems;
    stance_vector vec;
} run;

static stance_status write_line(const run *r, int label, stance_error *err)
{
    char text[24];
    stance_label_column_format(r->label, label, text, sizeof text);
    return stance_vector_write(stdout, text, &r->vec, "<stdout>", err);
}

static stance_status keep(run *r, const char *name, long line, int label, stance_error *err)
{
    if (r->nkept == r->kept_cap) {
        size_t ncap = r->kept_cap ? 2 * r->kept_cap : 64;
        kept_record *k = ncap < SIZE_MAX / sizeof *k ? realloc(r->kept, ncap * sizeof *k) : NULL;
        if (!k)
            return stance_error_set(err, STANCE_ERR_NOMEM, name, line, "out of memory");
        r->kept = k;
        r->kept_cap = ncap;
    }
    stance_status status = stance_stem_store_add(r->store, &r->stems, err);
    if (status == STANCE_OK)
        r->kept[r->nkept++] = (kept_record){name, line, label};
    return status;
}

static stance_status record(run *r, const json_t *rec, const char *name, long line,
                            stance_error *err)
{
    int label = 0;
    stance_status status = stance_stem_list_from_record(&r->stems, rec, name, line, err);
    if (status == STANCE_OK && r->label)
        status = stance_label_column_get(r->label, rec, name, line, &label, err);
    if (status != STANCE_OK)
        return status;
    if (!r->vocab)
        return keep(r, name, line, label, err);
    status = stance_vocab_vectorize(r->vocab, r->stems.stems, r->stems.lens, r->stems.n, name,
                                    line, &r->vec, err);
    return status == STANCE_OK ? write_line(r, label, err) : status;
}

static stance_status read_stream(run *r, FILE *f, const char *name, stance_error *err)
{
    stance_jsonl_reader *rd;
    stance_status status = stance_jsonl_reader_new(f, name, &rd, err);
    json_t *rec = NULL;
    while (status == STANCE_OK && (status = stance_jsonl_read(rd, &rec, err)) == STANCE_OK && rec) {
        status = record(r, rec, name, stance_jsonl_get_line(rd), err);
        json_decref(rec);
    }
    stance_jsonl_reader_free(rd);
    return status;
}

static stance_status read_arg(run *r, const char *arg, stance_error *err)
{
    if (strcmp(arg, "-") == 0)
        return read_stream(r, stdin, "<stdin>", err);
    FILE *f;
    stance_status status = stance_stream_open(arg, "rb", &f, err);
    if (status != STANCE_OK)
        return status;
    status = read_stream(r, f, arg, err);
    fclose(f);
    return status;
}

/* Kept record i as a document for the vocabulary (its stems borrowed from the store). */
static stance_status kept_doc(void *ctx, size_t i, stance_vocab_doc *doc, stance_error *err)
{
    run *r = ctx;
    stance_status status = stance_stem_store_get(r->store, i, &r->stems, err);
    *doc = (stance_vocab_doc){r->stems.stems, r->stems.lens, r->stems.n, r->kept[i].name,
                              r->kept[i].line};
    return status;
}

/* A vocabulary of no features would write vectors of nothing: an error, as in stance-train. */
static stance_status no_features(const stance_vocab_options *opt, size_t records,
                                 stance_error *err)
{
    if (opt->min_df > 1)
        return stance_error_set(err, STANCE_ERR_DATA, NULL, 0,
                                "no features: no stem or bigram occurs in at least %ld of the "
                                "%zu records (--min-df); lower --min-df",
                                opt->min_df, records);
    return stance_error_set(err, STANCE_ERR_DATA, NULL, 0,
                            "no features: the records have no stems");
}

/* --fit: fit the vocabulary on every kept record, save it, then write their vectors. The save
 * holds the termination signals back, so that an interrupt leaves either the old file or the
 * new one and no temporary. */
static stance_status fit_and_write(run *r, const stance_vocab_options *opt, const char *path,
                                   stance_error *err)
{
    stance_vocab *vocab;
    stance_status status = stance_vocab_new(opt, &vocab, err);
    if (status != STANCE_OK)
        return status;
    status = stance_vocab_fit(vocab, r->nkept, kept_doc, r, err);
    if (status == STANCE_OK && stance_vocab_get_size(vocab) == 0)
        status = no_features(opt, r->nkept, err);
    if (status == STANCE_OK) {
        sigset_t old;
        stage_hold_signals(&old);
        status = stance_vocab_save(vocab, path, err);
        stage_release_signals(&old);
    }
    for (size_t i = 0; status == STANCE_OK && i < r->nkept; i++) {
        stance_vocab_doc doc;
        status = kept_doc(r, i, &doc, err);
        if (status == STANCE_OK)
            status = stance_vocab_vectorize(vocab, doc.stems, doc.lens, doc.n, doc.where,
                                            doc.line, &r->vec, err);
        if (status == STANCE_OK)
            status = write_line(r, r->kept[i].label, err);
    }
    stance_vocab_free(vocab);
    return status;
}

int main(int argc, char **argv)
{
    stage_start("stance-vectorize");
    struct timespec started; /* temporaries older than this run are stale */
    clock_gettime(CLOCK_REALTIME, &started);
    stance_error err;
    stance_error_clear(&err);
    enum { OPT_FIT = 256, OPT_VOCAB, OPT_NO_BIGRAMS, OPT_MIN_DF, OPT_NO_SUBLINEAR, OPT_NO_IDF,
           OPT_NO_L2, OPT_CODEBOOK, OPT_LABEL };
    static const struct option longopts[] = {
        {"fit", required_argument, NULL, OPT_FIT},
        {"vocab", required_argument, NULL, OPT_VOCAB},
        {"no-bigrams", no_argument, NULL, OPT_NO_BIGRAMS},
        {"min-df", required_argument, NULL, OPT_MIN_DF},
        {"no-sublinear-tf", no_argument, NULL, OPT_NO_SUBLINEAR},
        {"no-idf", no_argument, NULL, OPT_NO_IDF},
        {"no-l2", no_argument, NULL, OPT_NO_L2},
        {"codebook", required_argument, NULL, OPT_CODEBOOK},
        {"label", required_argument, NULL, OPT_LABEL},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, STAGE_OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    const char *fit = NULL, *vocab_path = NULL, *cb_path = NULL, *label_arg = NULL;
    const char *feature_opt = NULL; /* a feature setting given, for the --vocab check */
    stance_vocab_options opt;
    stance_vocab_options_default(&opt);
    int c;
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_FIT: fit = optarg; break;
        case OPT_VOCAB: vocab_path = optarg; break;
        case OPT_NO_BIGRAMS: opt.bigrams = 0; feature_opt = "--no-bigrams"; break;
        case OPT_NO_SUBLINEAR: opt.sublinear_tf = 0; feature_opt = "--no-sublinear-tf"; break;
        case OPT_NO_IDF: opt.idf = 0; feature_opt = "--no-idf"; break;
        case OPT_NO_L2: opt.l2 = 0; feature_opt = "--no-l2"; break;
        case OPT_MIN_DF:
            if (!stage_parse_long(optarg, 1, LONG_MAX, &opt.min_df))
                return stage_usage_error("--min-df needs a whole number of at least 1, not '%s'",
                                         optarg);
            feature_opt = "--min-df";
            break;
        case OPT_CODEBOOK: cb_path = optarg; break;
        case OPT_LABEL: label_arg = optarg; break;
        case 'h': return stage_help(usage);
        case STAGE_OPT_VERSION: return stage_version();
        case ':': return stage_usage_error("option '%s' needs an argument", argv[optind - 1]);
        default: return stage_unknown_option(argv);
        }
    }
    if (fit && vocab_path)
        return stage_usage_error("--fit and --vocab exclude each other");
    if (!fit && !vocab_path)
        return stage_usage_error("give --fit VOCAB (fit a vocabulary) or --vocab VOCAB (use one)");
    if (vocab_path && feature_opt)
        return stage_usage_error("%s is a fitting setting; with --vocab the file's settings apply",
                                 feature_opt);
    if (!cb_path != !label_arg)
        return stage_usage_error(cb_path ? "--codebook needs --label DIM[:VALUE]"
                                         : "--label needs --codebook");

    stance_codebook *cb = NULL;
    stance_vocab *vocab = NULL;
    run r = {0};
    stance_stem_list_init(&r.stems);
    stance_vector_init(&r.vec);
    stance_status status = fit ? stance_vocab_check_target(fit, &err) : STANCE_OK;
    if (status == STANCE_OK && fit)
        status = stance_vocab_remove_stale(fit, &started, stage_removed, NULL, &err);
    if (status == STANCE_OK)
        status = stance_stem_store_new(&r.store, &err);
    if (status == STANCE_OK && cb_path) {
        status = stance_codebook_load(cb_path, &cb, &err);
        if (status == STANCE_OK)
            status = stance_label_column_new(cb, label_arg, cb_path, &r.label, &err);
    }
    if (status == STANCE_OK && vocab_path) {
        status = stance_vocab_load(vocab_path, &vocab, &err);
        r.vocab = vocab;
    }
    if (status == STANCE_OK && optind == argc)
        status = read_arg(&r, "-", &err);
    for (int i = optind; status == STANCE_OK && i < argc; i++)
        status = read_arg(&r, argv[i], &err);
    if (status == STANCE_OK && fit)
        status = fit_and_write(&r, &opt, fit, &err);

    stance_vocab_free(vocab);
    stance_stem_store_free(r.store);
    free(r.kept);
    stance_stem_list_clear(&r.stems);
    stance_vector_clear(&r.vec);
    stance_label_column_free(r.label);
    stance_codebook_free(cb);
    return stage_finish(status, &err);
}
