/* weightfile.c: weights.bin, a bundle's linear weights as one little-endian binary file,
 * mapped read-only at load (layout: weightfile_int.h). */
#define _GNU_SOURCE /* O_NOFOLLOW, O_CLOEXEC, mmap's flags */
#include "weightfile_int.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error_int.h"
#include "sha256_int.h"

#define MAGIC "STNCWGT"     /* and its NUL: 8 bytes */
#define FILE_VERSION 2      /* the bundle format the file belongs to */
#define HEADER_SIZE 64
#define HASHED 56           /* header bytes the hash covers */
#define ALIGN 64            /* the weights start on a cache line */

/* ---- little-endian numbers ---- */

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_f32(unsigned char *p, float f)
{
    uint32_t v;
    memcpy(&v, &f, sizeof v);
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put_f64(unsigned char *p, double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof v);
    put_u64(p, v);
}

static int host_little_endian(void)
{
    const uint16_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 1;
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211u;
    return h;
}

size_t stance_weightfile_stride(size_t cols)
{
    return (cols + STANCE_WEIGHTS_LANES - 1) / STANCE_WEIGHTS_LANES * STANCE_WEIGHTS_LANES;
}

static size_t weights_offset(size_t stride)
{
    return (HEADER_SIZE + 8 * stride + ALIGN - 1) / ALIGN * ALIGN;
}

/* ---- writing ---- */

typedef struct {
    FILE *f;
    stance_sha256 sha;
    size_t bytes;
} out_file;

static void emit(out_file *o, const unsigned char *p, size_t n)
{
    fwrite(p, 1, n, o->f);
    stance_sha256_update(&o->sha, p, n);
    o->bytes += n;
}

static void emit_header(out_file *o, size_t rows, size_t cols, size_t stride)
{
    unsigned char h[HEADER_SIZE] = MAGIC;
    h[8] = FILE_VERSION;
    h[12] = HEADER_SIZE;
    put_u64(h + 16, rows);
    put_u64(h + 24, cols);
    put_u64(h + 32, stride);
    put_u64(h + 40, HEADER_SIZE);
    put_u64(h + 48, weights_offset(stride));
    put_u64(h + 56, fnv1a(h, HASHED));
    emit(o, h, sizeof h);
}

/* A value a float32 holds without overflow, or a message into err. */
static int storable(double v, double max, const char *path, const char *what, size_t row,
                    size_t col, stance_error *err)
{
    if (isfinite(v) && fabs(v) <= max)
        return 1;
    stance_fail(err, STANCE_ERR_DATA, path, 0, "%s of feature %zu in column %zu is %g: not "
                "storable", what, row + 1, col, v);
    return 0;
}

static int emit_body(out_file *o, size_t rows, size_t cols, size_t stride, const double *biases,
                     stance_weight_fn weight, const void *ctx, const char *path,
                     stance_error *err)
{
    unsigned char buf[8 * 64];
    for (size_t c = 0; c < stride; c++) {
        double b = c < cols ? biases[c] : 0;
        if (!storable(b, DBL_MAX, path, "the bias", 0, c, err))
            return 0;
        put_f64(buf, b);
        emit(o, buf, 8);
    }
    memset(buf, 0, sizeof buf);
    emit(o, buf, weights_offset(stride) - HEADER_SIZE - 8 * stride);
    unsigned char *row = malloc(4 * stride);
    if (!row) {
        stance_fail_nomem(err, path);
        return 0;
    }
    int ok = 1;
    for (size_t r = 0; ok && r < rows; r++) {
        memset(row, 0, 4 * stride);
        for (size_t c = 0; ok && c < cols; c++) {
            double w = weight(ctx, r, c);
            ok = storable(w, FLT_MAX, path, "the weight", r, c, err);
            put_f32(row + 4 * c, (float)w);
        }
        emit(o, row, 4 * stride);
    }
    free(row);
    return ok;
}

stance_status stance_weightfile_write(const char *path, size_t rows, size_t cols,
                                      const double *biases, stance_weight_fn weight,
                                      const void *ctx, char sha[65], size_t *bytes,
                                      stance_error *err)
{
    out_file o;
    o.f = fopen(path, "wb");
    o.bytes = 0;
    if (!o.f)
        return stance_fail_errno(err, errno, path, "cannot create");
    stance_sha256_init(&o.sha);
    size_t stride = stance_weightfile_stride(cols);
    emit_header(&o, rows, cols, stride);
    err->status = STANCE_OK;
    int ok = emit_body(&o, rows, cols, stride, biases, weight, ctx, path, err);
    int failed = ferror(o.f), e = errno;
    if (fclose(o.f) != 0 && !failed)
        failed = 1, e = errno;
    if (!ok)
        return err->status;
    if (failed)
        return stance_fail_errno(err, e ? e : EIO, path, "write failed");
    stance_sha256_hex(&o.sha, sha);
    *bytes = o.bytes;
    return STANCE_OK;
}

