/* web: the HTTP server (libmicrohttpd), the published snapshot and the
 * command queue. Threading: MHD_USE_INTERNAL_POLLING_THREAD with
 * MHD_USE_THREAD_PER_CONNECTION — one thread per connection (at most
 * WEB_MAX_CONNECTIONS), so a slow browser or scrape never holds up another
 * request, and none of them ever runs on the conductor's thread. */
#include "web/web.h"

#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "report/report_csv.h"
#include "report/report_html.h"
#include "report/report_json.h"
#include "web/assets.h"
#include "web/history.h"
#include "web/metrics.h"
#include "web/webapi.h"
#include "web/websec.h"
#include "web/webstate.h"

#define WEB_MAX_CONNECTIONS 64
#define WEB_CONNECTION_TIMEOUT_S 10
#define WEB_MAX_BODY_BYTES 65536
#define WEB_MAX_EVENT_STREAMS 16    /* GET /events at once; more get 503 */
#define WEB_EVENT_HEARTBEAT_S 5     /* a comment line when nothing was published */
#define WEB_EVENT_BLOCK_BYTES 65536 /* MHD's buffer for an event stream */

/* A published snapshot and how many holders it has (the web_t + handlers). */
typedef struct {
    web_snapshot_t *s;
    unsigned refs;
} held_t;

/* A queued command; a SWARM's node also carries its answer, and lives until
 * the POST that waits for it is done (in the queue, then on the answers
 * list once taken). */
typedef struct cmd_node {
    web_cmd_t cmd;
    struct cmd_node *next;
    uint64_t id;  /* the command's id (awaited only) */
    bool awaited; /* a handler waits for the answer and frees the node */
    bool answered;
    web_answer_kind_t kind;
    char *message;
    char *host;
} cmd_node_t;

struct web {
    struct MHD_Daemon *daemon;
    websec_addr_t addr;
    uint16_t port; /* the real one */
    char *auth;
    char *url;
    pthread_mutex_t lock; /* guards current, head, tail */
    held_t *current;
    cmd_node_t *head, *tail;
    cmd_node_t *taken;   /* awaited commands taken by the conductor, not yet answered */
    uint32_t answer_wait_ms;
    uint64_t next_cmd_id;
    history_t *history; /* the finished runs (its own lock) */
    /* The live channel (GET /events), also under lock. */
    pthread_cond_t published; /* signalled at each web_publish, web_answer and web_destroy */
    uint64_t seq;             /* snapshots published so far */
    unsigned streams;         /* event streams open */
    bool stopping;            /* web_destroy began: every stream ends */
};

/* Per request: the POST body gathered so far. */
typedef struct {
    strbuf_t body;
    bool too_big;
} req_t;

void web_scenario_free(web_scenario_t **sp) {
    if (!sp || !*sp) return;
    web_scenario_t *s = *sp;
    for (size_t i = 0; i < s->n_classes; i++) {
        for (size_t t = 0; t < s->classes[i].n_tasks; t++) free(s->classes[i].tasks[t].name);
        free(s->classes[i].tasks);
        free(s->classes[i].name);
    }
    free(s->classes);
    free(s->file);
    free(s->host);
    free(s->stages);
    free(s->errors);
    free(s);
    *sp = NULL;
}

void web_snapshot_free(web_snapshot_t **s) {
    if (!s || !*s) return;
    web_scenario_free(&(*s)->scenario);
    log_lines_free((*s)->logs, (*s)->n_logs);
    for (size_t i = 0; i < (*s)->n_ready_workers; i++) free((*s)->ready_workers[i]);
    free((*s)->ready_workers);
    report_destroy(&(*s)->report);
    free((*s)->current_rps);
    free((*s)->current_fail_per_sec);
    free(*s);
    *s = NULL;
}

void web_cmd_fini(web_cmd_t *c) {
    free(c->host);
    for (size_t i = 0; i < c->n_classes; i++) free(c->classes[i]);
    free(c->classes);
    memset(c, 0, sizeof *c);
}

