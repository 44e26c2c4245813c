/* junit: JUnit XML of the threshold verdicts, written atomically. */
#include "report/junit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/file.h"
#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "report/xml.h"

static void s_testcase(strbuf_t *b, const report_t *r, const report_threshold_t *t) {
    const char *measured = t->measured ? t->measured : "nothing";
    strbuf_append_str(b, "    <testcase name=\"");
    xml_escape(b, t->text);
    strbuf_append_str(b, "\" classname=\"");
    xml_escape(b, r->scenario_name && *r->scenario_name ? r->scenario_name : "barrage");
    strbuf_append_char(b, '.');
    xml_escape(b, t->name ? t->name : "Aggregated");
    strbuf_append_str(b, "\">\n");
    if (!t->passed) {
        strbuf_append_str(b, "      <failure message=\"measured ");
        xml_escape(b, measured);
        strbuf_append_str(b, "\" type=\"threshold\">");
        if (t->name) {
            xml_escape(b, t->name);
            strbuf_append_str(b, ": ");
        }
        xml_escape(b, t->text);
        strbuf_append_str(b, " failed: measured ");
        xml_escape(b, measured);
        strbuf_append_str(b, "</failure>\n");
    }
    strbuf_append_str(b, "      <system-out>measured ");
    xml_escape(b, measured);
    strbuf_append_str(b, "</system-out>\n    </testcase>\n");
}

static void s_document(strbuf_t *b, const report_t *r) {
    size_t failed = 0;
    for (size_t i = 0; i < r->n_thresholds; i++)
        failed += !r->thresholds[i].passed;
    double run_s = r->run_seconds > 0 ? r->run_seconds : 0;
    strbuf_append_str(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    strbuf_appendf(b,
                   "<testsuites name=\"barrage\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
                   "time=\"%.3f\">\n",
                   r->n_thresholds, failed, run_s);
    strbuf_appendf(b,
                   "  <testsuite name=\"barrage thresholds\" tests=\"%zu\" failures=\"%zu\" "
                   "errors=\"0\" skipped=\"0\" time=\"%.3f\"",
                   r->n_thresholds, failed, run_s);
    if (r->started_ms) {
        time_t t = (time_t)(r->started_ms / 1000);
        struct tm tm;
        char stamp[32];
        if (gmtime_r(&t, &tm) && strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm))
            strbuf_appendf(b, " timestamp=\"%s\"", stamp);
    }
    strbuf_append_str(b, ">\n");
    for (size_t i = 0; i < r->n_thresholds; i++)
        s_testcase(b, r, &r->thresholds[i]);
    strbuf_append_str(b, "  </testsuite>\n</testsuites>\n");
}

int junit_write(const report_t *r, const char *path, char **err) {
    if (err) *err = NULL;
    strbuf_t b;
    strbuf_init(&b);
    s_document(&b, r);
    int rc = file_replace(path, strbuf_str(&b), b.len, err);
    strbuf_fini(&b);
    return rc;
}
