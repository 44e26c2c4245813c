/* wstats: interval statistics of one worker, snapshotted into proto stats rows. */
#include "worker/wstats.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

typedef struct {
    char *method;
    char *name;
    uint64_t requests, failures, bytes;
    uint64_t http_versions[PROTO_HTTP_N];
    uint32_t http_asked;
    bool asked_noted;
    histogram_t *latency;
    histogram_t *phases[PROTO_PHASE_N];
    uint64_t connects, wire_bytes;
    /* Server-side metrics: names are kept for the run, values per interval. */
    char metric_names[WSTATS_MAX_METRICS][WSTATS_METRIC_NAME_BYTES];
    histogram_t *metric_values[WSTATS_MAX_METRICS];
    size_t n_metrics;
    proto_metric_t rows[WSTATS_MAX_METRICS]; /* snapshot view */
} slot_t;

typedef struct {
    int slot;
    wstats_reason_t reason;
    uint64_t count;
    char text[160]; /* formatted at snapshot time */
} reason_row_t;

struct wstats {
    slot_t *slots;
    size_t n_slots, cap_slots;
    reason_row_t reasons[WSTATS_MAX_REASONS + 1]; /* the extra one is "other" */
    size_t n_reasons;
    uint64_t pending;
    proto_stat_t *rows;    /* snapshot arrays, sized to n_slots */
    proto_error_t *errors; /* sized to WSTATS_MAX_REASONS + 1 */
    char *messages[WSTATS_MAX_MESSAGES]; /* wstats_message's copies, for the run */
    size_t n_messages;
};

wstats_t *wstats_new(void) {
    wstats_t *ws = xcalloc(1, sizeof *ws);
    ws->errors = xcalloc(WSTATS_MAX_REASONS + 1, sizeof *ws->errors);
    return ws;
}

void wstats_destroy(wstats_t **ws) {
    if (!ws || !*ws) return;
    wstats_t *w = *ws;
    for (size_t i = 0; i < w->n_slots; i++) {
        free(w->slots[i].method);
        free(w->slots[i].name);
        histogram_destroy(&w->slots[i].latency);
        for (int p = 0; p < PROTO_PHASE_N; p++)
            histogram_destroy(&w->slots[i].phases[p]);
        for (size_t k = 0; k < w->slots[i].n_metrics; k++) {
            histogram_destroy(&w->slots[i].metric_values[k]);
        }
    }
    for (size_t i = 0; i < w->n_messages; i++)
        free(w->messages[i]);
    free(w->slots);
    free(w->rows);
    free(w->errors);
    free(w);
    *ws = NULL;
}

int wstats_slot(wstats_t *ws, const char *method, const char *name) {
    for (size_t i = 0; i < ws->n_slots; i++) {
        if (strcmp(ws->slots[i].method, method) == 0 && strcmp(ws->slots[i].name, name) == 0) {
            return (int)i;
        }
    }
    if (ws->n_slots == ws->cap_slots) {
        ws->cap_slots = ws->cap_slots ? ws->cap_slots * 2 : 8;
        ws->slots = xrealloc(ws->slots, ws->cap_slots * sizeof *ws->slots);
        ws->rows = xrealloc(ws->rows, ws->cap_slots * sizeof *ws->rows);
    }
    ws->slots[ws->n_slots] = (slot_t){
        .method = xstrdup(method), .name = xstrdup(name), .latency = histogram_new()};
    for (int p = 0; p < PROTO_PHASE_N; p++)
        ws->slots[ws->n_slots].phases[p] = histogram_new();
    return (int)ws->n_slots++;
}

void wstats_record_metric(wstats_t *ws, int slot, const char *name, size_t name_len,
                          uint64_t value_x1000) {
    slot_t *s = &ws->slots[slot];
    if (name_len >= WSTATS_METRIC_NAME_BYTES) name_len = WSTATS_METRIC_NAME_BYTES - 1;
    size_t k = 0;
    while (k < s->n_metrics && (strncmp(s->metric_names[k], name, name_len) != 0 ||
                                s->metric_names[k][name_len] != '\0')) {
        k++;
    }
    if (k == s->n_metrics) {
        if (k == WSTATS_MAX_METRICS) return;
        memcpy(s->metric_names[k], name, name_len);
        s->metric_names[k][name_len] = '\0';
        s->metric_values[k] = histogram_new();
        s->n_metrics++;
    }
    histogram_record(s->metric_values[k], value_x1000);
}

const char *wstats_message(wstats_t *ws, const char *text, const char *fallback) {
    for (size_t i = 0; i < ws->n_messages; i++)
        if (strcmp(ws->messages[i], text) == 0) return ws->messages[i];
    if (ws->n_messages == WSTATS_MAX_MESSAGES) return fallback;
    ws->messages[ws->n_messages] = xstrdup(text);
    return ws->messages[ws->n_messages++];
}

void wstats_note_asked(wstats_t *ws, int slot, uint32_t asked) {
    slot_t *s = &ws->slots[slot];
    if (!s->asked_noted)
        s->http_asked = asked;
    else if (s->http_asked != asked)
        s->http_asked = PROTO_ASKED_NONE;
    s->asked_noted = true;
}

void wstats_record_http(wstats_t *ws, int slot, long curl_http_version) {
    int v;
    switch (curl_http_version) {
    case CURL_HTTP_VERSION_1_0:
        v = PROTO_HTTP_1_0;
        break;
    case CURL_HTTP_VERSION_1_1:
        v = PROTO_HTTP_1_1;
        break;
    case CURL_HTTP_VERSION_2_0:
        v = PROTO_HTTP_2;
        break;
    case CURL_HTTP_VERSION_3:
        v = PROTO_HTTP_3;
        break;
    default:
        return;
    }
    ws->slots[slot].http_versions[v]++;
}

