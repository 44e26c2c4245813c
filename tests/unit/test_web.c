/* test_web: web/web — the server on loopback: address errors, the real port
 * in web_url, publishing snapshots, commands queued by requests and taken in
 * order, refusals, teardown with commands and a snapshot left, and the
 * history API (/api/runs, /api/runs/ID/json, /api/compare). */
#include <arpa/inet.h>
#include <pthread.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "web/web.h"

static web_t *s_start(void) {
    web_opts_t o = {.addr = "127.0.0.1:0"};
    char *err = NULL;
    web_t *w = web_new(&o, &err);
    cr_assert_not_null(w, "web_new: %s", err ? err : "?");
    return w;
}

static unsigned s_port(const web_t *w) {
    unsigned port = 0;
    cr_assert_eq(sscanf(web_url(w), "http://127.0.0.1:%u/", &port), 1, "url %s", web_url(w));
    return port;
}

/* Sends raw (a whole request) and returns the whole answer (caller frees). */
static char *s_http(const web_t *w, const char *raw) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(fd, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s_port(w))};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    size_t len = strlen(raw);
    cr_assert_eq(write(fd, raw, len), (ssize_t)len);
    strbuf_t b;
    strbuf_init(&b);
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        strbuf_append(&b, buf, (size_t)n);
    close(fd);
    return strbuf_detach(&b, NULL);
}

static char *s_get(const web_t *w, const char *path) {
    char *req = xasprintf("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: close\r\n\r\n",
                          path, s_port(w));
    char *ans = s_http(w, req);
    free(req);
    return ans;
}

static char *s_post(const web_t *w, const char *form, const char *extra_headers) {
    char *req = xasprintf(
        "POST /swarm HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: close\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n%sContent-Length: %zu\r\n\r\n%s",
        s_port(w), extra_headers, strlen(form), form);
    char *ans = s_http(w, req);
    free(req);
    return ans;
}

static web_snapshot_t *s_snapshot(const char *state, uint32_t users) {
    web_snapshot_t *s = xcalloc(1, sizeof *s);
    s->state = state;
    s->user_count = users;
    return s;
}

Test(web, serves_on_the_real_port_of_port_zero) {
    web_t *w = s_start();
    cr_assert_gt(s_port(w), 0);
    char *a = s_get(w, "/stats/requests");
    cr_assert(strstr(a, "HTTP/1.1 200"), "%s", a);
    cr_assert(strstr(a, "\"state\": \"ready\""), "no snapshot yet: ready\n%s", a);
    free(a);
    web_destroy(&w);
    cr_assert_null(w);
    web_destroy(&w);
}

Test(web, refuses_bad_and_unprotected_addresses) {
    char *err = NULL;
    web_opts_t o = {.addr = "nowhere"};
    cr_assert_null(web_new(&o, &err));
    cr_assert(err && strstr(err, "expected HOST:PORT"), "%s", err ? err : "");
    free(err);
    o.addr = "0.0.0.0:0";
    cr_assert_null(web_new(&o, &err));
    cr_assert(err && strstr(err, "beyond loopback"), "%s", err ? err : "");
    free(err);
    o.auth = "nocolon";
    cr_assert_null(web_new(&o, &err));
    cr_assert(err && strstr(err, "USER:PASSWORD"), "%s", err ? err : "");
    free(err);
}

Test(web, handlers_read_the_latest_published_snapshot) {
    web_t *w = s_start();
    web_snapshot_t *s = s_snapshot("spawning", 3);
    web_publish(w, &s);
    cr_assert_null(s, "publish takes the snapshot");
    s = s_snapshot("running", 9);
    web_publish(w, &s); /* the first one is freed here: nothing holds it */
    char *a = s_get(w, "/stats/requests");
    cr_assert(strstr(a, "\"state\": \"running\""), "%s", a);
    cr_assert(strstr(a, "\"user_count\": 9"), "%s", a);
    free(a);
    a = s_get(w, "/metrics");
    cr_assert(strstr(a, "\nbarrage_users 9\n"), "%s", a);
    free(a);
    a = s_get(w, "/stats/requests/csv");
    cr_assert(strstr(a, "HTTP/1.1 404"), "no report yet: nothing to download\n%s", a);
    free(a);
    /* Locust's exceptions, empty without a report, as Locust answers before a run. */
    a = s_get(w, "/exceptions");
    cr_assert(strstr(a, "HTTP/1.1 200"), "%s", a);
    cr_assert(strstr(a, "\r\n\r\n{\"exceptions\": []}\n"), "%s", a);
    free(a);
    a = s_get(w, "/exceptions/csv");
    cr_assert(strstr(a, "HTTP/1.1 200"), "%s", a);
    cr_assert(strstr(a, "Content-Type: text/csv"), "%s", a);
    cr_assert(strstr(a, "\r\n\r\nCount,Message,Traceback,Nodes\r\n"), "%s", a);
    free(a);
    web_destroy(&w);
}

