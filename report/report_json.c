/* report_json: writes the JSON result with a small emitter of its own (the
 * layout: short objects and bucket lists on one line; numbers: shortest
 * round-trip doubles, exact millisecond decimals — neither can be asked of
 * jansson's dumper, see docs/json.md) with strings escaped by jansson, and
 * reads it back with jansson. */
#include "report/report_json.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/file.h"
#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "report/httpver.h"
#include "report/percentiles.h"
#include "report/phases.h"

#define JW_MAX_DEPTH 8

/* ---------------------------------------------------------------- emitter */

typedef struct {
    strbuf_t b;
    int depth;
    bool first[JW_MAX_DEPTH];
    bool compact[JW_MAX_DEPTH]; /* items separated by ", " on one line */
} jw_t;

static void s_indent(jw_t *w, int depth) {
    strbuf_append_char(&w->b, '\n');
    for (int i = 0; i < depth; i++) strbuf_append(&w->b, "  ", 2);
}

/* Separator before a key or an array element. */
static void s_item(jw_t *w) {
    int d = w->depth;
    if (!w->first[d]) strbuf_append_char(&w->b, ',');
    if (w->compact[d]) {
        if (!w->first[d]) strbuf_append_char(&w->b, ' ');
    } else {
        s_indent(w, d);
    }
    w->first[d] = false;
}

static void s_open(jw_t *w, char c, bool compact) {
    strbuf_append_char(&w->b, c);
    w->depth++;
    w->first[w->depth] = true;
    w->compact[w->depth] = compact || w->compact[w->depth - 1];
}

static void s_close(jw_t *w, char c) {
    bool empty = w->first[w->depth], compact = w->compact[w->depth];
    w->depth--;
    if (!empty && !compact) s_indent(w, w->depth);
    strbuf_append_char(&w->b, c);
}

/* Length of the valid UTF-8 sequence at s (as strict as jansson's loader:
 * no overlongs, no surrogates, nothing above U+10FFFF), or 0 if invalid. */
static size_t s_utf8_len(const unsigned char *s) {
    unsigned c = s[0];
    size_t n;
    uint32_t cp;
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) n = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef) n = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4) n = 4, cp = c & 0x07;
    else return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0; /* also stops at the NUL */
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return 0;
    if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return 0;
    return n;
}

/* str with every byte that is not part of valid UTF-8 replaced by U+FFFD
 * (JSON cannot carry them; documented in docs/json.md), or NULL when str is
 * valid as it is. Caller frees. */
static char *s_utf8_repaired(const char *str) {
    const unsigned char *s = (const unsigned char *)str;
    size_t n;
    while (*s && (n = s_utf8_len(s)) > 0) s += n;
    if (!*s) return NULL;
    strbuf_t b;
    strbuf_init(&b);
    strbuf_append(&b, str, (size_t)((const char *)s - str));
    while (*s) {
        n = s_utf8_len(s);
        if (n == 0) {
            /* Raw, not escaped: the reader's string then writes back the same bytes. */
            strbuf_append_str(&b, "\xef\xbf\xbd");
            s++;
        } else {
            strbuf_append(&b, s, n);
            s += n;
        }
    }
    char *out = xstrdup(strbuf_str(&b));
    strbuf_fini(&b);
    return out;
}

/* A JSON string, escaped by jansson (the library that reads it back); NULL
 * is written as null. */
static void s_string(jw_t *w, const char *str) {
    if (!str) {
        strbuf_append_str(&w->b, "null");
        return;
    }
    char *repaired = s_utf8_repaired(str);
    json_t *j = json_string(repaired ? repaired : str);
    /* Valid UTF-8 without NUL: only out of memory makes jansson fail here. */
    char *text = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    if (!text) xfatal("out of memory encoding a JSON string (jansson)");
    strbuf_append_str(&w->b, text);
    free(text);
    json_decref(j);
    free(repaired);
}

static void s_key(jw_t *w, const char *key) {
    s_item(w);
    s_string(w, key);
    strbuf_append(&w->b, ": ", 2);
}

static void s_kv_str(jw_t *w, const char *key, const char *v) {
    s_key(w, key);
    s_string(w, v);
}

static void s_kv_u64(jw_t *w, const char *key, uint64_t v) {
    s_key(w, key);
    strbuf_appendf(&w->b, "%" PRIu64, v);
}

static void s_kv_bool(jw_t *w, const char *key, bool v) {
    s_key(w, key);
    strbuf_append_str(&w->b, v ? "true" : "false");
}

/* The shortest decimal that reads back as exactly v, so a report read from
 * JSON is equal to the one written; null for NaN and infinities. */
