/* webapi: Locust's /stats/requests JSON and /swarm form, on barrage's snapshot. */
#include "web/webapi.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/units.h"
#include "common/xmalloc.h"
#include "report/report_csv.h"

/* s as HTML-escaped text (Python's html.escape: & < > and, with quote, " '). */
static void s_html_str(strbuf_t *b, const char *s, bool quote) {
    strbuf_t e;
    strbuf_init(&e);
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '&':
            strbuf_append_str(&e, "&amp;");
            break;
        case '<':
            strbuf_append_str(&e, "&lt;");
            break;
        case '>':
            strbuf_append_str(&e, "&gt;");
            break;
        case '"':
            strbuf_append_str(&e, quote ? "&quot;" : "\"");
            break;
        case '\'':
            strbuf_append_str(&e, quote ? "&#x27;" : "'");
            break;
        default:
            strbuf_append_char(&e, *p);
        }
    }
    strbuf_append_json_string(b, strbuf_str(&e));
    strbuf_fini(&e);
}

/* A finite double as JSON (JSON has no NaN or infinity: those become 0). */
static void s_num(strbuf_t *b, double v) {
    if (!isfinite(v)) v = 0;
    if (v == floor(v) && fabs(v) < 1e15)
        strbuf_appendf(b, "%.1f", v);
    else
        strbuf_appendf(b, "%.17g", v);
}

static double s_ms(uint64_t us) {
    return (double)us / 1000.0;
}

static void s_pct(strbuf_t *b, const histogram_t *h, double p) {
    s_num(b, h && histogram_count(h) ? s_ms(histogram_percentile(h, p)) : 0);
}

static void s_row(strbuf_t *b, const results_row_t *row, const char *method, const char *name,
                  double rps, double fps) {
    const histogram_t *h = row ? row->latency : NULL;
    uint64_t n = row ? row->requests : 0;
    bool any = h && histogram_count(h) > 0;
    strbuf_append_str(b, "{\"method\": ");
    strbuf_append_json_string(b, method); /* null for the aggregate */
    strbuf_append_str(b, ", \"name\": ");
    strbuf_append_json_string(b, name);
    strbuf_append_str(b, ", \"safe_name\": ");
    s_html_str(b, name, false);
    strbuf_appendf(b, ", \"num_requests\": %llu, \"num_failures\": %llu", (unsigned long long)n,
                   (unsigned long long)(row ? row->failures : 0));
    strbuf_append_str(b, ", \"avg_response_time\": ");
    s_num(b, any ? histogram_mean(h) / 1000.0 : 0);
    strbuf_append_str(b, ", \"min_response_time\": ");
    s_num(b, any ? s_ms(histogram_min(h)) : 0);
    strbuf_append_str(b, ", \"max_response_time\": ");
    s_num(b, any ? s_ms(histogram_max(h)) : 0);
    strbuf_append_str(b, ", \"current_rps\": ");
    s_num(b, rps);
    strbuf_append_str(b, ", \"current_fail_per_sec\": ");
    s_num(b, fps);
    strbuf_append_str(b, ", \"median_response_time\": ");
    s_pct(b, h, 50);
    strbuf_append_str(b, ", \"ninetieth_response_time\": ");
    s_pct(b, h, 90);
    strbuf_append_str(b, ", \"ninety_ninth_response_time\": ");
    s_pct(b, h, 99);
    strbuf_append_str(b, ", \"avg_content_length\": ");
    s_num(b, n ? (double)row->bytes / (double)n : 0);
    strbuf_append_char(b, '}');
}

