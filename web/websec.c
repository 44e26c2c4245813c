/* websec: address parsing and the web side's security decisions (no sockets). */
#include "web/websec.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

static int s_fail(char **err, const char *text, const char *why) {
    *err = xasprintf("web address '%s': %s", text, why);
    return -1;
}

static int s_port(const char *p, uint16_t *out) {
    if (*p < '0' || *p > '9') return -1;
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(p, &end, 10);
    if (errno != 0 || *end != '\0' || v > 65535) return -1;
    *out = (uint16_t)v;
    return 0;
}

static void s_classify(websec_addr_t *a) {
    memset(&a->sa, 0, sizeof a->sa);
    if (a->v6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a->sa;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(a->port);
        inet_pton(AF_INET6, a->host, &s6->sin6_addr);
        a->loopback = IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
        a->wildcard = IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr);
        a->sa_bytes = sizeof *s6;
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&a->sa;
        s4->sin_family = AF_INET;
        s4->sin_port = htons(a->port);
        inet_pton(AF_INET, a->host, &s4->sin_addr);
        uint32_t ip = ntohl(s4->sin_addr.s_addr);
        a->loopback = (ip >> 24) == 127;
        a->wildcard = ip == 0;
        a->sa_bytes = sizeof *s4;
    }
}

int websec_addr_parse(const char *text, websec_addr_t *out, char **err) {
    memset(out, 0, sizeof *out);
    const char *host = text, *colon;
    size_t host_len;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':') return s_fail(err, text, "expected [IPV6]:PORT");
        host = text + 1;
        host_len = (size_t)(close - host);
        colon = close + 1;
        out->v6 = true;
    } else {
        colon = strrchr(text, ':');
        if (!colon) return s_fail(err, text, "expected HOST:PORT");
        host_len = (size_t)(colon - text);
        if (memchr(text, ':', host_len))
            return s_fail(err, text, "an IPv6 address goes in brackets: [::1]:8089");
    }
    if (host_len == 0 || host_len >= WEBSEC_HOST_BYTES)
        return s_fail(err, text, "no host, or a host too long");
    if (s_port(colon + 1, &out->port) != 0)
        return s_fail(err, text, "the port must be a number 0..65535");
    memcpy(out->host, host, host_len);
    out->host[host_len] = '\0';
    if (!out->v6 && strcmp(out->host, "localhost") == 0) strcpy(out->host, "127.0.0.1");
    unsigned char buf[sizeof(struct in6_addr)];
    if (inet_pton(out->v6 ? AF_INET6 : AF_INET, out->host, buf) != 1)
        return s_fail(err, text,
                      out->v6 ? "not a numeric IPv6 address"
                              : "not a numeric IPv4 address (or localhost)");
    s_classify(out);
    return 0;
}

bool websec_bind_allowed(const websec_addr_t *a, bool has_auth, bool insecure) {
    return a->loopback || has_auth || insecure;
}

/* Decodes standard base64 into out (at most out_bytes); returns the length or -1. */
static long s_base64(const char *in, unsigned char *out, size_t out_bytes) {
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint32_t acc = 0;
    int bits = 0;
    size_t n = 0, i = 0;
    for (; in[i] && in[i] != '='; i++) {
        const char *p = strchr(alphabet, in[i]);
        if (!p) return -1;
        acc = (acc << 6) | (uint32_t)(p - alphabet);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n == out_bytes) return -1;
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    /* Strict: the bits left over must be zero, so one text means one value. */
    if (bits >= 6 || (acc & ((1u << bits) - 1)) != 0) return -1;
    while (in[i] == '=')
        i++;
    return in[i] == '\0' ? (long)n : -1;
}

bool websec_basic_ok(const char *header, const char *expected) {
    if (!header || strncasecmp(header, "Basic ", 6) != 0) return false;
    const char *p = header + 6;
    while (*p == ' ')
        p++;
    unsigned char got[512];
    long n = s_base64(p, got, sizeof got);
    size_t want = strlen(expected);
    if (n < 0) return false;
    /* Constant time over the expected length: no early exit on a differing byte. */
    unsigned diff = (size_t)n != want;
    for (size_t i = 0; i < want; i++) {
        unsigned char g = i < (size_t)n ? got[i] : 0;
        diff |= (unsigned)(g ^ (unsigned char)expected[i]);
    }
    return diff == 0;
}

/* Splits "HOST[:PORT]" / "[V6][:PORT]" into the host (no brackets) and the port. */
static bool s_split_host(const char *h, char *host, size_t host_bytes, uint16_t *port,
                         bool *has_port) {
    const char *end;
    if (h[0] == '[') {
        const char *close = strchr(h, ']');
        if (!close) return false;
        if ((size_t)(close - h - 1) >= host_bytes) return false;
        memcpy(host, h + 1, (size_t)(close - h - 1));
        host[close - h - 1] = '\0';
        end = close + 1;
    } else {
        end = strchr(h, ':');
        if (!end) end = h + strlen(h);
        if ((size_t)(end - h) >= host_bytes) return false;
        memcpy(host, h, (size_t)(end - h));
        host[end - h] = '\0';
    }
    *has_port = *end == ':';
    if (*has_port) return s_port(end + 1, port) == 0;
    return *end == '\0';
}

static bool s_is_ip(const char *host) {
    unsigned char buf[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

bool websec_host_ok(const char *h, const websec_addr_t *a, uint16_t port) {
    char host[WEBSEC_HOST_BYTES];
    uint16_t got_port = 80;
    bool has_port = false;
    if (!h || !s_split_host(h, host, sizeof host, &got_port, &has_port)) return false;
    if (got_port != port) return false;
    if (strcasecmp(host, "localhost") == 0) return a->loopback || a->wildcard;
    if (a->wildcard) return s_is_ip(host);
    /* Compare addresses, not spellings ("::1" vs "0:0::1"). */
    unsigned char want[sizeof(struct in6_addr)], got[sizeof(struct in6_addr)];
    int af = a->v6 ? AF_INET6 : AF_INET;
    if (inet_pton(af, a->host, want) != 1 || inet_pton(af, host, got) != 1) return false;
    return memcmp(want, got, a->v6 ? 16 : 4) == 0;
}

bool websec_origin_ok(const char *origin, const websec_addr_t *a, uint16_t port) {
    if (!origin) return true;
    if (strncmp(origin, "http://", 7) != 0) return false;
    const char *rest = origin + 7;
    size_t len = strlen(rest);
    if (len > 0 && rest[len - 1] == '/') return false; /* an Origin has no path */
    return websec_host_ok(rest, a, port);
}

bool websec_fetch_site_ok(const char *v) {
    return !v || strcmp(v, "same-origin") == 0 || strcmp(v, "none") == 0;
}
