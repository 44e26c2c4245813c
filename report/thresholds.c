/* thresholds: parse "[NAME:] METRIC OP VALUE" checks and evaluate them on a report. */
#include "report/thresholds.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/units.h"
#include "common/xmalloc.h"
#include "report/window.h"

#define S_METRICS "pNN, avg, min, max, med, failure_rate, failures, requests or rps"
#define S_OPERATORS "<, <=, >, >=, ==, !="

typedef struct {
    char *err;
    size_t err_bytes;
    size_t *err_offset;
} s_errout_t;

__attribute__((format(printf, 3, 4))) static int s_fail(const s_errout_t *e, size_t at,
                                                        const char *fmt, ...) {
    if (e->err && e->err_bytes) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->err, e->err_bytes, fmt, ap);
        va_end(ap);
    }
    if (e->err_offset) *e->err_offset = at;
    return -1;
}

static bool s_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t s_skip_space(const char *t, size_t i) {
    while (t[i] && s_space(t[i]))
        i++;
    return i;
}

static bool s_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.';
}

/* Scans digits* ('.' digits+)? at s; returns its length (0 if no digit) and
 * the value. No sign, exponent, hex, inf or nan. */
static size_t s_number(const char *s, double *out) {
    size_t i = 0, digits = 0;
    while (s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
        i++;
        while (s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    if (digits == 0) return 0;
    char buf[64];
    if (i >= sizeof buf) {
        *out = HUGE_VAL; /* longer than any sensible limit; still a number */
        return i;
    }
    memcpy(buf, s, i);
    buf[i] = '\0';
    *out = strtod(buf, NULL);
    return i;
}

static const struct {
    const char *word;
    thresholds_metric_t metric;
} s_metric_words[] = {
    {"avg", THRESHOLDS_AVG},
    {"min", THRESHOLDS_MIN},
    {"max", THRESHOLDS_MAX},
    {"med", THRESHOLDS_PERCENTILE},
    {"failure_rate", THRESHOLDS_FAILURE_RATE},
    {"failures", THRESHOLDS_FAILURES},
    {"requests", THRESHOLDS_REQUESTS},
    {"rps", THRESHOLDS_RPS},
};

/* Parses the metric word t[at..at+len) into c. */
static int s_metric(const char *t, size_t at, size_t len, thresholds_check_t *c,
                    const s_errout_t *e) {
    const char *w = t + at;
    for (size_t i = 0; i < sizeof s_metric_words / sizeof s_metric_words[0]; i++) {
        if (strlen(s_metric_words[i].word) == len && strncmp(w, s_metric_words[i].word, len) == 0) {
            c->metric = s_metric_words[i].metric;
            c->percentile = c->metric == THRESHOLDS_PERCENTILE ? 50 : 0;
            return 0;
        }
    }
    double p = 0;
    if (len > 1 && w[0] == 'p' && s_number(w + 1, &p) == len - 1) {
        if (!(p > 0 && p <= 100))
            return s_fail(e, at, "percentile out of range in '%.*s' (expected p0 < NN <= p100)",
                          (int)len, w);
        c->metric = THRESHOLDS_PERCENTILE;
        c->percentile = p;
        return 0;
    }
    return s_fail(e, at, "unknown metric '%.*s' (expected " S_METRICS ")", (int)len, w);
}

static bool s_is_time(thresholds_metric_t m) {
    return m == THRESHOLDS_PERCENTILE || m == THRESHOLDS_AVG || m == THRESHOLDS_MIN ||
           m == THRESHOLDS_MAX;
}

/* Parses the value t[at..at+len) for c's metric: limit and unit. */
static int s_value(const char *t, size_t at, size_t len, thresholds_check_t *c,
                   const s_errout_t *e) {
    const char *v = t + at;
    double x = 0;
    size_t n = s_number(v, &x);
    size_t u = n ? s_skip_space(v, n) : 0; /* "300 ms" is fine */
    const char *unit = v + u;
    size_t unit_len = len > u ? len - u : 0;
#define S_UNIT_IS(s) (unit_len == strlen(s) && strncmp(unit, (s), unit_len) == 0)
    c->limit = x;
    if (n == 0) {
        /* fall through to the metric's message */
    } else if (s_is_time(c->metric)) {
        c->unit = S_UNIT_IS("us")  ? THRESHOLDS_UNIT_US
                  : S_UNIT_IS("s") ? THRESHOLDS_UNIT_S
                  : S_UNIT_IS("m") ? THRESHOLDS_UNIT_MIN
                                   : THRESHOLDS_UNIT_MS;
        if (unit_len == 0 || S_UNIT_IS("us") || S_UNIT_IS("ms") || S_UNIT_IS("s") || S_UNIT_IS("m"))
            return 0;
    } else if (c->metric == THRESHOLDS_FAILURE_RATE) {
        c->unit = unit_len ? THRESHOLDS_UNIT_PERCENT : THRESHOLDS_UNIT_FRACTION;
        if ((unit_len == 0 && x <= 1) || (S_UNIT_IS("%") && x <= 100)) return 0;
    } else if (c->metric == THRESHOLDS_RPS) {
        c->unit = THRESHOLDS_UNIT_PER_S;
        if (unit_len == 0 || S_UNIT_IS("/s")) return 0;
    } else {
        c->unit = THRESHOLDS_UNIT_COUNT;
        if (unit_len == 0 && memchr(v, '.', n) == NULL) return 0;
    }
#undef S_UNIT_IS
    const char *expected = s_is_time(c->metric) ? "a time like 300ms; units us, ms, s, m; bare = ms"
                           : c->metric == THRESHOLDS_FAILURE_RATE ? "a rate like 1% or 0.01"
                           : c->metric == THRESHOLDS_RPS          ? "a rate like 100 or 100/s"
                                                                  : "a whole number like 100";
    return s_fail(e, at, "bad value '%.*s' (expected %s)", (int)len, v, expected);
}

/* Where the word "over" starts in t[i..end) (after a space), or end. */
static size_t s_find_over(const char *t, size_t i, size_t end) {
    for (size_t k = i; k + 4 <= end; k++)
        if ((k == i || s_space(t[k - 1])) && strncmp(t + k, "over", 4) == 0 &&
            (k + 4 == end || s_space(t[k + 4])))
            return k;
    return end;
}

/* Parses the window "over DURATION" at t[over..end) into c->window_ms. */
static int s_window(const char *t, size_t over, size_t end, thresholds_check_t *c,
                    const s_errout_t *e) {
    size_t a = s_skip_space(t, over + 4);
    if (a >= end) return s_fail(e, over, "expected a duration after 'over' (e.g. over 30s)");
    char *d = xstrndup(t + a, end - a);
    int rc = units_parse_duration_ms(d, &c->window_ms);
    free(d);
    if (rc != 0 || c->window_ms < 1000 || c->window_ms % 1000 != 0)
        return s_fail(e, a, "the window must be whole seconds, e.g. over 30s (got '%.*s')",
                      (int)(end - a), t + a);
    if (c->window_ms > THRESHOLDS_MAX_WINDOW_S * 1000u)
        return s_fail(e, a, "the window may be at most %us (got '%.*s')", THRESHOLDS_MAX_WINDOW_S,
                      (int)(end - a), t + a);
    return 0;
}

/* Parses "METRIC OP VALUE [over DURATION]" starting at t[i] (the part after any name). */
static int s_check(const char *t, size_t i, thresholds_check_t *c, const s_errout_t *e) {
    i = s_skip_space(t, i);
    size_t m = i;
    while (s_word_char(t[i]))
        i++;
    if (i == m) {
        if (!t[m]) return s_fail(e, m, "empty threshold (expected e.g. \"p95 < 300ms\")");
        return s_fail(e, m, "expected a metric (" S_METRICS ") at '%s'", t + m);
    }
    if (s_metric(t, m, i - m, c, e) < 0) return -1;
    size_t metric_len = i - m;
    i = s_skip_space(t, i);
    static const struct {
        const char *s;
        thresholds_op_t op;
    } ops[] = {{"<=", THRESHOLDS_LE}, {">=", THRESHOLDS_GE}, {"==", THRESHOLDS_EQ},
               {"!=", THRESHOLDS_NE}, {"<", THRESHOLDS_LT},  {">", THRESHOLDS_GT}};
    size_t op_len = 0;
    for (size_t k = 0; k < sizeof ops / sizeof ops[0] && !op_len; k++) {
        if (strncmp(t + i, ops[k].s, strlen(ops[k].s)) == 0) {
            c->op = ops[k].op;
            op_len = strlen(ops[k].s);
        }
    }
    if (!op_len)
        return s_fail(e, i, "expected an operator (" S_OPERATORS ") after '%.*s'", (int)metric_len,
                      t + m);
    size_t op_at = i;
    i = s_skip_space(t, i + op_len);
    size_t end = strlen(t);
    while (end > i && s_space(t[end - 1]))
        end--;
    size_t over = s_find_over(t, i, end);
    if (over < end) {
        if (over > i && s_window(t, over, end, c, e) < 0) return -1;
        end = over;
        while (end > i && s_space(t[end - 1]))
            end--;
    }
    if (end == i)
        return s_fail(e, i, "expected a value after '%.*s %.*s'", (int)metric_len, t + m,
                      (int)op_len, t + op_at);
    return s_value(t, i, end - i, c, e);
}

int thresholds_parse_named(const char *name, const char *text, thresholds_check_t *out, char *err,
                           size_t err_bytes, size_t *err_offset) {
    s_errout_t e = {err, err_bytes, err_offset};
    thresholds_check_t c = {0};
    *out = c;
    if (!text) text = "";
    const char *colon = strrchr(text, ':');
    size_t body = 0;
    char *prefix = NULL;
    if (colon) {
        size_t a = s_skip_space(text, 0), b = (size_t)(colon - text);
        while (b > a && s_space(text[b - 1]))
            b--;
        if (b == a) return s_fail(&e, (size_t)(colon - text), "empty name before ':'");
        if (name)
            return s_fail(&e, a, "the check names '%.*s' but the threshold already has name '%s'",
                          (int)(b - a), text + a, name);
        prefix = xstrndup(text + a, b - a);
        body = (size_t)(colon - text) + 1;
    }
    if (name && !*name) return s_fail(&e, 0, "empty threshold name");
    if (s_check(text, body, &c, &e) < 0) {
        free(prefix);
        return -1;
    }
    size_t a = s_skip_space(text, body), b = strlen(text);
    while (b > a && s_space(text[b - 1]))
        b--;
    c.text = xstrndup(text + a, b - a);
    c.name = prefix ? prefix : name ? xstrdup(name) : NULL;
    *out = c;
    return 0;
}

int thresholds_parse(const char *text, thresholds_check_t *out, char *err, size_t err_bytes,
                     size_t *err_offset) {
    return thresholds_parse_named(NULL, text, out, err, err_bytes, err_offset);
}

void thresholds_check_fini(thresholds_check_t *c) {
    if (!c) return;
    free(c->text);
    free(c->name);
    *c = (thresholds_check_t){0};
}

/* ---- evaluation ---- */

void thresholds_sample_of(const results_t *res, const char *name, thresholds_sample_t *s,
                          histogram_t **own) {
    *s = (thresholds_sample_t){0};
    *own = NULL;
    if (!name) {
        const results_row_t *t = results_total(res);
        *s = (thresholds_sample_t){t->requests, t->failures, t->latency};
        return;
    }
    for (size_t i = 0; i < results_count(res); i++) {
        const results_row_t *row = results_row(res, i);
        if (strcmp(row->name, name) != 0) continue;
        if (s->latency && !*own) { /* a second method: merge into a copy */
            *own = histogram_new();
            histogram_merge(*own, s->latency);
            s->latency = *own;
        }
        if (*own)
            histogram_merge(*own, row->latency);
        else
            s->latency = row->latency;
        s->requests += row->requests;
        s->failures += row->failures;
    }
}

static double s_unit_us(thresholds_unit_t u) {
    switch (u) {
    case THRESHOLDS_UNIT_US:
        return 1;
    case THRESHOLDS_UNIT_S:
        return 1e6;
    case THRESHOLDS_UNIT_MIN:
        return 60e6;
    default:
        return 1e3;
    }
}

static const char *s_unit_suffix(thresholds_unit_t u) {
    switch (u) {
    case THRESHOLDS_UNIT_US:
        return "us";
    case THRESHOLDS_UNIT_MS:
        return "ms";
    case THRESHOLDS_UNIT_S:
        return "s";
    case THRESHOLDS_UNIT_MIN:
        return "m";
    case THRESHOLDS_UNIT_PERCENT:
        return "%";
    case THRESHOLDS_UNIT_PER_S:
        return "/s";
    default:
        return "";
    }
}

/* Four significant digits, no exponent, trailing zeros trimmed: 212, 1.42,
 * 0.004, 123457. */
static void s_format_number(double v, char *buf, size_t buf_bytes) {
    int decimals = 0;
    if (v != 0 && isfinite(v)) {
        decimals = 3 - (int)floor(log10(fabs(v)));
        decimals = decimals < 0 ? 0 : decimals > 6 ? 6 : decimals;
    }
    snprintf(buf, buf_bytes, "%.*f", decimals, v);
    if (strchr(buf, '.')) {
        size_t n = strlen(buf);
        while (n > 0 && buf[n - 1] == '0')
            buf[--n] = '\0';
        if (n > 0 && buf[n - 1] == '.') buf[--n] = '\0';
    }
}

/* Compares with a relative tolerance so that 3 failures in 1000 requests
 * meet "failure_rate <= 0.3%" despite binary fractions. */
static bool s_holds(double a, thresholds_op_t op, double b) {
    double tol = 1e-9 * fmax(fabs(a), fabs(b));
    int cmp = fabs(a - b) <= tol ? 0 : a < b ? -1 : 1;
    switch (op) {
    case THRESHOLDS_LT:
        return cmp < 0;
    case THRESHOLDS_LE:
        return cmp <= 0;
    case THRESHOLDS_GT:
        return cmp > 0;
    case THRESHOLDS_GE:
        return cmp >= 0;
    case THRESHOLDS_EQ:
        return cmp == 0;
    case THRESHOLDS_NE:
        return cmp != 0;
    }
    return false;
}

/* The measured value of c in c's unit; false (with why) when nothing to measure. */
static bool s_measure(const thresholds_check_t *c, const thresholds_sample_t *s,
                      double run_seconds, double *value, const char **why) {
    if (s->requests == 0 || !s->latency) {
        *why = "no requests";
        return false;
    }
    switch (c->metric) {
    case THRESHOLDS_PERCENTILE:
        *value = (double)histogram_percentile(s->latency, c->percentile) / s_unit_us(c->unit);
        break;
    case THRESHOLDS_AVG:
        *value = histogram_mean(s->latency) / s_unit_us(c->unit);
        break;
    case THRESHOLDS_MIN:
        *value = (double)histogram_min(s->latency) / s_unit_us(c->unit);
        break;
    case THRESHOLDS_MAX:
        *value = (double)histogram_max(s->latency) / s_unit_us(c->unit);
        break;
    case THRESHOLDS_FAILURE_RATE:
        *value = (double)s->failures / (double)s->requests;
        if (c->unit == THRESHOLDS_UNIT_PERCENT) *value *= 100;
        break;
    case THRESHOLDS_FAILURES:
        *value = (double)s->failures;
        break;
    case THRESHOLDS_REQUESTS:
        *value = (double)s->requests;
        break;
    case THRESHOLDS_RPS:
        if (!(run_seconds > 0)) {
            *why = "no run time";
            return false;
        }
        *value = (double)s->requests / run_seconds;
        break;
    }
    return true;
}

void thresholds_judge(const thresholds_check_t *c, const thresholds_sample_t *s, double seconds,
                      report_threshold_t *t, char *measured, size_t measured_bytes) {
    double value = 0;
    const char *why = NULL;
    *t = (report_threshold_t){.text = c->text, .name = c->name, .measured = measured};
    if (!s_measure(c, s, seconds, &value, &why)) {
        snprintf(measured, measured_bytes, "%s", why);
        return;
    }
    char num[48];
    thresholds_unit_t shown = c->unit;
    double v = value;
    bool latency = c->metric == THRESHOLDS_PERCENTILE || c->metric == THRESHOLDS_AVG ||
                   c->metric == THRESHOLDS_MIN || c->metric == THRESHOLDS_MAX;
    if (latency && (shown == THRESHOLDS_UNIT_S || shown == THRESHOLDS_UNIT_MIN) && v < 1) {
        /* "32.9ms" reads better than "0.0329s". */
        v = value * s_unit_us(c->unit) / 1000.0;
        shown = THRESHOLDS_UNIT_MS;
    }
    if (c->metric == THRESHOLDS_RPS)
        snprintf(num, sizeof num, "%.1f", v);
    else
        s_format_number(v, num, sizeof num);
    snprintf(measured, measured_bytes, "%s%s", num, s_unit_suffix(shown));
    t->value = value;
    t->passed = s_holds(value, c->op, c->limit);
}

void thresholds_evaluate(report_t *r, const thresholds_check_t *checks, size_t n,
                         const window_t *w) {
    for (size_t i = 0; i < n; i++) {
        const thresholds_check_t *c = &checks[i];
        thresholds_sample_t s;
        histogram_t *own = NULL;
        double seconds = r->run_seconds;
        if (c->window_ms && w) {
            uint32_t covered = 0;
            window_sample(w, i, &s, &own, &covered);
            seconds = covered;
        } else {
            thresholds_sample_of(r->results, c->name, &s, &own);
        }
        char measured[64];
        report_threshold_t t;
        thresholds_judge(c, &s, seconds, &t, measured, sizeof measured);
        report_add_threshold(r, &t);
        histogram_destroy(&own);
    }
}

char *thresholds_label(const report_threshold_t *t) {
    return t->name ? xasprintf("%s: %s", t->name, t->text) : xstrdup(t->text);
}

void thresholds_print(FILE *out, const report_t *r) {
    if (r->n_thresholds == 0) return;
    int width = 24;
    for (size_t i = 0; i < r->n_thresholds; i++) {
        char *l = thresholds_label(&r->thresholds[i]);
        if ((int)strlen(l) > width) width = (int)strlen(l);
        free(l);
    }
    if (width > 60) width = 60;
    size_t failed = 0;
    for (size_t i = 0; i < r->n_thresholds; i++) {
        const report_threshold_t *t = &r->thresholds[i];
        char *l = thresholds_label(t);
        failed += !t->passed;
        fprintf(out, "  %s  %-*s  (measured %s)\n", t->passed ? "PASS" : "FAIL", width, l,
                t->measured ? t->measured : "?");
        free(l);
    }
    const char *s = r->n_thresholds == 1 ? "" : "s";
    if (failed)
        fprintf(out, "  %zu of %zu threshold%s passed, %zu failed\n", r->n_thresholds - failed,
                r->n_thresholds, s, failed);
    else
        fprintf(out, "  %zu of %zu threshold%s passed\n", r->n_thresholds, r->n_thresholds, s);
    if (r->aborted_by)
        fprintf(out, "  the run was stopped after %.1f s: '%s' failed and has abort set\n",
                r->aborted_at_s, r->aborted_by);
}
