/* input.c: command-line arguments to articles: files, directories, stdin, JSON Lines. */
#include "stance/input.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error_int.h"
#include "grow_int.h"
#include "idset_int.h"
#include "jsonl_int.h"
#include "record_int.h"
#include "stance/jsonl.h"
#include "stance/record.h"
#include "stance/stream.h"

static size_t max_bytes(const stance_input_options *opt)
{
    return opt->max_bytes ? opt->max_bytes : STANCE_ARTICLE_MAX_BYTES;
}

/* With opt->failed (keep going), an input that cannot be read is reported there and skipped;
 * running out of memory still stops the walk. */
static stance_status skip_or_fail(const stance_input_options *opt, stance_status st,
                                  stance_error *err)
{
    if (st == STANCE_OK || !opt->failed || st == STANCE_ERR_NOMEM)
        return st;
    opt->failed(opt->failed_ctx, err);
    stance_error_clear(err);
    return STANCE_OK;
}

static stance_status walk_text(FILE *f, const char *name, const char *doc,
                               const stance_input_options *opt, stance_article_fn fn, void *ctx,
                               stance_error *err)
{
    stance_article *art = NULL;
    stance_status st = stance_article_read(f, name, opt->enc, max_bytes(opt), &art, err);
    if (st != STANCE_OK)
        return skip_or_fail(opt, st, err);
    st = stance_input_add_id(opt, doc, name, 0, err);
    if (st == STANCE_OK)
        st = fn(ctx, art, doc, NULL, name, 0, err);
    stance_article_free(art);
    return st;
}

/* A JSON Lines record's article (the object of line `line` of where): its "text", with every
 * check stance_input_walk makes of it. */
static stance_status jsonl_article(const json_t *obj, const char *where, long line,
                                   const stance_input_options *opt, stance_article **art,
                                   stance_error *err)
{
    const char *text;
    size_t len;
    *art = NULL;
    stance_status st = stance_json_get_string(obj, "text", where, line, &text, &len, err);
    if (st == STANCE_OK && len > max_bytes(opt))
        st = stance_fail(err, STANCE_ERR_DATA, where, line, "\"text\" is larger than the limit of "
                         "%zu bytes for an article (--max-article-bytes raises it)", max_bytes(opt));
    if (st == STANCE_OK)
        st = stance_article_from_bytes(text, len, where, line, STANCE_ENC_UTF8, art, err);
    return st;
}

static stance_status walk_jsonl_record(const json_t *obj, const char *name, long line,
                                       const stance_input_options *opt, stance_article_fn fn,
                                       void *ctx, stance_error *err)
{
    const char *doc;
    char idbuf[32];
    stance_status st = stance_json_get_id(obj, name, line, idbuf, sizeof idbuf, &doc, err);
    if (st == STANCE_OK)
        st = stance_input_add_id(opt, doc, name, line, err);
    if (st != STANCE_OK)
        return st;
    stance_article *art;
    st = jsonl_article(obj, name, line, opt, &art, err);
    if (st == STANCE_OK)
        st = fn(ctx, art, doc, obj, name, line, err);
    stance_article_free(art);
    return st;
}

/* stance_input_walk_lines's callback, in the ctx of a walk whose fn is NULL. */
typedef struct {
    stance_line_fn fn;
    void *ctx;
} line_walk;

/* Each line handed over as it is, for the caller to parse. */
static stance_status walk_jsonl_lines(stance_jsonl_reader *r, const char *name,
                                      const line_walk *lw, stance_error *err)
{
    const char *text;
    size_t n, at;
    stance_status st;
    while ((st = stance_jsonl_read_line(r, &text, &n, &at, err)) == STANCE_OK && n)
        if ((st = lw->fn(lw->ctx, text, n, at, name, stance_jsonl_get_line(r), err)) != STANCE_OK)
            break;
    return st;
}