static void s_kv_double(jw_t *w, const char *key, double v) {
    s_key(w, key);
    if (!isfinite(v)) {
        strbuf_append_str(&w->b, "null");
        return;
    }
    char buf[40];
    int prec = 1;
    for (; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    /* %g turns 10 into "1e+01"; an integral value below 1e15 is exact and
     * plainer as an integer (larger ones keep the exponent: a reader may
     * not take integers beyond 2^63). */
    if (strchr(buf, 'e') && fabs(v) < 1e15 && v == trunc(v)) snprintf(buf, sizeof buf, "%.0f", v);
    strbuf_append_str(&w->b, buf);
}

/* Microseconds as milliseconds, exact: up to 3 decimals, trailing zeros trimmed. */
static void s_kv_ms(jw_t *w, const char *key, uint64_t us) {
    s_key(w, key);
    strbuf_appendf(&w->b, "%" PRIu64, us / 1000);
    unsigned frac = (unsigned)(us % 1000);
    if (frac == 0) return;
    char dec[4];
    snprintf(dec, sizeof dec, "%03u", frac);
    for (int i = 2; i > 0 && dec[i] == '0'; i--) dec[i] = '\0';
    strbuf_appendf(&w->b, ".%s", dec);
}

/* "2024-05-01T12:00:00.123Z", or NULL for 0 (not set). */
static const char *s_iso8601(uint64_t ms, char *buf, size_t buf_bytes) {
    if (ms == 0) return NULL;
    time_t sec = (time_t)(ms / 1000);
    struct tm tm;
    if (!gmtime_r(&sec, &tm)) return NULL;
    size_t n = strftime(buf, buf_bytes, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, buf_bytes - n, ".%03uZ", (unsigned)(ms % 1000));
    return buf;
}

/* ---------------------------------------------------------------- writing */

static void s_write_meta(jw_t *w, const report_t *r) {
    char iso[48];
    s_kv_str(w, "format", "barrage-result");
    s_kv_u64(w, "format_version", REPORT_JSON_FORMAT_VERSION);
    s_kv_str(w, "barrage_version", r->barrage_version);
    s_key(w, "scenario");
    s_open(w, '{', false);
    s_kv_str(w, "name", r->scenario_name);
    s_kv_str(w, "file", r->scenario_file);
    s_kv_str(w, "sha256", r->scenario_sha256);
    s_close(w, '}');
    s_kv_str(w, "host", r->host);
    s_kv_str(w, "mode", r->mode);
    s_kv_u64(w, "users", r->users);
    s_kv_double(w, "spawn_rate", r->spawn_rate);
    s_kv_double(w, "rate", r->rate);
    s_kv_u64(w, "max_users", r->max_users);
    s_kv_str(w, "stages", r->stages);
    s_kv_u64(w, "duration_ms", r->duration_ms);
    s_kv_double(w, "run_seconds", r->run_seconds);
    s_kv_str(w, "started", s_iso8601(r->started_ms, iso, sizeof iso));
    s_kv_u64(w, "started_ms", r->started_ms);
    s_kv_str(w, "ended", s_iso8601(r->ended_ms, iso, sizeof iso));
    s_kv_u64(w, "ended_ms", r->ended_ms);
    s_kv_bool(w, "interrupted", r->interrupted);
    s_kv_str(w, "aborted_by", r->aborted_by);
    s_kv_double(w, "aborted_at_s", r->aborted_at_s);
}

static void s_write_workers(jw_t *w, const report_t *r) {
    char iso[48];
    s_key(w, "workers");
    s_open(w, '[', false);
    for (size_t i = 0; i < r->n_workers; i++) {
        const report_worker_t *x = &r->workers[i];
        s_item(w);
        s_open(w, '{', true);
        s_kv_str(w, "id", x->id);
        s_kv_str(w, "host", x->hostname);
        s_kv_u64(w, "pid", x->pid);
        s_kv_u64(w, "users", x->users);
        s_kv_u64(w, "reports", x->reports);
        s_kv_str(w, "state", x->state);
        s_kv_str(w, "lost_at", s_iso8601(x->lost_at_ms, iso, sizeof iso));
        s_kv_u64(w, "lost_at_ms", x->lost_at_ms);
        s_kv_u64(w, "cpu_permille", x->cpu_permille);
        s_kv_u64(w, "cpu_max_permille", x->cpu_max_permille);
        s_kv_u64(w, "rss_kib", x->rss_kib);
        s_kv_u64(w, "rss_max_kib", x->rss_max_kib);
        s_kv_u64(w, "connections", x->connections);
        s_kv_u64(w, "lag_max_us", x->lag_max_us);
        s_close(w, '}');
    }
    s_close(w, ']');
}

static void s_write_saturations(jw_t *w, const report_t *r) {
    s_key(w, "saturation");
    s_open(w, '[', false);
    for (size_t i = 0; i < r->n_saturations; i++) {
        const report_saturation_t *x = &r->saturations[i];
        s_item(w);
        s_open(w, '{', true);
        s_kv_str(w, "worker", x->worker);
        s_kv_double(w, "from_s", x->from_s);
        s_kv_double(w, "to_s", x->to_s);
        s_kv_u64(w, "cpu_max_permille", x->cpu_max_permille);
        s_kv_u64(w, "lag_max_us", x->lag_max_us);
        s_close(w, '}');
    }
    s_close(w, ']');
}

static void s_write_histogram(jw_t *w, const histogram_t *h) {
    s_key(w, "histogram");
    s_open(w, '{', false);
    s_kv_u64(w, "count", histogram_count(h));
    s_kv_u64(w, "min_us", histogram_min(h));
    s_kv_u64(w, "max_us", histogram_max(h));
    s_kv_u64(w, "sum_us", histogram_sum(h));
    s_key(w, "buckets");
    s_open(w, '[', true);
    int32_t idx = -1;
    uint64_t count;
    while (histogram_next_bucket(h, &idx, &count)) {
        s_item(w);
        strbuf_appendf(&w->b, "[%" PRId32 ", %" PRIu64 "]", idx, count);
    }
    s_close(w, ']');
    s_close(w, '}');
}

/* Server-side metrics (Server-Timing, X-Query-Count): values are recorded in
 * thousandths of the metric's unit (ms, or queries), so the summary numbers
 * are written in the unit and the histogram raw. */
static void s_write_metrics(jw_t *w, const results_metric_t *const *ms, size_t n) {
    s_key(w, "metrics");
    s_open(w, '[', false);
    for (size_t i = 0; i < n; i++) {
        const results_metric_t *m = ms[i];
        s_item(w);
        s_open(w, '{', false);
        s_kv_str(w, "name", m->name);
        s_kv_ms(w, "avg", (uint64_t)llround(histogram_mean(m->values)));
        s_kv_ms(w, "p50", histogram_percentile(m->values, 50));
        s_kv_ms(w, "p95", histogram_percentile(m->values, 95));
        s_kv_ms(w, "p99", histogram_percentile(m->values, 99));
        s_kv_ms(w, "max", histogram_max(m->values));
        s_write_histogram(w, m->values);
        s_close(w, '}');
    }
    s_close(w, ']');
}

static const results_metric_t *s_metric_named(const results_row_t *row, const char *name) {
    for (size_t k = 0; k < row->n_metrics; k++) {
        if (strcmp(row->metrics[k].name, name) == 0) return &row->metrics[k];
    }
    return NULL;
}

static bool s_listed(const results_metric_t *const *ms, size_t n, const results_metric_t *m) {
    for (size_t i = 0; i < n; i++) {
        if (ms[i] == m) return true;
    }
    return false;
}

/* The metrics of one row in their order; for the aggregate (rows != NULL),
 * in the order a reader rebuilds them — the rows in order, each row's
 * metrics in order — since the live merge may have met them in another and
 * a rewrite of a read result must be byte-identical. *out: caller frees. */
static size_t s_metric_order(const results_row_t *row, const results_t *rows,
                             const results_metric_t ***out) {
    const results_metric_t **ms = xcalloc(row->n_metrics ? row->n_metrics : 1, sizeof *ms);
    size_t n = 0;
    for (size_t i = 0; rows && i < results_count(rows); i++) {
        const results_row_t *x = results_row(rows, i);
        for (size_t k = 0; k < x->n_metrics; k++) {
            const results_metric_t *m = s_metric_named(row, x->metrics[k].name);
            if (m && !s_listed(ms, n, m)) ms[n++] = m;
        }
    }
    for (size_t k = 0; k < row->n_metrics; k++) {
        if (!s_listed(ms, n, &row->metrics[k])) ms[n++] = &row->metrics[k];
    }
    *out = ms;
    return n;
}

/* The row's "http" (the version asked, when known) and "http_versions" (its
 * responses by version, the versions that had any), both absent when there
 * is nothing to say: results without responses or from before them read the same. */
static void s_write_http(jw_t *w, const results_row_t *row) {
    if (row->http_asked != RESULTS_ASKED_NONE)
        s_kv_str(w, "http", httpver_asked_name(row->http_asked));
    bool any = false;
    for (int v = 0; v < RESULTS_HTTP_N; v++)
        any |= row->http_versions[v] > 0;
    if (!any) return;
    s_key(w, "http_versions");
    s_open(w, '{', true);
    for (int v = 0; v < RESULTS_HTTP_N; v++)
        if (row->http_versions[v]) s_kv_u64(w, httpver_name(v), row->http_versions[v]);
    s_close(w, '}');
}

/* The row's "wire_bytes" and "connections_opened", written with its phases. */
static void s_write_transfer(jw_t *w, const results_row_t *row) {
    if (!phases_count(row)) return;
    s_kv_u64(w, "wire_bytes", row->wire_bytes);
    s_kv_u64(w, "connections_opened", row->connects);
}

/* The row's "phases": per phase its average and p95 in ms, its share of the
 * row's total and its histogram; absent when no request of the row reached
 * curl (and in results from before phases). */
static void s_write_phases(jw_t *w, const results_row_t *row) {
    if (!phases_count(row)) return;
    s_key(w, "phases");
    s_open(w, '{', false);
    for (int p = 0; p < RESULTS_PHASE_N; p++) {
        const histogram_t *h = row->phases[p];
        s_key(w, phases_name(p));
        s_open(w, '{', false);
        s_kv_ms(w, "avg_ms", (uint64_t)llround(histogram_mean(h)));
        s_kv_ms(w, "p95_ms", histogram_percentile(h, 95));
        s_kv_double(w, "share", phases_share(row, p));
        s_write_histogram(w, h);
        s_close(w, '}');
    }
    s_close(w, '}');
}

/* One stats row as an object; the caller has written its key or separator.
 * rows: all the stats rows when row is their aggregate, else NULL. */
static void s_write_row(jw_t *w, const results_row_t *row, const char *method, const char *name,
                        const results_t *rows) {
    const histogram_t *h = row->latency;
    s_open(w, '{', false);
    s_kv_str(w, "method", method);
    s_kv_str(w, "name", name);
    s_kv_u64(w, "requests", row->requests);
    s_kv_u64(w, "failures", row->failures);
    s_kv_u64(w, "bytes", row->bytes);
    s_write_http(w, row);
    s_write_transfer(w, row);
    s_kv_ms(w, "avg_ms", (uint64_t)llround(histogram_mean(h)));
    s_kv_ms(w, "min_ms", histogram_min(h));
    s_kv_ms(w, "max_ms", histogram_max(h));
    s_key(w, "percentiles_ms");
    s_open(w, '{', true);
    for (int i = 0; i < PERCENTILES_N; i++) {
        char key[16];
        snprintf(key, sizeof key, "%g", PERCENTILES_VALUES[i]);
        s_kv_ms(w, key, histogram_percentile(h, PERCENTILES_VALUES[i]));
    }
    s_close(w, '}');
    s_write_histogram(w, h);
    s_write_phases(w, row);
    const results_metric_t **ms;
    size_t n = s_metric_order(row, rows, &ms);
    s_write_metrics(w, ms, n);
    free(ms);
    s_close(w, '}');
}

static void s_write_stats(jw_t *w, const report_t *r) {
    s_key(w, "stats");
    s_open(w, '[', false);
    for (size_t i = 0; i < results_count(r->results); i++) {
        const results_row_t *row = results_row(r->results, i);
        s_item(w);
        s_write_row(w, row, row->method, row->name, NULL);
    }
    s_close(w, ']');
    s_key(w, "aggregated");
    s_write_row(w, results_total(r->results), "", "Aggregated", r->results);
    s_kv_u64(w, "dropped", results_dropped(r->results));
}

static void s_write_errors(jw_t *w, const report_t *r) {
    s_key(w, "errors");
    s_open(w, '[', false);
    for (size_t i = 0; i < results_error_count(r->results); i++) {
        const results_error_t *e = results_error(r->results, i);
        s_item(w);
        s_open(w, '{', true);
        s_kv_str(w, "method", e->method);
        s_kv_str(w, "name", e->name);
        s_kv_str(w, "reason", e->reason);
        s_kv_u64(w, "count", e->count);
        s_close(w, '}');
    }
    s_close(w, ']');
}

static void s_write_point(jw_t *w, const timeline_point_t *p) {
    s_item(w);
    s_open(w, '{', true);
    s_kv_u64(w, "second", p->second);
    s_kv_u64(w, "wall_ms", p->wall_ms);
    s_kv_u64(w, "users", p->users);
    s_kv_u64(w, "requests", p->requests);
    s_kv_u64(w, "failures", p->failures);
    s_kv_u64(w, "bytes", p->bytes);
    s_key(w, "pct_us");
    s_open(w, '[', true);
    for (int i = 0; i < PERCENTILES_N; i++) {
        s_item(w);
        strbuf_appendf(&w->b, "%" PRIu64, p->pct_us[i]);
    }
    s_close(w, ']');
    s_kv_u64(w, "total_requests", p->total_requests);
    s_kv_u64(w, "total_failures", p->total_failures);
    s_kv_u64(w, "total_bytes", p->total_bytes);
    s_kv_u64(w, "total_median_us", p->total_median_us);
    s_kv_u64(w, "total_min_us", p->total_min_us);
    s_kv_u64(w, "total_max_us", p->total_max_us);
    s_kv_double(w, "total_avg_us", p->total_avg_us);
    s_close(w, '}');
}

static void s_write_timeline(jw_t *w, const report_t *r) {
    s_key(w, "timeline");
    s_open(w, '[', false);
    for (size_t i = 0; i < timeline_count(r->timeline); i++) {
        s_write_point(w, timeline_point(r->timeline, i));
    }
    s_close(w, ']');
}

static void s_write_thresholds(jw_t *w, const report_t *r) {
    s_key(w, "thresholds");
    s_open(w, '[', false);
    for (size_t i = 0; i < r->n_thresholds; i++) {
        const report_threshold_t *t = &r->thresholds[i];
        s_item(w);
        s_open(w, '{', true);
        s_kv_str(w, "text", t->text);
        s_kv_str(w, "name", t->name);
        s_kv_bool(w, "passed", t->passed);
        s_kv_double(w, "value", t->value);
        s_kv_str(w, "measured", t->measured);
        s_close(w, '}');
    }
    s_close(w, ']');
}


void report_json_render(const report_t *r, strbuf_t *b) {
    /* The emitter appends to its own buffer: lend it b's and give it back. */
    jw_t w = {0};
    w.b = *b;
    s_open(&w, '{', false);
    s_write_meta(&w, r);
    s_write_workers(&w, r);
    s_write_saturations(&w, r);
    s_write_stats(&w, r);
    s_write_errors(&w, r);
    s_write_timeline(&w, r);
    s_write_thresholds(&w, r);
    s_close(&w, '}');
    strbuf_append_char(&w.b, '\n');
    *b = w.b;
}

int report_json_write(const report_t *r, const char *path, char **err) {
    strbuf_t b;
    strbuf_init(&b);
    report_json_render(r, &b);
    int rc = file_replace(path, strbuf_str(&b), b.len, err);
    strbuf_fini(&b);
    return rc;
}

/* ---------------------------------------------------------------- reading */

#define PATH_BYTES 192

typedef struct {
    const char *file;
    char *err; /* the first error; later ones are dropped */
} rd_t;

static void s_fail(rd_t *rd, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void s_fail(rd_t *rd, const char *at, const char *fmt, ...) {
    if (rd->err) return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rd->err = xasprintf("%s: %s: %s", rd->file, at[0] ? at : "(top level)", msg);
}

/* Appends text to the path in buf (PATH_BYTES); a path too long is cut
 * short, it still names the place. */
static void s_path_cat(char *buf, const char *text) {
    size_t n = strlen(buf), m = strlen(text);
    if (m > PATH_BYTES - 1 - n) m = PATH_BYTES - 1 - n;
    memcpy(buf + n, text, m);
    buf[n + m] = '\0';
}

/* "at.key", or "key" at the top level (buf may not be at). */
static const char *s_path(char *buf, const char *at, const char *key) {
    buf[0] = '\0';
    s_path_cat(buf, at);
    if (at[0]) s_path_cat(buf, ".");
    s_path_cat(buf, key);
    return buf;
}

/* "at.key[i]". */
static const char *s_index(char *buf, const char *at, const char *key, size_t i) {
    char idx[32];
    snprintf(idx, sizeof idx, "[%zu]", i);
    s_path(buf, at, key);
    s_path_cat(buf, idx);
    return buf;
}

static char *s_dup(const char *s) {
    return s ? xstrdup(s) : NULL;
}

/* Member key of obj, or NULL with "missing" (obj may be NULL after an error). */
static json_t *s_member(rd_t *rd, json_t *obj, const char *at, const char *key) {
    json_t *v = obj ? json_object_get(obj, key) : NULL;
    char p[PATH_BYTES];
    if (!v) s_fail(rd, s_path(p, at, key), "missing");
    return v;
}

static json_t *s_typed(rd_t *rd, json_t *obj, const char *at, const char *key, json_type type) {
    json_t *v = s_member(rd, obj, at, key);
    char p[PATH_BYTES];
    if (v && json_typeof(v) != type) {
        s_fail(rd, s_path(p, at, key), "expected %s",
               type == JSON_ARRAY ? "an array" : "an object");
        return NULL;
    }
    return v;
}

static bool s_as_u64(rd_t *rd, json_t *v, const char *path, uint64_t max, uint64_t *out) {
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        s_fail(rd, path, "expected a non-negative integer");
        return false;
    }
    uint64_t x = (uint64_t)json_integer_value(v);
    if (x > max) {
        s_fail(rd, path, "%" PRIu64 " is out of range (at most %" PRIu64 ")", x, max);
        return false;
    }
    *out = x;
    return true;
}

static bool s_u64(rd_t *rd, json_t *obj, const char *at, const char *key, uint64_t *out) {
    char p[PATH_BYTES];
    json_t *v = s_member(rd, obj, at, key);
    return v && s_as_u64(rd, v, s_path(p, at, key), UINT64_MAX, out);
}

static bool s_u32(rd_t *rd, json_t *obj, const char *at, const char *key, uint32_t *out) {
    char p[PATH_BYTES];
    uint64_t x;
    json_t *v = s_member(rd, obj, at, key);
    if (!v || !s_as_u64(rd, v, s_path(p, at, key), UINT32_MAX, &x)) return false;
    *out = (uint32_t)x;
    return true;
}

/* A number, or null for NaN (the writer's null for non-finite values). */
static bool s_double(rd_t *rd, json_t *obj, const char *at, const char *key, double *out) {
    char p[PATH_BYTES];
    json_t *v = s_member(rd, obj, at, key);
    if (!v) return false;
    if (json_is_null(v)) {
        *out = NAN;
    } else if (json_is_number(v)) {
        *out = json_number_value(v);
    } else {
        s_fail(rd, s_path(p, at, key), "expected a number");
        return false;
    }
    return true;
}

static bool s_bool(rd_t *rd, json_t *obj, const char *at, const char *key, bool *out) {
    char p[PATH_BYTES];
    json_t *v = s_member(rd, obj, at, key);
    if (!v) return false;
    if (!json_is_boolean(v)) {
        s_fail(rd, s_path(p, at, key), "expected true or false");
        return false;
    }
    *out = json_is_true(v);
    return true;
}

/* A string (borrowed from the document), or NULL for null when nullable. */
static bool s_str(rd_t *rd, json_t *obj, const char *at, const char *key, bool nullable,
                  const char **out) {
    char p[PATH_BYTES];
    json_t *v = s_member(rd, obj, at, key);
    if (!v) return false;
    if (nullable && json_is_null(v)) {
        *out = NULL;
    } else if (json_is_string(v)) {
        *out = json_string_value(v);
    } else {
        s_fail(rd, s_path(p, at, key), nullable ? "expected a string or null" : "expected a string");
        return false;
    }
    return true;
}

/* Keys added to format_version 1 after its first files (the open model's
 * rate, max_users, stages and dropped; aborted_by and aborted_at_s; the
 * workers' health and saturation): absent means the default. */
static bool s_added(json_t *obj, const char *key) {
    return json_object_get(obj, key) != NULL;
}

static void s_read_meta(rd_t *rd, json_t *root, report_t *r) {
    const char *s = NULL, *name = NULL, *file = NULL, *sha = NULL, *host = NULL, *mode = NULL;
    uint64_t version = 0;
    if (s_str(rd, root, "", "format", false, &s) && strcmp(s, "barrage-result") != 0) {
        s_fail(rd, "format", "not a barrage result (\"%s\")", s);
    }
    if (s_u64(rd, root, "", "format_version", &version) &&
        (version == 0 || version > REPORT_JSON_FORMAT_VERSION)) {
        s_fail(rd, "format_version", "version %" PRIu64 " is not supported (this barrage reads %d)",
               version, REPORT_JSON_FORMAT_VERSION);
    }
    if (rd->err) return; /* not our format: the rest would only add noise */
    if (s_str(rd, root, "", "barrage_version", true, &s)) r->barrage_version = s_dup(s);
    json_t *sc = s_typed(rd, root, "", "scenario", JSON_OBJECT);
    s_str(rd, sc, "scenario", "name", true, &name);
    s_str(rd, sc, "scenario", "file", true, &file);
    s_str(rd, sc, "scenario", "sha256", true, &sha);
    s_str(rd, root, "", "host", true, &host);
    s_str(rd, root, "", "mode", true, &mode);
    s_u32(rd, root, "", "users", &r->users);
    s_double(rd, root, "", "spawn_rate", &r->spawn_rate);
    const char *stages = NULL;
    if (s_added(root, "rate")) s_double(rd, root, "", "rate", &r->rate);
    if (s_added(root, "max_users")) s_u32(rd, root, "", "max_users", &r->max_users);
    if (s_added(root, "stages")) s_str(rd, root, "", "stages", true, &stages);
    s_u64(rd, root, "", "duration_ms", &r->duration_ms);
    s_double(rd, root, "", "run_seconds", &r->run_seconds);
    s_u64(rd, root, "", "started_ms", &r->started_ms);
    s_u64(rd, root, "", "ended_ms", &r->ended_ms);
    s_bool(rd, root, "", "interrupted", &r->interrupted);
    const char *aborted_by = NULL;
    if (s_added(root, "aborted_by")) s_str(rd, root, "", "aborted_by", true, &aborted_by);
    if (s_added(root, "aborted_at_s")) s_double(rd, root, "", "aborted_at_s", &r->aborted_at_s);
    if (rd->err) return;
    r->aborted_by = s_dup(aborted_by);
    r->scenario_name = s_dup(name);
    r->scenario_file = s_dup(file);
    r->scenario_sha256 = s_dup(sha);
    r->host = s_dup(host);
    r->mode = s_dup(mode);
    r->stages = s_dup(stages);
}

static void s_read_workers(rd_t *rd, json_t *root, report_t *r) {
    json_t *arr = s_typed(rd, root, "", "workers", JSON_ARRAY);
    for (size_t i = 0; !rd->err && i < json_array_size(arr); i++) {
        char at[PATH_BYTES];
        json_t *v = json_array_get(arr, i);
        s_index(at, "", "workers", i);
        if (!json_is_object(v)) {
            s_fail(rd, at, "expected an object");
            return;
        }
        report_worker_t w = {0};
        const char *id = NULL, *host = NULL, *state = NULL;
        s_str(rd, v, at, "id", true, &id);
        s_str(rd, v, at, "host", true, &host);
        s_u32(rd, v, at, "pid", &w.pid);
        s_u32(rd, v, at, "users", &w.users);
        s_u64(rd, v, at, "reports", &w.reports);
        s_str(rd, v, at, "state", true, &state);
        s_u64(rd, v, at, "lost_at_ms", &w.lost_at_ms);
        if (s_added(v, "cpu_permille")) { /* health: absent in older files */
            s_u32(rd, v, at, "cpu_permille", &w.cpu_permille);
            s_u32(rd, v, at, "cpu_max_permille", &w.cpu_max_permille);
            s_u64(rd, v, at, "rss_kib", &w.rss_kib);
            s_u64(rd, v, at, "rss_max_kib", &w.rss_max_kib);
            s_u32(rd, v, at, "connections", &w.connections);
            s_u32(rd, v, at, "lag_max_us", &w.lag_max_us);
        }
        if (rd->err) return;
        /* report_add_worker copies the strings: lending the document's is fine. */
        w.id = (char *)id;
        w.hostname = (char *)host;
        w.state = (char *)state;
        report_add_worker(r, &w);
    }
}

/* One [index, count] pair; indexes must increase. */
static void s_read_bucket(rd_t *rd, json_t *v, const char *at, histogram_t *h, json_int_t *prev,
                          uint64_t *total) {
    json_t *ji = json_array_get(v, 0), *jc = json_array_get(v, 1);
    if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_integer(ji) ||
        !json_is_integer(jc)) {
        s_fail(rd, at, "expected [index, count] (two integers)");
        return;
    }
    json_int_t idx = json_integer_value(ji), count = json_integer_value(jc);
    if (idx < 0 || idx >= histogram_bucket_total()) {
        s_fail(rd, at, "bucket index out of range");
    } else if (idx <= *prev) {
        s_fail(rd, at, "bucket indexes must increase (%lld after %lld)", (long long)idx,
               (long long)*prev);
    } else if (count <= 0) {
        s_fail(rd, at, "bucket count must be positive");
    } else if (*total + (uint64_t)count < *total) {
        s_fail(rd, at, "bucket counts overflow");
    } else if (histogram_add_bucket(h, (int32_t)idx, (uint64_t)count) != 0) {
        s_fail(rd, at, "bucket index out of range"); /* below 1 us or above 1 h */
    }
    *prev = idx;
    *total += (uint64_t)count;
}

