/* render: per-request rendering of templated URLs, headers and bodies. */
#include "worker/render.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xmalloc.h"
#include "scenarios/encode.h"

void render_user_init(vuser_t *u) {
    const scenario_class_t *cls = u->cls->cls;
    u->n_values = cls->n_vars;
    u->values = xcalloc(u->n_values ? u->n_values : 1, sizeof *u->values);
    u->value_ptrs = xcalloc(u->n_values ? u->n_values : 1, sizeof *u->value_ptrs);
    u->value_lens = xcalloc(u->n_values ? u->n_values : 1, sizeof *u->value_lens);
    for (size_t i = 0; i < u->n_values; i++) strbuf_init(&u->values[i]);
    strbuf_init(&u->url);
    strbuf_init(&u->body);
    strbuf_init(&u->header_text);
    strbuf_init(&u->response);
    strbuf_init(&u->scratch);
    u->header_nodes = xcalloc(u->cls->max_headers + 1, sizeof *u->header_nodes);
}

void render_user_fini(vuser_t *u) {
    for (size_t i = 0; i < u->n_values; i++) strbuf_fini(&u->values[i]);
    free(u->values);
    free(u->value_ptrs);
    free(u->value_lens);
    strbuf_fini(&u->url);
    strbuf_fini(&u->body);
    strbuf_fini(&u->header_text);
    strbuf_fini(&u->response);
    strbuf_fini(&u->scratch);
    free(u->header_nodes);
}

void render_set_var(vuser_t *u, size_t slot, const char *value, size_t len) {
    if (slot >= u->n_values) return;
    strbuf_t *v = &u->values[slot];
    strbuf_reset(v);
    strbuf_append(v, value, len);
    u->value_ptrs[slot] = v->data;
    u->value_lens[slot] = v->len;
}

static template_ctx_t s_ctx(vuser_t *u, rng_t *rng) {
    return (template_ctx_t){.values = u->value_ptrs,
                            .value_lens = u->value_lens,
                            .row = u->row,
                            .user_id = u->user_id,
                            .worker_id = u->worker_id,
                            .seq = &u->seq,
                            .rng = rng};
}

void render_vars(vuser_t *u, rng_t *rng) {
    const scenario_class_t *cls = u->cls->cls;
    strbuf_t tmp;
    strbuf_init(&tmp);
    for (size_t i = 0; i < cls->n_var_defs; i++) {
        template_ctx_t ctx = s_ctx(u, rng);
        strbuf_reset(&tmp);
        template_render(cls->var_defs[i], &ctx, &tmp);
        render_set_var(u, i, strbuf_str(&tmp), tmp.len);
    }
    strbuf_fini(&tmp);
}

static void s_render_url(vuser_t *u, const plan_step_t *st, const template_ctx_t *ctx) {
    const scenario_request_t *rq = st->req;
    strbuf_t *b = &u->url;
    strbuf_reset(b);
    /* The loader guarantees a path starts with '/' or is an absolute URL. */
    if (rq->path[0] == '/') strbuf_append_str(b, u->host);
    template_render(rq->tpath, ctx, b);
    char sep = strchr(strbuf_str(b), '?') ? '&' : '?';
    for (size_t i = 0; i < rq->n_query; i++) {
        strbuf_append_char(b, sep);
        sep = '&';
        scenario_encode_percent(b, rq->query[i].name, strlen(rq->query[i].name));
        strbuf_append_char(b, '=');
        template_render(rq->query[i].tvalue, ctx, b);
    }
}

/* Renders every header line into one buffer, then points the user's
 * preallocated list nodes at them (the buffer may move while it grows). */
static struct curl_slist *s_render_headers(vuser_t *u, const plan_step_t *st,
                                           const template_ctx_t *ctx) {
    strbuf_t *b = &u->header_text;
    strbuf_reset(b);
    size_t offsets[st->n_headers + 1];
    size_t n = 0;
    bool has_type = false;
    for (size_t i = 0; i < st->n_headers; i++) {
        offsets[n++] = b->len;
        strbuf_append_str(b, st->headers[i].name);
        strbuf_append(b, ": ", 2);
        template_render(st->headers[i].value, ctx, b);
        strbuf_append_char(b, '\0');
        has_type |= strcasecmp(st->headers[i].name, "Content-Type") == 0;
    }
    if (st->req->content_type && !has_type) {
        offsets[n++] = b->len;
        strbuf_appendf(b, "Content-Type: %s", st->req->content_type);
        strbuf_append_char(b, '\0');
    }
    for (size_t i = 0; i < n; i++) {
        u->header_nodes[i].data = b->data + offsets[i];
        u->header_nodes[i].next = i + 1 < n ? &u->header_nodes[i + 1] : NULL;
    }
    return n ? u->header_nodes : NULL;
}

/* curl_easy_setopt keeping the first failure in *first (setopt fails only
 * when curl is out of memory or was built without a feature). */
#define s_setopt(first, easy, opt, value)                                                          \
    do {                                                                                           \
        CURLcode rc_ = curl_easy_setopt((easy), (opt), (value));                                   \
        if (rc_ != CURLE_OK && *(first) == CURLE_OK) *(first) = rc_;                               \
    } while (0)

/* TLS, HTTP version, reuse, compression and proxy options, set when they
 * differ from the handle's:
 * setting a blob allocates inside libcurl, and most steps share them. */