static void s_node_free(cmd_node_t *n) {
    web_cmd_fini(&n->cmd);
    free(n->message);
    free(n->host);
    free(n);
}

static void s_lock(web_t *w) {
    int rc = pthread_mutex_lock(&w->lock);
    if (rc != 0) xfatal("pthread_mutex_lock");
}

static void s_unlock(web_t *w) {
    int rc = pthread_mutex_unlock(&w->lock);
    if (rc != 0) xfatal("pthread_mutex_unlock");
}

/* Takes a reference to the current snapshot (NULL when none was published). */
static held_t *s_acquire(web_t *w) {
    s_lock(w);
    held_t *h = w->current;
    if (h) h->refs++;
    s_unlock(w);
    return h;
}

static void s_release(web_t *w, held_t *h) {
    if (!h) return;
    s_lock(w);
    bool last = --h->refs == 0;
    s_unlock(w);
    if (last) {
        web_snapshot_free(&h->s);
        free(h);
    }
}

void web_publish(web_t *w, web_snapshot_t **s) {
    held_t *h = xcalloc(1, sizeof *h);
    h->s = *s;
    h->refs = 1;
    *s = NULL;
    s_lock(w);
    held_t *old = w->current;
    w->current = h;
    w->seq++;
    int rc = pthread_cond_broadcast(&w->published);
    if (rc != 0) xfatal("pthread_cond_broadcast");
    s_unlock(w);
    s_release(w, old);
}

/* Queues *c (taken: zeroed). Awaited, it gets an id and the node is
 * returned for the caller's s_await; otherwise NULL. */
static cmd_node_t *s_queue(web_t *w, web_cmd_t *c, bool awaited) {
    cmd_node_t *n = xcalloc(1, sizeof *n);
    n->cmd = *c;
    n->awaited = awaited;
    memset(c, 0, sizeof *c);
    s_lock(w);
    if (awaited) n->id = n->cmd.id = ++w->next_cmd_id;
    if (w->tail)
        w->tail->next = n;
    else
        w->head = n;
    w->tail = n;
    s_unlock(w);
    return awaited ? n : NULL;
}

/* Unlinks n from the list at *head (tail fixed when given); false if absent. */
static bool s_unlink(cmd_node_t **head, cmd_node_t **tail, cmd_node_t *n) {
    cmd_node_t *prev = NULL;
    for (cmd_node_t *p = *head; p; prev = p, p = p->next) {
        if (p != n) continue;
        if (prev)
            prev->next = p->next;
        else
            *head = p->next;
        if (tail && *tail == p) *tail = prev;
        p->next = NULL;
        return true;
    }
    return false;
}

bool web_take_command(web_t *w, web_cmd_t *out) {
    s_lock(w);
    cmd_node_t *n = w->head;
    /* Read under the lock: an awaited node is its handler's, which may free it
     * (a wait that ran out) as soon as the lock is released. */
    bool mine = n && !n->awaited;
    if (n) {
        w->head = n->next;
        if (!w->head) w->tail = NULL;
        *out = n->cmd; /* the strings move to the caller */
        memset(&n->cmd, 0, sizeof n->cmd);
        if (!mine) { /* its handler frees it once answered */
            n->next = w->taken;
            w->taken = n;
        }
    }
    s_unlock(w);
    if (!n) return false;
    if (mine) free(n);
    return true;
}

void web_answer(web_t *w, uint64_t id, web_answer_kind_t kind, const char *message,
                const char *host) {
    s_lock(w);
    for (cmd_node_t *n = w->taken; n; n = n->next) {
        if (n->id != id || n->answered) continue;
        n->answered = true;
        n->kind = kind;
        n->message = message ? xstrdup(message) : NULL;
        n->host = host ? xstrdup(host) : NULL;
        int rc = pthread_cond_broadcast(&w->published);
        if (rc != 0) xfatal("pthread_cond_broadcast");
        break;
    }
    s_unlock(w);
}

void web_add_run(web_t *w, report_t **r) {
    history_add(w->history, r);
}

const char *web_url(const web_t *w) {
    return w->url;
}

