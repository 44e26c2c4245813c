/* svg: inline SVG charts for the HTML report — line charts over time and bar
 * charts over a logarithmic axis, with axes, ticks, units, legend and title,
 * drawn into a strbuf as text. No script, no external reference. */
#ifndef BARRAGE_REPORT_SVG_H
#define BARRAGE_REPORT_SVG_H

#include <stddef.h>

#include "common/strbuf.h"

/* One line of a line chart: n y values (NaN = no value, the line breaks). */
typedef struct {
    const char *label; /* legend text */
    const char *color; /* CSS colour, e.g. "#1f77b4" */
    const double *y;
} svg_series_t;

typedef struct {
    const char *title;
    const char *x_unit; /* appended to x tick labels: "s" */
    const char *y_unit; /* appended to y tick labels: "/s", " ms", "" */
    const double *x;    /* n increasing x values, >= 0 */
    double x_max;       /* right end of the x axis; 0 = the largest x */
    size_t n;
    const svg_series_t *series;
    size_t n_series;
} svg_line_chart_t;

/* A labelled vertical line on a bar chart (e.g. "p95" at its value). */
typedef struct {
    const char *label;
    double x;
} svg_marker_t;

/* Bars over bins [edge[i], edge[i+1]) on a log10 x axis; values in
 * microseconds are labelled "µs", "ms" or "s". */
typedef struct {
    const char *title;
    const char *y_unit;   /* appended to y tick labels: "%" */
    const double *edges;  /* n + 1 increasing, > 0, in us */
    const double *values; /* n bar heights */
    const char *const *tips; /* n hover texts (NULL = none) */
    size_t n;
    const char *color;
    const svg_marker_t *markers;
    size_t n_markers;
} svg_log_bars_t;

/* One part of a stacked bar (a phase): its legend label and colour. */
typedef struct {
    const char *label;
    const char *color;
} svg_part_t;

/* Horizontal bars, one per row, each split into n_parts parts laid end to
 * end on a linear axis in microseconds (labelled "µs", "ms" or "s"). */
typedef struct {
    const char *title;
    const char *const *labels; /* n row labels, shown left of the bars */
    const double *values;      /* n * n_parts part lengths in us, row by row */
    size_t n;
    const svg_part_t *parts;
    size_t n_parts;
} svg_stacked_bars_t;

/* Line widths of a chart's series: the last series is SVG_LINE_WIDTH_MIN wide
 * and each one before it SVG_LINE_WIDTH_STEP wider; every series after the
 * first is dashed (its own pattern), so lines that coincide all stay visible:
 * the earlier ones as a border around the later ones and through their gaps.
 * The legend shows each line as it is drawn. */
#define SVG_LINE_WIDTH_MIN 2.0
#define SVG_LINE_WIDTH_STEP 1.5

/* Appends an <svg> line chart to b. With no x values or only NaNs it still
 * draws the frame and says "no data". */
void svg_line_chart(strbuf_t *b, const svg_line_chart_t *c);

/* Appends an <svg> bar chart with a log x axis to b ("no data" when n == 0). */
void svg_log_bars(strbuf_t *b, const svg_log_bars_t *c);

/* Appends an <svg> of stacked horizontal bars to b: the legend under the
 * title, a row per label (long labels cut with "…"), each part a rectangle
 * whose hover text gives the row, the part, its length and its share of the
 * row. The height grows with n; "no data" when n == 0 or every row is 0. */
void svg_stacked_bars(strbuf_t *b, const svg_stacked_bars_t *c);

/* Formats a duration in microseconds for an axis: "500µs", "2.5ms", "1.2s". */
char *svg_format_us(double us, char *buf, size_t buf_bytes);

#endif
