/* svg: line and log-axis bar charts as inline SVG text. */
#include "report/svg.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "report/xml.h"

/* Geometry in SVG user units; the page scales the chart to its width. */
#define W 900.0
#define H 300.0
#define LEFT 72.0
#define RIGHT 24.0
#define TOP 52.0
#define BOTTOM 36.0
#define X0 LEFT
#define X1 (W - RIGHT)
#define Y0 TOP          /* top of the plot area */
#define Y1 (H - BOTTOM) /* bottom of the plot area (the x axis) */

#define AXIS_COLOR "#555"
#define GRID_COLOR "#e3e3e3"
#define TEXT_COLOR "#333"
/* A white outline under text: a line or bar behind a label cannot cross it. */
#define HALO "stroke=\"#fff\" stroke-width=\"4\" stroke-linejoin=\"round\" paint-order=\"stroke\""

char *svg_format_us(double us, char *buf, size_t buf_bytes) {
    if (us < 1000)
        snprintf(buf, buf_bytes, "%.3g\xc2\xb5s", us);
    else if (us < 1e6)
        snprintf(buf, buf_bytes, "%.3gms", us / 1e3);
    else
        snprintf(buf, buf_bytes, "%.3gs", us / 1e6);
    return buf;
}

/* A tick label: 4 significant digits, large values with k/M/G. */
static void s_number(strbuf_t *b, double v, const char *unit) {
    double a = fabs(v);
    if (a >= 1e9)
        strbuf_appendf(b, "%.4gG", v / 1e9);
    else if (a >= 1e6)
        strbuf_appendf(b, "%.4gM", v / 1e6);
    else if (a >= 1e4)
        strbuf_appendf(b, "%.4gk", v / 1e3);
    else
        strbuf_appendf(b, "%.4g", v);
    xml_escape(b, unit);
}

/* A step of 1, 2, 2.5 or 5 times a power of ten giving about `target` ticks. */
static double s_nice_step(double range, int target) {
    double raw = range / target;
    if (!(raw > 0)) return 1;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return nice * mag;
}

static void s_open(strbuf_t *b, const char *title) {
    strbuf_appendf(b,
                   "<svg class=\"chart\" viewBox=\"0 0 %.0f "
                   "%.0f\" role=\"img\" font-family=\"system-ui, sans-serif\" font-size=\"12\" "
                   "aria-label=\"",
                   W, H);
    xml_escape(b, title);
    strbuf_append_str(b, "\"><title>");
    xml_escape(b, title);
    strbuf_appendf(b, "</title><rect width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>", W, H);
    strbuf_appendf(b,
                   "<text x=\"%.0f\" y=\"20\" font-size=\"15\" font-weight=\"600\" fill=\"%s\">",
                   X0, TEXT_COLOR);
    xml_escape(b, title);
    strbuf_append_str(b, "</text>");
}

static void s_no_data(strbuf_t *b) {
    strbuf_appendf(b,
                   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                   "stroke=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                   "fill=\"#888\" font-size=\"14\">no data</text></svg>\n",
                   X0, Y0, X1 - X0, Y1 - Y0, GRID_COLOR, (X0 + X1) / 2, (Y0 + Y1) / 2);
}

/* Horizontal grid lines and labels for [0, top] in steps of step; the x axis. */
static void s_y_axis(strbuf_t *b, double top, double step, const char *unit) {
    for (int i = 0; i * step <= top * (1 + 1e-9); i++) {
        double v = i * step;
        double y = Y1 - (v / top) * (Y1 - Y0);
        strbuf_appendf(b,
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                       "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">",
                       X0, y, X1, y, i ? GRID_COLOR : AXIS_COLOR, X0 - 6, y + 4, TEXT_COLOR);
        s_number(b, v, unit);
        strbuf_append_str(b, "</text>");
    }
    strbuf_appendf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", X0,
                   Y0, X0, Y1, AXIS_COLOR);
}

