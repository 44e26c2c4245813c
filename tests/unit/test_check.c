/* Unit tests for worker/check.c: regex captures through PCRE2 on a response body, expect.json. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "scenarios/scenario.h"
#include "worker/check.h"
#include "worker/plan.h"
#include "worker/render.h"
#include "worker/vuser.h"
#include "worker/wstats.h"

/* One user of a one-request scenario whose only capture is v: "regex:PATTERN". */
typedef struct {
    scenario_t *sc;
    wstats_t *ws;
    plan_t *plan;
    vuser_t u;
    const plan_step_t *st;
} s_fixture_t;

/* pattern goes into a single-quoted YAML scalar, so backslashes stay as written. */
static void s_setup(s_fixture_t *f, const char *pattern) {
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "host: http://127.0.0.1:1\n"
             "users:\n"
             "  - name: U\n"
             "    tasks:\n"
             "      - get: /\n"
             "        capture: {v: 'regex:%s'}\n",
             pattern);
    scenario_errors_t errs = {0};
    f->sc = scenario_load("check.yaml", yaml, strlen(yaml), &errs);
    cr_assert_not_null(f->sc, "%s", errs.n ? errs.lines[0] : "no error");
    scenario_errors_fini(&errs);
    f->ws = wstats_new();
    char *err = NULL;
    f->plan = plan_new(f->sc, NULL, false, f->ws, &err);
    cr_assert_not_null(f->plan, "%s", err ? err : "");
    memset(&f->u, 0, sizeof f->u);
    f->u.cls = &f->plan->classes[0];
    f->u.host = f->plan->host;
    f->u.easy = curl_easy_init();
    cr_assert_not_null(f->u.easy);
    render_user_init(&f->u);
    f->u.task = &f->u.cls->tasks[0];
    f->st = &f->u.task->steps[0];
    cr_assert(f->st->keep_body, "a capture keeps the body");
}

static void s_teardown(s_fixture_t *f) {
    render_user_fini(&f->u);
    curl_easy_cleanup(f->u.easy);
    plan_destroy(&f->plan);
    wstats_destroy(&f->ws);
    scenario_destroy(&f->sc);
}

/* Runs the checks on body (len bytes) as a 200 response; true when the request failed. */
static bool s_check(s_fixture_t *f, const char *body, size_t len, wstats_reason_t *why) {
    strbuf_reset(&f->u.response);
    strbuf_append(&f->u.response, body, len);
    f->u.body_bytes = len;
    f->u.keep_body = true;
    *why = (wstats_reason_t){0};
    return check_response(&f->u, f->st, CURLE_OK, 1000, why);
}

/* The captured value of v, as bytes. */
static const strbuf_t *s_value(const s_fixture_t *f) {
    return &f->u.values[f->st->req->captures[0].slot];
}

Test(check, regex_captures_group_1) {
    s_fixture_t f;
    s_setup(&f, "\"id\": ?([0-9]+)");
    wstats_reason_t why;
    const char body[] = "{\"name\": \"x\",\n \"id\": 4711, \"other\": 9}";
    cr_assert_not(s_check(&f, body, strlen(body), &why), "%s: %s", why.category, why.detail);
    cr_expect_str_eq(strbuf_str(s_value(&f)), "4711");
    s_teardown(&f);
}

Test(check, regex_without_group_captures_whole_match) {
    s_fixture_t f;
    s_setup(&f, "[a-z]+=\\d+");
    wstats_reason_t why;
    const char body[] = "x: token=42;";
    cr_assert_not(s_check(&f, body, strlen(body), &why));
    cr_expect_str_eq(strbuf_str(s_value(&f)), "token=42");
    s_teardown(&f);
}

Test(check, regex_second_group_is_not_captured) {
    s_fixture_t f;
    s_setup(&f, "(\\w+)=(\\w+)");
    wstats_reason_t why;
    const char body[] = "key=value";
    cr_assert_not(s_check(&f, body, strlen(body), &why));
    cr_expect_str_eq(strbuf_str(s_value(&f)), "key");
    s_teardown(&f);
}

