/* stance-info: a model bundle's card: what it labels, how it was trained, and per unit its
 * figures and strongest terms. The card is made once as JSON; the text is printed from it. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stage.h"
#include "stance/model.h"
#include "stance/vocab.h"

#define DEFAULT_TERMS 15

static const char usage[] =
    "Usage: stance-info [OPTION]... MODEL_DIR\n"
    "Print the card of a model bundle (from stance-train): its codebook, engine and\n"
    "kernel, analyzer and feature settings, the training file (name, SHA-256, records)\n"
    "and settings, and for each unit (one binary classifier per label): whether it\n"
    "was trained (or why not), its positive and negative examples, C, the threshold\n"
    "its decision value is compared with and that threshold as a probability (its\n"
    "Platt sigmoid p = 1 / (1 + exp(a f + b))), the cross-validated figures, Platt a\n"
    "and b, and the terms with the largest weights of each sign.\n"
    "\n"
    "  --json        one JSON object instead of text (keys below)\n"
    "  --terms N     terms of each sign per unit (default 15; 0: none)\n"
    "  --weights     instead of the card, every linear unit's bias and non-zero\n"
    "                weights as text, one per line: UNIT<TAB>FEATURE<TAB>TERM<TAB>WEIGHT\n"
    "                (UNIT dimension=value, dimension for a pair unit, dimension.applies;\n"
    "                the bias is feature 0, term \"(bias)\")\n"
    "  --vocab       instead of the card, the vocabulary as text, one feature per\n"
    "                line: FEATURE<TAB>TERM<TAB>DF<TAB>IDF\n"
    "  --verify      check the whole bundle first: the SHA-256 of vocab.bin and\n"
    "                weights.bin against the manifest's, every entry of vocab.bin\n"
    "                and every weight finite (loading checks their sizes and headers\n"
    "                only); a bad bundle exits with status 1\n"
    "  --convert DIR write the bundle again to DIR in the current format (version 3:\n"
    "                the vocabulary in vocab.bin, the weights in weights.bin) instead\n"
    "                of printing the card; DIR is replaced as stance-train -o\n"
    "                replaces a bundle (removing, and saying so, what an interrupted\n"
    "                --convert or stance-train left beside DIR)\n"
    "  --bundle-format N  with --convert: the format to write, 1, 2 or 3 (default 3)\n"
    "  -h, --help    show this help and exit\n"
    "  --version     print the version and exit\n"
    "\n"
    "A single dimension's units (the pair unit of two values, positive for the first;\n"
    "the applies unit of an optional one) decide at probability 0.5: their threshold\n"
    "is the decision value where the sigmoid crosses 0.5. A multi value's unit\n"
    "decides at its tuned threshold. Weights are those the unit scores a passage's\n"
    "TF-IDF vector with (with --nb-weight, the NB ratios folded in); a kernel unit\n"
    "has none to show.\n"
    "\n"
    "JSON keys: model, format, version, codebook [{name, kind, optional, values}],\n"
    "svm {engine, kernel, gamma, degree, coef0, balanced}, analyzer {tokenizer,\n"
    "language, stopwords (their number)}, features {terms, documents, bigrams,\n"
    "min_df, sublinear_tf, idf, l2}, training (as the manifest has it: file,\n"
    "sha256, records, c, c_grid, folds, seed, nb_weight...), versions, units\n"
    "[{dimension, value (null: pair or applies unit), applies, trained, why_not,\n"
    "positives, negatives, c, threshold, threshold_probability, platt {a, b}, cv\n"
    "(the manifest's cross-validation figures), terms {positive, negative: [{term,\n"
    "weight}]}}]; what does not apply is null.\n"
    "\n"
    "Exit status: 0 success, 1 bad model, 2 usage error, 3 I/O or resource failure.\n";

/* ---- the weights as text ---- */