static void s_x_tick(strbuf_t *b, double x) {
    strbuf_appendf(b,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\">",
                   x, Y1, x, Y1 + 5, AXIS_COLOR, x, Y1 + 18, TEXT_COLOR);
}

/* How series i of n is stroked. Series drawn later lie on top, so where lines
 * coincide (p50 = p95 = p99 in a quiet second) a later one would hide the
 * ones below: each series is narrower than the one before it, so the earlier
 * ones show as a border around it, and every series after the first is
 * dashed, so the ones below show through its gaps. */
typedef struct {
    double width;
    const char *dash; /* stroke-dasharray, NULL = solid */
} stroke_t;

static stroke_t s_stroke(size_t i, size_t n) {
    static const char *const dashes[] = {NULL, "9 5", "3 4"};
    stroke_t st = {.width = SVG_LINE_WIDTH_MIN + SVG_LINE_WIDTH_STEP * (double)(n - 1 - i),
                   .dash = dashes[i < 3 ? i : 1 + i % 2]};
    return st;
}

static void s_stroke_attrs(strbuf_t *b, const char *color, stroke_t st) {
    strbuf_appendf(b, "stroke=\"%s\" stroke-width=\"%.1f\"", color, st.width);
    if (st.dash) strbuf_appendf(b, " stroke-dasharray=\"%s\"", st.dash);
}

/* Legend entries left to right under the title: a short stretch of each
 * series' line as it is drawn (colour, width, dashes), then its label. */
static void s_legend(strbuf_t *b, const svg_series_t *series, size_t n) {
    double x = X0;
    for (size_t i = 0; i < n; i++) {
        strbuf_appendf(b, "<line x1=\"%.1f\" y1=\"32\" x2=\"%.1f\" y2=\"32\" ", x, x + 24);
        s_stroke_attrs(b, series[i].color, s_stroke(i, n));
        strbuf_appendf(b, "/><text x=\"%.1f\" y=\"36\" fill=\"%s\">", x + 29, TEXT_COLOR);
        xml_escape(b, series[i].label);
        strbuf_append_str(b, "</text>");
        size_t len = 0;
        for (const char *p = series[i].label; p && *p; p++) len++;
        x += 29 + 7.0 * (double)len + 22;
    }
}

static bool s_line_range(const svg_line_chart_t *c, double *xmax, double *ymax) {
    bool any = false;
    *xmax = c->x_max > 0 ? c->x_max : 0;
    *ymax = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->x[i] > *xmax) *xmax = c->x[i];
        for (size_t s = 0; s < c->n_series; s++) {
            double v = c->series[s].y[i];
            if (isnan(v)) continue;
            any = true;
            if (v > *ymax) *ymax = v;
        }
    }
    return any;
}

/* Series i of n as a path; NaN breaks it. Isolated points become dots in a
 * second, undashed path (a dash pattern could swallow a zero-length stroke). */
static void s_series_path(strbuf_t *b, const svg_line_chart_t *c, size_t i, double xmax,
                          double ytop) {
    const svg_series_t *s = &c->series[i];
    stroke_t st = s_stroke(i, c->n_series);
    strbuf_t dots;
    strbuf_init(&dots);
    strbuf_append_str(b, "<path fill=\"none\" ");
    s_stroke_attrs(b, s->color, st);
    strbuf_append_str(b, " stroke-linejoin=\"round\" stroke-linecap=\"round\" d=\"");
    bool pen_down = false;
    for (size_t k = 0; k < c->n; k++) {
        if (isnan(s->y[k])) {
            pen_down = false;
            continue;
        }
        double x = X0 + c->x[k] / xmax * (X1 - X0);
        double y = Y1 - s->y[k] / ytop * (Y1 - Y0);
        if (!pen_down && (k + 1 == c->n || isnan(s->y[k + 1]))) {
            /* A zero-length segment with a round cap draws an isolated point. */
            strbuf_appendf(&dots, "M%.1f %.1fh0", x, y);
            continue;
        }
        strbuf_appendf(b, "%s%.1f %.1f", pen_down ? "L" : "M", x, y);
        pen_down = true;
    }
    strbuf_append_str(b, "\"/>");
    if (dots.len) {
        strbuf_append_str(b, "<path fill=\"none\" ");
        s_stroke_attrs(b, s->color, (stroke_t){.width = st.width});
        strbuf_appendf(b, " stroke-linecap=\"round\" d=\"%s\"/>", strbuf_str(&dots));
    }
    strbuf_fini(&dots);
}

