/* stance-import: annotation-tool exports in, stance's labeled JSON Lines out (see import.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stage.h"
#include "stance/codebook.h"
#include "stance/import.h"
#include "stance/stream.h"

static const char usage[] =
    "Usage: stance-import --codebook FILE --from FORMAT [OPTION]... [FILE]...\n"
    "Turn annotation-tool exports into labeled passages for stance-train (JSON Lines:\n"
    "\"id\", \"text\", one field per dimension, \"annotator\", and the tool's ids under\n"
    "\"source\"), one record per passage and annotator. With no FILE (and no\n"
    "--project), or when FILE is -, read standard input.\n"
    "\n"
    "  --codebook FILE        the dimensions and values (required)\n"
    "  --from FORMAT          doccano (JSONL), labelstudio (JSON), labelstudio-min\n"
    "                         (JSON_MIN) or prodigy (db-out JSONL) (required)\n"
    "  --project DIM=FILE     a doccano project export whose labels are all values of\n"
    "                         dimension DIM (repeatable; projects are joined per\n"
    "                         passage by the join field, else by identical text); a\n"
    "                         plain FILE is one project over all dimensions, with\n"
    "                         prefixed labels (topics:kosovo) or labels of one\n"
    "                         dimension only\n"
    "  --map FILE             a JSON object naming the text and join fields and\n"
    "                         mapping the tool's dimensions and labels to the\n"
    "                         codebook's: {\"text\": \"text\", \"join\": \"passage_id\",\n"
    "                         \"dimensions\": {\"sentiment\": \"tone\"}, \"labels\":\n"
    "                         {\"Kosovo\": \"topics:kosovo\", \"neutral\": \"tone:\",\n"
    "                         \"unsure\": null}} (\"DIM:\": labeled, no value applies;\n"
    "                         null: the label is ignored)\n"
    "  --resolve RULE         one record per passage from several annotators:\n"
    "                         majority (per dimension, what more than half gave;\n"
    "                         none: left unlabeled), first (the first annotator's)\n"
    "                         or drop (leave out passages they disagree on); default\n"
    "                         none: every annotator's record is kept\n"
    "  -o, --output FILE      write the records to FILE (replaced atomically, not a\n"
    "                         link) instead of standard output\n"
    "  -h, --help             show this help and exit\n"
    "      --version          print the version and exit\n"
    "\n"
    "Every error of every file is reported (file, line or array index, value) before\n"
    "the exit, and nothing is written then: a label that is no value of the codebook,\n"
    "a single dimension given two values, a record without text, invalid JSON. What is\n"
    "left out (unlabeled records, cancelled annotations, rejected or ignored Prodigy\n"
    "tasks, passages dropped by --resolve) is counted on standard error.\n"
    "\n"
    "Exit status: 0 success, 1 bad input data, 2 usage error, 3 I/O or resource failure.\n";

/* Reads one export: a path, or standard input for "-". */
static stance_status read_export(stance_importer *imp, const char *path, const char *dimension,
                                 stance_error *err)
{
    return strcmp(path, "-") == 0 ? stance_importer_read(imp, stdin, "<stdin>", dimension, err)
                                  : stance_importer_load(imp, path, dimension, err);
}

/* Reports every error kept; returns their number. */
static size_t report_errors(const stance_importer *imp)
{
    size_t n = stance_importer_get_error_count(imp), kept = 0;
    for (const stance_error *e; (e = stance_importer_get_error(imp, kept)) != NULL; kept++) {
        char text[STANCE_ERROR_TEXT_MAX];
        stance_error_format(e, text, sizeof text);
        fprintf(stderr, "stance-import: %s\n", text);
    }
    if (n > kept)
        fprintf(stderr, "stance-import: and %zu more errors\n", n - kept);
    return n;
}

/* "left out: 2 unlabeled, 1 rejected" on stderr, when anything was. */
static void report_left_out(const stance_import_counts *c)
{
    const size_t n[] = {c->unlabeled, c->cancelled, c->rejected, c->ignored, c->disagreed};
    static const char *const what[] = {"unlabeled", "cancelled", "rejected", "ignored",
                                       "disagreed (--resolve drop)"};
    const char *sep = "stance-import: left out: ";
    for (size_t i = 0; i < sizeof n / sizeof n[0]; i++)
        if (n[i]) {
            fprintf(stderr, "%s%zu %s", sep, n[i], what[i]);
            sep = ", ";
        }
    if (sep[0] == ',')
        fputc('\n', stderr);
    if (c->ties)
        fprintf(stderr, "stance-import: %zu dimensions of passages left unlabeled: no majority\n",
                c->ties);
}

