/* test_httpver: a row's HTTP versions in words (report/httpver.h). */
#include <criterion/criterion.h>
#include <string.h>

#include "report/httpver.h"

static results_row_t s_row(results_asked_t asked, uint64_t v10, uint64_t v11, uint64_t v2,
                           uint64_t v3) {
    return (results_row_t){.method = "GET",
                           .name = "/x",
                           .requests = v10 + v11 + v2 + v3,
                           .http_asked = asked,
                           .http_versions = {v10, v11, v2, v3}};
}

Test(httpver, names_round_trip) {
    for (int v = 0; v < RESULTS_HTTP_N; v++)
        cr_expect_eq(httpver_parse(httpver_name(v)), v);
    cr_expect_str_eq(httpver_name(RESULTS_HTTP_2), "2");
    cr_expect_str_eq(httpver_name(RESULTS_HTTP_N), "");
    cr_expect_eq(httpver_parse("2.0"), -1);
    for (int a = RESULTS_ASKED_1_1; a < RESULTS_ASKED_MAX; a++)
        cr_expect_eq(httpver_asked_parse(httpver_asked_name((results_asked_t)a)), a);
    cr_expect_str_eq(httpver_asked_name(RESULTS_ASKED_H2C), "h2c");
    cr_expect_str_eq(httpver_asked_name(RESULTS_ASKED_NONE), "");
    cr_expect_eq(httpver_asked_parse(""), RESULTS_ASKED_MAX);
    cr_expect_eq(httpver_asked_parse("3"), RESULTS_ASKED_MAX);
}

Test(httpver, shown_when_http2_was_asked_or_another_version_came) {
    results_row_t r = s_row(RESULTS_ASKED_1_1, 0, 5, 0, 0);
    cr_expect_not(httpver_shown(&r));
    r = s_row(RESULTS_ASKED_NONE, 0, 0, 0, 0);
    cr_expect_not(httpver_shown(&r));
    r = s_row(RESULTS_ASKED_2, 0, 0, 0, 0);
    cr_expect(httpver_shown(&r), "asked, even with no response");
    r = s_row(RESULTS_ASKED_1_1, 1, 5, 0, 0);
    cr_expect(httpver_shown(&r), "HTTP/1.0 came");
    r = s_row(RESULTS_ASKED_NONE, 0, 0, 0, 2);
    cr_expect(httpver_shown(&r));
}

Test(httpver, counts_name_the_versions_that_came) {
    char buf[64];
    results_row_t r = s_row(RESULTS_ASKED_2, 0, 150, 2, 0);
    cr_expect_str_eq(httpver_counts(&r, buf, sizeof buf), "HTTP/1.1 150, HTTP/2 2");
    r = s_row(RESULTS_ASKED_2, 0, 0, 0, 0);
    cr_expect_str_eq(httpver_counts(&r, buf, sizeof buf), "no response");
    r = s_row(RESULTS_ASKED_2, 1, 2, 3, 4);
    char small[12];
    cr_expect_eq(httpver_counts(&r, small, sizeof small), small);
    cr_expect_eq(strlen(small), sizeof small - 1, "cut, NUL-terminated");
}

Test(httpver, a_fallback_says_what_came_instead_of_http2) {
    char buf[128] = "untouched";
    results_row_t r = s_row(RESULTS_ASKED_2, 0, 152, 0, 0);
    cr_assert(httpver_fallback(&r, buf, sizeof buf));
    cr_expect_str_eq(buf, "asked HTTP/2, got HTTP/1.1 for 152 of 152 responses");
    r = s_row(RESULTS_ASKED_H2C, 2, 3, 5, 0);
    cr_assert(httpver_fallback(&r, buf, sizeof buf));
    cr_expect_str_eq(buf,
                     "asked HTTP/2 (h2c), got HTTP/1.0 for 2 and HTTP/1.1 for 3 of 10 responses");
    strcpy(buf, "untouched");
    r = s_row(RESULTS_ASKED_2, 0, 0, 7, 0);
    cr_expect_not(httpver_fallback(&r, buf, sizeof buf), "all in HTTP/2");
    r = s_row(RESULTS_ASKED_1_1, 0, 0, 7, 0);
    cr_expect_not(httpver_fallback(&r, buf, sizeof buf), "not asked for HTTP/2");
    r = s_row(RESULTS_ASKED_2, 0, 0, 0, 0);
    cr_expect_not(httpver_fallback(&r, buf, sizeof buf), "no response, nothing fell back");
    cr_expect_str_eq(buf, "untouched");
}

Test(httpver, any_shown_looks_at_every_row) {
    results_t *r = results_new();
    results_row_delta_t rows[2] = {
        {.method = "GET",
         .name = "/a",
         .requests = 1,
         .http_asked = RESULTS_ASKED_1_1,
         .http_versions = {0, 1, 0, 0}},
        {.method = "GET",
         .name = "/b",
         .requests = 1,
         .http_asked = RESULTS_ASKED_1_1,
         .http_versions = {0, 1, 0, 0}},
    };
    results_add(r, &(results_delta_t){.n_rows = 2, .rows = rows});
    cr_expect_not(httpver_any_shown(r));
    rows[1].http_asked = RESULTS_ASKED_2;
    rows[1].name = "/c";
    results_add(r, &(results_delta_t){.n_rows = 2, .rows = rows});
    cr_expect(httpver_any_shown(r));
    results_destroy(&r);
}