static stance_status walk_jsonl(FILE *f, const char *name, const stance_input_options *opt,
                                stance_article_fn fn, void *ctx, stance_error *err)
{
    stance_jsonl_reader *r;
    stance_status st = stance_jsonl_reader_new(f, name, &r, err);
    if (st == STANCE_OK && !fn) { /* from stance_input_walk_lines */
        st = walk_jsonl_lines(r, name, ctx, err);
        stance_jsonl_reader_free(r);
        return st;
    }
    json_t *obj = NULL;
    while (st == STANCE_OK && (st = stance_jsonl_read(r, &obj, err)) == STANCE_OK && obj) {
        st = walk_jsonl_record(obj, name, stance_jsonl_get_line(r), opt, fn, ctx, err);
        json_decref(obj);
    }
    stance_jsonl_reader_free(r);
    return st;
}

/* Opens a file found in a directory, if it is a regular file (*f NULL if not). A FIFO is not
 * waited for, nor a device opened: stat first, then open without blocking and check again
 * what was opened, in case the entry changed meanwhile. */
static stance_status open_member(const char *path, FILE **f, stance_error *err)
{
    *f = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return stance_fail_errno(err, errno, path, "cannot open");
    if (!S_ISREG(sb.st_mode))
        return STANCE_OK;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return stance_fail_errno(err, errno, path, "cannot open");
    int flags;
    if (fstat(fd, &sb) != 0 || (flags = fcntl(fd, F_GETFL)) < 0 ||
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        int e = errno;
        close(fd);
        return stance_fail_errno(err, e, path, "cannot open");
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return STANCE_OK;
    }
    if (!(*f = fdopen(fd, "rb"))) {
        int e = errno;
        close(fd);
        return stance_fail_errno(err, e, path, "cannot open");
    }
    return STANCE_OK;
}

void stance_input_names_free(char **paths, size_t count)
{
    if (!paths)
        return;
    for (size_t i = 0; i < count; i++)
        free(paths[i]);
    free(paths);
}

static char *join_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    int slash = a > 0 && dir[a - 1] != '/';
    char *p = malloc(a + (size_t)slash + b + 1);
    if (p) {
        memcpy(p, dir, a);
        if (slash)
            p[a] = '/';
        memcpy(p + a + (size_t)slash, name, b + 1);
    }
    return p;
}


/* ---- the list of a command line's inputs ---- */

enum { IN_STDIN, IN_FILE, IN_MEMBER };

typedef struct {
    char *path;              /* NULL for standard input */
    char *doc;               /* a plain-text article's id (NULL with JSON Lines) */
    const char *dir;         /* IN_MEMBER: the directory argument (owned by the list) */
    unsigned long long size; /* bytes, when sized */
    int kind, sized;
} entry;

struct stance_input_list {
    entry *items;
    size_t n, cap;
    char **dirs; /* the directory arguments, in order */
    size_t ndirs, dirs_cap;
};

/* The pointer that names standard input as where; compared by address (stance_input_is_stdin). */
static const char stdin_name[] = "<stdin>";

int stance_input_is_stdin(const char *where)
{
    return where == stdin_name;
}

void stance_input_list_free(stance_input_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].path);
        free(l->items[i].doc);
    }
    free(l->items);
    stance_input_names_free(l->dirs, l->ndirs);
    free(l);
}

size_t stance_input_list_get_count(const stance_input_list *l)
{
    return l->n;
}

int stance_input_list_get_bytes(const stance_input_list *l, unsigned long long *bytes)
{
    int all = 1;
    *bytes = 0;
    for (size_t i = 0; i < l->n; i++) {
        all &= l->items[i].sized;
        *bytes += l->items[i].size;
    }
    return all;
}

/* Appends an entry that takes path (freed here on failure). */
static stance_status add_entry(stance_input_list *l, char *path, int kind, const char *dir,
                               stance_error *err)
{
    entry *grown = stance_grow(l->items, &l->cap, l->n, 1, sizeof *grown);
    if (!grown) {
        free(path);
        return stance_fail_nomem(err, dir);
    }
    l->items = grown;
    entry *e = &l->items[l->n++];
    memset(e, 0, sizeof *e);
    e->path = path, e->kind = kind, e->dir = dir;
    struct stat sb;
    if (path && stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
        e->sized = 1;
        e->size = (unsigned long long)sb.st_size;
    }
    return STANCE_OK;
}

