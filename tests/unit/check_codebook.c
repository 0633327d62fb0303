/* check_codebook.c: codebook validation (each error named), targets from labeled records,
 * and the project's own codebook and labeled passages. */
#include <stdio.h>
#include <string.h>

#include "../../pipeline/codebook_int.h"
#include "stance/codebook.h"
#include "stance/jsonl.h"
#include "stance/stream.h"
#include "suites.h"

/* A small codebook the target cases use: 3 topics (slots 0-2), 2 tones (slots 3-4). */
static const char small_codebook[] =
    "{\"dimensions\": ["
    "{\"name\": \"topics\", \"kind\": \"multi\", \"values\": ["
    "{\"label\": \"kosovo\", \"definition\": \"The Kosovo conflict.\"},"
    "{\"label\": \"enlargement\"}, {\"label\": \"abm\", \"extra\": 1}]},"
    "{\"name\": \"tone\", \"kind\": \"single\", \"values\": ["
    "{\"label\": \"conciliatory\"}, {\"label\": \"confrontational\"}]}],"
    " \"name\": \"ignored\"}";

static stance_codebook *parse_codebook(const char *text, stance_status want, stance_error *err)
{
    json_error_t je;
    json_t *json = json_loads(text, 0, &je);
    ck_assert_msg(json != NULL, "bad test JSON: %s", je.text);
    stance_codebook *cb = NULL;
    ck_assert_int_eq(stance_codebook_from_json(json, "cb.json", &cb, err), want);
    json_decref(json);
    return cb;
}

START_TEST(test_small_codebook)
{
    stance_error err;
    stance_codebook *cb = parse_codebook(small_codebook, STANCE_OK, &err);
    ck_assert_uint_eq(stance_codebook_get_dimension_count(cb), 2);
    ck_assert_uint_eq(stance_codebook_get_value_count(cb), 5);
    const stance_dimension *topics = stance_codebook_get_dimension(cb, 0);
    const stance_dimension *tone = stance_codebook_get_dimension(cb, 1);
    ck_assert_ptr_null(stance_codebook_get_dimension(cb, 2));
    ck_assert_str_eq(topics->name, "topics");
    ck_assert_int_eq(topics->kind, STANCE_DIM_MULTI);
    ck_assert_uint_eq(topics->nvalues, 3);
    ck_assert_uint_eq(topics->offset, 0);
    ck_assert_str_eq(topics->labels[2], "abm");
    ck_assert_str_eq(topics->definitions[0], "The Kosovo conflict.");
    ck_assert_str_eq(topics->definitions[1], "");
    ck_assert_str_eq(tone->name, "tone");
    ck_assert_int_eq(tone->kind, STANCE_DIM_SINGLE);
    ck_assert_uint_eq(tone->offset, 3);
    ck_assert_int_eq(stance_dimension_find(tone, "confrontational"), 1);
    ck_assert_int_eq(stance_dimension_find(tone, "kosovo"), -1);

    /* to_json reads back as the same codebook, definitions kept */
    json_t *json = stance_codebook_to_json(cb);
    ck_assert_ptr_nonnull(json);
    stance_codebook *back;
    ck_assert_int_eq(stance_codebook_from_json(json, "round", &back, &err), STANCE_OK);
    json_decref(json);
    ck_assert(stance_codebook_same(cb, back));
    ck_assert_str_eq(stance_codebook_get_dimension(back, 0)->definitions[0], "The Kosovo conflict.");
    stance_codebook_free(back);

    /* same: order and labels matter, definitions do not */
    stance_codebook *other = parse_codebook(
        "{\"dimensions\": [{\"name\": \"topics\", \"kind\": \"multi\", \"values\": ["
        "{\"label\": \"kosovo\"}, {\"label\": \"abm\"}, {\"label\": \"enlargement\"}]},"
        "{\"name\": \"tone\", \"kind\": \"single\", \"values\": ["
        "{\"label\": \"conciliatory\"}, {\"label\": \"confrontational\"}]}]}",
        STANCE_OK, &err);
    ck_assert(!stance_codebook_same(cb, other));
    stance_codebook_free(other);
    stance_codebook_free(cb);
    stance_codebook_free(NULL);
}
END_TEST