/* ---------------------------------------------------------------- responses */

/* Queues body (taken) with status and content type; returns MHD's verdict. */
static enum MHD_Result s_send(struct MHD_Connection *c, unsigned status, const char *type,
                              strbuf_t *body, const char *disposition) {
    size_t len = 0;
    char *data = strbuf_detach(body, &len);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(data);
        return MHD_NO;
    }
    enum MHD_Result ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (ok == MHD_YES) ok = MHD_add_response_header(r, "Cache-Control", "no-store");
    if (ok == MHD_YES && disposition)
        ok = MHD_add_response_header(r, "Content-Disposition", disposition);
    if (ok == MHD_YES && status == MHD_HTTP_UNAUTHORIZED)
        ok =
            MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Basic realm=\"barrage\"");
    if (ok == MHD_YES) ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result s_json_error(struct MHD_Connection *c, unsigned status, const char *msg) {
    strbuf_t b;
    strbuf_init(&b);
    webapi_result_json(&b, false, msg, NULL);
    return s_send(c, status, "application/json", &b, NULL);
}

/* ---------------------------------------------------------------- routes */

typedef enum {
    R_JSON,
    R_CSV_STATS,
    R_CSV_HISTORY,
    R_CSV_FAILURES,
    R_HTML,
    R_RESULT,
    R_METRICS,
    R_EXCEPTIONS,
    R_CSV_EXCEPTIONS
} doc_t;

static const struct {
    const char *path;
    const char *type;
    const char *disposition; /* NULL = inline */
    doc_t doc;
    bool needs_report;
} s_docs[] = {
    {"/stats/requests", "application/json", NULL, R_JSON, false},
    {"/stats/requests/csv", "text/csv", "attachment; filename=\"requests.csv\"", R_CSV_STATS, true},
    {"/stats/requests_full_history/csv", "text/csv",
     "attachment; filename=\"requests_full_history.csv\"", R_CSV_HISTORY, true},
    {"/stats/failures/csv", "text/csv", "attachment; filename=\"failures.csv\"", R_CSV_FAILURES,
     true},
    {"/stats/report", "text/html; charset=utf-8", NULL, R_HTML, true},
    {"/stats/report/json", "application/json", "attachment; filename=\"result.json\"", R_RESULT,
     true},
    {"/metrics", "text/plain; version=0.0.4; charset=utf-8", NULL, R_METRICS, false},
    {"/exceptions", "application/json", NULL, R_EXCEPTIONS, false},
    {"/exceptions/csv", "text/csv", "attachment; filename=\"exceptions.csv\"", R_CSV_EXCEPTIONS,
     false},
};

static void s_render(doc_t doc, const web_snapshot_t *s, strbuf_t *b) {
    const report_t *r = s ? s->report : NULL;
    switch (doc) {
    case R_JSON:
        webapi_requests_json(s, b);
        break;
    case R_CSV_STATS:
        report_csv_stats(r, b);
        break;
    case R_CSV_HISTORY:
        report_csv_history(r, b);
        break;
    case R_CSV_FAILURES:
        report_csv_failures(r, b);
        break;
    case R_HTML:
        report_html_render(r, b);
        break;
    case R_RESULT:
        report_json_render(r, b);
        break;
    case R_METRICS:
        metrics_render(s, b);
        break;
    case R_EXCEPTIONS:
        webapi_exceptions_json(s, b);
        break;
    case R_CSV_EXCEPTIONS:
        webapi_exceptions_csv(s, b);
        break;
    }
}

static enum MHD_Result s_get_doc(web_t *w, struct MHD_Connection *c, size_t i) {
    held_t *h = s_acquire(w);
    const web_snapshot_t *s = h ? h->s : NULL;
    if (s_docs[i].needs_report && !(s && s->report)) {
        s_release(w, h);
        return s_json_error(c, MHD_HTTP_NOT_FOUND, "no run yet: nothing to download");
    }
    strbuf_t b;
    strbuf_init(&b);
    s_render(s_docs[i].doc, s, &b);
    s_release(w, h);
    return s_send(c, MHD_HTTP_OK, s_docs[i].type, &b, s_docs[i].disposition);
}

