/* stream.h: opening a file as a stream, and closing it with every failed write reported (a
 * full disk is found at the flush), for the stages' inputs and outputs. */
#ifndef STANCE_STREAM_H
#define STANCE_STREAM_H

#include <stdio.h>

#include "stance/error.h"

/* Opens path with fopen mode; STANCE_ERR_IO with the system's reason if it cannot. */
stance_status stance_stream_open(const char *path, const char *mode, FILE **f, stance_error *err);

/* Flushes and closes f, reporting a failed write (a full disk, say) as STANCE_ERR_IO. */
stance_status stance_stream_close(FILE *f, const char *name, stance_error *err);

#endif