/* The "histogram" member of obj, rebuilt and checked; NULL after an error. */
static histogram_t *s_read_histogram(rd_t *rd, json_t *obj, const char *at) {
    char hat[PATH_BYTES], p[PATH_BYTES];
    uint64_t count = 0, min_us = 0, max_us = 0, sum_us = 0, total = 0;
    s_path(hat, at, "histogram");
    json_t *hj = s_typed(rd, obj, at, "histogram", JSON_OBJECT);
    s_u64(rd, hj, hat, "count", &count);
    s_u64(rd, hj, hat, "min_us", &min_us);
    s_u64(rd, hj, hat, "max_us", &max_us);
    s_u64(rd, hj, hat, "sum_us", &sum_us);
    json_t *buckets = s_typed(rd, hj, hat, "buckets", JSON_ARRAY);
    if (rd->err) return NULL;
    histogram_t *h = histogram_new();
    json_int_t prev = -1;
    for (size_t i = 0; !rd->err && i < json_array_size(buckets); i++) {
        s_read_bucket(rd, json_array_get(buckets, i), s_index(p, hat, "buckets", i), h, &prev,
                      &total);
    }
    if (!rd->err && total != count) {
        s_fail(rd, s_path(p, hat, "count"), "%" PRIu64 " but the buckets hold %" PRIu64, count,
               total);
    }
    if (!rd->err && histogram_set_stats(h, min_us, max_us, sum_us) != 0) {
        s_fail(rd, hat, "min_us, max_us and sum_us are inconsistent with the buckets");
    }
    if (rd->err) histogram_destroy(&h);
    return h;
}

