/* shard.c: shard specs (I/N, Slurm array tasks), the tally of a tag run, and the manifest beside
 * a tagged output (shard.h, shard_int.h). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error_int.h"
#include "grow_int.h"
#include "outpath_int.h"
#include "regfile_int.h"
#include "sha256_int.h"
#include "shard_int.h"
#include "stance/shard.h"
#include "stance/version.h"

#define SHARD_MAX 1000000L

/* ---- shard specs ---- */

/* s as a whole decimal number (optional sign) into *out; 0 if it is not one. */
static int parse_number(const char *s, long *out)
{
    if (!s || !*s || isspace((unsigned char)*s)) /* strtol would skip it */
        return 0;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end)
        return 0;
    *out = v;
    return 1;
}

stance_status stance_shard_parse(const char *spec, stance_shard *shard, stance_error *err)
{
    const char *slash = strchr(spec, '/');
    char first[32];
    long i, n;
    size_t len = slash ? (size_t)(slash - spec) : 0;
    if (!slash || len == 0 || len >= sizeof first)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "--shard is I/N (1 <= I <= N) or slurm, not '%s'", spec);
    memcpy(first, spec, len);
    first[len] = '\0';
    if (!parse_number(first, &i) || !parse_number(slash + 1, &n) || n < 1 || n > SHARD_MAX ||
        i < 1 || i > n)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "--shard is I/N with 1 <= I <= N <= %ld, or slurm, not '%s'",
                           SHARD_MAX, spec);
    shard->index = i;
    shard->count = n;
    return STANCE_OK;
}

/* One SLURM_ARRAY_TASK_<name> variable's value as a number >= 0 into *out. */
static stance_status slurm_number(const char *name, const char *value, long *out,
                                  stance_error *err)
{
    if (!value)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "--shard slurm: SLURM_ARRAY_TASK_%s is not set (not a job array "
                           "task?)", name);
    if (!parse_number(value, out) || *out < 0)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "--shard slurm: SLURM_ARRAY_TASK_%s is not a number >= 0: '%s'",
                           name, value);
    return STANCE_OK;
}

stance_status stance_shard_from_slurm(const char *id, const char *min, const char *max,
                                      const char *count, const char *step, stance_shard *shard,
                                      stance_error *err)
{
    long vid, vmin, vmax = -1, vcount = -1, vstep = 1;
    stance_status st = slurm_number("ID", id, &vid, err);
    if (st == STANCE_OK)
        st = slurm_number("MIN", min, &vmin, err);
    if (st == STANCE_OK && max)
        st = slurm_number("MAX", max, &vmax, err);
    if (st == STANCE_OK && count)
        st = slurm_number("COUNT", count, &vcount, err);
    if (st == STANCE_OK && step)
        st = slurm_number("STEP", step, &vstep, err);
    if (st == STANCE_OK && !max && !count)
        st = slurm_number("MAX", max, &vmax, err); /* neither: name the first one */
    if (st != STANCE_OK)
        return st;
    if (vstep != 1)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "--shard slurm: SLURM_ARRAY_TASK_STEP is %ld: the array's ids must "
                           "be consecutive (e.g. --array=0-9, not 0-9:%ld)", vstep, vstep);
    long n = max ? vmax - vmin + 1 : vcount;
    if (max && vmax < vmin)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "--shard slurm: SLURM_ARRAY_TASK_MAX (%ld) is below _MIN (%ld)", vmax,
                           vmin);
    if (max && count && vcount != n)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "--shard slurm: SLURM_ARRAY_TASK_COUNT is %ld but _MIN.._MAX is "
                           "%ld..%ld: the array's ids must be consecutive",
                           vcount, vmin, vmax);
    if (n < 1 || n > SHARD_MAX || vid < vmin || vid - vmin >= n)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "--shard slurm: SLURM_ARRAY_TASK_ID %ld is not one of %ld task ids "
                           "from %ld (at most %ld)", vid, n, vmin, SHARD_MAX);
    shard->index = vid - vmin + 1;
    shard->count = n;
    return STANCE_OK;
}

