/* webstate: barrage's own JSON state of the run (GET /api/state and each
 * GET /events message) — what the page draws, rendered from a snapshot. */
#ifndef BARRAGE_WEB_WEBSTATE_H
#define BARRAGE_WEB_WEBSTATE_H

#include "common/strbuf.h"
#include "web/web.h"

/* Appends the state of s (NULL = no snapshot yet: state "ready", no run) to
 * b as one line of JSON (no raw newline, so it fits one SSE "data:" line):
 * state, users, total_rps, fail_percent, dropped, run (the run's plan, or
 * null), workers[], stats[] (per name in first-seen order, then the
 * aggregate with name "Aggregated" and method null), failures[],
 * timeline[] (one point per closed second), scenario (what the next start
 * takes, with classes and tasks and their ratios, and the last reload's
 * errors; null when unknown), metrics[] (Server-Timing / X-Query-Count per
 * name), exceptions[] (the failures that are the scenario's own: capture
 * and not sent) and logs[] (the master's recent lines). Times in milliseconds, exact
 * percentiles from the merged histograms. docs/web.md documents each key. */
void webstate_json(const web_snapshot_t *s, strbuf_t *b);

#endif