/* A codebook (JSON text) and the message it is rejected with. */
#define DIM_TONE "{\"name\": \"tone\", \"kind\": \"single\", \"values\": [{\"label\": \"a\"}, {\"label\": \"b\"}]}"
static const struct {
    const char *json;
    const char *message;
} bad_codebooks[] = {
    {"[]", "codebook: expected a JSON object"},
    {"{\"name\": \"x\"}", "codebook has no \"dimensions\""},
    {"{\"dimensions\": {}}", "\"dimensions\" must be an array, got an object"},
    {"{\"dimensions\": []}", "\"dimensions\" is empty"},
    {"{\"dimensions\": [" DIM_TONE ", 3]}", "dimension 2: expected an object, got a number"},
    {"{\"dimensions\": [{\"kind\": \"multi\"}]}",
     "dimension 1: \"name\" must be a non-empty string"},
    {"{\"dimensions\": [{\"name\": \"\", \"kind\": \"multi\"}]}",
     "dimension 1: \"name\" must be a non-empty string"},
    {"{\"dimensions\": [" DIM_TONE ", " DIM_TONE "]}",
     "dimension 2 (\"tone\"): duplicate name (also dimension 1)"},
    {"{\"dimensions\": [" DIM_TONE ", {\"name\": \"x\", \"kind\": \"both\", \"values\": []}]}",
     "dimension 2 (\"x\"): kind must be \"multi\" or \"single\""},
    {"{\"dimensions\": [{\"name\": \"tone\", \"values\": []}]}",
     "dimension 1 (\"tone\"): kind must be \"multi\" or \"single\""},
    {"{\"dimensions\": [{\"name\": \"t\", \"kind\": \"multi\"}]}",
     "dimension 1 (\"t\"): \"values\" must be an array, got nothing"},
    {"{\"dimensions\": [{\"name\": \"t\", \"kind\": \"multi\", \"values\": []}]}",
     "dimension 1 (\"t\"): no values"},
    {"{\"dimensions\": [{\"name\": \"t\", \"kind\": \"single\", \"values\": [{\"label\": \"a\"}]}]}",
     "dimension 1 (\"t\"): a single dimension needs at least two values"},
    {"{\"dimensions\": [{\"name\": \"t\", \"kind\": \"multi\", \"values\": [\"a\"]}]}",
     "dimension 1 (\"t\"), value 1: expected an object, got a string"},
    {"{\"dimensions\": [{\"name\": \"t\", \"kind\": \"multi\", \"values\": [{\"label\": \"a\"}, "
     "{\"label\": \"\"}]}]}",
     "dimension 1 (\"t\"), value 2: \"label\" must be a non-empty string"},
    {"{\"dimensions\": [{\"name\": \"t\", \"kind\": \"multi\", \"values\": [{\"label\": \"a\"}, "
     "{\"label\": \"b\"}, {\"label\": \"a\"}]}]}",
     "dimension 1 (\"t\"): duplicate label \"a\" (values 1 and 3)"},
    {"{\"dimensions\": [{\"name\": \"t\", \"kind\": \"multi\", \"values\": [{\"label\": \"a\", "
     "\"definition\": 1}]}]}",
     "dimension 1 (\"t\"), value 1 (\"a\"): \"definition\" must be a string"},
    {"{\"dimensions\": [{\"name\": \"tone\", \"kind\": \"single\", \"optional\": \"yes\", "
     "\"values\": [{\"label\": \"a\"}, {\"label\": \"b\"}]}]}",
     "dimension 1 (\"tone\"): \"optional\" must be true or false, got a string"},
    {"{\"dimensions\": [{\"name\": \"tone\", \"kind\": \"single\", \"optional\": 1, "
     "\"values\": [{\"label\": \"a\"}, {\"label\": \"b\"}]}]}",
     "dimension 1 (\"tone\"): \"optional\" must be true or false, got a number"},
    {"{\"dimensions\": [" DIM_TONE ", {\"name\": \"t\", \"kind\": \"single\", \"optional\": null, "
     "\"values\": [{\"label\": \"a\"}, {\"label\": \"b\"}]}]}",
     "dimension 2 (\"t\"): \"optional\" must be true or false, got null"},
    {"{\"dimensions\": [{\"name\": \"topics\", \"kind\": \"multi\", \"optional\": true, "
     "\"values\": [{\"label\": \"a\"}]}]}",
     "dimension 1 (\"topics\"): only a single dimension can be optional (a multi dimension takes "
     "[] for none)"},
    {"{\"dimensions\": [{\"name\": \"tone\", \"kind\": \"single\", \"optional\": true, "
     "\"values\": [{\"label\": \"a\"}, {\"label\": \"(none)\"}]}]}",
     "dimension 1 (\"tone\"): an optional dimension cannot have a value labeled \"(none)\""},
    /* a dimension named after a field of the records would overwrite it in stance-tag's output */
    {"{\"dimensions\": [" DIM_TONE ", {\"name\": \"doc\", \"kind\": \"multi\", \"values\": "
     "[{\"label\": \"a\"}]}]}",
     "dimension 2 (\"doc\"): the name is taken by a field of the records (doc, passage, start, end, "
     "kind, text, passages, id, tokens, offsets, stems, scores, explain, applies)"},
    /* control characters: terminal escapes, invisible, not typeable as --label VALUE */
    {"{\"dimensions\": [{\"name\": \"t\\u001b[31m\", \"kind\": \"multi\", \"values\": "
     "[{\"label\": \"a\"}]}]}",
     "dimension 1: \"name\" holds a control character"},
    {"{\"dimensions\": [{\"name\": \"t\", \"kind\": \"multi\", \"values\": [{\"label\": \"a\"}, "
     "{\"label\": \"b\\nc\"}]}]}",
     "dimension 1 (\"t\"), value 2: \"label\" holds a control character"},
    {"{\"dimensions\": [{\"name\": \"t\", \"kind\": \"multi\", \"values\": [{\"label\": "
     "\"\\u0085\"}]}]}",
     "dimension 1 (\"t\"), value 1: \"label\" holds a control character"},
    {"{\"dimensions\": [{\"name\": \"t\", \"kind\": \"multi\", \"values\": [{\"label\": "
     "\"\\u007f\"}]}]}",
     "dimension 1 (\"t\"), value 1: \"label\" holds a control character"},
    /* ';' joins the labels of one cell in stance-tag's tables: "a;b" would read as two */
    {"{\"dimensions\": [{\"name\": \"t\", \"kind\": \"multi\", \"values\": [{\"label\": \"a\"}, "
     "{\"label\": \"a;b\"}]}]}",
     "dimension 1 (\"t\"), value 2 (\"a;b\"): \"label\" holds ';', which joins a passage's labels "
     "in one column of stance-tag's tables (--format csv or tsv); choose a label without it"},
};