/* The names in a directory but "." and "..", as new strings (read whole before the walk goes
 * deeper, so that a deep tree does not hold a descriptor open per level). */
static stance_status read_names(const char *dir, char ***names, size_t *count, stance_error *err)
{
    *names = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d)
        return stance_fail_errno(err, errno, dir, "cannot open directory");
    size_t cap = 0;
    stance_status st = STANCE_OK;
    struct dirent *e;
    while (st == STANCE_OK && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char **grown = stance_grow(*names, &cap, *count, 1, sizeof *grown);
        if (!grown || !(grown[*count] = strdup(e->d_name))) {
            if (grown)
                *names = grown;
            st = stance_fail_nomem(err, dir);
            break;
        }
        *names = grown;
        (*count)++;
    }
    closedir(d);
    return st;
}

static const char *glob_of(const stance_input_options *opt)
{
    return opt->glob ? opt->glob : "*.txt";
}

/* With opt->recursive: 1 when path is a directory to go into, and a notice for a symbolic
 * link to one, which is not followed (no loop can then hang the walk). */
static int is_subdir(const char *path, const stance_input_options *opt)
{
    struct stat sb;
    if (!opt->recursive || lstat(path, &sb) != 0)
        return 0;
    if (S_ISDIR(sb.st_mode))
        return 1;
    if (S_ISLNK(sb.st_mode) && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode) && opt->skipped)
        opt->skipped(path, "a symbolic link to a directory, not followed");
    return 0;
}

/* Adds the entries of dir whose names match the glob, and with opt->recursive those of its
 * subdirectories; top names the argument they are found under. */
static stance_status list_dir(stance_input_list *l, const char *top, const char *dir,
                              const stance_input_options *opt, stance_error *err)
{
    char **names;
    size_t n;
    stance_status st = read_names(dir, &names, &n, err);
    for (size_t i = 0; st == STANCE_OK && i < n; i++) {
        char *path = join_path(dir, names[i]);
        if (!path)
            st = stance_fail_nomem(err, dir);
        else if (is_subdir(path, opt)) {
            st = skip_or_fail(opt, list_dir(l, top, path, opt, err), err);
            free(path);
        } else if (fnmatch(glob_of(opt), names[i], 0) == 0)
            st = add_entry(l, path, IN_MEMBER, top, err);
        else
            free(path);
    }
    stance_input_names_free(names, n);
    return st;
}

static int compare_entries(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

/* A directory argument: its entries, sorted by path. */
static stance_status list_top(stance_input_list *l, const char *arg, const stance_input_options *opt,
                              stance_error *err)
{
    char **grown = stance_grow(l->dirs, &l->dirs_cap, l->ndirs, 1, sizeof *grown);
    if (!grown)
        return stance_fail_nomem(err, arg);
    l->dirs = grown;
    if (!(l->dirs[l->ndirs] = strdup(arg)))
        return stance_fail_nomem(err, arg);
    const char *dir = l->dirs[l->ndirs++];
    size_t first = l->n;
    stance_status st = list_dir(l, dir, dir, opt, err);
    if (st != STANCE_OK)
        return st;
    if (l->n == first) {
        if (opt->glob)
            return stance_fail(err, STANCE_ERR_DATA, dir, 0, "directory has no files matching "
                               "'%s'%s", opt->glob, opt->recursive ? ", subdirectories included" : "");
        return stance_fail(err, STANCE_ERR_DATA, dir, 0, "directory has no .txt files%s",
                           opt->recursive ? ", subdirectories included" : "");
    }
    qsort(l->items + first, l->n - first, sizeof *l->items, compare_entries);
    return STANCE_OK;
}

static stance_status list_arg(stance_input_list *l, const char *arg, const stance_input_options *opt,
                              stance_error *err)
{
    if (strcmp(arg, "-") == 0)
        return add_entry(l, NULL, IN_STDIN, NULL, err);
    struct stat sb;
    if (stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode))
        return skip_or_fail(opt, list_top(l, arg, opt, err), err);
    char *path = strdup(arg);
    return path ? add_entry(l, path, IN_FILE, NULL, err) : stance_fail_nomem(err, arg);
}

