/* stance-tag: articles in, one labeled JSON record per passage (or article) out. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stance/input.h"
#include "stance/jsonl.h"
#include "stance/model.h"
#include "stance/pool.h"
#include "stance/tag.h"

static const char usage[] =
    "Usage: stance-tag -m MODEL_DIR [OPTION]... [FILE|DIR|-]...\n"
    "Label articles with a trained model: one JSON object per passage on standard\n"
    "output, with byte offsets, the text, and one field per codebook dimension.\n"
    "\n"
    "A FILE is a plain-text article; a DIR means its *.txt files in sorted order;\n"
    "'-' or no argument reads standard input. Article ids (file names without\n"
    "directory and extension, or the JSON Lines \"id\") must not repeat.\n"
    "\n"
    "  -m, --model DIR     the model bundle (from stance-train)\n"
    "  --codebook FILE     check that the model was trained with this codebook\n"
    "  --jsonl             read JSON Lines articles {\"id\", \"text\", ...}\n"
    "  --unit UNIT         passage (default) or article: one record per article\n"
    "  --no-text           leave the text out of the records\n"
    "  --encoding ENC      plain-text input encoding: utf-8 (default), latin1, cp1252\n"
    "  -j, --threads N     tag on N threads (default 1); the output is the same\n"
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

static stance_status write_out(const char *text, size_t len, stance_error *err)
{
    errno = 0;
    if (len && fwrite(text, 1, len, stdout) != len)
        return stance_error_set(err, STANCE_ERR_IO, "<stdout>", 0, "write failed: %s",
                                strerror(errno ? errno : EIO));
    return STANCE_OK;
}

/* Tags one article and writes its records; an article that fails writes nothing. */
static stance_status tag_article(void *ctx, const stance_article *art, const char *doc,
                                 const json_t *extra, const char *where, long line,
                                 stance_error *err)
{
    (void)where, (void)line;
    const char *text;
    size_t len;
    stance_status st = stance_tagger_article_jsonl(ctx, art, doc, extra, &text, &len, err);
    return st == STANCE_OK ? write_out(text, len, err) : st;
}

/* ---- on several threads: the main thread reads and writes, the pool's threads tag ---- */

#define BATCH_ARTICLES 32        /* articles handed to a thread at once, at most, */
#define BATCH_BYTES (256 * 1024) /* or about this much text: fewer hand-overs */

/* A batch of articles on its way through the pool, with copies of what the reader lends. */
typedef struct job {
    stance_article *art[BATCH_ARTICLES];
    char *doc[BATCH_ARTICLES];
    json_t *extra[BATCH_ARTICLES];
    size_t n, bytes;
    char *out; /* the records of the articles tagged, in order */
    size_t len, cap;
    stance_status status; /* of the first article that failed (the rest are not tagged) */
    stance_error err;
    struct job *next; /* in the list of jobs free for reuse */
} job;

typedef struct {
    stance_pool *pool;
    job *filling; /* the batch being filled */
    job *spare;   /* jobs to reuse (their out buffers stay) */
} jobs;

static void job_empty(job *j)
{
    for (size_t i = 0; i < j->n; i++) {
        stance_article_free(j->art[i]);
        free(j->doc[i]);
        json_decref(j->extra[i]);
    }
    j->n = j->bytes = j->len = 0;
    j->status = STANCE_OK;
}

static void recycle(void *ctx, void *item)
{
    jobs *js = ctx;
    job *j = item;
    job_empty(j);
    j->next = js->spare;
    js->spare = j;
}

/* Tags the batch's articles in order into j->out, up to the first that fails. */
static stance_status work_job(void *tagger, void *item, stance_error *err)
{
    (void)err;
    job *j = item;
    for (size_t i = 0; i < j->n && j->status == STANCE_OK; i++) {
        const char *text;
        size_t len;
        j->status = stance_tagger_article_jsonl(tagger, j->art[i], j->doc[i], j->extra[i], &text,
                                                &len, &j->err);
        if (j->status == STANCE_OK && len > j->cap - j->len) {
            size_t cap = j->cap ? j->cap : 4096;
            while (cap - j->len < len)
                cap *= 2;
            char *b = realloc(j->out, cap);
            if (b) {
                j->out = b;
                j->cap = cap;
            } else {
                j->status = stance_error_set(&j->err, STANCE_ERR_NOMEM, j->doc[i], 0, "out of memory");
            }
        }
        if (j->status == STANCE_OK && len) {
            memcpy(j->out + j->len, text, len);
            j->len += len;
        }
    }
    return STANCE_OK; /* a failed article is the done step's to report, after the ones before */
}

static stance_status write_job(void *ctx, void *item, stance_error *err)
{
    job *j = item;
    stance_status st = write_out(j->out, j->len, err);
    if (st == STANCE_OK && j->status != STANCE_OK) {
        st = j->status;
        *err = j->err;
    }
    recycle(ctx, item);
    return st;
}

/* Hands the batch being filled to the pool. */
static stance_status submit_batch(jobs *js, stance_error *err)
{
    job *j = js->filling;
    js->filling = NULL;
    return j ? stance_pool_submit(js->pool, j, err) : STANCE_OK;
}

