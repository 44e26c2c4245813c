/* test_junit: JUnit XML of threshold verdicts, escaping, atomic write and
 * errors (report/junit.h). */
#include <errno.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file.h"
#include "common/xmalloc.h"
#include "report/junit.h"

static char s_dir[64];

static void s_setup(void) {
    snprintf(s_dir, sizeof s_dir, "/tmp/barrage-junit-XXXXXX");
    cr_assert_not_null(mkdtemp(s_dir));
}

static void s_teardown(void) {
    DIR *d = opendir(s_dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char *p = xasprintf("%s/%s", s_dir, e->d_name);
        unlink(p);
        free(p);
    }
    closedir(d);
    rmdir(s_dir);
}

static char *s_slurp(const char *path) {
    size_t len = 0;
    char *s = file_read(path, (size_t)1 << 30, &len);
    cr_assert_not_null(s, "cannot read %s: %s", path, strerror(errno));
    return s;
}

static size_t s_entries(const char *dir) {
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* xmllint --noout on path, when xmllint is installed: well-formedness. */
static void s_expect_well_formed(const char *path) {
    if (system("command -v xmllint >/dev/null 2>&1") != 0) return;
    char *cmd = xasprintf("xmllint --noout '%s'", path);
    cr_expect_eq(system(cmd), 0, "xmllint rejects %s", path);
    free(cmd);
}

static void s_threshold(report_t *r, const char *text, const char *name, bool passed,
                        const char *measured) {
    report_threshold_t t = {
        .text = (char *)text, .name = (char *)name, .passed = passed, .measured = (char *)measured};
    report_add_threshold(r, &t);
}

Test(junit, two_passed_one_failed, .init = s_setup, .fini = s_teardown) {
    report_t *r = report_new();
    r->scenario_name = xstrdup("saas-dashboard");
    r->run_seconds = 60.25;
    r->started_ms = 1700000000123ull; /* 2023-11-14T22:13:20Z */
    s_threshold(r, "p95 < 300ms", NULL, true, "212ms");
    s_threshold(r, "failure_rate < 1%", NULL, true, "0.4%");
    s_threshold(r, "p99 < 1s", "/orgs/{id}/dashboard", false, "1.42s");
    char *path = xasprintf("%s/junit.xml", s_dir);
    char *err = (char *)"untouched";
    cr_assert_eq(junit_write(r, path, &err), 0, "%s", err ? err : "");
    cr_expect_null(err);
    char *got = s_slurp(path);
    cr_expect_str_eq(
        got,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"barrage\" tests=\"3\" failures=\"1\" errors=\"0\" time=\"60.250\">\n"
        "  <testsuite name=\"barrage thresholds\" tests=\"3\" failures=\"1\" errors=\"0\" "
        "skipped=\"0\" time=\"60.250\" timestamp=\"2023-11-14T22:13:20\">\n"
        "    <testcase name=\"p95 &lt; 300ms\" classname=\"saas-dashboard.Aggregated\">\n"
        "      <system-out>measured 212ms</system-out>\n"
        "    </testcase>\n"
        "    <testcase name=\"failure_rate &lt; 1%\" classname=\"saas-dashboard.Aggregated\">\n"
        "      <system-out>measured 0.4%</system-out>\n"
        "    </testcase>\n"
        "    <testcase name=\"p99 &lt; 1s\" classname=\"saas-dashboard./orgs/{id}/dashboard\">\n"
        "      <failure message=\"measured 1.42s\" type=\"threshold\">/orgs/{id}/dashboard: "
        "p99 &lt; 1s failed: measured 1.42s</failure>\n"
        "      <system-out>measured 1.42s</system-out>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n");
    cr_expect_eq(s_entries(s_dir), 1, "no temporary file is left behind");
    s_expect_well_formed(path);
    free(got);
    free(path);
    report_destroy(&r);
}

Test(junit, escapes_markup_quotes_and_control_characters, .init = s_setup, .fini = s_teardown) {
    report_t *r = report_new();
    r->scenario_name = xstrdup("a\"b'<c>&d");
    s_threshold(r, "p95 >= 1ms", "/search?q=a&b=\"c\"\x01\n", false, "<no requests>");
    char *path = xasprintf("%s/out.xml", s_dir);
    cr_assert_eq(junit_write(r, path, NULL), 0);
    char *got = s_slurp(path);
    cr_expect_not_null(strstr(got, "<testcase name=\"p95 &gt;= 1ms\" classname=\"a&quot;b&#39;"
                                   "&lt;c&gt;&amp;d./search?q=a&amp;b=&quot;c&quot;\xef\xbf\xbd&#10;\">"),
                       "%s", got);
    cr_expect_not_null(strstr(got, "<failure message=\"measured &lt;no requests&gt;\" "
                                   "type=\"threshold\">/search?q=a&amp;b=&quot;c&quot;\xef\xbf\xbd"
                                   "&#10;: p95 &gt;= 1ms failed: measured &lt;no requests&gt;</failure>"),
                       "%s", got);
    cr_expect_not_null(strstr(got, "time=\"0.000\">"), "no timestamp without a start: %s", got);
    cr_expect_null(strstr(got, "timestamp="));
    s_expect_well_formed(path);
    free(got);
    free(path);
    report_destroy(&r);
}

Test(junit, no_thresholds_is_an_empty_suite, .init = s_setup, .fini = s_teardown) {
    report_t *r = report_new();
    r->run_seconds = 5;
    char *path = xasprintf("%s/empty.xml", s_dir);
    cr_assert_eq(junit_write(r, path, NULL), 0);
    char *got = s_slurp(path);
    cr_expect_str_eq(got, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<testsuites name=\"barrage\" tests=\"0\" failures=\"0\" errors=\"0\" "
                          "time=\"5.000\">\n"
                          "  <testsuite name=\"barrage thresholds\" tests=\"0\" failures=\"0\" "
                          "errors=\"0\" skipped=\"0\" time=\"5.000\">\n"
                          "  </testsuite>\n"
                          "</testsuites>\n");
    s_expect_well_formed(path);
    free(got);
    free(path);
    report_destroy(&r);
}

Test(junit, replaces_an_existing_file, .init = s_setup, .fini = s_teardown) {
    char *path = xasprintf("%s/j.xml", s_dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("old content that is longer than nothing at all, really quite long indeed ......", f);
    fclose(f);
    report_t *r = report_new();
    s_threshold(r, "requests > 0", NULL, true, "10");
    cr_assert_eq(junit_write(r, path, NULL), 0);
    char *got = s_slurp(path);
    cr_expect_eq(strncmp(got, "<?xml", 5), 0);
    cr_expect_null(strstr(got, "old content"));
    cr_expect_eq(s_entries(s_dir), 1);
    free(got);
    free(path);
    report_destroy(&r);
}

Test(junit, unwritable_path_reports_why, .init = s_setup, .fini = s_teardown) {
    report_t *r = report_new();
    char *path = xasprintf("%s/missing/dir/j.xml", s_dir);
    char *err = NULL;
    cr_expect_eq(junit_write(r, path, &err), -1);
    cr_assert_not_null(err);
    char *want = xasprintf("cannot write %s: No such file or directory", path);
    cr_expect_str_eq(err, want);
    free(want);
    free(err);
    cr_expect_eq(junit_write(r, path, NULL), -1, "err is optional");
    /* A directory in the way of the rename: the temporary file is removed. */
    free(path);
    path = xasprintf("%s/adir", s_dir);
    cr_assert_eq(mkdir(path, 0700), 0);
    err = NULL;
    cr_expect_eq(junit_write(r, path, &err), -1);
    cr_assert_not_null(err);
    cr_expect_not_null(strstr(err, "Is a directory"), "%s", err);
    cr_expect_eq(s_entries(s_dir), 1, "only the directory remains");
    rmdir(path);
    free(err);
    free(path);
    report_destroy(&r);
}
