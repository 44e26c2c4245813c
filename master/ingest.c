/* ingest: the one adapter from wire stats (proto types) to report rows. */
#include "master/ingest.h"

#include <stdlib.h>

#include "common/xmalloc.h"

/* A row read back from a JSON result may hold as many metrics as a message. */
_Static_assert(RESULTS_MAX_METRICS >= PROTO_MAX_METRICS,
               "a saved result must accept every row the wire can carry");

/* The report counts HTTP versions as the wire does. */
_Static_assert((int)RESULTS_HTTP_N == (int)PROTO_HTTP_N &&
                   (int)RESULTS_HTTP_1_0 == (int)PROTO_HTTP_1_0 &&
                   (int)RESULTS_HTTP_1_1 == (int)PROTO_HTTP_1_1 &&
                   (int)RESULTS_HTTP_2 == (int)PROTO_HTTP_2 &&
                   (int)RESULTS_HTTP_3 == (int)PROTO_HTTP_3,
               "HTTP version indexes");

/* The report keeps the wire's phases in the wire's order. */
_Static_assert((int)RESULTS_PHASE_N == (int)PROTO_PHASE_N &&
                   (int)RESULTS_PHASE_DNS == (int)PROTO_PHASE_DNS &&
                   (int)RESULTS_PHASE_CONNECT == (int)PROTO_PHASE_CONNECT &&
                   (int)RESULTS_PHASE_TLS == (int)PROTO_PHASE_TLS &&
                   (int)RESULTS_PHASE_WAIT == (int)PROTO_PHASE_WAIT &&
                   (int)RESULTS_PHASE_RECEIVE == (int)PROTO_PHASE_RECEIVE,
               "phase indexes");

/* The wire's PROTO_ASKED_* as the report's (the decoder checked the range). */
static results_asked_t s_asked(uint32_t asked) {
    switch (asked) {
    case PROTO_ASKED_1_1:
        return RESULTS_ASKED_1_1;
    case PROTO_ASKED_2:
        return RESULTS_ASKED_2;
    case PROTO_ASKED_H2C:
        return RESULTS_ASKED_H2C;
    default:
        return RESULTS_ASKED_NONE;
    }
}

/* st's rows, errors and metrics as report deltas in the caller's arrays
 * (sized by the caller); strings and histograms are borrowed from st. */
static void s_convert(const proto_stats_t *st, results_row_delta_t *rows,
                      results_metric_delta_t *metrics, results_error_delta_t *errors) {
    size_t m = 0;
    for (uint32_t i = 0; i < st->n_stats; i++) {
        const proto_stat_t *s = &st->stats[i];
        rows[i] = (results_row_delta_t){.method = s->method,
                                        .name = s->name,
                                        .requests = s->requests,
                                        .failures = s->failures,
                                        .bytes = s->bytes,
                                        .http_asked = s_asked(s->http_asked),
                                        .latency = s->latency,
                                        .connects = s->connects,
                                        .wire_bytes = s->wire_bytes,
                                        .n_metrics = s->n_metrics,
                                        .metrics = &metrics[m]};
        for (int v = 0; v < PROTO_HTTP_N; v++)
            rows[i].http_versions[v] = s->http_versions[v];
        for (int p = 0; p < PROTO_PHASE_N; p++)
            rows[i].phases[p] = s->phases[p];
        for (uint32_t k = 0; k < s->n_metrics; k++) {
            metrics[m++] = (results_metric_delta_t){s->metrics[k].name, s->metrics[k].values};
        }
    }
    for (uint32_t i = 0; i < st->n_errors; i++) {
        const proto_error_t *e = &st->errors[i];
        errors[i] = (results_error_delta_t){e->method, e->name, e->reason, e->count};
    }
}

void ingest_stats(results_t *r, timeline_t *t, verdicts_t *v, uint32_t second,
                  const proto_stats_t *st) {
    size_t n_metrics = 0;
    for (uint32_t i = 0; i < st->n_stats; i++)
        n_metrics += st->stats[i].n_metrics;
    /* Three small arrays per report (row, metric and error headers); strings and
     * histograms are borrowed, not copied. */
    results_row_delta_t *rows = xcalloc(st->n_stats + 1u, sizeof *rows);
    results_metric_delta_t *metrics = xcalloc(n_metrics + 1u, sizeof *metrics);
    results_error_delta_t *errors = xcalloc(st->n_errors + 1u, sizeof *errors);
    s_convert(st, rows, metrics, errors);
    results_delta_t d = {.n_rows = st->n_stats,
                         .rows = rows,
                         .n_errors = st->n_errors,
                         .errors = errors,
                         .dropped = st->dropped};
    results_add_at(r, &d, second);
    timeline_add(t, second, &d);
    if (v) verdicts_add(v, second, &d);
    free(rows);
    free(metrics);
    free(errors);
}