/* Waits for n's answer (at most WEB_ANSWER_WAIT_S) and takes n off the
 * lists. Returns true when answered; false when the wait ended first (*taken
 * says whether the conductor had the command). n is still the caller's. */
static bool s_await(web_t *w, cmd_node_t *n, bool *taken) {
    struct timespec until;
    if (clock_gettime(CLOCK_MONOTONIC, &until) != 0) xfatal("clock_gettime(CLOCK_MONOTONIC)");
    until.tv_sec += w->answer_wait_ms / 1000u;
    until.tv_nsec += (long)(w->answer_wait_ms % 1000u) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    s_lock(w);
    while (!n->answered && !w->stopping) {
        int rc = pthread_cond_timedwait(&w->published, &w->lock, &until);
        if (rc == ETIMEDOUT) break;
        if (rc != 0) xfatal("pthread_cond_timedwait");
    }
    /* Still queued: withdrawn, so that nothing starts behind the user's back. */
    *taken = !s_unlink(&w->head, &w->tail, n);
    if (*taken) s_unlink(&w->taken, NULL, n);
    bool answered = n->answered;
    s_unlock(w);
    return answered;
}

static enum MHD_Result s_swarm(web_t *w, struct MHD_Connection *c, req_t *q) {
    if (q->too_big) return s_json_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "the form is too large");
    const char *type =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (type && strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0)
        return s_json_error(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                            "send the form as application/x-www-form-urlencoded");
    web_cmd_t cmd;
    char *err = NULL;
    if (webapi_parse_swarm(strbuf_str(&q->body), q->body.len, &cmd, &err) != 0) {
        enum MHD_Result rc = s_json_error(c, MHD_HTTP_BAD_REQUEST, err);
        free(err);
        return rc;
    }
    uint64_t run_time_ms = cmd.run_time_ms;
    cmd_node_t *n = s_queue(w, &cmd, true);
    bool taken = false;
    enum MHD_Result rc;
    if (!s_await(w, n, &taken)) {
        rc = s_json_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
                          taken ? "the master took the start but did not answer in time"
                                : "the master is busy (e.g. writing the last run's reports): "
                                  "nothing started; try again");
    } else if (n->kind == WEB_ANSWER_DONE) {
        strbuf_t b;
        strbuf_init(&b);
        web_cmd_t answered = {.type = WEB_CMD_SWARM, .run_time_ms = run_time_ms};
        webapi_swarm_json(&b, &answered, n->host ? n->host : "");
        rc = s_send(c, MHD_HTTP_OK, "application/json", &b, NULL);
    } else {
        rc = s_json_error(c,
                          n->kind == WEB_ANSWER_INVALID ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_CONFLICT,
                          n->message ? n->message : "refused");
    }
    s_node_free(n);
    return rc;
}

static enum MHD_Result s_simple_cmd(web_t *w, struct MHD_Connection *c, web_cmd_type_t type) {
    web_cmd_t cmd = {.type = type};
    s_queue(w, &cmd, false);
    strbuf_t b;
    strbuf_init(&b);
    if (type == WEB_CMD_STOP) {
        webapi_result_json(&b, true, "Test stopped", NULL);
        return s_send(c, MHD_HTTP_OK, "application/json", &b, NULL);
    }
    strbuf_append_str(&b, "ok");
    return s_send(c, MHD_HTTP_OK, "text/html; charset=utf-8", &b, NULL);
}

/* ---------------------------------------------------------------- history API */

/* GET /api/compare?before=ID&after=ID */
static enum MHD_Result s_api_compare(web_t *w, struct MHD_Connection *c) {
    uint32_t before, after;
    if (history_parse_id(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "before"),
                         &before) != 0 ||
        history_parse_id(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "after"), &after) !=
            0)
        return s_json_error(c, MHD_HTTP_BAD_REQUEST,
                            "give before=ID&after=ID, two run ids from /api/runs");
    strbuf_t b;
    strbuf_init(&b);
    if (history_compare_json(w->history, before, after, &b) != 0) {
        strbuf_fini(&b);
        return s_json_error(c, MHD_HTTP_NOT_FOUND, "no such run");
    }
    return s_send(c, MHD_HTTP_OK, "application/json", &b, NULL);
}

