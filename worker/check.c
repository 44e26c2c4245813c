/* check: expects and captures on a finished response. */
#include "worker/check.h"

#include <errno.h>
#include <stdlib.h>
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

/* A number as JSON writes it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?,
 * the whole of s (len bytes). */
static bool s_is_json_number(const char *s, size_t len) {
    size_t i = 0;
    if (i < len && s[i] == '-') i++;
    if (i < len && s[i] == '0') {
        i++;
    } else if (i < len && s[i] >= '1' && s[i] <= '9') {
        while (i < len && s[i] >= '0' && s[i] <= '9') i++;
    } else {
        return false;
    }
    if (i < len && s[i] == '.') {
        size_t digits = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9') i++;
        if (i == digits) return false;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) i++;
        size_t digits = i;
        while (i < len && s[i] >= '0' && s[i] <= '9') i++;
        if (i == digits) return false;
    }
    return i == len;
}

bool check_json_equals(const char *got, size_t got_len, const char *want) {
    size_t want_len = strlen(want);
    if (got_len == want_len && memcmp(got, want, got_len) == 0) return true;
    if (!s_is_json_number(got, got_len) || !s_is_json_number(want, want_len)) return false;
    /* Both are numbers written differently (1.50 and 1.5, 1e3 and 1000): got is
     * NUL-terminated (a strbuf) and ends where the number does. */
    return strtod(got, NULL) == strtod(want, NULL);
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
                             &u->scratch) != 0) {
            return s_fail(why, "expect", st->why_json_absent[i], 0);
        }
        if (!check_json_equals(strbuf_str(&u->scratch), u->scratch.len, e->json[i].equals)) {
            return s_fail(why, "expect", st->why_json[i], 0);
        }
    }
    if (e->max_duration_ms && latency_us > e->max_duration_ms * 1000u) {
        return s_fail(why, "expect", st->why_duration, 0);
    }
    return false;
}

/* The detail of a regex capture that stopped at a limit or a matching error. */
static const char *s_regex_error(int rc) {
    switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT:
        return "regex: match limit exceeded";
    case PCRE2_ERROR_DEPTHLIMIT:
        return "regex: depth limit exceeded";
    case PCRE2_ERROR_HEAPLIMIT:
        return "regex: heap limit exceeded";
    case PCRE2_ERROR_CALLOUT: /* s_count_work's */
        return "regex: work limit exceeded";
    default:
        return "regex: matching failed";
    }
}

/* The work of one regex match so far, against its budget (scenarios/scenario.h). */
typedef struct {
    uint64_t used;
    uint64_t budget;
    size_t last_pos;
} s_work_t;

/* PCRE2's automatic callout before each pattern item: one unit, plus the bytes the
 * matcher moved since the previous item (a scan, a new start position). */
static int s_count_work(pcre2_callout_block *b, void *data) {
    s_work_t *w = data;
    size_t pos = b->current_position;
    w->used += 1 + (pos > w->last_pos ? pos - w->last_pos : w->last_pos - pos);
    w->last_pos = pos;
    return w->used > w->budget ? PCRE2_ERROR_CALLOUT : 0;
}

/* Matches a regex capture on the whole body (its length given: it may hold NUL bytes)
 * with the capture's own match data and limits, and a work budget that grows with the
 * body: the hot path allocates nothing once the match data's frames have grown to the
 * pattern's needs. Group 1, or the whole match when the pattern has no group, goes to
 * u->scratch. Returns 1 when found, 0 when not (no match, or group 1 took no part),
 * or -1 with *detail set when matching stopped at a limit. */
static int s_regex(vuser_t *u, const scenario_capture_t *c, const char **detail) {
    size_t len = u->response.len;
    s_work_t work = {0, SCENARIO_REGEX_WORK_BASE + (uint64_t)SCENARIO_REGEX_WORK_PER_BYTE * len, 0};
    pcre2_set_callout(c->regex_limits, s_count_work, &work);
    int rc = pcre2_match(c->regex, (PCRE2_SPTR)strbuf_str(&u->response), len, 0, 0, c->regex_match,
                         c->regex_limits);
    pcre2_set_callout(c->regex_limits, NULL, NULL); /* work is about to go out of scope */
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    if (rc < 0) {
        *detail = s_regex_error(rc);
        return -1;
    }
    uint32_t groups = 0;
    pcre2_pattern_info(c->regex, PCRE2_INFO_CAPTURECOUNT, &groups);
    /* rc 0: more groups than the two pairs of match data, which are filled all the same. */
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->regex_match);
    size_t g = groups >= 1 ? 1 : 0;
    if (ov[2 * g] == PCRE2_UNSET) return 0;
    strbuf_append(&u->scratch, strbuf_str(&u->response) + ov[2 * g],
                  (size_t)(ov[2 * g + 1] - ov[2 * g]));
    return 1;
}

