/* table_int.h: fields of CSV and TSV lines (stance-tag --format csv|tsv), appended to a growing
 * buffer (the jsonw one). */
#ifndef STANCE_TABLE_INT_H
#define STANCE_TABLE_INT_H

#include <stddef.h>

#include "jsonw_int.h"

/* Appends s[0..n) as one field. CSV (tsv 0), as RFC 4180 quotes: a field holding a comma, a
 * double quote, CR or LF is put in double quotes, its quotes doubled; others are as they are.
 * TSV (tsv 1): a tab, LF, CR and backslash become \t, \n, \r and \\, so that a line is a row
 * and a tab a column break. */
void stance_table_field(stance_jsonw *w, int tsv, const char *s, size_t n);

#endif
