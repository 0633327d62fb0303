/* sha256_int.h: SHA-256 digests (FIPS 180-4), for the training file's fingerprint in a model
 * manifest and the integrity check of every file in a model bundle. */
#ifndef STANCE_SHA256_INT_H
#define STANCE_SHA256_INT_H

#include <stddef.h>
#include <stdint.h>

#include "stance/error.h"

/* Incremental state; storage the caller provides. */
typedef struct {
    uint32_t h[8];
    uint64_t bytes;       /* message length so far */
    unsigned char buf[64];
    size_t used;          /* bytes waiting in buf */
    int accel;            /* 1: this CPU's SHA instructions do the work (set by init) */
} stance_sha256;

void stance_sha256_init(stance_sha256 *s);
void stance_sha256_update(stance_sha256 *s, const void *data, size_t len);

/* Finishes the digest and writes it as 64 lower-case hex digits plus a NUL. */
void stance_sha256_hex(stance_sha256 *s, char hex[65]);

/* Digest of a whole file as hex. STANCE_ERR_IO if it cannot be read. */
stance_status stance_sha256_file(const char *path, char hex[65], stance_error *err);

#endif
