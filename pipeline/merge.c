/* merge.c: the shards of a tag run back into one output in input order (merge.h). */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "error_int.h"
#include "outpath_int.h"
#include "sha256_int.h"
#include "shard_int.h"
#include "stance/merge.h"
#include "stance/stream.h"

/* One shard's output being read: its manifest and the line read ahead. */
typedef struct {
    const char *path;
    stance_manifest m;
    FILE *f;
    char *line; /* the next record, or NULL at the end */
    size_t cap, len;
    char *doc;  /* its "doc" */
    long lineno;
    size_t next_empty; /* in m.empty */
} part;

typedef struct {
    part *parts; /* by index: parts[i] is shard i + 1 */
    size_t n;
    stance_manifest out; /* the merged output's manifest */
    size_t empty_cap;
    stance_sha256 sha;
} merger;

/* Reads the part's next record into p->line and its "doc" into p->doc (NULL at the end). */
static stance_status read_record(part *p, stance_error *err)
{
    free(p->doc);
    p->doc = NULL;
    errno = 0;
    char *line = p->line;
    ssize_t k = getline(&line, &p->cap, p->f);
    p->line = line;
    if (k < 0) {
        stance_status st = stance_getline_end(p->f, errno, p->path, p->lineno + 1, err);
        p->len = 0;
        free(p->line);
        p->line = NULL;
        p->cap = 0;
        return st;
    }
    p->len = (size_t)k;
    p->lineno++;
    if (p->line[k - 1] != '\n')
        return stance_fail(err, STANCE_ERR_DATA, p->path, p->lineno,
                           "the last record has no newline (a cut file?)");
    json_t *rec = json_loadb(p->line, p->len, 0, NULL);
    const json_t *doc = json_object_get(rec, "doc");
    int is_record = json_is_string(doc);
    if (is_record)
        p->doc = strdup(json_string_value(doc));
    json_decref(rec);
    if (!is_record)
        return stance_fail(err, STANCE_ERR_DATA, p->path, p->lineno,
                           "not a stance-tag record (a JSON object with \"doc\")");
    return p->doc ? STANCE_OK : stance_fail_nomem(err, p->path);
}

/* The manifests agree: b (from its own file) against a, the first. */
static stance_status same_run(const part *a, const part *b, stance_error *err)
{
    const char *what = NULL;
    if (b->m.shard.count != a->m.shard.count)
        what = "another number of shards";
    else if (strcmp(b->m.stance, a->m.stance) != 0)
        what = "another stance version";
    else if (strcmp(b->m.model_sha256, a->m.model_sha256) != 0)
        what = "another model";
    else if (strcmp(b->m.options, a->m.options) != 0)
        what = "other tag options";
    else if (b->m.articles != a->m.articles ||
             strcmp(b->m.input_sha256, a->m.input_sha256) != 0)
        what = "other input articles";
    if (!what)
        return STANCE_OK;
    return stance_fail(err, STANCE_ERR_DATA, b->path, 0, "made with %s than %s (shard %ld/%ld)",
                       what, a->path, a->m.shard.index, a->m.shard.count);
}

static int compare_index(const void *a, const void *b)
{
    long x = ((const part *)a)->m.shard.index, y = ((const part *)b)->m.shard.index;
    return (x > y) - (x < y);
}

/* The lowest shard index of 1..count that none of the n parts has (sorts them). */
static long first_missing(part *parts, size_t n)
{
    qsort(parts, n, sizeof *parts, compare_index);
    long want = 1;
    for (size_t i = 0; i < n && parts[i].m.shard.index <= want; i++)
        if (parts[i].m.shard.index == want)
            want++;
    return want;
}

/* Loads the manifest of every output and puts the parts in shard order, checking the set. */
static stance_status check_set(merger *mg, const char *const *outputs, size_t n,
                               stance_error *err)
{
    part *loaded = calloc(n, sizeof *loaded);
    if (!loaded)
        return stance_fail_nomem(err, NULL);
    stance_status st = STANCE_OK;
    for (size_t i = 0; st == STANCE_OK && i < n; i++) {
        loaded[i].path = outputs[i];
        st = stance_manifest_load(outputs[i], &loaded[i].m, err);
        if (st == STANCE_OK && loaded[i].m.shard.count == 0)
            st = stance_fail(err, STANCE_ERR_DATA, outputs[i], 0,
                             "is not a shard's output (its manifest has \"shard\": null)");
        if (st == STANCE_OK && !loaded[i].m.has_records)
            st = stance_fail(err, STANCE_ERR_DATA, outputs[i], 0,
                             "is %s output; stance-merge merges JSON Lines", loaded[i].m.output);
        if (st == STANCE_OK && i > 0)
            st = same_run(&loaded[0], &loaded[i], err);
    }
    size_t count = st == STANCE_OK ? (size_t)loaded[0].m.shard.count : 0;
    if (count > n) /* before a slot per shard is made: N comes from a file */
        st = stance_fail(err, STANCE_ERR_DATA, outputs[0], 0,
                         "the set is not complete: shard %ld/%zu is missing",
                         first_missing(loaded, n), count);
    part *parts = st == STANCE_OK ? calloc(count, sizeof *parts) : NULL;
    if (st == STANCE_OK && !parts)
        st = stance_fail_nomem(err, NULL);
    for (size_t i = 0; st == STANCE_OK && i < n; i++) {
        part *slot = &parts[loaded[i].m.shard.index - 1];
        if (slot->path)
            st = stance_fail(err, STANCE_ERR_DATA, loaded[i].path, 0,
                             "shard %ld/%ld given twice: also %s", loaded[i].m.shard.index,
                             loaded[i].m.shard.count, slot->path);
        else {
            *slot = loaded[i];
            memset(&loaded[i], 0, sizeof loaded[i]);
        }
    }
    for (size_t i = 0; st == STANCE_OK && i < count; i++)
        if (!parts[i].path)
            st = stance_fail(err, STANCE_ERR_DATA, outputs[0], 0,
                             "the set is not complete: shard %zu/%zu is missing", i + 1, count);
    for (size_t i = 0; i < n; i++)
        stance_manifest_clear(&loaded[i].m);
    free(loaded);
    mg->parts = parts;
    mg->n = parts ? count : 0;
    return st;
}

