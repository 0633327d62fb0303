/* stance-vectorize: stem records in, one libsvm line per record out (TF-IDF over a vocabulary
 * fitted here with --fit or read with --vocab). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stance/codebook.h"
#include "stance/jsonl.h"
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
    "                     write the input's vectors\n"
    "  --vocab VOCAB      vectorize with a saved vocabulary (its feature settings apply)\n"
    "Feature settings (with --fit only):\n"
    "  --no-bigrams       stems only, no bigrams\n"
    "  --min-df N         keep features found in at least N records (default 2)\n"
    "  --no-sublinear-tf  weight by the count, not 1 + ln(count)\n"
    "  --no-idf           no inverse document frequency factor\n"
    "  --no-l2            do not scale vectors to unit length\n"
    "Labels (default: 0 on every line):\n"
    "  --codebook C       the codebook naming the label fields (needs --label)\n"
    "  --label DIM:VALUE  +1 if the record has VALUE on dimension DIM, -1 if it is\n"
    "                     labeled on DIM without it, 0 if it is not labeled on DIM\n"
    "  --label DIM        for a single-value dimension: the 1-based index of the\n"
    "                     record's value in the codebook, 0 if it is not labeled\n"
    "  -h, --help         show this help and exit\n"
    "\n"
    "Exit status: 0 success, 1 bad input data, 2 usage error, 3 I/O or resource failure.\n";

static int report(const stance_error *err)
{
    char msg[STANCE_ERROR_MSG_MAX + STANCE_ERROR_NAME_MAX + 32];
    stance_error_format(err, msg, sizeof msg);
    fprintf(stderr, "stance-vectorize: %s\n", msg);
    return stance_status_exit_code(err->status);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    fputs("stance-vectorize: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'stance-vectorize --help' for more information.\n", stderr);
    return 2;
}

/* Gives a library error about a record (which has no location) the record's place. */
static stance_status locate(stance_error *err, stance_status status, const char *name, long line)
{
    if (status != STANCE_OK && err->where[0] == '\0') {
        snprintf(err->where, sizeof err->where, "%s", name);
        err->line = line;
    }
    return status;
}

/* Returns p grown to hold need elements (cap updated), or NULL with p and cap unchanged. */
static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need == 0)
        need = 1; /* so an empty record still gets a non-NULL block */
    if (need <= *cap)
        return p;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < need)
        ncap *= 2;
    if (ncap > SIZE_MAX / elem)
        return NULL;
    void *q = realloc(p, ncap * elem);
    if (q)
        *cap = ncap;
    return q;
}

/* The stems of one record: borrowed pointers plus lengths, reused from record to record. */
typedef struct {
    const char **stems;
    size_t *lens;
    size_t n, cap;
} stem_list;

static stance_status stem_list_reserve(stem_list *sl, size_t n, stance_error *err)
{
    size_t cap = sl->cap;
    const char **s = grow(sl->stems, &cap, n, sizeof *s);
    if (!s)
        return stance_error_set(err, STANCE_ERR_NOMEM, NULL, 0, "out of memory");
    sl->stems = s;
    cap = sl->cap;
    size_t *l = grow(sl->lens, &cap, n, sizeof *l);
    if (!l)
        return stance_error_set(err, STANCE_ERR_NOMEM, NULL, 0, "out of memory");
    sl->lens = l;
    sl->cap = cap;
    return STANCE_OK;
}

/* Points sl at the record's "stems" strings (borrowed from rec). */
static stance_status get_stems(const json_t *rec, const char *name, long line, stem_list *sl,
                               stance_error *err)
{
    json_t *arr = json_object_get(rec, "stems");
    if (!json_is_array(arr))
        return stance_error_set(err, STANCE_ERR_DATA, name, line,
                    arr ? "\"stems\" is not an array"
                        : "record has no \"stems\" array (run stance-stem first)");
    size_t n = json_array_size(arr);
    stance_status status = stem_list_reserve(sl, n, err);
    if (status != STANCE_OK)
        return status;
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(arr, i);
        if (!json_is_string(s))
            return stance_error_set(err, STANCE_ERR_DATA, name, line, "stem %zu is not a string", i + 1);
        sl->stems[i] = json_string_value(s);
        sl->lens[i] = json_string_length(s);
    }
    sl->n = n;
    return STANCE_OK;
}

