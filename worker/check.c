/* check: expects and captures on a finished response. */
#include "worker/check.h"

#include <errno.h>
#include <regex.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "scenarios/jsonpath.h"
#include "worker/failure.h"
#include "worker/render.h"

static bool s_fail(wstats_reason_t *why, const char *category, const char *detail, int status) {
    *why = (wstats_reason_t){category, detail, status};
    return true;
}

static bool s_status_ok(const scenario_expect_t *e, long status) {
    if (e->n_statuses == 0) return status < 400;
    for (size_t i = 0; i < e->n_statuses; i++) {
        if (e->statuses[i] == status) return true;
    }
    return false;
}

static bool s_expects_fail(vuser_t *u, const plan_step_t *st, long status, uint64_t latency_us,
                           wstats_reason_t *why) {
    const scenario_expect_t *e = &st->req->expect;
    if (!s_status_ok(e, status)) {
        if (!e->n_statuses) return failure_classify(CURLE_OK, status, why);
        return s_fail(why, "expect", st->why_status, (int)status);
    }
    /* Only the first CHECK_MAX_BODY_BYTES were kept: judging the rest would be a guess. */
    if (u->keep_body && u->body_bytes > CHECK_MAX_BODY_BYTES) {
        return s_fail(why, "body too large",
                      "over 8 MiB: expect and capture read at most the first 8 MiB", 0);
    }
    if (e->body_contains &&
        !memmem(strbuf_str(&u->response), u->response.len, e->body_contains,
                strlen(e->body_contains))) {
        return s_fail(why, "expect", st->why_body, 0);
    }
    for (size_t i = 0; i < e->n_json; i++) {
        strbuf_reset(&u->scratch);
        if (jsonpath_extract(e->json[i].path, strbuf_str(&u->response), u->response.len,
                             &u->scratch) != 0 ||
            strcmp(strbuf_str(&u->scratch), e->json[i].equals) != 0) {
            return s_fail(why, "expect", st->why_json[i], 0);
        }
    }
    if (e->max_duration_ms && latency_us > e->max_duration_ms * 1000u) {
        return s_fail(why, "expect", st->why_duration, 0);
    }
    return false;
}

/* Extracts one capture's value into u->scratch; false if absent. */
static bool s_extract(vuser_t *u, const scenario_capture_t *c) {
    strbuf_reset(&u->scratch);
    switch (c->kind) {
    case SCENARIO_CAPTURE_JSON:
        return jsonpath_extract(c->json, strbuf_str(&u->response), u->response.len,
                                &u->scratch) == 0;
    case SCENARIO_CAPTURE_HEADER: {
        struct curl_header *h = NULL;
        if (curl_easy_header(u->easy, c->expr, 0, CURLH_HEADER, -1, &h) != CURLHE_OK) return false;
        strbuf_append_str(&u->scratch, h->value);
        return true;
    }
    case SCENARIO_CAPTURE_REGEX: {
        regmatch_t m[2];
        if (regexec(c->regex, strbuf_str(&u->response), 2, m, 0) != 0) return false;
        int g = c->regex->re_nsub >= 1 ? 1 : 0;
        if (m[g].rm_so < 0) return false;
        strbuf_append(&u->scratch, strbuf_str(&u->response) + m[g].rm_so,
                      (size_t)(m[g].rm_eo - m[g].rm_so));
        return true;
    }
    }
    return false;
}

/* curl keeps no errno when socket() itself fails (EMFILE: out of descriptors, the
 * usual cause): ask the same question again. 0 when a socket can be made now. */
static long s_socket_errno(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return errno;
    close(fd);
    return 0;
}

bool check_response(vuser_t *u, const plan_step_t *st, CURLcode rc, uint64_t latency_us,
                    wstats_reason_t *why) {
    long status = 0;
    curl_easy_getinfo(u->easy, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK) {
        long os_errno = 0;
        curl_easy_getinfo(u->easy, CURLINFO_OS_ERRNO, &os_errno);
        if (rc == CURLE_COULDNT_CONNECT && os_errno == 0) os_errno = s_socket_errno();
        return failure_classify_os(rc, status, os_errno, why);
    }
    if (s_expects_fail(u, st, status, latency_us, why)) return true;
    const scenario_request_t *rq = st->req;
    for (size_t i = 0; i < rq->n_captures; i++) {
        if (!s_extract(u, &rq->captures[i])) return s_fail(why, "capture", st->why_capture[i], 0);
        render_set_var(u, rq->captures[i].slot, strbuf_str(&u->scratch), u->scratch.len);
    }
    return false;
}
