/* stream_int.h: reading a whole stream or file into memory, with a bound (stream.c). */
#ifndef STANCE_STREAM_INT_H
#define STANCE_STREAM_INT_H

#include <stddef.h>
#include <stdio.h>

#include "stance/error.h"
#include "stance/stream.h"

/* Reads the rest of stream f into *buf (a new NUL-terminated buffer the caller frees; *len
 * bytes before the NUL): a regular file in one read of its size, a pipe into a buffer that
 * doubles. STANCE_ERR_IO naming name with the system's reason if the read fails. */
stance_status stance_stream_read(FILE *f, const char *name, char **buf, size_t *len,
                                 stance_error *err);

/* stance_stream_read that reads at most max bytes: STANCE_ERR_DATA naming name ("more than max
 * bytes") for a longer stream, found without reading a regular file, and after max + 1 bytes
 * of any other (a pipe, /dev/zero). */
stance_status stance_stream_read_max(FILE *f, const char *name, size_t max, char **buf,
                                     size_t *len, stance_error *err);

/* Reads the whole file at path into *buf (a new NUL-terminated buffer the caller frees; *len
 * bytes before the NUL). STANCE_ERR_IO with the system's reason if it cannot be opened or read. */
stance_status stance_stream_load(const char *path, char **buf, size_t *len, stance_error *err);

#endif