/* "optional": true or false on a single dimension, false on a multi one; written back only
 * when true, and part of stance_codebook_same. */
START_TEST(test_optional)
{
    stance_error err;
    stance_codebook *plain = parse_codebook(small_codebook, STANCE_OK, &err);
    stance_codebook *opt = parse_codebook(
        "{\"dimensions\": [{\"name\": \"topics\", \"kind\": \"multi\", \"optional\": false, "
        "\"values\": [{\"label\": \"kosovo\"}, {\"label\": \"enlargement\"}, {\"label\": \"abm\"}]},"
        "{\"name\": \"tone\", \"kind\": \"single\", \"optional\": true, \"values\": ["
        "{\"label\": \"conciliatory\"}, {\"label\": \"confrontational\"}]}]}",
        STANCE_OK, &err);
    stance_codebook *no = parse_codebook(
        "{\"dimensions\": [{\"name\": \"topics\", \"kind\": \"multi\", \"values\": ["
        "{\"label\": \"kosovo\"}, {\"label\": \"enlargement\"}, {\"label\": \"abm\"}]},"
        "{\"name\": \"tone\", \"kind\": \"single\", \"optional\": false, \"values\": ["
        "{\"label\": \"conciliatory\"}, {\"label\": \"confrontational\"}]}]}",
        STANCE_OK, &err);
    ck_assert_int_eq(stance_codebook_get_dimension(plain, 1)->optional, 0);
    ck_assert_int_eq(stance_codebook_get_dimension(opt, 0)->optional, 0);
    ck_assert_int_eq(stance_codebook_get_dimension(opt, 1)->optional, 1);
    ck_assert_int_eq(stance_codebook_get_dimension(no, 1)->optional, 0);
    ck_assert(!stance_codebook_same(plain, opt));
    ck_assert(!stance_codebook_same(opt, plain));
    ck_assert(stance_codebook_same(plain, no)); /* false is the default */

    /* The flag is written only when true, so other codebooks round-trip as before. */
    json_t *json = stance_codebook_to_json(opt);
    const json_t *dims = json_object_get(json, "dimensions");
    ck_assert_ptr_null(json_object_get(json_array_get(dims, 0), "optional"));
    ck_assert(json_is_true(json_object_get(json_array_get(dims, 1), "optional")));
    stance_codebook *back;
    ck_assert_int_eq(stance_codebook_from_json(json, "round", &back, &err), STANCE_OK);
    ck_assert(stance_codebook_same(opt, back));
    ck_assert_int_eq(stance_codebook_get_dimension(back, 1)->optional, 1);
    json_decref(json);
    stance_codebook_free(back);
    json = stance_codebook_to_json(no);
    ck_assert_ptr_null(json_object_get(json_array_get(json_object_get(json, "dimensions"), 1), "optional"));
    json_decref(json);

    /* [] on the optional tone: labeled, no value applies; null and missing stay unlabeled. */
    static const struct {
        const char *rec, *targets;
    } cases[] = {
        {"{\"topics\": [], \"tone\": []}", "NNNNN"},
        {"{\"topics\": [\"abm\"], \"tone\": null}", "NNY--"},
        {"{\"topics\": [\"abm\"]}", "NNY--"},
        {"{\"tone\": \"conciliatory\"}", "---YN"},
        {"{\"tone\": [{\"label\": \"confrontational\", \"score\": 0.6}]}", "---NY"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *rec = json_loads(cases[i].rec, 0, NULL);
        signed char t[5];
        char got[6];
        ck_assert_int_eq(stance_codebook_targets(opt, rec, "in.jsonl", 1, t, &err), STANCE_OK);
        for (int k = 0; k < 5; k++)
            got[k] = t[k] == STANCE_TARGET_YES ? 'Y' : t[k] == STANCE_TARGET_NO ? 'N' : '-';
        got[5] = '\0';
        ck_assert_str_eq(got, cases[i].targets);
        json_decref(rec);
    }
    /* Still at most one value. */
    json_t *two = json_loads("{\"tone\": [\"conciliatory\", \"confrontational\"]}", 0, NULL);
    signed char t[5];
    ck_assert_int_eq(stance_codebook_targets(opt, two, "in.jsonl", 2, t, &err), STANCE_ERR_DATA);
    ck_assert_str_eq(err.message, "dimension \"tone\" takes exactly one value, got 2");
    json_decref(two);

    /* The value-index label column: N + 1 when no value applies, 0 when unlabeled. */
    stance_label_column *lc;
    ck_assert_int_eq(stance_label_column_new(opt, "tone", "cb.json", &lc, &err), STANCE_OK);
    static const struct {
        const char *rec;
        int label;
    } columns[] = {{"{\"tone\": []}", 3}, {"{\"tone\": null}", 0}, {"{\"tone\": \"confrontational\"}", 2}};
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++) {
        json_t *rec = json_loads(columns[i].rec, 0, NULL);
        int label = 99;
        ck_assert_int_eq(stance_label_column_get(lc, rec, "in.jsonl", 1, &label, &err), STANCE_OK);
        ck_assert_int_eq(label, columns[i].label);
        json_decref(rec);
    }
    stance_label_column_free(lc);
    stance_codebook_free(plain);
    stance_codebook_free(opt);
    stance_codebook_free(no);
}
END_TEST