/* The name --weights gives unit i: dimension=value, dimension (pair unit), dimension.applies. */
static void unit_name(const stance_model *m, size_t i, char *buf, size_t n)
{
    const char *dim, *value, *why;
    int trained;
    stance_model_get_unit_info(m, i, &dim, &value, &trained, &why);
    if (stance_model_get_unit_applies(m, i))
        snprintf(buf, n, "%s.applies", dim);
    else
        snprintf(buf, n, "%s%s%s", dim, value ? "=" : "", value ? value : "");
}

static int print_weights(const stance_model *m)
{
    const stance_vocab *vocab = stance_model_get_vocab(m);
    int nfeatures = (int)stance_vocab_get_size(vocab);
    char name[512];
    for (size_t i = 0; i < stance_model_get_unit_count(m); i++) {
        if (!stance_model_get_unit_linear(m, i))
            continue;
        unit_name(m, i, name, sizeof name);
        printf("%s\t0\t(bias)\t%.9g\n", name, stance_model_get_unit_bias(m, i));
        for (int f = 1; f <= nfeatures; f++) {
            double w = stance_model_get_unit_weight(m, i, f);
            if (w != 0)
                printf("%s\t%d\t%s\t%.9g\n", name, f, stance_vocab_get_term(vocab, f), w);
        }
    }
    return ferror(stdout) == 0;
}

/* The vocabulary, one feature per line: FEATURE, TERM, DF, IDF (exact to the bit). */
static int print_vocab(const stance_model *m)
{
    const stance_vocab *vocab = stance_model_get_vocab(m);
    int n = (int)stance_vocab_get_size(vocab);
    for (int f = 1; f <= n; f++)
        printf("%d\t%s\t%zu\t%.17g\n", f, stance_vocab_get_term(vocab, f),
               stance_vocab_get_df(vocab, f), stance_vocab_get_idf(vocab, f));
    return ferror(stdout) == 0;
}

/* ---- the card as JSON ---- */

/* Adds value under key to obj (taking it); 0 if value is NULL or on no memory. */
static int put(json_t *obj, const char *key, json_t *value)
{
    return value && json_object_set_new(obj, key, value) == 0;
}

