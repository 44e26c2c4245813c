/* wstats: the worker's per-interval statistics — per (method, name) slot the
 * request, failure and byte counts and a latency histogram delta, plus
 * failure reasons with counts. Recording never allocates: slots are created
 * when a run starts, reasons are static strings or HTTP statuses. */
#ifndef BARRAGE_WORKER_WSTATS_H
#define BARRAGE_WORKER_WSTATS_H

#include <stdint.h>

#include "proto/proto.h"

/* Distinct failure reasons kept per interval; the rest fold into one "other" row. */
#define WSTATS_MAX_REASONS 256

typedef struct wstats wstats_t;

/* A failure reason: either an HTTP status (status != 0) or a category with a
 * static detail text, e.g. {"connect", "Couldn't connect to server", 0}. */
typedef struct {
    const char *category;
    const char *detail;
    int status;
} wstats_reason_t;

wstats_t *wstats_new(void);
void wstats_destroy(wstats_t **ws);

/* Returns the slot of (method, name), creating it (strings are copied). */
int wstats_slot(wstats_t *ws, const char *method, const char *name);

/* Records one finished request in slot: its latency, body bytes and, if
 * reason is non-NULL, that it failed and why. Failed requests count in the
 * latency histogram too, as in Locust. */
void wstats_record(wstats_t *ws, int slot, uint64_t latency_us, uint64_t body_bytes,
                   const wstats_reason_t *reason);

/* Fills out->stats and out->errors with this interval's non-empty rows.
 * The arrays belong to ws; strings and histograms in them are borrowed.
 * Call wstats_snapshot_done(ws, out) after encoding: it clears the arrays
 * from out and resets the interval. Other fields of out are untouched. */
void wstats_snapshot(wstats_t *ws, proto_stats_t *out);
void wstats_snapshot_done(wstats_t *ws, proto_stats_t *out);

/* Requests recorded since the last snapshot (all slots). */
uint64_t wstats_pending(const wstats_t *ws);

#endif
