/* test_summary: millisecond formatting and the final tables (report/summary.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/summary.h"

static char *s_fmt(uint64_t us) {
    static char buf[32];
    return summary_format_ms(us, buf, sizeof buf);
}

/* Renders summary_print_final into a string (caller frees). */
static char *s_final(const results_t *r, double run_s) {
    char *text = NULL;
    size_t bytes = 0;
    FILE *f = open_memstream(&text, &bytes);
    cr_assert_not_null(f);
    summary_print_final(f, r, run_s);
    fclose(f);
    return text;
}

/* Fills r with GET /fast (100 samples 1..100 ms, 10 failed) and POST /slow
 * (4 samples 200..800 ms), plus one error reason. */
static results_t *s_results(void) {
    results_t *r = results_new();
    histogram_t *fast = histogram_new(), *slow = histogram_new();
    for (uint64_t i = 1; i <= 100; i++) histogram_record(fast, i * 1000);
    for (uint64_t i = 1; i <= 4; i++) histogram_record(slow, i * 200000);
    results_row_delta_t rows[2] = {
        {.method = "GET", .name = "/fast", .latency = fast, .requests = 100, .failures = 10},
        {.method = "POST", .name = "/slow", .latency = slow, .requests = 4},
    };
    results_error_delta_t err = {.method = "GET", .name = "/fast", .reason = "HTTP 503", .count = 10};
    results_delta_t st = {.n_rows = 2, .rows = rows, .n_errors = 1, .errors = &err};
    results_add(r, &st);
    histogram_destroy(&fast);
    histogram_destroy(&slow);
    return r;
}

/* The line of text starting at the first occurrence of needle after `from`, copied. */
static char *s_line_with(const char *text, const char *from, const char *needle) {
    const char *start = from ? strstr(text, from) : text;
    cr_assert_not_null(start, "no '%s' in:\n%s", from, text);
    const char *hit = strstr(start, needle);
    cr_assert_not_null(hit, "no '%s' in:\n%s", needle, text);
    while (hit > text && hit[-1] != '\n') hit--;
    const char *end = strchr(hit, '\n');
    return strndup(hit, end ? (size_t)(end - hit) : strlen(hit));
}

/* Splits a table line into whitespace-separated words; returns how many. */
static int s_words(char *line, char **words, int max) {
    int n = 0;
    for (char *w = strtok(line, " "); w && n < max; w = strtok(NULL, " ")) words[n++] = w;
    return n;
}

Test(summary, format_ms_keeps_three_significant_digits) {
    cr_expect_str_eq(s_fmt(0), "0.000");
    cr_expect_str_eq(s_fmt(1), "0.001");
    cr_expect_str_eq(s_fmt(215), "0.215");
    cr_expect_str_eq(s_fmt(999), "0.999");
    cr_expect_str_eq(s_fmt(1000), "1.00");
    cr_expect_str_eq(s_fmt(1500), "1.50");
    cr_expect_str_eq(s_fmt(9990), "9.99");
    cr_expect_str_eq(s_fmt(12300), "12.3");
    cr_expect_str_eq(s_fmt(99900), "99.9");
    cr_expect_str_eq(s_fmt(250000), "250");
    cr_expect_str_eq(s_fmt(1234567), "1235");
}

Test(summary, format_ms_rounding_up_does_not_add_a_digit) {
    /* 9.999 ms rounds to 10: printed like any other value in [10, 100). */
    cr_expect_str_eq(s_fmt(9999), "10.0");
    cr_expect_str_eq(s_fmt(99960), "100");
    cr_expect_str_eq(s_fmt(9996), "10.0");
    cr_expect_str_eq(s_fmt(9994), "9.99");
    cr_expect_str_eq(s_fmt(99949), "99.9");
}

Test(summary, format_ms_returns_buf_and_truncates_safely) {
    char buf[4];
    cr_expect_eq(summary_format_ms(250000, buf, sizeof buf), buf);
    cr_expect_str_eq(buf, "250");
    char small[3] = "xx";
    summary_format_ms(12345678, small, sizeof small);
    cr_expect_eq(small[2], '\0');
}

