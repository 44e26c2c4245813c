/* websec: the web side's address parsing and security decisions, as pure
 * functions (no sockets) so each rule is unit-tested on its own. */
#ifndef BARRAGE_WEB_WEBSEC_H
#define BARRAGE_WEB_WEBSEC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#define WEBSEC_HOST_BYTES 64

typedef struct {
    char host[WEBSEC_HOST_BYTES]; /* as written, without brackets: "127.0.0.1", "::1" */
    uint16_t port;                /* 0 = any */
    bool v6;
    bool loopback; /* 127.0.0.0/8 or ::1 */
    bool wildcard; /* 0.0.0.0 or :: */
    struct sockaddr_storage sa;
    socklen_t sa_bytes;
} websec_addr_t;

/* Parses "HOST:PORT" (HOST a numeric IPv4 address or "localhost", which
 * means 127.0.0.1) or "[V6]:PORT" (numeric IPv6) into *out. Returns 0, or -1
 * with *err (caller frees) saying what is wrong. */
int websec_addr_parse(const char *text, websec_addr_t *out, char **err);

/* A bind beyond loopback is allowed only with auth or insecure. */
bool websec_bind_allowed(const websec_addr_t *a, bool has_auth, bool insecure);

/* True when the Authorization header value is "Basic BASE64" of exactly
 * expected ("USER:PASSWORD"). The comparison takes the same time whatever
 * the first differing byte. header NULL -> false. */
bool websec_basic_ok(const char *header, const char *expected);

/* True when a Host header value names the server bound at a with port
 * port: the bound address (IPv6 in brackets), or "localhost" for a loopback
 * bind, or, for a wildcard bind, any IP literal (a DNS name is what a
 * rebinding attack needs); ":PORT" may be left out only when port is 80.
 * NULL -> false (HTTP/1.1 requires Host). */
bool websec_host_ok(const char *host, const websec_addr_t *a, uint16_t port);

/* True when there is no Origin header, or it is "http://" followed by a
 * value websec_host_ok accepts. "null" and any other scheme are foreign. */
bool websec_origin_ok(const char *origin, const websec_addr_t *a, uint16_t port);

/* True when a Sec-Fetch-Site header is absent (older clients, curl) or says
 * the request comes from the page itself ("same-origin") or from the user
 * ("none": typed or bookmarked). "same-site" and "cross-site" are refused:
 * a GET /stop in another page's <img> carries no Origin, but a browser
 * marks it cross-site. */
bool websec_fetch_site_ok(const char *sec_fetch_site);

#endif
