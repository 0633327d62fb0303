/* stance-tag: articles in, one labeled JSON record per passage (or article) out. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "stage.h"
#include "stance/input.h"
#include "stance/model.h"
#include "stance/pool.h"
#include "stance/stream.h"
#include "stance/tag.h"
#include "stance/threshold.h"

static const char usage[] =
    "Usage: stance-tag [-m MODEL_DIR] [OPTION]... [FILE|DIR|-]...\n"
    "Label articles with a trained model: one JSON object per passage on standard\n"
    "output, with byte offsets, the text, and one field per codebook dimension\n"
    "(or one table row per passage, --format csv|tsv).\n"
    "\n"
    "A FILE is a plain-text article; a DIR means its *.txt files in sorted order;\n"
    "'-' or no argument reads standard input. Article ids (file names without\n"
    "directory and extension, or the JSON Lines \"id\") must not repeat; files that\n"
    "would share one get, all of them, the fewest trailing path components that\n"
    "tell them apart, extension dropped (2000/a.txt, 2001/a.txt: 2000/a, 2001/a).\n"
    "The records of a plain-text file carry its \"path\" (as given or found) after\n"
    "\"doc\"; table rows have no path column.\n"
    "\n"
    "  -m, --model DIR     the model bundle (from stance-train); by default\n"
    "                      $STANCE_MODEL or, if not set, the installed model\n"
    "                      " STAGE_INSTALLED_MODEL "\n"
    "  --codebook FILE     check that the model was trained with this codebook\n"
    "  --jsonl             read JSON Lines articles {\"id\", \"text\", ...}\n"
    "  --unit UNIT         passage (default); article: one record per article rolled\n"
    "                      up from its labeled passages (below); document: one record\n"
    "                      per article, its text labeled as one unit (for corpora\n"
    "                      whose labels belong to whole documents, e.g. Reuters)\n"
    "  --article-rule R    with --unit article, when a multi-valued value is the\n"
    "                      article's: any (default: any passage carries it) or\n"
    "                      share=X (at least a share X, 0 < X <= 1, of its passages)\n"
    "  --no-text           leave the text out of the records\n"
    "  --all-scores        add \"scores\" (every value's score, assigned or not) and\n"
    "                      \"applies\" (each optional single dimension's probability\n"
    "                      that one of its values applies)\n"
    "  --threshold LABEL=P assign LABEL when its score (to 4 decimals) is at least P,\n"
    "                      from 0 to 1, instead of the model's threshold; repeatable.\n"
    "                      LABEL: a value label, DIM.VALUE, or DIM.applies (or DIM)\n"
    "                      for an optional dimension's applies probability (0.5 by\n"
    "                      default). In a single dimension, the most probable value\n"
    "                      whose moved threshold is reached wins, even over a more\n"
    "                      probable one; else the most probable value not moved\n"
    "  --format FMT        jsonl (default), csv or tsv: a header, then one row per\n"
    "                      record: doc[,id],passage,start,end,kind, each dimension's\n"
    "                      labels (;-joined), each value's score (DIM.VALUE), each\n"
    "                      optional dimension's applies probability (DIM.applies);\n"
    "                      CSV quoted as RFC 4180, TSV with tab, newline, CR and\n"
    "                      backslash written \\t \\n \\r \\\\. A metadata passage has\n"
    "                      empty labels and scores; id (with --jsonl) is the\n"
    "                      article's \"id\"; --unit article and document have\n"
    "                      passages (how many were labeled) for passage; the\n"
    "                      article unit's scores are its mean scores\n"
    "  --text              a last column with the text (csv and tsv only)\n"
    "  --encoding ENC      plain-text input encoding: utf-8 (default), latin1, cp1252\n"
    "  --max-article-bytes N  refuse larger articles (default 67108864, 64 MiB)\n"
    "  -j, --threads N     tag on N threads (default 1); the output is the same\n"
    "  --explain K         add \"explain\": for each label assigned (each label with\n"
    "                      --all-scores), the K terms that add most to its decision\n"
    "                      value and the K that subtract most, exactly (linear\n"
    "                      models and JSON Lines records only, not --unit article;\n"
    "                      see below)\n"
    "  -r, --recursive     a DIR's subdirectories too: all of its files in the byte\n"
    "                      order of their paths; symbolic links to directories are\n"
    "                      not followed (a notice), so a loop cannot hang the walk\n"
    "  --glob PATTERN      a DIR's files whose base names match PATTERN (fnmatch,\n"
    "                      no '/'; default *.txt); files named are read whatever\n"
    "                      their names\n"
    "  --files-from LIST   also read the files (or DIRs) named in LIST, one a line\n"
    "                      ('-': standard input; empty lines skipped; it may not\n"
    "                      name '-'), after the arguments; no argument then means\n"
    "                      no standard input\n"
    "  -0, --null          LIST's names are separated by NUL bytes (find -print0)\n"
    "  --keep-going        a file that cannot be read or decoded (not found or gone,\n"
    "                      invalid in the encoding, over --max-article-bytes), or a\n"
    "                      DIR that cannot be listed, is reported and skipped; at the\n"
    "                      end 'stance-tag: N articles tagged, M inputs skipped', and\n"
    "                      status 4 if M > 0. A bad JSON Lines line still stops\n"
    "                      the run (status 1): its earlier records are out\n"
    "  --progress[=WHEN]   articles and MB done, the rate and, for files, the time\n"
    "                      left, on standard error a few times a second: WHEN auto\n"
    "                      (the default: on a terminal only), always (elsewhere, one\n"
    "                      line each time and a last one at the end) or never\n"
    "  -h, --help          show this help and exit\n"
    "      --version       print the version and exit\n"
    "\n"
    "Multi-valued dimensions give an array of {\"label\", \"score\"} for the values\n"
    "present (score >= 0.5), highest first; single ones one {\"label\", \"score\"}.\n"
    "Scores are calibrated probabilities. Metadata passages carry no labels.\n"
    "Other fields of a JSON Lines article go on its first record, its \"id\" on all.\n"
    "\n"
    "--unit article: metadata passages are neither labeled nor in the text (the\n"
    "labeled passages joined by newlines). \"passages\": how many were labeled;\n"
    "\"counts\" and \"shares\": for each value of each dimension, how many of them\n"
    "carry it and which share (a single dimension also has \"(none)\": those with\n"
    "no value). A multi-valued dimension lists the values --article-rule gives,\n"
    "each with its mean score over the passages; a single one gives the value of\n"
    "highest mean score over the passages where it has a value (null when none\n"
    "has). With --all-scores, \"scores\" holds those means (\"applies\": the mean\n"
    "over all labeled passages).\n"
    "Entries of a DIR that are not regular files (FIFOs, devices) are skipped, with\n"
    "a notice. SIGTERM, SIGINT or SIGHUP stops the reading: the records made so far\n"
    "are written whole, then the program ends by that signal.\n"
    "\n"
    "--explain K: \"explain\": {DIMENSION: {VALUE: {\"decision\", \"bias\", \"rest\",\n"
    "\"terms\": [{\"term\", \"contribution\", \"weight\", \"value\", \"spans\"}, ...]}}}.\n"
    "contribution = weight x value (the passage's TF-IDF value; with --nb-weight the\n"
    "weight has the NB ratio folded in), positive terms first; bias + the listed\n"
    "contributions + rest = decision, the value the unit's threshold is compared\n"
    "with. A term is a stem or a bigram \"stem stem\"; spans are the byte offsets of\n"
    "the words (or word pairs) it came from, as start/end. The second value of a\n"
    "two-valued single dimension is explained by its pair unit with every sign\n"
    "changed; an optional dimension with a value (with --all-scores, any) also gets\n"
    "\"(applies)\", its applies unit. A model with rbf or poly units: usage error\n"
    "(status 2).\n"
    "\n"
    "Exit status: 0 success, 1 bad input data or model, 2 usage error,\n"
    "3 I/O or resource failure, 4 done but inputs skipped (--keep-going).\n";

/* ---- whole records out, and the termination signals ----
 * SIGTERM, SIGINT and SIGHUP set a flag: reading stops (a read waiting for input returns), the
 * records made so far are written, and the program then ends by the same signal. Records go to
 * standard output through write(2) from a buffer of whole records: stdio may have handed the
 * kernel the first part of a record when a signal ends the program, or drop its buffer when a
 * write is interrupted. */