/* A conductor on its own thread: takes commands and answers each start by
 * its users (4 started, 5 refused by the state, 6 a broken scenario), until
 * it has taken `want` commands. What it took is kept in order. */
typedef struct {
    web_t *w;
    int want;
    web_cmd_t took[8];
    int n;
} conductor_fx_t;

static void *s_conductor(void *arg) {
    conductor_fx_t *f = arg;
    while (f->n < f->want) {
        web_cmd_t c;
        if (!web_take_command(f->w, &c)) {
            usleep(1000);
            continue;
        }
        if (c.type == WEB_CMD_SWARM && c.users == 4)
            web_answer(f->w, c.id, WEB_ANSWER_DONE, NULL, c.host ? c.host : "http://scenario");
        else if (c.type == WEB_CMD_SWARM && c.users == 5)
            web_answer(f->w, c.id, WEB_ANSWER_REFUSED, "start refused: no worker has joined yet",
                       NULL);
        else if (c.type == WEB_CMD_SWARM)
            web_answer(f->w, c.id, WEB_ANSWER_INVALID,
                       "s.yaml:3:5: error: expected a mapping\ns.yaml:9:1: error: unknown key",
                       NULL);
        f->took[f->n++] = c;
    }
    return NULL;
}

Test(web, a_start_is_answered_with_the_conductors_verdict, .timeout = 30) {
    web_t *w = s_start();
    web_cmd_t c;
    cr_assert_not(web_take_command(w, &c));
    conductor_fx_t f = {.w = w, .want = 6};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, s_conductor, &f), 0);
    char *a = s_post(w, "user_count=4&spawn_rate=2&host=http%3A%2F%2Fh&run_time=20s", "");
    cr_assert(strstr(a, "HTTP/1.1 200"), "%s", a);
    cr_assert(strstr(a, "\"success\": true") && strstr(a, "\"host\": \"http://h\"") &&
                  strstr(a, "\"run_time\": 20"),
              "%s", a);
    free(a);
    a = s_post(w, "user_count=4&spawn_rate=2&user_classes=Reader&user_classes=Writer", "");
    cr_assert(strstr(a, "\"host\": \"http://scenario\""), "the run's host\n%s", a);
    free(a);
    a = s_post(w, "user_count=5&spawn_rate=2", "");
    cr_assert(strstr(a, "HTTP/1.1 409") && strstr(a, "no worker has joined yet"), "%s", a);
    free(a);
    a = s_post(w, "user_count=6&spawn_rate=2", "");
    cr_assert(strstr(a, "HTTP/1.1 400") && strstr(a, "s.yaml:3:5: error: expected a mapping\\n"),
              "the scenario's errors, one per line\n%s", a);
    free(a);
    a = s_post(w, "user_count=-1&spawn_rate=2", "");
    cr_assert(strstr(a, "HTTP/1.1 400") && strstr(a, "user_count must be"), "%s", a);
    free(a);
    a = s_get(w, "/stop");
    cr_assert(strstr(a, "\"Test stopped\""), "%s", a);
    free(a);
    a = s_get(w, "/stats/reset");
    cr_assert(strstr(a, "\r\n\r\nok"), "%s", a);
    free(a);
    cr_assert_eq(pthread_join(t, NULL), 0);
    cr_assert_eq(f.took[0].type, WEB_CMD_SWARM);
    cr_assert_eq(f.took[0].users, 4);
    cr_assert_str_eq(f.took[0].host, "http://h");
    cr_assert_eq(f.took[0].run_time_ms, 20000);
    cr_assert_null(f.took[1].host, "the command keeps NULL: the conductor picks the host");
    cr_assert_eq(f.took[1].n_classes, 2);
    cr_assert_str_eq(f.took[1].classes[1], "Writer");
    cr_assert_neq(f.took[0].id, f.took[1].id);
    cr_assert_eq(f.took[3].users, 6);
    cr_assert_eq(f.took[4].type, WEB_CMD_STOP);
    cr_assert_eq(f.took[5].type, WEB_CMD_RESET);
    cr_assert_not(web_take_command(w, &c), "the bad form queued nothing");
    for (int i = 0; i < f.n; i++) web_cmd_fini(&f.took[i]);
    web_answer(w, 99, WEB_ANSWER_DONE, NULL, "x"); /* nobody waits: ignored */
    web_destroy(&w);
}

