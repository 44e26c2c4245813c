/* csv: RFC 4180 data files: header row, quoted fields, LF or CRLF. */
#include "scenarios/csv.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/xmalloc.h"

typedef struct {
    const char *p;
    size_t len;
    size_t i;
    size_t line;  /* 1-based line of p[i] */
    char **cells; /* the fields read so far, all rows */
    size_t n_cells;
    size_t cap_cells;
} s_reader_t;

static bool s_ends_field(char c) {
    return c == ',' || c == '\r' || c == '\n';
}

static void s_push(s_reader_t *r, strbuf_t *field) {
    if (r->n_cells == r->cap_cells) {
        r->cap_cells = r->cap_cells ? r->cap_cells * 2 : 64;
        r->cells = xrealloc(r->cells, r->cap_cells * sizeof r->cells[0]);
    }
    r->cells[r->n_cells++] = xstrdup(strbuf_str(field));
    strbuf_reset(field);
}

/* Reads one quoted field's content (r->i just past the opening quote).
 * Returns false if the quote is never closed. */
static bool s_quoted(s_reader_t *r, strbuf_t *field) {
    while (r->i < r->len) {
        char c = r->p[r->i++];
        if (c == '"') {
            if (r->i < r->len && r->p[r->i] == '"') {
                strbuf_append_char(field, '"');
                r->i++;
                continue;
            }
            return true;
        }
        if (c == '\n') r->line++;
        strbuf_append_char(field, c);
    }
    return false;
}

/* Reads one row; returns its field count, or 0 at the end of the text, or
 * -1 on an error (reported in err). */
static long s_row(s_reader_t *r, strbuf_t *field, char *err, size_t err_bytes, size_t *err_line) {
    if (r->i >= r->len) return 0;
    long n = 0;
    for (;;) {
        strbuf_reset(field);
        if (r->i < r->len && r->p[r->i] == '"') {
            size_t start_line = r->line;
            r->i++;
            if (!s_quoted(r, field)) {
                *err_line = start_line;
                snprintf(err, err_bytes, "quoted field is never closed");
                return -1;
            }
            if (r->i < r->len && !s_ends_field(r->p[r->i])) {
                *err_line = r->line;
                snprintf(err, err_bytes, "text after a quoted field (expected , or a line end)");
                return -1;
            }
        } else {
            while (r->i < r->len && !s_ends_field(r->p[r->i]))
                strbuf_append_char(field, r->p[r->i++]);
        }
        s_push(r, field);
        n++;
        if (r->i < r->len && r->p[r->i] == ',') {
            r->i++;
            continue;
        }
        if (r->i < r->len && r->p[r->i] == '\r') r->i++;
        if (r->i < r->len && r->p[r->i] == '\n') r->i++;
        r->line++;
        return n;
    }
}

static void s_free_cells(char **cells, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
}

/* Rejects empty and repeated column names. */
static bool s_check_header(char **cols, size_t n, char *err, size_t err_bytes) {
    for (size_t c = 0; c < n; c++) {
        if (!*cols[c]) {
            snprintf(err, err_bytes, "column %zu of the header has no name", c + 1);
            return false;
        }
        for (size_t k = 0; k < c; k++) {
            if (!strcmp(cols[k], cols[c])) {
                snprintf(err, err_bytes, "column '%s' appears twice in the header", cols[c]);
                return false;
            }
        }
    }
    return true;
}

int scenario_csv_parse(const char *text, size_t len, scenario_data_t *out, size_t *err_line,
                       char *err, size_t err_bytes) {
    /* A UTF-8 byte order mark (Excel's "CSV UTF-8") is not part of the first column's name. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    s_reader_t r = {.p = text, .len = len, .line = 1};
    strbuf_t field;
    strbuf_init(&field);
    *err_line = 1;
    long width = s_row(&r, &field, err, err_bytes, err_line);
    size_t rows = 0;
    bool ok = width > 0;
    if (width == 0) snprintf(err, err_bytes, "the file is empty (expected a header row)");
    if (ok && !s_check_header(r.cells, (size_t)width, err, err_bytes)) ok = false;
    while (ok) {
        size_t line = r.line;
        long n = s_row(&r, &field, err, err_bytes, err_line);
        if (n == 0) break;
        if (n < 0) {
            ok = false;
        } else if (n != width) {
            *err_line = line;
            snprintf(err, err_bytes, "row has %ld field%s, the header has %ld", n,
                     n == 1 ? "" : "s", width);
            ok = false;
        } else {
            rows++;
        }
    }
    if (ok && rows == 0) {
        *err_line = 1;
        snprintf(err, err_bytes, "no rows after the header row");
        ok = false;
    }
    strbuf_fini(&field);
    if (!ok) {
        s_free_cells(r.cells, r.n_cells);
        return -1;
    }
    out->n_columns = (size_t)width;
    out->columns = xcalloc(out->n_columns, sizeof out->columns[0]);
    memcpy(out->columns, r.cells, out->n_columns * sizeof r.cells[0]);
    out->n_rows = rows;
    out->fields = xcalloc(rows * out->n_columns, sizeof out->fields[0]);
    memcpy(out->fields, r.cells + out->n_columns, rows * out->n_columns * sizeof r.cells[0]);
    free(r.cells);
    return 0;
}