/* GET /api/runs/ID/json */
static enum MHD_Result s_api_result(web_t *w, struct MHD_Connection *c, const char *rest) {
    const char *slash = strchr(rest, '/');
    if (!slash || strcmp(slash, "/json") != 0)
        return s_json_error(c, MHD_HTTP_NOT_FOUND, "no such page");
    char id_text[16];
    size_t n = (size_t)(slash - rest);
    uint32_t id;
    if (n >= sizeof id_text) return s_json_error(c, MHD_HTTP_BAD_REQUEST, "malformed run id");
    memcpy(id_text, rest, n);
    id_text[n] = '\0';
    if (history_parse_id(id_text, &id) != 0)
        return s_json_error(c, MHD_HTTP_BAD_REQUEST, "malformed run id");
    strbuf_t b;
    strbuf_init(&b);
    if (history_result_json(w->history, id, &b) != 0) {
        strbuf_fini(&b);
        return s_json_error(c, MHD_HTTP_NOT_FOUND, "no such run");
    }
    char *disposition = xasprintf("attachment; filename=\"run-%u.json\"", (unsigned)id);
    enum MHD_Result rc = s_send(c, MHD_HTTP_OK, "application/json", &b, disposition);
    free(disposition);
    return rc;
}

/* /api/runs, /api/runs/ID/json, /api/compare: read-only. */
static enum MHD_Result s_api(web_t *w, struct MHD_Connection *c, const char *url, bool get) {
    bool known = strcmp(url, "/api/runs") == 0 || strncmp(url, "/api/runs/", 10) == 0 ||
                 strcmp(url, "/api/compare") == 0;
    if (!known) return s_json_error(c, MHD_HTTP_NOT_FOUND, "no such page");
    if (!get) return s_json_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET");
    if (strcmp(url, "/api/compare") == 0) return s_api_compare(w, c);
    if (strncmp(url, "/api/runs/", 10) == 0) return s_api_result(w, c, url + 10);
    strbuf_t b;
    strbuf_init(&b);
    history_list_json(w->history, &b);
    return s_send(c, MHD_HTTP_OK, "application/json", &b, NULL);
}

/* ---------------------------------------------------------------- the page and its live channel */

/* A condition variable timed on CLOCK_MONOTONIC (a wall clock step must not
 * stretch or cut a heartbeat). Returns pthread's error number, 0 on success. */
static int s_cond_init(pthread_cond_t *cv) {
    pthread_condattr_t a;
    int rc = pthread_condattr_init(&a);
    if (rc != 0) return rc;
    rc = pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    if (rc == 0) rc = pthread_cond_init(cv, &a);
    pthread_condattr_destroy(&a);
    return rc;
}

/* An embedded page file, from static memory. The page's own CSP keeps every
 * request on this origin (no CDN, nothing leaves the page). */
static enum MHD_Result s_send_asset(struct MHD_Connection *c, const web_asset_t *a) {
    struct MHD_Response *r =
        MHD_create_response_from_buffer(a->len, (void *)a->data, MHD_RESPMEM_PERSISTENT);
    if (!r) return MHD_NO;
    enum MHD_Result ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, a->type);
    /* The assets change only with the binary: revalidate, never serve a stale page. */
    if (ok == MHD_YES) ok = MHD_add_response_header(r, "Cache-Control", "no-cache");
    if (ok == MHD_YES) ok = MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (ok == MHD_YES)
        ok = MHD_add_response_header(r, "Content-Security-Policy",
                                     "default-src 'self'; img-src 'self' data:; "
                                     "frame-ancestors 'none'; "
                                     "form-action 'self'; base-uri 'none'");
    if (ok == MHD_YES) ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