unsigned long long stance_shard_size(const stance_shard *shard, unsigned long long articles)
{
    if (shard->count <= 0)
        return articles;
    unsigned long long n = (unsigned long long)shard->count, i = (unsigned long long)shard->index;
    return articles / n + (articles % n >= i);
}

int stance_shard_holds(const stance_shard *shard, unsigned long long pos)
{
    return shard->count <= 0 ||
           pos % (unsigned long long)shard->count == (unsigned long long)shard->index - 1;
}

/* ---- the tally ---- */

struct stance_tally {
    stance_manifest m; /* filled as the run goes, finished by save */
    size_t empty_cap;
    stance_sha256 input, output;
};

stance_status stance_tally_new(const stance_shard *shard, stance_tally **out, stance_error *err)
{
    stance_tally *t = calloc(1, sizeof *t);
    if (!t)
        return stance_fail_nomem(err, NULL);
    if (shard && shard->count > 0)
        t->m.shard = *shard;
    stance_sha256_init(&t->input);
    stance_sha256_init(&t->output);
    *out = t;
    return STANCE_OK;
}

void stance_tally_free(stance_tally *t)
{
    if (!t)
        return;
    stance_manifest_clear(&t->m);
    free(t);
}

stance_status stance_tally_set_options(stance_tally *t, const char *options, stance_error *err)
{
    char *copy = strdup(options);
    if (!copy)
        return stance_fail_nomem(err, NULL);
    free(t->m.options);
    t->m.options = copy;
    return STANCE_OK;
}

int stance_tally_take(stance_tally *t, const char *doc, unsigned long long *pos)
{
    char len[32];
    size_t n = strlen(doc);
    int k = snprintf(len, sizeof len, "%zu:", n);
    stance_sha256_update(&t->input, len, (size_t)k);
    stance_sha256_update(&t->input, doc, n);
    *pos = t->m.articles++;
    if (!stance_shard_holds(&t->m.shard, *pos))
        return 0;
    t->m.shard_articles++;
    return 1;
}

stance_status stance_tally_empty(stance_tally *t, unsigned long long pos, stance_error *err)
{
    return stance_manifest_add_empty(&t->m, &t->empty_cap, pos, err);
}

void stance_tally_output(stance_tally *t, const char *bytes, size_t len)
{
    stance_sha256_update(&t->output, bytes, len);
    t->m.bytes += len;
    for (const char *p = bytes, *end = bytes + len; (p = memchr(p, '\n', (size_t)(end - p)));
         p++)
        t->m.records++;
}

const stance_outfile_kind stance_tagged_output_file = {"tagged output", NULL};
static const stance_outfile_kind manifest_file = {"manifest", NULL};

stance_status stance_tally_check(const char *path, stance_error *err)
{
    char *mpath = stance_manifest_path(path);
    if (!mpath)
        return stance_fail_nomem(err, path);
    stance_status st = stance_outfile_check(path, &stance_tagged_output_file, err);
    if (st == STANCE_OK)
        st = stance_outfile_check(mpath, &manifest_file, err);
    free(mpath);
    return st;
}

stance_status stance_tally_remove_stale(const char *path, const struct timespec *since,
                                        stance_removed_fn removed, void *ctx, stance_error *err)
{
    char *mpath = stance_manifest_path(path);
    if (!mpath)
        return stance_fail_nomem(err, path);
    stance_status st = stance_outfile_remove_stale(path, &stance_tagged_output_file, since,
                                                   removed, ctx, err);
    if (st == STANCE_OK)
        st = stance_outfile_remove_stale(mpath, &manifest_file, since, removed, ctx, err);
    free(mpath);
    return st;
}

typedef struct {
    stance_tally_fill_fn fill;
    void *ctx;
} fill_call;

/* stance_outfile_write_fn: the caller writes to the descriptor under the stream f. */
static stance_status fill_output(FILE *f, void *ctx, const char *path, stance_error *err)
{
    fill_call *c = ctx;
    if (fflush(f) != 0)
        return stance_fail_errno(err, errno, path, "cannot write");
    return c->fill(c->ctx, fileno(f), err);
}