static bool s_same_reason(const reason_row_t *r, int slot, const wstats_reason_t *why) {
    return r->slot == slot && r->reason.status == why->status &&
           r->reason.category == why->category && r->reason.detail == why->detail;
}

static void s_count_reason(wstats_t *ws, int slot, const wstats_reason_t *why) {
    for (size_t i = 0; i < ws->n_reasons; i++) {
        if (s_same_reason(&ws->reasons[i], slot, why)) {
            ws->reasons[i].count++;
            return;
        }
    }
    if (ws->n_reasons < WSTATS_MAX_REASONS) {
        ws->reasons[ws->n_reasons++] = (reason_row_t){.slot = slot, .reason = *why, .count = 1};
        return;
    }
    /* Table full: fold into the catch-all row kept just past the end. */
    reason_row_t *other = &ws->reasons[WSTATS_MAX_REASONS];
    other->slot = slot;
    other->reason = (wstats_reason_t){"other", "more distinct failure reasons than tracked", 0};
    other->count++;
}

void wstats_record(wstats_t *ws, int slot, uint64_t latency_us, uint64_t body_bytes,
                   const wstats_reason_t *reason) {
    slot_t *s = &ws->slots[slot];
    s->requests++;
    s->bytes += body_bytes;
    histogram_record(s->latency, latency_us);
    ws->pending++;
    if (reason) {
        s->failures++;
        s_count_reason(ws, slot, reason);
    }
}

void wstats_record_transfer(wstats_t *ws, int slot, const uint64_t phases_us[PROTO_PHASE_N],
                            uint64_t connects, uint64_t wire_bytes) {
    slot_t *s = &ws->slots[slot];
    for (int p = 0; p < PROTO_PHASE_N; p++)
        histogram_record(s->phases[p], phases_us[p]);
    s->connects += connects;
    s->wire_bytes += wire_bytes;
}

static void s_format_reason(reason_row_t *r) {
    if (strcmp(r->reason.category, "status") == 0) {
        snprintf(r->text, sizeof r->text, "HTTP %d", r->reason.status);
    } else if (r->reason.status) {
        snprintf(r->text, sizeof r->text, "%s: %s (got HTTP %d)", r->reason.category,
                 r->reason.detail, r->reason.status);
    } else {
        snprintf(r->text, sizeof r->text, "%s: %s", r->reason.category, r->reason.detail);
    }
}

static void s_add_error(wstats_t *ws, proto_stats_t *out, reason_row_t *r) {
    s_format_reason(r);
    ws->errors[out->n_errors++] = (proto_error_t){.method = ws->slots[r->slot].method,
                                                  .name = ws->slots[r->slot].name,
                                                  .reason = r->text,
                                                  .count = r->count};
}

void wstats_snapshot(wstats_t *ws, proto_stats_t *out) {
    out->n_stats = 0;
    for (size_t i = 0; i < ws->n_slots; i++) {
        slot_t *s = &ws->slots[i];
        if (s->requests == 0) continue;
        uint32_t n_metrics = 0;
        for (size_t k = 0; k < s->n_metrics; k++) {
            if (histogram_count(s->metric_values[k]) == 0) continue;
            s->rows[n_metrics++] = (proto_metric_t){s->metric_names[k], s->metric_values[k]};
        }
        ws->rows[out->n_stats++] = (proto_stat_t){.method = s->method,
                                                  .name = s->name,
                                                  .requests = s->requests,
                                                  .failures = s->failures,
                                                  .bytes = s->bytes,
                                                  .http_asked = s->http_asked,
                                                  .latency = s->latency,
                                                  .connects = s->connects,
                                                  .wire_bytes = s->wire_bytes,
                                                  .n_metrics = n_metrics,
                                                  .metrics = n_metrics ? s->rows : NULL};
        memcpy(ws->rows[out->n_stats - 1].http_versions, s->http_versions, sizeof s->http_versions);
        memcpy(ws->rows[out->n_stats - 1].phases, s->phases, sizeof s->phases);
    }
    out->stats = ws->rows;
    out->n_errors = 0;
    for (size_t i = 0; i < ws->n_reasons; i++) s_add_error(ws, out, &ws->reasons[i]);
    if (ws->reasons[WSTATS_MAX_REASONS].count) s_add_error(ws, out, &ws->reasons[WSTATS_MAX_REASONS]);
    out->errors = ws->errors;
}

void wstats_snapshot_done(wstats_t *ws, proto_stats_t *out) {
    out->stats = NULL;
    out->n_stats = 0;
    out->errors = NULL;
    out->n_errors = 0;
    for (size_t i = 0; i < ws->n_slots; i++) {
        slot_t *s = &ws->slots[i];
        s->requests = s->failures = s->bytes = s->connects = s->wire_bytes = 0;
        for (int p = 0; p < PROTO_PHASE_N; p++)
            histogram_reset(s->phases[p]);
        memset(s->http_versions, 0, sizeof s->http_versions);
        histogram_reset(s->latency);
        for (size_t k = 0; k < s->n_metrics; k++) histogram_reset(s->metric_values[k]);
    }
    ws->n_reasons = 0;
    ws->reasons[WSTATS_MAX_REASONS].count = 0;
    ws->pending = 0;
}

uint64_t wstats_pending(const wstats_t *ws) {
    return ws->pending;
}