Test(summary, final_shows_rows_aggregate_and_percentile_labels) {
    results_t *r = s_results();
    char *text = s_final(r, 10.0);
    cr_expect_not_null(strstr(text, "/fast"));
    cr_expect_not_null(strstr(text, "/slow"));
    cr_expect_not_null(strstr(text, "POST"));
    cr_expect_not_null(strstr(text, "Aggregated"));
    cr_expect_not_null(strstr(text, "# reqs"));
    cr_expect_not_null(strstr(text, "# fails"));
    char *header = s_line_with(text, "Response time percentiles", "Type");
    const char *labels[] = {"50%", "66%", "75%", "80%", "90%", "95%",
                            "98%", "99%", "99.9%", "99.99%", "100%"};
    char *words[32];
    int n = s_words(header, words, 32);
    cr_assert_eq(n, 2 + 11 + 2, "header: %d words", n); /* Type Name <11> # reqs */
    for (int i = 0; i < 11; i++) cr_expect_str_eq(words[2 + i], labels[i]);
    free(header);
    free(text);
    results_destroy(&r);
}

Test(summary, final_request_row_has_counts_and_rates) {
    results_t *r = s_results();
    char *text = s_final(r, 10.0);
    char *line = s_line_with(text, NULL, "/fast");
    char *w[16];
    int n = s_words(line, w, 16);
    /* Type Name reqs fails Avg Min Max Med req/s fails/s */
    cr_assert_eq(n, 10, "got %d words", n);
    cr_expect_str_eq(w[0], "GET");
    cr_expect_str_eq(w[2], "100");
    cr_expect_str_eq(w[3], "10");
    cr_expect_str_eq(w[4], "50.5");  /* mean of 1..100 ms */
    cr_expect_str_eq(w[5], "1.00");  /* min */
    cr_expect_str_eq(w[6], "100");   /* max */
    cr_expect_str_eq(w[8], "10.00"); /* 100 requests in 10 s */
    cr_expect_str_eq(w[9], "1.00");
    free(line);
    line = s_line_with(text, NULL, "Aggregated");
    n = s_words(line, w, 16);
    cr_assert_eq(n, 9, "Aggregated has no Type: got %d words", n);
    cr_expect_str_eq(w[1], "104");
    cr_expect_str_eq(w[2], "10");
    cr_expect_str_eq(w[5], "800"); /* max over all rows */
    free(line);
    free(text);
    results_destroy(&r);
}

Test(summary, p100_column_equals_max) {
    results_t *r = s_results();
    char *text = s_final(r, 10.0);
    char want[16];
    const char *rows[] = {"/fast", "/slow", "Aggregated"};
    for (int i = 0; i < 3; i++) {
        const results_row_t *row =
            i < 2 ? results_row(r, (size_t)i) : results_total(r);
        char *line = s_line_with(text, "Response time percentiles", rows[i]);
        char *w[32];
        int n = s_words(line, w, 32);
        /* ... <11 percentiles> <# reqs> */
        cr_assert_geq(n, 12);
        summary_format_ms(histogram_max(row->latency), want, sizeof want);
        cr_expect_str_eq(w[n - 2], want, "%s: p100 %s, max %s", rows[i], w[n - 2], want);
        char reqs[32];
        snprintf(reqs, sizeof reqs, "%llu", (unsigned long long)row->requests);
        cr_expect_str_eq(w[n - 1], reqs);
        summary_format_ms(histogram_percentile(row->latency, 50), want, sizeof want);
        cr_expect_str_eq(w[n - 12], want, "%s p50", rows[i]);
        free(line);
    }
    free(text);
    results_destroy(&r);
}

Test(summary, final_error_report_only_when_there_are_errors) {
    results_t *r = s_results();
    char *text = s_final(r, 10.0);
    cr_expect_not_null(strstr(text, "Error report"));
    char *line = s_line_with(text, "Error report", "HTTP 503");
    cr_expect_not_null(strstr(line, "10"));
    cr_expect_not_null(strstr(line, "/fast"));
    free(line);
    free(text);
    results_destroy(&r);

    r = results_new();
    text = s_final(r, 0);
    cr_expect_null(strstr(text, "Error report"));
    cr_expect_not_null(strstr(text, "Aggregated"), "an empty run still prints the tables");
    free(text);
    results_destroy(&r);
}

