/* failure: classifies a finished transfer as success or a counted failure
 * with a category and a readable detail — the reason shown in the failures
 * table — or an HTTP status >= 400. Categories of transport failures:
 *   connect               no connection (refused, unresolvable host, out of descriptors)
 *   timeout               no response, or an incomplete one, within the request's timeout
 *   connection reset      the server reset the connection (TCP RST)
 *   empty reply           the server closed the connection without sending a byte
 *   incomplete response   the connection closed before the whole body arrived
 *   invalid HTTP response the server answered with bytes that are not HTTP/1.x or HTTP/2
 *   read, send            other receive or send errors
 *   protocol, tls, error  the rest (HTTP/2 errors, redirects, certificates, ...)
 * The engine adds two of its own (worker/engine.h): "not sent" (curl would not
 * take the request) and "aborted" (still in flight when a stop's drain ended). */
#ifndef BARRAGE_WORKER_FAILURE_H
#define BARRAGE_WORKER_FAILURE_H

#include <curl/curl.h>
#include <stdbool.h>

#include "worker/wstats.h"

/* Returns true and fills *why (static strings) when the transfer failed:
 * rc != CURLE_OK, or status >= 400. status is the HTTP status received (0 if
 * none): for a timeout it tells "no response" from "response incomplete". */
bool failure_classify(CURLcode rc, long status, wstats_reason_t *why);

/* The same with the transfer's errno (CURLINFO_OS_ERRNO, 0 if unknown), which
 * tells a connection reset from other receive and send errors, and running out
 * of file descriptors from other connect failures. */
bool failure_classify_os(CURLcode rc, long status, long os_errno, wstats_reason_t *why);

/* The same with curl's own message for the transfer (its CURLOPT_ERRORBUFFER;
 * NULL or "" when there is none). A TLS failure — a TLS result code, or a
 * receive or send error the TLS layer reports ("OpenSSL SSL_read: ... alert
 * certificate required") — is category "tls" with why->detail = message
 * itself, which names the cause (self-signed, expired, name mismatch, client
 * certificate required): the caller must replace it by a copy that lasts the
 * run (wstats_message). Other failures are failure_classify_os's. */
bool failure_classify_msg(CURLcode rc, long status, long os_errno, const char *message,
                          wstats_reason_t *why);

#endif
