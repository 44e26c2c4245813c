/* httpver: a row's HTTP versions in words. */
#include "report/httpver.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const s_names[RESULTS_HTTP_N] = {"1.0", "1.1", "2", "3"};
static const char *const s_asked[RESULTS_ASKED_MAX] = {"", "1.1", "2", "h2c"};

const char *httpver_name(int version) {
    return version >= 0 && version < RESULTS_HTTP_N ? s_names[version] : "";
}

const char *httpver_asked_name(results_asked_t asked) {
    return asked < RESULTS_ASKED_MAX ? s_asked[asked] : "";
}

int httpver_parse(const char *text) {
    for (int v = 0; v < RESULTS_HTTP_N; v++)
        if (strcmp(text, s_names[v]) == 0) return v;
    return -1;
}

results_asked_t httpver_asked_parse(const char *text) {
    for (int a = RESULTS_ASKED_1_1; a < RESULTS_ASKED_MAX; a++)
        if (strcmp(text, s_asked[a]) == 0) return (results_asked_t)a;
    return RESULTS_ASKED_MAX;
}

static bool s_asked_h2(const results_row_t *row) {
    return row->http_asked == RESULTS_ASKED_2 || row->http_asked == RESULTS_ASKED_H2C;
}

bool httpver_shown(const results_row_t *row) {
    if (s_asked_h2(row)) return true;
    for (int v = 0; v < RESULTS_HTTP_N; v++)
        if (v != RESULTS_HTTP_1_1 && row->http_versions[v]) return true;
    return false;
}

bool httpver_any_shown(const results_t *r) {
    for (size_t i = 0; i < results_count(r); i++)
        if (httpver_shown(results_row(r, i))) return true;
    return false;
}

/* Appends to buf at *at, never past buf_bytes (snprintf cuts). */
static void s_append(char *buf, size_t buf_bytes, size_t *at, const char *text, uint64_t n) {
    if (*at >= buf_bytes) return;
    int k = snprintf(buf + *at, buf_bytes - *at, "%sHTTP/%s %" PRIu64, *at ? ", " : "", text, n);
    if (k > 0) *at += (size_t)k;
}

char *httpver_counts(const results_row_t *row, char *buf, size_t buf_bytes) {
    size_t at = 0;
    if (buf_bytes) buf[0] = '\0';
    for (int v = 0; v < RESULTS_HTTP_N; v++)
        if (row->http_versions[v]) s_append(buf, buf_bytes, &at, s_names[v], row->http_versions[v]);
    if (at == 0) snprintf(buf, buf_bytes, "no response");
    return buf;
}

bool httpver_fallback(const results_row_t *row, char *buf, size_t buf_bytes) {
    if (!s_asked_h2(row)) return false;
    uint64_t all = 0;
    for (int v = 0; v < RESULTS_HTTP_N; v++)
        all += row->http_versions[v];
    if (all == row->http_versions[RESULTS_HTTP_2]) return false;
    /* The other versions, largest first is overkill: at most three, in order. */
    char got[128] = "";
    size_t at = 0;
    for (int v = 0; v < RESULTS_HTTP_N; v++) {
        if (v == RESULTS_HTTP_2 || !row->http_versions[v] || at >= sizeof got) continue;
        int k = snprintf(got + at, sizeof got - at, "%sHTTP/%s for %" PRIu64, at ? " and " : "",
                         s_names[v], row->http_versions[v]);
        if (k > 0) at += (size_t)k;
    }
    snprintf(buf, buf_bytes, "asked HTTP/2%s, got %s of %" PRIu64 " responses",
             row->http_asked == RESULTS_ASKED_H2C ? " (h2c)" : "", got, all);
    return true;
}
