/* test_multi: libcurl's multi interface on the worker loop — real transfers
 * against a tiny HTTP server that runs on the same loop, refused connections,
 * timeouts, re-adding from the done callback, and aborting (worker/multi.h).
 * Loopback only; every run is bounded by a guard timer and the suite's alarm. */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/clock.h"
#include "worker/failure.h"
#include "worker/multi.h"

/* A hung test dies by SIGALRM (reported as a crash) instead of stalling the suite. */
static void s_bound(void) {
    alarm(30);
}

TestSuite(multi, .init = s_bound);

/* --- a tiny HTTP/1.1 server on the loop: answers every request with a canned response --- */

#define MAX_CONNS 128

typedef struct server server_t;

typedef struct {
    server_t *srv;
    int fd;
    char buf[8192];
    size_t len;
} conn_t;

struct server {
    loop_t *loop;
    int listen_fd;
    uint16_t port;
    bool silent;          /* read requests but never answer */
    bool stop_on_request; /* loop_stop when a request has been read */
    bool close_after;     /* close the connection after each response (no warning header) */
    int accepted, requests;
    conn_t *conns[MAX_CONNS];
};

static const char s_ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
static const char s_404[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope";

static void s_conn_close(conn_t *c) {
    loop_unwatch(c->srv->loop, c->fd);
    close(c->fd);
    for (int i = 0; i < MAX_CONNS; i++) {
        if (c->srv->conns[i] == c) c->srv->conns[i] = NULL;
    }
    free(c);
}

static void s_on_conn(loop_t *loop, int fd, uint32_t events, void *arg) {
    (void)events;
    conn_t *c = arg;
    ssize_t n = read(fd, c->buf + c->len, sizeof c->buf - c->len - 1);
    if (n == 0 || (n < 0 && errno != EAGAIN)) {
        s_conn_close(c);
        return;
    }
    if (n < 0) return;
    c->len += (size_t)n;
    c->buf[c->len] = '\0';
    char *end;
    while ((end = strstr(c->buf, "\r\n\r\n"))) {
        c->srv->requests++;
        if (!c->srv->silent) {
            const char *resp = strncmp(c->buf, "GET /missing", 12) == 0 ? s_404 : s_ok;
            size_t resp_len = strlen(resp);
            cr_assert_eq(send(fd, resp, resp_len, MSG_NOSIGNAL), (ssize_t)resp_len);
            if (c->srv->close_after) {
                s_conn_close(c);
                return;
            }
        }
        size_t used = (size_t)(end + 4 - c->buf);
        memmove(c->buf, c->buf + used, c->len - used + 1);
        c->len -= used;
        if (c->srv->stop_on_request) loop_stop(loop);
    }
}

static void s_on_accept(loop_t *loop, int fd, uint32_t events, void *arg) {
    (void)events;
    server_t *srv = arg;
    int cfd;
    while ((cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
        conn_t *c = calloc(1, sizeof *c);
        *c = (conn_t){.srv = srv, .fd = cfd};
        int slot = 0;
        while (slot < MAX_CONNS && srv->conns[slot]) slot++;
        cr_assert_lt(slot, MAX_CONNS, "too many connections");
        srv->conns[slot] = c;
        srv->accepted++;
        cr_assert_eq(loop_watch(loop, cfd, EPOLLIN, s_on_conn, c), 0);
    }
}

static void s_server_start(server_t *srv, loop_t *loop) {
    *srv = (server_t){.loop = loop};
    srv->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    cr_assert_geq(srv->listen_fd, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    cr_assert_eq(bind(srv->listen_fd, (struct sockaddr *)&addr, sizeof addr), 0);
    cr_assert_eq(listen(srv->listen_fd, 128), 0);
    socklen_t len = sizeof addr;
    cr_assert_eq(getsockname(srv->listen_fd, (struct sockaddr *)&addr, &len), 0);
    srv->port = ntohs(addr.sin_port);
    cr_assert_eq(loop_watch(loop, srv->listen_fd, EPOLLIN, s_on_accept, srv), 0);
}

static void s_server_stop(server_t *srv) {
    for (int i = 0; i < MAX_CONNS; i++) {
        if (srv->conns[i]) s_conn_close(srv->conns[i]);
    }
    loop_unwatch(srv->loop, srv->listen_fd);
    close(srv->listen_fd);
}

/* A loopback port nobody listens on: bound, then closed. */
static uint16_t s_closed_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    cr_assert_eq(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    socklen_t len = sizeof addr;
    cr_assert_eq(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    close(fd);
    return ntohs(addr.sin_port);
}

/* --- the client side: one transfer per easy handle, results kept through CURLOPT_PRIVATE --- */

typedef struct test_ctx test_ctx_t;

typedef struct {
    test_ctx_t *ctx;
    CURL *easy;
    char body[64];
    size_t body_len;
    int done_calls;
    CURLcode result;
    long status;
    int repeats; /* re-add from the done callback this many more times */
    int in_flight_at_done;
} transfer_t;

struct test_ctx {
    loop_t *loop;
    multi_t *multi;
    int done, want;
    loop_timer_t guard;
};

static size_t s_on_body(char *data, size_t size, size_t n, void *arg) {
    transfer_t *t = arg;
    size_t bytes = size * n;
    size_t room = sizeof t->body - 1 - t->body_len;
    size_t keep = bytes < room ? bytes : room;
    memcpy(t->body + t->body_len, data, keep);
    t->body_len += keep;
    t->body[t->body_len] = '\0';
    return bytes;
}

static void s_on_done(CURL *easy, CURLcode result, void *arg) {
    test_ctx_t *ctx = arg;
    transfer_t *t = NULL;
    cr_assert_eq(curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t), CURLE_OK);
    cr_assert_eq(t->easy, easy);
    t->done_calls++;
    t->result = result;
    t->in_flight_at_done = multi_in_flight(ctx->multi);
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &t->status);
    if (t->repeats > 0) {
        t->repeats--;
        t->body_len = 0;
        /* Allowed: done runs outside curl's callbacks, after the handle was removed. */
        cr_assert_eq(multi_add(ctx->multi, easy), 0);
        return;
    }
    if (++ctx->done == ctx->want) loop_stop(ctx->loop);
}

static void s_on_guard(loop_t *loop, void *arg) {
    (void)arg;
    loop_stop(loop);
}

static void s_ctx_init(test_ctx_t *ctx) {
    cr_assert_eq(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
    *ctx = (test_ctx_t){.loop = loop_new(NULL)};
    cr_assert_not_null(ctx->loop);
    char *err = NULL;
    ctx->multi = multi_new(ctx->loop, s_on_done, ctx, &err);
    cr_assert_not_null(ctx->multi, "%s", err);
    loop_timer_init(&ctx->guard, s_on_guard, NULL);
}

/* Runs the loop until ctx->want transfers are done, or ms milliseconds pass. */
static void s_run(test_ctx_t *ctx, int want, uint64_t ms) {
    ctx->want = want;
    loop_timer_start(ctx->loop, &ctx->guard, clock_now_us() + ms * 1000);
    cr_assert_eq(loop_run(ctx->loop), 0);
    loop_timer_stop(ctx->loop, &ctx->guard);
}

static void s_ctx_fini(test_ctx_t *ctx) {
    multi_destroy(&ctx->multi);
    cr_expect_null(ctx->multi);
    loop_destroy(&ctx->loop);
    curl_global_cleanup();
}

static void s_transfer_init(transfer_t *t, test_ctx_t *ctx, const char *url, long timeout_ms) {
    *t = (transfer_t){.ctx = ctx, .easy = curl_easy_init(), .result = CURLE_OK};
    cr_assert_not_null(t->easy);
    curl_easy_setopt(t->easy, CURLOPT_URL, url);
    curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, s_on_body);
    curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
}

Test(multi, new_and_destroy) {
    test_ctx_t ctx;
    s_ctx_init(&ctx);
    cr_expect_eq(multi_in_flight(ctx.multi), 0);
    multi_destroy(&ctx.multi);
    cr_expect_null(ctx.multi);
    multi_destroy(&ctx.multi); /* NULL is fine */
    multi_destroy(NULL);
    s_ctx_fini(&ctx);
}

Test(multi, real_transfer_completes) {
    test_ctx_t ctx;
    s_ctx_init(&ctx);
    server_t srv;
    s_server_start(&srv, ctx.loop);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/hello", srv.port);
    transfer_t t;
    s_transfer_init(&t, &ctx, url, 5000);

    cr_assert_eq(multi_add(ctx.multi, t.easy), 0);
    cr_expect_eq(multi_in_flight(ctx.multi), 1);
    s_run(&ctx, 1, 5000);

    cr_assert_eq(t.done_calls, 1, "done not called (guard fired?)");
    cr_expect_eq(t.result, CURLE_OK, "%s", curl_easy_strerror(t.result));
    cr_expect_eq(t.status, 200);
    cr_expect_str_eq(t.body, "ok");
    cr_expect_eq(t.in_flight_at_done, 0, "removed before done is called");
    cr_expect_eq(multi_in_flight(ctx.multi), 0);
    cr_expect_eq(srv.requests, 1);
    wstats_reason_t why;
    cr_expect_not(failure_classify(t.result, t.status, &why));

    curl_easy_cleanup(t.easy);
    s_server_stop(&srv);
    s_ctx_fini(&ctx);
}

Test(multi, http_error_status_is_a_completed_transfer) {
    test_ctx_t ctx;
    s_ctx_init(&ctx);
    server_t srv;
    s_server_start(&srv, ctx.loop);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/missing", srv.port);
    transfer_t t;
    s_transfer_init(&t, &ctx, url, 5000);
    cr_assert_eq(multi_add(ctx.multi, t.easy), 0);
    s_run(&ctx, 1, 5000);
    cr_assert_eq(t.done_calls, 1);
    cr_expect_eq(t.result, CURLE_OK);
    cr_expect_eq(t.status, 404);
    cr_expect_str_eq(t.body, "nope");
    /* The worker turns it into a counted failure. */
    wstats_reason_t why;
    cr_assert(failure_classify(t.result, t.status, &why));
    cr_expect_eq(why.status, 404);
    curl_easy_cleanup(t.easy);
    s_server_stop(&srv);
    s_ctx_fini(&ctx);
}

Test(multi, refused_connection_reports_couldnt_connect) {
    test_ctx_t ctx;
    s_ctx_init(&ctx);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/", s_closed_port());
    transfer_t t;
    s_transfer_init(&t, &ctx, url, 5000);
    cr_assert_eq(multi_add(ctx.multi, t.easy), 0);
    s_run(&ctx, 1, 5000);
    cr_assert_eq(t.done_calls, 1);
    cr_expect_eq(t.result, CURLE_COULDNT_CONNECT, "got %s", curl_easy_strerror(t.result));
    cr_expect_eq(multi_in_flight(ctx.multi), 0);
    wstats_reason_t why;
    cr_assert(failure_classify(t.result, t.status, &why));
    cr_expect_str_eq(why.category, "connect");
    curl_easy_cleanup(t.easy);
    s_ctx_fini(&ctx);
}

Test(multi, silent_server_times_out_through_loop_timers) {
    test_ctx_t ctx;
    s_ctx_init(&ctx);
    server_t srv;
    s_server_start(&srv, ctx.loop);
    srv.silent = true;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/", srv.port);
    transfer_t t;
    s_transfer_init(&t, &ctx, url, 200);
    uint64_t start = clock_now_us();
    cr_assert_eq(multi_add(ctx.multi, t.easy), 0);
    s_run(&ctx, 1, 5000);
    uint64_t took_us = clock_now_us() - start;
    cr_assert_eq(t.done_calls, 1);
    cr_expect_eq(t.result, CURLE_OPERATION_TIMEDOUT, "got %s", curl_easy_strerror(t.result));
    cr_expect_geq(took_us, 190000, "timed out early: %llu us", (unsigned long long)took_us);
    cr_expect_lt(took_us, 3000000, "timed out late: %llu us", (unsigned long long)took_us);
    cr_expect_eq(srv.requests, 1);
    curl_easy_cleanup(t.easy);
    s_server_stop(&srv);
    s_ctx_fini(&ctx);
}

Test(multi, done_callback_may_add_the_same_handle_again) {
    test_ctx_t ctx;
    s_ctx_init(&ctx);
    server_t srv;
    s_server_start(&srv, ctx.loop);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/again", srv.port);
    transfer_t t;
    s_transfer_init(&t, &ctx, url, 5000);
    t.repeats = 4;
    cr_assert_eq(multi_add(ctx.multi, t.easy), 0);
    s_run(&ctx, 1, 5000);
    cr_expect_eq(t.done_calls, 5);
    cr_expect_eq(t.result, CURLE_OK);
    cr_expect_str_eq(t.body, "ok");
    cr_expect_eq(srv.requests, 5);
    cr_expect_eq(srv.accepted, 1, "the connection is kept alive and reused");
    cr_expect_eq(multi_in_flight(ctx.multi), 0);
    curl_easy_cleanup(t.easy);
    s_server_stop(&srv);
    s_ctx_fini(&ctx);
}

Test(multi, many_concurrent_transfers) {
    enum { N = 50 };
    test_ctx_t ctx;
    s_ctx_init(&ctx);
    server_t srv;
    s_server_start(&srv, ctx.loop);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/many", srv.port);
    transfer_t *t = calloc(N, sizeof *t);
    for (int i = 0; i < N; i++) {
        s_transfer_init(&t[i], &ctx, url, 5000);
        cr_assert_eq(multi_add(ctx.multi, t[i].easy), 0);
    }
    cr_expect_eq(multi_in_flight(ctx.multi), N);
    s_run(&ctx, N, 10000);
    cr_expect_eq(ctx.done, N);
    for (int i = 0; i < N; i++) {
        cr_expect_eq(t[i].done_calls, 1, "transfer %d", i);
        cr_expect_eq(t[i].result, CURLE_OK, "transfer %d: %s", i, curl_easy_strerror(t[i].result));
        cr_expect_str_eq(t[i].body, "ok");
        curl_easy_cleanup(t[i].easy);
    }
    cr_expect_eq(srv.requests, N);
    cr_expect_eq(multi_in_flight(ctx.multi), 0);
    free(t);
    s_server_stop(&srv);
    s_ctx_fini(&ctx);
}

Test(multi, remove_aborts_without_done) {
    test_ctx_t ctx;
    s_ctx_init(&ctx);
    server_t srv;
    s_server_start(&srv, ctx.loop);
    srv.silent = true;
    srv.stop_on_request = true;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/", srv.port);
    transfer_t t;
    s_transfer_init(&t, &ctx, url, 5000);
    cr_assert_eq(multi_add(ctx.multi, t.easy), 0);
    s_run(&ctx, 1, 5000); /* until the server has read the request */
    cr_assert_eq(srv.requests, 1);
    cr_assert_eq(t.done_calls, 0);

    cr_expect_eq(multi_remove(ctx.multi, t.easy), 0);
    cr_expect_eq(multi_in_flight(ctx.multi), 0);
    srv.stop_on_request = false;
    s_run(&ctx, 1, 100); /* nothing more may happen */
    cr_expect_eq(t.done_calls, 0);

    /* The handle is reusable after an abort. */
    srv.silent = false;
    curl_easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, 5000L);
    cr_assert_eq(multi_add(ctx.multi, t.easy), 0);
    s_run(&ctx, 1, 5000);
    cr_expect_eq(t.done_calls, 1);
    cr_expect_eq(t.result, CURLE_OK);
    curl_easy_cleanup(t.easy);
    s_server_stop(&srv);
    s_ctx_fini(&ctx);
}

Test(multi, destroy_leaves_the_loop_usable) {
    /* A transfer arms curl's timer in the loop; after remove + destroy the loop
     * must not hold a timer inside the freed multi (ASan would catch it). */
    test_ctx_t ctx;
    s_ctx_init(&ctx);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/", s_closed_port());
    transfer_t t;
    s_transfer_init(&t, &ctx, url, 5000);
    cr_assert_eq(multi_add(ctx.multi, t.easy), 0);
    cr_assert_eq(multi_remove(ctx.multi, t.easy), 0);
    multi_destroy(&ctx.multi);
    loop_timer_start(ctx.loop, &ctx.guard, clock_now_us() + 50000);
    cr_assert_eq(loop_run(ctx.loop), 0);
    cr_expect_eq(t.done_calls, 0);
    curl_easy_cleanup(t.easy);
    s_ctx_fini(&ctx);
}

Test(multi, prepared_handles_survive_the_server_closing_every_connection) {
    /* Each new socket tends to get the number of the one just closed: the
     * open/close hooks must keep the loop from taking it for the old one. */
    test_ctx_t ctx;
    s_ctx_init(&ctx);
    server_t srv;
    s_server_start(&srv, ctx.loop);
    srv.close_after = true;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/closing", srv.port);
    transfer_t t;
    s_transfer_init(&t, &ctx, url, 5000);
    cr_assert_eq(multi_prepare(ctx.multi, t.easy, NULL), 0);
    t.repeats = 9;
    cr_assert_eq(multi_add(ctx.multi, t.easy), 0);
    s_run(&ctx, 1, 8000);
    cr_expect_eq(t.done_calls, 10, "a transfer hung (guard fired)");
    cr_expect_eq(t.result, CURLE_OK, "%s", curl_easy_strerror(t.result));
    cr_expect_str_eq(t.body, "ok");
    cr_expect_eq(srv.accepted, 10, "one connection per request");
    curl_easy_cleanup(t.easy);
    s_server_stop(&srv);
    s_ctx_fini(&ctx);
}

Test(multi, idle_connections_are_kept_while_no_transfer_is_added) {
    /* Users thinking between requests have no transfer added; their
     * keep-alive connections must still be there when they come back. */
    enum { N = 20 };
    test_ctx_t ctx;
    s_ctx_init(&ctx);
    server_t srv;
    s_server_start(&srv, ctx.loop);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/idle", srv.port);
    transfer_t t[N];
    for (int i = 0; i < N; i++) {
        s_transfer_init(&t[i], &ctx, url, 5000);
        cr_assert_eq(multi_prepare(ctx.multi, t[i].easy, NULL), 0);
        cr_assert_eq(multi_add(ctx.multi, t[i].easy), 0);
    }
    s_run(&ctx, N, 10000);
    cr_assert_eq(ctx.done, N);
    cr_expect_eq(srv.accepted, N);
    ctx.done = 0;
    for (int i = 0; i < N; i++) cr_assert_eq(multi_add(ctx.multi, t[i].easy), 0);
    s_run(&ctx, N, 10000);
    cr_expect_eq(ctx.done, N);
    cr_expect_eq(srv.requests, 2 * N);
    cr_expect_eq(srv.accepted, N, "the second round reuses every connection");
    for (int i = 0; i < N; i++) {
        cr_expect_eq(t[i].result, CURLE_OK);
        curl_easy_cleanup(t[i].easy);
    }
    s_server_stop(&srv);
    s_ctx_fini(&ctx);
}

Test(multi, a_pool_per_handle_keeps_its_own_connection) {
    /* Two handles with pools of their own, run one after the other: each
     * opens its connection and reuses it; neither takes the other's. */
    test_ctx_t ctx;
    s_ctx_init(&ctx);
    server_t srv;
    s_server_start(&srv, ctx.loop);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/pool", srv.port);
    transfer_t t[2];
    CURLSH *pool[2];
    for (int i = 0; i < 2; i++) {
        s_transfer_init(&t[i], &ctx, url, 5000);
        cr_assert_eq(multi_prepare(ctx.multi, t[i].easy, NULL), 0);
        char *err = NULL;
        pool[i] = multi_pool_new(ctx.multi, t[i].easy, &err);
        cr_assert_not_null(pool[i], "%s", err);
        t[i].repeats = 2;
        cr_assert_eq(multi_add(ctx.multi, t[i].easy), 0);
        ctx.done = 0;
        s_run(&ctx, 1, 5000);
        cr_expect_eq(t[i].done_calls, 3);
        cr_expect_eq(t[i].result, CURLE_OK, "%s", curl_easy_strerror(t[i].result));
    }
    cr_expect_eq(srv.requests, 6);
    cr_expect_eq(srv.accepted, 2, "one connection per pool, each reused");
    for (int i = 0; i < 2; i++) {
        curl_easy_cleanup(t[i].easy);
        multi_pool_destroy(&pool[i]); /* closes the connection through the close hook */
        cr_expect_null(pool[i]);
    }
    multi_pool_destroy(&pool[0]); /* NULL is fine */
    multi_pool_destroy(NULL);
    /* The server notices both closes. */
    loop_timer_start(ctx.loop, &ctx.guard, clock_now_us() + 200000);
    cr_assert_eq(loop_run(ctx.loop), 0);
    int open = 0;
    for (int i = 0; i < MAX_CONNS; i++) open += srv.conns[i] != NULL;
    cr_expect_eq(open, 0, "destroying a pool closes its connection");
    s_server_stop(&srv);
    s_ctx_fini(&ctx);
}

Test(multi, add_twice_returns_curls_code_and_counts_nothing) {
    /* The engine turns this code into one counted "not sent" failure. */
    test_ctx_t ctx;
    s_ctx_init(&ctx);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/", s_closed_port());
    transfer_t t;
    s_transfer_init(&t, &ctx, url, 5000);
    cr_assert_eq(multi_add(ctx.multi, t.easy), CURLM_OK);
    CURLMcode rc = multi_add(ctx.multi, t.easy);
    cr_expect_eq(rc, CURLM_ADDED_ALREADY);
    cr_expect_str_eq(curl_multi_strerror(rc), "The easy handle is already added to a multi handle");
    cr_expect_eq(multi_in_flight(ctx.multi), 1, "the failed add is not in flight");
    cr_assert_eq(multi_remove(ctx.multi, t.easy), CURLM_OK);
    cr_expect_eq(multi_in_flight(ctx.multi), 0);
    curl_easy_cleanup(t.easy);
    s_ctx_fini(&ctx);
}

Test(multi, setopt_failure_names_the_option_curls_message_and_the_place) {
    CURL *easy = curl_easy_init();
    cr_assert_not_null(easy);
    char *err = NULL;
    cr_expect_eq(MULTI_SETOPT(easy, CURLOPT_TIMEOUT_MS, 100L, &err), 0);
    cr_expect_null(err);
    cr_expect_eq(MULTI_SETOPT(easy, CURLOPT_HTTP_VERSION, 999L, &err), -1);
    cr_assert_not_null(err);
    char want[160];
    snprintf(want, sizeof want, "curl_easy_setopt(CURLOPT_HTTP_VERSION): %s (%s:",
             curl_easy_strerror(CURLE_UNSUPPORTED_PROTOCOL), __FILE__);
    cr_expect(strncmp(err, want, strlen(want)) == 0, "got: %s", err);
    free(err);
    curl_easy_cleanup(easy);
}