Test(summary, long_names_are_cut_to_sixty_columns) {
    char name[101];
    memset(name, 'n', 100);
    name[100] = '\0';
    results_t *r = results_new();
    results_row_delta_t row = {.method = "GET", .name = name, .requests = 1};
    results_delta_t st = {.n_rows = 1, .rows = &row};
    results_add(r, &st);
    char *text = s_final(r, 1.0);
    cr_expect_null(strstr(text, name));
    cr_expect_not_null(strstr(text, name + 40), "the first 60 characters are printed");
    free(text);
    results_destroy(&r);
}

/* A run whose /api asked for HTTP/2 and got 1.1 for some responses. */
static results_t *s_http_results(results_asked_t asked, uint64_t v11, uint64_t v2) {
    results_t *r = results_new();
    results_row_delta_t rows[2] = {
        {.method = "GET",
         .name = "/api",
         .requests = v11 + v2 + 1,
         .http_asked = asked,
         .http_versions = {0, v11, v2, 0}},
        {.method = "GET",
         .name = "/plain",
         .requests = 4,
         .http_asked = RESULTS_ASKED_1_1,
         .http_versions = {0, 4, 0, 0}},
    };
    results_add(r, &(results_delta_t){.n_rows = 2, .rows = rows});
    return r;
}

Test(summary, a_name_that_asked_for_http2_and_got_1_1_says_so) {
    results_t *r = s_http_results(RESULTS_ASKED_2, 30, 10);
    char *text = s_final(r, 1);
    cr_expect(strstr(text, "\nHTTP versions (asked for"), "%s", text);
    cr_expect(strstr(text, "\nGET /api: asked HTTP/2, got HTTP/1.1 for 30 of 40 responses\n"), "%s",
              text);
    char *line = s_line_with(text, "HTTP versions", "/api ");
    char *w[8];
    cr_assert_eq(s_words(line, w, 8), 7, "%s", line);
    cr_expect_str_eq(w[2], "2");
    cr_expect_str_eq(w[3], "HTTP/1.1");
    cr_expect_str_eq(w[4], "30,");
    cr_expect_str_eq(w[6], "10");
    cr_expect_null(strstr(strstr(text, "HTTP versions"), "/plain "), "1.1 as asked: not listed");
    free(line);
    free(text);
    results_destroy(&r);
}

Test(summary, http2_as_asked_is_listed_without_a_fallback_line) {
    results_t *r = s_http_results(RESULTS_ASKED_H2C, 0, 40);
    char *text = s_final(r, 1);
    cr_expect(strstr(text, "h2c      HTTP/2 40\n"), "%s", text);
    cr_expect_null(strstr(text, "asked HTTP/2"), "%s", text);
    free(text);
    results_destroy(&r);
}

Test(summary, no_http_versions_section_for_plain_http_1_1) {
    results_t *r = s_http_results(RESULTS_ASKED_1_1, 40, 0);
    char *text = s_final(r, 1);
    cr_expect_null(strstr(text, "HTTP versions"), "%s", text);
    free(text);
    results_destroy(&r);
    r = s_results(); /* nothing known: results from before versions were counted */
    text = s_final(r, 1);
    cr_expect_null(strstr(text, "HTTP versions"));
    free(text);
    results_destroy(&r);
}

/* GET /api: 4 requests over TLS, one new connection (DNS 0.1 ms, connect
 * 1 ms, TLS 8 ms on the first only), wait 50 ms and receive 1 ms each; POST
 * /none without phases. */
