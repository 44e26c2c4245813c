/* conn: per-connection state machine: read, parse, route, queue, write, count. */
#include "tests/target/conn.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "tests/target/faults.h"
#include "tests/target/http.h"

/* Read at least this much per recv; also the input kept buffered while answers are blocked. */
#define S_READ_CHUNK_BYTES 16384
#define S_READ_AHEAD_BYTES ((size_t)256 * 1024)
/* Stop parsing pipelined requests while this much output is unsent (client not reading). */
#define S_OUT_HIGH_WATER_BYTES ((size_t)1 << 20)
/* Buffers that grew beyond this (huge bodies) are released once empty. */
#define S_KEEP_BUF_BYTES ((size_t)64 * 1024)

/* A byte queue: the bytes [off, b.len) of b are pending, the ones before were consumed.
 * The consumed prefix is dropped (moved over) only once it is at least half of what b
 * holds, so each byte is moved at most about once. */
typedef struct {
    strbuf_t b;
    size_t off;
} s_fifo_t;

static size_t s_pending(const s_fifo_t *f) {
    return f->b.len - f->off;
}

static const char *s_front(const s_fifo_t *f) {
    return strbuf_str(&f->b) + f->off;
}

static void s_consume(s_fifo_t *f, size_t n) {
    f->off += n;
    if (f->off >= f->b.len) {
        strbuf_reset(&f->b);
        f->off = 0;
    }
}

static void s_compact(s_fifo_t *f) {
    if (f->off > 0 && f->off >= f->b.len / 2) {
        strbuf_drop_front(&f->b, f->off);
        f->off = 0;
    }
}

/* A queued response: counted once sent_bytes reaches end_pos. */
typedef struct {
    uint64_t end_pos;
    uint32_t counter_id;
} pending_t;

struct conn {
    conn_env_t *env;
    int fd;
    uint32_t events; /* the epoll mask currently registered */
    s_fifo_t in;
    s_fifo_t out;
    uint64_t queued_bytes; /* everything ever appended to out */
    uint64_t sent_bytes;   /* everything ever accepted by send() */
    pending_t *pending;    /* FIFO [pending_head, pending_len) */
    size_t pending_head, pending_len, pending_cap;
    size_t need_bytes;   /* size of the request being received, once its head is parsed */
    timer_node_t timer;  /* armed while a deferred response waits */
    uint64_t started_us; /* when the request being answered was first handled */
    bool waiting;        /* the first buffered request is deferred (/delay) */
    bool continue_sent;  /* 100 Continue already sent for the request being received */
    bool peer_eof;       /* the client shut down its sending side */
    bool closing;        /* close once out is drained: no more requests are read */
    bool dead;           /* socket error: close now */
    fault_t fault;       /* a /fault/ being played (tests/target/faults.h): no more requests */
    conn_t *prev, *next; /* env->live */
};

static conn_t *s_from_timer(timer_node_t *timer) {
    return (conn_t *)(void *)((char *)timer - offsetof(conn_t, timer));
}