Test(web, a_start_nobody_takes_is_withdrawn, .timeout = 30) {
    web_opts_t o = {.addr = "127.0.0.1:0", .answer_wait_ms = 200};
    char *err = NULL;
    web_t *w = web_new(&o, &err);
    cr_assert_not_null(w, "web_new: %s", err ? err : "?");
    char *a = s_post(w, "user_count=4&spawn_rate=2", "");
    cr_assert(strstr(a, "HTTP/1.1 503") && strstr(a, "nothing started"), "%s", a);
    free(a);
    web_cmd_t c;
    cr_assert_not(web_take_command(w, &c), "withdrawn: it can never start later");
    web_destroy(&w);
}

Test(web, foreign_host_or_origin_is_refused_and_queues_nothing) {
    web_t *w = s_start();
    char *a = s_post(w, "user_count=4&spawn_rate=2", "Origin: http://evil.example\r\n");
    cr_assert(strstr(a, "HTTP/1.1 403") && strstr(a, "\"success\": false"), "%s", a);
    free(a);
    char *req = xasprintf(
        "GET /stop HTTP/1.1\r\nHost: evil.example:%u\r\nConnection: close\r\n\r\n", s_port(w));
    a = s_http(w, req);
    cr_assert(strstr(a, "HTTP/1.1 403"), "%s", a);
    free(a);
    free(req);
    /* A cross-site <img src=/stop> has no Origin, but the browser marks it. */
    req = xasprintf("GET /stop HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nSec-Fetch-Site: cross-site\r\n"
                    "Connection: close\r\n\r\n",
                    s_port(w));
    a = s_http(w, req);
    cr_assert(strstr(a, "HTTP/1.1 403"), "%s", a);
    free(a);
    free(req);
    /* HEAD only looks: it never stops a run. */
    req = xasprintf("HEAD /stop HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: close\r\n\r\n",
                    s_port(w));
    a = s_http(w, req);
    cr_assert(strstr(a, "HTTP/1.1 405"), "%s", a);
    free(a);
    free(req);
    web_cmd_t c;
    cr_assert_not(web_take_command(w, &c));
    /* Reading is not state-changing: a foreign Host may read. */
    req = xasprintf(
        "GET /stats/requests HTTP/1.1\r\nHost: evil.example:%u\r\nConnection: close\r\n\r\n",
        s_port(w));
    a = s_http(w, req);
    cr_assert(strstr(a, "HTTP/1.1 200"), "%s", a);
    free(a);
    free(req);
    web_destroy(&w);
}

Test(web, basic_auth_guards_every_page) {
    web_opts_t o = {.addr = "127.0.0.1:0", .auth = "ann:s3cret"};
    char *err = NULL;
    web_t *w = web_new(&o, &err);
    cr_assert_not_null(w, "%s", err ? err : "");
    char *a = s_get(w, "/metrics");
    cr_assert(strstr(a, "HTTP/1.1 401") && strstr(a, "WWW-Authenticate: Basic"), "%s", a);
    free(a);
    char *req = xasprintf("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nAuthorization: Basic "
                          "YW5uOnMzY3JldA==\r\nConnection: close\r\n\r\n",
                          s_port(w));
    a = s_http(w, req);
    cr_assert(strstr(a, "HTTP/1.1 200"), "%s", a);
    free(a);
    free(req);
    web_destroy(&w);
}

Test(web, destroy_frees_queued_commands_and_the_snapshot) {
    web_t *w = s_start();
    char *a = s_get(w, "/stop");
    free(a);
    web_snapshot_t *s = s_snapshot("stopped", 0);
    s->report = report_new();
    web_publish(w, &s);
    web_destroy(&w); /* valgrind / ASan find a leak here if it does not */
    cr_assert_null(w);
}

