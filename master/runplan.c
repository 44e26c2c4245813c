/* runplan: the scenario and the flags made into what one run needs. */
#include "master/runplan.h"

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

/* Thresholds of the scenario, then of the command line, parsed before the
 * run so that a bad one stops everything with its position. */
static int s_checks(runplan_t *p, const cli_opts_t *o, FILE *err) {
    const scenario_t *sc = p->scenario;
    size_t cap = sc->n_thresholds + o->n_thresholds;
    p->checks = xcalloc(cap ? cap : 1, sizeof *p->checks);
    int bad = 0;
    char why[200];
    size_t at = 0;
    for (size_t i = 0; i < sc->n_thresholds; i++) {
        const scenario_threshold_t *t = &sc->thresholds[i];
        if (thresholds_parse_named(t->name, t->text, &p->checks[p->n_checks], why, sizeof why,
                                   &at)) {
            fprintf(err, "%s:%d:%d: error: threshold '%s': %s\n", o->scenario, t->pos.line,
                    t->pos.col, t->text, why);
            bad = 1;
        } else {
            p->checks[p->n_checks].abort = t->abort;
            p->checks[p->n_checks].delay_ms = t->delay_ms;
            p->n_checks++;
        }
    }
    for (size_t i = 0; i < o->n_thresholds; i++) {
        if (thresholds_parse(o->thresholds[i], &p->checks[p->n_checks], why, sizeof why, &at)) {
            fprintf(err, "barrage: error: --threshold '%s': %s (at character %zu)\n",
                    o->thresholds[i], why, at + 1);
            bad = 1;
        } else {
            p->n_checks++;
        }
    }
    return bad ? -1 : 0;
}

runplan_t *runplan_load(const cli_opts_t *o, uint32_t n_workers, FILE *err) {
    runplan_t *p = xcalloc(1, sizeof *p);
    p->scenario = runplan_load_scenario(o->scenario, err);
    if (!p->scenario || loadplan_resolve(o, p->scenario, n_workers, &p->load, err) != 0 ||
        s_checks(p, o, err) != 0) {
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