/* The components of path, as pointers to their starts, empty and "." ones left out; at most
 * max are stored, all are counted. */
static size_t components(const char *path, const char **starts, size_t max)
{
    size_t n = 0;
    for (const char *p = path; *p;) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len && !(len == 1 && *p == '.')) {
            if (n < max)
                starts[n] = p;
            n++;
        }
        p += len + (end != NULL);
    }
    return n;
}

/* The id made of the last k components of path (all if it has fewer), the last one without
 * its extension, as a new string; NULL on no memory. */
static char *id_of(const char *path, size_t k)
{
    size_t n = components(path, NULL, 0);
    const char **starts = malloc((n ? n : 1) * sizeof *starts);
    if (!starts)
        return NULL;
    components(path, starts, n);
    size_t from = n > k ? n - k : 0, len = 0;
    char *id = malloc(strlen(path) + 1);
    for (size_t i = from; id && i < n; i++) {
        size_t c = strcspn(starts[i], "/");
        if (i + 1 == n) { /* the extension goes, as in stance_record_doc_from_path */
            const char *dot = NULL;
            for (size_t j = 1; j < c; j++)
                if (starts[i][j] == '.')
                    dot = starts[i] + j;
            if (dot)
                c = (size_t)(dot - starts[i]);
        }
        if (len)
            id[len++] = '/';
        memcpy(id + len, starts[i], c);
        len += c;
    }
    if (id)
        id[len] = '\0';
    free(starts);
    return id;
}

static int compare_docs(const void *a, const void *b)
{
    return strcmp((*(entry *const *)a)->doc, (*(entry *const *)b)->doc);
}

/* Gives the n entries of a group that share an id the shortest path suffixes that tell them
 * apart; leaves them as they are when none does (the same file twice: a repeated id). */
static stance_status part_group(entry **group, size_t n, stance_error *err)
{
    size_t most = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = components(group[i]->path, NULL, 0);
        most = c > most ? c : most;
    }
    entry *tmp = malloc(n * sizeof *tmp);
    entry **order = malloc(n * sizeof *order);
    stance_status st = tmp && order ? STANCE_OK : stance_fail_nomem(err, group[0]->path);
    for (size_t k = 2; st == STANCE_OK && k <= most; k++) {
        size_t made = 0, i;
        for (; made < n; made++) {
            tmp[made].doc = id_of(group[made]->path, k);
            if (!tmp[made].doc)
                break;
            order[made] = &tmp[made];
        }
        int distinct = made == n;
        if (made < n)
            st = stance_fail_nomem(err, group[0]->path);
        else {
            qsort(order, n, sizeof *order, compare_docs);
            for (i = 1; i < n && distinct; i++)
                distinct = strcmp(order[i - 1]->doc, order[i]->doc) != 0;
        }
        for (i = 0; i < made; i++) {
            if (distinct) {
                free(group[i]->doc);
                group[i]->doc = tmp[i].doc;
            } else
                free(tmp[i].doc);
        }
        if (distinct)
            break;
    }
    free(tmp);
    free(order);
    return st;
}

/* The plain-text ids (stance_input_list_new): the base name without extension, unless it is
 * shared, found by sorting the entries by id. A name that is not valid UTF-8 cannot be an id
 * in JSON: an error, or with opt->failed, a notice and the entry dropped. */
static stance_status assign_ids(stance_input_list *l, const stance_input_options *opt,
                                stance_error *err)
{
    size_t kept = 0;
    stance_status st = STANCE_OK;
    for (size_t i = 0; i < l->n; i++) {
        entry *e = &l->items[i];
        if (st == STANCE_OK && e->kind != IN_STDIN)
            st = skip_or_fail(opt, stance_record_doc_from_path(e->path, &e->doc, err), err);
        if (st == STANCE_OK && e->kind != IN_STDIN && !e->doc) {
            free(e->path);
            continue;
        }
        l->items[kept++] = *e;
    }
    l->n = kept;
    if (st != STANCE_OK)
        return st;
    entry **byid = malloc((l->n ? l->n : 1) * sizeof *byid);
    if (!byid)
        return stance_fail_nomem(err, NULL);
    size_t m = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].kind != IN_STDIN)
            byid[m++] = &l->items[i];
    qsort(byid, m, sizeof *byid, compare_docs);
    for (size_t i = 0, j; st == STANCE_OK && i < m; i = j) {
        for (j = i + 1; j < m && strcmp(byid[i]->doc, byid[j]->doc) == 0; j++)
            ;
        if (j - i > 1)
            st = part_group(byid + i, j - i, err);
    }
    free(byid);
    return st;
}

