/* describe: a scenario's plan as text, for `barrage validate`. */
#include "master/describe.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>

#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "load/split.h"
#include "master/loadplan.h"

static const char *const s_orders[] = {"sequential", "random", "unique"};

/* Durations as a scenario would write them: 500ms, 2s, 1m30s, 1h. */
static const char *s_ms(uint64_t ms, char *buf, size_t buf_bytes) {
    if (ms % 1000 != 0 || ms == 0) {
        snprintf(buf, buf_bytes, "%" PRIu64 "ms", ms);
        return buf;
    }
    uint64_t s = ms / 1000, h = s / 3600, m = s / 60 % 60;
    size_t o = 0;
    buf[0] = '\0';
    if (h) o += (size_t)snprintf(buf + o, buf_bytes - o, "%" PRIu64 "h", h);
    if (m && o < buf_bytes) o += (size_t)snprintf(buf + o, buf_bytes - o, "%" PRIu64 "m", m);
    if (s % 60 && o < buf_bytes) snprintf(buf + o, buf_bytes - o, "%" PRIu64 "s", s % 60);
    return buf;
}

/* The tls: keys and http: a request or the defaults set, one line each, or nothing. */
static void s_transport(FILE *out, const scenario_tls_t *t, scenario_http_t http,
                        const char *indent) {
    static const char *const versions[] = {"", "1.2", "1.3"};
    strbuf_t b;
    strbuf_init(&b);
    if (t->verify >= 0) strbuf_appendf(&b, ", verify %s", t->verify ? "on" : "off");
    if (t->ca.name) strbuf_appendf(&b, ", ca %s", t->ca.name);
    if (t->cert.name) strbuf_appendf(&b, ", client cert %s", t->cert.name);
    if (t->key.name) strbuf_appendf(&b, ", key %s", t->key.name);
    if (t->min_version) strbuf_appendf(&b, ", TLS >= %s", versions[t->min_version]);
    if (b.len) fprintf(out, "%stls %s\n", indent, strbuf_str(&b) + 2);
    strbuf_fini(&b);
    if (http != SCENARIO_HTTP_UNSET) fprintf(out, "%shttp %s\n", indent, scenario_http_name(http));
}

/* compression: and proxy: a request or the defaults set, one line each, or nothing. */
static void s_reach(FILE *out, const scenario_compression_t *c, const char *proxy,
                    const char *indent) {
    if (c->set == 0) fprintf(out, "%scompression off\n", indent);
    if (c->set == 1)
        fprintf(out, "%scompression %s\n", indent, *c->accept ? c->accept : "all libcurl has");
    if (proxy) fprintf(out, "%sproxy %s\n", indent, proxy);
}

/* connections: and resolve: (defaults only), when set. */
static void s_pool(FILE *out, const scenario_t *sc, const char *indent) {
    const scenario_connections_t *c = &sc->connections;
    if (c->mode == SCENARIO_CONN_NEW) fprintf(out, "%sconnections new: one per request\n", indent);
    if (c->mode == SCENARIO_CONN_SHARED)
        fprintf(out,
                "%sconnections shared: at most %" PRIu32 " per host per worker, %" PRIu32
                " HTTP/2 streams each\n",
                indent, c->shared, c->streams);
    for (size_t i = 0; i < sc->n_resolve; i++)
        fprintf(out, "%sresolve %s\n", indent, sc->resolve[i]);
}

/* The load line of a plan resolved with the command line's flags. */
static void s_resolved_load(FILE *out, const loadplan_t *lp) {
    char a[32];
    char *stages = loadplan_stages_text(lp->stages, lp->n_stages);
    if (lp->open) {
        fprintf(out, "load:      open model, %g iterations/s", lp->rate);
        if (lp->n_stages) fprintf(out, " at the peak, stages %s", stages);
        fprintf(out, ", at most %" PRIu32 " at once", lp->max_users);
    } else {
        fprintf(out, "load:      closed model, %" PRIu32 " users", lp->users);
        if (lp->n_stages) fprintf(out, " at the peak, stages %s", stages);
        if (lp->spawn_rate > 0) fprintf(out, ", %g started/s", lp->spawn_rate);
    }
    if (lp->duration_ms) fprintf(out, ", for %s", s_ms(lp->duration_ms, a, sizeof a));
    fprintf(out, " (with the command line's flags)");
    free(stages);
}

