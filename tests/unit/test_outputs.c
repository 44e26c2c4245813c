/* test_outputs: every file a report was asked for, each independent of the
 * others; failures come back as text, one line each (report/outputs.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "report/outputs.h"

static char s_dir[64];

static void s_setup(void) {
    snprintf(s_dir, sizeof s_dir, "/tmp/barrage-outputs-XXXXXX");
    cr_assert_not_null(mkdtemp(s_dir));
}

static void s_teardown(void) {
    const char *names[] = {
        "r.json",         "r.html",      "j.xml", "c_stats.csv", "c_stats_history.csv",
        "c_failures.csv", "c_phases.csv"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *p = xasprintf("%s/%s", s_dir, names[i]);
        unlink(p);
        free(p);
    }
    rmdir(s_dir);
}

static bool s_exists(const char *name) {
    char *p = xasprintf("%s/%s", s_dir, name);
    struct stat st;
    bool ok = stat(p, &st) == 0 && st.st_size > 0;
    free(p);
    return ok;
}

static report_t *s_report(void) {
    report_t *r = report_new();
    r->scenario_name = xstrdup("outputs");
    r->mode = xstrdup("closed");
    r->run_seconds = 1.0;
    return r;
}

Test(outputs, writes_every_file_asked_for_and_nothing_else, .init = s_setup, .fini = s_teardown) {
    report_t *r = s_report();
    char *json = xasprintf("%s/r.json", s_dir), *html = xasprintf("%s/r.html", s_dir);
    char *csv = xasprintf("%s/c", s_dir), *junit = xasprintf("%s/j.xml", s_dir);
    outputs_t o = {.csv_prefix = csv, .json_path = json, .html_path = html, .junit_path = junit};
    strbuf_t errors;
    strbuf_init(&errors);
    cr_expect_eq(outputs_write(r, &o, &errors), 0);
    cr_expect_str_eq(strbuf_str(&errors), "");
    cr_expect(s_exists("r.json") && s_exists("r.html") && s_exists("j.xml"));
    cr_expect(s_exists("c_stats.csv") && s_exists("c_stats_history.csv") &&
              s_exists("c_failures.csv"));
    /* Nothing asked for: nothing written, no error. */
    outputs_t none = {0};
    cr_expect_eq(outputs_write(r, &none, &errors), 0);
    cr_expect_str_eq(strbuf_str(&errors), "");
    strbuf_fini(&errors);
    free(json);
    free(html);
    free(csv);
    free(junit);
    report_destroy(&r);
}

Test(outputs, one_failure_is_a_line_and_the_others_are_still_written, .init = s_setup,
     .fini = s_teardown) {
    report_t *r = s_report();
    char *json = xasprintf("%s/r.json", s_dir), *junit = xasprintf("%s/j.xml", s_dir);
    char *html = xasprintf("%s/missing/r.html", s_dir);
    outputs_t o = {.json_path = json, .html_path = html, .junit_path = junit};
    strbuf_t errors;
    strbuf_init(&errors);
    cr_expect_eq(outputs_write(r, &o, &errors), -1);
    char *want = xasprintf("HTML report %s: ", html);
    cr_expect_eq(strncmp(strbuf_str(&errors), want, strlen(want)), 0, "got: %s",
                 strbuf_str(&errors));
    cr_expect_not_null(strstr(strbuf_str(&errors), "No such file or directory"), "got: %s",
                       strbuf_str(&errors));
    /* One line, ending in a newline. */
    const char *nl = strchr(strbuf_str(&errors), '\n');
    cr_expect(nl && nl[1] == '\0', "got: %s", strbuf_str(&errors));
    cr_expect(s_exists("r.json") && s_exists("j.xml"));
    strbuf_fini(&errors);
    free(want);
    free(json);
    free(html);
    free(junit);
    report_destroy(&r);
}