/* The optional "metrics" array of a stats row into *out (names lent from the
 * JSON document, histograms owned: free with s_metrics_free). */
static size_t s_read_metrics(rd_t *rd, json_t *v, const char *at, results_metric_delta_t **out) {
    char mat[PATH_BYTES], p[PATH_BYTES];
    json_t *arr = json_object_get(v, "metrics");
    *out = NULL;
    if (!arr) return 0;
    if (!json_is_array(arr)) {
        s_fail(rd, s_path(p, at, "metrics"), "expected an array");
        return 0;
    }
    size_t n = json_array_size(arr), got = 0;
    if (n > RESULTS_MAX_METRICS) {
        s_fail(rd, s_path(p, at, "metrics"), "more than %u metrics", RESULTS_MAX_METRICS);
        return 0;
    }
    results_metric_delta_t *metrics = xcalloc(n ? n : 1, sizeof *metrics);
    *out = metrics;
    for (size_t i = 0; !rd->err && i < n; i++) {
        json_t *m = json_array_get(arr, i);
        const char *name = NULL;
        s_index(mat, at, "metrics", i);
        if (!json_is_object(m)) {
            s_fail(rd, mat, "expected an object");
            break;
        }
        if (!s_str(rd, m, mat, "name", false, &name)) break;
        for (size_t k = 0; k < got; k++) {
            /* results_add would merge the two: a rewrite would differ. */
            if (strcmp(metrics[k].name, name) == 0) s_fail(rd, mat, "a second metric \"%s\"", name);
        }
        if (rd->err) break;
        histogram_t *h = s_read_histogram(rd, m, mat);
        if (!h) break;
        metrics[got++] = (results_metric_delta_t){.name = name, .values = h};
    }
    return got;
}

