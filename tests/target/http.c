/* http: an in-place HTTP/1.x request parser and a response formatter. */
#include "tests/target/http.h"

#include <string.h>
#include <strings.h>

#define S_MAX_METHOD_BYTES 32

static bool s_is_tchar(unsigned char ch) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
        return true;
    return ch != '\0' && strchr("!#$%&'*+-.^_`|~", ch) != NULL;
}

static bool s_all_tchars(const char *p, size_t n) {
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++)
        if (!s_is_tchar((unsigned char)p[i])) return false;
    return true;
}

static bool s_ieq(http_slice_t a, const char *s) {
    return a.len == strlen(s) && strncasecmp(a.ptr, s, a.len) == 0;
}

bool http_slice_eq(http_slice_t a, const char *s) {
    return a.len == strlen(s) && memcmp(a.ptr, s, a.len) == 0;
}

static int s_fail(http_request_t *req, int status) {
    req->error_status = status;
    return -1;
}

/* Splits the target into path and query; absolute-form loses its scheme and authority. */
static void s_split_target(http_request_t *req) {
    const char *p = req->target.ptr, *end = p + req->target.len;
    if (*p != '/' && *p != '*') {
        const char *authority = memchr(p, ':', req->target.len);
        const char *slash = authority && end - authority > 3
                                ? memchr(authority + 3, '/', (size_t)(end - authority - 3))
                                : NULL;
        p = slash ? slash : end;
    }
    const char *q = memchr(p, '?', (size_t)(end - p));
    const char *path_end = q ? q : end;
    req->path = (http_slice_t){p, (size_t)(path_end - p)};
    if (req->path.len == 0) req->path = (http_slice_t){"/", 1};
    req->query = q ? (http_slice_t){q + 1, (size_t)(end - q - 1)} : (http_slice_t){"", 0};
}

/* "METHOD SP request-target SP HTTP/1.x" */
static int s_request_line(http_request_t *req, const char *line, size_t n) {
    const char *sp1 = memchr(line, ' ', n);
    if (!sp1) return s_fail(req, 400);
    const char *rest = sp1 + 1, *end = line + n;
    const char *sp2 = memchr(rest, ' ', (size_t)(end - rest));
    if (!sp2) return s_fail(req, 400);
    req->method = (http_slice_t){line, (size_t)(sp1 - line)};
    req->target = (http_slice_t){rest, (size_t)(sp2 - rest)};
    http_slice_t version = {sp2 + 1, (size_t)(end - sp2 - 1)};
    if (req->method.len > S_MAX_METHOD_BYTES || !s_all_tchars(req->method.ptr, req->method.len))
        return s_fail(req, 400);
    if (req->target.len == 0) return s_fail(req, 400);
    /* Targets are ASCII (RFC 3986): also keeps the /__stats keys valid JSON. */
    for (size_t i = 0; i < req->target.len; i++) {
        unsigned char ch = (unsigned char)req->target.ptr[i];
        if (ch <= 0x20 || ch >= 0x7f) return s_fail(req, 400);
    }
    if (http_slice_eq(version, "HTTP/1.1")) {
        req->minor_version = 1;
    } else if (http_slice_eq(version, "HTTP/1.0")) {
        req->minor_version = 0;
    } else if (version.len == 8 && memcmp(version.ptr, "HTTP/", 5) == 0 && version.ptr[6] == '.') {
        return s_fail(req, 505);
    } else {
        return s_fail(req, 400);
    }
    s_split_target(req);
    return 0;
}

/* Connection: a comma-separated list of tokens. */
static void s_connection(http_slice_t v, bool *saw_close, bool *saw_ka) {
    const char *p = v.ptr, *end = v.ptr + v.len;
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *tok_end = comma ? comma : end;
        while (p < tok_end && (*p == ' ' || *p == '\t'))
            p++;
        const char *e = tok_end;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        http_slice_t tok = {p, (size_t)(e - p)};
        if (s_ieq(tok, "close")) *saw_close = true;
        if (s_ieq(tok, "keep-alive")) *saw_ka = true;
        p = tok_end + 1;
    }
}

/* Per-parse state that does not belong in the request. */
typedef struct {
    bool have_length;
    bool saw_close;
    bool saw_keep_alive;
    int header_count;
} head_state_t;

static int s_content_length(http_request_t *req, head_state_t *st, http_slice_t v) {
    uint64_t n = 0;
    if (v.len == 0) return s_fail(req, 400);
    for (size_t i = 0; i < v.len; i++) {
        if (v.ptr[i] < '0' || v.ptr[i] > '9') return s_fail(req, 400);
        n = n * 10 + (uint64_t)(v.ptr[i] - '0');
        if (n > HTTP_MAX_BODY_BYTES) return s_fail(req, 413);
    }
    if (st->have_length && n != req->body_bytes) return s_fail(req, 400);
    st->have_length = true;
    req->body_bytes = (size_t)n;
    return 0;
}

static int s_header_line(http_request_t *req, head_state_t *st, const char *line, size_t n) {
    if (++st->header_count > HTTP_MAX_HEADERS) return s_fail(req, 431);
    const char *colon = memchr(line, ':', n);
    /* No colon, empty name, whitespace before the colon, or obs-fold: all rejected. */
    if (!colon || !s_all_tchars(line, (size_t)(colon - line))) return s_fail(req, 400);
    http_slice_t name = {line, (size_t)(colon - line)};
    const char *v = colon + 1, *end = line + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    for (const char *p = v; p < end; p++)
        if ((unsigned char)*p < 0x20 && *p != '\t') return s_fail(req, 400);
    http_slice_t value = {v, (size_t)(end - v)};

    if (s_ieq(name, "content-length")) return s_content_length(req, st, value);
    if (s_ieq(name, "transfer-encoding")) return s_fail(req, 501);
    if (s_ieq(name, "connection"))
        s_connection(value, &st->saw_close, &st->saw_keep_alive);
    else if (s_ieq(name, "content-type"))
        req->content_type = value;
    else if (s_ieq(name, "authorization"))
        req->authorization = value;
    else if (s_ieq(name, "expect"))
        req->expect_continue = s_ieq(value, "100-continue");
    return 0;
}

