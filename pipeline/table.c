/* table.c: CSV and TSV fields, quoted or escaped. */
#include "table_int.h"

static int csv_special(char c)
{
    return c == ',' || c == '"' || c == '\r' || c == '\n';
}

/* Appends a CSV field: quoted, its quotes doubled, when it holds a comma, quote, CR or LF. */
static void csv_field(stance_jsonw *w, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && !csv_special(s[i]))
        i++;
    if (i == n) {
        stance_jsonw_raw(w, s, n);
        return;
    }
    stance_jsonw_raw(w, "\"", 1);
    size_t run = 0;
    for (i = 0; i < n; i++) {
        if (s[i] != '"')
            continue;
        stance_jsonw_raw(w, s + run, i + 1 - run); /* up to and with the quote, */
        stance_jsonw_raw(w, "\"", 1);              /* then the quote again */
        run = i + 1;
    }
    stance_jsonw_raw(w, s + run, n - run);
    stance_jsonw_raw(w, "\"", 1);
}

/* Appends a TSV field with tab, LF, CR and backslash escaped. */
static void tsv_field(stance_jsonw *w, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = s[i] == '\t' ? "\\t" : s[i] == '\n' ? "\\n" : s[i] == '\r' ? "\\r"
                        : s[i] == '\\' ? "\\\\" : NULL;
        if (!esc)
            continue;
        stance_jsonw_raw(w, s + run, i - run);
        stance_jsonw_raw(w, esc, 2);
        run = i + 1;
    }
    stance_jsonw_raw(w, s + run, n - run);
}

void stance_table_field(stance_jsonw *w, int tsv, const char *s, size_t n)
{
    if (tsv)
        tsv_field(w, s, n);
    else
        csv_field(w, s, n);
}