/* Splits "DIM=FILE" (in place); 0 if there is no '=' or either side is empty. */
static int split_project(char *arg, const char **dim, const char **file)
{
    char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return 0;
    *eq = '\0';
    *dim = arg;
    *file = eq + 1;
    return 1;
}

int main(int argc, char **argv)
{
    stage_start("stance-import");
    static const struct option longopts[] = {
        {"codebook", required_argument, NULL, 'B'}, {"from", required_argument, NULL, 'F'},
        {"map", required_argument, NULL, 'M'},      {"project", required_argument, NULL, 'P'},
        {"resolve", required_argument, NULL, 'R'},  {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},           {"version", no_argument, NULL, STAGE_OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    const char *codebook = NULL, *map = NULL, *output = NULL;
    char **projects = calloc((size_t)argc + 1, sizeof *projects);
    const char **dims = calloc((size_t)argc + 1, sizeof *dims);
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t nprojects = 0;
    stance_import_format format = STANCE_IMPORT_DOCCANO;
    stance_resolve resolve = STANCE_RESOLVE_NONE;
    int from_given = 0, c;
    if (!projects || !dims || !files) {
        fprintf(stderr, "stance-import: out of memory\n");
        free(projects);
        free(dims);
        free(files);
        return 3;
    }
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    int status = -1;
    while (status < 0 && (c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'B': codebook = optarg; break;
        case 'M': map = optarg; break;
        case 'o': output = optarg; break;
        case 'F':
            if (stance_import_format_parse(optarg, &format) != 0)
                status = stage_usage_error("--from needs doccano, labelstudio, labelstudio-min "
                                           "or prodigy, not '%s'", optarg);
            from_given = 1;
            break;
        case 'R':
            if (stance_resolve_parse(optarg, &resolve) != 0)
                status = stage_usage_error("--resolve needs majority, first, drop or none, not "
                                           "'%s'", optarg);
            break;
        case 'P': projects[nprojects++] = optarg; break;
        case 'h': status = stage_help(usage); break;
        case STAGE_OPT_VERSION: status = stage_version(); break;
        case ':':
            status = stage_usage_error("missing argument for option '%s'", argv[optind - 1]);
            break;
        default: status = stage_unknown_option(argv);
        }
    }
    for (size_t i = 0; status < 0 && i < nprojects; i++)
        if (!split_project(projects[i], &dims[i], &files[i]))
            status = stage_usage_error("--project needs DIMENSION=FILE, not '%s'", projects[i]);
    if (status < 0 && (!codebook || !from_given))
        status = stage_usage_error(!codebook ? "--codebook is required"
                                             : "--from FORMAT is required");
    if (status < 0 && nprojects && format != STANCE_IMPORT_DOCCANO)
        status = stage_usage_error("--project is for doccano exports (--from doccano)");
    if (status >= 0) {
        free(projects);
        free(dims);
        free(files);
        return status;
    }
    stance_error err;
    stance_error_clear(&err);
    stance_codebook *cb = NULL;
    stance_importer *imp = NULL;
    struct timespec started; /* temporaries older than this run are stale */
    clock_gettime(CLOCK_REALTIME, &started);
    stance_status st = output ? stance_importer_remove_stale(output, &started, stage_removed, NULL, &err)
                              : STANCE_OK;
    if (st == STANCE_OK)
        st = stance_codebook_load(codebook, &cb, &err);
    if (st == STANCE_OK)
        st = stance_importer_new(cb, format, &imp, &err);
    if (st == STANCE_OK && map)
        st = stance_importer_load_map(imp, map, &err);
    for (size_t i = 0; st == STANCE_OK && i < nprojects; i++)
        st = read_export(imp, files[i], dims[i], &err);
    for (int i = optind; st == STANCE_OK && i < argc; i++)
        st = read_export(imp, argv[i], NULL, &err);
    if (st == STANCE_OK && optind == argc && nprojects == 0)
        st = read_export(imp, "-", NULL, &err);
    size_t errors = imp ? report_errors(imp) : 0, written = 0; /* also before a failed read */
    if (st == STANCE_OK && errors == 0)
        st = output ? stance_importer_save(imp, resolve, output, &written, &err)
                    : stance_importer_write(imp, resolve, stdout, "<stdout>", &written, &err);
    if (st == STANCE_OK && errors == 0)
        report_left_out(stance_importer_get_counts(imp));
    stance_importer_free(imp);
    stance_codebook_free(cb);
    free(projects);
    free(dims);
    free(files);
    if (st == STANCE_OK && errors)
        return 1; /* nothing was written */
    return output ? (st == STANCE_OK ? 0 : stage_report(&err)) : stage_finish(st, &err);
}