/* The first termination signal received, or 0; at file scope, the one way a handler can tell. */
static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
    if (!caught)
        caught = sig;
}

static const int stop_signals[] = {SIGTERM, SIGINT, SIGHUP};

/* Catches the termination signals that are not ignored (nohup). A second one changes nothing
 * (timeout(1) sends one to the process and one to its group); SIGKILL ends a program whose
 * reader has stopped reading. No SA_RESTART, so that a read waiting on a pipe returns. */
static void catch_signals(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++)
        if (sigaction(stop_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(stop_signals[i], &sa, NULL);
}

/* Blocks (or, with SIG_SETMASK and *old, restores) the termination signals in this thread. */
static void hold_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++)
        sigaddset(&set, stop_signals[i]);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

/* Ends the program by the signal caught, as it would have ended without a handler. */
static void die_by_signal(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
}

/* The status that stops the walk once a signal came; main reports nothing for it. */
static stance_status stopped(stance_error *err)
{
    return stance_error_set(err, STANCE_ERR_IO, NULL, 0, "stopped by signal %d", (int)caught);
}

/* Standard output: whole records, written when the buffer is full and at the end. */
typedef struct {
    char *buf;
    size_t len, cap;
} out_buffer;

static stance_status write_all(const char *p, size_t n, stance_error *err)
{
    while (n) {
        ssize_t k = write(STDOUT_FILENO, p, n);
        if (k < 0 && errno == EINTR)
            continue; /* a signal came: the record is finished all the same */
        if (k <= 0)
            return stance_error_set(err, STANCE_ERR_IO, "<stdout>", 0, "write failed: %s",
                                    strerror(k < 0 ? errno : EIO));
        p += k;
        n -= (size_t)k;
    }
    return STANCE_OK;
}

