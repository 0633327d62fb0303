/* check_actors.c: the lexicon of the parties (actors_int.h): what the parser takes and refuses
 * (file and line), stemming, the bundle's JSON form; and the analyzer's actor scope on tricky
 * text (abbreviations, possessives, stop words that name a side, names of two words, sentence
 * ends). */
#include <stdlib.h>
#include <string.h>

#include "../../pipeline/actors_int.h"
#include "../../pipeline/analyze_int.h"
#include "../../pipeline/stem_int.h"
#include "suites.h"

#define LEXICON "russia: russia moscow kremlin\nwest: nato us U.S. washington united_states\n"

static stance_actors *parse_ok(const char *text)
{
    stance_actors *a = NULL;
    stance_error err;
    stance_status st = stance_actors_parse(text, strlen(text), "lex.txt", &a, &err);
    ck_assert_msg(st == STANCE_OK, "\"%s\" refused: %s", text, err.message);
    return a;
}

START_TEST(test_parse_good)
{
    /* a BOM, CRLF ends, comments, blank lines, a side over two lines, a word twice on a side */
    const char *text = "\xEF\xBB\xBF# parties\r\n\r\nrussia : Russia's MOSCOW  # the capital\r\n"
                       "west:\tU.S. nato\nrussia: moscow kremlin\n   \n";
    stance_actors *a = parse_ok(text);
    ck_assert_uint_eq(stance_actors_get_side_count(a), 2);
    ck_assert_str_eq(stance_actors_get_side_name(a, 0), "russia");
    ck_assert_str_eq(stance_actors_get_side_name(a, 1), "west");
    ck_assert_ptr_null(stance_actors_get_side_name(a, 2));
    ck_assert_int_eq(stance_actors_side_of(a, "russia", 6), 0); /* "Russia's": the token */
    ck_assert_int_eq(stance_actors_side_of(a, "kremlin", 7), 0);
    ck_assert_int_eq(stance_actors_side_of(a, "u.s", 3), 1);
    ck_assert_int_eq(stance_actors_side_of(a, "nato", 4), 1);
    ck_assert_int_eq(stance_actors_side_of(a, "parties", 7), -1); /* a comment */
    ck_assert_int_eq(stance_actors_has_pairs(a), 0);
    stance_actors_free(a);
    a = parse_ok(LEXICON);
    ck_assert_int_eq(stance_actors_has_pairs(a), 1);
    ck_assert_int_eq(stance_actors_side_of(a, "united states", 13), 1);
    ck_assert_int_eq(stance_actors_side_of(a, "united", 6), -1);
    stance_actors_free(a);
}
END_TEST

static const struct {
    const char *text;
    size_t len; /* 0: strlen */
    long line;
    const char *msg;
} bad_cases[] = {
    {"russia moscow\nwest: nato\n", 0, 1, "expected \"SIDE: WORD"},
    {"russia: moscow\n: nato\n", 0, 2, "a side's name is"},
    {"Russia: moscow\nwest: nato\n", 0, 1, "not \"Russia\""},
    {"the west: nato\nrussia: moscow\n", 0, 1, "not \"the west\""},
    {"russia: moscow\nwest:   # none yet\n", 0, 2, "side \"west\" lists no words"},
    {"russia: moscow kremlin\n", 0, 0, "1 side: a lexicon of the parties needs at least two"},
    {"# nothing\n\n", 0, 0, "0 sides"},
    {"", 0, 0, "0 sides"},
    {"russia: moscow\nwest: nato\nwest: washington moscow\n", 0, 3,
     "\"moscow\" is on side \"russia\" already (line 1)"},
    {"russia: MOSCOW\nwest: Moscow's\n", 0, 2, "\"moscow\" is on side \"russia\" already"},
    {"russia: nato-russia\nwest: nato\n", 0, 1, "\"nato-russia\" is not one word"},
    {"russia: moscow\nwest: united_states_army\n", 0, 2, "is not one word"},
    {"russia: moscow\nwest: _nato\n", 0, 2, "is not one word"},
    {"russia: ...\nwest: nato\n", 0, 1, "is not one word"},
    {"russia: mos\xff" "cow\nwest: nato\n", 0, 1, "invalid UTF-8 at byte 11"},
    {"russia: moscow\nwest: na\0to\n", 25, 2, "a NUL byte at byte 23"},
    {"russia: moscow\nwest: nato\n"
     "a: x\nb: x1\nc: x2\nd: x3\ne: x4\nf: x5\ng: x6\nh: x7\ni: x8\nj: x9\nk: y1\nl: y2\n"
     "m: y3\nn: y4\no: y5\n", 0, 17, "more than 16 sides"},
};

