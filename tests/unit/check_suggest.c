/* check_suggest.c: a prediction's uncertainty worked out by hand; the pick of a batch
 * (uncertainty order, near-duplicates passed over, the random share's size, the seed); the
 * suggester's own checks and candidates on a model trained from data/train-optional.jsonl; the
 * task formats' names. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../pipeline/codebook_int.h"
#include "../../pipeline/model_int.h"
#include "../../pipeline/suggest_int.h"
#include "stance/suggest.h"
#include "stance/train.h"
#include "suites.h"

/* topics: multi {a, b} (slots 0, 1); tone: single optional {x, y} (slots 2, 3). */
static stance_codebook *small_codebook(void)
{
    json_t *j = json_loads("{\"name\": \"t\", \"dimensions\": ["
                           "{\"name\": \"topics\", \"kind\": \"multi\", \"values\": [{\"label\": \"a\"}, {\"label\": \"b\"}]},"
                           "{\"name\": \"tone\", \"kind\": \"single\", \"optional\": true,"
                           " \"values\": [{\"label\": \"x\"}, {\"label\": \"y\"}]}]}", 0, NULL);
    stance_codebook *cb = NULL;
    stance_error err;
    ck_assert_int_eq(stance_codebook_from_json(j, NULL, &cb, &err), STANCE_OK);
    json_decref(j);
    return cb;
}

static const struct {
    const char *name;
    double probs[4], applies[2];
    double distance;
    size_t dim;
    long value;
    double score;
} uncertainty_cases[] = {
    /* a .4, b .05, tone (.7 - .3) / 2 = .2, applies .3: b is nearest */
    {"multi value nearest", {0.9, 0.45, 0.7, 0.3}, {-1, 0.8}, 0.05, 0, 1, 0.45},
    /* a .49, b .4, tone (.55 - .45) / 2 = .05, applies .3 */
    {"single margin nearest", {0.01, 0.1, 0.45, 0.55}, {-1, 0.8}, 0.05, 1, 1, 0.55},
    /* applies |.52 - .5| = .02 beats everything */
    {"applies nearest", {0.9, 0.2, 0.9, 0.1}, {-1, 0.52}, 0.02, 1, -1, 0.52},
    /* an untrained single dimension (all 0) and no applies unit take no part */
    {"untrained single", {0.99, 0.3, 0, 0}, {-1, -1}, 0.2, 0, 1, 0.3},
    /* ties go to the first label in codebook order */
    {"tie", {0.6, 0.4, 0.6, 0.4}, {-1, 0.6}, 0.1, 0, 0, 0.6},
};

START_TEST(test_uncertainty)
{
    stance_codebook *cb = small_codebook();
    size_t dim;
    long value;
    double score;
    double u = stance_suggest_uncertainty(cb, uncertainty_cases[_i].probs,
                                          uncertainty_cases[_i].applies, &dim, &value, &score);
    ck_assert_msg(fabs(u - uncertainty_cases[_i].distance) < 1e-12, "%s: %g", uncertainty_cases[_i].name, u);
    ck_assert_uint_eq(dim, uncertainty_cases[_i].dim);
    ck_assert_int_eq(value, uncertainty_cases[_i].value);
    ck_assert_double_eq_tol(score, uncertainty_cases[_i].score, 1e-12);
    stance_codebook_free(cb);
}
END_TEST

/* count one-hot vectors (feature i + 1 for candidate i), except that candidates listed in
 * same[] repeat the vector of the one before them. */
static stance_vector *vectors(size_t count, const size_t *same, size_t nsame)
{
    stance_vector *v = calloc(count, sizeof *v);
    ck_assert_ptr_nonnull(v);
    for (size_t i = 0; i < count; i++) {
        int index = (int)i + 1;
        for (size_t k = 0; k < nsame; k++)
            if (same[k] == i)
                index = (int)i; /* the previous candidate's feature */
        v[i].items = malloc(sizeof *v[i].items);
        ck_assert_ptr_nonnull(v[i].items);
        v[i].items[0] = (stance_feature){index, 2.0}; /* not unit length: the cosine normalises */
        v[i].count = v[i].cap = 1;
    }
    return v;
}

