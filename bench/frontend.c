/* frontend.c: speed of the front-end (read, passages, tokenize, stop words, stem) in MB/s on
 * ~50 MB of Reuters-21578 text, next to Snowball stemming alone and `wc -w` on the same file. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <libstemmer.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stance/article.h"
#include "stance/stem.h"
#include "stance/tokenize.h"

#define PROG "frontend-bench"
#define RUNS 3                 /* each figure is the median of this many runs */
#define DEFAULT_MB 50
#define MAX_MB 4000            /* word offsets in the Snowball reference are 32-bit */
#define DEFAULT_CORPUS "../../shared/corpora/reuters21578" /* relative to bench/ */
#define TARGET_VS_SNOWBALL 2.0 /* front-end at least 2x Snowball alone */
#define TARGET_WC_RATIO 3.0    /* wc -w at most 3x the front-end */

static const char usage[] =
    "Usage: frontend [--mb N] [RESULTS.md]\n"
    "Measure the stance front-end (article read, passages, tokenize, stop words, stem) in MB/s\n"
    "on the Reuters-21578 texts (train.jsonl + test.jsonl in $CORPUS_DIR, default\n"
    DEFAULT_CORPUS "), repeated into a temporary file of at least N MB (default 50)\n"
    "under $TMPDIR or /tmp. Snowball stemming alone and `wc -w` on the same file are measured\n"
    "as references; each figure is the median of 3 runs. The table goes to stdout and, when\n"
    "RESULTS.md is given, to that file (overwritten, but a final \"## History\" section of\n"
    "hand-written notes is kept).\n"
    "\n"
    "  --mb N       minimum size of the benchmark file in MB (10^6 bytes), 1 to 4000\n"
    "  -h, --help   show this help and exit\n"
    "\n"
    "Exit status: 0 success, 1 bad input data, 2 usage error, 3 I/O or resource failure.\n";

/* Prints "frontend-bench: message" to stderr and returns code, so callers can return it. */
static int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs(PROG ": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

static int fail_stance(const stance_error *err)
{
    char msg[STANCE_ERROR_MSG_MAX + STANCE_ERROR_NAME_MAX + 32];
    stance_error_format(err, msg, sizeof msg);
    return fail(stance_status_get_exit_code(err->status), "%s", msg);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, compare_doubles);
    return v[n / 2];
}

/* ---- the benchmark file ---- */

/* A growing byte buffer. */
typedef struct {
    char *data;
    size_t len, cap;
} buffer;

static int buffer_append(buffer *b, const char *s, size_t n)
{
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : (size_t)1 << 20;
        while (n > cap - b->len)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p)
            return 0;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return 1;
}

/* Appends the "text" field of one JSON line to out, after a blank line if out is not empty. */
static int append_text(const char *line, size_t n, const char *path, long lineno, buffer *out)
{
    if (strspn(line, " \t\r\n") == n)
        return 0;
    json_error_t jerr;
    json_t *rec = json_loadb(line, n, 0, &jerr);
    if (!rec)
        return fail(1, "%s:%ld: %s", path, lineno, jerr.text);
    json_t *text = json_object_get(rec, "text");
    int rc = 0;
    if (!json_is_string(text))
        rc = fail(1, "%s:%ld: record has no \"text\" string", path, lineno);
    else if ((out->len > 0 && !buffer_append(out, "\n\n", 2)) ||
             !buffer_append(out, json_string_value(text), json_string_length(text)))
        rc = fail(3, "%s:%ld: out of memory", path, lineno);
    json_decref(rec);
    return rc;
}