/* The walk's callback: copies the article into the batch, which goes to the pool when full. */
static stance_status add_article(void *ctx, const stance_article *art, const char *doc,
                                 const json_t *extra, const char *where, long line,
                                 stance_error *err)
{
    (void)where, (void)line;
    jobs *js = ctx;
    job *j = js->filling;
    if (!j && (j = js->spare) != NULL)
        js->spare = j->next;
    else if (!j && !(j = calloc(1, sizeof *j)))
        return stance_error_set(err, STANCE_ERR_NOMEM, doc, 0, "out of memory");
    js->filling = j;
    size_t len, i = j->n;
    stance_status st = stance_article_copy(art, &j->art[i], err);
    if (st == STANCE_OK && !(j->doc[i] = strdup(doc))) {
        stance_article_free(j->art[i]);
        st = stance_error_set(err, STANCE_ERR_NOMEM, doc, 0, "out of memory");
    }
    if (st != STANCE_OK)
        return st;
    j->extra[i] = extra ? json_incref((json_t *)extra) : NULL; /* jansson counts atomically */
    j->n++;
    stance_article_text(art, &len);
    j->bytes += len;
    return j->n == BATCH_ARTICLES || j->bytes >= BATCH_BYTES ? submit_batch(js, err) : STANCE_OK;
}

/* Tags the arguments' articles on nthreads threads, each with its own tagger. */
static stance_status tag_threaded(const stance_model *model, const stance_tag_options *opt,
                                  const stance_input_options *in, int nthreads, char **args,
                                  int nargs, stance_error *err)
{
    stance_tagger *taggers[256] = {NULL};
    jobs js = {NULL, NULL, NULL};
    stance_status st = STANCE_OK;
    for (int i = 0; st == STANCE_OK && i < nthreads; i++)
        st = stance_tagger_new(model, opt, &taggers[i], err);
    if (st == STANCE_OK)
        st = stance_pool_new((size_t)nthreads, (void *const *)taggers, 4 * (size_t)nthreads,
                             work_job, write_job, recycle, &js, &js.pool, err);
    if (st == STANCE_OK && nargs == 0)
        st = stance_input_walk("-", in, add_article, &js, err);
    for (int i = 0; st == STANCE_OK && i < nargs; i++)
        st = stance_input_walk(args[i], in, add_article, &js, err);
    if (js.pool) { /* the articles read before a failure count, and one of them may fail first */
        stance_error first;
        stance_status fst = submit_batch(&js, &first);
        if (fst == STANCE_OK)
            fst = stance_pool_finish(js.pool, &first);
        if (fst != STANCE_OK) {
            st = fst;
            *err = first;
        }
    }
    stance_pool_free(js.pool);
    if (js.filling)
        recycle(&js, js.filling);
    while (js.spare) {
        job *j = js.spare;
        js.spare = j->next;
        free(j->out);
        free(j);
    }
    for (int i = 0; i < nthreads; i++)
        stance_tagger_free(taggers[i]);
    return st;
}

/* Parses a whole number in [lo, hi]. */
static int parse_count(const char *s, long lo, long hi, long *v)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (errno || end == s || *end != '\0' || x < lo || x > hi)
        return 0;
    *v = x;
    return 1;
}

int main(int argc, char **argv)
{
    /* Even when started with SIGPIPE ignored: a reader that goes away (| head) ends the
     * program at once and quietly, as it does every Unix filter (status 141 in the shell). */
    signal(SIGPIPE, SIG_DFL);
    static const struct option longopts[] = {
        {"model", required_argument, NULL, 'm'},    {"jsonl", no_argument, NULL, 'J'},
        {"unit", required_argument, NULL, 'U'},     {"no-text", no_argument, NULL, 'T'},
        {"encoding", required_argument, NULL, 'E'}, {"help", no_argument, NULL, 'h'},
        {"codebook", required_argument, NULL, 'B'}, {"threads", required_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    stance_input_options in = {0, STANCE_ENC_UTF8, NULL};
    stance_tag_options opt = {0, 0};
    const char *model_dir = NULL, *codebook = NULL;
    long nthreads = 1;
    stance_error err;
    stance_error_clear(&err);
    int c;
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":m:j:h", longopts, NULL)) != -1) {
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
        case 'j':
            if (!parse_count(optarg, 1, 256, &nthreads))
                return usage_error("-j needs a number of threads from 1 to 256, not", optarg);
            break;
        case 'h':
            fputs(usage, stdout);
            return stance_stream_close(stdout, "<stdout>", &err) == STANCE_OK ? 0 : report(&err);
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
    stance_status st = stance_idset_new(&in.seen, &err);
    if (st == STANCE_OK)
        st = stance_model_load(model_dir, &model, &err);
    if (st == STANCE_OK && codebook)
        st = stance_model_check_codebook(model, codebook, &err);
    if (st == STANCE_OK && nthreads > 1) {
        st = tag_threaded(model, &opt, &in, (int)nthreads, argv + optind, argc - optind, &err);
    } else {
        if (st == STANCE_OK)
            st = stance_tagger_new(model, &opt, &tagger, &err);
        if (st == STANCE_OK && optind == argc)
            st = stance_input_walk("-", &in, tag_article, tagger, &err);
        for (int i = optind; st == STANCE_OK && i < argc; i++)
            st = stance_input_walk(argv[i], &in, tag_article, tagger, &err);
    }
    stance_tagger_free(tagger);
    stance_model_free(model);
    stance_idset_free(in.seen);
    stance_error close_err;
    stance_status cst = stance_stream_close(stdout, "<stdout>", &close_err);
    if (st != STANCE_OK)
        return report(&err);
    return cst == STANCE_OK ? 0 : report(&close_err);
}
