/* error_int.h: helpers library modules share to fill a stance_error. */
#ifndef STANCE_ERROR_INT_H
#define STANCE_ERROR_INT_H

#include "stance/error.h"

/* Fills err (if not NULL) and returns status, so callers can `return stance_fail(...)`. */
stance_status stance_fail(stance_error *err, stance_status status, const char *where, long line,
                          const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* stance_fail for a failed system call: appends ": strerror(errnum)". */
stance_status stance_fail_errno(stance_error *err, int errnum, const char *where, const char *fmt,
                                ...) __attribute__((format(printf, 4, 5)));

/* Shorthand for an allocation failure. */
stance_status stance_fail_nomem(stance_error *err, const char *where);

#endif