/* ---- loading ---- */

static stance_status bad_header(stance_error *err, const char *path, size_t at, const char *what,
                                uint64_t got, uint64_t want)
{
    return stance_fail(err, STANCE_ERR_DATA, path, 0, "byte %zu: %s is %" PRIu64 ", expected %"
                       PRIu64, at, what, got, want);
}

/* Checks the header of the len-byte file at p against the matrix the manifest describes. */
static stance_status check_header(const unsigned char *p, size_t len, size_t rows, size_t cols,
                                  const char *path, stance_error *err)
{
    if (len < HEADER_SIZE)
        return stance_fail(err, STANCE_ERR_DATA, path, 0, "%zu bytes, shorter than the %d of "
                           "a header (file truncated?)", len, HEADER_SIZE);
    if (memcmp(p, MAGIC, 8) != 0)
        return stance_fail(err, STANCE_ERR_DATA, path, 0, "byte 0: not a stance weight file "
                           "(no \"STNCWGT\" magic)");
    if (fnv1a(p, HASHED) != get_u64(p + HASHED))
        return stance_fail(err, STANCE_ERR_DATA, path, 0, "byte %d: the header's hash does "
                           "not match its bytes 0-%d (header changed or damaged)", HASHED, HASHED - 1);
    if (get_u32(p + 8) != FILE_VERSION)
        return stance_fail(err, STANCE_ERR_DATA, path, 0, "byte 8: weight file version %" PRIu32
                           " is not supported (this stance reads %d)", get_u32(p + 8), FILE_VERSION);
    size_t stride = stance_weightfile_stride(cols);
    const struct {
        size_t at;
        const char *what;
        uint64_t want;
    } fields[] = {
        {12, "the header size", HEADER_SIZE},
        {16, "the number of features", rows},
        {24, "the number of trained units", cols},
        {32, "the stride", stride},
        {40, "the biases' offset", HEADER_SIZE},
        {48, "the weights' offset", weights_offset(stride)},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        uint64_t got = i == 0 ? get_u32(p + fields[i].at) : get_u64(p + fields[i].at);
        if (got != fields[i].want)
            return bad_header(err, path, fields[i].at, fields[i].what, got, fields[i].want);
    }
    size_t off = weights_offset(stride);
    if (rows > (SIZE_MAX - off) / 4 / stride || off + rows * stride * 4 != len)
        return stance_fail(err, STANCE_ERR_DATA, path, 0, "%zu bytes, not the %zu of %zu x %zu "
                           "weights after byte %zu (file truncated or extended?)", len,
                           rows <= (SIZE_MAX - off) / 4 / stride ? off + rows * stride * 4 : SIZE_MAX,
                           rows, stride, off);
    for (size_t c = 0; c < stride; c++) {
        double b;
        uint64_t v = get_u64(p + HEADER_SIZE + 8 * c);
        memcpy(&b, &v, sizeof b);
        if (!isfinite(b))
            return stance_fail(err, STANCE_ERR_DATA, path, 0, "byte %zu: the bias of column "
                               "%zu is not a finite number", (size_t)HEADER_SIZE + 8 * c, c);
    }
    return STANCE_OK;
}

/* On a big-endian host: the biases and weights decoded into copies. */
static stance_status decode_copies(stance_weightfile *wf, const char *path, stance_error *err)
{
    const unsigned char *p = wf->map;
    double *b = malloc(wf->stride * sizeof *b);
    float *w = malloc((wf->rows ? wf->rows : 1) * wf->stride * sizeof *w);
    if (!b || !w) {
        free(b);
        free(w);
        return stance_fail_nomem(err, path);
    }
    for (size_t c = 0; c < wf->stride; c++) {
        uint64_t v = get_u64(p + HEADER_SIZE + 8 * c);
        memcpy(&b[c], &v, sizeof v);
    }
    const unsigned char *q = p + weights_offset(wf->stride);
    for (size_t i = 0; i < wf->rows * wf->stride; i++) {
        uint32_t v = get_u32(q + 4 * i);
        memcpy(&w[i], &v, sizeof v);
    }
    wf->biases = b;
    wf->weights = w;
    wf->copied = 1;
    return STANCE_OK;
}

