/* check: judges a finished response — transport errors, the HTTP status
 * (expect.status, or below 400 when none is given), expect.body_contains,
 * expect.json and expect.max_duration — and then runs the step's captures
 * into the user's variables. The first problem is the request's failure. A
 * capture that finds nothing fails as "capture" with the step's why_capture; a
 * regex capture stopped by a PCRE2 limit (scenarios/scenario.h) fails as
 * "capture" with "regex: match limit exceeded" (or depth, heap, or work: the
 * budget of the whole match, which grows with the body). */
#ifndef BARRAGE_WORKER_CHECK_H
#define BARRAGE_WORKER_CHECK_H

#include <curl/curl.h>
#include <stdbool.h>

#include "worker/vuser.h"
#include "worker/wstats.h"

/* Largest response body kept for captures and expects; the rest is counted, not kept,
 * and such a response fails as "body too large" when a capture or expect needed it. */
#define CHECK_MAX_BODY_BYTES (8u << 20)

/* Returns true when the request failed, with *why filled. u->response holds
 * the body when st->keep_body. A TLS failure's detail is u->curl_error itself
 * (failure_classify_msg): the caller keeps a copy (wstats_message). */
bool check_response(vuser_t *u, const plan_step_t *st, CURLcode rc, uint64_t latency_us,
                    wstats_reason_t *why);

/* expect.json's comparison: got (len bytes, NUL-terminated, as jsonpath_extract
 * wrote it) equals want (the expected scalar as text) when the texts are the
 * same, or when both are JSON numbers of the same value (1.50 and 1.5, 1e3
 * and 1000, -0 and 0). A string's text is compared as is ("1" in the response
 * equals 1 in the scenario, as before). */
bool check_json_equals(const char *got, size_t got_len, const char *want);

/* The value of cookie `name` in one Set-Cookie header's value ("sid=abc; Path=/;
 * HttpOnly": "abc", quotes around it removed), as a pointer into set_cookie and
 * *value_len; NULL when that header sets another cookie (names compare exactly). */
const char *check_set_cookie(const char *set_cookie, const char *name, size_t *value_len);

#endif