static stance_status out_flush(out_buffer *o, stance_error *err)
{
    size_t n = o->len;
    o->len = 0;
    return write_all(o->buf, n, err);
}

/* Adds len bytes of whole records to the output. */
static stance_status out_put(out_buffer *o, const char *text, size_t len, stance_error *err)
{
    if (len > o->cap - o->len) {
        stance_status st = out_flush(o, err);
        if (st != STANCE_OK || len >= o->cap)
            return st == STANCE_OK ? write_all(text, len, err) : st;
    }
    memcpy(o->buf + o->len, text, len);
    o->len += len;
    return STANCE_OK;
}

#define OUT_BYTES (64 * 1024) /* records held before they are written */

/* ---- batches: the input list, --keep-going, --progress ---- */

#define STATUS_SKIPPED 4 /* the exit status when --keep-going skipped inputs */
#define PROGRESS_SECONDS 0.25 /* between two refreshes of the progress line */

enum { PROGRESS_OFF, PROGRESS_TTY, PROGRESS_LINES };

/* What the walk has done so far, and the walk's callback it counts for. */
typedef struct {
    stance_article_fn tag; /* tag_article or add_article */
    void *tag_ctx;
    unsigned long long articles, bytes, skipped; /* skipped: inputs (--keep-going) */
    unsigned long long total;                     /* bytes of the input, when known */
    int total_known, progress;
    struct timespec start, shown;
} batch;

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* The progress line: articles and MB done, the rate, and the time left when the input's size
 * is known. On a terminal it is redrawn in place; else (--progress=always) one line each time. */
static void show_progress(batch *b)
{
    double t = seconds_since(&b->start), mb = (double)b->bytes / 1e6;
    double rate = t > 0 ? mb / t : 0;
    fprintf(stderr, "%sstance-tag: %llu articles, %.1f MB", b->progress == PROGRESS_TTY ? "\r" : "",
            b->articles, mb);
    if (b->total_known)
        fprintf(stderr, " of %.1f MB", (double)b->total / 1e6);
    fprintf(stderr, ", %.1f MB/s", rate);
    if (b->total_known && rate > 0 && b->total >= b->bytes)
        fprintf(stderr, ", %.0f s left", (double)(b->total - b->bytes) / 1e6 / rate);
    fputs(b->progress == PROGRESS_TTY ? "\033[K" : "\n", stderr);
    clock_gettime(CLOCK_MONOTONIC, &b->shown);
}

