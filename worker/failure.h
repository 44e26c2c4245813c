/* failure: classifies a finished transfer as success or a counted failure
 * with a category (connect, timeout, read, send, protocol, tls, error) or an
 * HTTP status >= 400 — the readable reason shown in the failures table. */
#ifndef BARRAGE_WORKER_FAILURE_H
#define BARRAGE_WORKER_FAILURE_H

#include <curl/curl.h>
#include <stdbool.h>

#include "worker/wstats.h"

/* Returns true and fills *why (static strings) when the transfer failed:
 * rc != CURLE_OK, or status >= 400. */
bool failure_classify(CURLcode rc, long status, wstats_reason_t *why);

#endif
