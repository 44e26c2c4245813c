/* webapi: Locust's web API bodies — GET /stats/requests rendered from a
 * snapshot with Locust's keys, and POST /swarm's form parsed into a command. */
#ifndef BARRAGE_WEB_WEBAPI_H
#define BARRAGE_WEB_WEBAPI_H

#include <stddef.h>

#include "common/strbuf.h"
#include "web/web.h"

/* Appends /stats/requests for s (NULL = no snapshot yet: state "ready", only
 * an empty "Aggregated" row) to b: state, user_count, total_rps, fail_ratio,
 * current_response_time_percentile_50/95, stats[] (per name sorted by name
 * then method as Locust sorts, then "Aggregated"), errors[], workers[].
 * Times in milliseconds. docs/web.md says what each value is. */
void webapi_requests_json(const web_snapshot_t *s, strbuf_t *b);

/* True when a failure's reason is the scenario's own rather than the
 * target's answer — a capture that found nothing ("capture: ...") or a request
 * that was not sent ("not sent: ...") — what Locust lists as exceptions (its
 * user code raising, e.g. a KeyError on a missing token). */
bool webapi_is_exception(const char *reason);

/* Appends Locust's GET /exceptions for s (NULL = none yet) to b:
 * {"exceptions": [{"count", "msg", "traceback", "nodes"}]}, one entry per
 * (method, name, reason) that webapi_is_exception keeps, msg "METHOD NAME:
 * REASON" HTML-escaped as Locust escapes it; traceback and nodes are "" (a
 * scenario has no stack, and the master does not keep which workers saw it). */
void webapi_exceptions_json(const web_snapshot_t *s, strbuf_t *b);

/* Appends Locust's GET /exceptions/csv for s to b: the header
 * Count,Message,Traceback,Nodes and the rows of webapi_exceptions_json
 * (unescaped), quoted as Python's csv module quotes, CRLF line ends. */
void webapi_exceptions_csv(const web_snapshot_t *s, strbuf_t *b);

/* Parses POST /swarm's application/x-www-form-urlencoded body (len bytes)
 * into *out (type WEB_CMD_SWARM): user_count (whole number >= 0, required),
 * spawn_rate (number > 0, required), host (http:// or https:// URL; empty =
 * keep), run_time ("20", "20s", "3m", "1h20m"; empty = keep), user_classes
 * (repeated, as Locust's class picker sends it: the classes that take part;
 * at most WEB_MAX_CLASSES; checked against the scenario by the conductor).
 * Other fields are ignored, as Locust ignores them. Returns 0, or -1
 * with *err (caller frees, one sentence) and *out zeroed. */
int webapi_parse_swarm(const char *body, size_t len, web_cmd_t *out, char **err);

/* Appends {"success": ok, "message": message[, "host": host]} to b (host
 * NULL = no "host" key), as Locust's /swarm and /stop answer. */
void webapi_result_json(strbuf_t *b, bool ok, const char *message, const char *host);

/* Appends Locust's answer to a good /swarm: {"success": true, "message":
 * "Swarming started", "host": host} and, when c->run_time_ms is set,
 * "run_time" in seconds, as Locust adds it. */
void webapi_swarm_json(strbuf_t *b, const web_cmd_t *c, const char *host);

#endif