/* Every name a record field has is refused as a dimension name; near misses are fine. */
static const struct {
    const char *name;
    int reserved;
} dimension_names[] = {
    {"doc", 1}, {"passage", 1}, {"start", 1}, {"end", 1}, {"kind", 1}, {"text", 1},
    {"passages", 1}, {"id", 1}, {"tokens", 1}, {"offsets", 1}, {"stems", 1}, {"scores", 1},
    {"explain", 1}, {"applies", 1}, {"Doc", 0}, {"docs", 0}, {"ids", 0}, {"topics", 0}, {"tone", 0},
    {"text ", 0}, {"\u00e9", 0},
};

START_TEST(test_reserved_names)
{
    char json[256];
    snprintf(json, sizeof json, "{\"dimensions\": [{\"name\": \"%s\", \"kind\": \"multi\", "
             "\"values\": [{\"label\": \"a\"}]}]}", dimension_names[_i].name);
    stance_error err;
    stance_codebook *cb = parse_codebook(json, dimension_names[_i].reserved ? STANCE_ERR_DATA
                                                                            : STANCE_OK, &err);
    if (dimension_names[_i].reserved)
        ck_assert_ptr_nonnull(strstr(err.message, "the name is taken by a field of the records"));
    stance_codebook_free(cb);
}
END_TEST