static void s_metrics_free(results_metric_delta_t **metrics, size_t n) {
    for (size_t i = 0; i < n; i++) {
        histogram_t *h = (histogram_t *)(*metrics)[i].values; /* s_read_metrics made it */
        histogram_destroy(&h);
    }
    free(*metrics);
    *metrics = NULL;
}

/* The optional "http" and "http_versions" of a stats row into row: a known
 * version asked, known version names, counts adding up to at most requests. */
static void s_read_http(rd_t *rd, json_t *v, const char *at, results_row_delta_t *row) {
    char p[PATH_BYTES];
    json_t *asked = json_object_get(v, "http");
    if (asked) {
        const char *t = json_is_string(asked) ? json_string_value(asked) : "";
        row->http_asked = httpver_asked_parse(t);
        if (row->http_asked == RESULTS_ASKED_MAX)
            s_fail(rd, s_path(p, at, "http"), "expected \"1.1\", \"2\" or \"h2c\"");
    }
    json_t *versions = json_object_get(v, "http_versions");
    if (!versions || rd->err) return;
    if (!json_is_object(versions)) {
        s_fail(rd, s_path(p, at, "http_versions"), "expected an object");
        return;
    }
    s_path(p, at, "http_versions");
    const char *key;
    json_t *n;
    uint64_t left = row->requests;
    json_object_foreach(versions, key, n) {
        char vp[PATH_BYTES];
        int ver = httpver_parse(key);
        if (ver < 0) {
            s_fail(rd, s_path(vp, p, key), "expected a version: 1.0, 1.1, 2 or 3");
            return;
        }
        if (!s_as_u64(rd, n, s_path(vp, p, key), left, &row->http_versions[ver])) return;
        left -= row->http_versions[ver];
    }
}