static results_t *s_phase_results(void) {
    results_t *r = results_new();
    histogram_t *ph[RESULTS_PHASE_N], *lat = histogram_new();
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        ph[p] = histogram_new();
    for (int i = 0; i < 4; i++) {
        histogram_record(ph[RESULTS_PHASE_DNS], 100);
        histogram_record(ph[RESULTS_PHASE_CONNECT], i == 0 ? 1000 : 1);
        histogram_record(ph[RESULTS_PHASE_TLS], i == 0 ? 8000 : 1);
        histogram_record(ph[RESULTS_PHASE_WAIT], 50000);
        histogram_record(ph[RESULTS_PHASE_RECEIVE], 1000);
        histogram_record(lat, 52000);
    }
    results_row_delta_t rows[2] = {
        {.method = "GET",
         .name = "/api",
         .latency = lat,
         .requests = 4,
         .bytes = 40000,
         .phases = {ph[0], ph[1], ph[2], ph[3], ph[4]},
         .connects = 1,
         .wire_bytes = 5000},
        {.method = "POST", .name = "/none", .latency = lat, .requests = 4}};
    results_add(r, &(results_delta_t){.n_rows = 2, .rows = rows});
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        histogram_destroy(&ph[p]);
    histogram_destroy(&lat);
    return r;
}

Test(summary, where_the_time_went_per_name_with_avg_p95_and_share) {
    results_t *r = s_phase_results();
    char *text = s_final(r, 10.0);
    cr_assert_not_null(strstr(text, "Where the time went"), "%s", text);
    char *line = s_line_with(text, "Where the time went", "/api");
    char *w[16];
    int n = s_words(line, w, 16);
    /* GET /api, then avg/p95 share per phase, then the total. */
    cr_assert_eq(n, 2 + 2 * RESULTS_PHASE_N + 1, "%s", line);
    cr_assert_str_eq(w[2], "0.100/0.100");
    cr_assert_str_eq(w[3], "0%");
    cr_assert_str_eq(w[4], "0.251/1.00", "connect: 1 ms once, then reused");
    cr_assert_str_eq(w[6], "2.00/8.00", "TLS: the first handshake");
    cr_assert_str_eq(w[8], "50.0/50.0");
    cr_assert_str_eq(w[9], "94%");
    cr_assert_str_eq(w[10], "1.00/1.00");
    cr_assert_str_eq(w[12], "53.4", "the total: the sum of the averages");
    free(line);
    cr_assert_null(strstr(strstr(text, "Where the time went"), "/none"),
                   "a name without phases is not listed");
    line = s_line_with(text, "Connections and bytes", "/api");
    n = s_words(line, w, 16);
    cr_assert_eq(n, 8, "%s", line);
    cr_assert_str_eq(w[2], "4");
    cr_assert_str_eq(w[3], "1", "new connections");
    cr_assert_str_eq(w[4], "5000", "wire bytes");
    cr_assert_str_eq(w[5], "40000", "body bytes");
    cr_assert_str_eq(w[6], "1250");
    cr_assert_str_eq(w[7], "10000");
    free(line);
    free(text);
    results_destroy(&r);
}

Test(summary, no_phases_section_without_phases) {
    results_t *r = s_results();
    char *text = s_final(r, 10.0);
    cr_assert_null(strstr(text, "Where the time went"));
    cr_assert_null(strstr(text, "Connections and bytes"));
    free(text);
    results_destroy(&r);
}

/* A run stopped by Ctrl-C printed the same summary as a complete one: the
 * JSON and HTML said "interrupted", the text did not. */
Test(summary, an_interrupted_run_says_so_under_the_load_line) {
    report_t *r = report_new();
    r->mode = strdup("closed");
    r->users = 2;
    r->duration_ms = 30000;
    r->run_seconds = 1.49;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert_not_null(f);
    summary_print_load(f, r);
    fclose(f);
    cr_expect_str_eq(text, "Load: closed model (virtual users), 2 users\n", "complete: one line");
    free(text);
    r->interrupted = true;
    f = open_memstream(&text, &len);
    cr_assert_not_null(f);
    summary_print_load(f, r);
    fclose(f);
    cr_expect_str_eq(text, "Load: closed model (virtual users), 2 users\n"
                           "Interrupted: stopped by a signal after 1.5 s of 30.0 s (rates are "
                           "over the time it ran)\n");
    free(text);
    report_destroy(&r);
}