stance_status stance_tally_save(stance_tally *t, const char *path, const char *output,
                                const char *model_dir, stance_tally_fill_fn fill, void *ctx,
                                stance_error *err)
{
    stance_manifest *m = &t->m;
    snprintf(m->output, sizeof m->output, "%s", output);
    m->has_records = strcmp(output, "jsonl") == 0;
    free(m->stance);
    if (!(m->stance = strdup(STANCE_VERSION)) || (!m->options && !(m->options = strdup(""))))
        return stance_fail_nomem(err, path);
    stance_status st = stance_model_manifest_sha256(model_dir, m->model_sha256, err);
    fill_call c = {fill, ctx};
    if (st == STANCE_OK)
        st = stance_outfile_save(path, &stance_tagged_output_file, fill_output, &c, err);
    if (st != STANCE_OK)
        return st;
    stance_sha256_hex(&t->output, m->sha256);
    stance_sha256_hex(&t->input, m->input_sha256);
    if (!m->has_records)
        m->records = 0;
    return stance_manifest_save(path, m, err);
}

/* ---- the manifest ---- */

char *stance_manifest_path(const char *path)
{
    size_t n = strlen(path);
    char *s = malloc(n + sizeof STANCE_MANIFEST_SUFFIX);
    if (s) {
        memcpy(s, path, n);
        memcpy(s + n, STANCE_MANIFEST_SUFFIX, sizeof STANCE_MANIFEST_SUFFIX);
    }
    return s;
}

void stance_manifest_clear(stance_manifest *m)
{
    free(m->stance);
    free(m->options);
    free(m->empty);
    memset(m, 0, sizeof *m);
}

stance_status stance_manifest_add_empty(stance_manifest *m, size_t *cap, unsigned long long pos,
                                        stance_error *err)
{
    unsigned long long *e = stance_grow(m->empty, cap, m->nempty, 1, sizeof *e);
    if (!e)
        return stance_fail_nomem(err, NULL);
    m->empty = e;
    e[m->nempty++] = pos;
    return STANCE_OK;
}

stance_status stance_model_manifest_sha256(const char *model_dir, char hex[65], stance_error *err)
{
    size_t n = strlen(model_dir);
    char *p = malloc(n + sizeof "/manifest.json");
    if (!p)
        return stance_fail_nomem(err, model_dir);
    memcpy(p, model_dir, n);
    memcpy(p + n, "/manifest.json", sizeof "/manifest.json");
    stance_status st = stance_sha256_file(p, hex, err);
    free(p);
    return st;
}

/* Sets key to value in obj (taking value); 0 if value is NULL or on no memory. */
static int put(json_t *obj, const char *key, json_t *value)
{
    return value && json_object_set_new(obj, key, value) == 0;
}

static json_t *count_json(unsigned long long n)
{
    return json_integer((json_int_t)n);
}