/* The optional "phases" of a stats row (or of the aggregated one) into
 * out[RESULTS_PHASE_*] (owned: free with s_phases_free): every phase, each
 * holding the same count, at most requests. Absent: out stays NULL. */
static void s_read_phases(rd_t *rd, json_t *v, const char *at, uint64_t requests,
                          histogram_t *out[RESULTS_PHASE_N]) {
    char p[PATH_BYTES], pp[PATH_BYTES];
    json_t *obj = json_object_get(v, "phases");
    if (!obj) return;
    s_path(p, at, "phases");
    if (!json_is_object(obj)) {
        s_fail(rd, p, "expected an object");
        return;
    }
    const char *key;
    json_t *x;
    json_object_foreach(obj, key, x) {
        if (phases_parse(key) < 0) {
            s_fail(rd, s_path(pp, p, key), "expected a phase: dns, connect, tls, wait or receive");
            return;
        }
    }
    for (int ph = 0; !rd->err && ph < RESULTS_PHASE_N; ph++) {
        json_t *one = s_typed(rd, obj, p, phases_name(ph), JSON_OBJECT);
        if (rd->err) return;
        s_path(pp, p, phases_name(ph));
        out[ph] = s_read_histogram(rd, one, pp);
        if (!out[ph]) return;
        uint64_t n = histogram_count(out[ph]);
        if (n > requests) {
            s_fail(rd, pp, "%" PRIu64 " samples but %" PRIu64 " requests", n, requests);
        } else if (n != histogram_count(out[0])) {
            s_fail(rd, pp, "%" PRIu64 " samples but %s has %" PRIu64, n, phases_name(0),
                   histogram_count(out[0]));
        }
    }
}

static void s_phases_free(histogram_t *ph[RESULTS_PHASE_N]) {
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        histogram_destroy(&ph[p]);
}

/* The optional "wire_bytes" and "connections_opened" of a row. */
static void s_read_transfer(rd_t *rd, json_t *v, const char *at, uint64_t *wire_bytes,
                            uint64_t *connects) {
    if (s_added(v, "wire_bytes")) s_u64(rd, v, at, "wire_bytes", wire_bytes);
    if (!rd->err && s_added(v, "connections_opened"))
        s_u64(rd, v, at, "connections_opened", connects);
}

/* Reads stats[i] and merges it into r's results (which also adds it to the
 * aggregated row). */
static void s_read_row(rd_t *rd, json_t *v, const char *at, results_t *res) {
    if (!json_is_object(v)) {
        s_fail(rd, at, "expected an object");
        return;
    }
    results_row_delta_t row = {0};
    s_str(rd, v, at, "method", false, &row.method);
    s_str(rd, v, at, "name", false, &row.name);
    s_u64(rd, v, at, "requests", &row.requests);
    s_u64(rd, v, at, "failures", &row.failures);
    s_u64(rd, v, at, "bytes", &row.bytes);
    if (!rd->err) s_read_http(rd, v, at, &row);
    if (!rd->err) s_read_transfer(rd, v, at, &row.wire_bytes, &row.connects);
    if (rd->err) return;
    if (results_find(res, row.method, row.name)) {
        s_fail(rd, at, "a second row for %s %s", row.method, row.name);
        return;
    }
    histogram_t *latency = s_read_histogram(rd, v, at);
    histogram_t *phases[RESULTS_PHASE_N] = {0};
    if (!rd->err) s_read_phases(rd, v, at, row.requests, phases);
    results_metric_delta_t *metrics = NULL;
    if (!rd->err) row.n_metrics = s_read_metrics(rd, v, at, &metrics);
    if (!rd->err) {
        /* results_add copies everything; the strings are lent by the document. */
        row.latency = latency;
        for (int p = 0; p < RESULTS_PHASE_N; p++)
            row.phases[p] = phases[p];
        row.metrics = metrics;
        results_add(res, &(results_delta_t){.n_rows = 1, .rows = &row});
    }
    histogram_destroy(&latency);
    s_phases_free(phases);
    s_metrics_free(&metrics, row.n_metrics);
}

