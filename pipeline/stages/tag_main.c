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
#include "stance/shard.h"
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
    "directory and extension, or the JSON Lines \"id\") must not repeat (but see\n"
    "--no-id-check); files that would share one get, all of them, the fewest\n"
    "trailing path components that tell them apart, extension dropped (2000/a.txt,\n"
    "2001/a.txt: 2000/a, 2001/a). The records of a plain-text file carry its\n"
    "\"path\" (as given or found) after \"doc\"; table rows have no path column.\n"
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
    "  -o, --output FILE   write the records to FILE instead of standard output,\n"
    "                      atomically (a temporary beside it, renamed when all is\n"
    "                      written; on an error or a signal FILE is as it was), and\n"
    "                      FILE.manifest.json beside it (below)\n"
    "  --shard I/N         tag only shard I of N (1 <= I <= N): the articles at\n"
    "                      0-based input positions k with k mod N = I - 1 (below);\n"
    "                      JSON Lines output only\n"
    "  --shard slurm       this Slurm array task's shard, from SLURM_ARRAY_TASK_ID,\n"
    "                      _MIN and _MAX (or _COUNT): I = ID - MIN + 1, N = MAX -\n"
    "                      MIN + 1; ids need not start at 0 or 1, but a _STEP other\n"
    "                      than 1 is a usage error\n"
    "  --no-id-check       let repeated article ids pass silently, for streams of\n"
    "                      millions of articles: the id check holds 32 to 96 bytes\n"
    "                      per article, the one memory that grows with the input\n"
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
    "Shards: an article's position counts every article of the input in order (the\n"
    "arguments in order, a DIR's files sorted, a JSON Lines file line by line), so\n"
    "each shard reads the whole input and tags its own; stance-merge puts the -o\n"
    "outputs of shards 1..N back into one output, byte for byte this program's\n"
    "without --shard. FILE.manifest.json, one JSON object: format\n"
    "(\"stance-tag-output\"), version (1), stance (version), output (jsonl, csv,\n"
    "tsv), options (those that shape the records, spelled out in one order; shards\n"
    "made with other ones do not merge), shard ({index, count} or null), articles\n"
    "(in the input), shard_articles, skipped, records (lines; null for csv and\n"
    "tsv), bytes and sha256 of FILE, model_sha256 (of the model's manifest.json),\n"
    "input_sha256 (of the input's article ids in order, each as LENGTH:ID), empty\n"
    "(positions of the shard's articles that wrote no records).\n"
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

/* Standard output (or the -o file): whole records, written when the buffer is full and at the
 * end. */
typedef struct {
    char *buf;
    size_t len, cap;
    int fd;                 /* STDOUT_FILENO, or the -o file's temporary */
    const char *name;       /* in messages */
    stance_tally *tally;    /* told of every byte written, when not NULL */
    unsigned long long put; /* bytes put so far: an article that adds none wrote no records */
} out_buffer;

