/* stage.c: what every stage's main does alike (see stage.h). Only the public API below. */
#include "stage.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "stance/stream.h"
#include "stance/version.h"

/* The program's name in messages: set once by stage_start, before anything is reported, and
 * only read afterwards (as Lua's lua.c keeps its progname). */
static const char *prog = "stance";

void stage_start(const char *name)
{
    prog = name;
    signal(SIGPIPE, SIG_DFL);
}

const char *stage_default_model(void)
{
    const char *env = getenv("STANCE_MODEL");
    if (env && *env)
        return env;
    return access(STAGE_INSTALLED_MODEL, F_OK) == 0 ? STAGE_INSTALLED_MODEL : NULL;
}

int stage_report(const stance_error *err)
{
    char msg[STANCE_ERROR_TEXT_MAX];
    stance_error_format(err, msg, sizeof msg);
    fprintf(stderr, "%s: %s\n", prog, msg);
    return stance_status_get_exit_code(err->status);
}

int stage_usage_error(const char *fmt, ...)
{
    char msg[4096], shown[4 * sizeof msg]; /* room for an option as typed, escaped */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    stance_error_escape(msg, shown, sizeof shown);
    fprintf(stderr, "%s: %s\nTry '%s --help' for more information.\n", prog, shown, prog);
    return 2;
}

int stage_unknown_option(char *const *argv)
{
    if (optopt) /* a short option: getopt_long sets optopt to it, and to 0 for a long one */
        return stage_usage_error("unknown option '-%c'", optopt);
    return stage_usage_error("unknown option '%s'", argv[optind - 1]);
}

int stage_help(const char *text)
{
    stance_error err;
    fputs(text, stdout);
    return stance_stream_close(stdout, "<stdout>", &err) == STANCE_OK ? 0 : stage_report(&err);
}

int stage_version(void)
{
    stance_error err;
    printf("%s (stance) %s\n", prog, STANCE_VERSION);
    return stance_stream_close(stdout, "<stdout>", &err) == STANCE_OK ? 0 : stage_report(&err);
}

int stage_finish(stance_status status, const stance_error *err)
{
    stance_error close_err;
    stance_status closed = stance_stream_close(stdout, "<stdout>", &close_err);
    if (status != STANCE_OK)
        return stage_report(err);
    return closed == STANCE_OK ? 0 : stage_report(&close_err);
}

int stage_parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return 0;
    *out = v;
    return 1;
}

int stage_parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

void stage_hold_signals(sigset_t *old)
{
    sigset_t hold;
    sigemptyset(&hold);
    sigaddset(&hold, SIGINT);
    sigaddset(&hold, SIGTERM);
    sigaddset(&hold, SIGHUP);
    sigaddset(&hold, SIGQUIT);
    sigaddset(&hold, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &hold, old);
}

void stage_release_signals(const sigset_t *old)
{
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

void stage_removed(void *ctx, const char *path)
{
    (void)ctx;
    fprintf(stderr, "%s: removed %s, left by an interrupted run\n", prog, path);
}

void stage_skipped(const char *path, const char *why)
{
    char shown[4 * PATH_MAX];
    stance_error_escape(path, shown, sizeof shown);
    fprintf(stderr, "%s: %s: skipped, %s\n", prog, shown, why);
}
