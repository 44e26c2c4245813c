/* plan: compiles a scenario into ready-to-fire steps. */
#include "worker/plan.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xmalloc.h"

static bool s_is_absolute(const char *path) {
    return strncmp(path, "http://", 7) == 0 || strncmp(path, "https://", 8) == 0;
}

static char *s_url(const char *host, const char *path) {
    if (s_is_absolute(path)) return xstrdup(path);
    size_t hl = strlen(host);
    while (hl > 0 && host[hl - 1] == '/') hl--;
    return xasprintf("%.*s%s%s", (int)hl, host, path[0] == '/' ? "" : "/", path);
}

/* True if a header of this name appears in a higher-precedence list. */
static bool s_overridden(const char *name, const scenario_headers_t *const *above, size_t n) {
    for (size_t l = 0; l < n; l++) {
        for (size_t i = 0; i < above[l]->n; i++) {
            if (strcasecmp(above[l]->items[i].name, name) == 0) return true;
        }
    }
    return false;
}

static struct curl_slist *s_append(struct curl_slist *list, const char *name, const char *value) {
    char *line = xasprintf("%s: %s", name, value);
    struct curl_slist *next = curl_slist_append(list, line);
    free(line);
    if (!next) abort(); /* curl_slist_append fails only on OOM */
    return next;
}

/* Merges defaults < class < request: the most specific value of a name wins.
 * A json: body adds its Content-Type unless a header already sets one. */
static struct curl_slist *s_headers(const scenario_headers_t *lists[3], const char *content_type) {
    struct curl_slist *out = NULL;
    if (content_type && !s_overridden("Content-Type", lists, 3)) {
        out = s_append(out, "Content-Type", content_type);
    }
    for (size_t l = 0; l < 3; l++) {
        for (size_t i = 0; i < lists[l]->n; i++) {
            const scenario_header_t *h = &lists[l]->items[i];
            if (s_overridden(h->name, lists + l + 1, 2 - l)) continue;
            out = s_append(out, h->name, h->value);
        }
    }
    return out;
}

static void s_compile_step(plan_step_t *st, const scenario_t *sc, const scenario_class_t *cls,
                           const scenario_request_t *req, const char *host, wstats_t *stats) {
    const scenario_headers_t *lists[3] = {&sc->default_headers, &cls->headers, &req->headers};
    st->req = req;
    st->url = s_url(host, req->path);
    st->headers = s_headers(lists, req->content_type);
    st->slot = wstats_slot(stats, req->method, req->name ? req->name : req->path);
    st->timeout_ms = (long)(req->timeout_ms ? req->timeout_ms : sc->default_timeout_ms);
}

static void s_compile_class(plan_class_t *pc, const scenario_t *sc, const scenario_class_t *cls,
                            const char *host, wstats_t *stats) {
    pc->cls = cls;
    pc->n_tasks = cls->n_tasks;
    pc->tasks = xcalloc(cls->n_tasks, sizeof *pc->tasks);
    pc->cum_weight = xcalloc(cls->n_tasks, sizeof *pc->cum_weight);
    for (size_t t = 0; t < cls->n_tasks; t++) {
        const scenario_task_t *task = &cls->tasks[t];
        plan_task_t *pt = &pc->tasks[t];
        pt->n_steps = task->n_steps;
        pt->steps = xcalloc(task->n_steps, sizeof *pt->steps);
        for (size_t s = 0; s < task->n_steps; s++) {
            s_compile_step(&pt->steps[s], sc, cls, &task->steps[s], host, stats);
        }
        pc->total_weight += task->weight;
        pc->cum_weight[t] = pc->total_weight;
    }
}

plan_t *plan_new(const scenario_t *sc, const char *host, wstats_t *stats, char **err) {
    if (!host || !*host) host = sc->host;
    if (!host || !*host) {
        *err = xstrdup("no host: set 'host' in the scenario or pass -H/--host");
        return NULL;
    }
    plan_t *p = xcalloc(1, sizeof *p);
    p->n_classes = sc->n_classes;
    p->classes = xcalloc(sc->n_classes, sizeof *p->classes);
    for (size_t c = 0; c < sc->n_classes; c++) {
        s_compile_class(&p->classes[c], sc, &sc->classes[c], host, stats);
    }
    return p;
}

void plan_destroy(plan_t **plan) {
    if (!plan || !*plan) return;
    plan_t *p = *plan;
    for (size_t c = 0; c < p->n_classes; c++) {
        plan_class_t *pc = &p->classes[c];
        for (size_t t = 0; t < pc->n_tasks; t++) {
            for (size_t s = 0; s < pc->tasks[t].n_steps; s++) {
                free(pc->tasks[t].steps[s].url);
                curl_slist_free_all(pc->tasks[t].steps[s].headers);
            }
            free(pc->tasks[t].steps);
        }
        free(pc->tasks);
        free(pc->cum_weight);
    }
    free(p->classes);
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