static int append_jsonl_texts(const char *path, buffer *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(3, "cannot open %s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0)
        rc = append_text(line, (size_t)n, path, ++lineno, out);
    if (rc == 0 && ferror(f))
        rc = fail(3, "%s: read failed: %s", path, strerror(errno));
    free(line);
    fclose(f);
    return rc;
}

/* Joins the articles of train.jsonl and test.jsonl in dir, a blank line between two. */
static int load_corpus(const char *dir, buffer *out)
{
    static const char *const files[] = {"train.jsonl", "test.jsonl"};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof files / sizeof files[0]; i++) {
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s", dir, files[i]) >= (int)sizeof path)
            return fail(2, "corpus directory name too long: %s", dir);
        rc = append_jsonl_texts(path, out);
    }
    if (rc == 0 && out->len == 0)
        return fail(1, "%s: no article text in train.jsonl or test.jsonl", dir);
    return rc;
}

/* Writes corpus to the temporary file f again and again, a blank line between copies, until
 * it holds at least min bytes; *size is what was written. */
static int write_repeated(FILE *f, const char *path, const buffer *corpus, size_t min,
                          size_t *size)
{
    size_t n = 0;
    while (n < min) {
        if (n > 0) {
            fwrite("\n\n", 1, 2, f);
            n += 2;
        }
        fwrite(corpus->data, 1, corpus->len, f);
        n += corpus->len;
        if (ferror(f))
            break;
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return fail(3, "cannot write %s: %s", path, strerror(errno));
    *size = n;
    return 0;
}

/* Creates the benchmark file from the template in path (mkstemp rewrites its XXXXXX). */
static int write_bench_file(const buffer *corpus, size_t min, char *path, size_t *size)
{
    int fd = mkstemp(path);
    if (fd < 0)
        return fail(3, "cannot create %s: %s", path, strerror(errno));
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(path);
        return fail(3, "cannot open %s: %s", path, strerror(e));
    }
    int rc = write_repeated(f, path, corpus, min, size);
    if (rc != 0)
        unlink(path);
    return rc;
}

static int temp_template(char *path, size_t size)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    if (snprintf(path, size, "%s/stance-frontend-XXXXXX", dir) >= (int)size)
        return fail(2, "TMPDIR name too long: %s", dir);
    return 0;
}

/* ---- the front-end, through the library API as the tokenize and stem stages use it ---- */

/* What one front-end run saw and how long it took. */
typedef struct {
    size_t passages, tokens, stopwords;
    size_t stem_bytes; /* total length of the stems: keeps the work observable */
    double load_s;     /* stance_article_load: read, UTF-8 check, passages */
    double total_s;    /* load plus tokenize, stop words and stem */
} frontend_run;

/* Tokenizes each passage into the reused toks; stems every token that is not a stop word. */
static stance_status tokenize_and_stem(const stance_article *art, stance_stemmer *st,
                                       stance_tokens *toks, frontend_run *r, stance_error *err)
{
    const char *text = stance_article_get_text(art, NULL);
    r->passages = stance_article_get_passage_count(art);
    for (size_t i = 0; i < r->passages; i++) {
        const stance_passage *p = stance_article_get_passage(art, i);
        stance_status status =
            stance_tokenize_run(text + p->start, p->end - p->start, p->start, toks, err);
        if (status != STANCE_OK)
            return status;
        r->tokens += toks->count;
        for (size_t k = 0; k < toks->count; k++) {
            const char *stem;
            size_t slen;
            int got = stance_stemmer_stem_content(st, stance_tokens_get_text(toks, k),
                                                  toks->items[k].len, &stem, &slen);
            if (got == 0) {
                r->stopwords++;
                continue;
            }
            if (got < 0) {
                err->status = STANCE_ERR_NOMEM;
                snprintf(err->message, sizeof err->message, "out of memory while stemming");
                return STANCE_ERR_NOMEM;
            }
            r->stem_bytes += slen;
        }
    }
    return STANCE_OK;
}