/* Clears the progress line on a terminal, before a message or at the end. */
static void clear_progress(const batch *b)
{
    if (b->progress == PROGRESS_TTY)
        fputs("\r\033[K", stderr);
}

/* The path of a plain-text file's article, NULL for standard input and JSON Lines. */
static const char *path_of(const json_t *extra, const char *where)
{
    return extra || stance_input_is_stdin(where) ? NULL : where;
}

/* The walk's callback: tags (or queues) the article, counts it, and shows the progress now
 * and then. */
static stance_status counted(void *ctx, const stance_article *art, const char *doc,
                             const json_t *extra, const char *where, long line, stance_error *err)
{
    batch *b = ctx;
    if (b->articles == 0) { /* the clock starts with the first article, the model loaded */
        clock_gettime(CLOCK_MONOTONIC, &b->start);
        b->shown = b->start;
    }
    stance_status st = b->tag(b->tag_ctx, art, doc, extra, where, line, err);
    size_t len;
    stance_article_get_text(art, &len);
    b->articles++;
    b->bytes += stance_article_get_source_offset(art, len);
    if (b->progress != PROGRESS_OFF && seconds_since(&b->shown) >= PROGRESS_SECONDS)
        show_progress(b);
    return st;
}

/* --keep-going: an input that cannot be read is reported and skipped. */
static void input_failed(void *ctx, const stance_error *err)
{
    batch *b = ctx;
    clear_progress(b);
    stage_report(err);
    b->skipped++;
}

/* The end of a batch (its progress line on a terminal cleared): not on a terminal, the last
 * progress line, and with --keep-going the summary. */
static void batch_end(batch *b, int keep_going)
{
    if (b->progress == PROGRESS_LINES)
        show_progress(b);
    if (keep_going)
        fprintf(stderr, "stance-tag: %llu article%s tagged, %llu input%s skipped\n", b->articles,
                b->articles == 1 ? "" : "s", b->skipped, b->skipped == 1 ? "" : "s");
}

/* --progress[=WHEN]: auto (on a terminal), always or never. 0 if WHEN is none of them. */
static int parse_progress(const char *when, int *progress)
{
    if (!when || strcmp(when, "auto") == 0)
        *progress = isatty(STDERR_FILENO) ? PROGRESS_TTY : PROGRESS_OFF;
    else if (strcmp(when, "always") == 0)
        *progress = isatty(STDERR_FILENO) ? PROGRESS_TTY : PROGRESS_LINES;
    else if (strcmp(when, "never") == 0)
        *progress = PROGRESS_OFF;
    else
        return 0;
    return 1;
}

/* --files-from LIST: the paths it names (LIST "-": standard input), after the arguments'. */
static stance_status add_listed(const char *list, int nul, char ***args, size_t *nargs,
                                char ***listed, size_t *nlisted, stance_error *err)
{
    FILE *f = stdin;
    int from_stdin = strcmp(list, "-") == 0;
    const char *name = from_stdin ? "<stdin>" : list;
    stance_status st = from_stdin ? STANCE_OK : stance_stream_open(list, "rb", &f, err);
    if (st == STANCE_OK)
        st = stance_input_read_names(f, name, nul, listed, nlisted, err);
    if (f && f != stdin)
        fclose(f);
    if (st != STANCE_OK)
        return st;
    char **all = malloc((*nargs + *nlisted) * sizeof *all);
    if (!all) { /* *args stays the arguments, which are not to be freed */
        stance_input_names_free(*listed, *nlisted);
        *listed = NULL;
        *nlisted = 0;
        return stance_error_set(err, STANCE_ERR_NOMEM, name, 0, "out of memory");
    }
    memcpy(all, *args, *nargs * sizeof *all);
    memcpy(all + *nargs, *listed, *nlisted * sizeof *all);
    *args = all;
    *nargs += *nlisted;
    return STANCE_OK;
}

/* The inputs' list, and the batch that counts them. */
static stance_status batch_start(batch *b, stance_input_options *in, char **args, size_t nargs,
                                 stance_input_list **list, stance_error *err)
{
    in->failed_ctx = b;
    stance_status st = stance_input_list_new(args, nargs, in, list, err);
    if (st == STANCE_OK)
        b->total_known = !in->jsonl && stance_input_list_get_bytes(*list, &b->total);
    return st;
}