START_TEST(test_parse_bad)
{
    stance_actors *a = (stance_actors *)1;
    stance_error err;
    size_t len = bad_cases[_i].len ? bad_cases[_i].len : strlen(bad_cases[_i].text);
    ck_assert_int_eq(stance_actors_parse(bad_cases[_i].text, len, "lex.txt", &a, &err),
                     STANCE_ERR_DATA);
    ck_assert_ptr_null(a);
    ck_assert_str_eq(err.where, "lex.txt");
    ck_assert_int_eq(err.line, bad_cases[_i].line);
    ck_assert_msg(strstr(err.message, bad_cases[_i].msg), "case %d: \"%s\" lacks \"%s\"", _i,
                  err.message, bad_cases[_i].msg);
}
END_TEST

/* The limits: a line, a word and the number of words. */
START_TEST(test_parse_limits)
{
    stance_error err;
    stance_actors *a;
    size_t n = STANCE_ACTORS_LINE_MAX + 100;
    char *text = malloc(n + 64);
    ck_assert_ptr_nonnull(text);
    strcpy(text, "russia: moscow\nwest:");
    size_t at = strlen(text);
    while (at < n) /* distinct words: w0 w1 ... */
        at += (size_t)sprintf(text + at, " w%zu", at);
    ck_assert_int_eq(stance_actors_parse(text, at, "lex.txt", &a, &err), STANCE_ERR_DATA);
    ck_assert_int_eq(err.line, 2);
    ck_assert_ptr_nonnull(strstr(err.message, "a line of more than"));
    memset(text, 'a', 80);
    memcpy(text, "west: ", 6);
    ck_assert_int_eq(stance_actors_parse(text, 80, "lex.txt", &a, &err), STANCE_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "a word of more than 64 bytes"));
    free(text);
    /* STANCE_ACTORS_WORDS_MAX words, on lines of 100 words */
    size_t words = STANCE_ACTORS_WORDS_MAX + 1, cap = words * 12 + 64;
    text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    at = (size_t)sprintf(text, "russia: moscow\n");
    for (size_t w = 1; w < words; w++)
        at += (size_t)sprintf(text + at, w % 100 == 1 ? "west: v%zu" : w % 100 == 0 ? " v%zu\n" : " v%zu", w);
    ck_assert_int_eq(stance_actors_parse(text, at, "lex.txt", &a, &err), STANCE_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "more than 10000 words"));
    free(text);
}
END_TEST

START_TEST(test_stem)
{
    stance_stemmer *st;
    stance_error err;
    ck_assert_int_eq(stance_stemmer_new("english", &st, &err), STANCE_OK);
    stance_actors *a = parse_ok("russia: russians Moscow\nwest: Americans american united_states\n");
    ck_assert_int_eq(stance_actors_stem(a, st, &err), STANCE_OK);
    ck_assert_int_eq(stance_actors_side_of(a, "russian", 7), 0);
    ck_assert_int_eq(stance_actors_side_of(a, "russians", 8), -1);
    ck_assert_int_eq(stance_actors_side_of(a, "american", 8), 1);
    ck_assert_int_eq(stance_actors_side_of(a, "unit state", 10), 1);
    json_t *j = stance_actors_to_json(a);
    char *s = json_dumps(j, JSON_COMPACT);
    /* "Americans" and "american" share a stem: kept once */
    ck_assert_str_eq(s, "[{\"side\":\"russia\",\"stems\":[\"russian\",\"moscow\"]},"
                        "{\"side\":\"west\",\"stems\":[\"american\",\"unit state\"]}]");
    free(s);
    json_decref(j);
    stance_actors_free(a);
    /* two sides' words with one stem: refused, naming the line of the second */
    a = parse_ok("russia: nation\n\nwest: nations\n");
    ck_assert_int_eq(stance_actors_stem(a, st, &err), STANCE_ERR_DATA);
    ck_assert_int_eq(err.line, 3);
    ck_assert_ptr_nonnull(strstr(err.message, "\"nations\" has the stem \"nation\", as a word of side \"russia\" has (line 1)"));
    stance_actors_free(a);
    stance_stemmer_free(st);
}
END_TEST

START_TEST(test_json_round_trip)
{
    stance_actors *a = parse_ok(LEXICON "china: beijing\n");
    json_t *j = stance_actors_to_json(a), *j2;
    stance_actors *b;
    stance_error err;
    ck_assert_int_eq(stance_actors_from_json(j, "m/manifest.json", &b, &err), STANCE_OK);
    ck_assert_ptr_nonnull(j2 = stance_actors_to_json(b));
    ck_assert(json_equal(j, j2));
    ck_assert_int_eq(stance_actors_side_of(b, "united states", 13), 1);
    ck_assert_int_eq(stance_actors_side_of(b, "beijing", 7), 2);
    json_decref(j);
    json_decref(j2);
    stance_actors_free(a);
    stance_actors_free(b);
}
END_TEST