/* What goes in the label column. */
typedef struct {
    stance_codebook *cb; /* NULL: every label is 0 */
    const stance_dimension *dim;
    long value;          /* index of VALUE in dim for +1/-1, or -1 for the value index */
    signed char *targets;
} label_spec;

/* Finds --label DIM[:VALUE] in the codebook; usage errors name the choices. */
static stance_status label_resolve(label_spec *ls, const char *cb_path, const char *arg,
                                   stance_error *err)
{
    const char *colon = strchr(arg, ':');
    size_t dlen = colon ? (size_t)(colon - arg) : strlen(arg);
    char names[STANCE_ERROR_MSG_MAX / 2] = "";
    size_t ndim = stance_codebook_dimension_count(ls->cb);
    for (size_t i = 0; i < ndim && !ls->dim; i++) {
        const stance_dimension *d = stance_codebook_dimension(ls->cb, i);
        if (strlen(d->name) == dlen && memcmp(d->name, arg, dlen) == 0)
            ls->dim = d;
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", d->name);
    }
    if (!ls->dim)
        return stance_error_set(err, STANCE_ERR_USAGE, cb_path, 0, "no dimension '%.*s' (dimensions: %s)",
                    (int)dlen, arg, names);
    if (!colon) {
        if (ls->dim->kind == STANCE_DIM_MULTI)
            return stance_error_set(err, STANCE_ERR_USAGE, cb_path, 0,
                        "'%s' takes several values: give --label %s:VALUE", ls->dim->name,
                        ls->dim->name);
        ls->value = -1;
    } else if ((ls->value = stance_dimension_find(ls->dim, colon + 1)) < 0) {
        names[0] = '\0';
        for (size_t k = 0; k < ls->dim->nvalues; k++) {
            size_t used = strlen(names);
            snprintf(names + used, sizeof names - used, "%s%s", k ? ", " : "", ls->dim->labels[k]);
        }
        return stance_error_set(err, STANCE_ERR_USAGE, cb_path, 0, "dimension '%s' has no value '%s' (values: %s)",
                    ls->dim->name, colon + 1, names);
    }
    ls->targets = malloc(stance_codebook_value_count(ls->cb) + 1);
    if (!ls->targets)
        return stance_error_set(err, STANCE_ERR_NOMEM, NULL, 0, "out of memory");
    return STANCE_OK;
}

/* The record's label: +1/-1/0 for a value, the value index/0 for a dimension. */
static stance_status label_of(const label_spec *ls, const json_t *rec, const char *name,
                              long line, int *label, stance_error *err)
{
    *label = 0;
    if (!ls->cb)
        return STANCE_OK;
    stance_status status = stance_codebook_targets(ls->cb, rec, name, line, ls->targets, err);
    if (status != STANCE_OK)
        return status;
    const signed char *t = ls->targets + ls->dim->offset;
    if (ls->value >= 0) {
        *label = t[ls->value] == STANCE_TARGET_YES ? 1 : t[ls->value] == STANCE_TARGET_NO ? -1 : 0;
        return STANCE_OK;
    }
    for (size_t k = 0; k < ls->dim->nvalues; k++)
        if (t[k] == STANCE_TARGET_YES)
            *label = (int)k + 1;
    return STANCE_OK;
}

static stance_status write_line(const label_spec *ls, int label, const stance_vector *v,
                                stance_error *err)
{
    char text[24];
    snprintf(text, sizeof text, ls->value >= 0 && label > 0 ? "+%d" : "%d", label);
    return stance_vector_write(stdout, text, v, "<stdout>", err);
}