static void s_configure_transport(vuser_t *u, const plan_transport_t *t, CURLcode *first) {
    if (u->transport && plan_transport_equal(u->transport, t)) return;
    CURL *c = u->easy;
    CURLcode rc = CURLE_OK;
    s_setopt(&rc, c, CURLOPT_SSL_VERIFYPEER, t->verify);
    s_setopt(&rc, c, CURLOPT_SSL_VERIFYHOST, t->verify ? 2L : 0L);
    /* NULL clears a blob: the system CAs, no client certificate. */
    s_setopt(&rc, c, CURLOPT_CAINFO_BLOB, t->ca.data ? &t->ca : NULL);
    s_setopt(&rc, c, CURLOPT_SSLCERT_BLOB, t->cert.data ? &t->cert : NULL);
    s_setopt(&rc, c, CURLOPT_SSLKEY_BLOB, t->key.data ? &t->key : NULL);
    s_setopt(&rc, c, CURLOPT_SSLVERSION, t->ssl_version);
    s_setopt(&rc, c, CURLOPT_HTTP_VERSION, t->http_version);
    /* NULL: no Accept-Encoding and no decoding, the body as the server sent it. */
    s_setopt(&rc, c, CURLOPT_ACCEPT_ENCODING, t->accept_encoding);
    /* No proxy is "" with every host excluded (multi_prepare's, so the
     * environment is never read); a proxy clears the exclusion. */
    s_setopt(&rc, c, CURLOPT_PROXY, t->proxy ? t->proxy : "");
    s_setopt(&rc, c, CURLOPT_NOPROXY, t->proxy ? "" : "*");
    /* Only when it changes: the connection policy owns FRESH_CONNECT otherwise. */
    if (t->no_reuse || (u->transport && u->transport->no_reuse)) {
        s_setopt(&rc, c, CURLOPT_FRESH_CONNECT, t->no_reuse ? 1L : 0L);
        s_setopt(&rc, c, CURLOPT_FORBID_REUSE, t->no_reuse ? 1L : 0L);
    }
    u->transport = rc == CURLE_OK ? t : NULL;
    if (*first == CURLE_OK) *first = rc;
}

/* Options that depend only on the step, set when the step changes. */
const char *render_custom_method(const char *method, bool has_body) {
    if (strcmp(method, "POST") == 0 || strcmp(method, "HEAD") == 0) return NULL;
    /* A body makes curl send POST (POSTFIELDS): a GET with a body stays a GET. */
    if (strcmp(method, "GET") == 0 && !has_body) return NULL;
    return method;
}

static CURLcode s_configure_constant(vuser_t *u, const plan_step_t *st) {
    CURL *c = u->easy;
    CURLcode first = CURLE_OK;
    const scenario_request_t *rq = st->req;
    if (st->static_url) s_setopt(&first, c, CURLOPT_URL, st->static_url);
    if (!st->dynamic_headers) s_setopt(&first, c, CURLOPT_HTTPHEADER, st->static_headers);
    s_setopt(&first, c, CURLOPT_TIMEOUT_MS, st->timeout_ms);
    s_setopt(&first, c, CURLOPT_FOLLOWLOCATION, st->follow_redirects);
    s_setopt(&first, c, CURLOPT_CUSTOMREQUEST, NULL);
    s_configure_transport(u, &st->transport, &first);
    bool has_body = rq->tbody != NULL;
    if (strcmp(rq->method, "HEAD") == 0) {
        s_setopt(&first, c, CURLOPT_NOBODY, 1L);
    } else if (has_body || strcmp(rq->method, "POST") == 0) {
        s_setopt(&first, c, CURLOPT_NOBODY, 0L);
        if (!st->dynamic_body) {
            s_setopt(&first, c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)st->static_body_bytes);
            s_setopt(&first, c, CURLOPT_POSTFIELDS, st->static_body ? st->static_body : "");
        }
    } else {
        s_setopt(&first, c, CURLOPT_HTTPGET, 1L);
    }
    const char *custom = render_custom_method(rq->method, has_body);
    if (custom) s_setopt(&first, c, CURLOPT_CUSTOMREQUEST, custom);
    if (first == CURLE_OK) u->configured = st;
    return first;
}

/* A new user opens its own connection, as a new Locust user does: asking
 * curl's pool instead means a walk over every connection in use, and a
 * quadratic stall when thousands of users start at once. Later requests
 * reuse whatever idle connection the pool has. */
static CURLcode s_connection_policy(vuser_t *u) {
    if (u->conn_state == 2) return CURLE_OK;
    CURLcode rc = curl_easy_setopt(u->easy, CURLOPT_FRESH_CONNECT, u->conn_state == 0 ? 1L : 0L);
    if (rc == CURLE_OK) u->conn_state++;
    return rc;
}

CURLcode render_step(vuser_t *u, const plan_step_t *st, rng_t *rng) {
    u->curl_error[0] = '\0'; /* a message left from an earlier transfer names nothing now */
    CURLcode first = s_connection_policy(u);
    if (u->configured != st) {
        CURLcode rc = s_configure_constant(u, st);
        if (first == CURLE_OK) first = rc;
    }
    bool dynamic_url = !st->static_url;
    if (!dynamic_url && !st->dynamic_headers && !st->dynamic_body) return first;
    template_ctx_t ctx = s_ctx(u, rng);
    CURL *c = u->easy;
    if (dynamic_url) {
        s_render_url(u, st, &ctx);
        s_setopt(&first, c, CURLOPT_URL, u->url.data);
    }
    if (st->dynamic_headers) s_setopt(&first, c, CURLOPT_HTTPHEADER, s_render_headers(u, st, &ctx));
    if (st->dynamic_body) {
        strbuf_reset(&u->body);
        template_render(st->req->tbody, &ctx, &u->body);
        s_setopt(&first, c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)u->body.len);
        s_setopt(&first, c, CURLOPT_POSTFIELDS, strbuf_str(&u->body));
    }
    return first;
}