/* ---- on one thread ---- */

typedef struct {
    stance_tagger *tagger;
    out_buffer *out;
} single;

/* The tagger's sink: records to the output, and a stop at a record boundary after a signal. */
static stance_status records_out(void *ctx, const char *text, size_t len, stance_error *err)
{
    stance_status st = out_put(ctx, text, len, err);
    return st == STANCE_OK && caught ? stopped(err) : st;
}

/* Tags one article and writes its records as they are made. */
static stance_status tag_article(void *ctx, const stance_article *art, const char *doc,
                                 const json_t *extra, const char *where, long line,
                                 stance_error *err)
{
    (void)line;
    single *one = ctx;
    if (caught)
        return stopped(err);
    stance_tagger_set_path(one->tagger, path_of(extra, where));
    return stance_tagger_write(one->tagger, art, doc, extra, records_out, one->out, err);
}

/* ---- on several threads: the main thread reads and writes, the pool's threads tag ---- */

#define BATCH_ARTICLES 32        /* articles handed to a thread at once, at most, */
#define BATCH_BYTES (256 * 1024) /* or about this much text: fewer hand-overs */

/* A batch of articles on its way through the pool, with copies of what the reader lends. */
typedef struct job {
    stance_article *art[BATCH_ARTICLES];
    char *doc[BATCH_ARTICLES];
    char *path[BATCH_ARTICLES]; /* NULL: none */
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
    out_buffer *out;
} jobs;