/* The records kept while fitting: their stems in one buffer, and where each came from. */
typedef struct {
    size_t off, len;
} stem_ref;

typedef struct {
    const char *name; /* input name (borrowed from argv or a literal) */
    long line;
    size_t first, n; /* its stems: refs[first .. first + n) */
    int label;
} doc_ref;

typedef struct {
    char *chars;
    size_t chars_len, chars_cap;
    stem_ref *refs;
    size_t nrefs, refs_cap;
    doc_ref *docs;
    size_t ndocs, docs_cap;
} corpus;

static void corpus_clear(corpus *c)
{
    free(c->chars);
    free(c->refs);
    free(c->docs);
}

static stance_status corpus_add(corpus *c, const stem_list *sl, const char *name, long line,
                                int label, stance_error *err)
{
    size_t bytes = 0;
    for (size_t i = 0; i < sl->n; i++)
        bytes += sl->lens[i];
    char *chars = grow(c->chars, &c->chars_cap, c->chars_len + bytes, 1);
    if (chars)
        c->chars = chars;
    stem_ref *refs = chars ? grow(c->refs, &c->refs_cap, c->nrefs + sl->n, sizeof *refs) : NULL;
    if (refs)
        c->refs = refs;
    doc_ref *docs = refs ? grow(c->docs, &c->docs_cap, c->ndocs + 1, sizeof *docs) : NULL;
    if (!docs)
        return stance_error_set(err, STANCE_ERR_NOMEM, name, line, "out of memory");
    c->docs = docs;
    c->docs[c->ndocs++] = (doc_ref){name, line, c->nrefs, sl->n, label};
    for (size_t i = 0; i < sl->n; i++) {
        memcpy(c->chars + c->chars_len, sl->stems[i], sl->lens[i]);
        c->refs[c->nrefs++] = (stem_ref){c->chars_len, sl->lens[i]};
        c->chars_len += sl->lens[i];
    }
    return STANCE_OK;
}

/* Points sl at document d's stems in the corpus. */
static stance_status corpus_stems(const corpus *c, const doc_ref *d, stem_list *sl,
                                  stance_error *err)
{
    stance_status status = stem_list_reserve(sl, d->n, err);
    for (size_t i = 0; status == STANCE_OK && i < d->n; i++) {
        sl->stems[i] = c->chars + c->refs[d->first + i].off;
        sl->lens[i] = c->refs[d->first + i].len;
    }
    sl->n = d->n;
    return status;
}

/* State shared by the reading loop: with vocab set each record is written at once,
 * otherwise it is kept in the corpus for fitting. */
typedef struct {
    const stance_vocab *vocab;
    corpus *corpus;
    const label_spec *label;
    stem_list stems;
    stance_vector vec;
} run;

static stance_status record(run *r, const json_t *rec, const char *name, long line,
                            stance_error *err)
{
    int label;
    stance_status status = get_stems(rec, name, line, &r->stems, err);
    if (status == STANCE_OK)
        status = label_of(r->label, rec, name, line, &label, err);
    if (status != STANCE_OK)
        return status;
    if (!r->vocab)
        return corpus_add(r->corpus, &r->stems, name, line, label, err);
    status = stance_vocab_vectorize(r->vocab, r->stems.stems, r->stems.lens, r->stems.n,
                                    &r->vec, err);
    if (status == STANCE_OK)
        status = write_line(r->label, label, &r->vec, err);
    return locate(err, status, name, line);
}

