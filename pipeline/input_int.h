/* input_int.h: the *.txt files of a directory, in the order the walk reads them (input.c). */
#ifndef STANCE_INPUT_INT_H
#define STANCE_INPUT_INT_H

#include <stddef.h>

#include "stance/error.h"
#include "stance/input.h"

/* Lists the *.txt files directly inside dir, sorted by byte order, as new strings
 * "dir/name". STANCE_ERR_DATA if there are none. Caller frees with stance_input_paths_free. */
stance_status stance_input_list_texts(const char *dir, char ***paths, size_t *count, stance_error *err);

/* Frees a list from stance_input_list_texts; NULL is allowed. */
void stance_input_paths_free(char **paths, size_t count);

#endif
