/* check_stage.c: what the stages' mains share (pipeline/stages/stage.c): option numbers, the
 * messages on standard error ("prog: where: what", the usage hint) and holding signals. */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../pipeline/stages/stage.h"
#include "../../pipeline/stages/trainopts.h"
#include "suites.h"

static const struct {
    const char *s;
    long min, max;
    int ok;
    long value;
} long_cases[] = {
    {"5", 1, 10, 1, 5},
    {"1", 1, 10, 1, 1},
    {"10", 1, 10, 1, 10},
    {"0", 1, 10, 0, 0},
    {"11", 1, 10, 0, 0},
    {"-1", 0, 10, 0, 0},
    {"-1", -5, 10, 1, -1},
    {"", 0, 10, 0, 0},
    {"x", 0, 10, 0, 0},
    {"5x", 0, 10, 0, 0},
    {"5 ", 0, 10, 0, 0},
    {" 5", 0, 10, 1, 5}, /* strtol skips leading space, as the stages always did */
    {"+7", 0, 10, 1, 7},
    {"1.5", 0, 10, 0, 0},
    {"0x10", 0, 100, 0, 0}, /* decimal only: */
    {"010", 0, 100, 1, 10}, /* not octal */
    {"2147483647", 0, LONG_MAX, 1, 2147483647L},
    {"99999999999999999999999", 1, LONG_MAX, 0, 0}, /* overflow */
    {"-99999999999999999999999", LONG_MIN, 0, 0, 0},
};

START_TEST(test_parse_long)
{
    long v = -42;
    ck_assert_int_eq(stage_parse_long(long_cases[_i].s, long_cases[_i].min, long_cases[_i].max, &v),
                     long_cases[_i].ok);
    ck_assert_int_eq(v, long_cases[_i].ok ? long_cases[_i].value : -42); /* untouched on failure */
}
END_TEST

static const struct {
    const char *s;
    int ok;
    double value;
} double_cases[] = {
    {"1", 1, 1.0},     {"0.25", 1, 0.25}, {"-2.5", 1, -2.5}, {"1e3", 1, 1000.0},
    {"0", 1, 0.0},     {"nan", 0, 0},     {"inf", 0, 0},     {"-inf", 0, 0},
    {"1e999", 0, 0},   {"1e-400", 0, 0}, /* overflow, underflow (ERANGE) */
    {"", 0, 0},        {"x", 0, 0},       {"0.5x", 0, 0},    {"1,5", 0, 0},
};

START_TEST(test_parse_double)
{
    double v = -42;
    ck_assert_int_eq(stage_parse_double(double_cases[_i].s, &v), double_cases[_i].ok);
    ck_assert(v == (double_cases[_i].ok ? double_cases[_i].value : -42));
}
END_TEST

/* Standard error sent to a temporary file between capture_start and capture_end. */
typedef struct {
    int saved;
    FILE *file;
} capture;

static void capture_start(capture *c)
{
    fflush(stderr);
    c->saved = dup(STDERR_FILENO);
    c->file = tmpfile();
    ck_assert_int_ge(c->saved, 0);
    ck_assert_ptr_nonnull(c->file);
    ck_assert_int_ge(dup2(fileno(c->file), STDERR_FILENO), 0);
}

/* Ends the capture; what was written, in buf. */
static void capture_end(capture *c, char *buf, size_t size)
{
    fflush(stderr);
    ck_assert_int_ge(dup2(c->saved, STDERR_FILENO), 0);
    close(c->saved);
    rewind(c->file);
    size_t n = fread(buf, 1, size - 1, c->file);
    buf[n] = '\0';
    fclose(c->file);
}

static const struct {
    stance_status status;
    const char *where;
    long line;
    const char *message;
    int exit_code;
    const char *printed;
} report_cases[] = {
    {STANCE_ERR_DATA, "in.jsonl", 3, "bad field", 1, "stance-test: in.jsonl:3: bad field\n"},
    {STANCE_ERR_IO, "out", 0, "write failed", 3, "stance-test: out: write failed\n"},
    {STANCE_ERR_NOMEM, NULL, 0, "out of memory", 3, "stance-test: out of memory\n"},
    {STANCE_ERR_USAGE, NULL, 0, "no hint", 2, "stance-test: no hint\n"},
    {STANCE_ERR_BUSY, "models/x", 0, "locked by another stance-train (pid 7)", 75,
     "stance-test: models/x: locked by another stance-train (pid 7)\n"},
    {STANCE_ERR_DATA, "a\x1b[2J.txt", 1, "x\ny", 1, "stance-test: a\\x1b[2J.txt:1: x\\x0ay\n"},
};