/* One GET /events: what is left to hand to MHD, and the last snapshot sent. */
typedef struct {
    web_t *w;
    uint64_t seq; /* w->seq when the last event was rendered */
    bool sent_any;
    strbuf_t out;
    size_t out_off;
} stream_t;

/* Waits for a snapshot newer than the last one sent (the first event goes out
 * at once) and renders it as one event into st->out, or a heartbeat comment
 * after WEB_EVENT_HEARTBEAT_S. Returns -1 when the server is stopping. */
static int s_events_next(stream_t *st) {
    web_t *w = st->w;
    struct timespec until;
    if (clock_gettime(CLOCK_MONOTONIC, &until) != 0) xfatal("clock_gettime(CLOCK_MONOTONIC)");
    until.tv_sec += WEB_EVENT_HEARTBEAT_S;
    s_lock(w);
    while (!w->stopping && st->sent_any && w->seq == st->seq) {
        int rc = pthread_cond_timedwait(&w->published, &w->lock, &until);
        if (rc == ETIMEDOUT) break;
        if (rc != 0) xfatal("pthread_cond_timedwait");
    }
    bool stop = w->stopping, fresh = !st->sent_any || w->seq != st->seq;
    held_t *h = NULL;
    if (fresh && !stop && (h = w->current)) h->refs++;
    st->seq = w->seq;
    s_unlock(w);
    if (stop) return -1;
    if (!fresh) {
        strbuf_append_str(&st->out, ": heartbeat\n\n");
        return 0;
    }
    if (!st->sent_any) strbuf_append_str(&st->out, "retry: 1000\n");
    st->sent_any = true;
    strbuf_append_str(&st->out, "data: ");
    webstate_json(h ? h->s : NULL, &st->out);
    strbuf_append_str(&st->out, "\n\n");
    s_release(w, h);
    return 0;
}

static ssize_t s_events_read(void *cls, uint64_t pos, char *buf, size_t max) {
    (void)pos;
    stream_t *st = cls;
    if (st->out_off == st->out.len) {
        strbuf_reset(&st->out);
        st->out_off = 0;
        if (s_events_next(st) != 0) return MHD_CONTENT_READER_END_OF_STREAM;
    }
    size_t n = st->out.len - st->out_off;
    if (n > max) n = max;
    memcpy(buf, st->out.data + st->out_off, n);
    st->out_off += n;
    return (ssize_t)n;
}

static void s_events_free(void *cls) {
    stream_t *st = cls;
    s_lock(st->w);
    st->w->streams--;
    s_unlock(st->w);
    strbuf_fini(&st->out);
    free(st);
}

/* GET /events: Server-Sent Events, one "data:" line of webstate_json per
 * published snapshot. At most WEB_MAX_EVENT_STREAMS at once (each holds a
 * connection thread); every stream ends when the server stops. */
static enum MHD_Result s_events(web_t *w, struct MHD_Connection *c) {
    s_lock(w);
    bool full = w->stopping || w->streams >= WEB_MAX_EVENT_STREAMS;
    if (!full) w->streams++;
    s_unlock(w);
    if (full) return s_json_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "too many event streams");
    stream_t *st = xcalloc(1, sizeof *st);
    st->w = w;
    strbuf_init(&st->out);
    struct MHD_Response *r = MHD_create_response_from_callback(
        MHD_SIZE_UNKNOWN, WEB_EVENT_BLOCK_BYTES, s_events_read, st, s_events_free);
    if (!r) {
        s_events_free(st);
        return MHD_NO;
    }
    enum MHD_Result ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                                                 "text/event-stream; charset=utf-8");
    if (ok == MHD_YES) ok = MHD_add_response_header(r, "Cache-Control", "no-store");
    if (ok == MHD_YES) ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r); /* frees st through s_events_free when MHD is done */
    return ok;
}

/* The page's routes: its files (GET / and the asset paths), GET /api/state
 * and GET /events. False when url is none of them. */