/* A codebook of 200 000 values (and one of 20 000 dimensions) is read in linear time: every
 * value found again, a duplicate at the end named with the first place. Quadratic duplicate
 * checks took minutes here. */
START_TEST(test_big_codebook)
{
    enum { VALUES = 200000, DIMS = 20000 };
    json_t *values = json_array(), *dims = json_array();
    char label[32];
    for (int i = 0; i < VALUES; i++) {
        snprintf(label, sizeof label, "v%d", i);
        json_array_append_new(values, json_pack("{s:s}", "label", label));
    }
    for (int i = 0; i < DIMS; i++) {
        snprintf(label, sizeof label, "d%d", i);
        json_array_append_new(dims, json_pack("{s:s, s:s, s:[{s:s}]}", "name", label, "kind",
                                              "multi", "values", "label", "x"));
    }
    json_array_append_new(dims, json_pack("{s:s, s:s, s:O}", "name", "big", "kind", "single",
                                          "values", values));
    json_t *json = json_pack("{s:O}", "dimensions", dims);
    ck_assert_ptr_nonnull(json);
    stance_codebook *cb;
    stance_error err;
    ck_assert_int_eq(stance_codebook_from_json(json, "big.json", &cb, &err), STANCE_OK);
    ck_assert_uint_eq(stance_codebook_get_value_count(cb), VALUES + DIMS);
    const stance_dimension *big = stance_codebook_get_dimension(cb, DIMS);
    for (int i = 0; i < VALUES; i += 7) {
        snprintf(label, sizeof label, "v%d", i);
        ck_assert_int_eq(stance_dimension_find(big, label), i);
    }
    ck_assert_int_eq(stance_dimension_find(big, "v200000"), -1);
    stance_label_column *lc;
    ck_assert_int_eq(stance_label_column_new(cb, "d19999:x", "big.json", &lc, &err), STANCE_OK);
    stance_label_column_free(lc);
    stance_codebook_free(cb);
    json_decref(json);

    json_array_append_new(dims, json_pack("{s:s, s:s, s:[{s:s}]}", "name", "d42", "kind", "multi",
                                          "values", "label", "x"));
    json = json_pack("{s:O}", "dimensions", dims);
    ck_assert_int_eq(stance_codebook_from_json(json, "big.json", &cb, &err), STANCE_ERR_DATA);
    ck_assert_str_eq(err.message, "dimension 20002 (\"d42\"): duplicate name (also dimension 43)");
    json_decref(json);
    json_array_append_new(values, json_pack("{s:s}", "label", "v123456"));
    json = json_pack("{s:[{s:s, s:s, s:O}]}", "dimensions", "name", "big", "kind", "multi",
                     "values", values);
    ck_assert_int_eq(stance_codebook_from_json(json, "big.json", &cb, &err), STANCE_ERR_DATA);
    ck_assert_str_eq(err.message, "dimension 1 (\"big\"): duplicate label \"v123456\" (values 123457 "
                                  "and 200001)");
    json_decref(json);
    json_decref(values);
    json_decref(dims);
}
END_TEST

START_TEST(test_bad_codebook)
{
    stance_error err;
    stance_error_clear(&err);
    stance_codebook *cb = parse_codebook(bad_codebooks[_i].json, STANCE_ERR_DATA, &err);
    ck_assert_ptr_null(cb);
    ck_assert_str_eq(err.where, "cb.json");
    ck_assert_int_eq(err.line, 0);
    ck_assert_str_eq(err.message, bad_codebooks[_i].message);
}
END_TEST

