/* fuzz_common.h: helpers the libFuzzer targets share: a private scratch directory (removed at
 * exit) for parsers that only read from a path, files written there (also with their SHA-256,
 * for a manifest that declares it), and a hard stop for a broken invariant. */
#ifndef STANCE_FUZZ_COMMON_H
#define STANCE_FUZZ_COMMON_H

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../pipeline/sha256_int.h"

/* A violated invariant is a finding: stop so libFuzzer saves the input. */
#define FUZZ_CHECK(cond)                                                                  \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

/* Set-up failures (no temporary directory, a full disk) are not findings, but the run
 * cannot go on. */
#define FUZZ_SETUP(cond)                                                           \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "%s:%d: fuzz set-up failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                        \
            exit(2);                                                               \
        }                                                                          \
    } while (0)

static char fuzz_dir[4096];

static inline void fuzz_remove_dir(void)
{
    DIR *d = opendir(fuzz_dir);
    if (d) {
        struct dirent *e;
        char path[8192];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", fuzz_dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(fuzz_dir);
}

/* The process's scratch directory, under $TMPDIR (or /tmp), made on first use. */
static inline const char *fuzz_tmpdir(void)
{
    if (!fuzz_dir[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(fuzz_dir, sizeof fuzz_dir, "%s/stance-fuzz-XXXXXX", base && *base ? base : "/tmp");
        FUZZ_SETUP(mkdtemp(fuzz_dir) != NULL);
        atexit(fuzz_remove_dir);
    }
    return fuzz_dir;
}

/* Writes len bytes to name in the scratch directory (replacing it); returns its path in a
 * static buffer, valid until the next call. */
static inline const char *fuzz_write_file(const char *name, const void *data, size_t len)
{
    static char path[8192];
    snprintf(path, sizeof path, "%s/%s", fuzz_tmpdir(), name);
    unlink(path); /* a new file: truncating one makes ext4 flush it to disk on close */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    FUZZ_SETUP(fd >= 0);
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        FUZZ_SETUP(w > 0);
        p += w;
        len -= (size_t)w;
    }
    FUZZ_SETUP(close(fd) == 0);
    return path;
}

/* fuzz_write_file, and the SHA-256 of the bytes written (lower-case hex) into hex: for a
 * manifest that declares the file's hash, so that the check passes and the parser runs. */
static inline const char *fuzz_write_hashed(const char *name, const void *data, size_t len,
                                            char hex[65])
{
    stance_sha256 sha;
    stance_sha256_init(&sha);
    stance_sha256_update(&sha, data, len);
    stance_sha256_hex(&sha, hex);
    return fuzz_write_file(name, data, len);
}

/* Writes name in the scratch directory from the printf format fmt and its arguments (at most
 * 8 KiB of text, else a set-up failure). */
static inline void fuzz_write_printf(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline void fuzz_write_printf(const char *name, const char *fmt, ...)
{
    char text[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    FUZZ_SETUP(n > 0 && (size_t)n < sizeof text);
    fuzz_write_file(name, text, (size_t)n);
}

/* Removes name from the scratch directory if it is there. */
static inline void fuzz_remove_file(const char *name)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", fuzz_tmpdir(), name);
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
