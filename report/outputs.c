/* outputs: the file outputs of a report. */
#include "report/outputs.h"

#include <stdlib.h>

#include "report/junit.h"
#include "report/report_csv.h"
#include "report/report_html.h"
#include "report/report_json.h"

typedef int (*writer_fn)(const report_t *r, const char *path, char **err);

static int s_one(const report_t *r, const char *path, writer_fn fn, const char *what,
                 strbuf_t *errors) {
    if (!path) return 0;
    char *err = NULL;
    if (fn(r, path, &err) == 0) return 0;
    strbuf_appendf(errors, "%s %s: %s\n", what, path, err ? err : "failed");
    free(err);
    return -1;
}

int outputs_write(const report_t *r, const outputs_t *o, strbuf_t *errors) {
    int rc = 0;
    rc |= s_one(r, o->json_path, report_json_write, "JSON result", errors);
    rc |= s_one(r, o->csv_prefix, report_csv_write, "CSV files", errors);
    rc |= s_one(r, o->html_path, report_html_write, "HTML report", errors);
    rc |= s_one(r, o->junit_path, junit_write, "JUnit file", errors);
    return rc ? -1 : 0;
}