/* One timed run with a fresh stemmer, so its word cache starts empty as in a real stage. */
static int frontend_once(const char *path, frontend_run *r)
{
    stance_error err;
    stance_error_clear(&err);
    stance_stemmer *st = NULL;
    stance_article *art = NULL;
    stance_tokens toks;
    stance_tokens_init(&toks);
    memset(r, 0, sizeof *r);
    stance_status status = stance_stemmer_new("english", &st, &err);
    double t0 = now();
    if (status == STANCE_OK)
        status = stance_article_load(path, STANCE_ENC_UTF8, &art, &err);
    double t1 = now();
    if (status == STANCE_OK)
        status = tokenize_and_stem(art, st, &toks, r, &err);
    double t2 = now();
    r->load_s = t1 - t0;
    r->total_s = t2 - t0;
    stance_tokens_clear(&toks);
    stance_article_free(art);
    stance_stemmer_free(st);
    return status == STANCE_OK ? 0 : fail_stance(&err);
}

/* Median times of RUNS runs; the counts are the last run's (every run must see the same). */
static int measure_frontend(const char *path, frontend_run *med)
{
    double load[RUNS], total[RUNS];
    for (int i = 0; i < RUNS; i++) {
        frontend_run r;
        int rc = frontend_once(path, &r);
        if (rc != 0)
            return rc;
        if (i > 0 && (r.tokens != med->tokens || r.stem_bytes != med->stem_bytes))
            return fail(3, "front-end runs disagree: %zu then %zu tokens", med->tokens, r.tokens);
        *med = r;
        load[i] = r.load_s;
        total[i] = r.total_s;
    }
    med->load_s = median(load, RUNS);
    med->total_s = median(total, RUNS);
    return 0;
}

/* ---- reference 1: Snowball alone on the file's words ---- */

/* A word for the Snowball reference: a slice of words.chars. */
typedef struct {
    uint32_t off, len;
} word_ref;

/* The file's words: runs of ASCII letters and digits and of bytes >= 0x80 (UTF-8 letters
 * stay whole), ASCII lower-cased; everything else separates. */
typedef struct {
    char *chars; /* the file with ASCII letters lower-cased */
    word_ref *refs;
    size_t count;
} words;

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static int read_file(const char *path, size_t size, char **out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(3, "cannot open %s: %s", path, strerror(errno));
    char *b = malloc(size ? size : 1);
    size_t got = b ? fread(b, 1, size, f) : 0;
    int e = errno, bad = ferror(f);
    fclose(f);
    if (!b)
        return fail(3, "%s: out of memory", path);
    if (bad || got != size) {
        free(b);
        return fail(3, "cannot read %s: %s", path, bad ? strerror(e) : "file changed size");
    }
    *out = b;
    return 0;
}

/* Splits the file's text into w (untimed preparation). */
static int split_words(const char *path, size_t size, words *w)
{
    int rc = read_file(path, size, &w->chars);
    if (rc != 0)
        return rc;
    w->refs = malloc((size / 2 + 1) * sizeof *w->refs); /* a word and a separator each */
    if (!w->refs)
        return fail(3, "%s: out of memory", path);
    unsigned char *s = (unsigned char *)w->chars;
    for (size_t i = 0; i < size;) {
        if (s[i] >= 'A' && s[i] <= 'Z')
            s[i] = (unsigned char)(s[i] + 32);
        if (!is_word_byte(s[i])) {
            i++;
            continue;
        }
        size_t start = i;
        for (; i < size; i++) {
            if (s[i] >= 'A' && s[i] <= 'Z')
                s[i] = (unsigned char)(s[i] + 32);
            if (!is_word_byte(s[i]))
                break;
        }
        w->refs[w->count++] = (word_ref){(uint32_t)start, (uint32_t)(i - start)};
    }
    return 0;
}

static void words_free(words *w)
{
    free(w->chars);
    free(w->refs);
}