START_TEST(test_load_errors)
{
    stance_codebook *cb;
    stance_error err;
    char msg[1024];
    ck_assert_int_eq(stance_codebook_load("data/no-such-codebook.json", &cb, &err), STANCE_ERR_IO);
    ck_assert_ptr_null(cb);
    stance_error_format(&err, msg, sizeof msg);
    ck_assert_str_eq(msg, "data/no-such-codebook.json: cannot open: No such file or directory");
    ck_assert_int_eq(stance_codebook_load("data/codebook-bad-kind.json", &cb, &err),
                     STANCE_ERR_DATA);
    stance_error_format(&err, msg, sizeof msg);
    ck_assert_str_eq(msg, "data/codebook-bad-kind.json: dimension 2 (\"tone\"): kind must be "
                          "\"multi\" or \"single\"");
    ck_assert_int_eq(stance_codebook_load("data/codebook-broken.json", &cb, &err),
                     STANCE_ERR_DATA);
    ck_assert_str_eq(err.where, "data/codebook-broken.json");
    ck_assert_int_eq(err.line, 3);
    ck_assert_ptr_nonnull(strstr(err.message, "invalid JSON at column"));
}
END_TEST

/* A record against small_codebook and its targets, one character per slot: Y(es), N(o),
 * -(unlabeled); or the message it is rejected with. */
static const struct {
    const char *rec;
    const char *targets;
    const char *message;
} target_cases[] = {
    {"{\"id\": 1}", "-----", NULL},
    {"{\"topics\": null, \"tone\": null}", "-----", NULL},
    {"{\"topics\": [], \"tone\": \"conciliatory\"}", "NNNYN", NULL},
    {"{\"topics\": [\"abm\", \"kosovo\"]}", "YNY--", NULL},
    {"{\"topics\": [\"abm\", \"abm\"]}", "NNY--", NULL},
    {"{\"topics\": \"enlargement\"}", "NYN--", NULL},
    {"{\"topics\": {\"label\": \"abm\"}}", "NNY--", NULL},
    {"{\"topics\": [{\"label\": \"kosovo\", \"score\": 0.91}, \"abm\"],"
     " \"tone\": {\"label\": \"confrontational\", \"score\": 0.8}}",
     "YNYNY", NULL},
    {"{\"tone\": [\"confrontational\"]}", "---NY", NULL},
    {"{\"topics\": [\"kosovoo\"]}", NULL, "unknown value \"kosovoo\" for dimension \"topics\""},
    {"{\"topics\": \"Kosovo\"}", NULL, "unknown value \"Kosovo\" for dimension \"topics\""},
    {"{\"tone\": \"hostile\"}", NULL, "unknown value \"hostile\" for dimension \"tone\""},
    {"{\"tone\": \"abm\"}", NULL, "unknown value \"abm\" for dimension \"tone\""},
    {"{\"topics\": 3}", NULL, "dimension \"topics\": expected an array of labels, got a number"},
    {"{\"tone\": true}", NULL, "dimension \"tone\": expected a label, got a boolean"},
    {"{\"topics\": [\"abm\", 2]}", NULL,
     "dimension \"topics\": a value must be a string or an object with \"label\", got a number"},
    {"{\"topics\": [[\"abm\"]]}", NULL,
     "dimension \"topics\": a value must be a string or an object with \"label\", got an array"},
    {"{\"topics\": [{\"score\": 1}]}", NULL,
     "dimension \"topics\": value object has no \"label\" string"},
    {"{\"tone\": {\"label\": 1}}", NULL, "dimension \"tone\": value object has no \"label\" string"},
    {"{\"tone\": {\"label\": \"conciliatory\", \"score\": \"high\"}}", NULL,
     "dimension \"tone\": \"score\" must be a number from 0 to 1"},
    {"{\"topics\": [{\"label\": \"abm\", \"score\": 1.5}]}", NULL,
     "dimension \"topics\": \"score\" must be a number from 0 to 1"},
    {"{\"topics\": [{\"label\": \"abm\", \"score\": -0.1}]}", NULL,
     "dimension \"topics\": \"score\" must be a number from 0 to 1"},
    {"{\"tone\": []}", NULL,
     "dimension \"tone\" takes exactly one value, got 0 ([] for none needs \"optional\": true in "
     "the codebook)"},
    {"{\"tone\": [\"conciliatory\", \"confrontational\"]}", NULL,
     "dimension \"tone\" takes exactly one value, got 2"},
};