/* Row indexes sorted by (name, method), Locust's sort_stats order (caller frees). */
static size_t *s_sorted(const results_t *res, size_t n) {
    size_t *idx = xcalloc(n ? n : 1, sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    /* Insertion sort: qsort has no context argument in C11, and rows are few. */
    for (size_t i = 1; i < n; i++) {
        size_t v = idx[i], j = i;
        while (j > 0) {
            const results_row_t *a = results_row(res, idx[j - 1]), *c = results_row(res, v);
            int d = strcmp(a->name, c->name);
            if (d < 0 || (d == 0 && strcmp(a->method, c->method) <= 0)) break;
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
    return idx;
}

static double s_rate(const double *rates, const web_snapshot_t *s, size_t i) {
    return rates && i < s->n_rates ? rates[i] : 0;
}

static void s_stats(strbuf_t *b, const web_snapshot_t *s) {
    const results_t *res = s && s->report ? s->report->results : NULL;
    size_t n = res ? results_count(res) : 0;
    size_t *idx = s_sorted(res, n);
    strbuf_append_str(b, "\"stats\": [");
    for (size_t k = 0; k < n; k++) {
        const results_row_t *row = results_row(res, idx[k]);
        s_row(b, row, row->method, row->name, s_rate(s->current_rps, s, idx[k]),
              s_rate(s->current_fail_per_sec, s, idx[k]));
        strbuf_append_str(b, ", ");
    }
    s_row(b, res ? results_total(res) : NULL, NULL, "Aggregated",
          s ? s_rate(s->current_rps, s, n) : 0, s ? s_rate(s->current_fail_per_sec, s, n) : 0);
    strbuf_append_str(b, "]");
    free(idx);
}

static void s_errors(strbuf_t *b, const results_t *res) {
    strbuf_append_str(b, "\"errors\": [");
    size_t n = res ? results_error_count(res) : 0;
    for (size_t i = 0; i < n; i++) {
        const results_error_t *e = results_error(res, i);
        strbuf_append_str(b, i ? ", {\"method\": " : "{\"method\": ");
        strbuf_append_json_string(b, e->method);
        strbuf_append_str(b, ", \"name\": ");
        s_html_str(b, e->name, true);
        strbuf_append_str(b, ", \"error\": ");
        s_html_str(b, e->reason, true);
        strbuf_appendf(b, ", \"occurrences\": %llu}", (unsigned long long)e->count);
    }
    strbuf_append_str(b, "]");
}

/* cpu_usage (percent of one core) and memory_usage (bytes) as Locust's, from
 * the worker's last heartbeat; null before one with its health came. */
static void s_workers(strbuf_t *b, const web_snapshot_t *s) {
    const report_t *r = s ? s->report : NULL;
    strbuf_append_str(b, "\"workers\": [");
    /* Before the first run, the workers waiting for it, as Locust lists them. */
    for (size_t i = 0; !r && s && i < s->n_ready_workers; i++) {
        strbuf_append_str(b, i ? ", {\"id\": " : "{\"id\": ");
        strbuf_append_json_string(b, s->ready_workers[i]);
        strbuf_append_str(b, ", \"state\": \"ready\", \"user_count\": 0, \"cpu_usage\": null, "
                             "\"memory_usage\": null}");
    }
    for (size_t i = 0; r && i < r->n_workers; i++) {
        const report_worker_t *w = &r->workers[i];
        strbuf_append_str(b, i ? ", {\"id\": " : "{\"id\": ");
        strbuf_append_json_string(b, w->id ? w->id : "");
        strbuf_append_str(b, ", \"state\": ");
        strbuf_append_json_string(b, w->state ? w->state : "");
        /* A lost worker's users run on the others now: 0, as Locust's missing worker. */
        bool lost = w->state && strcmp(w->state, "lost") == 0;
        strbuf_appendf(b, ", \"user_count\": %u", lost ? 0u : w->users);
        if (w->rss_kib)
            strbuf_appendf(b, ", \"cpu_usage\": %.1f, \"memory_usage\": %llu}",
                           w->cpu_permille / 10.0, (unsigned long long)w->rss_kib * 1024u);
        else
            strbuf_append_str(b, ", \"cpu_usage\": null, \"memory_usage\": null}");
    }
    strbuf_append_str(b, "]");
}

/* Locust's "current" percentiles: over the live window (null before any run). */
static void s_current_pct(strbuf_t *b, const results_t *res, double p) {
    const histogram_t *h = res ? results_total(res)->win_latency : NULL;
    if (!res)
        strbuf_append_str(b, "null");
    else
        s_pct(b, h, p);
}

void webapi_requests_json(const web_snapshot_t *s, strbuf_t *b) {
    const report_t *r = s ? s->report : NULL;
    const results_t *res = r ? r->results : NULL;
    const results_row_t *total = res ? results_total(res) : NULL;
    size_t n = res ? results_count(res) : 0;
    strbuf_append_str(b, "{");
    s_stats(b, s);
    strbuf_append_str(b, ", ");
    s_errors(b, res);
    strbuf_append_str(b, ", \"total_rps\": ");
    s_num(b, s ? s_rate(s->current_rps, s, n) : 0);
    strbuf_append_str(b, ", \"fail_ratio\": ");
    s_num(b, total && total->requests ? (double)total->failures / (double)total->requests : 0);
    strbuf_append_str(b, ", \"current_response_time_percentile_95\": ");
    s_current_pct(b, res, 95);
    strbuf_append_str(b, ", \"current_response_time_percentile_50\": ");
    s_current_pct(b, res, 50);
    strbuf_append_str(b, ", ");
    s_workers(b, s);
    strbuf_append_str(b, ", \"state\": ");
    strbuf_append_json_string(b, s && s->state ? s->state : "ready");
    strbuf_appendf(b, ", \"user_count\": %u}\n", s ? s->user_count : 0);
}

void webapi_result_json(strbuf_t *b, bool ok, const char *message, const char *host) {
    strbuf_appendf(b, "{\"success\": %s, \"message\": ", ok ? "true" : "false");
    strbuf_append_json_string(b, message);
    if (host) {
        strbuf_append_str(b, ", \"host\": ");
        strbuf_append_json_string(b, host);
    }
    strbuf_append_str(b, "}\n");
}

void webapi_swarm_json(strbuf_t *b, const web_cmd_t *c, const char *host) {
    strbuf_append_str(b, "{\"success\": true, \"message\": \"Swarming started\", \"host\": ");
    strbuf_append_json_string(b, host);
    if (c->run_time_ms) {
        strbuf_append_str(b, ", \"run_time\": ");
        if (c->run_time_ms % 1000 == 0)
            strbuf_appendf(b, "%llu", (unsigned long long)(c->run_time_ms / 1000));
        else
            strbuf_appendf(b, "%.3f", (double)c->run_time_ms / 1000);
    }
    strbuf_append_str(b, "}\n");
}

/* ---------------------------------------------------------------- /swarm form */

static int s_hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Percent- and plus-decodes [p, end) into a new string; NULL on a bad escape or a NUL. */
static char *s_decode(const char *p, const char *end) {
    char *out = xmalloc((size_t)(end - p) + 1), *o = out;
    for (; p < end; p++) {
        if (*p == '+') {
            *o++ = ' ';
        } else if (*p == '%') {
            if (end - p < 3 || s_hex(p[1]) < 0 || s_hex(p[2]) < 0) goto bad;
            char c = (char)(s_hex(p[1]) * 16 + s_hex(p[2]));
            if (c == '\0') goto bad;
            *o++ = c;
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
bad:
    free(out);
    return NULL;
}

static int s_fail(web_cmd_t *out, char **err, char *msg) {
    web_cmd_fini(out);
    *err = msg;
    return -1;
}

static int s_users(const char *v, uint32_t *out) {
    if (*v < '0' || *v > '9') return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno != 0 || *end != '\0' || n > UINT32_MAX) return -1;
    *out = (uint32_t)n;
    return 0;
}

static int s_rate_of(const char *v, double *out) {
    char *end = NULL;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || *end != '\0' || errno != 0 || !isfinite(d) || !(d > 0)) return -1;
    *out = d;
    return 0;
}

/* Applies one decoded field; returns 0 or -1 with *err. */
static int s_field(web_cmd_t *out, const char *key, const char *v, bool *seen_users,
                   bool *seen_rate, char **err) {
    if (strcmp(key, "user_count") == 0) {
        if (s_users(v, &out->users) != 0) {
            *err = xasprintf("user_count must be a whole number >= 0 (got '%s')", v);
            return -1;
        }
        *seen_users = true;
    } else if (strcmp(key, "spawn_rate") == 0) {
        if (s_rate_of(v, &out->spawn_rate) != 0) {
            *err = xasprintf("spawn_rate must be a number > 0 (got '%s')", v);
            return -1;
        }
        *seen_rate = true;
    } else if (strcmp(key, "host") == 0) {
        free(out->host);
        out->host = NULL;
        if (*v == '\0') return 0;
        if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0) {
            *err = xasprintf("host must be an http:// or https:// URL (got '%s')", v);
            return -1;
        }
        out->host = xstrdup(v);
    } else if (strcmp(key, "user_classes") == 0) {
        if (out->n_classes == WEB_MAX_CLASSES) {
            *err = xasprintf("at most %d user_classes", WEB_MAX_CLASSES);
            return -1;
        }
        if (!out->classes) out->classes = xcalloc(WEB_MAX_CLASSES, sizeof *out->classes);
        out->classes[out->n_classes++] = xstrdup(v);
    } else if (strcmp(key, "run_time") == 0) {
        out->run_time_ms = 0;
        if (*v != '\0' &&
            (units_parse_duration_ms(v, &out->run_time_ms) != 0 || out->run_time_ms == 0)) {
            *err =
                xasprintf("run_time must be a duration such as 20, 20s, 3m or 1h20m (got '%s')", v);
            return -1;
        }
    }
    return 0;
}

int webapi_parse_swarm(const char *body, size_t len, web_cmd_t *out, char **err) {
    memset(out, 0, sizeof *out);
    out->type = WEB_CMD_SWARM;
    bool seen_users = false, seen_rate = false;
    const char *p = body, *end = body + len;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        if (!amp) amp = end;
        const char *eq = memchr(p, '=', (size_t)(amp - p));
        if (amp > p) {
            char *key = s_decode(p, eq ? eq : amp);
            char *val = eq ? s_decode(eq + 1, amp) : xstrdup("");
            char *why = NULL;
            if (!key || !val)
                why = xstrdup("the form is not valid application/x-www-form-urlencoded");
            else
                s_field(out, key, val, &seen_users, &seen_rate, &why);
            free(key);
            free(val);
            if (why) return s_fail(out, err, why);
        }
        p = amp + 1;
    }
    if (!seen_users) return s_fail(out, err, xstrdup("user_count is missing"));
    if (!seen_rate) return s_fail(out, err, xstrdup("spawn_rate is missing"));
    return 0;
}

bool webapi_is_exception(const char *reason) {
    return strncmp(reason, "capture:", 8) == 0 || strncmp(reason, "not sent:", 9) == 0;
}

/* "METHOD NAME: REASON" of failure e (caller frees). */
static char *s_exception_msg(const results_error_t *e) {
    return xasprintf("%s %s: %s", e->method, e->name, e->reason);
}

void webapi_exceptions_json(const web_snapshot_t *s, strbuf_t *b) {
    const results_t *res = s && s->report ? s->report->results : NULL;
    size_t n = res ? results_error_count(res) : 0;
    bool first = true;
    strbuf_append_str(b, "{\"exceptions\": [");
    for (size_t i = 0; i < n; i++) {
        const results_error_t *e = results_error(res, i);
        if (!webapi_is_exception(e->reason)) continue;
        char *msg = s_exception_msg(e);
        strbuf_appendf(b, "%s{\"count\": %llu, \"msg\": ", first ? "" : ", ",
                       (unsigned long long)e->count);
        s_html_str(b, msg, true);
        strbuf_append_str(b, ", \"traceback\": \"\", \"nodes\": \"\"}");
        free(msg);
        first = false;
    }
    strbuf_append_str(b, "]}\n");
}

void webapi_exceptions_csv(const web_snapshot_t *s, strbuf_t *b) {
    const results_t *res = s && s->report ? s->report->results : NULL;
    size_t n = res ? results_error_count(res) : 0;
    strbuf_append_str(b, "Count,Message,Traceback,Nodes\r\n");
    for (size_t i = 0; i < n; i++) {
        const results_error_t *e = results_error(res, i);
        if (!webapi_is_exception(e->reason)) continue;
        char *msg = s_exception_msg(e);
        strbuf_appendf(b, "%llu,", (unsigned long long)e->count);
        report_csv_field(b, msg);
        strbuf_append_str(b, ",,\r\n");
        free(msg);
    }
}
