/* stage.h: what every stage's main does alike: messages on stderr as "prog: where: what", the
 * usage hint, option numbers, SIGPIPE, the close of standard output and the exit code. A main
 * still parses its own options, opens its files, calls the library and picks the exit code. */
#ifndef STANCE_STAGE_H
#define STANCE_STAGE_H

#include <signal.h>

#include "stance/error.h"

/* Call first: names the program in every message below ("stance-tag"; a string that lives as
 * long as the program), and restores SIGPIPE's default even if the program was started with
 * it ignored, so that a reader that goes away (| head) ends the program at once and quietly,
 * as it does every Unix filter (status 141 in the shell). */
void stage_start(const char *prog);

/* The place of the installed default model: STANCE_PKGDATADIR is PREFIX/share/stance, which
 * the Makefile gives the stages (pipeline/stages/ files) when it compiles them. */
#ifdef STANCE_PKGDATADIR
#define STAGE_INSTALLED_MODEL STANCE_PKGDATADIR "/models/default"
#endif

/* The model to use when no -m is given: $STANCE_MODEL if set and not empty, else the installed
 * default model (STAGE_INSTALLED_MODEL) if it exists, else NULL. */
const char *stage_default_model(void);

/* Reports err as "prog: where:line: what" (escaped, see stance_error_format) and returns the
 * exit code of its status. A usage mistake that needs no hint is reported this way too, as a
 * STANCE_ERR_USAGE error (exit code 2). */
int stage_report(const stance_error *err);

/* Reports a usage mistake, "prog: what" (the printf-style message, escaped) and the hint
 * "Try 'prog --help' for more information.", and returns 2. */
int stage_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* After getopt_long returned '?': reports "unknown option 'X'" with the hint and returns 2. X
 * is the option as typed: "-x" for a short one, also inside a cluster such as -qx (where the
 * argument getopt has reached is not the option), else the argument, e.g. "--bogus". */
int stage_unknown_option(char *const *argv);

/* --help: writes text to standard output and closes it; returns 0, or reports a failed write
 * and returns its exit code. */
int stage_help(const char *text);

/* --version, the same in every main: its option table has {"version", no_argument, NULL,
 * STAGE_OPT_VERSION} (above any short option and the values counted from 256) and its switch
 * "case STAGE_OPT_VERSION: return stage_version();". */
#define STAGE_OPT_VERSION 0x10000

/* --version: writes "prog (stance) VERSION" (version.h) to standard output and closes it;
 * returns 0, or reports a failed write and returns its exit code. */
int stage_version(void);

/* The end of a run that wrote to standard output: closes it (a full disk is an error, not a
 * truncated output), then returns 0, or reports the run's error (status, err) if it failed,
 * else the close's, and returns that exit code. */
int stage_finish(stance_status status, const stance_error *err);

/* Parses s as a whole decimal number from min to max into *out (strtol: the whole of s, no
 * overflow). 1 on success; 0 leaves *out alone. */
int stage_parse_long(const char *s, long min, long max, long *out);

/* Parses s as a finite number into *out (strtod: the whole of s, no overflow). 1 on success;
 * 0 leaves *out alone. The caller checks the range, which may be open (C > 0). */
int stage_parse_double(const char *s, double *out);

/* Holds back the termination signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT) and SIGPIPE in the
 * calling thread, keeping the mask they had in *old, until stage_release_signals(old). Around
 * an atomic save, an interrupt then leaves either the old file or the new one and no temporary;
 * a signal that came meanwhile takes effect on release. */
void stage_hold_signals(sigset_t *old);
void stage_release_signals(const sigset_t *old);

/* A stance_removed_fn (ctx unused): "prog: removed PATH, left by an interrupted run". */
void stage_removed(void *ctx, const char *path);

/* A stance_input_options skipped callback: "prog: PATH: skipped, WHY" (PATH escaped). */
void stage_skipped(const char *path, const char *why);

#endif