static bool s_same_histogram(const histogram_t *a, const histogram_t *b) {
    if (histogram_count(a) != histogram_count(b) || histogram_min(a) != histogram_min(b) ||
        histogram_max(a) != histogram_max(b) || histogram_sum(a) != histogram_sum(b)) {
        return false;
    }
    int32_t ia = -1, ib = -1;
    uint64_t ca, cb;
    for (;;) {
        bool more_a = histogram_next_bucket(a, &ia, &ca), more_b = histogram_next_bucket(b, &ib, &cb);
        if (more_a != more_b) return false;
        if (!more_a) return true;
        if (ia != ib || ca != cb) return false;
    }
}

/* The optional metrics of the aggregated row must be the merge of the rows'
 * metrics: the same names, each histogram equal. */
static void s_check_aggregated_metrics(rd_t *rd, json_t *agg, const results_row_t *t) {
    char at[PATH_BYTES], p[PATH_BYTES];
    json_t *arr = json_object_get(agg, "metrics");
    if (!arr) return;
    if (!json_is_array(arr)) {
        s_fail(rd, "aggregated.metrics", "expected an array");
        return;
    }
    for (size_t i = 0; !rd->err && i < json_array_size(arr); i++) {
        json_t *m = json_array_get(arr, i);
        const char *name = NULL;
        s_index(at, "aggregated", "metrics", i);
        if (!json_is_object(m)) {
            s_fail(rd, at, "expected an object");
            return;
        }
        if (!s_str(rd, m, at, "name", false, &name)) return;
        for (size_t k = 0; k < i; k++) {
            const char *before = json_string_value(json_object_get(json_array_get(arr, k), "name"));
            if (before && strcmp(before, name) == 0) s_fail(rd, at, "a second metric \"%s\"", name);
        }
        const results_metric_t *want = NULL;
        for (size_t k = 0; k < t->n_metrics; k++) {
            if (strcmp(t->metrics[k].name, name) == 0) want = &t->metrics[k];
        }
        if (!want) s_fail(rd, s_path(p, at, "name"), "no stats row has a metric \"%s\"", name);
        histogram_t *h = rd->err ? NULL : s_read_histogram(rd, m, at);
        if (h && !s_same_histogram(h, want->values)) {
            s_fail(rd, s_path(p, at, "histogram"), "differs from the merge of the stats rows");
        }
        histogram_destroy(&h);
    }
    if (!rd->err && json_array_size(arr) != t->n_metrics) {
        s_fail(rd, "aggregated.metrics", "%zu metrics but the stats rows have %zu",
               json_array_size(arr), t->n_metrics);
    }
}

/* The aggregated row's phases, wire bytes and connections must be the merge
 * of the rows' (all absent when no row has phases). */
static void s_check_aggregated_phases(rd_t *rd, json_t *agg, const results_row_t *t) {
    uint64_t wire = 0, connects = 0;
    s_read_transfer(rd, agg, "aggregated", &wire, &connects);
    if (!rd->err && wire != t->wire_bytes)
        s_fail(rd, "aggregated.wire_bytes", "%" PRIu64 " but the stats rows add up to %" PRIu64,
               wire, t->wire_bytes);
    if (!rd->err && connects != t->connects)
        s_fail(rd, "aggregated.connections_opened",
               "%" PRIu64 " but the stats rows add up to %" PRIu64, connects, t->connects);
    histogram_t *ph[RESULTS_PHASE_N] = {0};
    if (!rd->err) s_read_phases(rd, agg, "aggregated", t->requests, ph);
    for (int p = 0; !rd->err && p < RESULTS_PHASE_N; p++) {
        bool same =
            ph[p] ? s_same_histogram(ph[p], t->phases[p]) : histogram_count(t->phases[p]) == 0;
        if (!same) {
            char at[PATH_BYTES];
            snprintf(at, sizeof at, "aggregated.phases.%s", phases_name(p));
            s_fail(rd, at, "differs from the merge of the stats rows");
        }
    }
    s_phases_free(ph);
}

/* The file's aggregated row must equal the merge of its stats rows. */
static void s_check_aggregated(rd_t *rd, json_t *root, const results_t *res) {
    static const char *const keys[] = {"requests", "failures", "bytes"};
    const results_row_t *t = results_total(res);
    const uint64_t want[] = {t->requests, t->failures, t->bytes};
    char p[PATH_BYTES];
    json_t *agg = s_typed(rd, root, "", "aggregated", JSON_OBJECT);
    for (size_t i = 0; !rd->err && i < 3; i++) {
        uint64_t got;
        if (s_u64(rd, agg, "aggregated", keys[i], &got) && got != want[i]) {
            s_fail(rd, s_path(p, "aggregated", keys[i]),
                   "%" PRIu64 " but the stats rows add up to %" PRIu64, got, want[i]);
        }
    }
    histogram_t *h = rd->err ? NULL : s_read_histogram(rd, agg, "aggregated");
    if (h && histogram_count(h) != histogram_count(t->latency)) {
        s_fail(rd, "aggregated.histogram.count", "%" PRIu64 " but the stats rows add up to %" PRIu64,
               histogram_count(h), histogram_count(t->latency));
    } else if (h && !s_same_histogram(h, t->latency)) {
        s_fail(rd, "aggregated.histogram", "differs from the merge of the stats rows");
    }
    histogram_destroy(&h);
    if (!rd->err) s_check_aggregated_metrics(rd, agg, t);
    if (!rd->err) s_check_aggregated_phases(rd, agg, t);
}

static void s_read_errors(rd_t *rd, json_t *root, results_t *res) {
    json_t *arr = s_typed(rd, root, "", "errors", JSON_ARRAY);
    size_t n = json_array_size(arr);
    results_error_delta_t *errs = xcalloc(n ? n : 1, sizeof *errs);
    for (size_t i = 0; !rd->err && i < n; i++) {
        char at[PATH_BYTES];
        json_t *v = json_array_get(arr, i);
        const char *method = NULL, *name = NULL, *reason = NULL;
        uint64_t count = 0;
        s_index(at, "", "errors", i);
        if (!json_is_object(v)) s_fail(rd, at, "expected an object");
        s_str(rd, v, at, "method", false, &method);
        s_str(rd, v, at, "name", false, &name);
        s_str(rd, v, at, "reason", false, &reason);
        s_u64(rd, v, at, "count", &count);
        if (rd->err) break;
        /* Lent by the document to results_add, which copies them. */
        errs[i] = (results_error_delta_t){method, name, reason, count};
        for (size_t j = 0; j < i; j++) {
            if (!strcmp(errs[j].method, method) && !strcmp(errs[j].name, name) &&
                !strcmp(errs[j].reason, reason)) {
                s_fail(rd, at, "the same error as errors[%zu]", j);
            }
        }
    }
    if (!rd->err) results_add(res, &(results_delta_t){.n_errors = n, .errors = errs});
    free(errs);
}