static json_t *manifest_json(const stance_manifest *m)
{
    json_t *o = json_object(), *shard = json_null(), *empty = json_array();
    if (m->shard.count > 0) {
        json_decref(shard);
        shard = json_pack("{s:I,s:I}", "index", (json_int_t)m->shard.index, "count",
                          (json_int_t)m->shard.count);
    }
    int ok = o && shard && empty;
    for (size_t i = 0; ok && i < m->nempty; i++)
        ok = json_array_append_new(empty, count_json(m->empty[i])) == 0;
    ok = ok && put(o, "format", json_string("stance-tag-output")) &&
         put(o, "version", json_integer(1)) && put(o, "stance", json_string(m->stance)) &&
         put(o, "output", json_string(m->output)) && put(o, "options", json_string(m->options)) &&
         put(o, "shard", json_incref(shard)) &&
         put(o, "articles", count_json(m->articles)) &&
         put(o, "shard_articles", count_json(m->shard_articles)) &&
         put(o, "skipped", count_json(m->skipped)) &&
         put(o, "records", m->has_records ? count_json(m->records) : json_null()) &&
         put(o, "bytes", count_json(m->bytes)) && put(o, "sha256", json_string(m->sha256)) &&
         put(o, "model_sha256", json_string(m->model_sha256)) &&
         put(o, "input_sha256", json_string(m->input_sha256)) &&
         put(o, "empty", json_incref(empty));
    json_decref(shard);
    json_decref(empty);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* stance_outfile_write_fn for a manifest: ctx is its JSON object. */
static stance_status write_manifest(FILE *f, void *ctx, const char *path, stance_error *err)
{
    if (json_dumpf(ctx, f, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 || fputc('\n', f) == EOF)
        return stance_fail_errno(err, errno ? errno : EIO, path, "cannot write");
    return STANCE_OK;
}

stance_status stance_manifest_save(const char *path, const stance_manifest *m, stance_error *err)
{
    char *mpath = stance_manifest_path(path);
    json_t *o = mpath ? manifest_json(m) : NULL;
    stance_status st = o ? stance_outfile_save(mpath, &manifest_file, write_manifest, o, err)
                         : stance_fail_nomem(err, path);
    json_decref(o);
    free(mpath);
    return st;
}

/* A count field: an integer >= 0. */
static int get_count(const json_t *o, const char *key, unsigned long long *out)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return 0;
    *out = (unsigned long long)json_integer_value(v);
    return 1;
}

/* A hash field: 64 lower-case hex digits. */
static int get_hash(const json_t *o, const char *key, char hex[65])
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_string(v) || json_string_length(v) != 64)
        return 0;
    const char *s = json_string_value(v);
    if (strspn(s, "0123456789abcdef") != 64)
        return 0;
    memcpy(hex, s, 65);
    return 1;
}

/* The "shard" field: null or {"index": I, "count": N} with 1 <= I <= N. */
static int get_shard(const json_t *o, stance_shard *shard)
{
    const json_t *v = json_object_get(o, "shard");
    if (json_is_null(v)) {
        shard->index = shard->count = 0;
        return 1;
    }
    const json_t *i = json_object_get(v, "index"), *n = json_object_get(v, "count");
    if (!json_is_object(v) || !json_is_integer(i) || !json_is_integer(n) ||
        json_integer_value(n) < 1 || json_integer_value(n) > SHARD_MAX ||
        json_integer_value(i) < 1 || json_integer_value(i) > json_integer_value(n))
        return 0;
    shard->index = (long)json_integer_value(i);
    shard->count = (long)json_integer_value(n);
    return 1;
}

/* The "empty" list: increasing positions of the shard, below articles. NULL when good, else
 * what is wrong with it. */
static const char *get_empty(const json_t *o, stance_manifest *m, stance_error *err,
                             stance_status *st)
{
    const json_t *v = json_object_get(o, "empty");
    if (!json_is_array(v))
        return "\"empty\" is not an array";
    size_t cap = 0;
    for (size_t i = 0; i < json_array_size(v); i++) {
        const json_t *e = json_array_get(v, i);
        if (!json_is_integer(e) || json_integer_value(e) < 0)
            return "\"empty\" holds something that is not a position";
        unsigned long long pos = (unsigned long long)json_integer_value(e);
        if (pos >= m->articles || !stance_shard_holds(&m->shard, pos) ||
            (m->nempty && pos <= m->empty[m->nempty - 1]))
            return "\"empty\" holds a position that is not the shard's, or out of order";
        if ((*st = stance_manifest_add_empty(m, &cap, pos, err)) != STANCE_OK)
            return NULL;
    }
    return NULL;
}

