/* weightfile_int.h: a bundle's linear weights as one binary file, weights.bin of bundle format
 * version 2 (model.c), written once and mapped read-only at load (weightfile.c).
 *
 * Layout, every number little-endian whatever the host:
 *   bytes 0-7    magic "STNCWGT\0"
 *   8-11         uint32 file version (2, the bundle format)
 *   12-15        uint32 header size (64)
 *   16-23        uint64 rows: features, as many as the vocabulary has
 *   24-31        uint64 columns: trained units, in the manifest's order
 *   32-39        uint64 stride: columns rounded up to a multiple of 8 (extra columns are 0)
 *   40-47        uint64 offset of the biases: 64
 *   48-55        uint64 offset of the weights: 64 + 8 stride rounded up to a multiple of 64
 *   56-63        uint64 FNV-1a hash of bytes 0-55
 *   then         stride float64 biases, zeros up to the weights' offset, and rows x stride
 *                float32 weights, feature-major: feature i's weight in column c at
 *                (i - 1) * stride + c, so a passage's feature reads one contiguous row
 * and nothing after them: the file's size is exactly what the header implies.
 *
 * Loading checks the size, the header, its hash and the finiteness of the biases: a few
 * hundred bytes, so start-up does not depend on the matrix's size. The body is covered by the
 * SHA-256 the manifest records, checked by stance_weightfile_verify (stance-info --verify):
 * a changed body byte changes a weight, and a weight that is not finite makes a score that is
 * not a number (stance-tag then stops with an error), but neither can make a read outside the
 * file. */
#ifndef STANCE_WEIGHTFILE_INT_H
#define STANCE_WEIGHTFILE_INT_H

#include <stddef.h>

#include "stance/error.h"

#define STANCE_WEIGHTS_FILE "weights.bin"
#define STANCE_WEIGHTS_LANES 8 /* the stride is a multiple of this (model.c's LANES) */

typedef struct {
    const float *weights;  /* rows x stride */
    const double *biases;  /* stride */
    size_t rows, cols, stride;
    void *map;             /* the mapped file, len bytes */
    size_t len;
    int copied;            /* 1 on a big-endian host: weights and biases are decoded copies */
} stance_weightfile;

/* The weight of feature row + 1 in column col, for the writer. */
typedef double (*stance_weight_fn)(const void *ctx, size_t row, size_t col);

/* The stride of a matrix of cols columns. */
size_t stance_weightfile_stride(size_t cols);

/* Writes path (a new file): rows x cols weights from weight(ctx, row, col), biases[cols]. A
 * weight or bias that is not finite or too large for a float32 is refused (STANCE_ERR_DATA
 * naming path, the feature and the column). On success sha holds the file's SHA-256 in hex
 * and *bytes its size. */
stance_status stance_weightfile_write(const char *path, size_t rows, size_t cols,
                                      const double *biases, stance_weight_fn weight,
                                      const void *ctx, char sha[65], size_t *bytes,
                                      stance_error *err);

/* Maps the file name in the directory open at dirfd (path names it in messages): a regular
 * file, not a link, of exactly bytes bytes, with rows rows and cols columns. STANCE_ERR_DATA
 * naming path and the byte offset for anything else; STANCE_ERR_IO if it cannot be opened or
 * mapped. Release with stance_weightfile_unmap. */
stance_status stance_weightfile_map(int dirfd, const char *name, const char *path, size_t bytes,
                                    size_t rows, size_t cols, stance_weightfile *wf,
                                    stance_error *err);

void stance_weightfile_unmap(stance_weightfile *wf);

/* Maps the file name in the directory open at dirfd (path names it in messages), a regular
 * file, not a link, of exactly bytes bytes, read-only into *map (NULL for an empty file; release
 * with munmap): what stance_weightfile_map does before it checks the header, for the bundle's
 * other binary file (vocab.bin). The same errors. */
stance_status stance_weightfile_map_bytes(int dirfd, const char *name, const char *path,
                                          size_t bytes, void **map, stance_error *err);

/* Checks the whole file: its SHA-256 against sha and every weight finite. STANCE_ERR_DATA
 * naming path (and the offset of the first weight that is not finite). */
stance_status stance_weightfile_verify(const stance_weightfile *wf, const char *path,
                                       const char *sha, stance_error *err);

#endif
