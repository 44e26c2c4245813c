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
