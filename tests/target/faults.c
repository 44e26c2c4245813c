/* faults: /fault/NAME routing and the byte scripts of each misbehaviour. */
#include "tests/target/faults.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "common/log.h"

#define S_PREFIX "/fault/"
#define S_RESET_ANNOUNCED_BYTES ((uint64_t)1 << 20)
#define S_RESET_SENT_BYTES 1024u
#define S_RESET_DELAY_MS 20u
#define S_HUGE_DEFAULT_MB 100u
#define S_HUGE_MAX_MB 4096u
#define S_HUGE_PIECE_BYTES ((size_t)64 * 1024)
#define S_DRIP_DEFAULT_MS 100u
#define S_DRIP_MAX_MS 60000u
#define S_DRIP_DEFAULT_BYTES 100u
#define S_DRIP_MAX_BYTES 1000000u

static const char s_garbage[] = "\x16\x03\x01\x00\xa5 this is not HTTP \xff\xfe\r\n\r\n";

static bool s_param(const http_request_t *req, const char *name, uint64_t def, uint64_t max,
                    uint64_t *value) {
    http_slice_t v;
    *value = def;
    if (!http_query_get(req->query, name, &v)) return true;
    return http_parse_uint(v, max, value);
}

static void s_error(http_response_t *resp, int status, const char *body) {
    *resp = (http_response_t){.status = status,
                              .content_type = "application/json",
                              .body = body,
                              .body_bytes = strlen(body),
                              .query_count = -1};
}

/* The parameters of huge and drip; false (with a 400 in resp) if one is invalid. */
static bool s_params(const http_request_t *req, fault_t *f, http_response_t *resp) {
    uint64_t a, b;
    if (f->kind == FAULT_HUGE) {
        if (!s_param(req, "mb", S_HUGE_DEFAULT_MB, S_HUGE_MAX_MB, &a)) {
            s_error(resp, 400, "{\"error\": \"mb must be an integer in 0..4096\"}");
            return false;
        }
        f->body_left = a << 20;
    } else if (f->kind == FAULT_DRIP) {
        if (!s_param(req, "ms", S_DRIP_DEFAULT_MS, S_DRIP_MAX_MS, &a) ||
            !s_param(req, "bytes", S_DRIP_DEFAULT_BYTES, S_DRIP_MAX_BYTES, &b)) {
            s_error(resp, 400,
                    "{\"error\": \"ms must be an integer in 0..60000, bytes in 0..1000000\"}");
            return false;
        }
        f->interval_ms = (uint32_t)a;
        f->body_left = b;
    }
    return true;
}

bool faults_route(const http_request_t *req, fault_t *fault, http_response_t *resp) {
    static const struct {
        const char *name;
        fault_kind_t kind;
    } names[] = {{"reset", FAULT_RESET}, {"hang", FAULT_HANG},   {"garbage", FAULT_GARBAGE},
                 {"huge", FAULT_HUGE},   {"drip", FAULT_DRIP},   {"close", FAULT_CLOSE}};
    size_t plen = strlen(S_PREFIX);
    if (req->path.len < plen || memcmp(req->path.ptr, S_PREFIX, plen) != 0) return false;
    http_slice_t name = {req->path.ptr + plen, req->path.len - plen};
    fault_t f = {0};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (http_slice_eq(name, names[i].name)) f.kind = names[i].kind;
    }
    if (f.kind == FAULT_NONE) {
        s_error(resp, 404,
                "{\"error\": \"unknown fault (reset, hang, garbage, huge, drip or close)\"}");
        return true;
    }
    if (s_params(req, &f, resp)) *fault = f;
    return true;
}

/* 200 headers announcing body_bytes, closing the connection after. */
static void s_headers(strbuf_t *out, uint64_t body_bytes) {
    strbuf_appendf(out,
                   "HTTP/1.1 200 OK\r\nServer: barrage-target\r\n"
                   "Content-Type: application/octet-stream\r\nContent-Length: %llu\r\n"
                   "Connection: close\r\n\r\n",
                   (unsigned long long)body_bytes);
}

static void s_filler(strbuf_t *out, size_t n) {
    memset(strbuf_reserve(out, n), 'x', n);
    strbuf_commit(out, n);
}

static fault_step_t s_reset(fault_t *f, strbuf_t *out, uint32_t *wake_ms) {
    switch (f->stage++) {
    case 0:
        s_headers(out, S_RESET_ANNOUNCED_BYTES);
        s_filler(out, S_RESET_SENT_BYTES);
        return FAULT_STEP_SEND;
    case 1: /* let the client read what was sent: a reset discards unsent bytes */
        *wake_ms = S_RESET_DELAY_MS;
        return FAULT_STEP_WAIT;
    default:
        return FAULT_STEP_RESET;
    }
}

static fault_step_t s_huge(fault_t *f, strbuf_t *out) {
    if (f->stage == 0) {
        f->stage = 1;
        s_headers(out, f->body_left);
    }
    if (f->body_left == 0) return FAULT_STEP_CLOSE;
    size_t n = f->body_left < S_HUGE_PIECE_BYTES ? (size_t)f->body_left : S_HUGE_PIECE_BYTES;
    s_filler(out, n);
    f->body_left -= n;
    return FAULT_STEP_SEND;
}

/* Headers, then alternately a wait and one byte. */
static fault_step_t s_drip(fault_t *f, strbuf_t *out, uint32_t *wake_ms) {
    if (f->stage == 0) {
        f->stage = 1;
        s_headers(out, f->body_left);
        return FAULT_STEP_SEND;
    }
    if (f->body_left == 0) return FAULT_STEP_CLOSE;
    if (f->stage == 1) {
        f->stage = 2;
        *wake_ms = f->interval_ms;
        return FAULT_STEP_WAIT;
    }
    f->stage = 1;
    s_filler(out, 1);
    f->body_left--;
    return FAULT_STEP_SEND;
}

fault_step_t faults_next(fault_t *f, strbuf_t *out, uint32_t *wake_ms) {
    *wake_ms = 0;
    switch (f->kind) {
    case FAULT_RESET:
        return s_reset(f, out, wake_ms);
    case FAULT_HANG:
        return FAULT_STEP_IDLE;
    case FAULT_GARBAGE:
        if (f->stage++ > 0) return FAULT_STEP_CLOSE;
        strbuf_append(out, s_garbage, sizeof s_garbage - 1);
        return FAULT_STEP_SEND;
    case FAULT_HUGE:
        return s_huge(f, out);
    case FAULT_DRIP:
        return s_drip(f, out, wake_ms);
    case FAULT_CLOSE:
    case FAULT_NONE:
    default:
        return FAULT_STEP_CLOSE;
    }
}

void faults_reset_socket(int fd) {
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) < 0)
        log_warn("setsockopt(SO_LINGER) at %s:%d: %s", __FILE__, __LINE__, strerror(errno));
}
