/* runplan: the scenario and the flags made into what one run needs. */
#include "master/runplan.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/xmalloc.h"

scenario_t *runplan_load_scenario(const char *path, FILE *err) {
    scenario_errors_t errs = {0};
    scenario_t *sc = scenario_load_file(path, &errs);
    for (size_t i = 0; i < errs.n; i++) fprintf(err, "%s\n", errs.lines[i]);
    if (errs.dropped) fprintf(err, "%s: note: %zu more errors not shown\n", path, errs.dropped);
    scenario_errors_fini(&errs);
    return sc;
}

/* The files the scenario read (data, tls), shipped as they were parsed. */
static void s_files(runplan_t *p) {
    size_t n = scenario_n_files(p->scenario);
    p->files = xcalloc(n ? n : 1, sizeof *p->files);
    for (size_t i = 0; i < n; i++) {
        scenario_file_t f = scenario_file(p->scenario, i);
        /* proto_file_t also serves decoding, hence char *: encoding only reads. */
        p->files[i] = (proto_file_t){
            .name = (char *)f.name, .data = (char *)f.data, .data_bytes = f.data_bytes};
    }
    p->n_files = (uint32_t)n;
}

/* Calls fn on each list of requests of sc (each class's on_start, on_stop, then its
 * tasks' steps) until it returns true; returns whether one did. */
static bool s_each_requests(const scenario_t *sc,
                            bool (*fn)(void *arg, const scenario_request_t *reqs, size_t n),
                            void *arg) {
    for (size_t i = 0; i < sc->n_classes; i++) {
        const scenario_class_t *c = &sc->classes[i];
        if (fn(arg, c->on_start, c->n_on_start) || fn(arg, c->on_stop, c->n_on_stop)) return true;
        for (size_t t = 0; t < c->n_tasks; t++)
            if (fn(arg, c->tasks[t].steps, c->tasks[t].n_steps)) return true;
    }
    return false;
}

static bool s_holds_name(void *name, const scenario_request_t *reqs, size_t n) {
    for (size_t k = 0; k < n; k++)
        if (!strcmp(reqs[k].name, name)) return true;
    return false;
}

/* True when a request of sc (a task's step, on_start or on_stop) has the stats name. */
static bool s_has_name(const scenario_t *sc, const char *name) {
    return s_each_requests(sc, s_holds_name, (void *)name);
}

#define S_MAX_LISTED 10

typedef struct {
    strbuf_t *b;
    const char *seen[S_MAX_LISTED];
    size_t listed;
} s_names_t;

/* Lists the names of reqs[0..n-1] not listed yet; true once the list is full. */
static bool s_list(void *arg, const scenario_request_t *reqs, size_t n) {
    s_names_t *l = arg;
    for (size_t k = 0; k < n; k++) {
        bool dup = false;
        for (size_t j = 0; j < l->listed && !dup; j++) dup = !strcmp(l->seen[j], reqs[k].name);
        if (dup) continue;
        if (l->listed == S_MAX_LISTED) {
            strbuf_append_str(l->b, ", ...");
            return true;
        }
        strbuf_appendf(l->b, "%s'%s'", l->listed ? ", " : "", reqs[k].name);
        l->seen[l->listed++] = reqs[k].name;
    }
    return false;
}

/* The stats names of sc, quoted, comma-separated, in order of appearance,
 * each once (at most S_MAX_LISTED, then "..."), into b. */
static void s_names(const scenario_t *sc, strbuf_t *b) {
    s_names_t l = {.b = b};
    s_each_requests(sc, s_list, &l);
}

/* A named check whose name no request has would only say "no requests"
 * after the run: refused before it. */
static bool s_name_known(const scenario_t *sc, const thresholds_check_t *c, const char *where,
                         FILE *err) {
    if (!c->name || s_has_name(sc, c->name)) return true;
    strbuf_t names;
    strbuf_init(&names);
    s_names(sc, &names);
    fprintf(err, "%s: no request is named '%s' (the names are %s)\n", where, c->name,
            strbuf_str(&names));
    strbuf_fini(&names);
    return false;
}