void svg_line_chart(strbuf_t *b, const svg_line_chart_t *c) {
    double xmax, ymax;
    bool any = s_line_range(c, &xmax, &ymax);
    s_open(b, c->title);
    if (!any) {
        s_no_data(b);
        return;
    }
    if (!(xmax > 0)) xmax = 1;
    if (!(ymax > 0)) ymax = 1;
    double ystep = s_nice_step(ymax, 5);
    double ytop = ceil(ymax / ystep * (1 - 1e-9)) * ystep;
    s_y_axis(b, ytop, ystep, c->y_unit);
    double xstep = s_nice_step(xmax, 10);
    for (int i = 0; i * xstep <= xmax * (1 + 1e-9); i++) {
        s_x_tick(b, X0 + i * xstep / xmax * (X1 - X0));
        s_number(b, i * xstep, c->x_unit);
        strbuf_append_str(b, "</text>");
    }
    for (size_t s = 0; s < c->n_series; s++) s_series_path(b, c, s, xmax, ytop);
    s_legend(b, c->series, c->n_series);
    strbuf_append_str(b, "</svg>\n");
}

/* Ticks at 1, 2, 5 x 10^k (only 1 x 10^k over many decades) within [lo, hi]. */
static void s_log_ticks(strbuf_t *b, double lo, double hi) {
    double llo = log10(lo), lhi = log10(hi);
    static const double many[] = {1, 2, 5}, few[] = {1};
    bool wide = lhi - llo > 3.5;
    const double *mult = wide ? few : many;
    size_t n_mult = wide ? 1 : 3;
    for (int k = (int)floor(llo); k <= (int)ceil(lhi); k++) {
        for (size_t m = 0; m < n_mult; m++) {
            double v = mult[m] * pow(10, k);
            if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9)) continue;
            double x = X0 + (log10(v) - llo) / (lhi - llo) * (X1 - X0);
            char label[32];
            strbuf_appendf(b,
                           "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                           "stroke=\"%s\"/>",
                           x, Y0, x, Y1, GRID_COLOR);
            s_x_tick(b, x);
            xml_escape(b, svg_format_us(v, label, sizeof label));
            strbuf_append_str(b, "</text>");
        }
    }
}

static double s_marker_x(const svg_log_bars_t *c, size_t i, double llo, double lhi) {
    double x = X0 + (log10(c->markers[i].x) - llo) / (lhi - llo) * (X1 - X0);
    return x < X0 ? X0 : x > X1 ? X1 : x;
}

/* Every line first, then every label: a label's halo then hides the lines of
 * the markers next to it, so close markers stay legible. */
static void s_markers(strbuf_t *b, const svg_log_bars_t *c, double llo, double lhi) {
    for (size_t i = 0; i < c->n_markers; i++) {
        if (!(c->markers[i].x > 0)) continue;
        double x = s_marker_x(c, i, llo, lhi);
        strbuf_appendf(b,
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c62828\" "
                       "stroke-dasharray=\"4 3\"/>",
                       x, Y0, x, Y1);
    }
    /* All labels on one side of their lines: right, unless one would run off the plot. */
    bool left = false;
    for (size_t i = 0; i < c->n_markers; i++) {
        if (c->markers[i].x > 0 && s_marker_x(c, i, llo, lhi) > X1 - 90) left = true;
    }
    for (size_t i = 0; i < c->n_markers; i++) {
        if (!(c->markers[i].x > 0)) continue;
        double x = s_marker_x(c, i, llo, lhi);
        double ty = Y0 + 12 + 14.0 * (double)i; /* one row each */
        strbuf_appendf(b,
                       "<text x=\"%.1f\" y=\"%.1f\" fill=\"#c62828\" text-anchor=\"%s\" " HALO ">",
                       left ? x - 4 : x + 4, ty, left ? "end" : "start");
        xml_escape(b, c->markers[i].label);
        strbuf_append_str(b, "</text>");
    }
}

