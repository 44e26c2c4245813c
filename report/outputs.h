/* outputs: writes every file a report was asked for — CSV, JSON, HTML,
 * JUnit. Each file is independent: one that cannot be written is reported
 * and the others are still written. Prints nothing. */
#ifndef BARRAGE_REPORT_OUTPUTS_H
#define BARRAGE_REPORT_OUTPUTS_H

#include "common/strbuf.h"
#include "report/report.h"

typedef struct {
    const char *csv_prefix; /* NULL = not asked for */
    const char *json_path;
    const char *html_path;
    const char *junit_path;
} outputs_t;

/* Returns 0, or -1 if any output failed, with one line per failure appended
 * to errors: "<what> <path>: <why>\n" (e.g. "HTML report out/r.html: cannot
 * write out/r.html: No such file or directory"); the caller prints them. */
int outputs_write(const report_t *r, const outputs_t *o, strbuf_t *errors);

#endif