/* Fills m from the object o; NULL when every field is good, else what is wrong. */
static const char *manifest_fields(const json_t *o, stance_manifest *m, stance_error *err,
                                   stance_status *st)
{
    const json_t *format = json_object_get(o, "format"), *version = json_object_get(o, "version");
    const json_t *stance = json_object_get(o, "stance"), *output = json_object_get(o, "output");
    const json_t *records = json_object_get(o, "records"), *options = json_object_get(o, "options");
    if (!json_is_string(format) || strcmp(json_string_value(format), "stance-tag-output") != 0)
        return "not a stance-tag output manifest (\"format\" is not \"stance-tag-output\")";
    if (!json_is_integer(version) || json_integer_value(version) != 1)
        return "\"version\" is not 1";
    if (!json_is_string(stance) || json_string_length(stance) == 0 ||
        json_string_length(stance) > 64 ||
        strlen(json_string_value(stance)) != json_string_length(stance))
        return "\"stance\" is not a version string";
    if (!json_is_string(output) ||
        (strcmp(json_string_value(output), "jsonl") != 0 &&
         strcmp(json_string_value(output), "csv") != 0 &&
         strcmp(json_string_value(output), "tsv") != 0))
        return "\"output\" is not jsonl, csv or tsv";
    snprintf(m->output, sizeof m->output, "%s", json_string_value(output));
    if (!json_is_string(options) || json_string_length(options) > STANCE_MANIFEST_OPTIONS_MAX ||
        strlen(json_string_value(options)) != json_string_length(options))
        return "\"options\" is not a string of options";
    if (!get_shard(o, &m->shard))
        return "\"shard\" is not null or {\"index\": I, \"count\": N} with 1 <= I <= N";
    if (!get_count(o, "articles", &m->articles) ||
        !get_count(o, "shard_articles", &m->shard_articles) ||
        !get_count(o, "skipped", &m->skipped) || !get_count(o, "bytes", &m->bytes))
        return "\"articles\", \"shard_articles\", \"skipped\" and \"bytes\" must be counts";
    if (m->shard_articles != stance_shard_size(&m->shard, m->articles))
        return "\"shard_articles\" is not the shard's share of \"articles\"";
    m->has_records = strcmp(m->output, "jsonl") == 0;
    if (m->has_records ? !get_count(o, "records", &m->records) : !json_is_null(records))
        return "\"records\" must be a count for jsonl output and null for csv or tsv";
    if (!get_hash(o, "sha256", m->sha256) || !get_hash(o, "model_sha256", m->model_sha256) ||
        !get_hash(o, "input_sha256", m->input_sha256))
        return "\"sha256\", \"model_sha256\" and \"input_sha256\" must be 64 hex digits";
    const char *why = get_empty(o, m, err, st);
    if (why || *st != STANCE_OK)
        return why;
    if (m->skipped > m->nempty)
        return "\"skipped\" is more than the \"empty\" articles";
    if (!(m->stance = strdup(json_string_value(stance))) ||
        !(m->options = strdup(json_string_value(options))))
        *st = stance_fail_nomem(err, NULL);
    return NULL;
}

stance_status stance_manifest_parse(const char *text, size_t len, const char *where,
                                    stance_manifest *m, stance_error *err)
{
    memset(m, 0, sizeof *m);
    json_error_t jerr;
    json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!o)
        return stance_fail(err, STANCE_ERR_DATA, where, jerr.line > 0 ? jerr.line : 0,
                           "not a manifest: %s", jerr.text);
    stance_status st = STANCE_OK;
    const char *why = json_is_object(o) ? manifest_fields(o, m, err, &st)
                                        : "not a manifest: not a JSON object";
    json_decref(o);
    if (why)
        st = stance_fail(err, STANCE_ERR_DATA, where, 0, "%s", why);
    else if (st == STANCE_ERR_NOMEM)
        stance_fail_nomem(err, where);
    if (st != STANCE_OK)
        stance_manifest_clear(m);
    return st;
}

stance_status stance_manifest_load(const char *path, stance_manifest *m, stance_error *err)
{
    memset(m, 0, sizeof *m);
    char *mpath = stance_manifest_path(path), *text = NULL;
    size_t len;
    if (!mpath)
        return stance_fail_nomem(err, path);
    stance_status st = stance_regfile_read(AT_FDCWD, mpath, mpath, 0, STANCE_MANIFEST_MAX_BYTES,
                                           "bytes a manifest may have", &text, &len, err);
    if (st == STANCE_OK)
        st = stance_manifest_parse(text, len, mpath, m, err);
    free(text);
    free(mpath);
    return st;
}