Test(web, serves_ipv6_loopback_with_brackets_in_the_url) {
    web_opts_t o = {.addr = "[::1]:0"};
    char *err = NULL;
    web_t *w = web_new(&o, &err);
    cr_assert_not_null(w, "web_new: %s", err ? err : "?");
    unsigned port = 0;
    cr_assert_eq(sscanf(web_url(w), "http://[::1]:%u/", &port), 1, "%s", web_url(w));
    cr_assert_gt(port, 0);
    web_destroy(&w);
}

/* ---- history: /api/runs, /api/runs/ID/json, /api/compare ---- */

static report_t *s_run(const char *scenario, uint64_t n, uint64_t latency_us) {
    report_t *r = report_new();
    r->scenario_name = xstrdup(scenario);
    r->run_seconds = 2;
    histogram_t *h = histogram_new();
    histogram_record_n(h, latency_us, n);
    results_row_delta_t row = {.method = "GET", .name = "/x", .latency = h, .requests = n};
    results_add(r->results, &(results_delta_t){.n_rows = 1, .rows = &row});
    histogram_destroy(&h);
    return r;
}

/* The status code and the body of an answer. */
static unsigned s_status(const char *ans) {
    unsigned code = 0;
    cr_assert_eq(sscanf(ans, "HTTP/1.1 %u", &code), 1, "%s", ans);
    return code;
}

static const char *s_body(const char *ans) {
    const char *b = strstr(ans, "\r\n\r\n");
    cr_assert_not_null(b);
    return b + 4;
}

Test(web, api_serves_the_history_of_runs) {
    web_t *w = s_start();
    char *ans = s_get(w, "/api/runs");
    cr_assert_eq(s_status(ans), 200);
    cr_assert_str_eq(s_body(ans), "{\"runs\":[]}");
    free(ans);
    report_t *a = s_run("first", 100, 50000), *b = s_run("second", 100, 5000);
    web_add_run(w, &a);
    cr_assert_null(a);
    web_add_run(w, &b);
    cr_assert_null(b);
    ans = s_get(w, "/api/runs");
    cr_assert_eq(s_status(ans), 200);
    cr_assert(strstr(s_body(ans), "{\"runs\":[{\"id\":1,\"name\":\"first\""), "%s", ans);
    cr_assert(strstr(s_body(ans), "{\"id\":2,\"name\":\"second\""), "%s", ans);
    free(ans);
    ans = s_get(w, "/api/runs/2/json");
    cr_assert_eq(s_status(ans), 200);
    cr_assert(strstr(s_body(ans), "\"second\""), "%s", ans);
    cr_assert(strstr(ans, "filename=\"run-2.json\""), "%s", ans);
    free(ans);
    ans = s_get(w, "/api/compare?before=1&after=2");
    cr_assert_eq(s_status(ans), 200);
    cr_assert(strstr(s_body(ans), "{\"name\":\"GET /x\",\"verdict\":\"better\""), "%s", ans);
    free(ans);
    web_destroy(&w);
}

Test(web, api_refuses_unknown_runs_and_malformed_queries) {
    web_t *w = s_start();
    report_t *a = s_run("first", 10, 1000);
    web_add_run(w, &a);
    const struct {
        const char *path;
        unsigned status;
    } cases[] = {
        {"/api/runs/2/json", 404},      {"/api/runs/0/json", 400},
        {"/api/runs/x/json", 400},      {"/api/runs/1/csv", 404},
        {"/api/runs/1", 404},           {"/api/compare?before=1&after=2", 404},
        {"/api/compare?before=1", 400}, {"/api/compare?before=1&after=-2", 400},
        {"/api/compare", 400},          {"/api/nothing", 404},
        {"/api/runs/1/json", 200},      {"/api/compare?before=1&after=1", 200},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *ans = s_get(w, cases[i].path);
        cr_assert_eq(s_status(ans), cases[i].status, "%s: %s", cases[i].path, ans);
        free(ans);
    }
    char *req = xasprintf("POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: "
                          "close\r\nContent-Length: 0\r\n\r\n",
                          s_port(w));
    char *ans = s_http(w, req);
    cr_assert_eq(s_status(ans), 405, "%s", ans);
    free(ans);
    free(req);
    web_destroy(&w);
}

/* ---------------------------------------------------------------- the page and /events */

