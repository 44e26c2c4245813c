/* snapshot: the web's view of the run, copied from the conduct core. */
#include "master/snapshot.h"

#include <stdlib.h>

#include "common/xmalloc.h"

const char *snapshot_state_name(conduct_state_t s) {
    switch (s) {
    case CONDUCT_READY:
        return "ready";
    case CONDUCT_SPAWNING:
        return "spawning";
    case CONDUCT_RUNNING:
        return "running";
    case CONDUCT_STOPPING:
        return "stopping";
    case CONDUCT_STOPPED:
        return "stopped";
    }
    return "ready";
}

/* Rates per row, then the aggregate; all 0 unless a run is in flight. */
static void s_rates(web_snapshot_t *s, const conduct_t *c, uint64_t now_us, bool in_flight) {
    const results_t *r = s->report->results;
    size_t n = results_count(r);
    s->n_rates = n + 1;
    s->current_rps = xcalloc(n + 1, sizeof *s->current_rps);
    s->current_fail_per_sec = xcalloc(n + 1, sizeof *s->current_fail_per_sec);
    if (!in_flight) return;
    uint32_t second = conduct_stats_second(c, now_us);
    for (size_t i = 0; i <= n; i++) {
        const results_row_t *row = i < n ? results_row(r, i) : results_total(r);
        results_current_rates(row, second, &s->current_rps[i], &s->current_fail_per_sec[i]);
    }
}

/* Before the first run: the workers that a start would take, by id. */
static void s_ready_workers(web_snapshot_t *s, const conduct_t *c) {
    const registry_t *reg = conduct_registry(c);
    s->ready_workers = xcalloc(reg->n ? reg->n : 1, sizeof *s->ready_workers);
    for (size_t i = 0; i < reg->n; i++) {
        const worker_entry_t *w = reg->items[i];
        if (w->state != WORKER_READY) continue;
        s->ready_workers[s->n_ready_workers++] = xstrdup(w->worker_id);
    }
}

web_snapshot_t *snapshot_build(const conduct_t *c, uint64_t now_us) {
    web_snapshot_t *s = xcalloc(1, sizeof *s);
    conduct_state_t state = conduct_state(c, now_us);
    s->state = snapshot_state_name(state);
    s->user_count = conduct_user_count(c);
    s->workers = conduct_worker_count(c);
    s->report = conduct_copy_report(c, now_us);
    if (!s->report) s_ready_workers(s, c);
    if (s->report) {
        s->dropped = results_dropped(s->report->results);
        bool in_flight = state == CONDUCT_SPAWNING || state == CONDUCT_RUNNING ||
                         state == CONDUCT_STOPPING;
        s_rates(s, c, now_us, in_flight);
    }
    return s;
}

/* A task's name: its own, else its first request's. */
static char *s_task_name(const scenario_task_t *t) {
    if (t->name) return xstrdup(t->name);
    return xstrdup(t->n_steps ? t->steps[0].name : "");
}

static void s_class(web_class_t *out, const scenario_class_t *c) {
    out->name = xstrdup(c->name);
    out->weight = c->weight;
    out->n_tasks = c->n_tasks;
    out->tasks = xcalloc(c->n_tasks ? c->n_tasks : 1, sizeof *out->tasks);
    for (size_t t = 0; t < c->n_tasks; t++)
        out->tasks[t] = (web_task_t){s_task_name(&c->tasks[t]), c->tasks[t].weight};
}

web_scenario_t *snapshot_scenario(const runplan_t *p, const cli_opts_t *o, const char *errors) {
    web_scenario_t *v = xcalloc(1, sizeof *v);
    const scenario_t *sc = p->scenario;
    const loadplan_t *lp = &p->load;
    v->file = xstrdup(o->scenario ? o->scenario : sc->file);
    const char *host = o->host ? o->host : sc->host;
    v->host = host ? xstrdup(host) : NULL;
    v->open = lp->open;
    v->users = lp->open ? lp->max_users : lp->users;
    v->spawn_rate = lp->spawn_rate;
    v->rate = lp->rate;
    v->run_time_ms = lp->duration_ms;
    if (lp->n_stages) v->stages = loadplan_stages_text(lp->stages, lp->n_stages);
    v->n_classes = sc->n_classes;
    v->classes = xcalloc(sc->n_classes ? sc->n_classes : 1, sizeof *v->classes);
    for (size_t i = 0; i < sc->n_classes; i++) s_class(&v->classes[i], &sc->classes[i]);
    v->errors = errors ? xstrdup(errors) : NULL;
    return v;
}