static stance_status write_all(const out_buffer *o, const char *p, size_t n, stance_error *err)
{
    if (o->tally)
        stance_tally_output(o->tally, p, n);
    while (n) {
        ssize_t k = write(o->fd, p, n);
        if (k < 0 && errno == EINTR)
            continue; /* a signal came: the record is finished all the same */
        if (k <= 0)
            return stance_error_set(err, STANCE_ERR_IO, o->name, 0, "write failed: %s",
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
    return write_all(o, o->buf, n, err);
}

/* Adds len bytes of whole records to the output. */
static stance_status out_put(out_buffer *o, const char *text, size_t len, stance_error *err)
{
    o->put += len;
    if (len > o->cap - o->len) {
        stance_status st = out_flush(o, err);
        if (st != STANCE_OK || len >= o->cap)
            return st == STANCE_OK ? write_all(o, text, len, err) : st;
    }
    memcpy(o->buf + o->len, text, len);
    o->len += len;
    return STANCE_OK;
}

#define OUT_BYTES (64 * 1024) /* records held before they are written */

/* ---- --shard, and the tally of the -o manifest ---- */

/* Whether the article doc is this run's (always without a tally), and its input position. */
static int shard_takes(stance_tally *tally, const char *doc, unsigned long long *pos)
{
    *pos = 0;
    return !tally || stance_tally_take(tally, doc, pos);
}

/* The manifest lists the articles without records, which stance-merge has to know. */
static stance_status note_empty(stance_tally *tally, unsigned long long pos, int empty,
                                stance_error *err)
{
    return tally && empty ? stance_tally_empty(tally, pos, err) : STANCE_OK;
}

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

/* The walk's notice of a skipped directory entry: on a terminal, a progress line there is
 * cleared first, so that the notice does not land on its end (an empty line stays empty). */
static void skipped_entry(const char *path, const char *why)
{
    if (isatty(STDERR_FILENO))
        fputs("\r\033[K", stderr);
    stage_skipped(path, why);
}

/* The path of a plain-text file's article, NULL for standard input and JSON Lines. */
static const char *path_of(const json_t *extra, const char *where)
{
    return extra || stance_input_is_stdin(where) ? NULL : where;
}

/* Counts an article of bytes input bytes, done; the first shows the progress line at once (a
 * short run still shows it), then it is redrawn each PROGRESS_SECONDS. */
static void count_article(batch *b, unsigned long long bytes)
{
    if (b->articles == 0) {
        clock_gettime(CLOCK_MONOTONIC, &b->start);
        b->shown = b->start;
    }
    b->articles++;
    b->bytes += bytes;
    if (b->progress != PROGRESS_OFF &&
        (b->articles == 1 || seconds_since(&b->shown) >= PROGRESS_SECONDS))
        show_progress(b);
}

/* The walk's callback: tags (or queues) the article and counts it. */
static stance_status counted(void *ctx, const stance_article *art, const char *doc,
                             const json_t *extra, const char *where, long line, stance_error *err)
{
    batch *b = ctx;
    stance_status st = b->tag(b->tag_ctx, art, doc, extra, where, line, err);
    size_t len;
    stance_article_get_text(art, &len);
    count_article(b, stance_article_get_source_offset(art, len));
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
    unsigned long long pos, before = one->out->put;
    if (!shard_takes(one->out->tally, doc, &pos))
        return STANCE_OK;
    stance_tagger_set_path(one->tagger, path_of(extra, where));
    stance_status st =
        stance_tagger_write(one->tagger, art, doc, extra, records_out, one->out, err);
    return st == STANCE_OK ? note_empty(one->out->tally, pos, one->out->put == before, err) : st;
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
    unsigned long long pos[BATCH_ARTICLES]; /* input positions (--shard, -o) */
    unsigned char empty[BATCH_ARTICLES];    /* 1: the article wrote no records */
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

/* Appends len bytes to *buf (*used of *cap bytes); 0 on no memory. */
static int buf_append(char **buf, size_t *used, size_t *cap, const char *text, size_t len)
{
    if (len > *cap - *used) {
        size_t c = *cap ? *cap : 4096;
        while (c - *used < len && c <= SIZE_MAX / 2)
            c *= 2;
        char *b = c - *used >= len ? realloc(*buf, c) : NULL;
        if (!b)
            return 0;
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *used, text, len);
    *used += len;
    return 1;
}

/* The tagger's sink on a thread: records to the end of the job's output. */
static stance_status job_append(void *ctx, const char *text, size_t len, stance_error *err)
{
    job *j = ctx;
    if (!buf_append(&j->out, &j->len, &j->cap, text, len))
        return stance_error_set(err, STANCE_ERR_NOMEM, NULL, 0, "out of memory");
    return STANCE_OK;
}

/* Tags the batch's articles in order into j->out, up to the first that fails. */
static stance_status work_job(void *tagger, void *item, stance_error *err)
{
    (void)err;
    job *j = item;
    for (size_t i = 0; i < j->n && j->status == STANCE_OK; i++) {
        size_t before = j->len;
        stance_tagger_set_path(tagger, j->path[i]);
        j->status = stance_tagger_write(tagger, j->art[i], j->doc[i], j->extra[i],
                                        job_append, j, &j->err);
        j->empty[i] = j->len == before;
    }
    return STANCE_OK; /* a failed article is the done step's to report, after the ones before */
}

static stance_status write_job(void *ctx, void *item, stance_error *err)
{
    job *j = item;
    out_buffer *out = ((jobs *)ctx)->out;
    stance_status st = out_put(out, j->out, j->len, err);
    for (size_t i = 0; st == STANCE_OK && j->status == STANCE_OK && i < j->n; i++)
        st = note_empty(out->tally, j->pos[i], j->empty[i], err);
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
    unsigned long long pos;
    if (!shard_takes(js->out->tally, doc, &pos))
        return STANCE_OK;
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
    j->pos[i] = pos;
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

/* ---- JSON Lines on several threads: the main thread only splits the input into lines; the
 * pool's threads parse and tag them; the main thread then checks their ids, in order, and
 * writes their records ---- */

#define NO_ID SIZE_MAX

typedef struct {
    size_t off, n, at; /* n bytes at off in the batch's text, from byte at of the input */
    long line;
    size_t id;  /* where its id is in the batch's ids (NO_ID: not read) */
    size_t end; /* the length of the batch's output after its records */
} batch_line;

/* A batch of lines of one input, with what the threads made of them. */
typedef struct line_job {
    char *where; /* the input */
    char *text;  /* the lines, one after another */
    size_t text_len, text_cap;
    batch_line *lines;
    size_t n, lines_cap;
    char *ids; /* the lines' ids, each ended by a NUL */
    size_t ids_len, ids_cap;
    char *out; /* the records of the lines tagged, in order */
    size_t len, cap;
    size_t failed;        /* with status: the line that failed (the rest are not tagged) */
    stance_status status;
    stance_error err;
    struct line_job *next; /* in the list of jobs free for reuse */
} line_job;

typedef struct {
    stance_pool *pool;
    line_job *filling, *spare;
    out_buffer *out;
    const stance_input_options *in;
    batch *b; /* counts the lines read (--progress, --keep-going's summary) */
} line_jobs;

typedef struct {
    stance_tagger *tagger;
    const stance_input_options *in;
} line_worker;

#define BATCH_LINES 256 /* lines handed to a thread at once, at most (or BATCH_BYTES) */

static void recycle_lines(void *ctx, void *item)
{
    line_jobs *js = ctx;
    line_job *j = item;
    free(j->where);
    j->where = NULL;
    j->n = j->text_len = j->ids_len = j->len = 0;
    j->status = STANCE_OK;
    j->next = js->spare;
    js->spare = j;
}

static void line_job_free(line_job *j)
{
    free(j->where);
    free(j->text);
    free(j->lines);
    free(j->ids);
    free(j->out);
    free(j);
}

static stance_status line_append(void *ctx, const char *text, size_t len, stance_error *err)
{
    line_job *j = ctx;
    if (!buf_append(&j->out, &j->len, &j->cap, text, len))
        return stance_error_set(err, STANCE_ERR_NOMEM, NULL, 0, "out of memory");
    return STANCE_OK;
}

/* Parses and tags one line of the batch, keeping its id for the check in order. */
static stance_status tag_line(line_worker *w, line_job *j, batch_line *l)
{
    char idbuf[32];
    const char *doc;
    json_t *obj = NULL;
    stance_article *art = NULL;
    stance_status st = stance_input_parse_line(j->text + l->off, l->n, l->at, j->where, l->line,
                                               w->in, idbuf, sizeof idbuf, &obj, &doc, &art,
                                               &j->err);
    l->id = NO_ID;
    if (doc && w->in->seen) {
        size_t at = j->ids_len;
        if (buf_append(&j->ids, &j->ids_len, &j->ids_cap, doc, strlen(doc) + 1))
            l->id = at;
        else if (st == STANCE_OK)
            st = stance_error_set(&j->err, STANCE_ERR_NOMEM, j->where, l->line, "out of memory");
    }
    if (st == STANCE_OK)
        st = stance_tagger_write(w->tagger, art, doc, obj, line_append, j, &j->err);
    stance_article_free(art);
    json_decref(obj);
    return st;
}

/* Tags the batch's lines in order into j->out, up to the first that fails. */
static stance_status work_lines(void *worker, void *item, stance_error *err)
{
    (void)err;
    line_job *j = item;
    for (size_t i = 0; i < j->n && j->status == STANCE_OK; i++) {
        j->status = tag_line(worker, j, &j->lines[i]);
        j->lines[i].end = j->len;
        j->failed = i;
    }
    return STANCE_OK; /* a failed line is the done step's to report, after the ones before */
}

/* Checks the batch's ids in order, then writes the records of the lines before the first
 * failure: a repeated id, or a line that failed (its records made so far are written, as on
 * one thread). */
static stance_status write_lines(void *ctx, void *item, stance_error *err)
{
    line_jobs *js = ctx;
    line_job *j = item;
    size_t checked = j->status == STANCE_OK ? j->n : j->failed + 1, written = j->len;
    stance_status st = j->status;
    stance_error dup;
    for (size_t i = 0; i < checked; i++) {
        const batch_line *l = &j->lines[i];
        stance_status ist = l->id == NO_ID ? STANCE_OK
                                            : stance_input_add_id(js->in, j->ids + l->id,
                                                                  j->where, l->line, &dup);
        if (ist != STANCE_OK) { /* before the line's records, and before its own failure */
            st = ist;
            j->err = dup;
            written = i ? j->lines[i - 1].end : 0;
            break;
        }
    }
    stance_status wst = out_put(js->out, j->out, written, err);
    if (wst == STANCE_OK && st != STANCE_OK)
        *err = j->err;
    recycle_lines(ctx, item);
    return wst != STANCE_OK ? wst : st;
}

/* Hands the batch being filled to the pool. */
static stance_status submit_lines(line_jobs *js, stance_error *err)
{
    line_job *j = js->filling;
    js->filling = NULL;
    return j ? stance_pool_submit(js->pool, j, err) : STANCE_OK;
}

/* The batch being filled, a new one for lines of where. */
static stance_status filling_batch(line_jobs *js, const char *where, line_job **out,
                                   stance_error *err)
{
    line_job *j = js->filling;
    if (j && strcmp(j->where, where) != 0) { /* a batch holds the lines of one input */
        stance_status st = submit_lines(js, err);
        if (st != STANCE_OK)
            return st;
        j = NULL;
    }
    if (!j && (j = js->spare) != NULL)
        js->spare = j->next;
    else if (!j && !(j = calloc(1, sizeof *j)))
        return stance_error_set(err, STANCE_ERR_NOMEM, where, 0, "out of memory");
    js->filling = j;
    if (!j->where && !(j->where = strdup(where)))
        return stance_error_set(err, STANCE_ERR_NOMEM, where, 0, "out of memory");
    *out = j;
    return STANCE_OK;
}

/* The walk's callback: copies the line into the batch, which goes to the pool when full. */
static stance_status add_line(void *ctx, const char *text, size_t n, size_t at,
                              const char *where, long line, stance_error *err)
{
    line_jobs *js = ctx;
    line_job *j = NULL;
    if (caught)
        return stopped(err);
    stance_status st = filling_batch(js, where, &j, err);
    if (st != STANCE_OK)
        return st;
    if (j->n == j->lines_cap) {
        size_t cap = j->lines_cap ? 2 * j->lines_cap : 16;
        batch_line *b = realloc(j->lines, cap * sizeof *b);
        if (!b)
            return stance_error_set(err, STANCE_ERR_NOMEM, where, line, "out of memory");
        j->lines = b;
        j->lines_cap = cap;
    }
    batch_line *l = &j->lines[j->n];
    l->off = j->text_len;
    if (!buf_append(&j->text, &j->text_len, &j->text_cap, text, n))
        return stance_error_set(err, STANCE_ERR_NOMEM, where, line, "out of memory");
    l->n = n, l->at = at, l->line = line;
    j->n++;
    count_article(js->b, n);
    return j->n == BATCH_LINES || j->text_len >= BATCH_BYTES ? submit_lines(js, err) : STANCE_OK;
}

/* Tags the arguments' JSON Lines on nthreads threads, each with its own tagger. */
static stance_status tag_lines_threaded(const stance_model *model, const stance_tag_options *opt,
                                        size_t explain, const stance_input_options *in,
                                        int nthreads, char **args, int nargs, batch *b,
                                        out_buffer *out, stance_error *err)
{
    line_worker workers[256];
    void *ctxs[256];
    line_jobs js = {NULL, NULL, NULL, out, in, b};
    stance_status st = STANCE_OK;
    memset(workers, 0, sizeof workers);
    for (int i = 0; st == STANCE_OK && i < nthreads; i++) {
        workers[i].in = in;
        ctxs[i] = &workers[i];
        st = stance_tagger_new(model, opt, &workers[i].tagger, err);
        if (st == STANCE_OK)
            st = stance_tagger_set_explain(workers[i].tagger, explain, err);
    }
    if (st == STANCE_OK) { /* the signals go to this thread, whose reads they are to stop */
        sigset_t old;
        hold_signals(&old);
        st = stance_pool_new((size_t)nthreads, ctxs, 4 * (size_t)nthreads, work_lines,
                             write_lines, recycle_lines, &js, &js.pool, err);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    if (st == STANCE_OK && nargs == 0)
        st = stance_input_walk_lines("-", in, add_line, &js, err);
    for (int i = 0; st == STANCE_OK && i < nargs; i++)
        st = stance_input_walk_lines(args[i], in, add_line, &js, err);
    if (js.pool) { /* the lines read before a failure count, and one of them may fail first */
        stance_error first;
        stance_status fst = submit_lines(&js, &first);
        if (fst == STANCE_OK)
            fst = stance_pool_finish(js.pool, &first);
        if (fst != STANCE_OK) {
            st = fst;
            *err = first;
        }
    }
    stance_pool_free(js.pool);
    if (js.filling)
        recycle_lines(&js, js.filling);
    while (js.spare) {
        line_job *j = js.spare;
        js.spare = j->next;
        line_job_free(j);
    }
    for (int i = 0; i < nthreads; i++)
        stance_tagger_free(workers[i].tagger);
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
    while (st == STANCE_OK && (c = getopt_long(argc, argv, ":m:j:ho:r0", longopts, NULL)) != -1)
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

/* ---- the run: to standard output, or to the -o file ---- */

typedef struct {
    const stance_model *model;
    const stance_tag_options *opt;
    size_t explain;
    const stance_input_options *in;
    int nthreads;
    char **args;
    int nargs;
    const stance_input_list *list;
    batch *b;
    out_buffer *out;
    single *one;
    sigset_t held; /* the signal mask before the -o file was put in place */
    int holding;
} run;

/* The table header, if any, then the records of every article, into r->out. */
static stance_status tag_all(run *r, stance_error *err)
{
    stance_status st = STANCE_OK;
    if (r->opt->format != STANCE_TAG_JSONL)
        st = table_header(r->model, r->opt, r->out, err);
    /* With a tally (-o, --shard) each article's id is needed in input order as it is read, so
     * JSON Lines are parsed on the main thread there too. */
    if (st == STANCE_OK && r->nthreads > 1 && r->in->jsonl && !r->out->tally)
        return tag_lines_threaded(r->model, r->opt, r->explain, r->in, r->nthreads, r->args,
                                  r->nargs, r->b, r->out, err);
    if (st == STANCE_OK && r->nthreads > 1)
        return tag_threaded(r->model, r->opt, r->explain, r->in, r->nthreads, r->list, r->b,
                            r->out, err);
    if (st == STANCE_OK)
        st = stance_tagger_new(r->model, r->opt, &r->one->tagger, err);
    if (st == STANCE_OK)
        st = stance_tagger_set_explain(r->one->tagger, r->explain, err);
    r->b->tag = tag_article;
    r->b->tag_ctx = r->one;
    if (st == STANCE_OK)
        st = stance_input_list_walk(r->list, r->in, counted, r->b, err);
    return st;
}

/* stance_tally_fill_fn: the run into the -o file's temporary. Once it is all written, the
 * termination signals are held until main has put the file and its manifest in place: a
 * signal leaves either no new file (the old one as it was) or both, whole. */
static stance_status fill_output(void *ctx, int fd, stance_error *err)
{
    run *r = ctx;
    r->out->fd = fd;
    stance_status st = tag_all(r, err);
    if (st == STANCE_OK)
        st = out_flush(r->out, err);
    r->out->len = 0; /* what a failure left is dropped with the temporary */
    r->out->fd = STDOUT_FILENO;
    if (st == STANCE_OK) {
        stage_hold_signals(&r->held);
        r->holding = 1;
        if (caught)
            st = stopped(err);
    }
    return st;
}

/* --shard I/N, or slurm: from the Slurm array task's variables. */
static stance_status parse_shard(const char *spec, stance_shard *shard, stance_error *err)
{
    if (strcmp(spec, "slurm") != 0)
        return stance_shard_parse(spec, shard, err);
    return stance_shard_from_slurm(getenv("SLURM_ARRAY_TASK_ID"), getenv("SLURM_ARRAY_TASK_MIN"),
                                   getenv("SLURM_ARRAY_TASK_MAX"),
                                   getenv("SLURM_ARRAY_TASK_COUNT"),
                                   getenv("SLURM_ARRAY_TASK_STEP"), shard, err);
}

static const char *format_name(stance_tag_format f)
{
    return f == STANCE_TAG_CSV ? "csv" : f == STANCE_TAG_TSV ? "tsv" : "jsonl";
}

/* The options that shape the records, as given (NULL: the default). */
typedef struct {
    const char *unit, *rule, *encoding;
    int jsonl;
    size_t max_bytes;
    long explain;
} shape;

/* Spells out the options that shape the records, in one order whatever the command line's
 * (--threshold in its own), for the -o manifest: stance-merge refuses shards made with other
 * ones. A third pass over the options picks up the thresholds, as read_thresholds does. */
static stance_status describe_options(stance_tally *tally, const shape *sh,
                                      const stance_tag_options *opt, int argc, char **argv,
                                      const struct option *longopts, stance_error *err)
{
    char *text = NULL;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return stance_error_set(err, STANCE_ERR_NOMEM, NULL, 0, "out of memory");
    fprintf(f, "--unit %s --article-rule %s --format %s%s%s --encoding %s --max-article-bytes %zu",
            sh->unit ? sh->unit : "passage", sh->rule ? sh->rule : "any", format_name(opt->format),
            sh->jsonl ? " --jsonl" : "", opt->no_text ? " --no-text" : "",
            sh->encoding ? sh->encoding : "utf-8", sh->max_bytes);
    if (opt->all_scores)
        fputs(" --all-scores", f);
    if (sh->explain)
        fprintf(f, " --explain %ld", sh->explain);
    int end = optind, c;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":m:j:ho:", longopts, NULL)) != -1)
        if (c == 'H')
            fprintf(f, " --threshold %s", optarg);
    optind = end;
    stance_status st = fclose(f) == 0
                           ? stance_tally_set_options(tally, text, err)
                           : stance_error_set(err, STANCE_ERR_NOMEM, NULL, 0, "out of memory");
    free(text);
    return st;
}

/* Whether the articles include standard input: no argument (and no --files-from), or "-".
 * With --files-from - it is the list of paths instead, read before the articles. */
static int reads_stdin(char *const *args, size_t nargs, const char *files_from)
{
    if (files_from && strcmp(files_from, "-") == 0)
        return 0;
    for (size_t i = 0; i < nargs; i++)
        if (strcmp(args[i], "-") == 0)
            return 1;
    return nargs == 0 && !files_from;
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
        {"output", required_argument, NULL, 'o'},   {"shard", required_argument, NULL, 'S'},
        {"no-id-check", no_argument, NULL, 'I'},
        {"recursive", no_argument, NULL, 'r'},      {"glob", required_argument, NULL, 'G'},
        {"files-from", required_argument, NULL, 'L'}, {"null", no_argument, NULL, '0'},
        {"keep-going", no_argument, NULL, 'k'},     {"progress", optional_argument, NULL, 'P'},
        {NULL, 0, NULL, 0},
    };
    stance_input_options in = {.enc = STANCE_ENC_UTF8, .max_bytes = STANCE_ARTICLE_MAX_BYTES,
                              .skipped = skipped_entry};
    stance_tag_options opt = {0};
    const char *model_dir = NULL, *codebook = NULL, *output = NULL, *shard_spec = NULL;
    shape sh = {NULL, NULL, NULL, 0, 0, 0};
    int nthresholds = 0, with_text = 0, article_rule = 0, id_check = 1;
    long nthreads = 1, max_bytes, explain = 0;
    const char *files_from = NULL;
    int nul = 0, keep_going = 0;
    batch b = {0};
    stance_error err;
    stance_error_clear(&err);
    int c;
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":m:j:ho:r0", longopts, NULL)) != -1) {
        switch (c) {
        case 'm': model_dir = optarg; break;
        case 'o': output = optarg; break;
        case 'S': shard_spec = optarg; break;
        case 'B': codebook = optarg; break;
        case 'J': in.jsonl = 1; break;
        case 'T': opt.no_text = 1; break;
        case 'A': opt.all_scores = 1; break;
        case 'H': nthresholds++; break; /* read once the model is loaded: read_thresholds */
        case 'x': with_text = 1; break;
        case 'I': id_check = 0; break;
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
            sh.unit = optarg;
            if (strcmp(optarg, "article") != 0 && strcmp(optarg, "passage") != 0 &&
                strcmp(optarg, "document") != 0)
                return stage_usage_error("--unit is passage, article or document, not '%s'",
                                         optarg);
            opt.article_unit = strcmp(optarg, "passage") != 0;
            opt.rollup = strcmp(optarg, "article") == 0;
            break;
        case 'R':
            sh.rule = optarg;
            if (!parse_article_rule(optarg, &opt.article_share))
                return stage_usage_error("--article-rule is any or share=X with 0 < X <= 1, "
                                         "not '%s'", optarg);
            article_rule = 1;
            break;
        case 'E':
            sh.encoding = optarg;
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
    if (shard_spec && opt.format != STANCE_TAG_JSONL)
        return stage_usage_error("--shard is for JSON Lines output (stance-merge merges them), "
                                 "not --format %s", format_name(opt.format));
    stance_shard shard = {0, 0};
    if (shard_spec && parse_shard(shard_spec, &shard, &err) != STANCE_OK)
        return stage_report(&err);
    struct timespec started; /* temporaries older than this run are stale */
    clock_gettime(CLOCK_REALTIME, &started);
    if (output && (stance_tally_check(output, &err) != STANCE_OK ||
                   stance_tally_remove_stale(output, &started, stage_removed, NULL, &err) != STANCE_OK))
        return stage_report(&err);
    catch_signals();
    stance_model *model = NULL;
    stance_thresholds *th = NULL;
    stance_tally *tally = NULL;
    out_buffer out = {malloc(OUT_BYTES), 0, OUT_BYTES, STDOUT_FILENO, output ? output : "<stdout>",
                      NULL, 0};
    single one = {NULL, &out};
    stance_status st = out.buf ? STANCE_OK
                                    : stance_error_set(&err, STANCE_ERR_NOMEM, "<stdout>", 0, "out of memory");
    if (st == STANCE_OK && (output || shard_spec))
        st = stance_tally_new(&shard, &tally, &err);
    sh.jsonl = in.jsonl;
    sh.max_bytes = in.max_bytes;
    sh.explain = explain;
    if (st == STANCE_OK && tally)
        st = describe_options(tally, &sh, &opt, argc, argv, longopts, &err);
    out.tally = tally;
    if (st == STANCE_OK && id_check) /* else in.seen stays NULL: no check */
        st = stance_idset_new(&in.seen, &err);
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
    /* Standard input, when it holds articles, read in large blocks as the walk reads a JSON
     * Lines file (input.h); without the buffer, stdio's own. Nothing has read it yet. */
    char *inbuf = st == STANCE_OK && reads_stdin(args, nargs, files_from)
                      ? malloc(STANCE_INPUT_READ_BYTES) : NULL;
    if (inbuf && setvbuf(stdin, inbuf, _IOFBF, STANCE_INPUT_READ_BYTES) != 0) {
        free(inbuf);
        inbuf = NULL;
    }
    run r = {model, &opt, (size_t)explain, &in, (int)nthreads, args, (int)nargs, list, &b,
             &out, &one, {{0}}, 0};
    if (st == STANCE_OK && output)
        st = stance_tally_save(tally, output, format_name(opt.format), model_dir, fill_output, &r,
                               &err);
    else if (st == STANCE_OK)
        st = tag_all(&r, &err);
    if (r.holding) /* a signal held meanwhile is caught now */
        stage_release_signals(&r.held);
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
    stance_tally_free(tally); /* after the last write, which it is told of */
    if (ost == STANCE_OK)
        ost = stance_stream_close(stdout, "<stdout>", &out_err);
    if (inbuf) { /* its buffer is freed with it: nothing reads standard input any more */
        fclose(stdin);
        free(inbuf);
    }
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