void svg_log_bars(strbuf_t *b, const svg_log_bars_t *c) {
    s_open(b, c->title);
    double ymax = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->values[i] > ymax) ymax = c->values[i];
    }
    if (c->n == 0 || !(ymax > 0) || !(c->edges[0] > 0) || !(c->edges[c->n] > c->edges[0])) {
        s_no_data(b);
        return;
    }
    double ystep = s_nice_step(ymax, 5);
    double ytop = ceil(ymax / ystep * (1 - 1e-9)) * ystep;
    double llo = log10(c->edges[0]), lhi = log10(c->edges[c->n]);
    s_log_ticks(b, c->edges[0], c->edges[c->n]);
    s_y_axis(b, ytop, ystep, c->y_unit);
    for (size_t i = 0; i < c->n; i++) {
        if (!(c->values[i] > 0)) continue;
        double xa = X0 + (log10(c->edges[i]) - llo) / (lhi - llo) * (X1 - X0);
        double xb = X0 + (log10(c->edges[i + 1]) - llo) / (lhi - llo) * (X1 - X0);
        double y = Y1 - c->values[i] / ytop * (Y1 - Y0);
        double w = xb - xa > 2 ? xb - xa - 1 : 1;
        strbuf_appendf(b,
                       "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">",
                       xa + 0.5, y, w, Y1 - y, c->color);
        if (c->tips) {
            strbuf_append_str(b, "<title>");
            xml_escape(b, c->tips[i]);
            strbuf_append_str(b, "</title>");
        }
        strbuf_append_str(b, "</rect>");
    }
    s_markers(b, c, llo, lhi);
    strbuf_append_str(b, "</svg>\n");
}

/* ---- stacked bars ---- */

#define SB_LEFT 230.0 /* room for the row labels */
#define SB_ROW 26.0   /* height of a row */
#define SB_BAR 18.0   /* height of a bar */
#define SB_LABEL_CHARS 32

static void s_stack_legend(strbuf_t *b, const svg_part_t *parts, size_t n) {
    double x = SB_LEFT;
    for (size_t i = 0; i < n; i++) {
        strbuf_appendf(b,
                       "<rect x=\"%.1f\" y=\"26\" width=\"14\" height=\"12\" fill=\"%s\"/>"
                       "<text x=\"%.1f\" y=\"36\" fill=\"%s\">",
                       x, parts[i].color, x + 19, TEXT_COLOR);
        xml_escape(b, parts[i].label);
        strbuf_append_str(b, "</text>");
        size_t len = 0;
        for (const char *p = parts[i].label; p && *p; p++)
            len++;
        x += 19 + 7.0 * (double)len + 18;
    }
}

/* The row label, cut to SB_LABEL_CHARS characters (UTF-8 kept whole). */
static void s_row_label(strbuf_t *b, const char *label, double y) {
    strbuf_appendf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">", SB_LEFT - 8,
                   y, TEXT_COLOR);
    size_t chars = 0, i = 0;
    for (; label[i]; i++) {
        if (((unsigned char)label[i] & 0xc0) != 0x80 && chars++ == SB_LABEL_CHARS) break;
    }
    char cut[4 * SB_LABEL_CHARS + 8]; /* SB_LABEL_CHARS UTF-8 characters fit */
    size_t n = i < sizeof cut - 1 ? i : sizeof cut - 1;
    memcpy(cut, label, n);
    cut[n] = '\0';
    xml_escape(b, cut);
    if (label[i]) strbuf_append_str(b, "\xe2\x80\xa6");
    strbuf_append_str(b, "</text>");
}