static const char *const bad_json[] = {
    "{}",
    "[]",
    "[{\"side\":\"russia\",\"stems\":[\"moscow\"]}]",
    "[{\"side\":\"russia\",\"stems\":[\"moscow\"]},{\"side\":\"russia\",\"stems\":[\"nato\"]}]",
    "[{\"side\":\"russia\",\"stems\":[\"moscow\"]},{\"side\":\"west\",\"stems\":[\"moscow\"]}]",
    "[{\"side\":\"russia\",\"stems\":[\"moscow\"]},{\"side\":\"west\",\"stems\":[]}]",
    "[{\"side\":\"russia\",\"stems\":[\"moscow\"]},{\"side\":\"west\",\"stems\":[\"\"]}]",
    "[{\"side\":\"russia\",\"stems\":[\"moscow\"]},{\"side\":\"west\",\"stems\":[1]}]",
    "[{\"side\":\"russia\",\"stems\":[\"moscow\"]},{\"side\":\"West\",\"stems\":[\"nato\"]}]",
    "[{\"side\":\"russia\",\"stems\":[\"moscow\"]},{\"side\":\"west\",\"stems\":[\"nato\"],\"x\":1}]",
    "[{\"side\":\"russia\",\"stems\":[\"moscow\",\"moscow\"]},{\"side\":\"west\",\"stems\":[\"nato\"]}]",
    "[{\"side\":\"russia\",\"stems\":[\"mos\\u0000cow\"]},{\"side\":\"west\",\"stems\":[\"nato\"]}]",
    "[1, 2]",
};

START_TEST(test_json_bad)
{
    json_t *j = json_loads(bad_json[_i], JSON_ALLOW_NUL, NULL);
    ck_assert_ptr_nonnull(j);
    stance_actors *a = (stance_actors *)1;
    stance_error err;
    ck_assert_int_eq(stance_actors_from_json(j, "m/manifest.json", &a, &err), STANCE_ERR_DATA);
    ck_assert_ptr_null(a);
    ck_assert_str_eq(err.where, "m/manifest.json");
    json_decref(j);
}
END_TEST

/* ---- the analyzer's actor scope ---- */

#define MAXOUT 24

static const struct {
    const char *text;
    const char *stems[MAXOUT]; /* all of them, plain then copies, NULL-ended */
} feature_cases[] = {
    /* both sides in one sentence: its stems copied */
    {"NATO and Russia agreed.", {"nato", "russia", "agre", "a:nato", "a:russia", "a:agre", "a:#both"}},
    /* a side word inside a bigram of two sides ("NATO-Russia") names both */
    {"The NATO-Russia council met", {"nato", "russia", "council", "met", "a:nato", "a:russia",
                                     "a:council", "a:met", "a:#both"}},
    /* both named, in two sentences; ";" ends one too */
    {"NATO met. Russia sulked.", {"nato", "met", "russia", "sulk", "a:#apart"}},
    {"Moscow waited; Washington spoke", {"moscow", "wait", "washington", "spoke", "a:#apart"}},
    {"China praised Russia!", {"china", "prais", "russia", "a:#one"}},
    {"Nothing happened here.", {"noth", "happen", "a:#none"}},
    {"", {"a:#none"}},
    /* "U.S." gives "u.s" (stem "u."), and its period ends no sentence; "Russia's" gives russia */
    {"The U.S. criticised Russia's plan. Talks ended.",
     {"u.", "criticis", "russia", "plan", "talk", "end", "a:u.", "a:criticis", "a:russia",
      "a:plan", "a:#both"}},
    /* "us" is a stop word (dropped, not copied) but still names the West */
    {"Moscow told us nothing", {"moscow", "told", "noth", "a:moscow", "a:told", "a:noth", "a:#both"}},
    /* a name of two words, in a row; a sentence end between them breaks it */
    {"The United States and the Kremlin talked",
     {"unit", "state", "kremlin", "talk", "a:unit", "a:state", "a:kremlin", "a:talk", "a:#both"}},
    {"Russia united. States talked", {"russia", "unit", "state", "talk", "a:#one"}},
    /* a period after a number ends the sentence */
    {"NATO had 19 members in 1999. Moscow protested",
     {"nato", "19", "member", "1999", "moscow", "protest", "a:#apart"}},
};

static stance_analyzer *actor_analyzer(stance_actors **a)
{
    stance_analyzer *an;
    stance_error err;
    ck_assert_int_eq(stance_analyzer_new("english", &an, &err), STANCE_OK);
    *a = parse_ok(LEXICON);
    ck_assert_int_eq(stance_actors_stem(*a, stance_analyzer_stemmer(an), &err), STANCE_OK);
    stance_analyzer_set_actors(an, *a);
    return an;
}

