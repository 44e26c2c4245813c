/* plan: compiles a scenario into ready-to-fire steps. */
#include "worker/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/strbuf.h"
#include "common/xmalloc.h"

static bool s_is_absolute(const char *path) {
    return strncmp(path, "http://", 7) == 0 || strncmp(path, "https://", 8) == 0;
}

/* The merged header list, most specific value of a name winning. */
static void s_merge_headers(plan_step_t *st, const scenario_headers_t *lists[3]) {
    size_t cap = lists[0]->n + lists[1]->n + lists[2]->n;
    st->headers = xcalloc(cap ? cap : 1, sizeof *st->headers);
    for (size_t l = 0; l < 3; l++) {
        for (size_t i = 0; i < lists[l]->n; i++) {
            const scenario_header_t *h = &lists[l]->items[i];
            size_t k = 0;
            while (k < st->n_headers && strcasecmp(st->headers[k].name, h->name) != 0) k++;
            st->headers[k] = (plan_header_t){h->name, h->tvalue};
            if (k == st->n_headers) st->n_headers++;
        }
    }
}

static bool s_has_header(const plan_step_t *st, const char *name) {
    for (size_t i = 0; i < st->n_headers; i++) {
        if (strcasecmp(st->headers[i].name, name) == 0) return true;
    }
    return false;
}

static struct curl_slist *s_static_headers(const plan_step_t *st, const char *content_type) {
    struct curl_slist *out = NULL;
    strbuf_t line;
    strbuf_init(&line);
    for (size_t i = 0; i <= st->n_headers; i++) {
        strbuf_reset(&line);
        if (i == st->n_headers) {
            if (!content_type || s_has_header(st, "Content-Type")) break;
            strbuf_appendf(&line, "Content-Type: %s", content_type);
        } else {
            strbuf_appendf(&line, "%s: %s", st->headers[i].name,
                           template_constant(st->headers[i].value));
        }
        struct curl_slist *next = curl_slist_append(out, strbuf_str(&line));
        if (!next) { /* curl_slist_append fails only on OOM: abort, as xmalloc does */
            fprintf(stderr, "barrage: out of memory: curl_slist_append (%s:%d)\n", __FILE__,
                    __LINE__);
            abort();
        }
        out = next;
    }
    strbuf_fini(&line);
    return out;
}

static void s_compile_headers(plan_step_t *st, const scenario_t *sc, const scenario_class_t *cls) {
    const scenario_request_t *rq = st->req;
    const scenario_headers_t *lists[3] = {&sc->default_headers, &cls->headers, &rq->headers};
    s_merge_headers(st, lists);
    for (size_t i = 0; i < st->n_headers; i++) {
        st->dynamic_headers |= !template_is_constant(st->headers[i].value);
    }
    if (!st->dynamic_headers) st->static_headers = s_static_headers(st, rq->content_type);
}

static void s_compile_url(plan_step_t *st, const char *host) {
    const scenario_request_t *rq = st->req;
    if (rq->n_query || !template_is_constant(rq->tpath)) return;
    const char *path = template_constant(rq->tpath);
    st->static_url = s_is_absolute(path) ? xstrdup(path) : xasprintf("%s%s", host, path);
}

static void s_compile_body(plan_step_t *st) {
    const template_t *tb = st->req->tbody;
    if (!tb) return;
    if (template_is_constant(tb)) {
        st->static_body = st->req->body;
        st->static_body_bytes = st->req->body_bytes;
    } else {
        st->dynamic_body = true;
    }
}

static char *s_status_list(const scenario_expect_t *e) {
    strbuf_t b;
    strbuf_init(&b);
    strbuf_append_str(&b, "status ");
    for (size_t i = 0; i < e->n_statuses; i++) {
        strbuf_appendf(&b, "%s%d", i == 0 ? "" : i + 1 == e->n_statuses ? " or " : ", ",
                       e->statuses[i]);
    }
    strbuf_append_str(&b, " expected");
    char *out = xstrdup(strbuf_str(&b));
    strbuf_fini(&b);
    return out;
}


