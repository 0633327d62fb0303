/* error.h: status codes and the error record every fallible library call fills.
 * The library never prints: it describes the failure here and the main reports it.
 *
 * The contract every library function that takes a `stance_error *err` keeps:
 * - It returns STANCE_OK or a failure status, and on failure fills *err (the same status,
 *   where, line and message). On success *err may have been written too (a step that failed
 *   and was recovered from): read it only after a failure.
 * - err may be NULL: nothing is written then, and the status alone says what failed.
 * - where names the input or output the failure is in, as the user gave or knows it: a path
 *   as given on the command line (or found in a directory given there), "<stdin>" or
 *   "<stdout>" for the standard streams, a model bundle directory or a file in it, or an
 *   article's doc name (the "doc" of its records) when that is all the function is given.
 *   Never a name for a part of the program: with no input to name, where is "" and the main
 *   prints "prog: message".
 * - line is the 1-based line of where that the failure is on, 0 when none applies (a whole
 *   file, a directory, a format that is not line by line). A byte offset, where it helps, is
 *   in the message ("invalid UTF-8 at byte 19 (0xe9)"): it counts from 0 at the start of the
 *   input, not of the line, as a record's "start" does.
 * - Running out of memory is STANCE_ERR_NOMEM, message "out of memory" (the engines add what
 *   they needed, in parentheses). where names the input being read, parsed or written if the
 *   function knows it (a line reader adds the line: "prog: big.jsonl:61: out of memory");
 *   otherwise (building a model, training, a scratch buffer) where is "" and the main prints
 *   "prog: out of memory".
 * - On failure every pointer the function hands back through an argument (*out, *buf, *json,
 *   a borrowed *text) is NULL and a length or count that goes with it 0: a function sets them
 *   first, so this holds on every path and the caller may free them without looking at the
 *   status. Plain values handed back (an int, a double) are unspecified on failure; an object
 *   the caller passed in to be filled (a stance_vector, stance_tokens, stance_stem_list) stays
 *   valid, to be reused or cleared, with unspecified contents.
 *
 * Threads: the library keeps no global mutable state (but for stance_engine_silence, engine.h,
 * which mains call once before any thread starts), so calls on different objects may run on
 * different threads at once. An object is used by one thread at a time unless its header says
 * threads may share it: a loaded model with its codebook and vocabulary (model.h), a codebook
 * (codebook.h), a finished vocabulary (vocab.h) and the library's training rows
 * (classifier_int.h) are only read once made, and any number of threads may use them while none
 * frees them. A stance_error belongs to one thread. */
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
    STANCE_ERR_BUSY = -5,   /* an output is locked by another run (lock.h) */
} stance_status;

#define STANCE_ERROR_MSG_MAX 512
#define STANCE_ERROR_NAME_MAX 256

/* A failure: what (message), where (input name, "" for none) and line (1-based, 0 for none),
 * as the contract above says. */
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

/* Exit code a main should use for status: 0 ok, 1 bad data, 2 usage, 3 I/O or memory, 75
 * busy (an output locked by another run: try again later; sysexits.h's EX_TEMPFAIL). */
int stance_status_get_exit_code(stance_status status);

#endif
