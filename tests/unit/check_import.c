/* check_import.c: the export parsers of import.h, each format and each error, the map, and
 * the resolve rules, on a small codebook (topics: multi; tone: optional single). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../pipeline/codebook_int.h"
#include "stance/codebook.h"
#include "stance/import.h"
#include "suites.h"

static const char codebook_json[] =
    "{\"dimensions\": ["
    "{\"name\": \"topics\", \"kind\": \"multi\", \"values\": [{\"label\": \"kosovo\"}, "
    "{\"label\": \"abm\"}]},"
    "{\"name\": \"tone\", \"kind\": \"single\", \"optional\": true, \"values\": ["
    "{\"label\": \"calm\"}, {\"label\": \"tense\"}]}]}";

static stance_codebook *small_codebook(void)
{
    json_t *json = json_loads(codebook_json, 0, NULL);
    ck_assert_ptr_nonnull(json);
    stance_codebook *cb;
    ck_assert_int_eq(stance_codebook_from_json(json, "cb", &cb, NULL), STANCE_OK);
    json_decref(json);
    return cb;
}

/* The records imp writes under rule, as one string (caller frees). */
static char *written(stance_importer *imp, stance_resolve rule)
{
    char *buf = NULL;
    size_t len = 0, n;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(stance_importer_write(imp, rule, f, "mem", &n, NULL), STANCE_OK);
    fclose(f);
    return buf;
}

typedef struct {
    stance_import_format format;
    const char *dimension; /* doccano project, or NULL */
    const char *input;
    const char *want;   /* the records written (resolve none); NULL: an error */
    const char *error;  /* with want NULL: the first error's "line: message" */
} import_case;