static bool s_page_route(web_t *w, struct MHD_Connection *c, const char *url, bool get,
                         enum MHD_Result *rc) {
    const web_asset_t *a = assets_find(url);
    bool api = strcmp(url, "/api/state") == 0, events = strcmp(url, "/events") == 0;
    if (!a && !api && !events) return false;
    if (!get) {
        *rc = s_json_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET");
    } else if (a) {
        *rc = s_send_asset(c, a);
    } else if (events) {
        *rc = s_events(w, c);
    } else {
        held_t *h = s_acquire(w);
        strbuf_t b;
        strbuf_init(&b);
        webstate_json(h ? h->s : NULL, &b);
        s_release(w, h);
        *rc = s_send(c, MHD_HTTP_OK, "application/json", &b, NULL);
    }
    return true;
}

/* Host and Origin checks for a state-changing request; 0 = allowed. */
static enum MHD_Result s_refused(web_t *w, struct MHD_Connection *c, bool *refused) {
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
    *refused = true;
    if (!websec_host_ok(host, &w->addr, w->port))
        return s_json_error(c, MHD_HTTP_FORBIDDEN, "the Host header does not name this server");
    if (!websec_origin_ok(origin, &w->addr, w->port) || !websec_fetch_site_ok(site))
        return s_json_error(c, MHD_HTTP_FORBIDDEN,
                            "a request from another origin may not change the run");
    *refused = false;
    return MHD_YES;
}

static enum MHD_Result s_route(web_t *w, struct MHD_Connection *c, const char *url,
                               const char *method, req_t *q) {
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    bool post = strcmp(method, "POST") == 0;
    bool command = strcmp(url, "/stop") == 0 || strcmp(url, "/stats/reset") == 0;
    /* GET, as Locust has it; never HEAD, which a client may send to look. */
    bool changes = (post && strcmp(url, "/swarm") == 0) || (command && strcmp(method, "GET") == 0);
    if (command && !changes) return s_json_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET");
    if (changes) {
        bool refused;
        enum MHD_Result rc = s_refused(w, c, &refused);
        if (refused) return rc;
        if (post) return s_swarm(w, c, q);
        return s_simple_cmd(w, c, strcmp(url, "/stop") == 0 ? WEB_CMD_STOP : WEB_CMD_RESET);
    }
    for (size_t i = 0; i < sizeof s_docs / sizeof s_docs[0]; i++)
        if (strcmp(url, s_docs[i].path) == 0) {
            if (!get) return s_json_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET");
            return s_get_doc(w, c, i);
        }
    if (strcmp(url, "/swarm") == 0) return s_json_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "use POST");
    enum MHD_Result page_rc;
    if (s_page_route(w, c, url, get, &page_rc)) return page_rc;
    /* ---- history and compare (web/history.h) ---- */
    if (strncmp(url, "/api/", 5) == 0) return s_api(w, c, url, get);
    /* ---- end history ---- */
    return s_json_error(c, MHD_HTTP_NOT_FOUND, "no such page");
}

static enum MHD_Result s_handle(void *cls, struct MHD_Connection *c, const char *url,
                                const char *method, const char *version, const char *upload,
                                size_t *upload_bytes, void **con_cls) {
    (void)version;
    web_t *w = cls;
    req_t *q = *con_cls;
    if (!q) {
        q = xcalloc(1, sizeof *q);
        strbuf_init(&q->body);
        *con_cls = q;
        return MHD_YES;
    }
    if (*upload_bytes > 0) {
        if (q->body.len + *upload_bytes > WEB_MAX_BODY_BYTES)
            q->too_big = true;
        else
            strbuf_append(&q->body, upload, *upload_bytes);
        *upload_bytes = 0;
        return MHD_YES;
    }
    if (w->auth) {
        const char *a =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
        if (!websec_basic_ok(a, w->auth))
            return s_json_error(c, MHD_HTTP_UNAUTHORIZED, "authentication required");
    }
    return s_route(w, c, url, method, q);
}

static void s_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                        enum MHD_RequestTerminationCode why) {
    (void)cls, (void)c, (void)why;
    req_t *q = *con_cls;
    if (!q) return;
    strbuf_fini(&q->body);
    free(q);
    *con_cls = NULL;
}