stance_status stance_input_list_new(char *const *args, size_t n, const stance_input_options *opt,
                                    stance_input_list **out, stance_error *err)
{
    *out = NULL;
    stance_input_list *l = calloc(1, sizeof *l);
    if (!l)
        return stance_fail_nomem(err, NULL);
    static char *const stdin_only[] = {"-"};
    if (n == 0)
        args = stdin_only, n = 1;
    stance_status st = STANCE_OK;
    for (size_t i = 0; st == STANCE_OK && i < n; i++)
        st = list_arg(l, args[i], opt, err);
    if (st == STANCE_OK && !opt->jsonl)
        st = assign_ids(l, opt, err);
    if (st != STANCE_OK) {
        stance_input_list_free(l);
        return st;
    }
    *out = l;
    return STANCE_OK;
}

/* Opens a listed file: one named as an argument whatever it is (a FIFO is read as standard
 * input is), one found in a directory only if it is a regular file (*f NULL if not). */
static stance_status open_entry(const entry *e, FILE **f, stance_error *err)
{
    if (e->kind == IN_MEMBER)
        return open_member(e->path, f, err);
    return stance_stream_open(e->path, "rb", f, err);
}

static stance_status walk_entry(const entry *e, const stance_input_options *opt,
                                stance_article_fn fn, void *ctx, int *found, stance_error *err)
{
    if (e->kind == IN_STDIN)
        return opt->jsonl ? walk_jsonl(stdin, stdin_name, opt, fn, ctx, err)
                          : walk_text(stdin, stdin_name, "stdin", opt, fn, ctx, err);
    FILE *f;
    stance_status st = open_entry(e, &f, err);
    if (st == STANCE_OK && !f) {
        if (opt->skipped)
            opt->skipped(e->path, "not a regular file");
        return STANCE_OK;
    }
    *found = 1;
    if (st != STANCE_OK)
        return skip_or_fail(opt, st, err);
    char *buf = opt->jsonl ? malloc(STANCE_INPUT_READ_BYTES) : NULL;
    if (buf) /* else stdio's own buffer, smaller: more reads, the same lines */
        setvbuf(f, buf, _IOFBF, STANCE_INPUT_READ_BYTES);
    st = opt->jsonl ? walk_jsonl(f, e->path, opt, fn, ctx, err)
                    : walk_text(f, e->path, e->doc, opt, fn, ctx, err);
    fclose(f);
    free(buf);
    return st;
}

stance_status stance_input_list_walk(const stance_input_list *l, const stance_input_options *opt,
                                     stance_article_fn fn, void *ctx, stance_error *err)
{
    stance_status st = STANCE_OK;
    int found = 0; /* a regular file among the entries of the directory argument walked */
    for (size_t i = 0; st == STANCE_OK && i < l->n; i++) {
        const entry *e = &l->items[i];
        st = walk_entry(e, opt, fn, ctx, &found, err);
        int last_of_dir = e->kind == IN_MEMBER && (i + 1 == l->n || l->items[i + 1].dir != e->dir);
        if (st == STANCE_OK && last_of_dir && !found)
            st = stance_fail(err, STANCE_ERR_DATA, e->dir, 0, "directory has no %s files that "
                             "are regular files", opt->glob ? "matching" : ".txt");
        if (last_of_dir || e->kind != IN_MEMBER)
            found = 0;
    }
    return st;
}