static void s_compile_reasons(plan_step_t *st) {
    const scenario_request_t *rq = st->req;
    const scenario_expect_t *e = &rq->expect;
    if (e->n_statuses) st->why_status = s_status_list(e);
    if (e->body_contains) st->why_body = xasprintf("body lacks \"%s\"", e->body_contains);
    st->why_json = xcalloc(e->n_json ? e->n_json : 1, sizeof *st->why_json);
    st->why_json_absent = xcalloc(e->n_json ? e->n_json : 1, sizeof *st->why_json_absent);
    for (size_t i = 0; i < e->n_json; i++) {
        st->why_json[i] = xasprintf("%s is not %s", e->json[i].path_text, e->json[i].equals);
        st->why_json_absent[i] = xasprintf("%s not found (expected %s)", e->json[i].path_text,
                                           e->json[i].equals);
    }
    if (e->max_duration_ms) st->why_duration = xasprintf("slower than %llu ms",
                                                         (unsigned long long)e->max_duration_ms);
    st->why_capture = xcalloc(rq->n_captures ? rq->n_captures : 1, sizeof *st->why_capture);
    for (size_t i = 0; i < rq->n_captures; i++) {
        const scenario_capture_t *c = &rq->captures[i];
        st->why_capture[i] = xasprintf("%s from %s:%s: not found", c->var,
                                       scenario_capture_kind_name(c->kind), c->expr);
        st->keep_body |= c->kind != SCENARIO_CAPTURE_HEADER && c->kind != SCENARIO_CAPTURE_COOKIE;
    }
    st->keep_body |= e->body_contains != NULL || e->n_json > 0;
}

static struct curl_blob s_blob(const scenario_file_t *f) {
    if (!f->name) return (struct curl_blob){0};
    return (struct curl_blob){
        .data = (void *)f->data, .len = f->data_bytes, .flags = CURL_BLOB_NOCOPY};
}

bool plan_h2c_reuse_works(unsigned version_num) {
    return version_num >= 0x080000u;
}

plan_transport_t plan_transport(const scenario_t *sc, const scenario_request_t *rq,
                                bool tls_no_verify, bool h2c_reuse) {
    scenario_tls_t tls = scenario_request_tls(sc, rq);
    plan_transport_t t = {
        .verify = tls.verify && !tls_no_verify ? 1 : 0,
        .ca = s_blob(&tls.ca),
        .cert = s_blob(&tls.cert),
        .key = s_blob(&tls.key),
        .ssl_version = tls.min_version == SCENARIO_TLS_1_3   ? CURL_SSLVERSION_TLSv1_3
                       : tls.min_version == SCENARIO_TLS_1_2 ? CURL_SSLVERSION_TLSv1_2
                                                             : CURL_SSLVERSION_DEFAULT,
    };
    t.no_reuse = sc->connections.mode == SCENARIO_CONN_NEW;
    t.accept_encoding = scenario_request_accept_encoding(sc, rq);
    t.proxy = scenario_request_proxy(sc, rq);
    switch (scenario_request_http(sc, rq)) {
    case SCENARIO_HTTP_2:
        t.http_version = CURL_HTTP_VERSION_2TLS;
        break;
    case SCENARIO_HTTP_H2C:
        t.http_version = CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE;
        t.no_reuse |= !h2c_reuse;
        break;
    case SCENARIO_HTTP_1_1:
    case SCENARIO_HTTP_UNSET:
    default:
        t.http_version = CURL_HTTP_VERSION_1_1;
    }
    return t;
}

uint32_t plan_asked(scenario_http_t http) {
    switch (http) {
    case SCENARIO_HTTP_2:
        return PROTO_ASKED_2;
    case SCENARIO_HTTP_H2C:
        return PROTO_ASKED_H2C;
    case SCENARIO_HTTP_1_1:
        return PROTO_ASKED_1_1;
    case SCENARIO_HTTP_UNSET:
    default:
        return PROTO_ASKED_NONE;
    }
}

static bool s_same_blob(const struct curl_blob *a, const struct curl_blob *b) {
    return a->data == b->data && a->len == b->len && a->flags == b->flags;
}

