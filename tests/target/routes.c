/* routes: /, /json, /delay, /status/N, /fail-after, /login, /private, /echo, /__stats, /__reset,
 * /fault/NAME. */
#include "tests/target/routes.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/clock.h"
#include "common/xmalloc.h"
#include "tests/target/dist.h"
#include "tests/target/faults.h"
#include "tests/target/tokens.h"

struct routes {
    counters_t *counters; /* borrowed */
    tokens_t *tokens;
    dist_t *dist;           /* /mix, /dist, /__stall */
    strbuf_t body;          /* generated bodies, reused */
    char content_type[256]; /* /echo's Content-Type, NUL-terminated */
    uint64_t fail_after_first_us; /* /fail-after's first request (0: none yet, or reset) */
    char set_cookie[TOKENS_BUF_BYTES + 64]; /* /login's Set-Cookie header line */
};

#define S_JSON "application/json"
#define S_TEXT "text/plain; charset=utf-8"
#define S_ROOT_BODY "barrage-target ok\n"

routes_t *routes_new(counters_t *counters) {
    routes_t *r = xcalloc(1, sizeof *r);
    r->counters = counters;
    r->tokens = tokens_new();
    r->dist = dist_new();
    strbuf_init(&r->body);
    return r;
}

void routes_destroy(routes_t **p) {
    if (!p || !*p) return;
    tokens_destroy(&(*p)->tokens);
    dist_destroy(&(*p)->dist);
    strbuf_fini(&(*p)->body);
    free(*p);
    *p = NULL;
}

static void s_set(routes_result_t *out, int status, const char *content_type, const char *body,
                  size_t body_bytes) {
    out->resp.status = status;
    out->resp.content_type = content_type;
    out->resp.body = body;
    out->resp.body_bytes = body_bytes;
}

/* Small JSON bodies from string literals. */
static void s_json(routes_result_t *out, int status, const char *literal) {
    s_set(out, status, S_JSON, literal, strlen(literal));
}

/* A body built in r->body with printf. */
static void __attribute__((format(printf, 4, 5)))
s_jsonf(routes_t *r, routes_result_t *out, int status, const char *fmt, ...) {
    strbuf_reset_capped(&r->body, 1 << 20);
    va_list ap;
    va_start(ap, fmt);
    strbuf_vappendf(&r->body, fmt, ap);
    va_end(ap);
    s_set(out, status, S_JSON, r->body.data, r->body.len);
}

static bool s_is(const http_request_t *req, const char *method) {
    return http_slice_eq(req->method, method);
}

static bool s_is_get(const http_request_t *req) {
    return s_is(req, "GET") || s_is(req, "HEAD");
}

#define S_ALLOW_GET "Allow: GET, HEAD\r\n"
#define S_ALLOW_POST "Allow: POST\r\n"

/* Returns method_ok; otherwise answers 405 with the Allow header. */
static bool s_allowed(bool method_ok, routes_result_t *out, const char *allow_header) {
    if (method_ok) return true;
    s_json(out, 405, "{\"error\": \"method not allowed\"}");
    out->resp.extra_headers = allow_header;
    return false;
}

/* Reads an optional unsigned query parameter; false (with a 400 set) if present but invalid. */
static bool s_uint_param(routes_t *r, const http_request_t *req, const char *name, uint64_t def,
                         uint64_t max, uint64_t *value, routes_result_t *out) {
    http_slice_t v;
    *value = def;
    if (!http_query_get(req->query, name, &v)) return true;
    if (http_parse_uint(v, max, value)) return true;
    s_jsonf(r, out, 400, "{\"error\": \"%s must be an integer in 0..%llu\"}", name,
            (unsigned long long)max);
    return false;
}

