/* fuzz_names.c: lists of paths (input.h stance_input_read_names), as stance-tag reads them with
 * --files-from. Input: 1 byte whose bit 0 picks NUL-separated names (-0), then the list. A
 * list read is names that are not empty nor "-", without their separator (in lines: no
 * newline, no NUL), fewer bytes than the list; a refused one is a data error naming it. */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "stance/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int nul = data[0] & 1;
    size_t len = size - 1;
    static char empty[1];
    FILE *f = fmemopen(len ? (void *)(data + 1) : empty, len ? len : 1, "rb");
    FUZZ_SETUP(f != NULL);
    if (!len)
        fgetc(f); /* an empty list */
    char **names;
    size_t n;
    stance_error err;
    stance_error_clear(&err);
    stance_status status = stance_input_read_names(f, "list", nul, &names, &n, &err);
    fclose(f);
    FUZZ_CHECK(status == STANCE_OK || status == STANCE_ERR_DATA);
    if (status != STANCE_OK) {
        FUZZ_CHECK(names == NULL && n == 0);
        FUZZ_CHECK(strcmp(err.where, "list") == 0 && err.line >= 0);
        return 0;
    }
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(names[i]);
        FUZZ_CHECK(k > 0 && strcmp(names[i], "-") != 0);
        FUZZ_CHECK(nul || !memchr(names[i], '\n', k));
        bytes += k;
    }
    FUZZ_CHECK(n > 0 && bytes + n - 1 <= len);
    stance_input_names_free(names, n);
    return 0;
}