Test(check, regex_non_capturing_group_leaves_group_1_to_the_next) {
    s_fixture_t f;
    s_setup(&f, "(?:id|key)=([0-9]+)");
    wstats_reason_t why;
    const char body[] = "key=77";
    cr_assert_not(s_check(&f, body, strlen(body), &why));
    cr_expect_str_eq(strbuf_str(s_value(&f)), "77");
    s_teardown(&f);
}

Test(check, regex_group_1_not_taking_part_is_not_found) {
    s_fixture_t f;
    s_setup(&f, "(a)?b");
    wstats_reason_t why;
    cr_assert(s_check(&f, "xb", 2, &why));
    cr_expect_str_eq(why.category, "capture");
    cr_expect_str_eq(why.detail, f.st->why_capture[0]);
    s_teardown(&f);
}

Test(check, regex_empty_group_captures_empty_value) {
    s_fixture_t f;
    s_setup(&f, "token=([a-z]*);");
    wstats_reason_t why;
    render_set_var(&f.u, f.st->req->captures[0].slot, "old", 3);
    cr_assert_not(s_check(&f, "token=;", 7, &why));
    cr_expect_eq(s_value(&f)->len, 0);
    s_teardown(&f);
}

Test(check, regex_no_match_fails_as_capture_not_found) {
    s_fixture_t f;
    s_setup(&f, "id=([0-9]+)");
    wstats_reason_t why;
    const char body[] = "nothing here";
    cr_assert(s_check(&f, body, strlen(body), &why));
    cr_expect_str_eq(why.category, "capture");
    cr_expect_str_eq(why.detail, "v from regex:id=([0-9]+): not found");
    s_teardown(&f);
}

Test(check, regex_reads_past_nul_bytes_in_the_body) {
    s_fixture_t f;
    s_setup(&f, "id=([0-9]+)");
    wstats_reason_t why;
    const char body[] = "bin\0ary\0 id=123\0tail";
    cr_assert_not(s_check(&f, body, sizeof body - 1, &why), "%s", why.detail);
    cr_expect_str_eq(strbuf_str(s_value(&f)), "123");
    s_teardown(&f);
}

Test(check, regex_captures_nul_bytes_with_their_length) {
    s_fixture_t f;
    s_setup(&f, "<(.*)>");
    wstats_reason_t why;
    const char body[] = "x<a\0b>y";
    cr_assert_not(s_check(&f, body, sizeof body - 1, &why));
    cr_assert_eq(s_value(&f)->len, 3);
    cr_expect_eq(memcmp(strbuf_str(s_value(&f)), "a\0b", 3), 0);
    s_teardown(&f);
}

Test(check, regex_dot_spans_lines_and_dollar_is_the_end_of_the_body) {
    s_fixture_t f;
    s_setup(&f, "<p>(.*)</p>$");
    wstats_reason_t why;
    const char body[] = "<p>one\ntwo</p>\n";
    /* '$' is the very end: the body's final newline is not skipped over. */
    cr_assert(s_check(&f, body, strlen(body), &why));
    cr_assert_not(s_check(&f, body, strlen(body) - 1, &why));
    cr_expect_str_eq(strbuf_str(s_value(&f)), "one\ntwo");
    s_teardown(&f);
}

Test(check, regex_alternation_takes_the_first_alternative_that_matches) {
    s_fixture_t f;
    s_setup(&f, "(a|ab)");
    wstats_reason_t why;
    cr_assert_not(s_check(&f, "abc", 3, &why));
    cr_expect_str_eq(strbuf_str(s_value(&f)), "a"); /* POSIX took the longest: "ab" */
    s_teardown(&f);
}

Test(check, regex_back_reference_matches) {
    s_fixture_t f;
    s_setup(&f, "([\"''])(.*?)\\1");
    wstats_reason_t why;
    const char body[] = "say 'hi' now";
    cr_assert_not(s_check(&f, body, strlen(body), &why));
    cr_expect_str_eq(strbuf_str(s_value(&f)), "'");
    s_teardown(&f);
}

/* The limit tests assert which limit ended the match: without it the match would end
 * (seconds later) with another verdict. Criterion's timeout bounds a hang; speed is
 * not asserted here. */