/* One timed pass of sb_stemmer_stem over every word, no cache; *bytes sums the stem lengths. */
static int snowball_once(const words *w, double *secs, size_t *bytes)
{
    struct sb_stemmer *sb = sb_stemmer_new("english", NULL);
    if (!sb)
        return fail(3, "cannot create the english Snowball stemmer");
    size_t total = 0;
    double t0 = now();
    for (size_t i = 0; i < w->count; i++) {
        const sb_symbol *word = (const sb_symbol *)w->chars + w->refs[i].off;
        if (!sb_stemmer_stem(sb, word, (int)w->refs[i].len)) {
            sb_stemmer_delete(sb);
            return fail(3, "sb_stemmer_stem: out of memory");
        }
        total += (size_t)sb_stemmer_length(sb);
    }
    *secs = now() - t0;
    *bytes = total;
    sb_stemmer_delete(sb);
    return 0;
}

static int measure_snowball(const words *w, double *secs, size_t *bytes)
{
    double t[RUNS];
    for (int i = 0; i < RUNS; i++) {
        int rc = snowball_once(w, &t[i], bytes);
        if (rc != 0)
            return rc;
    }
    *secs = median(t, RUNS);
    return 0;
}

/* ---- reference 2: wc -w ---- */

/* Reads the child's output (a few bytes) into buf, NUL-terminated. */
static void read_pipe(int fd, char *buf, size_t size)
{
    size_t n = 0;
    for (;;) {
        char tmp[256];
        ssize_t k = read(fd, tmp, sizeof tmp);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        size_t take = (size_t)k < size - 1 - n ? (size_t)k : size - 1 - n;
        memcpy(buf + n, tmp, take);
        n += take;
    }
    buf[n] = '\0';
}

/* Runs `wc -w path` with its stdout on a pipe; the time covers fork to reaping the child. */
static int wc_once(const char *path, double *secs, unsigned long long *count)
{
    int fds[2];
    if (pipe(fds) != 0)
        return fail(3, "pipe: %s", strerror(errno));
    fflush(NULL);
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        return fail(3, "fork: %s", strerror(e));
    }
    if (pid == 0) {
        close(fds[0]);
        if (dup2(fds[1], STDOUT_FILENO) >= 0)
            execlp("wc", "wc", "-w", path, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char out[256];
    read_pipe(fds[0], out, sizeof out);
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return fail(3, "waitpid: %s", strerror(errno));
    *secs = now() - t0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fail(3, "wc -w %s failed (wait status %d)", path, status);
    char *end;
    errno = 0;
    *count = strtoull(out, &end, 10);
    if (errno != 0 || end == out || (*end != ' ' && *end != '\n'))
        return fail(3, "cannot parse wc -w output: %s", out);
    return 0;
}

static int measure_wc(const char *path, double *secs, unsigned long long *count)
{
    double t[RUNS];
    for (int i = 0; i < RUNS; i++) {
        int rc = wc_once(path, &t[i], count);
        if (rc != 0)
            return rc;
    }
    *secs = median(t, RUNS);
    return 0;
}

/* ---- report ---- */

/* Every figure of one benchmark run (times are medians). */
typedef struct {
    size_t bytes; /* size of the benchmark file */
    frontend_run fe;
    double snowball_s;
    size_t snowball_words, snowball_stem_bytes;
    double wc_s;
    unsigned long long wc_words;
} results;

static double mb_per_s(size_t bytes, double secs)
{
    return secs > 0 ? (double)bytes / 1e6 / secs : 0.0;
}

static const char *verdict(int met)
{
    return met ? "met" : "MISSED";
}

/* The figures as a Markdown table, shared by stdout and the results file. */
static void print_table(FILE *f, const results *r)
{
    double fe = mb_per_s(r->bytes, r->fe.total_s), sb = mb_per_s(r->bytes, r->snowball_s);
    double wc = mb_per_s(r->bytes, r->wc_s);
    double fe_sb = sb > 0 ? fe / sb : 0.0, wc_fe = fe > 0 ? wc / fe : 0.0;
    fprintf(f, "| path | MB/s | median s | words seen |\n|---|---:|---:|---:|\n");
    fprintf(f, "| front-end (read, passages, tokenize, stop words, stem) | %.1f | %.3f | %zu tokens |\n",
            fe, r->fe.total_s, r->fe.tokens);
    fprintf(f, "| &nbsp;&nbsp;of which read + UTF-8 check + passages | %.1f | %.3f | %zu passages |\n",
            mb_per_s(r->bytes, r->fe.load_s), r->fe.load_s, r->fe.passages);
    fprintf(f, "| &nbsp;&nbsp;of which tokenize + stop words + stem | %.1f | %.3f | %zu stop words |\n",
            mb_per_s(r->bytes, r->fe.total_s - r->fe.load_s), r->fe.total_s - r->fe.load_s,
            r->fe.stopwords);
    fprintf(f, "| Snowball alone (sb_stemmer_stem, every word, no cache) | %.1f | %.3f | %zu words |\n",
            sb, r->snowball_s, r->snowball_words);
    fprintf(f, "| wc -w | %.1f | %.3f | %llu words |\n\n", wc, r->wc_s, r->wc_words);
    fprintf(f, "| ratio | value | target | |\n|---|---:|---|---|\n");
    fprintf(f, "| front-end / Snowball alone | %.2f | >= %.1f | %s |\n", fe_sb, TARGET_VS_SNOWBALL,
            verdict(fe_sb >= TARGET_VS_SNOWBALL));
    fprintf(f, "| wc -w / front-end | %.2f | <= %.1f | %s |\n", wc_fe, TARGET_WC_RATIO,
            verdict(wc_fe <= TARGET_WC_RATIO));
}

/* First "model name" in /proc/cpuinfo, or "unknown". */
static void cpu_model(char *out, size_t size)
{
    snprintf(out, size, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        const char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            colon += strspn(colon + 1, " \t") + 1;
            snprintf(out, size, "%.*s", (int)strcspn(colon, "\n"), colon);
            break;
        }
    }
    fclose(f);
}