static void job_empty(job *j)
{
    for (size_t i = 0; i < j->n; i++) {
        stance_article_free(j->art[i]);
        free(j->doc[i]);
        free(j->path[i]);
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

/* The tagger's sink on a thread: records to the end of the job's output. */
static stance_status job_append(void *ctx, const char *text, size_t len, stance_error *err)
{
    job *j = ctx;
    if (len > j->cap - j->len) {
        size_t cap = j->cap ? j->cap : 4096;
        while (cap - j->len < len && cap <= SIZE_MAX / 2)
            cap *= 2;
        char *b = cap - j->len >= len ? realloc(j->out, cap) : NULL;
        if (!b)
            return stance_error_set(err, STANCE_ERR_NOMEM, NULL, 0, "out of memory");
        j->out = b;
        j->cap = cap;
    }
    memcpy(j->out + j->len, text, len);
    j->len += len;
    return STANCE_OK;
}

/* Tags the batch's articles in order into j->out, up to the first that fails. */
static stance_status work_job(void *tagger, void *item, stance_error *err)
{
    (void)err;
    job *j = item;
    for (size_t i = 0; i < j->n && j->status == STANCE_OK; i++) {
        stance_tagger_set_path(tagger, j->path[i]);
        j->status = stance_tagger_write(tagger, j->art[i], j->doc[i], j->extra[i],
                                        job_append, j, &j->err);
    }
    return STANCE_OK; /* a failed article is the done step's to report, after the ones before */
}

static stance_status write_job(void *ctx, void *item, stance_error *err)
{
    job *j = item;
    stance_status st = out_put(((jobs *)ctx)->out, j->out, j->len, err);
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

/* A copy of path into *copy (NULL for none). */
static stance_status copy_path(const char *path, char **copy, stance_error *err)
{
    *copy = path ? strdup(path) : NULL;
    if (path && !*copy)
        return stance_error_set(err, STANCE_ERR_NOMEM, path, 0, "out of memory");
    return STANCE_OK;
}

/* The walk's callback: copies the article into the batch, which goes to the pool when full. */
static stance_status add_article(void *ctx, const stance_article *art, const char *doc,
                                 const json_t *extra, const char *where, long line,
                                 stance_error *err)
{
    (void)line;
    jobs *js = ctx;
    if (caught)
        return stopped(err);
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
    if (st == STANCE_OK && (st = copy_path(path_of(extra, where), &j->path[i], err)) != STANCE_OK) {
        stance_article_free(j->art[i]);
        free(j->doc[i]);
    }
    if (st != STANCE_OK)
        return st;
    j->extra[i] = extra ? json_incref((json_t *)extra) : NULL; /* jansson counts atomically */
    j->n++;
    stance_article_get_text(art, &len);
    j->bytes += len;
    return j->n == BATCH_ARTICLES || j->bytes >= BATCH_BYTES ? submit_batch(js, err) : STANCE_OK;
}

/* Tags the arguments' articles on nthreads threads, each with its own tagger. */
static stance_status tag_threaded(const stance_model *model, const stance_tag_options *opt,
                                  size_t explain, const stance_input_options *in, int nthreads,
                                  const stance_input_list *list, batch *b, out_buffer *out,
                                  stance_error *err)
{
    stance_tagger *taggers[256] = {NULL};
    jobs js = {NULL, NULL, NULL, out};
    stance_status st = STANCE_OK;
    for (int i = 0; st == STANCE_OK && i < nthreads; i++) {
        st = stance_tagger_new(model, opt, &taggers[i], err);
        if (st == STANCE_OK)
            st = stance_tagger_set_explain(taggers[i], explain, err);
    }
    if (st == STANCE_OK) { /* the signals go to this thread, whose reads they are to stop */
        sigset_t old;
        hold_signals(&old);
        st = stance_pool_new((size_t)nthreads, (void *const *)taggers, 4 * (size_t)nthreads,
                             work_job, write_job, recycle, &js, &js.pool, err);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    b->tag = add_article;
    b->tag_ctx = &js;
    if (st == STANCE_OK)
        st = stance_input_list_walk(list, in, counted, b, err);
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

/* Moves the thresholds given as --threshold LABEL=P, in order, now that the model's codebook
 * names the labels: a second pass over the options (getopt_long starts over when optind is
 * 0), which leaves optind where the first left it. */
static stance_status read_thresholds(int argc, char **argv, const struct option *longopts,
                                     stance_thresholds *th, stance_error *err)
{
    int end = optind, c;
    stance_status st = STANCE_OK;
    optind = 0;
    while (st == STANCE_OK && (c = getopt_long(argc, argv, ":m:j:hr0", longopts, NULL)) != -1)
        if (c == 'H')
            st = stance_thresholds_set(th, optarg, err);
    optind = end;
    if (st == STANCE_ERR_USAGE) {
        char what[STANCE_ERROR_MSG_MAX];
        memcpy(what, err->message, sizeof what);
        stance_error_set(err, st, NULL, 0, "--threshold %s", what);
    }
    return st;
}

/* With a table: its header line first, in the output buffer. */
static stance_status table_header(const stance_model *model, const stance_tag_options *opt,
                                  out_buffer *out, stance_error *err)
{
    char *text;
    size_t len;
    stance_status st = stance_tag_get_header(model, opt, &text, &len, err);
    if (st == STANCE_OK)
        st = out_put(out, text, len, err);
    free(text);
    return st;
}

/* --article-rule: any (*share 0) or share=X, X in (0, 1]; 0 if it is neither. */
static int parse_article_rule(const char *s, double *share)
{
    if (strcmp(s, "any") == 0) {
        *share = 0;
        return 1;
    }
    return strncmp(s, "share=", 6) == 0 && stage_parse_double(s + 6, share) && *share > 0 &&
           *share <= 1;
}

int main(int argc, char **argv)
{
    stage_start("stance-tag");
    static const struct option longopts[] = {
        {"model", required_argument, NULL, 'm'},    {"jsonl", no_argument, NULL, 'J'},
        {"unit", required_argument, NULL, 'U'},     {"no-text", no_argument, NULL, 'T'},
        {"encoding", required_argument, NULL, 'E'}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, STAGE_OPT_VERSION},
        {"codebook", required_argument, NULL, 'B'}, {"threads", required_argument, NULL, 'j'},
        {"max-article-bytes", required_argument, NULL, 'X'},
        {"explain", required_argument, NULL, 'K'},
        {"all-scores", no_argument, NULL, 'A'},     {"threshold", required_argument, NULL, 'H'},
        {"format", required_argument, NULL, 'F'},   {"text", no_argument, NULL, 'x'},
        {"article-rule", required_argument, NULL, 'R'},
        {"recursive", no_argument, NULL, 'r'},      {"glob", required_argument, NULL, 'G'},
        {"files-from", required_argument, NULL, 'L'}, {"null", no_argument, NULL, '0'},
        {"keep-going", no_argument, NULL, 'k'},     {"progress", optional_argument, NULL, 'P'},
        {NULL, 0, NULL, 0},
    };
    stance_input_options in = {.enc = STANCE_ENC_UTF8, .max_bytes = STANCE_ARTICLE_MAX_BYTES,
                              .skipped = stage_skipped};
    stance_tag_options opt = {0};
    const char *model_dir = NULL, *codebook = NULL;
    int nthresholds = 0, with_text = 0, article_rule = 0;
    long nthreads = 1, max_bytes, explain = 0;
    const char *files_from = NULL;
    int nul = 0, keep_going = 0;
    batch b = {0};
    stance_error err;
    stance_error_clear(&err);
    int c;
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":m:j:hr0", longopts, NULL)) != -1) {
        switch (c) {
        case 'm': model_dir = optarg; break;
        case 'B': codebook = optarg; break;
        case 'J': in.jsonl = 1; break;
        case 'T': opt.no_text = 1; break;
        case 'A': opt.all_scores = 1; break;
        case 'H': nthresholds++; break; /* read once the model is loaded: read_thresholds */
        case 'x': with_text = 1; break;
        case 'F':
            if (strcmp(optarg, "jsonl") == 0)
                opt.format = STANCE_TAG_JSONL;
            else if (strcmp(optarg, "csv") == 0)
                opt.format = STANCE_TAG_CSV;
            else if (strcmp(optarg, "tsv") == 0)
                opt.format = STANCE_TAG_TSV;
            else
                return stage_usage_error("--format is jsonl, csv or tsv, not '%s'", optarg);
            break;
        case 'U':
            if (strcmp(optarg, "article") != 0 && strcmp(optarg, "passage") != 0 &&
                strcmp(optarg, "document") != 0)
                return stage_usage_error("--unit is passage, article or document, not '%s'",
                                         optarg);
            opt.article_unit = strcmp(optarg, "passage") != 0;
            opt.rollup = strcmp(optarg, "article") == 0;
            break;
        case 'R':
            if (!parse_article_rule(optarg, &opt.article_share))
                return stage_usage_error("--article-rule is any or share=X with 0 < X <= 1, "
                                         "not '%s'", optarg);
            article_rule = 1;
            break;
        case 'E':
            if (stance_encoding_parse(optarg, &in.enc, &err) != STANCE_OK)
                return stage_report(&err);
            break;
        case 'j':
            if (!stage_parse_long(optarg, 1, 256, &nthreads))
                return stage_usage_error("-j needs a number of threads from 1 to 256, not '%s'",
                                         optarg);
            break;
        case 'X':
            if (!stage_parse_long(optarg, 1, LONG_MAX, &max_bytes))
                return stage_usage_error("--max-article-bytes needs a positive number of bytes, "
                                         "not '%s'", optarg);
            in.max_bytes = (size_t)max_bytes;
            break;
        case 'K':
            if (!stage_parse_long(optarg, 1, 1000000, &explain))
                return stage_usage_error("--explain needs a number of terms from 1 to 1000000, "
                                         "not '%s'", optarg);
            break;
        case 'r': in.recursive = 1; break;
        case '0': nul = 1; break;
        case 'k': keep_going = 1; break;
        case 'L': files_from = optarg; break;
        case 'G':
            if (!*optarg || strchr(optarg, '/'))
                return stage_usage_error("--glob matches base names: a pattern without '/', "
                                         "not '%s'", optarg);
            in.glob = optarg;
            break;
        case 'P':
            if (!parse_progress(optarg, &b.progress))
                return stage_usage_error("--progress is auto, always or never, not '%s'", optarg);
            break;
        case 'h': return stage_help(usage);
        case STAGE_OPT_VERSION: return stage_version();
        case ':': return stage_usage_error("missing argument for option '%s'", argv[optind - 1]);
        default: return stage_unknown_option(argv);
        }
    }
    if (!model_dir)
        model_dir = stage_default_model();
    if (!model_dir)
        return stage_usage_error("-m MODEL_DIR is required");
    if (with_text && opt.format == STANCE_TAG_JSONL)
        return stage_usage_error("--text is for --format csv or tsv (records have the text "
                                 "unless --no-text)");
    if (with_text && opt.no_text)
        return stage_usage_error("--text and --no-text contradict each other");
    if (article_rule && !opt.rollup)
        return stage_usage_error("--article-rule is for --unit article");
    if (explain && opt.rollup)
        return stage_usage_error("--explain explains passages or whole documents: use --unit "
                                 "passage or document, not article (a roll-up)");
    if (explain && opt.format != STANCE_TAG_JSONL)
        return stage_usage_error("--explain is for JSON Lines records, not --format csv or tsv");
    if (opt.format != STANCE_TAG_JSONL) { /* a table has the text only when asked */
        opt.no_text = !with_text;
        opt.id_column = in.jsonl;
    }
    if (nul && !files_from)
        return stage_usage_error("-0 is for --files-from (a NUL-separated list of paths)");
    for (int i = optind; files_from && strcmp(files_from, "-") == 0 && i < argc; i++)
        if (strcmp(argv[i], "-") == 0)
            return stage_usage_error("standard input cannot be both the list of paths "
                                     "(--files-from -) and an input ('-')");
    if (keep_going)
        in.failed = input_failed;
    if (in.jsonl && in.enc != STANCE_ENC_UTF8) {
        stance_error_set(&err, STANCE_ERR_USAGE, NULL, 0,
                         "--encoding applies to plain text; JSON Lines input is UTF-8");
        return stage_report(&err);
    }
    catch_signals();
    stance_model *model = NULL;
    stance_thresholds *th = NULL;
    out_buffer out = {malloc(OUT_BYTES), 0, OUT_BYTES};
    single one = {NULL, &out};
    stance_status st = out.buf ? stance_idset_new(&in.seen, &err)
                                    : stance_error_set(&err, STANCE_ERR_NOMEM, "<stdout>", 0, "out of memory");
    char **args = argv + optind, **listed = NULL;
    size_t nargs = (size_t)(argc - optind), nlisted = 0;
    stance_input_list *list = NULL;
    if (st == STANCE_OK && files_from)
        st = add_listed(files_from, nul, &args, &nargs, &listed, &nlisted, &err);
    if (st == STANCE_OK)
        st = batch_start(&b, &in, args, nargs, &list, &err);
    if (st == STANCE_OK)
        st = stance_model_load(model_dir, &model, &err);
    if (st == STANCE_OK && codebook)
        st = stance_model_check_codebook(model, codebook, &err);
    if (st == STANCE_OK && nthresholds) {
        st = stance_thresholds_new(stance_model_get_codebook(model), &th, &err);
        if (st == STANCE_OK)
            st = read_thresholds(argc, argv, longopts, th, &err);
        opt.thresholds = th;
    }
    if (st == STANCE_OK && opt.format != STANCE_TAG_JSONL)
        st = table_header(model, &opt, &out, &err);
    if (st == STANCE_OK && nthreads > 1) {
        st = tag_threaded(model, &opt, (size_t)explain, &in, (int)nthreads, list, &b, &out,
                          &err);
    } else {
        if (st == STANCE_OK)
            st = stance_tagger_new(model, &opt, &one.tagger, &err);
        if (st == STANCE_OK)
            st = stance_tagger_set_explain(one.tagger, (size_t)explain, &err);
        b.tag = tag_article;
        b.tag_ctx = &one;
        if (st == STANCE_OK)
            st = stance_input_list_walk(list, &in, counted, &b, &err);
    }
    clear_progress(&b);
    if (st == STANCE_OK)
        batch_end(&b, keep_going);
    stance_input_list_free(list);
    if (listed)
        free(args);
    stance_input_names_free(listed, nlisted);
    stance_tagger_free(one.tagger);
    stance_thresholds_free(th);
    stance_model_free(model);
    stance_idset_free(in.seen);
    stance_error out_err; /* the records made before a failure or a signal are written */
    stance_status ost = out.buf ? out_flush(&out, &out_err) : STANCE_OK;
    free(out.buf);
    if (ost == STANCE_OK)
        ost = stance_stream_close(stdout, "<stdout>", &out_err);
    if (caught) {
        if (ost != STANCE_OK)
            stage_report(&out_err);
        die_by_signal(caught);
    }
    if (st != STANCE_OK)
        return stage_report(&err);
    if (ost != STANCE_OK)
        return stage_report(&out_err);
    return b.skipped ? STATUS_SKIPPED : 0;
}
