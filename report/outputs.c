/* outputs: the file outputs of a report. */
#include "report/outputs.h"

#include <stdio.h>
#include <stdlib.h>

#include "report/junit.h"
#include "report/report_csv.h"
#include "report/report_html.h"
#include "report/report_json.h"

typedef int (*writer_fn)(const report_t *r, const char *path, char **err);

static int s_one(const report_t *r, const char *path, writer_fn fn, const char *what) {
    if (!path) return 0;
    char *err = NULL;
    if (fn(r, path, &err) == 0) return 0;
    fprintf(stderr, "barrage: error: %s %s: %s\n", what, path, err ? err : "failed");
    free(err);
    return -1;
}

int outputs_write(const report_t *r, const outputs_t *o) {
    int rc = 0;
    rc |= s_one(r, o->json_path, report_json_write, "JSON result");
    rc |= s_one(r, o->csv_prefix, report_csv_write, "CSV files");
    rc |= s_one(r, o->html_path, report_html_write, "HTML report");
    rc |= s_one(r, o->junit_path, junit_write, "JUnit file");
    return rc ? -1 : 0;
}