static void s_row_parts(strbuf_t *b, const svg_stacked_bars_t *c, size_t row, double y,
                        double scale) {
    const double *v = &c->values[row * c->n_parts];
    double total = 0, x = SB_LEFT;
    for (size_t k = 0; k < c->n_parts; k++)
        total += v[k] > 0 ? v[k] : 0;
    for (size_t k = 0; k < c->n_parts; k++) {
        double len = v[k] > 0 ? v[k] : 0, w = len * scale;
        char f[32];
        strbuf_appendf(b,
                       "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.0f\" fill=\"%s\">"
                       "<title>",
                       x, y, w, SB_BAR, c->parts[k].color);
        xml_escape(b, c->labels[row]);
        strbuf_append_str(b, ": ");
        xml_escape(b, c->parts[k].label);
        strbuf_appendf(b, " %s (%.1f%%)</title></rect>", svg_format_us(len, f, sizeof f),
                       total > 0 ? 100.0 * len / total : 0.0);
        x += w;
    }
}

void svg_stacked_bars(strbuf_t *b, const svg_stacked_bars_t *c) {
    double top = 0;
    for (size_t i = 0; i < c->n; i++) {
        double t = 0;
        for (size_t k = 0; k < c->n_parts; k++) {
            double v = c->values[i * c->n_parts + k];
            t += v > 0 ? v : 0;
        }
        if (t > top) top = t;
    }
    size_t rows = c->n ? c->n : 1;
    double h = TOP + SB_ROW * (double)rows + BOTTOM;
    strbuf_appendf(b,
                   "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                   "font-family=\"system-ui, sans-serif\" font-size=\"12\" aria-label=\"",
                   W, h);
    xml_escape(b, c->title);
    strbuf_append_str(b, "\"><title>");
    xml_escape(b, c->title);
    strbuf_appendf(b, "</title><rect width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>", W, h);
    strbuf_appendf(b, "<text x=\"%.0f\" y=\"20\" font-size=\"15\" font-weight=\"600\" fill=\"%s\">",
                   SB_LEFT, TEXT_COLOR);
    xml_escape(b, c->title);
    strbuf_append_str(b, "</text>");
    double y_axis = TOP + SB_ROW * (double)rows;
    if (c->n == 0 || !(top > 0)) {
        strbuf_appendf(b,
                       "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#888\" "
                       "font-size=\"14\">no data</text></svg>\n",
                       (SB_LEFT + X1) / 2, TOP + SB_ROW / 2 + 5);
        return;
    }
    s_stack_legend(b, c->parts, c->n_parts);
    /* The axis: ticks at a nice step in us, grid lines through the rows. */
    double step = s_nice_step(top, 5), scale = (X1 - SB_LEFT) / top;
    for (int i = 0; i * step <= top * (1 + 1e-9); i++) {
        double x = SB_LEFT + i * step * scale;
        char f[32];
        strbuf_appendf(b,
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                       "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\">%s</text>",
                       x, TOP - 4, x, y_axis, i ? GRID_COLOR : AXIS_COLOR, x, y_axis + 18,
                       TEXT_COLOR, i ? svg_format_us(i * step, f, sizeof f) : "0");
    }
    for (size_t i = 0; i < c->n; i++) {
        double y = TOP + SB_ROW * (double)i + (SB_ROW - SB_BAR) / 2;
        s_row_label(b, c->labels[i], y + SB_BAR - 5);
        s_row_parts(b, c, i, y, scale);
    }
    strbuf_appendf(b,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/></svg>\n",
                   SB_LEFT, y_axis, X1, y_axis, AXIS_COLOR);
}