static const import_case cases[] = {
    {STANCE_IMPORT_DOCCANO, NULL,
     "{\"id\":1,\"text\":\"A\",\"label\":[\"topics:kosovo\",\"tone:calm\"],\"Comments\":[],"
     "\"passage_id\":\"p1\"}\n",
     "{\"id\":\"p1\",\"text\":\"A\",\"topics\":[\"kosovo\"],\"tone\":\"calm\",\"annotator\":null,"
     "\"source\":{\"tool\":\"doccano\",\"passage_id\":\"p1\",\"id\":1}}\n", NULL},
    /* a bare label of one dimension; the optional tone not given: none applies */
    {STANCE_IMPORT_DOCCANO, NULL, "\xEF\xBB\xBF{\"id\":2,\"text\":\"B\",\"label\":[\"abm\"]}\n\n",
     "{\"id\":2,\"text\":\"B\",\"topics\":[\"abm\"],\"tone\":[],\"annotator\":null,"
     "\"source\":{\"tool\":\"doccano\",\"id\":2}}\n", NULL},
    {STANCE_IMPORT_DOCCANO, "tone", "{\"id\":3,\"text\":\"C\",\"label\":[\"tense\"]}",
     "{\"id\":3,\"text\":\"C\",\"tone\":\"tense\",\"annotator\":null,"
     "\"source\":{\"tool\":\"doccano\",\"ids\":{\"tone\":3}}}\n", NULL},
    {STANCE_IMPORT_DOCCANO, "tone", "{\"id\":3,\"text\":\"C\",\"label\":[]}\n", "", NULL},
    {STANCE_IMPORT_LABELSTUDIO, NULL,
     "[{\"id\":7,\"data\":{\"text\":\"D\"},\"annotations\":[{\"id\":9,\"completed_by\":4,"
     "\"result\":[{\"from_name\":\"topics\",\"value\":{\"choices\":[\"abm\",\"kosovo\"]}},"
     "{\"from_name\":\"tone\",\"value\":{\"choices\":[]}}]},"
     "{\"id\":10,\"completed_by\":5,\"was_cancelled\":true,\"result\":[]}]}]",
     "{\"id\":7,\"text\":\"D\",\"topics\":[\"kosovo\",\"abm\"],\"tone\":[],\"annotator\":4,"
     "\"source\":{\"tool\":\"labelstudio\",\"task\":7,\"annotation\":9}}\n", NULL},
    {STANCE_IMPORT_LABELSTUDIO_MIN, NULL,
     "[{\"id\":8,\"text\":\"E\",\"topics\":{\"choices\":[\"kosovo\",\"abm\"]},\"tone\":\"tense\","
     "\"annotator\":1,\"annotation_id\":3,\"lead_time\":2}]",
     "{\"id\":8,\"text\":\"E\",\"topics\":[\"kosovo\",\"abm\"],\"tone\":\"tense\",\"annotator\":1,"
     "\"source\":{\"tool\":\"labelstudio-min\",\"task\":8,\"annotation\":3}}\n", NULL},
    {STANCE_IMPORT_LABELSTUDIO_MIN, NULL, "{\"id\":8,\"text\":\"E\",\"topics\":\"abm\"}\n",
     "{\"id\":8,\"text\":\"E\",\"topics\":[\"abm\"],\"annotator\":null,"
     "\"source\":{\"tool\":\"labelstudio-min\",\"task\":8}}\n", NULL},
    /* a choice task with an empty accept: none applies; a rejected one is left out */
    {STANCE_IMPORT_PRODIGY, NULL,
     "{\"text\":\"F\",\"_input_hash\":5,\"_task_hash\":6,\"options\":[{\"id\":\"calm\"},"
     "{\"id\":\"tense\"}],\"accept\":[],\"answer\":\"accept\"}\n"
     "{\"text\":\"F\",\"_input_hash\":5,\"_task_hash\":7,\"options\":[{\"id\":1,\"text\":\"abm\"}],"
     "\"accept\":[1],\"answer\":\"accept\"}\n"
     "{\"text\":\"G\",\"_input_hash\":8,\"options\":[{\"id\":\"abm\"}],\"accept\":[\"abm\"],"
     "\"answer\":\"reject\"}\n",
     "{\"id\":5,\"text\":\"F\",\"topics\":[\"abm\"],\"tone\":[],\"annotator\":null,"
     "\"source\":{\"tool\":\"prodigy\",\"input_hash\":5,\"task_hashes\":[6,7]}}\n", NULL},
    /* binary tasks: a rejected topic alone labels the topics ([]); a rejected tone does not */
    {STANCE_IMPORT_PRODIGY, NULL,
     "{\"text\":\"H\",\"_input_hash\":9,\"label\":\"kosovo\",\"answer\":\"reject\","
     "\"_annotator_id\":\"x\"}\n"
     "{\"text\":\"H\",\"_input_hash\":9,\"label\":\"calm\",\"answer\":\"reject\","
     "\"_annotator_id\":\"x\"}\n",
     "{\"id\":9,\"text\":\"H\",\"topics\":[],\"annotator\":\"x\","
     "\"source\":{\"tool\":\"prodigy\",\"input_hash\":9,\"task_hashes\":[]}}\n", NULL},
    {STANCE_IMPORT_DOCCANO, NULL, "{\"text\":\"A\",\"label\":[\"kosovoo\"]}",
     NULL, "1: unknown label \"kosovoo\": no value of the codebook (did you mean \"topics:kosovo\"?)"},
    {STANCE_IMPORT_DOCCANO, NULL, "\n{\"text\":\"A\",\"label\":[\"calm\",\"tense\"]}",
     NULL, "2: \"tone\" takes one value, got \"calm\" and \"tense\""},
    {STANCE_IMPORT_DOCCANO, NULL, "{\"label\":[\"abm\"]}", NULL, "1: record has no \"text\" string"},
    {STANCE_IMPORT_DOCCANO, NULL, "{\"text\":\"A\",\"label\":[\"abm\"]}\n{\"text\":",
     NULL, "2: invalid JSON"},
    {STANCE_IMPORT_DOCCANO, NULL, "{\"text\":\"A\",\"label\":[[0,3,\"abm\"]]}", NULL,
     "1: label 1 is not a string"},
    {STANCE_IMPORT_DOCCANO, "tone", "{\"text\":\"A\",\"label\":[\"topics:abm\"]}", NULL,
     "1: label \"topics:abm\" is for dimension \"topics\", not \"tone\""},
    {STANCE_IMPORT_LABELSTUDIO, NULL,
     "[{\"data\":{\"text\":\"A\"},\"annotations\":[]},{\"data\":{\"text\":\"B\"},\"annotations\":"
     "[{\"result\":[{\"from_name\":\"mood\",\"value\":{\"choices\":[\"calm\"]}}]}]}]",
     NULL, "0: [1].annotations[0]: result 0: from_name \"mood\" is no dimension"},
    {STANCE_IMPORT_LABELSTUDIO, NULL, "{\"data\":{}}", NULL, "0: expected a JSON array of tasks"},
    {STANCE_IMPORT_LABELSTUDIO_MIN, NULL, "{\"text\":\"A\",\"topic\":\"abm\"}", NULL,
     "1: `topic`: not a dimension of this codebook; did you mean `topics`?"},
    {STANCE_IMPORT_PRODIGY, NULL, "{\"text\":\"A\",\"answer\":\"accept\"}", NULL,
     "1: neither \"options\""},
    {STANCE_IMPORT_PRODIGY, NULL,
     "{\"text\":\"A\",\"_input_hash\":1,\"label\":\"calm\",\"answer\":\"accept\"}\n"
     "{\"text\":\"B\",\"_input_hash\":1,\"label\":\"abm\",\"answer\":\"accept\"}\n",
     NULL, "2: the same passage (1) has another text at in:1"},
};