START_TEST(test_features)
{
    stance_actors *a;
    stance_analyzer *an = actor_analyzer(&a);
    stance_error err;
    const char *const *stems;
    const size_t *lens;
    size_t n, want = 0;
    const char *text = feature_cases[_i].text;
    ck_assert_int_eq(stance_analyzer_run(an, text, strlen(text), &stems, &lens, &n, &err), STANCE_OK);
    while (feature_cases[_i].stems[want])
        want++;
    for (size_t k = 0; k < n && k < want; k++)
        ck_assert_msg(strcmp(stems[k], feature_cases[_i].stems[k]) == 0, "\"%s\": stem %zu is %s, not %s",
                      text, k, stems[k], feature_cases[_i].stems[k]);
    ck_assert_msg(n == want, "\"%s\": %zu stems, expected %zu", text, n, want);
    /* the indicator spans the passage's tokens; copies keep their stem's span */
    const size_t *spans = stance_analyzer_get_spans(an);
    size_t len = strlen(text);
    ck_assert_uint_le(spans[2 * (n - 1) + 1], len);
    ck_assert_uint_le(spans[2 * (n - 1)], spans[2 * (n - 1) + 1]);
    for (size_t k = 0; k < n; k++)
        ck_assert_uint_eq(lens[k], strlen(stems[k]));
    stance_analyzer_set_actors(an, NULL); /* off again: no copies, no indicator */
    size_t plain = 0;
    while (plain < want && !stance_analyzer_is_scoped(feature_cases[_i].stems[plain]))
        plain++;
    ck_assert_int_eq(stance_analyzer_run(an, text, strlen(text), &stems, &lens, &n, &err), STANCE_OK);
    ck_assert_uint_eq(n, plain);
    stance_analyzer_free(an);
    stance_actors_free(a);
}
END_TEST

/* With other scopes: their copies first, the actors' after them, the indicator last. */
START_TEST(test_features_with_scopes)
{
    stance_actors *a;
    stance_analyzer *an = actor_analyzer(&a);
    stance_analyzer_set_scopes(an, STANCE_SCOPE_CONTRAST);
    stance_error err;
    const char *const *stems;
    const size_t *lens;
    size_t n;
    const char *text = "Moscow agreed but NATO balked";
    ck_assert_int_eq(stance_analyzer_run(an, text, strlen(text), &stems, &lens, &n, &err), STANCE_OK);
    const char *want[] = {"moscow", "agre", "nato", "balk", "c:nato", "c:balk", "a:moscow",
                          "a:agre", "a:nato", "a:balk", "a:#both"};
    ck_assert_uint_eq(n, sizeof want / sizeof want[0]);
    for (size_t k = 0; k < n; k++)
        ck_assert_str_eq(stems[k], want[k]);
    stance_analyzer_free(an);
    stance_actors_free(a);
}
END_TEST

/* A long text: the copies make the buffers grow while stems are copied from them. */
START_TEST(test_features_long)
{
    stance_actors *a;
    stance_analyzer *an = actor_analyzer(&a);
    const char *unit = "Moscow and NATO talked again, ";
    size_t reps = 500, ulen = strlen(unit);
    char *big = malloc(reps * ulen + 1);
    ck_assert_ptr_nonnull(big);
    for (size_t r = 0; r < reps; r++)
        memcpy(big + r * ulen, unit, ulen);
    stance_error err;
    const char *const *stems;
    const size_t *lens;
    size_t n;
    ck_assert_int_eq(stance_analyzer_run(an, big, reps * ulen, &stems, &lens, &n, &err), STANCE_OK);
    ck_assert_uint_eq(n, 2 * 3 * reps + 1); /* moscow nato talk ("again" a stop word), copied; the indicator */
    ck_assert_str_eq(stems[3 * reps], "a:moscow");
    ck_assert_str_eq(stems[n - 1], "a:#both");
    free(big);
    stance_analyzer_free(an);
    stance_actors_free(a);
}
END_TEST

Suite *actors_suite(void)
{
    Suite *s = suite_create("actors");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_parse_good);
    tcase_add_loop_test(tc, test_parse_bad, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(tc, test_parse_limits);
    tcase_add_test(tc, test_stem);
    tcase_add_test(tc, test_json_round_trip);
    tcase_add_loop_test(tc, test_json_bad, 0, (int)(sizeof bad_json / sizeof bad_json[0]));
    tcase_add_loop_test(tc, test_features, 0, (int)(sizeof feature_cases / sizeof feature_cases[0]));
    tcase_add_test(tc, test_features_with_scopes);
    tcase_add_test(tc, test_features_long);
    suite_add_tcase(s, tc);
    return s;
}