int runplan_parse_checks(const scenario_t *sc, const cli_opts_t *o, thresholds_check_t **out,
                         size_t *n_out, FILE *err) {
    size_t cap = sc->n_thresholds + o->n_thresholds, n = 0;
    thresholds_check_t *checks = xcalloc(cap ? cap : 1, sizeof *checks);
    int bad = 0;
    char why[200], where[512];
    size_t at = 0;
    for (size_t i = 0; i < sc->n_thresholds; i++) {
        const scenario_threshold_t *t = &sc->thresholds[i];
        snprintf(where, sizeof where, "%s:%d:%d: error: threshold '%s'", o->scenario,
                 t->pos.line, t->pos.col, t->text);
        if (thresholds_parse_named(t->name, t->text, &checks[n], why, sizeof why, &at)) {
            fprintf(err, "%s: %s\n", where, why);
            bad = 1;
        } else if (!s_name_known(sc, &checks[n], where, err)) {
            thresholds_check_fini(&checks[n]);
            bad = 1;
        } else {
            checks[n].abort = t->abort;
            checks[n].delay_ms = t->delay_ms;
            n++;
        }
    }
    for (size_t i = 0; i < o->n_thresholds; i++) {
        snprintf(where, sizeof where, "barrage: error: --threshold '%s'", o->thresholds[i]);
        if (thresholds_parse(o->thresholds[i], &checks[n], why, sizeof why, &at)) {
            fprintf(err, "%s: %s (at character %zu)\n", where, why, at + 1);
            bad = 1;
        } else if (!s_name_known(sc, &checks[n], where, err)) {
            thresholds_check_fini(&checks[n]);
            bad = 1;
        } else {
            n++;
        }
    }
    if (bad || !out) {
        for (size_t i = 0; i < n; i++) thresholds_check_fini(&checks[i]);
        free(checks);
        checks = NULL;
        n = 0;
    }
    if (out) *out = checks;
    if (n_out) *n_out = n;
    return bad ? -1 : 0;
}

runplan_t *runplan_load(const cli_opts_t *o, uint32_t n_workers, FILE *err) {
    runplan_t *p = xcalloc(1, sizeof *p);
    p->scenario = runplan_load_scenario(o->scenario, err);
    if (!p->scenario || loadplan_resolve(o, p->scenario, n_workers, &p->load, err) != 0 ||
        runplan_parse_checks(p->scenario, o, &p->checks, &p->n_checks, err) != 0) {
        runplan_destroy(&p);
        return NULL;
    }
    s_files(p);
    p->sha256 = scenario_sha256_hex(p->scenario); /* of the very bytes shipped */
    if (!p->sha256)
        fprintf(err, "barrage: warning: cannot hash the scenario: libsodium does not "
                        "initialise (the results' scenario.sha256 is null)\n");
    return p;
}

void runplan_destroy(runplan_t **pp) {
    if (!pp || !*pp) return;
    runplan_t *p = *pp;
    for (size_t i = 0; i < p->n_checks; i++) thresholds_check_fini(&p->checks[i]);
    free(p->checks);
    loadplan_fini(&p->load);
    free(p->files);
    free(p->sha256);
    scenario_destroy(&p->scenario);
    free(p);
    *pp = NULL;
}

void runplan_apply(const runplan_t *p, const cli_opts_t *o, conduct_opts_t *co) {
    size_t text_len = 0;
    co->scenario = p->scenario;
    co->scenario_name = o->scenario;
    co->scenario_text = scenario_text(p->scenario, &text_len);
    co->scenario_bytes = text_len;
    co->scenario_sha256 = p->sha256;
    co->files = p->files;
    co->n_files = p->n_files;
    co->host = o->host;
    co->checks = p->checks;
    co->n_checks = p->n_checks;
    co->abort_if_unreachable = o->abort_if_unreachable || p->scenario->abort_if_unreachable;
    co->tls_no_verify = o->tls_no_verify;
    const loadplan_t *lp = &p->load;
    co->users = lp->open ? 0 : lp->users;
    co->spawn_rate = lp->spawn_rate;
    co->duration_ms = lp->duration_ms;
    co->rate = lp->open ? lp->rate : 0;
    co->max_users = lp->max_users;
    co->stages = lp->stages;
    co->n_stages = lp->n_stages;
}

/* Index of the class named name in sc, or -1. */
static long s_class_index(const scenario_t *sc, const char *name) {
    for (size_t i = 0; i < sc->n_classes; i++)
        if (strcmp(sc->classes[i].name, name) == 0) return (long)i;
    return -1;
}

int runplan_pick_classes(runplan_t *p, const char *const *names, size_t n, char **why) {
    scenario_t *sc = p->scenario;
    if (n == 0) return 0;
    bool *picked = xcalloc(sc->n_classes + 1, sizeof *picked);
    size_t n_picked = 0;
    for (size_t i = 0; i < n; i++) {
        long k = s_class_index(sc, names[i]);
        if (k < 0) {
            strbuf_t b;
            strbuf_init(&b);
            strbuf_appendf(&b, "unknown user class '%s': %s has", names[i], sc->file);
            for (size_t c = 0; c < sc->n_classes; c++)
                strbuf_appendf(&b, "%s '%s'", c ? "," : "", sc->classes[c].name);
            *why = strbuf_detach(&b, NULL);
            free(picked);
            return -1;
        }
        if (!picked[k]) n_picked++;
        picked[k] = true;
    }
    if (n_picked < sc->n_classes && p->load.open) {
        *why = xstrdup("user classes can be picked in the closed model only: an open run's "
                       "workers pick each arrival's class by the scenario's weights");
        free(picked);
        return -1;
    }
    for (size_t c = 0; c < sc->n_classes; c++)
        if (!picked[c]) sc->classes[c].weight = 0;
    free(picked);
    return 0;
}
