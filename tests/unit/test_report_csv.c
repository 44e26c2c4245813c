/* test_report_csv: Locust-compatible CSV files (report/report_csv.h) — headers
 * byte-equal to Locust's (golden file), Python csv quoting, row order, N/A
 * percentiles, milliseconds with microsecond precision, the history and
 * failures files, and report_csv_write's partial-failure behaviour. */
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
#include "report/report_csv.h"

/* ---------------------------------------------------------------- fixture */

static char s_dir[64];

static void s_setup(void) {
    snprintf(s_dir, sizeof s_dir, "/tmp/barrage-rcsv-XXXXXX");
    cr_assert_not_null(mkdtemp(s_dir));
}

static void s_rmtree(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        if (unlink(p) != 0) s_rmtree(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

static void s_teardown(void) {
    s_rmtree(s_dir);
}

TestSuite(report_csv, .init = s_setup, .fini = s_teardown);

static char *s_slurp(const char *path) {
    size_t len = 0;
    char *s = file_read(path, (size_t)1 << 30, &len);
    cr_assert_not_null(s, "cannot read %s: %s", path, strerror(errno));
    return s;
}

static size_t s_count_entries(const char *part) {
    DIR *d = opendir(s_dir);
    cr_assert_not_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strstr(e->d_name, part) != NULL;
    closedir(d);
    return n;
}

/* Line i (0-based) of the golden headers, CRLF included; caller frees. */
static char *s_golden_line(int i) {
    const char *src = getenv("BARRAGE_SOURCE_DIR");
    char *path = xasprintf("%s/tests/golden/locust_csv_headers.txt", src ? src : ".");
    char *text = s_slurp(path);
    char *line = text;
    for (int k = 0; k < i; k++) {
        line = strstr(line, "\r\n");
        cr_assert_not_null(line, "%s has fewer than %d lines", path, i + 1);
        line += 2;
    }
    char *end = strstr(line, "\r\n");
    cr_assert_not_null(end, "%s: line %d does not end in CRLF", path, i + 1);
    char *out = xmalloc((size_t)(end - line) + 3);
    memcpy(out, line, (size_t)(end - line) + 2);
    out[end - line + 2] = '\0';
    free(text);
    free(path);
    return out;
}

/* ---------------------------------------------------------------- a report */

/* Adds one (method, name) row: each value in values_us is one request. */
static void s_row(report_t *r, const char *method, const char *name, const uint64_t *values_us,
                  size_t n, uint64_t failures, uint64_t bytes) {
    histogram_t *h = histogram_new();
    for (size_t i = 0; i < n; i++)
        histogram_record(h, values_us[i]);
    results_row_delta_t row = {.method = method,
                               .name = name,
                               .requests = n,
                               .failures = failures,
                               .bytes = bytes,
                               .latency = h};
    results_add(r->results, &(results_delta_t){.n_rows = 1, .rows = &row});
    histogram_destroy(&h);
}

static void s_error(report_t *r, const char *method, const char *name, const char *reason,
                    uint64_t count) {
    results_error_delta_t e = {method, name, reason, count};
    results_add(r->results, &(results_delta_t){.n_errors = 1, .errors = &e});
}

/* Rows in first-seen order that is not the sorted order; names that need
 * quoting; a row without requests. Values are chosen to land alone in
 * their buckets, so every percentile is exact. */
static report_t *s_report(void) {
    report_t *r = report_new();
    r->run_seconds = 8;
    s_row(r, "POST", "/b", (uint64_t[]){12345}, 1, 1, 100);
    s_row(r, "GET", "/b", (uint64_t[]){7000, 7000}, 2, 0, 300);
    s_row(r, "DELETE", "q\"uote", (uint64_t[]){1}, 1, 0, 0);
    s_row(r, "GET", "line\nbreak", (uint64_t[]){500}, 1, 0, 0);
    s_row(r, "PUT", "/empty", NULL, 0, 0, 0);
    s_row(r, "GET", "/a,b", (uint64_t[]){1000, 2000, 3000, 4000}, 4, 0, 1000);
    return r;
}

static char *s_render(void (*fn)(const report_t *, strbuf_t *), const report_t *r) {
    strbuf_t b;
    strbuf_init(&b);
    fn(r, &b);
    char *s = xstrdup(strbuf_str(&b));
    strbuf_fini(&b);
    return s;
}

/* ---------------------------------------------------------------- headers */

Test(report_csv, headers_are_byte_equal_to_locusts) {
    report_t *r = report_new();
    void (*fns[3])(const report_t *, strbuf_t *) = {report_csv_stats, report_csv_history,
                                                    report_csv_failures};
    static const char aggregated_row[] =
        ",Aggregated,0,0,0,0,0,0,0,0,0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A\r\n";
    const char *empty_rows[3] = {aggregated_row, "", ""};
    for (int i = 0; i < 3; i++) {
        char *golden = s_golden_line(i), *doc = s_render(fns[i], r);
        size_t n = strlen(golden);
        cr_assert(!strncmp(doc, golden, n), "header %d:\n%s\nwant:\n%s", i, doc, golden);
        cr_assert_str_eq(doc + n, empty_rows[i], "after header %d", i);
        free(golden);
        free(doc);
    }
    report_destroy(&r);
}

/* ---------------------------------------------------------------- stats */

Test(report_csv, stats_rows_sorted_quoted_and_exact) {
    report_t *r = s_report();
    char *doc = s_render(report_csv_stats, r);
    char *golden = s_golden_line(0);
    const char *want_rows =
        "GET,\"/a,b\",4,0,2,2.5,1,4,250,0.5,0,2,3,3,4,4,4,4,4,4,4,4\r\n"
        "GET,/b,2,0,7,7,7,7,150,0.25,0,7,7,7,7,7,7,7,7,7,7,7\r\n"
        "POST,/b,1,1,12.345,12.345,12.345,12.345,100,0.125,0.125,"
        "12.345,12.345,12.345,12.345,12.345,12.345,12.345,12.345,12.345,12.345,12.345\r\n"
        "PUT,/empty,0,0,0,0,0,0,0,0,0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A\r\n"
        "GET,\"line\nbreak\",1,0,0.5,0.5,0.5,0.5,0,0.125,0,"
        "0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5\r\n"
        "DELETE,\"q\"\"uote\",1,0,0.001,0.001,0.001,0.001,0,0.125,0,"
        "0.001,0.001,0.001,0.001,0.001,0.001,0.001,0.001,0.001,0.001,0.001\r\n"
        /* 9 requests: 1, 500, 1000, 2000, 3000, 4000, 7000, 7000, 12345 us.
         * p75 and p80 fall in 7000's bucket [7000, 7003], reported at its
         * middle; p90 and above in 12345's, clamped to the max. */
        ",Aggregated,9,1,3,4.094,0.001,12.345,155.556,1.125,0.125,"
        "3,4,7.001,7.001,12.345,12.345,12.345,12.345,12.345,12.345,12.345\r\n";
    char *want = xasprintf("%s%s", golden, want_rows);
    cr_assert_str_eq(doc, want);
    free(want);
    free(golden);
    free(doc);
    report_destroy(&r);
}

Test(report_csv, same_name_rows_are_ordered_by_method_and_aggregated_is_last) {
    report_t *r = report_new();
    r->run_seconds = 1;
    const char *methods[] = {"PUT", "DELETE", "GET", "POST", "PATCH"};
    for (int i = 0; i < 5; i++)
        s_row(r, methods[i], "/x", (uint64_t[]){1000}, 1, 0, 0);
    s_row(r, "GET", "/", (uint64_t[]){1000}, 1, 0, 0);
    s_row(r, "GET", "Aggregated", (uint64_t[]){1000}, 1, 0, 0); /* a route that is so named */
    char *doc = s_render(report_csv_stats, r);
    /* Byte order, as Python sorts str: '/' (0x2f) before 'A' (0x41). */
    const char *want[] = {"GET,/,",   "DELETE,/x,", "GET,/x,",         "PATCH,/x,",
                          "POST,/x,", "PUT,/x,",    "GET,Aggregated,", ",Aggregated,7,"};
    const char *line = strstr(doc, "\r\n") + 2;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        cr_assert(!strncmp(line, want[i], strlen(want[i])), "row %zu: %.40s, want %s", i, line,
                  want[i]);
        line = strstr(line, "\r\n") + 2;
    }
    cr_assert_str_eq(line, "");
    free(doc);
    report_destroy(&r);
}

Test(report_csv, milliseconds_keep_every_microsecond) {
    report_t *r = report_new();
    r->run_seconds = 3;
    s_row(r, "GET", "/us", (uint64_t[]){12345}, 1, 0, 7);
    s_row(r, "GET", "/round", (uint64_t[]){100000, 200000, 200001}, 3, 0, 10);
    char *doc = s_render(report_csv_stats, r);
    /* 12345 us is 12.345 ms, not Locust's 12. */
    cr_assert(strstr(doc, "\r\nGET,/us,1,0,12.345,12.345,12.345,12.345,7,0.333,0,12.345,"), "%s",
              doc);
    /* Trailing zeros trimmed (min 100 ms); a mean of 166667 us is 166.667 ms;
     * 10/3 bytes rounded to 3 decimals. 200000 and 200001 us share the bucket
     * [199936, 200063]: percentiles below 100 are its middle, 199999 us, and
     * 100% is the exact max. */
    cr_assert(strstr(doc, "\r\nGET,/round,3,0,199.999,166.667,100,200.001,3.333,1,0,"
                          "199.999,199.999,199.999,199.999,199.999,199.999,199.999,199.999,"
                          "199.999,199.999,200.001\r\n"),
              "%s", doc);
    free(doc);
    report_destroy(&r);
}

Test(report_csv, a_run_of_zero_seconds_has_zero_rates) {
    report_t *r = report_new(); /* run_seconds = 0: no division by zero */
    s_row(r, "GET", "/", (uint64_t[]){1000}, 1, 1, 10);
    char *doc = s_render(report_csv_stats, r);
    cr_assert(strstr(doc, "\r\nGET,/,1,1,1,1,1,1,10,0,0,1,"), "%s", doc);
    free(doc);
    report_destroy(&r);
}

/* ---------------------------------------------------------------- history */

Test(report_csv, one_history_row_per_timeline_point) {
    report_t *r = report_new();
    timeline_point_t p0 = {
        .second = 0,
        .wall_ms = 1714564801999ull,
        .users = 5,
        .requests = 10,
        .failures = 1,
        .bytes = 1000,
        .pct_us = {1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 12344, 12345},
        .total_requests = 10,
        .total_failures = 1,
        .total_bytes = 1000,
        .total_median_us = 1000,
        .total_min_us = 500,
        .total_max_us = 12345,
        .total_avg_us = 1234.5678};
    timeline_point_t p1 = {.second = 1,
                           .wall_ms = 1714564803000ull,
                           .users = 7,
                           .total_requests = 10,
                           .total_failures = 1,
                           .total_bytes = 1000,
                           .total_median_us = 1000,
                           .total_min_us = 500,
                           .total_max_us = 12345,
                           .total_avg_us = 1234.5678};
    timeline_point_t p2 = p0;
    p2.second = 2;
    p2.wall_ms = 1714564804000ull;
    p2.requests = 3;
    p2.failures = 0;
    p2.total_requests = 13;
    p2.total_bytes = 1301;
    timeline_append(r->timeline, &p0);
    timeline_append(r->timeline, &p1);
    timeline_append(r->timeline, &p2);
    char *doc = s_render(report_csv_history, r), *golden = s_golden_line(1);
    char *want =
        xasprintf("%s"
                  "1714564801,5,,Aggregated,10,1,1,1.1,1.2,1.3,1.4,1.5,1.6,1.7,1.8,12.344,12.345,"
                  "10,1,1,1.235,0.5,12.345,100\r\n"
                  "1714564803,7,,Aggregated,0,0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,"
                  "10,1,1,1.235,0.5,12.345,100\r\n"
                  "1714564804,5,,Aggregated,3,0,1,1.1,1.2,1.3,1.4,1.5,1.6,1.7,1.8,12.344,12.345,"
                  "13,1,1,1.235,0.5,12.345,100.077\r\n",
                  golden);
    cr_assert_str_eq(doc, want);
    free(want);
    free(golden);
    free(doc);
    report_destroy(&r);
}

Test(report_csv, history_from_a_recorded_timeline) {
    report_t *r = report_new();
    histogram_t *h = histogram_new();
    for (uint64_t v = 1000; v <= 4000; v += 1000)
        histogram_record(h, v);
    results_row_delta_t row = {
        .method = "GET", .name = "/", .requests = 4, .failures = 1, .bytes = 40, .latency = h};
    results_delta_t st = {.n_rows = 1, .rows = &row};
    timeline_add(r->timeline, 0, &st);
    timeline_close_until(r->timeline, 2, 2, 1714564801000ull); /* second 1 is quiet */
    histogram_destroy(&h);
    char *doc = s_render(report_csv_history, r);
    const char *rows = strstr(doc, "\r\n") + 2;
    cr_assert_str_eq(rows,
                     "1714564802,2,,Aggregated,4,1,2,3,3,4,4,4,4,4,4,4,4,4,1,2,2.5,1,4,10\r\n"
                     "1714564803,2,,Aggregated,0,0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,"
                     "4,1,2,2.5,1,4,10\r\n");
    free(doc);
    report_destroy(&r);
}

/* ---------------------------------------------------------------- failures */

Test(report_csv, failures_sorted_by_name_method_and_error) {
    report_t *r = report_new();
    s_error(r, "POST", "/checkout", "HTTP 503", 7);
    s_error(r, "GET", "/checkout", "timeout", 1);
    s_error(r, "POST", "/checkout", "expect: body has no \"order_id\", got \"{}\"", 2);
    s_error(r, "GET", "/a", "connect: Connection refused\nretry", 3);
    s_error(r, "POST", "/checkout", "HTTP 503", 5); /* merged with the first */
    char *doc = s_render(report_csv_failures, r), *golden = s_golden_line(2);
    char *want =
        xasprintf("%s"
                  "GET,/a,\"connect: Connection refused\nretry\",3\r\n"
                  "GET,/checkout,timeout,1\r\n"
                  "POST,/checkout,HTTP 503,12\r\n"
                  "POST,/checkout,\"expect: body has no \"\"order_id\"\", got \"\"{}\"\"\",2\r\n",
                  golden);
    cr_assert_str_eq(doc, want);
    free(want);
    free(golden);
    free(doc);
    report_destroy(&r);
}

/* ---------------------------------------------------------------- files */

static char *s_file(const char *prefix, const char *suffix) {
    return xasprintf("%s%s", prefix, suffix);
}

Test(report_csv, write_creates_the_four_files) {
    report_t *r = s_report();
    s_error(r, "POST", "/b", "HTTP 500", 1);
    char *prefix = xasprintf("%s/run", s_dir), *err = (char *)"untouched";
    cr_assert_eq(report_csv_write(r, prefix, &err), 0);
    cr_assert_null(err);
    void (*fns[4])(const report_t *, strbuf_t *) = {report_csv_stats, report_csv_history,
                                                    report_csv_failures, report_csv_phases};
    const char *suffix[4] = {"_stats.csv", "_stats_history.csv", "_failures.csv", "_phases.csv"};
    for (int i = 0; i < 4; i++) {
        char *path = s_file(prefix, suffix[i]), *got = s_slurp(path), *want = s_render(fns[i], r);
        cr_assert_str_eq(got, want, "%s", path);
        free(path);
        free(got);
        free(want);
    }
    cr_assert_eq(s_count_entries(".tmp-"), 0);
    free(prefix);
    report_destroy(&r);
}

Test(report_csv, a_file_that_cannot_be_written_does_not_stop_the_others) {
    report_t *r = s_report();
    char *prefix = xasprintf("%s/run", s_dir), *err = NULL;
    char *blocked = s_file(prefix, "_stats_history.csv");
    cr_assert_eq(mkdir(blocked, 0755), 0); /* a directory where the file should go */
    cr_assert_eq(report_csv_write(r, prefix, &err), -1);
    char *want = xasprintf("cannot write %s: Is a directory", blocked);
    cr_assert_str_eq(err, want);
    char *stats = s_file(prefix, "_stats.csv"), *failures = s_file(prefix, "_failures.csv");
    char *got = s_slurp(stats), *doc = s_render(report_csv_stats, r);
    cr_assert_str_eq(got, doc);
    free(got);
    free(doc);
    got = s_slurp(failures);
    doc = s_render(report_csv_failures, r);
    cr_assert_str_eq(got, doc);
    cr_assert_eq(s_count_entries(".tmp-"), 0, "a temporary file was left behind");
    free(got);
    free(doc);
    free(stats);
    free(failures);
    free(want);
    free(err);
    free(blocked);
    free(prefix);
    report_destroy(&r);
}

Test(report_csv, the_error_names_the_first_file_that_failed) {
    report_t *r = s_report();
    char *prefix = xasprintf("%s/run", s_dir), *err = NULL;
    char *a = s_file(prefix, "_stats.csv"), *b = s_file(prefix, "_failures.csv");
    cr_assert_eq(mkdir(a, 0755), 0);
    cr_assert_eq(mkdir(b, 0755), 0);
    cr_assert_eq(report_csv_write(r, prefix, &err), -1);
    char *want = xasprintf("cannot write %s: Is a directory", a);
    cr_assert_str_eq(err, want);
    char *history = s_file(prefix, "_stats_history.csv");
    struct stat st;
    cr_assert_eq(stat(history, &st), 0, "the history file was not written");
    free(history);
    free(want);
    free(err);
    free(a);
    free(b);
    free(prefix);
    report_destroy(&r);
}

Test(report_csv, a_missing_directory_fails_with_a_clear_message) {
    report_t *r = s_report();
    char *prefix = xasprintf("%s/no/such/dir/run", s_dir), *err = NULL;
    cr_assert_eq(report_csv_write(r, prefix, &err), -1);
    char *want = xasprintf("cannot write %s_stats.csv: No such file or directory", prefix);
    cr_assert_str_eq(err, want);
    free(want);
    free(err);
    free(prefix);
    report_destroy(&r);
}

/* ---------------------------------------------------------------- phases */

/* GET /p: 2 requests over one new TLS connection (the second reused), with
 * exact phases; the s_report rows have none. */
static void s_phase_row(report_t *r) {
    histogram_t *lat = histogram_new(), *ph[RESULTS_PHASE_N];
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        ph[p] = histogram_new();
    const uint64_t first[RESULTS_PHASE_N] = {100, 1000, 8000, 40000, 900};
    const uint64_t second[RESULTS_PHASE_N] = {100, 1, 1, 60000, 1100};
    for (int p = 0; p < RESULTS_PHASE_N; p++) {
        histogram_record(ph[p], first[p]);
        histogram_record(ph[p], second[p]);
    }
    histogram_record(lat, 50000);
    histogram_record(lat, 61202);
    results_row_delta_t row = {.method = "GET",
                               .name = "/p",
                               .requests = 2,
                               .bytes = 20000,
                               .latency = lat,
                               .phases = {ph[0], ph[1], ph[2], ph[3], ph[4]},
                               .connects = 1,
                               .wire_bytes = 900};
    results_add(r->results, &(results_delta_t){.n_rows = 1, .rows = &row});
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        histogram_destroy(&ph[p]);
    histogram_destroy(&lat);
}

Test(report_csv, phases_file_has_a_row_per_name_and_the_aggregate) {
    report_t *r = s_report();
    s_phase_row(r);
    char *doc = s_render(report_csv_phases, r);
    const char *header = "Type,Name,Measured Count,New Connections,Wire Bytes,Decoded Bytes,"
                         "DNS Average,DNS p95,DNS Share,Connect Average,Connect p95,Connect Share,"
                         "TLS Average,TLS p95,TLS Share,Wait Average,Wait p95,Wait Share,"
                         "Receive Average,Receive p95,Receive Share,Total Average\r\n";
    cr_assert_eq(strncmp(doc, header, strlen(header)), 0, "%s", doc);
    /* Sorted as _stats.csv: "/p" after "/b" rows and before the quoted names. */
    const char *p = strstr(doc, "GET,/p,");
    cr_assert_not_null(p, "%s", doc);
    cr_assert_gt(p, strstr(doc, "POST,/b,"));
    /* Total 111202 us over 2 requests: 55.601 ms; wait 100000 of 111202 us; averages
     * to the microsecond (connect 500.5 us: 0.5). */
    const char *want = "GET,/p,2,1,900,20000,0.1,0.1,0.0018,0.5,1,0.0090,4,8,0.0720,"
                       "50,60,0.8993,1,1.1,0.0180,55.601\r\n";
    cr_assert_eq(strncmp(p, want, strlen(want)), 0, "got %.*s", (int)strcspn(p, "\r"), p);
    cr_assert_not_null(strstr(doc, "PUT,/empty,0,0,0,0,0,N/A,0.0000,"), "%s", doc);
    cr_assert_not_null(strstr(doc, ",Aggregated,2,1,900,21400,"), "%s", doc);
    free(doc);
    report_destroy(&r);
}