/* Each output is the one its manifest describes: same SHA-256 (size included). */
static stance_status check_outputs(merger *mg, stance_error *err)
{
    for (size_t i = 0; i < mg->n; i++) {
        part *p = &mg->parts[i];
        char hex[65];
        stance_status st = stance_sha256_file(p->path, hex, err);
        if (st != STANCE_OK)
            return st;
        if (strcmp(hex, p->m.sha256) != 0)
            return stance_fail(err, STANCE_ERR_DATA, p->path, 0,
                               "does not match its manifest's SHA-256 (cut or changed since "
                               "it was written?)");
        if ((st = stance_stream_open(p->path, "r", &p->f, err)) != STANCE_OK ||
            (st = read_record(p, err)) != STANCE_OK)
            return st;
    }
    return STANCE_OK;
}

static stance_status put_line(merger *mg, FILE *f, const part *p, const char *path,
                              stance_error *err)
{
    if (fwrite(p->line, 1, p->len, f) != p->len)
        return stance_fail_errno(err, errno ? errno : EIO, path, "cannot write");
    stance_sha256_update(&mg->sha, p->line, p->len);
    mg->out.bytes += p->len;
    mg->out.records++;
    return STANCE_OK;
}

/* Writes the records of the article at pos, the next of its shard's. */
static stance_status merge_article(merger *mg, FILE *f, unsigned long long pos, const char *path,
                                   stance_error *err)
{
    part *p = &mg->parts[pos % mg->n];
    if (p->next_empty < p->m.nempty && p->m.empty[p->next_empty] == pos) {
        p->next_empty++;
        return stance_manifest_add_empty(&mg->out, &mg->empty_cap, pos, err);
    }
    if (!p->line)
        return stance_fail(err, STANCE_ERR_DATA, p->path, p->lineno,
                           "ends before the records of the article at position %llu", pos);
    char *doc = p->doc;
    p->doc = NULL; /* kept while the article's lines go out */
    stance_status st = STANCE_OK;
    do {
        st = put_line(mg, f, p, path, err);
        if (st == STANCE_OK)
            st = read_record(p, err);
    } while (st == STANCE_OK && p->line && strcmp(p->doc, doc) == 0);
    free(doc);
    return st;
}

/* stance_outfile_write_fn: the records of every article in input order. */
static stance_status write_merged(FILE *f, void *ctx, const char *path, stance_error *err)
{
    merger *mg = ctx;
    stance_status st = STANCE_OK;
    for (unsigned long long pos = 0; st == STANCE_OK && pos < mg->out.articles; pos++)
        st = merge_article(mg, f, pos, path, err);
    for (size_t i = 0; st == STANCE_OK && i < mg->n; i++) {
        part *p = &mg->parts[i];
        if (p->line)
            st = stance_fail(err, STANCE_ERR_DATA, p->path, p->lineno,
                             "has more records than the articles of its manifest");
        mg->out.skipped += p->m.skipped;
    }
    return st;
}

/* The merged output's manifest: the whole input's, as an unsharded run writes it. */
static stance_status start_manifest(merger *mg, stance_error *err)
{
    const stance_manifest *first = &mg->parts[0].m;
    stance_manifest *m = &mg->out;
    if (!(m->stance = strdup(first->stance)) || !(m->options = strdup(first->options)))
        return stance_fail_nomem(err, NULL);
    memcpy(m->output, first->output, sizeof m->output);
    m->articles = m->shard_articles = first->articles;
    m->has_records = 1;
    memcpy(m->model_sha256, first->model_sha256, sizeof m->model_sha256);
    memcpy(m->input_sha256, first->input_sha256, sizeof m->input_sha256);
    stance_sha256_init(&mg->sha);
    return STANCE_OK;
}

stance_status stance_merge_save(const char *path, const char *const *outputs, size_t n,
                                stance_error *err)
{
    if (n == 0)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "no shard outputs to merge");
    merger mg;
    memset(&mg, 0, sizeof mg);
    stance_status st = check_set(&mg, outputs, n, err);
    if (st == STANCE_OK)
        st = check_outputs(&mg, err);
    if (st == STANCE_OK)
        st = start_manifest(&mg, err);
    if (st == STANCE_OK)
        st = stance_outfile_save(path, &stance_tagged_output_file, write_merged, &mg, err);
    if (st == STANCE_OK) {
        stance_sha256_hex(&mg.sha, mg.out.sha256);
        st = stance_manifest_save(path, &mg.out, err);
    }
    for (size_t i = 0; i < mg.n; i++) {
        part *p = &mg.parts[i];
        if (p->f)
            fclose(p->f);
        free(p->line);
        free(p->doc);
        stance_manifest_clear(&p->m);
    }
    free(mg.parts);
    stance_manifest_clear(&mg.out);
    return st;
}