static void print_header(FILE *f, const results *r, const char *corpus)
{
    char cpu[256], date[64];
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", &tm))
        snprintf(date, sizeof date, "unknown");
    cpu_model(cpu, sizeof cpu);
    const char *lc = getenv("LC_ALL");
    if (!lc || !*lc)
        lc = getenv("LC_CTYPE");
    if (!lc || !*lc)
        lc = getenv("LANG");
    fprintf(f, "- date: %s\n- machine: %ld CPUs (nproc), %s\n", date,
            sysconf(_SC_NPROCESSORS_ONLN), cpu);
    fprintf(f, "- input: %s/{train,test}.jsonl \"text\" fields, joined by blank lines and repeated "
               "to %zu bytes (%.1f MB)\n", corpus, r->bytes, (double)r->bytes / 1e6);
    fprintf(f, "- each time is the median of %d runs; MB/s is file bytes / 10^6 / seconds; "
               "locale for wc: %s\n\n", RUNS, lc && *lc ? lc : "C (unset)");
}

#define HISTORY_HEADING "## History"

/* The hand-written "## History" section of the results file at path, to the end of the file,
 * so a rewrite keeps it. Sets *history to NULL when there is none; caller frees. */
static int read_history(const char *path, char **history)
{
    *history = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? 0 : fail(3, "cannot open %s: %s", path, strerror(errno));
    buffer b = {NULL, 0, 0};
    char chunk[4096];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (!buffer_append(&b, chunk, n))
            rc = fail(3, "%s: out of memory", path);
    if (rc == 0 && ferror(f))
        rc = fail(3, "cannot read %s: %s", path, strerror(errno));
    fclose(f);
    if (rc == 0 && !buffer_append(&b, "", 1))
        rc = fail(3, "%s: out of memory", path);
    if (rc != 0) {
        free(b.data);
        return rc;
    }
    for (const char *p = b.data; (p = strstr(p, HISTORY_HEADING)) != NULL; p++) {
        if (p == b.data || p[-1] == '\n') {
            size_t len = b.len - 1 - (size_t)(p - b.data);
            memmove(b.data, p, len + 1);
            *history = b.data;
            return 0;
        }
    }
    free(b.data);
    return 0;
}