START_TEST(test_import_case)
{
    const import_case *c = &cases[_i];
    stance_codebook *cb = small_codebook();
    stance_importer *imp;
    ck_assert_int_eq(stance_importer_new(cb, c->format, &imp, NULL), STANCE_OK);
    ck_assert_int_eq(stance_importer_add(imp, c->input, strlen(c->input), "in", c->dimension,
                                         NULL),
                     STANCE_OK);
    if (c->want) {
        ck_assert_uint_eq(stance_importer_get_error_count(imp), 0);
        char *out = written(imp, STANCE_RESOLVE_NONE);
        ck_assert_str_eq(out, c->want);
        free(out);
    } else {
        ck_assert_uint_ge(stance_importer_get_error_count(imp), 1);
        const stance_error *e = stance_importer_get_error(imp, 0);
        char got[STANCE_ERROR_MSG_MAX + 32];
        snprintf(got, sizeof got, "%ld: %s", e->line, e->message);
        ck_assert_msg(strncmp(got, c->error, strlen(c->error)) == 0, "got '%s', want '%s'", got,
                      c->error);
        ck_assert_str_eq(e->where, "in");
        size_t n;
        ck_assert_int_eq(stance_importer_write(imp, STANCE_RESOLVE_NONE, stdout, "out", &n, NULL),
                         STANCE_ERR_USAGE);
        ck_assert_uint_eq(n, 0);
    }
    stance_importer_free(imp);
    stance_codebook_free(cb);
}
END_TEST

/* Three annotators of one passage (two say tense, one calm; topics: two kosovo, one abm and
 * kosovo) and two of another who split on the tone. */
static const char three_annotators[] =
    "{\"text\":\"A\",\"topics\":\"kosovo\",\"tone\":\"tense\",\"annotator\":1}\n"
    "{\"text\":\"A\",\"topics\":{\"choices\":[\"kosovo\",\"abm\"]},\"tone\":\"calm\","
    "\"annotator\":2}\n"
    "{\"text\":\"A\",\"topics\":\"kosovo\",\"tone\":\"tense\",\"annotator\":3}\n"
    "{\"text\":\"B\",\"topics\":\"abm\",\"tone\":\"tense\",\"annotator\":1}\n"
    "{\"text\":\"B\",\"topics\":\"abm\",\"tone\":\"calm\",\"annotator\":2}\n";

static const struct {
    stance_resolve rule;
    const char *want;
    size_t disagreed, ties;
} resolve_cases[] = {
    {STANCE_RESOLVE_MAJORITY,
     "{\"text\":\"A\",\"topics\":[\"kosovo\"],\"tone\":\"tense\",\"annotator\":[1,2,3],"
     "\"source\":{\"tool\":\"labelstudio-min\"}}\n"
     "{\"text\":\"B\",\"topics\":[\"abm\"],\"annotator\":[1,2],"
     "\"source\":{\"tool\":\"labelstudio-min\"}}\n", 0, 1},
    {STANCE_RESOLVE_FIRST,
     "{\"text\":\"A\",\"topics\":[\"kosovo\"],\"tone\":\"tense\",\"annotator\":1,"
     "\"source\":{\"tool\":\"labelstudio-min\"}}\n"
     "{\"text\":\"B\",\"topics\":[\"abm\"],\"tone\":\"tense\",\"annotator\":1,"
     "\"source\":{\"tool\":\"labelstudio-min\"}}\n", 0, 0},
    {STANCE_RESOLVE_DROP, "", 2, 0},
};

START_TEST(test_resolve)
{
    stance_codebook *cb = small_codebook();
    stance_importer *imp;
    ck_assert_int_eq(stance_importer_new(cb, STANCE_IMPORT_LABELSTUDIO_MIN, &imp, NULL), STANCE_OK);
    ck_assert_int_eq(stance_importer_add(imp, three_annotators, strlen(three_annotators), "in",
                                         NULL, NULL),
                     STANCE_OK);
    ck_assert_uint_eq(stance_importer_get_error_count(imp), 0);
    char *out = written(imp, resolve_cases[_i].rule);
    ck_assert_str_eq(out, resolve_cases[_i].want);
    free(out);
    ck_assert_uint_eq(stance_importer_get_counts(imp)->disagreed, resolve_cases[_i].disagreed);
    ck_assert_uint_eq(stance_importer_get_counts(imp)->ties, resolve_cases[_i].ties);
    out = written(imp, STANCE_RESOLVE_NONE); /* all five, in passage order */
    size_t lines = 0;
    for (const char *p = out; (p = strchr(p, '\n')) != NULL; p++)
        lines++;
    ck_assert_uint_eq(lines, 5);
    free(out);
    stance_importer_free(imp);
    stance_codebook_free(cb);
}
END_TEST