START_TEST(test_report)
{
    stage_start("stance-test");
    stance_error err;
    stance_error_set(&err, report_cases[_i].status, report_cases[_i].where, report_cases[_i].line,
                     "%s", report_cases[_i].message);
    capture c;
    char buf[256];
    capture_start(&c);
    int code = stage_report(&err);
    capture_end(&c, buf, sizeof buf);
    ck_assert_int_eq(code, report_cases[_i].exit_code);
    ck_assert_str_eq(buf, report_cases[_i].printed);
}
END_TEST

/* Usage mistakes with the hint, the message escaped; skipped entries and removed temporaries. */
START_TEST(test_messages)
{
    stage_start("stance-test");
    capture c;
    char buf[512];
    capture_start(&c);
    ck_assert_int_eq(stage_usage_error("unknown option '%s'", "--\x1b[2Jclear"), 2);
    ck_assert_int_eq(stage_usage_error("-m MODEL_DIR is required"), 2);
    stage_skipped("dir/\x1b.txt", "not a regular file");
    stage_removed(NULL, "m.vocab.tmp.AbC123");
    capture_end(&c, buf, sizeof buf);
    ck_assert_str_eq(buf, "stance-test: unknown option '--\\x1b[2Jclear'\n"
                          "Try 'stance-test --help' for more information.\n"
                          "stance-test: -m MODEL_DIR is required\n"
                          "Try 'stance-test --help' for more information.\n"
                          "stance-test: dir/\\x1b.txt: skipped, not a regular file\n"
                          "stance-test: removed m.vocab.tmp.AbC123, left by an interrupted run\n");
}
END_TEST

/* Held: the termination signals and SIGPIPE; released: the mask as it was. */
START_TEST(test_hold_signals)
{
    static const int held[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
    sigset_t before, old, during, after;
    ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, NULL, &before), 0);
    stage_hold_signals(&old);
    ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, NULL, &during), 0);
    for (size_t i = 0; i < sizeof held / sizeof held[0]; i++)
        ck_assert_int_eq(sigismember(&during, held[i]), 1);
    ck_assert_int_eq(sigismember(&during, SIGUSR1), sigismember(&before, SIGUSR1));
    stage_release_signals(&old);
    ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, NULL, &after), 0);
    for (size_t i = 0; i < sizeof held / sizeof held[0]; i++)
        ck_assert_int_eq(sigismember(&after, held[i]), sigismember(&before, held[i]));
}
END_TEST

/* Without -m: $STANCE_MODEL if set and not empty; empty counts as unset (the installed model, if
 * any). The environment is put back as it was. */
START_TEST(test_default_model)
{
    const char *was = getenv("STANCE_MODEL");
    char *saved = was ? strdup(was) : NULL;
    ck_assert(!was || saved);
    ck_assert_int_eq(unsetenv("STANCE_MODEL"), 0);
    const char *installed = stage_default_model();
    ck_assert_int_eq(setenv("STANCE_MODEL", "/some/bundle", 1), 0);
    ck_assert_str_eq(stage_default_model(), "/some/bundle");
    ck_assert_int_eq(setenv("STANCE_MODEL", "", 1), 0);
    ck_assert_ptr_eq(stage_default_model(), installed);
    ck_assert_int_eq(saved ? setenv("STANCE_MODEL", saved, 1) : unsetenv("STANCE_MODEL"), 0);
    free(saved);
}
END_TEST

/* The training options stance-train and stance-audit share (trainopts.h): option, argument,
 * whether --folds 0 is allowed, the result, and what is printed. */
static const struct {
    int c;
    const char *arg;
    int no_folds, rc;
    const char *printed;
} trainopt_cases[] = {
    {'c', "0.5", 0, 0, ""},
    {'c', "0", 0, 2, "stance-test: -c needs a positive number, not '0'\n"},
    {'G', "1,x", 0, 2, "stance-test: --c-grid needs positive numbers separated by commas, not '1,x'\n"},
    {'F', "0", 1, 0, ""},
    {'F', "0", 0, 2, "stance-test: --folds needs a number from 2 to 100, not '0'\n"},
    {'F', "1", 1, 2, "stance-test: --folds needs 0 (no cross-validation) or a number from 2 to 100, "
                     "not '1'\n"},
    {'j', "257", 0, 2, "stance-test: -j needs a number of threads from 1 to 256, not '257'\n"},
    {'E', "svmlight", 0, 2, NULL},
    {'K', "sigmoid", 1, 2, NULL},
    {'Z', "1.5", 0, 2, "stance-test: --nb-beta needs a number from 0 to 1, not '1.5'\n"},
    {'T', "best", 0, 2, "stance-test: --threshold needs best-f1, plateau, platt or zero, not 'best'\n"},
    {'q', NULL, 0, -1, ""}, /* no training option */
};