START_TEST(test_targets)
{
    stance_error err;
    stance_codebook *cb = parse_codebook(small_codebook, STANCE_OK, &err);
    json_error_t je;
    json_t *rec = json_loads(target_cases[_i].rec, 0, &je);
    ck_assert_ptr_nonnull(rec);
    signed char t[5];
    stance_status st = stance_codebook_targets(cb, rec, "in.jsonl", 7, t, &err);
    if (target_cases[_i].targets) {
        ck_assert_int_eq(st, STANCE_OK);
        char got[6];
        for (int i = 0; i < 5; i++)
            got[i] = t[i] == STANCE_TARGET_YES ? 'Y' : t[i] == STANCE_TARGET_NO ? 'N' : '-';
        got[5] = '\0';
        ck_assert_str_eq(got, target_cases[_i].targets);
    } else {
        ck_assert_int_eq(st, STANCE_ERR_DATA);
        ck_assert_str_eq(err.where, "in.jsonl");
        ck_assert_int_eq(err.line, 7);
        ck_assert_str_eq(err.message, target_cases[_i].message);
    }
    json_decref(rec);
    stance_codebook_free(cb);
}
END_TEST

/* The project's codebook, and every labeled passage has valid targets on both dimensions
 * (topics always labeled; tone optional: one value, or [] where none applies). */
START_TEST(test_project_labels)
{
    stance_codebook *cb;
    stance_error err;
    ck_assert_int_eq(stance_codebook_load("../labels/codebook.json", &cb, &err), STANCE_OK);
    ck_assert_uint_eq(stance_codebook_get_dimension_count(cb), 2);
    const stance_dimension *topics = stance_codebook_get_dimension(cb, 0);
    const stance_dimension *tone = stance_codebook_get_dimension(cb, 1);
    ck_assert_str_eq(topics->name, "topics");
    ck_assert_int_eq(topics->kind, STANCE_DIM_MULTI);
    ck_assert_int_ge(stance_dimension_find(topics, "kosovo"), 0);
    ck_assert_int_ge(stance_dimension_find(topics, "arms_sales"), 0);
    ck_assert_str_eq(tone->name, "tone");
    ck_assert_int_eq(tone->kind, STANCE_DIM_SINGLE);
    ck_assert_uint_eq(tone->nvalues, 2);
    ck_assert_int_eq(tone->optional, 1);
    ck_assert_str_ne(topics->definitions[0], "");

    FILE *f;
    ck_assert_int_eq(stance_stream_open("../labels/passages.jsonl", "rb", &f, &err), STANCE_OK);
    stance_jsonl_reader *r;
    ck_assert_int_eq(stance_jsonl_reader_new(f, "passages.jsonl", &r, &err), STANCE_OK);
    signed char t[64];
    ck_assert_uint_le(stance_codebook_get_value_count(cb), sizeof t);
    long records = 0, with_tone = 0, no_tone = 0;
    json_t *rec;
    stance_status st;
    char msg[1024];
    while ((st = stance_jsonl_read(r, &rec, &err)) == STANCE_OK && rec) {
        st = stance_codebook_targets(cb, rec, "passages.jsonl", stance_jsonl_get_line(r), t, &err);
        json_decref(rec);
        stance_error_format(&err, msg, sizeof msg);
        ck_assert_msg(st == STANCE_OK, "%s", msg);
        ck_assert_int_ne(t[topics->offset], STANCE_TARGET_UNLABELED);
        records++;
        with_tone += t[tone->offset] != STANCE_TARGET_UNLABELED;
        no_tone += t[tone->offset] == STANCE_TARGET_NO && t[tone->offset + 1] == STANCE_TARGET_NO;
    }
    ck_assert_int_eq(st, STANCE_OK);
    ck_assert_int_gt(records, 0);
    ck_assert_int_gt(with_tone, 0);
    ck_assert_int_gt(no_tone, 0);
    stance_jsonl_reader_free(r);
    fclose(f);
    stance_codebook_free(cb);
}
END_TEST

/* Label columns: a spec, a record, and the label and text expected ("" spec: a usage error
 * whose message is the expected text). */
static const struct {
    const char *spec, *record;
    int label;
    const char *text;
} column_cases[] = {
    {"topics:abm", "{\"topics\": [\"abm\", \"kosovo\"]}", 1, "+1"},
    {"topics:abm", "{\"topics\": [\"kosovo\"]}", -1, "-1"},
    {"topics:abm", "{\"topics\": []}", -1, "-1"},
    {"topics:abm", "{\"tone\": \"conciliatory\"}", 0, "0"},
    {"tone:confrontational", "{\"tone\": \"confrontational\"}", 1, "+1"},
    {"tone", "{\"tone\": \"confrontational\"}", 2, "2"},
    {"tone", "{\"tone\": \"conciliatory\"}", 1, "1"},
    {"tone", "{\"topics\": [\"abm\"]}", 0, "0"},
};