static void free_vectors(stance_vector *v, size_t count)
{
    for (size_t i = 0; i < count; i++)
        stance_vector_clear(&v[i]);
    free(v);
}

static void pick(const double *u, const stance_vector *v, size_t count, size_t n, double share,
                 double sim, uint64_t seed, size_t *picked, unsigned char *random, size_t *npicked)
{
    stance_suggest_options opt;
    stance_suggest_options_default(&opt);
    opt.n = n, opt.random_share = share, opt.max_similarity = sim, opt.seed = seed;
    stance_error err;
    ck_assert_int_eq(stance_suggest_pick(u, v, count, &opt, picked, random, npicked, &err), STANCE_OK);
}

START_TEST(test_pick_order)
{
    double u[] = {0.3, 0.1, 0.2, 0.4, 0.1};
    stance_vector *v = vectors(5, NULL, 0);
    size_t picked[4], n;
    unsigned char random[4];
    pick(u, v, 5, 4, 0, 0.9, 1, picked, random, &n);
    size_t want[] = {1, 4, 2, 0}; /* least uncertain first, the tie in index order */
    ck_assert_uint_eq(n, 4);
    for (size_t k = 0; k < n; k++) {
        ck_assert_uint_eq(picked[k], want[k]);
        ck_assert_int_eq(random[k], 0);
    }
    free_vectors(v, 5);
}
END_TEST

START_TEST(test_pick_near_duplicates)
{
    double u[] = {0.1, 0.2, 0.3, 0.4};
    size_t same[] = {1}; /* candidate 1 is candidate 0 again (cosine 1) */
    stance_vector *v = vectors(4, same, 1);
    size_t picked[3], n;
    unsigned char random[3];
    pick(u, v, 4, 3, 0, 0.9, 1, picked, random, &n);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(picked[0], 0);
    ck_assert_uint_eq(picked[1], 2); /* 1 passed over */
    ck_assert_uint_eq(picked[2], 3);
    pick(u, v, 4, 3, 0, 1, 1, picked, random, &n); /* a cosine of 1 is not above 1 */
    ck_assert_uint_eq(picked[1], 1);
    /* only near-duplicates left: fewer than asked */
    pick(u, v, 2, 2, 0, 0.9, 1, picked, random, &n);
    ck_assert_uint_eq(n, 1);
    free_vectors(v, 4);
}
END_TEST

#define POOL 50

START_TEST(test_pick_random_share)
{
    double u[POOL];
    for (size_t i = 0; i < POOL; i++)
        u[i] = (double)i / POOL; /* candidate i is the i-th least uncertain */
    stance_vector *v = vectors(POOL, NULL, 0);
    size_t picked[10], n;
    unsigned char random[10];
    pick(u, v, POOL, 10, 0.25, 0.9, 7, picked, random, &n); /* 2.5 rounds to 3 */
    ck_assert_uint_eq(n, 10);
    size_t nrandom = 0;
    for (size_t k = 0; k < n; k++) {
        nrandom += random[k];
        if (!random[k])
            ck_assert_uint_eq(picked[k], k); /* the 7 least uncertain, first */
        else
            ck_assert_uint_ge(picked[k], 7); /* drawn from the rest */
        for (size_t j = 0; j < k; j++)
            ck_assert_uint_ne(picked[j], picked[k]);
    }
    ck_assert_uint_eq(nrandom, 3);
    pick(u, v, POOL, 10, 1, 0.9, 7, picked, random, &n); /* all random */
    for (size_t k = 0; k < n; k++)
        ck_assert_int_eq(random[k], 1);
    free_vectors(v, POOL);
}
END_TEST

START_TEST(test_pick_seed)
{
    double u[POOL];
    for (size_t i = 0; i < POOL; i++)
        u[i] = 0.5;
    stance_vector *v = vectors(POOL, NULL, 0);
    size_t a[10], b[10], c[10], n;
    unsigned char random[10];
    pick(u, v, POOL, 10, 0.5, 0.9, 3, a, random, &n);
    pick(u, v, POOL, 10, 0.5, 0.9, 3, b, random, &n);
    ck_assert_mem_eq(a, b, sizeof a); /* the same seed, the same batch */
    pick(u, v, POOL, 10, 0.5, 0.9, 4, c, random, &n);
    ck_assert_mem_eq(a, c, 5 * sizeof *a); /* the uncertain half does not depend on it */
    ck_assert_int_ne(memcmp(a + 5, c + 5, 5 * sizeof *a), 0);
    free_vectors(v, POOL);
}
END_TEST