/* NULL only equals NULL; "" (all encodings) differs from NULL (none). */
static bool s_same_str(const char *a, const char *b) {
    return a == b || (a && b && !strcmp(a, b));
}

bool plan_transport_equal(const plan_transport_t *a, const plan_transport_t *b) {
    return a->verify == b->verify && s_same_blob(&a->ca, &b->ca) &&
           s_same_blob(&a->cert, &b->cert) && s_same_blob(&a->key, &b->key) &&
           a->ssl_version == b->ssl_version && a->http_version == b->http_version &&
           a->no_reuse == b->no_reuse && s_same_str(a->accept_encoding, b->accept_encoding) &&
           s_same_str(a->proxy, b->proxy);
}

plan_pool_t plan_pool(const scenario_connections_t *c) {
    switch (c->mode) {
    case SCENARIO_CONN_SHARED:
        return (plan_pool_t){.max_host_connections = (long)c->shared,
                             .max_streams = (long)c->streams};
    case SCENARIO_CONN_NEW:
        return (plan_pool_t){.own_pool = true};
    case SCENARIO_CONN_PER_USER:
    default:
        return (plan_pool_t){.own_pool = true, .fresh_first = true};
    }
}

uint64_t plan_wait_deadline_us(const plan_pool_t *pool, uint64_t started_us, long timeout_ms) {
    if (pool->own_pool || timeout_ms <= 0) return 0;
    return started_us + ((uint64_t)timeout_ms + PLAN_WAIT_GRACE_MS) * 1000u;
}

/* The resolve: entries as a curl list (NULL when there are none). */
static struct curl_slist *s_resolve_list(const scenario_t *sc) {
    struct curl_slist *out = NULL;
    for (size_t i = 0; i < sc->n_resolve; i++) {
        struct curl_slist *next = curl_slist_append(out, sc->resolve[i]);
        if (!next) { /* curl_slist_append fails only on OOM: abort, as xmalloc does */
            fprintf(stderr, "barrage: out of memory: curl_slist_append (%s:%d)\n", __FILE__,
                    __LINE__);
            abort();
        }
        out = next;
    }
    return out;
}

/* What every step of a plan shares: the flag and the host. */
typedef struct {
    const char *host;
    bool tls_no_verify;
    bool h2c_reuse;
    wstats_t *stats;
} s_env_t;

static void s_compile_step(plan_step_t *st, const scenario_t *sc, const scenario_class_t *cls,
                           const scenario_request_t *rq, const s_env_t *env) {
    const char *host = env->host;
    wstats_t *stats = env->stats;
    st->req = rq;
    st->slot = wstats_slot(stats, rq->method, rq->name ? rq->name : rq->path);
    st->transport = plan_transport(sc, rq, env->tls_no_verify, env->h2c_reuse);
    wstats_note_asked(stats, st->slot, plan_asked(scenario_request_http(sc, rq)));
    st->timeout_ms = (long)(rq->timeout_ms ? rq->timeout_ms : sc->default_timeout_ms);
    st->follow_redirects = rq->follow_redirects >= 0 ? rq->follow_redirects
                                                     : (long)sc->default_follow_redirects;
    s_compile_url(st, host);
    s_compile_headers(st, sc, cls);
    s_compile_body(st);
    s_compile_reasons(st);
}

static void s_compile_task(plan_task_t *pt, const scenario_request_t *reqs, size_t n,
                           const scenario_t *sc, const scenario_class_t *cls, const s_env_t *env) {
    pt->n_steps = n;
    pt->steps = xcalloc(n ? n : 1, sizeof *pt->steps);
    for (size_t s = 0; s < n; s++)
        s_compile_step(&pt->steps[s], sc, cls, &reqs[s], env);
}

static void s_note_headers(plan_class_t *pc, const plan_task_t *pt) {
    for (size_t s = 0; s < pt->n_steps; s++) {
        /* +1 for a Content-Type added for json:/form: bodies. */
        size_t n = pt->steps[s].n_headers + 1;
        if (n > pc->max_headers) pc->max_headers = n;
    }
}