static stance_status read_stream(run *r, FILE *f, const char *name, stance_error *err)
{
    stance_jsonl_reader *rd;
    stance_status status = stance_jsonl_reader_new(f, name, &rd, err);
    json_t *rec = NULL;
    while (status == STANCE_OK && (status = stance_jsonl_read(rd, &rec, err)) == STANCE_OK && rec) {
        status = record(r, rec, name, stance_jsonl_line(rd), err);
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

/* --fit: count every kept record, save the vocabulary, then write their vectors. */
static stance_status fit_and_write(run *r, const stance_vocab_options *opt, const char *path,
                                   stance_error *err)
{
    const corpus *c = r->corpus;
    stance_vocab *vocab;
    stance_status status = stance_vocab_new(opt, &vocab, err);
    if (status != STANCE_OK)
        return status;
    for (size_t i = 0; status == STANCE_OK && i < c->ndocs; i++) {
        status = corpus_stems(c, &c->docs[i], &r->stems, err);
        if (status == STANCE_OK)
            status = stance_vocab_add(vocab, r->stems.stems, r->stems.lens, r->stems.n, err);
        status = locate(err, status, c->docs[i].name, c->docs[i].line);
    }
    if (status == STANCE_OK)
        status = stance_vocab_finish(vocab, err);
    if (status == STANCE_OK)
        status = stance_vocab_save(vocab, path, err);
    for (size_t i = 0; status == STANCE_OK && i < c->ndocs; i++) {
        status = corpus_stems(c, &c->docs[i], &r->stems, err);
        if (status == STANCE_OK)
            status = stance_vocab_vectorize(vocab, r->stems.stems, r->stems.lens, r->stems.n,
                                            &r->vec, err);
        if (status == STANCE_OK)
            status = write_line(r->label, c->docs[i].label, &r->vec, err);
    }
    stance_vocab_free(vocab);
    return status;
}

int main(int argc, char **argv)
{
    /* Even when started with SIGPIPE ignored: a reader that goes away (| head) ends the
     * program at once and quietly, as it does every Unix filter (status 141 in the shell). */
    signal(SIGPIPE, SIG_DFL);
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
        case OPT_MIN_DF: {
            char *end;
            errno = 0;
            long n = strtol(optarg, &end, 10);
            if (end == optarg || *end != '\0' || errno == ERANGE || n < 1)
                return usage_error("--min-df needs a whole number of at least 1, not '%s'", optarg);
            opt.min_df = n;
            feature_opt = "--min-df";
            break;
        }
        case OPT_CODEBOOK: cb_path = optarg; break;
        case OPT_LABEL: label_arg = optarg; break;
        case 'h':
            fputs(usage, stdout);
            return stance_stream_close(stdout, "<stdout>", &err) == STANCE_OK ? 0 : report(&err);
        case ':': return usage_error("option '%s' needs an argument", argv[optind - 1]);
        default: return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (fit && vocab_path)
        return usage_error("--fit and --vocab exclude each other");
    if (!fit && !vocab_path)
        return usage_error("give --fit VOCAB (fit a vocabulary) or --vocab VOCAB (use one)");
    if (vocab_path && feature_opt)
        return usage_error("%s is a fitting setting; with --vocab the file's settings apply",
                           feature_opt);
    if (!cb_path != !label_arg)
        return usage_error(cb_path ? "--codebook needs --label DIM[:VALUE]"
                                   : "--label needs --codebook");

    label_spec label = {NULL, NULL, -1, NULL};
    corpus kept = {0};
    stance_vocab *vocab = NULL;
    run r = {NULL, &kept, &label, {NULL, NULL, 0, 0}, {NULL, 0, 0}};
    stance_vector_init(&r.vec);
    stance_status status = STANCE_OK;
    if (cb_path) {
        status = stance_codebook_load(cb_path, &label.cb, &err);
        if (status == STANCE_OK)
            status = label_resolve(&label, cb_path, label_arg, &err);
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
    corpus_clear(&kept);
    free(r.stems.stems);
    free(r.stems.lens);
    stance_vector_clear(&r.vec);
    free(label.targets);
    stance_codebook_free(label.cb);
    stance_error close_err;
    stance_status cst = stance_stream_close(stdout, "<stdout>", &close_err);
    if (status != STANCE_OK)
        return report(&err);
    return cst == STANCE_OK ? 0 : report(&close_err);
}
