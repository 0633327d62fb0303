/* error_int.h: helpers library modules share to fill a stance_error. */
#ifndef STANCE_ERROR_INT_H
#define STANCE_ERROR_INT_H

#include <stdio.h>

#include "stance/error.h"

/* Fills err (if not NULL) and returns status, so callers can `return stance_fail(...)`. */
stance_status stance_fail(stance_error *err, stance_status status, const char *where, long line,
                          const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* stance_fail for a failed system call: appends ": strerror(errnum)". */
stance_status stance_fail_errno(stance_error *err, int errnum, const char *where, const char *fmt,
                                ...) __attribute__((format(printf, 4, 5)));

/* Shorthand for an allocation failure: "out of memory", where the input being read, parsed or
 * written when the function knows it, else NULL (the rule in error.h). */
stance_status stance_fail_nomem(stance_error *err, const char *where);

/* After getline(f) returned -1 with errno errnum: STANCE_OK at the end of the stream,
 * STANCE_ERR_IO naming where if the read failed, STANCE_ERR_NOMEM naming where and line if the
 * line did not fit in memory (glibc sets neither feof nor ferror then). */
stance_status stance_getline_end(FILE *f, int errnum, const char *where, long line,
                                 stance_error *err);

#endif
