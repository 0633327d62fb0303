/* regfile_int.h: reading a whole regular file of bounded size through one descriptor, for
 * files that must be what they claim to be: a model bundle's (model.c, classifier.c). */
#ifndef STANCE_REGFILE_INT_H
#define STANCE_REGFILE_INT_H

#include <stddef.h>

#include "stance/error.h"

/* Reads the file name, relative to the directory open at dirfd (AT_FDCWD: the working
 * directory), into *buf (a new NUL-terminated buffer the caller frees; *len bytes before the
 * NUL); path names it in messages. Only a regular file is opened and read, without blocking on
 * the way (so a FIFO put in its place cannot stop the reader), and with nofollow a symbolic
 * link in its place is refused too. A file of more than max bytes is refused before it is
 * read, or as soon as it grows past max while being read: the message says "N bytes, more
 * than the <max> <over>". STANCE_ERR_DATA for a link, a file that is not regular or one over
 * max; STANCE_ERR_IO if it cannot be opened or read; STANCE_ERR_NOMEM. */
stance_status stance_regfile_read(int dirfd, const char *name, const char *path, int nofollow,
                                  size_t max, const char *over, char **buf, size_t *len,
                                  stance_error *err);

#endif