Test(web, serves_the_embedded_page_with_types_and_cache_control) {
    web_t *w = s_start();
    const struct {
        const char *path, *type, *marker;
    } files[] = {
        {"/", "Content-Type: text/html; charset=utf-8", "<script src=\"/app.js\""},
        {"/index.html", "Content-Type: text/html; charset=utf-8", "id=\"stats\""},
        {"/app.js", "Content-Type: text/javascript; charset=utf-8", "new EventSource('/events')"},
        {"/runs.js", "Content-Type: text/javascript; charset=utf-8", "/api/compare?before="},
        {"/style.css", "Content-Type: text/css; charset=utf-8", "svg path"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *a = s_get(w, files[i].path);
        cr_assert(strstr(a, "HTTP/1.1 200"), "%s\n%s", files[i].path, a);
        cr_assert(strstr(a, files[i].type), "%s\n%.300s", files[i].path, a);
        cr_assert(strstr(a, "Cache-Control: no-cache"), "%s", files[i].path);
        cr_assert(strstr(a, "Content-Security-Policy: default-src 'self'"), "%s", files[i].path);
        cr_assert(strstr(a, files[i].marker), "%s has %s", files[i].path, files[i].marker);
        free(a);
    }
    web_destroy(&w);
}

Test(web, api_state_renders_the_latest_snapshot) {
    web_t *w = s_start();
    char *a = s_get(w, "/api/state");
    cr_assert(strstr(a, "Content-Type: application/json"), "%s", a);
    cr_assert(strstr(a, "{\"state\":\"ready\",\"users\":0,"), "before any snapshot: %s", a);
    free(a);
    web_snapshot_t *s = s_snapshot("running", 5);
    web_publish(w, &s);
    a = s_get(w, "/api/state");
    cr_assert(strstr(a, "{\"state\":\"running\",\"users\":5,"), "%s", a);
    free(a);
    web_destroy(&w);
}

/* Opens GET /events on a socket (a read timeout of 5 s); returns the fd. */
static int s_events_open(const web_t *w) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(fd, 0);
    struct timeval tv = {.tv_sec = 5};
    cr_assert_eq(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s_port(w))};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    char *req = xasprintf("GET /events HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n", s_port(w));
    cr_assert_eq(write(fd, req, strlen(req)), (ssize_t)strlen(req));
    free(req);
    return fd;
}

/* Reads fd into b until b holds needle; false on a timeout or the end. */
static bool s_read_until(int fd, strbuf_t *b, const char *needle) {
    char buf[4096];
    while (!strstr(strbuf_str(b), needle)) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) return false;
        strbuf_append(b, buf, (size_t)n);
    }
    return true;
}

Test(web, events_push_each_published_snapshot_and_end_at_destroy, .timeout = 30) {
    web_t *w = s_start();
    int fd = s_events_open(w);
    strbuf_t b;
    strbuf_init(&b);
    cr_assert(s_read_until(fd, &b, "data: {\"state\":\"ready\""), "the first event at once: %s",
              strbuf_str(&b));
    cr_assert(strstr(strbuf_str(&b), "Content-Type: text/event-stream"), "%s", strbuf_str(&b));
    web_snapshot_t *s = s_snapshot("spawning", 2);
    web_publish(w, &s);
    cr_assert(s_read_until(fd, &b, "data: {\"state\":\"spawning\",\"users\":2,"), "%s",
              strbuf_str(&b));
    s = s_snapshot("running", 4);
    web_publish(w, &s);
    cr_assert(s_read_until(fd, &b, "data: {\"state\":\"running\",\"users\":4,"), "%s",
              strbuf_str(&b));
    /* Nothing published: a heartbeat comment keeps the stream alive. */
    cr_assert(s_read_until(fd, &b, "\n: heartbeat\n\n"), "%s", strbuf_str(&b));
    strbuf_fini(&b);
    /* More streams than the cap: the one over it is refused. */
    int more[16];
    for (size_t i = 0; i < 15; i++) {
        more[i] = s_events_open(w);
        strbuf_t m;
        strbuf_init(&m);
        cr_assert(s_read_until(more[i], &m, "data: "), "stream %zu", i + 2);
        strbuf_fini(&m);
    }
    more[15] = s_events_open(w);
    strbuf_t m;
    strbuf_init(&m);
    cr_assert(s_read_until(more[15], &m, "HTTP/1.1 503"), "the 17th: %s", strbuf_str(&m));
    strbuf_fini(&m);
    /* web_destroy with 16 streams open returns: each ends. */
    web_destroy(&w);
    cr_assert_null(w);
    close(fd);
    for (size_t i = 0; i < 16; i++)
        close(more[i]);
}
