/* verdicts: live threshold verdicts and the abort decision. */
#include "report/verdicts.h"

#include <stdlib.h>

#include "common/xmalloc.h"

#define VERDICTS_MEASURED_BYTES 64

struct verdicts {
    const thresholds_check_t *checks;
    size_t n;
    window_t *window;
    report_threshold_t *now; /* the last judgement, n of them once judged */
    char (*measured)[VERDICTS_MEASURED_BYTES];
    bool judged;
};

verdicts_t *verdicts_new(const thresholds_check_t *checks, size_t n) {
    verdicts_t *v = xcalloc(1, sizeof *v);
    v->checks = checks;
    v->n = n;
    v->window = window_new(checks, n);
    v->now = xcalloc(n ? n : 1, sizeof *v->now);
    v->measured = xcalloc(n ? n : 1, sizeof *v->measured);
    return v;
}

void verdicts_destroy(verdicts_t **vp) {
    if (!vp || !*vp) return;
    window_destroy(&(*vp)->window);
    free((*vp)->now);
    free((*vp)->measured);
    free(*vp);
    *vp = NULL;
}

void verdicts_add(verdicts_t *v, uint32_t second, const results_delta_t *d) {
    window_add(v->window, second, d);
}

void verdicts_close_until(verdicts_t *v, uint32_t second) {
    window_close_until(v->window, second);
}

size_t verdicts_judge(verdicts_t *v, const results_t *res, uint32_t closed, uint64_t elapsed_ms) {
    window_close_until(v->window, closed);
    size_t abort_at = VERDICTS_NO_ABORT;
    for (size_t i = 0; i < v->n; i++) {
        const thresholds_check_t *c = &v->checks[i];
        thresholds_sample_t s;
        histogram_t *own = NULL;
        double seconds = (double)elapsed_ms / 1000.0;
        if (c->window_ms) {
            uint32_t covered = 0;
            window_sample(v->window, i, &s, &own, &covered);
            seconds = covered;
        } else {
            thresholds_sample_of(res, c->name, &s, &own);
        }
        thresholds_judge(c, &s, seconds, &v->now[i], v->measured[i], VERDICTS_MEASURED_BYTES);
        bool measured = s.requests > 0 && s.latency;
        if (abort_at == VERDICTS_NO_ABORT && c->abort && !v->now[i].passed && measured &&
            elapsed_ms >= c->delay_ms)
            abort_at = i;
        histogram_destroy(&own);
    }
    v->judged = true;
    return abort_at;
}

size_t verdicts_count(const verdicts_t *v) {
    return v->judged ? v->n : 0;
}

const report_threshold_t *verdicts_get(const verdicts_t *v, size_t i) {
    return i < verdicts_count(v) ? &v->now[i] : NULL;
}

size_t verdicts_failing(const verdicts_t *v) {
    size_t n = 0;
    for (size_t i = 0; i < verdicts_count(v); i++) n += !v->now[i].passed;
    return n;
}

const window_t *verdicts_window(const verdicts_t *v) {
    return v->window;
}