static json_t *codebook_json(const stance_codebook *cb)
{
    json_t *arr = json_array();
    for (size_t d = 0; arr && d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        json_t *values = json_array(), *o = json_object();
        int ok = values && o;
        for (size_t v = 0; ok && v < dim->nvalues; v++)
            ok = json_array_append_new(values, json_string(dim->labels[v])) == 0;
        ok = ok && put(o, "name", json_string(dim->name)) &&
             put(o, "kind", json_string(dim->kind == STANCE_DIM_MULTI ? "multi" : "single")) &&
             put(o, "optional", json_boolean(dim->optional)) && put(o, "values", json_incref(values)) &&
             json_array_append(arr, o) == 0;
        json_decref(values);
        json_decref(o);
        if (!ok) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *features_json(const stance_vocab *vocab)
{
    stance_vocab_options opt;
    stance_vocab_get_options(vocab, &opt);
    return json_pack("{s:I, s:I, s:b, s:I, s:b, s:b, s:b}", "terms",
                     (json_int_t)stance_vocab_get_size(vocab), "documents",
                     (json_int_t)stance_vocab_get_documents(vocab), "bigrams", opt.bigrams,
                     "min_df", (json_int_t)opt.min_df, "sublinear_tf", opt.sublinear_tf, "idf",
                     opt.idf, "l2", opt.l2);
}

/* The analyzer section, with the number of stop words instead of the list. */
static json_t *analyzer_json(const json_t *manifest)
{
    const json_t *an = json_object_get(manifest, "analyzer");
    json_t *o = json_deep_copy(an);
    if (o && !put(o, "stopwords", json_integer((json_int_t)json_array_size(json_object_get(an, "stopwords"))))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

typedef struct {
    int feature;
    double weight;
    const char *term;
} weighted;

/* Largest magnitude first, ties by term. */
static int cmp_weighted(const void *pa, const void *pb)
{
    const weighted *a = pa, *b = pb;
    if (fabs(a->weight) != fabs(b->weight))
        return fabs(a->weight) > fabs(b->weight) ? -1 : 1;
    return strcmp(a->term, b->term);
}

/* The n terms of unit i with the largest weights of sign (+1 or -1), as [{term, weight}]. */
static json_t *top_terms(const stance_model *m, size_t i, int sign, size_t n, weighted *scratch)
{
    const stance_vocab *vocab = stance_model_get_vocab(m);
    size_t size = stance_vocab_get_size(vocab), k = 0;
    for (size_t f = 1; f <= size; f++) {
        double w = stance_model_get_unit_weight(m, i, (int)f);
        if (sign * w > 0)
            scratch[k++] = (weighted){(int)f, w, stance_vocab_get_term(vocab, (int)f)};
    }
    qsort(scratch, k, sizeof *scratch, cmp_weighted);
    json_t *arr = json_array();
    for (size_t t = 0; arr && t < k && t < n; t++)
        if (json_array_append_new(arr, json_pack("{s:s, s:f}", "term", scratch[t].term, "weight",
                                                 scratch[t].weight)) != 0) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

/* The cv figure that counts unit examples of one side: positives/negatives for a multi
 * value, first/second for a pair, applies/none for the applies unit. */
static json_t *cv_count(const json_t *cv, const char *value, int applies, int positive)
{
    const char *key = applies ? (positive ? "applies" : "none")
                      : value ? (positive ? "positives" : "negatives")
                              : (positive ? "first" : "second");
    const json_t *n = json_object_get(cv, key);
    return n ? json_incref((json_t *)n) : json_null();
}

static json_t *unit_json(const stance_model *m, size_t i, const json_t *entry, size_t nterms,
                         weighted *scratch)
{
    const char *dim, *value, *why;
    int trained;
    stance_model_get_unit_info(m, i, &dim, &value, &trained, &why);
    int applies = stance_model_get_unit_applies(m, i);
    const json_t *cv = json_object_get(entry, "cv");
    json_t *o = json_pack("{s:s, s:o, s:b, s:b, s:o, s:o, s:o}", "dimension", dim, "value",
                          value ? json_string(value) : json_null(), "applies", applies,
                          "trained", trained, "why_not", trained ? json_null() : json_string(why),
                          "positives", cv_count(cv, value, applies, 1), "negatives",
                          cv_count(cv, value, applies, 0));
    if (!o)
        return NULL;
    double c, threshold, a, b;
    stance_model_get_unit_calibration(m, i, &c, &threshold, &a, &b);
    if (trained && (!value || applies) && a != 0) /* single dimensions decide at p = 0.5 */
        threshold = -b / a;
    int ok = put(o, "c", trained ? json_real(c) : json_null()) &&
             put(o, "threshold", trained ? json_real(threshold) : json_null()) &&
             put(o, "threshold_probability",
                 trained ? json_real(stance_model_get_unit_probability(m, i, threshold)) : json_null()) &&
             put(o, "platt", trained ? json_pack("{s:f, s:f}", "a", a, "b", b) : json_null()) &&
             put(o, "cv", cv ? json_incref((json_t *)cv) : json_null());
    if (ok && stance_model_get_unit_linear(m, i))
        ok = put(o, "terms", json_pack("{s:o, s:o}", "positive", top_terms(m, i, 1, nterms, scratch),
                                       "negative", top_terms(m, i, -1, nterms, scratch)));
    else if (ok)
        ok = put(o, "terms", json_null());
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *units_json(const stance_model *m, const json_t *manifest, size_t nterms)
{
    size_t size = stance_vocab_get_size(stance_model_get_vocab(m));
    weighted *scratch = malloc((size ? size : 1) * sizeof *scratch);
    json_t *arr = scratch ? json_array() : NULL;
    const json_t *entries = json_object_get(manifest, "units");
    for (size_t i = 0; arr && i < stance_model_get_unit_count(m); i++)
        if (json_array_append_new(arr, unit_json(m, i, json_array_get(entries, i), nterms, scratch)) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    free(scratch);
    return arr;
}

/* Copies key of the manifest (null when absent). */
static json_t *copied(const json_t *manifest, const char *key)
{
    const json_t *v = json_object_get(manifest, key);
    return v ? json_deep_copy(v) : json_null();
}

static json_t *card_json(const stance_model *m, const char *dir, size_t nterms)
{
    const json_t *man = stance_model_get_manifest(m);
    json_t *card = json_object();
    if (card && put(card, "model", json_string(dir)) && put(card, "format", copied(man, "format")) &&
        put(card, "version", copied(man, "version")) &&
        put(card, "codebook", codebook_json(stance_model_get_codebook(m))) &&
        put(card, "svm", copied(man, "svm")) && put(card, "analyzer", analyzer_json(man)) &&
        put(card, "features", features_json(stance_model_get_vocab(m))) &&
        put(card, "training", copied(man, "training")) && put(card, "versions", copied(man, "versions")) &&
        put(card, "units", units_json(m, man, nterms)))
        return card;
    json_decref(card);
    return NULL;
}

/* ---- the card as text ---- */

static const char *yes_no(const json_t *v)
{
    return json_is_true(v) ? "yes" : "no";
}

/* A value as short text: a string as is, anything else as compact JSON (into buf). */
static const char *brief(const json_t *v, char *buf, size_t n)
{
    if (json_is_string(v))
        return json_string_value(v);
    char *s = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10) | JSON_ENCODE_ANY);
    snprintf(buf, n, "%s", s ? s : "?");
    free(s);
    return buf;
}

/* The string under key ("?" when there is none: a manifest from a later stance). */
static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "?";
}

static double num(const json_t *o, const char *key)
{
    return json_number_value(json_object_get(o, key));
}

/* The analyzer's scoped features, when it has any: scopes, the sides of the lexicon of the
 * parties with their number of stems, and how scoped features are normalised. */
static void print_scoped(const json_t *an)
{
    const json_t *scopes = json_object_get(an, "scopes"), *actors = json_object_get(an, "actors");
    size_t i;
    const json_t *v;
    json_array_foreach(scopes, i, v)
        printf("%s%s", i ? "," : "; scopes ", json_string_value(v));
    json_array_foreach(actors, i, v)
        printf("%s%s (%zu stems)", i ? ", " : "; actors ", str(v, "side"),
               json_array_size(json_object_get(v, "stems")));
    if (scopes || actors)
        printf("; scope norm %s", json_is_string(json_object_get(an, "scope_norm"))
                                      ? str(an, "scope_norm") : "shared");
}

static void print_settings(const json_t *card)
{
    char buf[512];
    const json_t *svm = json_object_get(card, "svm"), *an = json_object_get(card, "analyzer");
    const json_t *ft = json_object_get(card, "features"), *tr = json_object_get(card, "training");
    printf("engine: %s, kernel %s", str(svm, "engine"), str(svm, "kernel"));
    if (strcmp(str(svm, "kernel"), "linear") != 0)
        printf(" (gamma %g, degree %g, coef0 %g)", num(svm, "gamma"), num(svm, "degree"), num(svm, "coef0"));
    printf(", balanced classes %s\n", yes_no(json_object_get(svm, "balanced")));
    printf("analyzer: tokenizer %g, language %s, %g stop words", num(an, "tokenizer"),
           str(an, "language"), num(an, "stopwords"));
    print_scoped(an);
    putchar('\n');
    printf("features: %g terms from %g documents; bigrams %s, min_df %g, sublinear tf %s, "
           "idf %s, l2 %s\n", num(ft, "terms"), num(ft, "documents"),
           yes_no(json_object_get(ft, "bigrams")), num(ft, "min_df"),
           yes_no(json_object_get(ft, "sublinear_tf")), yes_no(json_object_get(ft, "idf")),
           yes_no(json_object_get(ft, "l2")));
    printf("training: %s, sha256 %s, %g records\n", str(tr, "file"), str(tr, "sha256"),
           num(tr, "records"));
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)tr, key, v)
        if (strcmp(key, "file") != 0 && strcmp(key, "sha256") != 0 && strcmp(key, "records") != 0)
            printf("  %s: %s\n", key, brief(v, buf, sizeof buf));
}

static void print_terms(const json_t *terms, const char *key)
{
    size_t i;
    const json_t *t;
    json_array_foreach(json_object_get(terms, key), i, t)
        printf("    %+9.4f  %s\n", num(t, "weight"), json_string_value(json_object_get(t, "term")));
}

static void print_unit(const json_t *u, const json_t *card)
{
    char pos[256], neg[256];
    const char *dim = json_string_value(json_object_get(u, "dimension"));
    const json_t *value = json_object_get(u, "value");
    printf("\n%s", dim);
    if (json_is_true(json_object_get(u, "applies"))) {
        printf(" applies (any value)");
    } else if (json_is_string(value)) {
        printf("=%s", json_string_value(value));
    } else { /* the pair unit: its dimension's two values */
        size_t i;
        const json_t *d;
        json_array_foreach(json_object_get(card, "codebook"), i, d)
            if (strcmp(json_string_value(json_object_get(d, "name")), dim) == 0) {
                const json_t *vals = json_object_get(d, "values");
                printf(" %s (positive) vs %s", json_string_value(json_array_get(vals, 0)),
                       json_string_value(json_array_get(vals, 1)));
            }
    }
    if (!json_is_true(json_object_get(u, "trained"))) {
        printf(": not trained: %s\n", json_string_value(json_object_get(u, "why_not")));
        return;
    }
    printf(": trained, %s positives, %s negatives, C %g\n",
           brief(json_object_get(u, "positives"), pos, sizeof pos),
           brief(json_object_get(u, "negatives"), neg, sizeof neg), num(u, "c"));
    const json_t *platt = json_object_get(u, "platt"), *cv = json_object_get(u, "cv");
    printf("  threshold: decision >= %.6g, probability %.4f (Platt a %.6g, b %.6g)\n",
           num(u, "threshold"), num(u, "threshold_probability"), num(platt, "a"), num(platt, "b"));
    if (json_is_object(cv) && json_integer_value(json_object_get(cv, "folds")) > 0) {
        printf("  cross-validated, %g folds:", num(cv, "folds"));
        static const char *const figures[] = {"precision", "recall", "f1", "accuracy"};
        for (size_t f = 0; f < sizeof figures / sizeof figures[0]; f++)
            if (json_is_number(json_object_get(cv, figures[f])))
                printf(" %s %.4f", strcmp(figures[f], "f1") == 0 ? "F1" : figures[f], num(cv, figures[f]));
        printf("\n");
    } else {
        printf("  not cross-validated\n");
    }
    const json_t *terms = json_object_get(u, "terms");
    if (json_array_size(json_object_get(terms, "positive")) + json_array_size(json_object_get(terms, "negative")))
        printf("  terms (weight):\n");
    print_terms(terms, "positive");
    print_terms(terms, "negative");
}

static void print_card(const json_t *card)
{
    char buf[512];
    printf("model: %s (%s version %s)\n", str(card, "model"), str(card, "format"),
           brief(json_object_get(card, "version"), buf, sizeof buf));
    printf("codebook:\n");
    size_t i;
    const json_t *d, *v;
    json_array_foreach(json_object_get(card, "codebook"), i, d) {
        printf("  %s: %s%s:", json_string_value(json_object_get(d, "name")),
               json_string_value(json_object_get(d, "kind")),
               json_is_true(json_object_get(d, "optional")) ? ", optional" : "");
        size_t k;
        json_array_foreach(json_object_get(d, "values"), k, v)
            printf("%s %s", k ? "," : "", json_string_value(v));
        printf("\n");
    }
    print_settings(card);
    printf("versions: %s\n", brief(json_object_get(card, "versions"), buf, sizeof buf));
    json_array_foreach(json_object_get(card, "units"), i, v)
        print_unit(v, card);
}

int main(int argc, char **argv)
{
    stage_start("stance-info");
    struct timespec started; /* temporaries older than this run are stale */
    clock_gettime(CLOCK_REALTIME, &started);
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'J'},
        {"terms", required_argument, NULL, 'T'},
        {"weights", no_argument, NULL, 'W'},
        {"vocab", no_argument, NULL, 'X'},
        {"verify", no_argument, NULL, 'V'},
        {"convert", required_argument, NULL, 'C'},
        {"bundle-format", required_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, STAGE_OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    int as_json = 0, weights = 0, vocab = 0, verify = 0, c;
    const char *convert = NULL;
    long format = 0;
    long nterms = DEFAULT_TERMS;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'J': as_json = 1; break;
        case 'W': weights = 1; break;
        case 'X': vocab = 1; break;
        case 'V': verify = 1; break;
        case 'C': convert = optarg; break;
        case 'U':
            if (!stage_parse_long(optarg, 1, 3, &format))
                return stage_usage_error("--bundle-format needs 1, 2 or 3, not '%s'", optarg);
            break;
        case 'T':
            if (!stage_parse_long(optarg, 0, 1000000, &nterms))
                return stage_usage_error("--terms needs a number of terms from 0 to 1000000, "
                                         "not '%s'", optarg);
            break;
        case 'h': return stage_help(usage);
        case STAGE_OPT_VERSION: return stage_version();
        case ':': return stage_usage_error("missing argument for option '%s'", argv[optind - 1]);
        default: return stage_unknown_option(argv);
        }
    }
    if (optind != argc - 1)
        return stage_usage_error(optind == argc ? "no MODEL_DIR given" : "one MODEL_DIR only");
    if ((weights || vocab || convert) && as_json)
        return stage_usage_error("--json prints the card: not with --weights, --vocab or "
                                 "--convert");
    if (format && !convert)
        return stage_usage_error("--bundle-format goes with --convert");
    if (weights + vocab + (convert != NULL) > 1)
        return stage_usage_error("--weights, --vocab and --convert: one at a time");
    const char *dir = argv[optind];
    stance_error err;
    stance_error_clear(&err);
    stance_model *m = NULL;
    stance_status st = stance_model_load(dir, &m, &err);
    if (st == STANCE_OK && verify)
        st = stance_model_verify(m, &err);
    if (st == STANCE_OK && (weights || vocab || convert)) {
        if (convert)
            st = stance_model_remove_stale(convert, &started, stage_removed, NULL, &err);
        if (convert && format && st == STANCE_OK)
            st = stance_model_set_format(m, (int)format, &err);
        if (convert && st == STANCE_OK)
            st = stance_model_save(m, convert, &err);
        else if (!(vocab ? print_vocab(m) : print_weights(m)))
            st = stance_error_set(&err, STANCE_ERR_IO, "<stdout>", 0, "write failed: %s",
                                  strerror(errno));
        stance_model_free(m);
        return stage_finish(st, &err);
    }
    json_t *card = NULL;
    if (st == STANCE_OK && !(card = card_json(m, dir, (size_t)nterms)))
        st = stance_error_set(&err, STANCE_ERR_NOMEM, dir, 0, "out of memory");
    if (st == STANCE_OK && as_json) {
        if (json_dumpf(card, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0 ||
            putchar('\n') == EOF)
            st = stance_error_set(&err, STANCE_ERR_IO, "<stdout>", 0, "write failed: %s",
                                  strerror(errno));
    } else if (st == STANCE_OK) {
        print_card(card);
    }
    json_decref(card);
    stance_model_free(m);
    return stage_finish(st, &err);
}