static void s_load(FILE *out, const scenario_t *sc, uint32_t users, const loadplan_t *lp) {
    char a[32], b[32];
    const scenario_load_t *l = &sc->load;
    if (lp) {
        s_resolved_load(out, lp);
    } else if (l->rate > 0 || l->stages_kind == SCENARIO_STAGES_RATE) {
        fprintf(out, "load:      open model, %g iterations/s", l->rate);
        if (l->n_stages) fprintf(out, " at the start, then %zu stages", l->n_stages);
        if (l->max_users) fprintf(out, ", at most %" PRIu32 " at once", l->max_users);
    } else if (l->n_stages) {
        fprintf(out, "load:      closed model, %" PRIu32 " users at the start, then %zu stages",
                l->users, l->n_stages);
    } else {
        if (users)
            fprintf(out, "load:      closed model, %" PRIu32 " users", users);
        else
            fprintf(out, "load:      closed model, users not set (pass -u)");
        if (l->spawn_rate > 0) fprintf(out, ", %g started/s", l->spawn_rate);
    }
    if (!lp && l->duration_ms) fprintf(out, ", for %s", s_ms(l->duration_ms, a, sizeof a));
    for (size_t i = 0; !lp && i < l->n_stages; i++)
        fprintf(out, "\n           stage %zu: to %g %s over %s", i + 1, l->stages[i].target,
                l->stages_kind == SCENARIO_STAGES_RATE ? "iterations/s" : "users",
                s_ms(l->stages[i].duration_ms, a, sizeof a));
    fprintf(out, "\ndefaults:  timeout %s, redirects %s\n",
            s_ms(sc->default_timeout_ms, b, sizeof b),
            sc->default_follow_redirects ? "followed" : "not followed");
    for (size_t i = 0; i < sc->default_headers.n; i++)
        fprintf(out, "           %s: %s\n", sc->default_headers.items[i].name,
                sc->default_headers.items[i].value);
    s_transport(out, &sc->default_tls, sc->default_http, "           ");
    s_reach(out, &sc->default_compression, sc->default_proxy, "           ");
    s_pool(out, sc, "           ");
}

static void s_data(FILE *out, const scenario_data_t *d) {
    if (!d) return;
    fprintf(out, "data:      %s: %zu rows, order %s, columns", d->file, d->n_rows,
            s_orders[d->order]);
    for (size_t c = 0; c < d->n_columns; c++)
        fprintf(out, "%s %s", c ? "," : "", d->columns[c]);
    fputc('\n', out);
}

static void s_thresholds(FILE *out, const scenario_t *sc) {
    for (size_t i = 0; i < sc->n_thresholds; i++) {
        const scenario_threshold_t *t = &sc->thresholds[i];
        fprintf(out, "%s%s", i == 0 ? "thresholds: " : "            ", t->text);
        if (t->name) fprintf(out, "  (for %s)", t->name);
        fputc('\n', out);
    }
}

/* open: the open model, where the schedule starts iterations and think is not applied. */
static void s_think(FILE *out, const scenario_think_t *t, bool open) {
    char a[32], b[32];
    fprintf(out, "  think:   ");
    switch (t->kind) {
    case SCENARIO_THINK_NONE:
        fprintf(out, "none");
        break;
    case SCENARIO_THINK_CONSTANT:
        fprintf(out, "%s after each task", s_ms(t->min_ms, a, sizeof a));
        break;
    case SCENARIO_THINK_BETWEEN:
        fprintf(out, "between %s and %s after each task", s_ms(t->min_ms, a, sizeof a),
                s_ms(t->max_ms, b, sizeof b));
        break;
    case SCENARIO_THINK_PACING:
        fprintf(out, "pacing: a task every %s", s_ms(t->min_ms, a, sizeof a));
        break;
    }
    if (open && t->kind != SCENARIO_THINK_NONE)
        fprintf(out, " (not applied: in the open model the schedule starts iterations)");
    fputc('\n', out);
}

static void s_expect(FILE *out, const scenario_expect_t *e, const char *indent) {
    char a[32];
    if (e->n_statuses) {
        fprintf(out, "%sexpect status", indent);
        for (size_t i = 0; i < e->n_statuses; i++)
            fprintf(out, "%s %d", i ? " or" : "", e->statuses[i]);
        fputc('\n', out);
    }
    if (e->body_contains) fprintf(out, "%sexpect body contains \"%s\"\n", indent, e->body_contains);
    for (size_t i = 0; i < e->n_json; i++)
        fprintf(out, "%sexpect %s == %s\n", indent, e->json[i].path_text, e->json[i].equals);
    if (e->max_duration_ms)
        fprintf(out, "%sexpect faster than %s\n", indent, s_ms(e->max_duration_ms, a, sizeof a));
}