Test(check, catastrophic_backtracking_stops_at_the_match_limit, .timeout = 60) {
    s_fixture_t f;
    s_setup(&f, "(a+)+$");
    wstats_reason_t why;
    const char body[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"; /* 2^40 ways to fail */
    cr_assert(s_check(&f, body, strlen(body), &why));
    cr_expect_str_eq(why.category, "capture");
    cr_expect_str_eq(why.detail, "regex: match limit exceeded");
    /* About 20 ms; generous for sanitizer builds. Without a limit: hours. */
    /* The match data is reused: the next response matches normally. */
    cr_assert_not(s_check(&f, "xaaa", 4, &why));
    cr_expect_str_eq(strbuf_str(s_value(&f)), "aaa");
    s_teardown(&f);
}

Test(check, work_limit_stops_backtracking_just_under_the_match_limit_at_many_places, .timeout = 60) {
    s_fixture_t f;
    s_setup(&f, "(a+)+$");
    wstats_reason_t why;
    /* 2,000 runs of 18 'a' and a 'b': each start position stays under the match limit;
     * without the work limit this takes some 40 s. */
    size_t run = 19, len = 2000 * run;
    char *body = malloc(len);
    cr_assert_not_null(body);
    for (size_t i = 0; i < len; i++)
        body[i] = i % run == run - 1 ? 'b' : 'a';
    cr_assert(s_check(&f, body, len, &why));
    cr_expect_str_eq(why.detail, "regex: work limit exceeded");
    free(body);
    s_teardown(&f);
}

Test(check, work_limit_stops_rescanning_the_body_from_each_position, .timeout = 60) {
    s_fixture_t f;
    s_setup(&f, "[a-z]*[0-9]");
    wstats_reason_t why;
    size_t len = 100000; /* without the work limit: 9 s */
    char *body = malloc(len);
    cr_assert_not_null(body);
    memset(body, 'a', len);
    cr_assert(s_check(&f, body, len, &why));
    cr_expect_str_eq(why.detail, "regex: work limit exceeded");
    /* A short body of the same kind is fine: the budget grows with the body. */
    memcpy(body + 2000, "7", 1);
    cr_assert_not(s_check(&f, body, 2001, &why), "%s", why.detail);
    cr_assert(s_check(&f, body, 2000, &why));
    cr_expect_str_eq(why.detail, f.st->why_capture[0]);
    free(body);
    s_teardown(&f);
}

Test(check, work_limit_stops_a_back_reference_retried_from_each_position, .timeout = 60) {
    s_fixture_t f;
    s_setup(&f, "(a*)\\1[bc]");
    wstats_reason_t why;
    size_t len = 20000; /* without the work limit: 21 s */
    char *body = malloc(len);
    cr_assert_not_null(body);
    memset(body, 'a', len);
    cr_assert(s_check(&f, body, len, &why));
    cr_expect_str_eq(why.category, "capture");
    cr_expect_str_eq(why.detail, "regex: work limit exceeded");
    free(body);
    s_teardown(&f);
}

Test(check, work_budget_lets_a_plain_capture_search_the_largest_kept_body) {
    s_fixture_t f;
    s_setup(&f, "\"access_token\": \"([a-z0-9]+)\"");
    wstats_reason_t why;
    /* Quotes everywhere: every one is a candidate start position. */
    static const char item[] = "{\"id\": 1, \"name\": \"x\", \"tags\": [\"a\", \"b\"]},\n";
    static const char tail[] = "\"access_token\": \"tok42\"}";
    size_t len = CHECK_MAX_BODY_BYTES, n_items = (len - sizeof tail) / (sizeof item - 1);
    char *body = malloc(len);
    cr_assert_not_null(body);
    size_t at = 0;
    for (size_t i = 0; i < n_items; i++, at += sizeof item - 1)
        memcpy(body + at, item, sizeof item - 1);
    memcpy(body + at, tail, sizeof tail - 1);
    at += sizeof tail - 1;
    cr_assert_not(s_check(&f, body, at, &why), "%s", why.detail);
    cr_expect_str_eq(strbuf_str(s_value(&f)), "tok42");
    free(body);
    s_teardown(&f);
}

Test(check, deep_backtracking_stops_at_the_depth_limit) {
    s_fixture_t f;
    s_setup(&f, "\"((?:[^\"\\\\]|\\\\.)*)\"");
    wstats_reason_t why;
    /* Each character of the string keeps two backtracking points open. */
    size_t len = 2 * SCENARIO_REGEX_DEPTH_LIMIT;
    char *body = malloc(len + 2);
    cr_assert_not_null(body);
    body[0] = '"';
    memset(body + 1, 'x', len);
    body[len + 1] = '"';
    cr_assert(s_check(&f, body, len + 2, &why));
    cr_expect_str_eq(why.detail, "regex: depth limit exceeded");
    /* A string of 10 KB is well within. */
    body[10001] = '"';
    cr_assert_not(s_check(&f, body, 10002, &why), "%s", why.detail);
    cr_expect_eq(s_value(&f)->len, 10000);
    free(body);
    s_teardown(&f);
}

/* A body of len bytes: "<b>", 'x' up to len - 4, "</b>". Caller frees. */
static char *s_bold_body(size_t len) {
    char *body = malloc(len);
    cr_assert_not_null(body);
    memset(body, 'x', len);
    memcpy(body, "<b>", 3);
    memcpy(body + len - 4, "</b>", 4);
    return body;
}

Test(check, lazy_scan_of_a_large_body_fits_the_match_limit_up_to_about_1_mb) {
    s_fixture_t f;
    s_setup(&f, "<b>(.*?)</b>");
    wstats_reason_t why;
    size_t len = 900u << 10;
    char *body = s_bold_body(len);
    cr_assert_not(s_check(&f, body, len, &why), "%s", why.detail);
    cr_expect_eq(s_value(&f)->len, len - 7);
    free(body);
    /* One step per byte: 2 MB is over the limit. */
    len = 2u << 20;
    body = s_bold_body(len);
    cr_assert(s_check(&f, body, len, &why));
    cr_expect_str_eq(why.detail, "regex: match limit exceeded");
    free(body);
    s_teardown(&f);
}

Test(check, greedy_scan_of_the_largest_kept_body_is_cheap) {
    s_fixture_t f;
    s_setup(&f, "<b>(.*)</b>");
    wstats_reason_t why;
    size_t len = CHECK_MAX_BODY_BYTES;
    char *body = s_bold_body(len);
    cr_assert_not(s_check(&f, body, len, &why), "%s", why.detail);
    cr_expect_eq(s_value(&f)->len, len - 7);
    free(body);
    s_teardown(&f);
}

Test(check, body_over_the_kept_size_fails_before_matching) {
    s_fixture_t f;
    s_setup(&f, "(x)");
    wstats_reason_t why;
    strbuf_reset(&f.u.response);
    strbuf_append(&f.u.response, "x", 1);
    f.u.body_bytes = (uint64_t)CHECK_MAX_BODY_BYTES + 1;
    f.u.keep_body = true;
    cr_assert(check_response(&f.u, f.st, CURLE_OK, 1000, &why));
    cr_expect_str_eq(why.category, "body too large");
    s_teardown(&f);
}

/* A failed handshake's reason is curl's own message, taken from the user's error
 * buffer (the engine then keeps a copy for the run). */
Test(check, a_tls_failure_carries_curls_message) {
    s_fixture_t f;
    s_setup(&f, "x");
    snprintf(f.u.curl_error, sizeof f.u.curl_error,
             "SSL certificate problem: certificate has expired");
    wstats_reason_t why = {0};
    cr_assert(check_response(&f.u, f.st, CURLE_PEER_FAILED_VERIFICATION, 1000, &why));
    cr_expect_str_eq(why.category, "tls");
    cr_expect_eq(why.detail, f.u.curl_error);
    f.u.curl_error[0] = '\0';
    cr_assert(check_response(&f.u, f.st, CURLE_PEER_FAILED_VERIFICATION, 1000, &why));
    cr_expect_str_eq(why.detail, curl_easy_strerror(CURLE_PEER_FAILED_VERIFICATION),
                     "no message: curl's generic text");
    s_teardown(&f);
}

Test(check, a_set_cookie_header_gives_its_value_by_name) {
    size_t len = 0;
    const char *v = check_set_cookie("sid=abc123; Path=/; HttpOnly", "sid", &len);
    cr_assert_not_null(v);
    cr_expect_eq(len, 6);
    cr_expect(strncmp(v, "abc123", len) == 0);
    v = check_set_cookie(" token = \"q w\" ;Secure", "token", &len);
    cr_assert_not_null(v, "spaces around, quotes removed");
    cr_expect(strncmp(v, "q w", len) == 0 && len == 3);
    v = check_set_cookie("sid=", "sid", &len);
    cr_assert_not_null(v, "an empty value is a value");
    cr_expect_eq(len, 0);
    cr_expect_null(check_set_cookie("sidx=1", "sid", &len), "another cookie");
    cr_expect_null(check_set_cookie("SID=1", "sid", &len), "names compare exactly");
    cr_expect_null(check_set_cookie("sid", "sid", &len), "no value");
}

/* expect.json compares numbers by value: a server's 1.50 or 1e3 is the 1.5 or
 * 1000 the scenario expects; other text compares as written. */
Test(check, expect_json_compares_numbers_by_value) {
    cr_expect(check_json_equals("1.50", 4, "1.5"));
    cr_expect(check_json_equals("1e3", 3, "1000"));
    cr_expect(check_json_equals("-0", 2, "0"));
    cr_expect(check_json_equals("10.0", 4, "10"));
    cr_expect(check_json_equals("paid", 4, "paid"));
    cr_expect(check_json_equals("1", 1, "1"), "a string \"1\" matches 1, as before");
    cr_expect_not(check_json_equals("1.51", 4, "1.5"));
    cr_expect_not(check_json_equals("2", 1, "1"));
    cr_expect_not(check_json_equals("true", 4, "1"));
    cr_expect_not(check_json_equals("0x10", 4, "16"), "not a JSON number");
    cr_expect_not(check_json_equals(" 1", 2, "1"), "not a JSON number");
    cr_expect_not(check_json_equals("1.", 2, "1"), "not a JSON number");
    cr_expect_not(check_json_equals("01", 2, "1"), "not a JSON number");
    cr_expect(check_json_equals("nan", 3, "nan"), "the same text");
    cr_expect_not(check_json_equals("1e", 2, "1"), "not a JSON number");
    cr_expect_not(check_json_equals("Paid", 4, "paid"));
}

/* One user of a one-request scenario with expect: {json: {PATH: VALUE}}. */
static void s_setup_expect(s_fixture_t *f, const char *path, const char *value) {
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "host: http://127.0.0.1:1\n"
             "users:\n"
             "  - name: U\n"
             "    tasks:\n"
             "      - get: /\n"
             "        expect: {json: {\"%s\": %s}}\n",
             path, value);
    scenario_errors_t errs = {0};
    f->sc = scenario_load("check.yaml", yaml, strlen(yaml), &errs);
    cr_assert_not_null(f->sc, "%s", errs.n ? errs.lines[0] : "no error");
    scenario_errors_fini(&errs);
    f->ws = wstats_new();
    char *err = NULL;
    f->plan = plan_new(f->sc, NULL, false, f->ws, &err);
    cr_assert_not_null(f->plan, "%s", err ? err : "");
    memset(&f->u, 0, sizeof f->u);
    f->u.cls = &f->plan->classes[0];
    f->u.host = f->plan->host;
    f->u.easy = curl_easy_init();
    cr_assert_not_null(f->u.easy);
    render_user_init(&f->u);
    f->u.task = &f->u.cls->tasks[0];
    f->st = &f->u.task->steps[0];
    cr_assert(f->st->keep_body, "an expect on the JSON keeps the body");
}

Test(check, expect_json_number_written_otherwise_passes_and_an_absent_path_says_so) {
    s_fixture_t f;
    s_setup_expect(&f, "$.price", "1.5");
    wstats_reason_t why;
    const char *same = "{\"price\": 1.50}";
    cr_expect_not(s_check(&f, same, strlen(same), &why), "%s", why.detail ? why.detail : "");
    const char *other = "{\"price\": 2}";
    cr_assert(s_check(&f, other, strlen(other), &why));
    cr_expect_str_eq(why.category, "expect");
    cr_expect_str_eq(why.detail, "$.price is not 1.5");
    const char *absent = "{\"cost\": 1.5}";
    cr_assert(s_check(&f, absent, strlen(absent), &why));
    cr_expect_str_eq(why.detail, "$.price not found (expected 1.5)");
    s_teardown(&f);
}
