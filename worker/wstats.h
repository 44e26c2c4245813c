/* wstats: the worker's per-interval statistics — per (method, name) slot the
 * request, failure and byte counts and a latency histogram delta, plus
 * failure reasons with counts. Recording never allocates: slots are created
 * when a run starts, reasons are static strings or HTTP statuses. */
#ifndef BARRAGE_WORKER_WSTATS_H
#define BARRAGE_WORKER_WSTATS_H

#include <stdint.h>

#include "proto/proto.h"

/* Server-side metrics kept per slot (Server-Timing names plus "queries"); more are dropped. */
#define WSTATS_MAX_METRICS 8
/* Longest metric name kept (longer ones are cut). */
#define WSTATS_METRIC_NAME_BYTES 32

/* Distinct failure reasons kept per interval; the rest fold into one "other" row. */
#define WSTATS_MAX_REASONS 256

typedef struct wstats wstats_t;

/* A failure reason: a category with a detail text that stays valid for the
 * run, and the HTTP status when it matters. Shown as "HTTP 503" for category
 * "status", "expect: status 200 expected (got HTTP 404)" with a status, and
 * "connect: Couldn't connect to server" without. Rows are told apart by the
 * category and detail pointers and the status. */
typedef struct {
    const char *category;
    const char *detail;
    int status;
} wstats_reason_t;

wstats_t *wstats_new(void);
void wstats_destroy(wstats_t **ws);

/* Returns the slot of (method, name), creating it (strings are copied). */
int wstats_slot(wstats_t *ws, const char *method, const char *name);

/* Notes that a request of slot asks for HTTP version asked (PROTO_ASKED_*),
 * as the plan is built: a slot whose requests ask for different versions
 * reports PROTO_ASKED_NONE. */
void wstats_note_asked(wstats_t *ws, int slot, uint32_t asked);

/* Counts a response of slot in the HTTP version it came in: curl's
 * CURLINFO_HTTP_VERSION value (CURL_HTTP_VERSION_1_0, _1_1, _2_0, _3);
 * 0 (no response) and unknown values count nowhere. */
void wstats_record_http(wstats_t *ws, int slot, long curl_http_version);

/* Records one finished request in slot: its latency, body bytes and, if
 * reason is non-NULL, that it failed and why. Failed requests count in the
 * latency histogram too, as in Locust. */
void wstats_record(wstats_t *ws, int slot, uint64_t latency_us, uint64_t body_bytes,
                   const wstats_reason_t *reason);

/* Records where the time of a request of slot that reached curl went (its
 * phases, worker/timing.h), the new connections it opened and the response
 * bytes it received as they came (headers plus the body before decoding).
 * Call it besides wstats_record for each request curl performed; requests
 * that were never sent have no phases. */
void wstats_record_transfer(wstats_t *ws, int slot, const uint64_t phases_us[PROTO_PHASE_N],
                            uint64_t connects, uint64_t wire_bytes);

/* Distinct messages wstats_message keeps for a run. */
#define WSTATS_MAX_MESSAGES 64

/* A copy of text that stays valid for the run, one per distinct text, to
 * serve as a reason's detail (curl's message for a failed TLS handshake).
 * Allocates only the first time a text is seen; returns fallback (which must
 * itself stay valid) once WSTATS_MAX_MESSAGES texts are kept. */
const char *wstats_message(wstats_t *ws, const char *text, const char *fallback);

/* Records a server-side metric of a request in slot, its value x1000 (a dur
 * in ms as us, a count as milli-counts). Allocates only the first time a
 * metric name is seen in the slot. */
void wstats_record_metric(wstats_t *ws, int slot, const char *name, size_t name_len,
                          uint64_t value_x1000);

/* Fills out->stats and out->errors with this interval's non-empty rows.
 * The arrays belong to ws; strings and histograms in them are borrowed.
 * Call wstats_snapshot_done(ws, out) after encoding: it clears the arrays
 * from out and resets the interval. Other fields of out are untouched. */
void wstats_snapshot(wstats_t *ws, proto_stats_t *out);
void wstats_snapshot_done(wstats_t *ws, proto_stats_t *out);

/* Requests recorded since the last snapshot (all slots). */
uint64_t wstats_pending(const wstats_t *ws);

#endif