static void s_compile_class(plan_class_t *pc, const scenario_t *sc, const scenario_class_t *cls,
                            const s_env_t *env) {
    pc->cls = cls;
    s_compile_task(&pc->on_start, cls->on_start, cls->n_on_start, sc, cls, env);
    s_note_headers(pc, &pc->on_start);
    s_compile_task(&pc->on_stop, cls->on_stop, cls->n_on_stop, sc, cls, env);
    s_note_headers(pc, &pc->on_stop);
    pc->n_tasks = cls->n_tasks;
    pc->tasks = xcalloc(cls->n_tasks, sizeof *pc->tasks);
    pc->cum_weight = xcalloc(cls->n_tasks, sizeof *pc->cum_weight);
    for (size_t t = 0; t < cls->n_tasks; t++) {
        const scenario_task_t *task = &cls->tasks[t];
        s_compile_task(&pc->tasks[t], task->steps, task->n_steps, sc, cls, env);
        s_note_headers(pc, &pc->tasks[t]);
        pc->total_weight += task->weight;
        pc->cum_weight[t] = pc->total_weight;
    }
}

plan_t *plan_new(const scenario_t *sc, const char *host, bool tls_no_verify, wstats_t *stats,
                 char **err) {
    if (!host || !*host) host = sc->host;
    if (!host || !*host) {
        *err = xstrdup("no host: set 'host' in the scenario or pass -H/--host");
        return NULL;
    }
    plan_t *p = xcalloc(1, sizeof *p);
    p->scenario = sc;
    size_t hl = strlen(host);
    while (hl > 0 && host[hl - 1] == '/') hl--;
    p->host = xstrndup(host, hl);
    p->n_classes = sc->n_classes;
    p->classes = xcalloc(sc->n_classes, sizeof *p->classes);
    p->pool = plan_pool(&sc->connections);
    p->resolve = s_resolve_list(sc);
    s_env_t env = {.host = p->host,
                   .tls_no_verify = tls_no_verify,
                   .h2c_reuse =
                       plan_h2c_reuse_works(curl_version_info(CURLVERSION_NOW)->version_num),
                   .stats = stats};
    for (size_t c = 0; c < sc->n_classes; c++)
        s_compile_class(&p->classes[c], sc, &sc->classes[c], &env);
    return p;
}

static void s_free_step(plan_step_t *st) {
    free(st->static_url);
    curl_slist_free_all(st->static_headers);
    free(st->headers);
    free(st->why_status);
    free(st->why_body);
    free(st->why_duration);
    for (size_t i = 0; i < st->req->expect.n_json; i++) {
        free(st->why_json[i]);
        free(st->why_json_absent[i]);
    }
    free(st->why_json);
    free(st->why_json_absent);
    for (size_t i = 0; i < st->req->n_captures; i++) free(st->why_capture[i]);
    free(st->why_capture);
}

static void s_free_task(plan_task_t *pt) {
    for (size_t s = 0; s < pt->n_steps; s++) s_free_step(&pt->steps[s]);
    free(pt->steps);
}

void plan_destroy(plan_t **plan) {
    if (!plan || !*plan) return;
    plan_t *p = *plan;
    for (size_t c = 0; c < p->n_classes; c++) {
        plan_class_t *pc = &p->classes[c];
        s_free_task(&pc->on_start);
        s_free_task(&pc->on_stop);
        for (size_t t = 0; t < pc->n_tasks; t++) s_free_task(&pc->tasks[t]);
        free(pc->tasks);
        free(pc->cum_weight);
    }
    free(p->classes);
    curl_slist_free_all(p->resolve);
    free(p->host);
    free(p);
    *plan = NULL;
}

const plan_task_t *plan_pick(const plan_class_t *c, uint64_t random) {
    if (c->total_weight == 0) return NULL;
    uint64_t x = random % c->total_weight;
    /* Binary search for the first cumulative weight above x. */
    size_t lo = 0, hi = c->n_tasks - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->cum_weight[mid] > x) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return &c->tasks[lo];
}