static int write_results(const char *path, const results *r, const char *corpus)
{
    char *history;
    int rc = read_history(path, &history);
    if (rc != 0)
        return rc;
    FILE *f = fopen(path, "w");
    if (!f) {
        free(history);
        return fail(3, "cannot open %s: %s", path, strerror(errno));
    }
    fprintf(f, "# Front-end speed (bench/frontend.c)\n\n"
               "Written by `make bench`; overwritten on each run, except the "
               "\"" HISTORY_HEADING "\" section at the end, which is kept.\n\n");
    print_header(f, r, corpus);
    print_table(f, r);
    fprintf(f, "\nThe front-end stems only tokens that are not stop words, as stance-stem does; "
               "Snowball alone stems every word. Token and word counts differ by definition "
               "(the tokenizer keeps \"1,500\" and \"u.s\" whole and drops \"'s\"; wc splits on "
               "white space only).\n");
    if (history)
        fprintf(f, "\n%s", history);
    free(history);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return fail(3, "cannot write %s: %s", path, strerror(errno));
    return 0;
}

/* ---- main ---- */

static int parse_mb(const char *arg, long *mb)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno != 0 || end == arg || *end != '\0' || v < 1 || v > MAX_MB)
        return fail(2, "--mb: expected a whole number from 1 to %d, got '%s'", MAX_MB, arg);
    *mb = v;
    return 0;
}

static int run_all(const char *corpus_dir, const char *bench_file, results *r, words *w)
{
    int rc = measure_frontend(bench_file, &r->fe);
    if (rc == 0)
        rc = split_words(bench_file, r->bytes, w);
    if (rc == 0) {
        r->snowball_words = w->count;
        rc = measure_snowball(w, &r->snowball_s, &r->snowball_stem_bytes);
    }
    if (rc == 0)
        rc = measure_wc(bench_file, &r->wc_s, &r->wc_words);
    if (rc == 0) {
        print_header(stdout, r, corpus_dir);
        print_table(stdout, r);
    }
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"mb", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    long mb = DEFAULT_MB;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (parse_mb(optarg, &mb) != 0)
                return 2;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default:
            fputs("Try 'frontend --help' for more information.\n", stderr);
            return 2;
        }
    }
    if (argc - optind > 1) {
        fputs(PROG ": too many arguments\nTry 'frontend --help' for more information.\n", stderr);
        return 2;
    }
    const char *results_path = optind < argc ? argv[optind] : NULL;
    const char *corpus_dir = getenv("CORPUS_DIR");
    if (!corpus_dir || !*corpus_dir)
        corpus_dir = DEFAULT_CORPUS;

    buffer corpus = {NULL, 0, 0};
    words w = {NULL, NULL, 0};
    results r;
    memset(&r, 0, sizeof r);
    char bench_file[4096];
    int have_file = 0;
    int rc = temp_template(bench_file, sizeof bench_file);
    if (rc == 0)
        rc = load_corpus(corpus_dir, &corpus);
    if (rc == 0)
        rc = write_bench_file(&corpus, (size_t)mb * 1000000, bench_file, &r.bytes);
    have_file = rc == 0;
    free(corpus.data);
    if (rc == 0)
        rc = run_all(corpus_dir, bench_file, &r, &w);
    if (rc == 0 && results_path)
        rc = write_results(results_path, &r, corpus_dir);
    words_free(&w);
    if (have_file && unlink(bench_file) != 0 && rc == 0)
        rc = fail(3, "cannot remove %s: %s", bench_file, strerror(errno));
    if (fflush(stdout) != 0 || ferror(stdout))
        rc = rc ? rc : fail(3, "cannot write to stdout: %s", strerror(errno));
    return rc;
}