/* "METHOD path  (name)", then its query, body, captures and expects, indented. */
static void s_request(FILE *out, const scenario_request_t *r, const char *lead,
                      const char *indent) {
    fprintf(out, "%s%s %s  (%s)\n", lead, r->method, r->path, r->name);
    for (size_t i = 0; i < r->n_query; i++)
        fprintf(out, "%squery %s=%s\n", indent, r->query[i].name, r->query[i].value);
    if (r->content_type)
        fprintf(out, "%sbody %s, %zu bytes\n", indent, r->content_type, r->body_bytes);
    for (size_t i = 0; i < r->headers.n; i++)
        fprintf(out, "%sheader %s: %s\n", indent, r->headers.items[i].name,
                r->headers.items[i].value);
    if (r->follow_redirects >= 0)
        fprintf(out, "%sredirects %s\n", indent, r->follow_redirects ? "followed" : "not followed");
    s_transport(out, &r->tls, r->http, indent);
    s_reach(out, &r->compression, r->proxy, indent);
    for (size_t i = 0; i < r->n_captures; i++) {
        const scenario_capture_t *c = &r->captures[i];
        fprintf(out, "%scapture %s <- %s:%s\n", indent, c->var, scenario_capture_kind_name(c->kind),
                c->expr);
    }
    s_expect(out, &r->expect, indent);
}

static void s_vars(FILE *out, const scenario_class_t *c) {
    if (!c->n_vars) return;
    fprintf(out, "  variables:");
    for (size_t i = 0; i < c->n_vars; i++)
        fprintf(out, "%s %s (%s)", i ? "," : "", c->var_names[i],
                i < c->n_var_defs ? "vars" : "capture");
    fputc('\n', out);
}

static void s_tasks(FILE *out, const scenario_class_t *c) {
    uint64_t total = 0;
    for (size_t i = 0; i < c->n_tasks; i++)
        total += c->tasks[i].weight;
    fprintf(out, "  tasks (picked by weight):\n");
    for (size_t i = 0; i < c->n_tasks; i++) {
        const scenario_task_t *t = &c->tasks[i];
        char lead[32];
        snprintf(lead, sizeof lead, "    %5.1f%%  ",
                 total ? 100.0 * t->weight / (double)total : 0.0);
        if (!t->name) {
            s_request(out, &t->steps[0], lead, "              ");
            continue;
        }
        fprintf(out, "%s%s: %zu steps in order\n", lead, t->name, t->n_steps);
        for (size_t k = 0; k < t->n_steps; k++) {
            char step_lead[48];
            snprintf(step_lead, sizeof step_lead, "              %zu. ", k + 1);
            s_request(out, &t->steps[k], step_lead, "                 ");
        }
    }
}

static void s_class(FILE *out, const scenario_class_t *c, uint32_t users, uint32_t total_users,
                    bool open) {
    fprintf(out, "\nclass %s  weight %" PRIu32, c->name, c->weight);
    if (total_users) fprintf(out, "  -> %" PRIu32 " of %" PRIu32 " users", users, total_users);
    fputc('\n', out);
    s_think(out, &c->think, open);
    s_vars(out, c);
    for (size_t i = 0; i < c->headers.n; i++)
        fprintf(out, "  header:  %s: %s\n", c->headers.items[i].name, c->headers.items[i].value);
    if (c->n_on_start) fprintf(out, "  on_start (once per user):\n");
    for (size_t i = 0; i < c->n_on_start; i++)
        s_request(out, &c->on_start[i], "    ", "        ");
    if (c->n_on_stop) fprintf(out, "  on_stop (once per user, when it stops; closed model):\n");
    for (size_t i = 0; i < c->n_on_stop; i++)
        s_request(out, &c->on_stop[i], "    ", "        ");
    s_tasks(out, c);
}

static void s_describe(FILE *out, const scenario_t *sc, uint32_t users, bool open,
                       const loadplan_t *lp, const char *host) {
    fprintf(out, "scenario:  %s (%s)\n", sc->name, sc->file);
    fprintf(out, "host:      %s\n", host ? host : "(not set: pass -H)");
    s_load(out, sc, users, lp);
    s_data(out, sc->data);
    s_thresholds(out, sc);
    uint32_t *weights = xcalloc(sc->n_classes + 1, sizeof *weights);
    uint32_t *per_class = xcalloc(sc->n_classes + 1, sizeof *per_class);
    for (size_t i = 0; i < sc->n_classes; i++)
        weights[i] = sc->classes[i].weight;
    bool split = users && !open && split_classes(users, weights, sc->n_classes, per_class) == 0;
    for (size_t i = 0; i < sc->n_classes; i++)
        s_class(out, &sc->classes[i], per_class[i], split ? users : 0, open);
    free(per_class);
    free(weights);
}

void describe_scenario(FILE *out, const scenario_t *sc, uint32_t users) {
    bool open = sc->load.rate > 0 || sc->load.stages_kind == SCENARIO_STAGES_RATE;
    s_describe(out, sc, users ? users : sc->load.users, open, NULL, sc->host);
}

void describe_scenario_resolved(FILE *out, const scenario_t *sc, const loadplan_t *lp,
                                const char *host) {
    s_describe(out, sc, lp->open ? 0 : lp->users, lp->open, lp, host ? host : sc->host);
}
