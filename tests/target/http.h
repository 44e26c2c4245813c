/* http: HTTP/1.x request parsing (in place, no allocation) and response formatting. */
#ifndef BARRAGE_TARGET_HTTP_H
#define BARRAGE_TARGET_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/strbuf.h"

/* Request line plus headers plus the blank line; longer -> 431 (414 for the request line). */
#define HTTP_MAX_HEAD_BYTES 16384
#define HTTP_MAX_HEADERS 100
/* Largest Content-Length accepted; larger -> 413. */
#define HTTP_MAX_BODY_BYTES ((size_t)16 * 1024 * 1024)

/* A borrowed slice of the read buffer: not NUL-terminated. */
typedef struct {
    const char *ptr;
    size_t len;
} http_slice_t;

typedef enum {
    HTTP_PARSE_COMPLETE,   /* one whole request, head_bytes + body_bytes long */
    HTTP_PARSE_INCOMPLETE, /* need more bytes; headers_done says if only the body is missing */
    HTTP_PARSE_ERROR       /* error_status says which response to send before closing */
} http_parse_result_t;

/* All slices point into the buffer given to http_parse_request and stay valid while it does. */
typedef struct {
    http_slice_t method;
    http_slice_t target; /* as sent */
    http_slice_t path;   /* target without query, origin-form ("/x"), or "*" */
    http_slice_t query;  /* after '?', empty if none */
    http_slice_t content_type;
    http_slice_t authorization;
    int minor_version;    /* 0 or 1 */
    bool keep_alive;      /* persistent connection per version and Connection header */
    bool expect_continue; /* Expect: 100-continue */
    bool headers_done;
    size_t head_bytes; /* valid once headers_done */
    size_t body_bytes; /* Content-Length */
    const char *body;  /* valid on HTTP_PARSE_COMPLETE */
    int error_status;  /* 400, 413, 414, 431, 501 or 505 on HTTP_PARSE_ERROR */
} http_request_t;

/* Parses the first request in buf[0, len). Pipelined requests after it are left alone: the
 * caller consumes head_bytes + body_bytes and calls again. */
http_parse_result_t http_parse_request(const char *buf, size_t len, http_request_t *req);

/* True if the slice equals the NUL-terminated string s (case-sensitive). */
bool http_slice_eq(http_slice_t a, const char *s);
/* Finds name=value in a query string (no percent-decoding); true if present. */
bool http_query_get(http_slice_t query, const char *name, http_slice_t *value);
/* Parses a decimal integer in [0, max]; false if empty, not all digits or too large. */
bool http_parse_uint(http_slice_t s, uint64_t max, uint64_t *out);

/* What a route answers. Strings are borrowed and must outlive http_format_response. */
typedef struct {
    int status;
    const char *content_type; /* NULL: no Content-Type header */
    const char *body;
    size_t body_bytes;
    int query_count;           /* >= 0: adds X-Query-Count */
    const char *extra_headers; /* NULL or complete "Name: value\r\n" lines */
} http_response_t;

/* Standard reason phrase for status, or a generic one per class. Never NULL. */
const char *http_reason(int status);
/* Appends the full response to out: status line, Server, Content-Type, Content-Length,
 * Server-Timing (app;dur=<ms, 3 decimals> from handling_us), X-Query-Count, extra headers,
 * Connection, then the body unless head_only. 204 and 304 never carry a body or a length. */
void http_format_response(strbuf_t *out, const http_response_t *resp, bool keep_alive, bool head_only,
                          uint64_t handling_us);

#endif