START_TEST(test_trainopts_table)
{
    stage_start("stance-test");
    stance_train_options opt;
    stance_train_options_default(&opt);
    trainopts t = {.no_folds = trainopt_cases[_i].no_folds};
    stance_error err;
    optarg = (char *)trainopt_cases[_i].arg;
    capture c;
    char buf[256];
    capture_start(&c);
    int rc = trainopts_parse(&t, trainopt_cases[_i].c, &opt, &err);
    capture_end(&c, buf, sizeof buf);
    ck_assert_int_eq(rc, trainopt_cases[_i].rc);
    const char *want = trainopt_cases[_i].printed;
    if (want && rc == 2) /* then the hint */
        ck_assert_msg(strncmp(buf, want, strlen(want)) == 0 &&
                          strcmp(buf + strlen(want),
                                 "Try 'stance-test --help' for more information.\n") == 0,
                      "printed '%s'", buf);
    else if (want)
        ck_assert_str_eq(buf, want);
    else /* the engine's or kernel's own message */
        ck_assert_msg(strncmp(buf, "stance-test: ", 13) == 0 && strstr(buf, trainopt_cases[_i].arg),
                      "printed '%s'", buf);
}
END_TEST

/* Options taken one after the other land in their fields; --nb-beta wants --nb-weight. */
START_TEST(test_trainopts_fields)
{
    stage_start("stance-test");
    stance_train_options opt;
    stance_train_options_default(&opt);
    trainopts t = {.no_folds = 1};
    static const struct {
        int c;
        const char *arg;
    } given[] = {{'G', "0.25,1,4"}, {'F', "0"}, {'S', "7"}, {'j', "3"}, {'a', NULL},
                 {'m', "1"}, {'2', NULL}, {'Z', "0.5"}, {'K', "rbf"}, {'g', "0.1"}, {'d', "2"}};
    for (size_t i = 0; i < sizeof given / sizeof given[0]; i++) {
        optarg = (char *)given[i].arg;
        ck_assert_int_eq(trainopts_parse(&t, given[i].c, &opt, NULL), 0);
    }
    ck_assert_uint_eq(opt.n_c_grid, 3);
    ck_assert(opt.c_grid == t.grid && t.grid[2] == 4.0);
    ck_assert_int_eq(opt.folds, 0);
    ck_assert_uint_eq(opt.seed, 7);
    ck_assert_int_eq(opt.threads, 3);
    ck_assert_int_eq(opt.svm.balanced, 1);
    ck_assert_int_eq(opt.vocab.min_df, 1);
    ck_assert_int_eq(opt.vocab.bigrams, 0);
    ck_assert(opt.nb_beta == 0.5 && t.beta_given);
    ck_assert_int_eq(opt.svm.kernel, STANCE_KERNEL_RBF);
    ck_assert(opt.svm.gamma == 0.1);
    ck_assert_int_eq(opt.svm.degree, 2);
    capture c;
    char buf[256];
    capture_start(&c);
    int rc = trainopts_check(&t, &opt);
    capture_end(&c, buf, sizeof buf);
    ck_assert_int_eq(rc, 2);
    ck_assert_ptr_nonnull(strstr(buf, "stance-test: --nb-beta applies to --nb-weight only\n"));
    optarg = NULL;
    ck_assert_int_eq(trainopts_parse(&t, 'N', &opt, NULL), 0);
    ck_assert_int_eq(trainopts_check(&t, &opt), 0);
}
END_TEST

Suite *stage_suite(void)
{
    Suite *s = suite_create("stage");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_parse_long, 0, sizeof long_cases / sizeof long_cases[0]);
    tcase_add_loop_test(tc, test_parse_double, 0, sizeof double_cases / sizeof double_cases[0]);
    tcase_add_loop_test(tc, test_report, 0, sizeof report_cases / sizeof report_cases[0]);
    tcase_add_test(tc, test_messages);
    tcase_add_test(tc, test_hold_signals);
    tcase_add_test(tc, test_default_model);
    tcase_add_loop_test(tc, test_trainopts_table, 0, sizeof trainopt_cases / sizeof trainopt_cases[0]);
    tcase_add_test(tc, test_trainopts_fields);
    suite_add_tcase(s, tc);
    return s;
}
