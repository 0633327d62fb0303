/* error.h: status codes and the error record every fallible library call fills.
 * The library never prints: it describes the failure here and the main reports it. */
#ifndef STANCE_ERROR_H
#define STANCE_ERROR_H

#include <stddef.h>

/* STANCE_OK is 0; failures are negative and named for their cause. */
typedef enum {
    STANCE_OK = 0,
    STANCE_ERR_DATA = -1,   /* malformed input: bad UTF-8, NUL byte, bad JSON, bad field */
    STANCE_ERR_IO = -2,     /* a file could not be opened, read or written */
    STANCE_ERR_NOMEM = -3,  /* an allocation failed */
    STANCE_ERR_USAGE = -4,  /* an argument the caller passed is not acceptable */
} stance_status;

#define STANCE_ERROR_MSG_MAX 512
#define STANCE_ERROR_NAME_MAX 256

/* A failure: what (message), where (input name, 1-based line, 0 when none applies). */
typedef struct {
    stance_status status;
    char where[STANCE_ERROR_NAME_MAX];
    long line;
    char message[STANCE_ERROR_MSG_MAX];
} stance_error;

/* Fills err (if not NULL) with status, where (may be NULL), line (0: none) and a printf-style
 * message, and returns status. For mains that detect an error themselves. */
stance_status stance_error_set(stance_error *err, stance_status status, const char *where,
                               long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Resets err to "no error". */
void stance_error_clear(stance_error *err);

/* Room for everything stance_error_format writes: where and message, every byte escaped. */
#define STANCE_ERROR_TEXT_MAX (4 * (STANCE_ERROR_NAME_MAX + STANCE_ERROR_MSG_MAX) + 32)

/* Formats err as "where:line: message" (or "where: message", or "message") into buf, with
 * where and message escaped as stance_error_escape does. */
void stance_error_format(const stance_error *err, char *buf, size_t size);

/* Copies the text s into buf (size bytes, NUL-terminated, cut short at a character if it does
 * not fit) safe to show on a terminal: C0 and C1 control characters, DEL and bytes that are not
 * UTF-8 become \xNN (one per byte, lower-case hex), so a file name or label cannot move the
 * cursor or start an escape sequence. Up to 4 bytes of buf per byte of s. */
void stance_error_escape(const char *s, char *buf, size_t size);

/* Exit code a main should use for status: 0 ok, 1 bad data, 2 usage, 3 I/O or memory. */
int stance_status_exit_code(stance_status status);

#endif