conn_t *conn_open(conn_env_t *env, int fd) {
    conn_t *c = xcalloc(1, sizeof *c);
    c->env = env;
    c->fd = fd;
    strbuf_init(&c->in.b);
    strbuf_init(&c->out.b);
    timer_node_init(&c->timer);
    c->events = EPOLLIN;
    struct epoll_event ev = {.events = c->events, .data.ptr = c};
    if (epoll_ctl(env->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        log_error("epoll_ctl(ADD, %d) at %s:%d: %s", fd, __FILE__, __LINE__, strerror(errno));
        close(fd);
        free(c);
        return NULL;
    }
    c->next = env->live;
    if (env->live) env->live->prev = c;
    env->live = c;
    env->live_count++;
    return c;
}

static void s_close(conn_t *c) {
    conn_env_t *env = c->env;
    if (c->prev)
        c->prev->next = c->next;
    else
        env->live = c->next;
    if (c->next) c->next->prev = c->prev;
    env->live_count--;
    timers_remove(env->timers, &c->timer);
    close(c->fd); /* also removes it from the epoll set */
    strbuf_fini(&c->in.b);
    strbuf_fini(&c->out.b);
    free(c->pending);
    free(c);
}

void conn_close_all(conn_env_t *env) {
    /* s_close unlinks the head, so env->live advances each round. */
    while (env->live)
        s_close(env->live); // NOLINT(clang-analyzer-unix.Malloc)
}

/* Graceful end: half-close so the client sees our last response followed by EOF, discard what
 * it still sent (unread input at close() would turn into a reset that can destroy that
 * response in flight), then close. */
static void s_finish(conn_t *c) {
    shutdown(c->fd, SHUT_WR);
    char sink[4096];
    for (int i = 0; i < 16 && recv(c->fd, sink, sizeof sink, 0) > 0; i++) {
    }
    s_close(c);
}

static void s_pending_push(conn_t *c, uint64_t end_pos, uint32_t counter_id) {
    if (c->pending_head == c->pending_len) c->pending_head = c->pending_len = 0;
    if (c->pending_len == c->pending_cap) {
        if (c->pending_head > 0) {
            memmove(c->pending, c->pending + c->pending_head,
                    (c->pending_len - c->pending_head) * sizeof *c->pending);
            c->pending_len -= c->pending_head;
            c->pending_head = 0;
        } else {
            c->pending_cap = c->pending_cap ? c->pending_cap * 2 : 4;
            c->pending = xrealloc(c->pending, c->pending_cap * sizeof *c->pending);
        }
    }
    c->pending[c->pending_len++] = (pending_t){end_pos, counter_id};
}

/* Counts every queued response whose last byte the kernel has now accepted. */
static void s_count_sent(conn_t *c) {
    while (c->pending_head < c->pending_len && c->pending[c->pending_head].end_pos <= c->sent_bytes)
        counters_add(c->env->counters, c->pending[c->pending_head++].counter_id);
}

/* Writes as much of out as the socket takes. Returns false (and marks c dead) on error. */
static bool s_flush(conn_t *c) {
    while (s_pending(&c->out) > 0) {
        ssize_t n = send(c->fd, s_front(&c->out), s_pending(&c->out), MSG_NOSIGNAL);
        if (n > 0) {
            s_consume(&c->out, (size_t)n);
            c->sent_bytes += (uint64_t)n;
            s_count_sent(c);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            s_compact(&c->out);
            return true;
        } else {
            /* EPIPE, ECONNRESET: the client is gone; per-request failures are not logged. */
            c->dead = true;
            return false;
        }
    }
    strbuf_reset_capped(&c->out.b, S_KEEP_BUF_BYTES);
    return true;
}

/* Queues resp for req (or for an unparseable request when req is NULL) and counts it as
 * served once sent (if counter_id != UINT32_MAX). */
static void s_queue(conn_t *c, const http_response_t *resp, const http_request_t *req,
                    uint32_t counter_id) {
    bool keep_alive = req && req->keep_alive;
    bool head_only = req && http_slice_eq(req->method, "HEAD");
    size_t before = s_pending(&c->out);
    uint64_t service_us = clock_now_us() - c->started_us;
    http_format_response(&c->out.b, resp, keep_alive, head_only, service_us);
    if (req) routes_served(c->env->routes, req, service_us);
    c->queued_bytes += s_pending(&c->out) - before;
    if (counter_id != UINT32_MAX) s_pending_push(c, c->queued_bytes, counter_id);
    if (!keep_alive) c->closing = true;
}

static void s_reject(conn_t *c, int status) {
    char body[64];
    int n = snprintf(body, sizeof body, "{\"error\": \"%s\"}", http_reason(status));
    http_response_t resp = {.status = status,
                            .content_type = "application/json",
                            .body = body,
                            .body_bytes = (size_t)n,
                            .query_count = -1};
    c->started_us = clock_now_us();
    s_queue(c, &resp, NULL, c->env->malformed_id);
}

/* Routes one complete request at the front of in; consumes it unless the route defers. */
static void s_handle(conn_t *c, const http_request_t *req, bool resumed) {
    if (!resumed) c->started_us = clock_now_us();
    /* Control endpoints report counts: get earlier responses on this connection counted first. */
    if (routes_is_control(req) && !s_flush(c)) return;
    routes_result_t res;
    routes_handle(c->env->routes, req, resumed, &res);
    if (res.fault.kind != FAULT_NONE) {
        s_consume(&c->in, req->head_bytes + req->body_bytes);
        c->fault = res.fault;
        c->waiting = true; /* stops request processing; a client hang-up closes the conn */
        return;
    }
    if (res.defer_ms > 0) {
        c->waiting = true;
        timers_add(c->env->timers, &c->timer, clock_now_us() + (uint64_t)res.defer_ms * 1000u);
        return;
    }
    uint32_t id = UINT32_MAX;
    if (res.counted && res.count_as)
        id = counters_intern_key(c->env->counters, res.count_as);
    else if (res.counted)
        id = counters_intern(c->env->counters, req->method.ptr, req->method.len, req->path.ptr,
                             req->path.len);
    s_queue(c, &res.resp, req, id);
    s_consume(&c->in, req->head_bytes + req->body_bytes);
    c->continue_sent = false;
    c->need_bytes = 0;
}

/* Answers buffered requests in order until one is incomplete, deferred, or the connection is
 * closing. Returns true if it stopped only because too much output is unsent. */
static bool s_process(conn_t *c) {
    while (!c->waiting && !c->closing && !c->dead) {
        if (s_pending(&c->out) >= S_OUT_HIGH_WATER_BYTES) return true;
        http_request_t req;
        switch (http_parse_request(s_front(&c->in), s_pending(&c->in), &req)) {
        case HTTP_PARSE_COMPLETE:
            s_handle(c, &req, false);
            break;
        case HTTP_PARSE_ERROR:
            s_reject(c, req.error_status);
            return false;
        case HTTP_PARSE_INCOMPLETE:
            if (req.headers_done) {
                c->need_bytes = req.head_bytes + req.body_bytes;
                if (req.expect_continue && !c->continue_sent) {
                    strbuf_append(&c->out.b, "HTTP/1.1 100 Continue\r\n\r\n", 25);
                    c->queued_bytes += 25;
                    c->continue_sent = true;
                }
            }
            return false;
        }
    }
    return false;
}

/* Reads what the socket has, up to the read-ahead limit. Returns false if c must close now. */
static bool s_read(conn_t *c) {
    size_t limit = c->need_bytes > S_READ_AHEAD_BYTES ? c->need_bytes : S_READ_AHEAD_BYTES;
    while (!c->peer_eof && s_pending(&c->in) < limit) {
        size_t want = S_READ_CHUNK_BYTES;
        if (c->need_bytes > s_pending(&c->in) + want) want = c->need_bytes - s_pending(&c->in);
        s_compact(&c->in);
        char *dst = strbuf_reserve(&c->in.b, want);
        size_t room = strbuf_room(&c->in.b);
        ssize_t n = recv(c->fd, dst, room, 0);
        if (n > 0) {
            strbuf_commit(&c->in.b, (size_t)n);
            if ((size_t)n < room) break; /* drained for now */
        } else if (n == 0) {
            c->peer_eof = true;
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        } else {
            return false;
        }
    }
    /* A client that hangs up while its response is deferred gave up on it (a timeout): drop
     * the connection rather than count a response nobody reads. */
    return !(c->peer_eof && c->waiting);
}

static void s_update_interest(conn_t *c) {
    uint32_t events = 0;
    size_t limit = c->need_bytes > S_READ_AHEAD_BYTES ? c->need_bytes : S_READ_AHEAD_BYTES;
    if (!c->closing && !c->peer_eof && s_pending(&c->in) < limit) events |= EPOLLIN;
    if (s_pending(&c->out) > 0) events |= EPOLLOUT;
    if (events == c->events) return;
    struct epoll_event ev = {.events = events, .data.ptr = c};
    if (epoll_ctl(c->env->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev) < 0) {
        log_error("epoll_ctl(MOD, %d) at %s:%d: %s", c->fd, __FILE__, __LINE__, strerror(errno));
        c->dead = true;
        return;
    }
    c->events = events;
}

/* Plays c's fault as far as it goes without blocking: send what it queued, wait for the
 * timer it asked for, close or reset as it says. */
static void s_fault_step(conn_t *c) {
    for (;;) {
        if (c->dead || !s_flush(c)) {
            s_close(c);
            return;
        }
        if (s_pending(&c->out) > 0 || timer_node_armed(&c->timer)) break;
        uint32_t wake_ms = 0;
        fault_step_t step = faults_next(&c->fault, &c->out.b, &wake_ms);
        if (step == FAULT_STEP_IDLE) break;
        if (step == FAULT_STEP_WAIT)
            timers_add(c->env->timers, &c->timer, clock_now_us() + (uint64_t)wake_ms * 1000u);
        if (step == FAULT_STEP_CLOSE) {
            s_finish(c);
            return;
        }
        if (step == FAULT_STEP_RESET) {
            faults_reset_socket(c->fd);
            s_close(c);
            return;
        }
    }
    s_update_interest(c);
    if (c->dead) s_close(c);
}

/* Makes all the progress possible without blocking, then decides what to wait for next. */
static void s_step(conn_t *c) {
    if (c->fault.kind != FAULT_NONE) {
        s_fault_step(c);
        return;
    }
    bool more;
    do {
        more = s_process(c);
        if (c->dead || !s_flush(c)) {
            s_close(c);
            return;
        }
    } while (more && s_pending(&c->out) < S_OUT_HIGH_WATER_BYTES);
    if (c->fault.kind != FAULT_NONE) { /* a request just started one */
        s_fault_step(c);
        return;
    }
    if (s_pending(&c->out) == 0 && (c->closing || c->peer_eof)) {
        s_finish(c);
        return;
    }
    s_update_interest(c);
    if (c->dead) s_close(c);
}

void conn_on_events(conn_t *c, uint32_t events) {
    if (events & (EPOLLERR | EPOLLHUP)) {
        s_close(c); /* reset by the peer, or both directions shut */
        return;
    }
    if ((events & EPOLLIN) && !s_read(c)) {
        s_close(c);
        return;
    }
    s_step(c);
}

void conn_on_timer(timer_node_t *timer) {
    conn_t *c = s_from_timer(timer);
    if (c->fault.kind != FAULT_NONE) {
        s_step(c);
        return;
    }
    c->waiting = false;
    http_request_t req;
    /* The deferred request is still first in the buffer (only appended to since). */
    if (http_parse_request(s_front(&c->in), s_pending(&c->in), &req) ==
        HTTP_PARSE_COMPLETE)
        s_handle(c, &req, true);
    s_step(c);
}
