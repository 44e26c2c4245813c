/* report: the model of a finished run. */
#include "report/report.h"

#include <stdlib.h>

#include "common/xmalloc.h"

report_t *report_new(void) {
    report_t *r = xcalloc(1, sizeof *r);
    r->results = results_new();
    r->timeline = timeline_new();
    return r;
}

void report_destroy(report_t **rp) {
    if (!rp || !*rp) return;
    report_t *r = *rp;
    free(r->barrage_version);
    free(r->scenario_name);
    free(r->scenario_file);
    free(r->scenario_sha256);
    free(r->host);
    free(r->mode);
    free(r->stages);
    free(r->aborted_by);
    for (size_t i = 0; i < r->n_workers; i++) {
        free(r->workers[i].id);
        free(r->workers[i].hostname);
        free(r->workers[i].state);
    }
    free(r->workers);
    for (size_t i = 0; i < r->n_thresholds; i++) {
        free(r->thresholds[i].text);
        free(r->thresholds[i].name);
        free(r->thresholds[i].measured);
    }
    free(r->thresholds);
    for (size_t i = 0; i < r->n_saturations; i++) free(r->saturations[i].worker);
    free(r->saturations);
    results_destroy(&r->results);
    timeline_destroy(&r->timeline);
    free(r);
    *rp = NULL;
}

static char *s_dup(const char *s) {
    return s ? xstrdup(s) : NULL;
}

void report_add_worker(report_t *r, const report_worker_t *w) {
    r->workers = xrealloc(r->workers, (r->n_workers + 1) * sizeof *r->workers);
    report_worker_t *d = &r->workers[r->n_workers++];
    *d = *w;
    d->id = s_dup(w->id);
    d->hostname = s_dup(w->hostname);
    d->state = s_dup(w->state);
}

void report_add_saturation(report_t *r, const report_saturation_t *s) {
    r->saturations = xrealloc(r->saturations, (r->n_saturations + 1) * sizeof *r->saturations);
    report_saturation_t *d = &r->saturations[r->n_saturations++];
    *d = *s;
    d->worker = s_dup(s->worker);
}

void report_add_threshold(report_t *r, const report_threshold_t *t) {
    r->thresholds = xrealloc(r->thresholds, (r->n_thresholds + 1) * sizeof *r->thresholds);
    report_threshold_t *d = &r->thresholds[r->n_thresholds++];
    *d = *t;
    d->text = s_dup(t->text);
    d->name = s_dup(t->name);
    d->measured = s_dup(t->measured);
}

bool report_thresholds_passed(const report_t *r) {
    for (size_t i = 0; i < r->n_thresholds; i++) {
        if (!r->thresholds[i].passed) return false;
    }
    return true;
}

report_t *report_clone(const report_t *r) {
    report_t *c = xcalloc(1, sizeof *c);
    *c = *r;
    c->barrage_version = s_dup(r->barrage_version);
    c->scenario_name = s_dup(r->scenario_name);
    c->scenario_file = s_dup(r->scenario_file);
    c->scenario_sha256 = s_dup(r->scenario_sha256);
    c->host = s_dup(r->host);
    c->mode = s_dup(r->mode);
    c->stages = s_dup(r->stages);
    c->aborted_by = s_dup(r->aborted_by);
    c->workers = NULL;
    c->n_workers = 0;
    for (size_t i = 0; i < r->n_workers; i++) report_add_worker(c, &r->workers[i]);
    c->thresholds = NULL;
    c->n_thresholds = 0;
    for (size_t i = 0; i < r->n_thresholds; i++) report_add_threshold(c, &r->thresholds[i]);
    c->saturations = NULL;
    c->n_saturations = 0;
    for (size_t i = 0; i < r->n_saturations; i++) report_add_saturation(c, &r->saturations[i]);
    c->results = results_clone(r->results);
    c->timeline = timeline_clone(r->timeline);
    return c;
}