const char *check_set_cookie(const char *set_cookie, const char *name, size_t *value_len) {
    const char *p = set_cookie;
    while (*p == ' ' || *p == '\t') p++;
    size_t n = strlen(name);
    if (strncmp(p, name, n) != 0) return NULL;
    p += n;
    while (*p == ' ' || *p == '\t') p++;
    if (*p != '=') return NULL;
    p++;
    while (*p == ' ' || *p == '\t') p++;
    size_t len = strcspn(p, ";");
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
    if (len >= 2 && p[0] == '"' && p[len - 1] == '"') {
        p++;
        len -= 2;
    }
    *value_len = len;
    return p;
}

/* The cookie c->expr from the response's Set-Cookie headers (the last one
 * that sets it, as a browser keeps the last) into u->scratch. */
static int s_cookie(vuser_t *u, const scenario_capture_t *c) {
    struct curl_header *h = NULL;
    int found = 0;
    for (size_t i = 0; curl_easy_header(u->easy, "Set-Cookie", i, CURLH_HEADER, -1, &h) ==
                       CURLHE_OK;
         i++) {
        size_t len = 0;
        const char *v = check_set_cookie(h->value, c->expr, &len);
        if (!v) continue;
        strbuf_reset(&u->scratch);
        strbuf_append(&u->scratch, v, len);
        found = 1;
        if (i + 1 >= h->amount) break;
    }
    return found;
}

/* Extracts one capture's value into u->scratch. Returns 1 when found, 0 when absent,
 * -1 with *detail set when a regex stopped at a limit. */
static int s_extract(vuser_t *u, const scenario_capture_t *c, const char **detail) {
    strbuf_reset(&u->scratch);
    switch (c->kind) {
    case SCENARIO_CAPTURE_JSON:
        return jsonpath_extract(c->json, strbuf_str(&u->response), u->response.len,
                                &u->scratch) == 0;
    case SCENARIO_CAPTURE_HEADER: {
        struct curl_header *h = NULL;
        if (curl_easy_header(u->easy, c->expr, 0, CURLH_HEADER, -1, &h) != CURLHE_OK) return 0;
        strbuf_append_str(&u->scratch, h->value);
        return 1;
    }
    case SCENARIO_CAPTURE_REGEX:
        return s_regex(u, c, detail);
    case SCENARIO_CAPTURE_COOKIE:
        return s_cookie(u, c);
    }
    return 0;
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
    CURLcode info_rc = curl_easy_getinfo(u->easy, CURLINFO_RESPONSE_CODE, &status);
    if (info_rc != CURLE_OK && rc == CURLE_OK) {
        /* No status to judge the response by: a failure, not a guess. */
        return s_fail(why, "error", curl_easy_strerror(info_rc), 0);
    }
    if (rc != CURLE_OK) {
        long os_errno = 0;
        if (curl_easy_getinfo(u->easy, CURLINFO_OS_ERRNO, &os_errno) != CURLE_OK) os_errno = 0;
        if (rc == CURLE_COULDNT_CONNECT && os_errno == 0) os_errno = s_socket_errno();
        return failure_classify_msg(rc, status, os_errno, u->curl_error, why);
    }
    if (s_expects_fail(u, st, status, latency_us, why)) return true;
    const scenario_request_t *rq = st->req;
    for (size_t i = 0; i < rq->n_captures; i++) {
        const char *detail = NULL;
        int found = s_extract(u, &rq->captures[i], &detail);
        if (found < 0) return s_fail(why, "capture", detail, 0);
        if (found == 0) return s_fail(why, "capture", st->why_capture[i], 0);
        render_set_var(u, rq->captures[i].slot, strbuf_str(&u->scratch), u->scratch.len);
    }
    return false;
}