START_TEST(test_label_column)
{
    stance_error err;
    stance_codebook *cb = parse_codebook(small_codebook, STANCE_OK, &err);
    stance_label_column *lc;
    ck_assert_int_eq(stance_label_column_new(cb, column_cases[_i].spec, "cb.json", &lc, &err), STANCE_OK);
    json_t *rec = json_loads(column_cases[_i].record, 0, NULL);
    int label = 99;
    ck_assert_int_eq(stance_label_column_get(lc, rec, "in.jsonl", 4, &label, &err), STANCE_OK);
    ck_assert_int_eq(label, column_cases[_i].label);
    char text[12];
    stance_label_column_format(lc, label, text, sizeof text);
    ck_assert_str_eq(text, column_cases[_i].text);
    /* A record with an unknown value is the codebook's data error, at the record's place. */
    json_t *bad = json_loads("{\"topics\": [\"mars\"], \"tone\": \"wry\"}", 0, NULL);
    ck_assert_int_eq(stance_label_column_get(lc, bad, "in.jsonl", 5, &label, &err), STANCE_ERR_DATA);
    ck_assert_str_eq(err.where, "in.jsonl");
    ck_assert_int_eq(err.line, 5);
    json_decref(bad);
    json_decref(rec);
    stance_label_column_free(lc);
    stance_codebook_free(cb);
}
END_TEST

static const struct {
    const char *spec, *message;
} bad_columns[] = {
    {"mood", "no dimension 'mood' (dimensions: topics, tone)"},
    {"mood:calm", "no dimension 'mood' (dimensions: topics, tone)"},
    {"topics", "'topics' takes several values: give --label topics:VALUE"},
    {"topics:mars", "dimension 'topics' has no value 'mars' (values: kosovo, enlargement, abm)"},
    {"tone:", "dimension 'tone' has no value '' (values: conciliatory, confrontational)"},
    {"", "no dimension '' (dimensions: topics, tone)"},
};

START_TEST(test_bad_label_column)
{
    stance_error err;
    stance_codebook *cb = parse_codebook(small_codebook, STANCE_OK, &err);
    stance_label_column *lc = (stance_label_column *)&err; /* must be reset to NULL */
    ck_assert_int_eq(stance_label_column_new(cb, bad_columns[_i].spec, "cb.json", &lc, &err), STANCE_ERR_USAGE);
    ck_assert_ptr_null(lc);
    ck_assert_str_eq(err.message, bad_columns[_i].message);
    ck_assert_str_eq(err.where, "cb.json");
    stance_label_column_free(NULL);
    char text[12];
    stance_label_column_format(NULL, 1, text, sizeof text); /* no column: the bare number */
    ck_assert_str_eq(text, "1");
    stance_codebook_free(cb);
}
END_TEST

Suite *codebook_suite(void)
{
    Suite *s = suite_create("codebook");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_small_codebook);
    tcase_add_loop_test(tc, test_bad_codebook, 0, sizeof bad_codebooks / sizeof bad_codebooks[0]);
    tcase_add_test(tc, test_optional);
    tcase_add_loop_test(tc, test_reserved_names, 0, sizeof dimension_names / sizeof dimension_names[0]);
    tcase_add_test(tc, test_load_errors);
    tcase_add_loop_test(tc, test_targets, 0, sizeof target_cases / sizeof target_cases[0]);
    tcase_add_test(tc, test_project_labels);
    tcase_add_loop_test(tc, test_label_column, 0, sizeof column_cases / sizeof column_cases[0]);
    tcase_add_loop_test(tc, test_bad_label_column, 0, sizeof bad_columns / sizeof bad_columns[0]);
    suite_add_tcase(s, tc);
    TCase *big = tcase_create("big");
    tcase_set_timeout(big, 60); /* about a second, but the machine may be busy or valgrind on */
    tcase_add_test(big, test_big_codebook);
    suite_add_tcase(s, big);
    return s;
}