/* Opens name in dirfd as a regular file that is not a link; its size into *size. */
static stance_status open_regular(int dirfd, const char *name, const char *path, int *fd,
                                  size_t *size, stance_error *err)
{
    *fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (*fd < 0)
        return errno == ELOOP ? stance_fail(err, STANCE_ERR_DATA, path, 0, "is a symbolic link")
                              : stance_fail_errno(err, errno, path, "cannot open");
    struct stat sb;
    stance_status st = STANCE_OK;
    if (fstat(*fd, &sb) != 0)
        st = stance_fail_errno(err, errno, path, "cannot read");
    else if (!S_ISREG(sb.st_mode))
        st = stance_fail(err, STANCE_ERR_DATA, path, 0, "not a regular file");
    else if ((uintmax_t)sb.st_size > SIZE_MAX)
        st = stance_fail(err, STANCE_ERR_DATA, path, 0, "too large to map");
    if (st != STANCE_OK) {
        close(*fd);
        *fd = -1;
        return st;
    }
    *size = (size_t)sb.st_size;
    return STANCE_OK;
}

stance_status stance_weightfile_map_bytes(int dirfd, const char *name, const char *path,
                                          size_t bytes, void **out, stance_error *err)
{
    *out = NULL;
    int fd;
    size_t size = 0;
    stance_status st = open_regular(dirfd, name, path, &fd, &size, err);
    if (st != STANCE_OK)
        return st;
    if (size != bytes) {
        close(fd);
        return stance_fail(err, STANCE_ERR_DATA, path, 0, "%zu bytes, not the %zu the manifest "
                           "declares (file truncated or changed)", size, bytes);
    }
    /* Bundles are replaced by renaming, never rewritten in place, so the file stays whole
     * while mapped. MAP_POPULATE maps every page of it now, in one pass in the kernel: a
     * short article touches a few hundred scattered rows of the weights, and a page fault for
     * each cost more than mapping all (bench/startup.sh). */
    void *map = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : MAP_FAILED;
    int e = errno;
    close(fd);
    if (size == 0)
        return STANCE_OK;
    if (map == MAP_FAILED) /* ENOMEM: the address space is short (ulimit -v), as for malloc */
        return e == ENOMEM ? stance_fail_nomem(err, path) : stance_fail_errno(err, e, path, "cannot map");
    *out = map;
    return STANCE_OK;
}

stance_status stance_weightfile_map(int dirfd, const char *name, const char *path, size_t bytes,
                                    size_t rows, size_t cols, stance_weightfile *wf,
                                    stance_error *err)
{
    *wf = (stance_weightfile){0};
    void *map;
    stance_status st = stance_weightfile_map_bytes(dirfd, name, path, bytes, &map, err);
    if (st != STANCE_OK)
        return st;
    if (!map)
        return check_header(NULL, 0, rows, cols, path, err);
    wf->map = map;
    wf->len = bytes;
    st = check_header(map, bytes, rows, cols, path, err);
    if (st == STANCE_OK) {
        wf->rows = rows;
        wf->cols = cols;
        wf->stride = stance_weightfile_stride(cols);
        if (host_little_endian()) {
            wf->biases = (const double *)((const unsigned char *)map + HEADER_SIZE);
            wf->weights = (const float *)((const unsigned char *)map + weights_offset(wf->stride));
        } else {
            st = decode_copies(wf, path, err);
        }
    }
    if (st != STANCE_OK)
        stance_weightfile_unmap(wf);
    return st;
}

void stance_weightfile_unmap(stance_weightfile *wf)
{
    if (wf->copied) {
        free((void *)wf->weights);
        free((void *)wf->biases);
    }
    if (wf->map)
        munmap(wf->map, wf->len);
    *wf = (stance_weightfile){0};
}

stance_status stance_weightfile_verify(const stance_weightfile *wf, const char *path,
                                       const char *sha, stance_error *err)
{
    char got[65];
    stance_sha256 h;
    stance_sha256_init(&h);
    stance_sha256_update(&h, wf->map, wf->len);
    stance_sha256_hex(&h, got);
    if (strcmp(got, sha) != 0)
        return stance_fail(err, STANCE_ERR_DATA, path, 0,
                           "checksum differs from the manifest's (file changed or damaged)");
    for (size_t i = 0; i < wf->rows * wf->stride; i++)
        if (!isfinite(wf->weights[i]))
            return stance_fail(err, STANCE_ERR_DATA, path, 0, "byte %zu: the weight of feature "
                               "%zu in column %zu is not a finite number",
                               weights_offset(wf->stride) + 4 * i, i / wf->stride + 1,
                               i % wf->stride);
    return STANCE_OK;
}