/* A valid JSON document of exactly n bytes. */
static void s_fill_json(strbuf_t *b, size_t n) {
    static const char pad[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    char *p = strbuf_reserve(b, n);
    if (n >= 11) {
        memcpy(p, "{\"data\":\"", 9); // NOLINT(bugprone-not-null-terminated-result)
        for (size_t i = 9; i < n - 2; i++)
            p[i] = pad[(i - 9) % (sizeof pad - 1)];
        memcpy(p + n - 2, "\"}", 2); // NOLINT(bugprone-not-null-terminated-result)
    } else if (n >= 2) {
        p[0] = '{';
        memset(p + 1, ' ', n - 2);
        p[n - 1] = '}';
    } else if (n == 1) {
        p[0] = '0';
    }
    strbuf_commit(b, n);
}

static void s_get_json(routes_t *r, const http_request_t *req, routes_result_t *out) {
    uint64_t bytes, queries;
    if (!s_uint_param(r, req, "bytes", 64, ROUTES_MAX_JSON_BYTES, &bytes, out)) return;
    if (!s_uint_param(r, req, "queries", 1, 1000000, &queries, out)) return;
    strbuf_reset_capped(&r->body, 1 << 20);
    s_fill_json(&r->body, (size_t)bytes);
    s_set(out, 200, S_JSON, r->body.data, (size_t)bytes);
    out->resp.query_count = (int)queries;
}

static void s_get_delay(routes_t *r, const http_request_t *req, bool resumed,
                        routes_result_t *out) {
    uint64_t ms;
    if (!s_uint_param(r, req, "ms", 0, ROUTES_MAX_DELAY_MS, &ms, out)) return;
    if (!resumed && ms > 0) {
        out->defer_ms = (uint32_t)ms;
        return;
    }
    s_jsonf(r, out, 200, "{\"delayed_ms\": %llu}", (unsigned long long)ms);
}

/* /fail-after?ms=N: 200 until N ms after the first request to it (since the
 * start or the last /__reset), 500 from then on — a target that breaks
 * mid-run, at a time the test knows. */
static void s_fail_after(routes_t *r, const http_request_t *req, routes_result_t *out) {
    uint64_t ms, now = clock_now_us();
    if (!s_uint_param(r, req, "ms", 0, ROUTES_MAX_DELAY_MS, &ms, out)) return;
    if (!r->fail_after_first_us) r->fail_after_first_us = now;
    if (now - r->fail_after_first_us < ms * 1000u)
        s_json(out, 200, "{\"ok\": true}");
    else
        s_json(out, 500, "{\"error\": \"failing on purpose (/fail-after)\"}");
}

static void s_status(routes_t *r, const http_request_t *req, routes_result_t *out) {
    http_slice_t code = {req->path.ptr + 8, req->path.len - 8}; /* after "/status/" */
    uint64_t status;
    if (!http_parse_uint(code, 599, &status) || status < 200) {
        s_json(out, 400, "{\"error\": \"status must be an integer in 200..599\"}");
        return;
    }
    s_jsonf(r, out, (int)status, "{\"status\": %d}", (int)status);
}

static void s_login(routes_t *r, const http_request_t *req, routes_result_t *out) {
    json_error_t err;
    json_t *doc = json_loadb(req->body ? req->body : "", req->body_bytes, 0, &err);
    json_t *email = json_object_get(doc, "email"); /* NULL-safe */
    json_t *password = json_object_get(doc, "password");
    if (!json_is_string(email) || json_string_length(email) == 0) {
        s_json(out, 400, "{\"error\": \"body must be a JSON object with an \\\"email\\\"\"}");
    } else if (json_is_string(password) && strcmp(json_string_value(password), "wrong") == 0) {
        s_json(out, 401, "{\"error\": \"invalid credentials\"}");
    } else {
        char token[TOKENS_BUF_BYTES];
        tokens_issue(r->tokens, json_string_value(email), json_string_length(email), token);
        s_jsonf(r, out, 200, "{\"access_token\": \"%s\", \"token_type\": \"bearer\"}", token);
        /* The same token as a session cookie, for cookie captures. */
        snprintf(r->set_cookie, sizeof r->set_cookie,
                 "Set-Cookie: session=%s; Path=/; HttpOnly\r\n", token);
        out->resp.extra_headers = r->set_cookie;
    }
    json_decref(doc);
}

static void s_private(routes_t *r, const http_request_t *req, routes_result_t *out) {
    http_slice_t auth = req->authorization;
    bool ok = auth.len > 7 && strncasecmp(auth.ptr, "Bearer ", 7) == 0 &&
              tokens_valid(r->tokens, auth.ptr + 7, auth.len - 7);
    if (!ok) {
        s_json(out, 401, "{\"error\": \"missing or invalid bearer token\"}");
        out->resp.extra_headers = "WWW-Authenticate: Bearer\r\n";
        out->count_as = ROUTES_REJECTED_KEY;
        return;
    }
    s_json(out, 200, "{\"private\": true, \"items\": [1, 2, 3]}");
    out->resp.query_count = 1;
}

static void s_echo(routes_t *r, const http_request_t *req, routes_result_t *out) {
    const char *type = "application/octet-stream";
    if (req->content_type.len > 0 && req->content_type.len < sizeof r->content_type) {
        memcpy(r->content_type, req->content_type.ptr, req->content_type.len);
        r->content_type[req->content_type.len] = '\0';
        type = r->content_type;
    }
    s_set(out, 200, type, req->body ? req->body : "", req->body_bytes);
}

static void s_stats(routes_t *r, routes_result_t *out) {
    strbuf_reset_capped(&r->body, 1 << 20);
    counters_format_json(r->counters, &r->body);
    strbuf_append_char(&r->body, '\n');
    s_set(out, 200, S_JSON, r->body.data, r->body.len);
}

void routes_served(routes_t *r, const http_request_t *req, uint64_t service_us) {
    dist_served(r->dist, req, service_us);
}

bool routes_is_control(const http_request_t *req) {
    return http_slice_eq(req->path, "/__stats") || http_slice_eq(req->path, "/__reset");
}

/* Endpoints that take any method or need the raw path prefix. */
static bool s_any_method(routes_t *r, const http_request_t *req, routes_result_t *out) {
    if (req->path.len > 8 && memcmp(req->path.ptr, "/status/", 8) == 0) {
        s_status(r, req, out);
        return true;
    }
    if (http_slice_eq(req->path, "/echo")) {
        s_echo(r, req, out);
        return true;
    }
    return false;
}

void routes_handle(routes_t *r, const http_request_t *req, bool resumed, routes_result_t *out) {
    memset(out, 0, sizeof *out);
    out->resp.query_count = -1;
    out->counted = !routes_is_control(req);
    if (dist_hold(r->dist, req, out)) return;
    http_slice_t path = req->path;
    bool get = s_is_get(req);
    if (s_any_method(r, req, out)) return;
    if (http_slice_eq(path, "/")) {
        if (s_allowed(get, out, S_ALLOW_GET))
            s_set(out, 200, S_TEXT, S_ROOT_BODY, sizeof S_ROOT_BODY - 1);
    } else if (http_slice_eq(path, "/json")) {
        if (s_allowed(get, out, S_ALLOW_GET)) s_get_json(r, req, out);
    } else if (http_slice_eq(path, "/delay")) {
        if (s_allowed(get, out, S_ALLOW_GET)) s_get_delay(r, req, resumed, out);
    } else if (http_slice_eq(path, "/fail-after")) {
        if (s_allowed(get, out, S_ALLOW_GET)) s_fail_after(r, req, out);
    } else if (http_slice_eq(path, "/login")) {
        if (s_allowed(s_is(req, "POST"), out, S_ALLOW_POST)) s_login(r, req, out);
    } else if (http_slice_eq(path, "/private")) {
        if (s_allowed(get, out, S_ALLOW_GET)) s_private(r, req, out);
    } else if (http_slice_eq(path, "/__stats")) {
        if (s_allowed(get, out, S_ALLOW_GET)) s_stats(r, out);
    } else if (http_slice_eq(path, "/__reset")) {
        if (s_allowed(s_is(req, "POST"), out, S_ALLOW_POST)) {
            counters_reset(r->counters);
            r->fail_after_first_us = 0;
            s_json(out, 200, "{\"reset\": true}");
        }
    } else if (faults_route(req, &out->fault, &out->resp)) {
        out->counted = false; /* the connection plays the fault (tests/target/faults.h) */
    } else if (!dist_route(r->dist, req, resumed, out)) {
        s_json(out, 404, "{\"error\": \"not found\"}");
    }
}