/* Walks the head line by line (CRLF or bare LF). Returns 1 when the blank line was found, 0 if
 * more bytes are needed, -1 on error. */
static int s_parse_head(const char *buf, size_t len, http_request_t *req, head_state_t *st) {
    size_t scan_len = len < HTTP_MAX_HEAD_BYTES ? len : HTTP_MAX_HEAD_BYTES;
    size_t pos = 0;
    /* RFC 9112 2.2: ignore empty lines before the request line (stray CRLF after a body). */
    while (pos < scan_len && (buf[pos] == '\r' || buf[pos] == '\n'))
        pos++;
    for (int line_no = 0;; line_no++) {
        const char *nl = memchr(buf + pos, '\n', scan_len - pos);
        if (!nl) {
            if (len < HTTP_MAX_HEAD_BYTES) return 0;
            return s_fail(req, line_no == 0 ? 414 : 431);
        }
        size_t line_end = (size_t)(nl - buf), content_end = line_end;
        if (content_end > pos && buf[content_end - 1] == '\r') content_end--;
        const char *line = buf + pos;
        size_t n = content_end - pos;
        pos = line_end + 1;
        if (line_no == 0) {
            if (s_request_line(req, line, n) < 0) return -1;
        } else if (n == 0) {
            req->head_bytes = pos;
            return 1;
        } else if (s_header_line(req, st, line, n) < 0) {
            return -1;
        }
    }
}

http_parse_result_t http_parse_request(const char *buf, size_t len, http_request_t *req) {
    memset(req, 0, sizeof *req);
    head_state_t st = {0};
    int rc = s_parse_head(buf, len, req, &st);
    if (rc < 0) return HTTP_PARSE_ERROR;
    if (rc == 0) return HTTP_PARSE_INCOMPLETE;
    req->headers_done = true;
    if (req->minor_version == 1)
        req->keep_alive = !st.saw_close;
    else
        req->keep_alive = st.saw_keep_alive && !st.saw_close;
    if (len - req->head_bytes < req->body_bytes) return HTTP_PARSE_INCOMPLETE;
    req->body = buf + req->head_bytes;
    return HTTP_PARSE_COMPLETE;
}

bool http_query_get(http_slice_t query, const char *name, http_slice_t *value) {
    size_t name_len = strlen(name);
    const char *p = query.ptr, *end = query.ptr + query.len;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *pair_end = amp ? amp : end;
        if ((size_t)(pair_end - p) >= name_len && memcmp(p, name, name_len) == 0) {
            const char *after = p + name_len;
            if (after == pair_end) {
                *value = (http_slice_t){after, 0};
                return true;
            }
            if (*after == '=') {
                *value = (http_slice_t){after + 1, (size_t)(pair_end - after - 1)};
                return true;
            }
        }
        p = pair_end + 1;
    }
    return false;
}

bool http_parse_uint(http_slice_t s, uint64_t max, uint64_t *out) {
    if (s.len == 0 || s.len > 19) return false;
    uint64_t n = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9') return false;
        n = n * 10 + (uint64_t)(s.ptr[i] - '0');
    }
    if (n > max) return false;
    *out = n;
    return true;
}

static const struct {
    int status;
    const char *reason;
} s_reasons[] = {
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {204, "No Content"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {304, "Not Modified"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {413, "Content Too Large"},
    {414, "URI Too Long"},
    {418, "I'm a teapot"},
    {422, "Unprocessable Content"},
    {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
    {505, "HTTP Version Not Supported"},
};

const char *http_reason(int status) {
    for (size_t i = 0; i < sizeof s_reasons / sizeof s_reasons[0]; i++)
        if (s_reasons[i].status == status) return s_reasons[i].reason;
    if (status < 300) return "Success";
    if (status < 400) return "Redirection";
    if (status < 500) return "Client Error";
    return "Server Error";
}

void http_format_response(strbuf_t *out, const http_response_t *resp, bool keep_alive,
                          bool head_only, uint64_t handling_us) {
    bool no_body = resp->status == 204 || resp->status == 304;
    strbuf_appendf(out, "HTTP/1.1 %d %s\r\nServer: barrage-target\r\n", resp->status,
                   http_reason(resp->status));
    if (resp->content_type && !no_body)
        strbuf_appendf(out, "Content-Type: %s\r\n", resp->content_type);
    if (!no_body) strbuf_appendf(out, "Content-Length: %zu\r\n", resp->body_bytes);
    strbuf_appendf(out, "Server-Timing: app;dur=%llu.%03llu\r\n",
                   (unsigned long long)(handling_us / 1000),
                   (unsigned long long)(handling_us % 1000));
    if (resp->query_count >= 0) strbuf_appendf(out, "X-Query-Count: %d\r\n", resp->query_count);
    if (resp->extra_headers) strbuf_append(out, resp->extra_headers, strlen(resp->extra_headers));
    strbuf_appendf(out, "Connection: %s\r\n\r\n", keep_alive ? "keep-alive" : "close");
    if (!head_only && !no_body) strbuf_append(out, resp->body, resp->body_bytes);
}