/* ---------------------------------------------------------------- lifecycle */

/* The port MHD bound (the real one when 0 was asked); 0 with *err on failure. */
static uint16_t s_bound_port(struct MHD_Daemon *d, char **err) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    if (!info || info->port == 0) {
        *err = xasprintf("MHD_get_daemon_info(BIND_PORT) (%s:%d): no port", __FILE__, __LINE__);
        return 0;
    }
    return info->port;
}

web_t *web_new(const web_opts_t *o, char **err) {
    web_t *w = xcalloc(1, sizeof *w);
    *err = NULL;
    if (websec_addr_parse(o->addr, &w->addr, err) != 0) goto fail;
    if (!websec_bind_allowed(&w->addr, o->auth != NULL, o->insecure)) {
        *err = xasprintf("web address '%s' is beyond loopback: give --web-auth USER:PASSWORD, "
                         "or --insecure to serve it to anyone who can reach it",
                         o->addr);
        goto fail;
    }
    if (o->auth && !strchr(o->auth, ':')) {
        *err = xstrdup("web auth must be USER:PASSWORD");
        goto fail;
    }
    w->history = history_new(o->results_dir, err);
    if (!w->history) goto fail;
    int rc = pthread_mutex_init(&w->lock, NULL);
    if (rc != 0) {
        *err = xasprintf("pthread_mutex_init (%s:%d): %s", __FILE__, __LINE__, strerror(rc));
        goto fail;
    }
    rc = s_cond_init(&w->published);
    if (rc != 0) {
        *err = xasprintf("pthread_cond_init (%s:%d): %s", __FILE__, __LINE__, strerror(rc));
        pthread_mutex_destroy(&w->lock);
        goto fail;
    }
    w->auth = o->auth ? xstrdup(o->auth) : NULL;
    w->answer_wait_ms = o->answer_wait_ms ? o->answer_wait_ms : WEB_ANSWER_WAIT_S * 1000u;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
    if (w->addr.v6) flags |= MHD_USE_IPv6;
    errno = 0;
    w->daemon = MHD_start_daemon(flags, w->addr.port, NULL, NULL, s_handle, w, MHD_OPTION_SOCK_ADDR,
                                 (struct sockaddr *)&w->addr.sa, MHD_OPTION_NOTIFY_COMPLETED,
                                 s_completed, w, MHD_OPTION_CONNECTION_LIMIT,
                                 (unsigned)WEB_MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
                                 (unsigned)WEB_CONNECTION_TIMEOUT_S, MHD_OPTION_END);
    if (!w->daemon) {
        *err = xasprintf("MHD_start_daemon on %s (%s:%d): %s", o->addr, __FILE__, __LINE__,
                         errno ? strerror(errno) : "failed");
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->published);
        free(w->auth);
        goto fail;
    }
    w->port = s_bound_port(w->daemon, err);
    if (*err) {
        web_destroy(&w);
        return NULL;
    }
    w->url = w->addr.v6 ? xasprintf("http://[%s]:%u/", w->addr.host, w->port)
                        : xasprintf("http://%s:%u/", w->addr.host, w->port);
    return w;
fail:
    history_destroy(&w->history);
    free(w);
    return NULL;
}

void web_destroy(web_t **pw) {
    if (!pw || !*pw) return;
    web_t *w = *pw;
    s_lock(w); /* wake every event stream: each ends, so the joins below return */
    w->stopping = true;
    int rc = pthread_cond_broadcast(&w->published);
    if (rc != 0) xfatal("pthread_cond_broadcast");
    s_unlock(w);
    MHD_stop_daemon(w->daemon); /* joins every connection thread */
    s_release(w, w->current);
    web_cmd_t c;
    while (web_take_command(w, &c))
        web_cmd_fini(&c);
    pthread_mutex_destroy(&w->lock);
    history_destroy(&w->history);
    pthread_cond_destroy(&w->published);
    free(w->auth);
    free(w->url);
    free(w);
    *pw = NULL;
}