stance_status stance_input_walk_all(char *const *args, size_t n, const stance_input_options *opt,
                                    stance_article_fn fn, void *ctx, stance_error *err)
{
    stance_input_list *l;
    stance_status st = stance_input_list_new(args, n, opt, &l, err);
    if (st == STANCE_OK)
        st = stance_input_list_walk(l, opt, fn, ctx, err);
    stance_input_list_free(l);
    return st;
}

stance_status stance_input_walk(const char *arg, const stance_input_options *opt,
                                stance_article_fn fn, void *ctx, stance_error *err)
{
    char *args[] = {(char *)arg};
    return stance_input_walk_all(args, 1, opt, fn, ctx, err);
}

/* ---- a list of paths (--files-from) ---- */

/* Takes one name of a list (len bytes at s, its separator removed) into *names. */
static stance_status take_name(const char *s, size_t len, int nul, const char *name, long at,
                               char ***names, size_t *count, size_t *cap, stance_error *err)
{
    if (len == 0)
        return STANCE_OK;
    if (!nul && memchr(s, '\0', len))
        return stance_fail(err, STANCE_ERR_DATA, name, at, "a NUL byte in a path (for a "
                           "NUL-separated list, give -0)");
    if (len == 1 && s[0] == '-')
        return stance_fail(err, STANCE_ERR_DATA, name, at, "'-' (standard input) cannot be "
                           "named in a list of paths");
    char **grown = stance_grow(*names, cap, *count, 1, sizeof *grown);
    if (!grown)
        return stance_fail_nomem(err, name);
    *names = grown;
    if (!(grown[*count] = malloc(len + 1)))
        return stance_fail_nomem(err, name);
    memcpy(grown[*count], s, len);
    grown[(*count)++][len] = '\0';
    return STANCE_OK;
}

stance_status stance_input_read_names(FILE *f, const char *name, int nul, char ***names,
                                      size_t *count, stance_error *err)
{
    *names = NULL;
    *count = 0;
    char *buf = NULL;
    size_t bufcap = 0, cap = 0;
    ssize_t got;
    long at = 0;
    int sep = nul ? '\0' : '\n';
    stance_status st = STANCE_OK;
    while (st == STANCE_OK && (got = getdelim(&buf, &bufcap, sep, f)) > 0) {
        size_t len = (size_t)got;
        if (buf[len - 1] == (char)sep)
            len--;
        st = take_name(buf, len, nul, name, ++at, names, count, &cap, err);
    }
    free(buf);
    if (st == STANCE_OK && ferror(f))
        st = stance_fail_errno(err, errno, name, "read failed");
    if (st == STANCE_OK && *count == 0)
        st = stance_fail(err, STANCE_ERR_DATA, name, 0, "the list names no path");
    if (st != STANCE_OK) {
        stance_input_names_free(*names, *count);
        *names = NULL;
        *count = 0;
    }
    return st;
}

stance_status stance_input_walk_lines(const char *arg, const stance_input_options *opt,
                                      stance_line_fn fn, void *ctx, stance_error *err)
{
    if (!opt->jsonl)
        return stance_fail(err, STANCE_ERR_USAGE, arg, 0, "lines are walked in JSON Lines only");
    line_walk lw = {fn, ctx};
    return stance_input_walk(arg, opt, NULL, &lw, err);
}

stance_status stance_input_parse_line(const char *text, size_t n, size_t at, const char *where,
                                      long line, const stance_input_options *opt, char *idbuf,
                                      size_t idsize, json_t **obj, const char **doc,
                                      stance_article **art, stance_error *err)
{
    char *scratch = NULL;
    size_t cap = 0;
    *doc = NULL;
    *art = NULL;
    stance_status st = stance_jsonl_parse_line(where, line, text, n, at, &scratch, &cap, obj, err);
    free(scratch);
    if (st == STANCE_OK)
        st = stance_json_get_id(*obj, where, line, idbuf, idsize, doc, err);
    if (st == STANCE_OK)
        st = jsonl_article(*obj, where, line, opt, art, err);
    return st;
}

stance_status stance_input_add_id(const stance_input_options *opt, const char *doc,
                                  const char *where, long line, stance_error *err)
{
    return opt->seen ? stance_idset_add(opt->seen, doc, where, line, err) : STANCE_OK;
}