START_TEST(test_format_names)
{
    static const char *const names[] = {"jsonl", "doccano", "labelstudio", "prodigy"};
    stance_task_format f;
    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(stance_task_format_parse(names[i], &f), 0);
        ck_assert_int_eq(f, (stance_task_format)i);
    }
    ck_assert_int_eq(stance_task_format_parse("csv", &f), -1);
    ck_assert_int_eq(stance_task_format_parse("", &f), -1);
}
END_TEST

/* The suggester on a trained model: its option checks, and a candidate per passage. */
START_TEST(test_suggester)
{
    stance_error err;
    stance_codebook *cb;
    stance_model *m = NULL;
    stance_engine_silence();
    ck_assert_int_eq(stance_codebook_load("data/codebook-optional.json", &cb, &err), STANCE_OK);
    stance_train_options topt;
    stance_train_options_default(&topt);
    topt.folds = 3;
    ck_assert_int_eq(stance_train_run(cb, "data/train-optional.jsonl", &topt, &m, &err), STANCE_OK);
    stance_suggest_options opt;
    stance_suggest_options_default(&opt);
    stance_suggester *s = NULL;
    opt.n = 0;
    ck_assert_int_eq(stance_suggester_new(m, &opt, &s, &err), STANCE_ERR_USAGE);
    opt.n = 2, opt.random_share = 1.5;
    ck_assert_int_eq(stance_suggester_new(m, &opt, &s, &err), STANCE_ERR_USAGE);
    opt.random_share = 0.5, opt.max_similarity = -0.1;
    ck_assert_int_eq(stance_suggester_new(m, &opt, &s, &err), STANCE_ERR_USAGE);
    ck_assert_ptr_null(s);
    opt.max_similarity = 0.9;
    ck_assert_int_eq(stance_suggester_new(m, &opt, &s, &err), STANCE_OK);
    static const char text[] = "NATO AND RUSSIA.\n\nPublication: Test Volume: 1 Issue: 2\n\n"
                               "Moscow warned against the missile shield.\n";
    stance_article *art;
    ck_assert_int_eq(stance_article_from_bytes(text, sizeof text - 1, "t", 0, STANCE_ENC_UTF8, &art, &err),
                     STANCE_OK);
    ck_assert_int_eq(stance_suggester_add(s, art, "t", NULL, &err), STANCE_OK);
    ck_assert_uint_eq(stance_suggester_get_count(s), 2); /* the meta passage is no candidate */
    /* the applies probability agrees with the tone given: none exactly when it is below .5 */
    double probs[6], applies[2];
    signed char present[6];
    check_predict_text(m, "Moscow warned against the missile shield.", probs, present);
    stance_vector v;
    stance_vector_init(&v);
    stance_model_predict_full(m, &v, NULL, probs, applies, present);
    ck_assert(isnan(applies[0])); /* topics: no applies unit */
    ck_assert(applies[1] >= 0 && applies[1] <= 1);
    ck_assert_int_eq(present[4] || present[5], applies[1] >= 0.5);
    stance_article_free(art);
    stance_suggester_free(s);
    stance_model_free(m);
    stance_codebook_free(cb);
}
END_TEST

Suite *suggest_suite(void)
{
    Suite *s = suite_create("suggest");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, test_uncertainty, 0, sizeof uncertainty_cases / sizeof uncertainty_cases[0]);
    tcase_add_test(tc, test_pick_order);
    tcase_add_test(tc, test_pick_near_duplicates);
    tcase_add_test(tc, test_pick_random_share);
    tcase_add_test(tc, test_pick_seed);
    tcase_add_test(tc, test_format_names);
    tcase_add_test(tc, test_suggester);
    suite_add_tcase(s, tc);
    return s;
}