/* The map: its fields, tool dimensions and labels ("DIM:" for none, null ignored, a
 * "TOOLDIM:LABEL" key before a plain one); and each bad shape refused. */
START_TEST(test_map)
{
    stance_codebook *cb = small_codebook();
    stance_importer *imp;
    ck_assert_int_eq(stance_importer_new(cb, STANCE_IMPORT_LABELSTUDIO_MIN, &imp, NULL), STANCE_OK);
    json_t *map = json_loads("{\"text\":\"body\",\"join\":\"doc\",\"dimensions\":{\"mood\":\"tone\","
                             "\"subject\":\"topics\"},\"labels\":{\"Peace\":\"calm\","
                             "\"mood:Flat\":\"tone:\",\"Flat\":\"tense\",\"?\":null}}",
                             0, NULL);
    ck_assert_int_eq(stance_importer_set_map(imp, map, "map", NULL), STANCE_OK);
    json_decref(map);
    static const char in[] =
        "{\"body\":\"A\",\"doc\":\"d1\",\"mood\":\"Peace\",\"subject\":{\"choices\":[\"abm\",\"?\"]}}\n"
        "{\"body\":\"B\",\"doc\":\"d2\",\"mood\":\"Flat\"}\n";
    ck_assert_int_eq(stance_importer_add(imp, in, strlen(in), "in", NULL, NULL), STANCE_OK);
    ck_assert_uint_eq(stance_importer_get_error_count(imp), 0);
    char *out = written(imp, STANCE_RESOLVE_NONE);
    ck_assert_str_eq(out, "{\"id\":\"d1\",\"text\":\"A\",\"topics\":[\"abm\"],\"tone\":\"calm\","
                          "\"annotator\":null,\"source\":{\"tool\":\"labelstudio-min\","
                          "\"doc\":\"d1\"}}\n"
                          "{\"id\":\"d2\",\"text\":\"B\",\"tone\":[],\"annotator\":null,"
                          "\"source\":{\"tool\":\"labelstudio-min\",\"doc\":\"d2\"}}\n");
    free(out);
    static const char *const bad_maps[] = {
        "[]", "{\"label\":{}}", "{\"text\":1}", "{\"join\":\"\"}", "{\"dimensions\":[]}",
        "{\"dimensions\":{\"x\":\"nope\"}}", "{\"labels\":{\"x\":3}}",
        "{\"labels\":{\"x\":\"topics:bosnia\"}}", "{\"labels\":{\"x\":\"bosnia\"}}",
    };
    for (size_t i = 0; i < sizeof bad_maps / sizeof bad_maps[0]; i++) {
        json_t *m = json_loads(bad_maps[i], JSON_DECODE_ANY, NULL);
        stance_error err;
        ck_assert_ptr_nonnull(m);
        ck_assert_int_eq(stance_importer_set_map(imp, m, "map", &err), STANCE_ERR_DATA);
        ck_assert_str_eq(err.where, "map");
        json_decref(m);
    }
    stance_error err;
    ck_assert_int_eq(stance_importer_add(imp, "", 0, "in", "tone", &err), STANCE_ERR_USAGE);
    stance_importer_free(imp);
    stance_codebook_free(cb);
}
END_TEST

START_TEST(test_names)
{
    stance_import_format f;
    stance_resolve r;
    ck_assert_int_eq(stance_import_format_parse("labelstudio-min", &f), 0);
    ck_assert_int_eq(f, STANCE_IMPORT_LABELSTUDIO_MIN);
    ck_assert_int_eq(stance_import_format_parse("brat", &f), -1);
    ck_assert_int_eq(stance_resolve_parse("drop", &r), 0);
    ck_assert_int_eq(r, STANCE_RESOLVE_DROP);
    ck_assert_int_eq(stance_resolve_parse("vote", &r), -1);
}
END_TEST

Suite *import_suite(void)
{
    Suite *s = suite_create("import");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_import_case, 0, sizeof cases / sizeof cases[0]);
    tcase_add_loop_test(tc, test_resolve, 0, sizeof resolve_cases / sizeof resolve_cases[0]);
    tcase_add_test(tc, test_map);
    tcase_add_test(tc, test_names);
    suite_add_tcase(s, tc);
    return s;
}