static void s_read_stats(rd_t *rd, json_t *root, report_t *r) {
    json_t *arr = s_typed(rd, root, "", "stats", JSON_ARRAY);
    for (size_t i = 0; !rd->err && i < json_array_size(arr); i++) {
        char at[PATH_BYTES];
        s_read_row(rd, json_array_get(arr, i), s_index(at, "", "stats", i), r->results);
    }
    if (!rd->err) s_check_aggregated(rd, root, r->results);
    if (!rd->err) s_read_errors(rd, root, r->results);
    uint64_t dropped = 0;
    if (!rd->err && s_added(root, "dropped") && s_u64(rd, root, "", "dropped", &dropped)) {
        results_add_dropped(r->results, dropped);
    }
}

static void s_read_point(rd_t *rd, json_t *v, const char *at, timeline_point_t *p) {
    char path[PATH_BYTES];
    if (!json_is_object(v)) {
        s_fail(rd, at, "expected an object");
        return;
    }
    s_u32(rd, v, at, "second", &p->second);
    s_u64(rd, v, at, "wall_ms", &p->wall_ms);
    s_u32(rd, v, at, "users", &p->users);
    s_u64(rd, v, at, "requests", &p->requests);
    s_u64(rd, v, at, "failures", &p->failures);
    s_u64(rd, v, at, "bytes", &p->bytes);
    json_t *pct = s_typed(rd, v, at, "pct_us", JSON_ARRAY);
    if (pct && json_array_size(pct) != PERCENTILES_N) {
        s_fail(rd, s_path(path, at, "pct_us"), "expected %d values", PERCENTILES_N);
    }
    for (size_t i = 0; !rd->err && i < PERCENTILES_N; i++) {
        s_as_u64(rd, json_array_get(pct, i), s_index(path, at, "pct_us", i), UINT64_MAX,
                 &p->pct_us[i]);
    }
    s_u64(rd, v, at, "total_requests", &p->total_requests);
    s_u64(rd, v, at, "total_failures", &p->total_failures);
    s_u64(rd, v, at, "total_bytes", &p->total_bytes);
    s_u64(rd, v, at, "total_median_us", &p->total_median_us);
    s_u64(rd, v, at, "total_min_us", &p->total_min_us);
    s_u64(rd, v, at, "total_max_us", &p->total_max_us);
    s_double(rd, v, at, "total_avg_us", &p->total_avg_us);
}

static void s_read_timeline(rd_t *rd, json_t *root, report_t *r) {
    json_t *arr = s_typed(rd, root, "", "timeline", JSON_ARRAY);
    for (size_t i = 0; !rd->err && i < json_array_size(arr); i++) {
        char at[PATH_BYTES], p[PATH_BYTES];
        timeline_point_t pt = {0};
        s_read_point(rd, json_array_get(arr, i), s_index(at, "", "timeline", i), &pt);
        if (rd->err) return;
        const timeline_point_t *last = i ? timeline_point(r->timeline, i - 1) : NULL;
        if (last && pt.second <= last->second) {
            s_fail(rd, s_path(p, at, "second"), "%" PRIu32 " after %" PRIu32 ": seconds must increase",
                   pt.second, last->second);
            return;
        }
        timeline_append(r->timeline, &pt);
    }
}

static void s_read_saturations(rd_t *rd, json_t *root, report_t *r) {
    if (!s_added(root, "saturation")) return; /* absent in older files */
    json_t *arr = s_typed(rd, root, "", "saturation", JSON_ARRAY);
    for (size_t i = 0; !rd->err && i < json_array_size(arr); i++) {
        char at[PATH_BYTES];
        json_t *v = json_array_get(arr, i);
        report_saturation_t x = {0};
        const char *worker = NULL;
        s_index(at, "", "saturation", i);
        if (!json_is_object(v)) s_fail(rd, at, "expected an object");
        s_str(rd, v, at, "worker", true, &worker);
        s_double(rd, v, at, "from_s", &x.from_s);
        s_double(rd, v, at, "to_s", &x.to_s);
        s_u32(rd, v, at, "cpu_max_permille", &x.cpu_max_permille);
        s_u32(rd, v, at, "lag_max_us", &x.lag_max_us);
        if (rd->err) return;
        x.worker = (char *)worker; /* copied by report_add_saturation */
        report_add_saturation(r, &x);
    }
}

static void s_read_thresholds(rd_t *rd, json_t *root, report_t *r) {
    json_t *arr = s_typed(rd, root, "", "thresholds", JSON_ARRAY);
    for (size_t i = 0; !rd->err && i < json_array_size(arr); i++) {
        char at[PATH_BYTES];
        json_t *v = json_array_get(arr, i);
        report_threshold_t t = {0};
        const char *text = NULL, *name = NULL, *measured = NULL;
        s_index(at, "", "thresholds", i);
        if (!json_is_object(v)) s_fail(rd, at, "expected an object");
        s_str(rd, v, at, "text", true, &text);
        s_str(rd, v, at, "name", true, &name);
        s_bool(rd, v, at, "passed", &t.passed);
        s_double(rd, v, at, "value", &t.value);
        s_str(rd, v, at, "measured", true, &measured);
        if (rd->err) return;
        t.text = (char *)text; /* copied by report_add_threshold */
        t.name = (char *)name;
        t.measured = (char *)measured;
        report_add_threshold(r, &t);
    }
}

report_t *report_json_read(const char *path, char **err) {
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* jansson opens a directory and reports an empty document. */
        *err = xasprintf("unable to open %s: %s", path, strerror(EISDIR));
        return NULL;
    }
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (json_error_code(&je) == json_error_cannot_open_file || je.line < 1) {
            *err = xasprintf("%s", je.text); /* "unable to open PATH: <strerror>" */
        } else {
            /* jansson's column is that of the last character read, 0 when
             * the error is at the start of a line (an end of file after a
             * newline): that place is column 1. */
            *err = xasprintf("%s:%d:%d: %s", path, je.line, je.column > 0 ? je.column : 1, je.text);
        }
        return NULL;
    }
    rd_t rd = {.file = path};
    report_t *r = report_new();
    if (!json_is_object(root)) s_fail(&rd, "", "expected an object");
    if (!rd.err) s_read_meta(&rd, root, r);
    if (!rd.err) s_read_workers(&rd, root, r);
    if (!rd.err) s_read_saturations(&rd, root, r);
    if (!rd.err) s_read_stats(&rd, root, r);
    if (!rd.err) s_read_timeline(&rd, root, r);
    if (!rd.err) s_read_thresholds(&rd, root, r);
    json_decref(root);
    if (rd.err) {
        report_destroy(&r);
        *err = rd.err;
    }
    return r;
}
