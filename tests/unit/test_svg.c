/* test_svg: the charts of the HTML report — line charts (NaN breaks, ticks,
 * coinciding series all visible, legend), log-axis bars with markers, axis
 * labels (report/svg.h). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/svg.h"

static size_t s_count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

Test(svg, format_us) {
    char buf[32];
    cr_expect_str_eq(svg_format_us(500, buf, sizeof buf), "500\xc2\xb5s");
    cr_expect_str_eq(svg_format_us(2500, buf, sizeof buf), "2.5ms");
    cr_expect_str_eq(svg_format_us(1200000, buf, sizeof buf), "1.2s");
}

Test(svg, line_chart_breaks_on_nan_and_has_nice_ticks) {
    double x[] = {1, 2, 3, 4}, y[] = {10, NAN, 30, 37};
    svg_series_t s = {"lat", "#000", y};
    svg_line_chart_t c = {.title = "T<1>",
                          .x_unit = "s",
                          .y_unit = " ms",
                          .x = x,
                          .n = 4,
                          .series = &s,
                          .n_series = 1};
    strbuf_t b;
    strbuf_init(&b);
    svg_line_chart(&b, &c);
    const char *svg = strbuf_str(&b);
    cr_expect(strstr(svg, "<title>T&lt;1&gt;</title>"));
    cr_expect_eq(s_count(svg, "M"), 2, "the NaN starts a new subpath: %s", svg);
    cr_expect(strstr(svg, "h0"), "the isolated first point is drawn as a dot");
    cr_expect(strstr(svg, ">40 ms</text>"), "top tick rounds 37 up to 40");
    cr_expect(strstr(svg, ">4s</text>"));
    strbuf_fini(&b);
}

Test(svg, log_bars_label_ticks_and_markers) {
    double edges[] = {100, 1000, 10000, 100000}, values[] = {10, 60, 30};
    const char *tips[] = {"a", "b<", "c"};
    svg_marker_t m = {"p95 20ms", 20000};
    svg_log_bars_t c = {.title = "D",
                        .y_unit = "%",
                        .edges = edges,
                        .values = values,
                        .tips = tips,
                        .n = 3,
                        .color = "#123",
                        .markers = &m,
                        .n_markers = 1};
    strbuf_t b;
    strbuf_init(&b);
    svg_log_bars(&b, &c);
    const char *svg = strbuf_str(&b);
    cr_expect_eq(s_count(svg, "<rect x="), 3);
    cr_expect(strstr(svg, "<title>b&lt;</title>"));
    cr_expect(strstr(svg, ">1ms</text>") && strstr(svg, ">100ms</text>"));
    cr_expect(strstr(svg, ">100\xc2\xb5s</text>"));
    cr_expect(strstr(svg, ">p95 20ms</text>"));
    cr_expect(strstr(svg, ">60%</text>"));
    strbuf_fini(&b);
    strbuf_init(&b);
    c.n = 0;
    svg_log_bars(&b, &c);
    cr_expect(strstr(strbuf_str(&b), "no data"));
    strbuf_fini(&b);
}

Test(svg, line_chart_x_max_extends_the_axis) {
    double x[] = {1, 2}, y[] = {5, 10};
    svg_series_t s = {"a", "#000", y};
    svg_line_chart_t c = {.title = "T",
                          .x_unit = "s",
                          .y_unit = "",
                          .x = x,
                          .x_max = 4,
                          .n = 2,
                          .series = &s,
                          .n_series = 1};
    strbuf_t b;
    strbuf_init(&b);
    svg_line_chart(&b, &c);
    cr_expect(strstr(strbuf_str(&b), ">4s</text>"));
    cr_expect(strstr(strbuf_str(&b), "L474.0 "), "x = 2 of 4 is half way: %s", strbuf_str(&b));
    strbuf_fini(&b);
}

Test(svg, marker_labels_above_every_marker_line) {
    double edges[] = {1000, 10000, 100000}, values[] = {50, 50};
    svg_marker_t m[] = {{"p50 30ms", 30000}, {"p95 90ms", 90000}, {"p99 95ms", 95000}};
    svg_log_bars_t c = {.title = "D",
                        .y_unit = "%",
                        .edges = edges,
                        .values = values,
                        .n = 2,
                        .color = "#123",
                        .markers = m,
                        .n_markers = 3};
    strbuf_t b;
    strbuf_init(&b);
    svg_log_bars(&b, &c);
    const char *svg = strbuf_str(&b);
    const char *last_line = NULL;
    for (const char *p = strstr(svg, "stroke-dasharray"); p; p = strstr(p + 1, "stroke-dasharray"))
        last_line = p;
    cr_assert_not_null(last_line);
    cr_expect(strstr(svg, ">p50 30ms<") > last_line, "labels drawn after every line");
    cr_expect_eq(s_count(svg, "paint-order=\"stroke\""), 3, "each label has a halo");
    /* p95 and p99 sit near the right edge: every label goes left of its line. */
    cr_expect_eq(s_count(svg, "text-anchor=\"end\" stroke=\"#fff\""), 3);
    strbuf_fini(&b);
}

/* The attribute `name="..."` of the tag starting at tag, copied into out. */
static void s_attr(const char *tag, const char *name, char *out, size_t out_bytes) {
    char key[32];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *end = strchr(tag, '>');
    const char *p = strstr(tag, key);
    out[0] = '\0';
    if (!p || p > end) return;
    p += strlen(key);
    size_t n = strcspn(p, "\"");
    if (n >= out_bytes) n = out_bytes - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

Test(svg, three_identical_series_all_stay_visible) {
    double x[] = {0, 1, 2, 3}, y[] = {30, 31, 30, 32};
    svg_series_t s[] = {{"p50", "#2ca02c", y}, {"p95", "#ff7f0e", y}, {"p99", "#8c564b", y}};
    svg_line_chart_t c = {.title = "Latency",
                          .x_unit = "s",
                          .y_unit = " ms",
                          .x = x,
                          .n = 4,
                          .series = s,
                          .n_series = 3};
    strbuf_t b;
    strbuf_init(&b);
    svg_line_chart(&b, &c);
    const char *svg = strbuf_str(&b);
    cr_assert_eq(s_count(svg, "<path "), 3, "one path per series: %s", svg);
    char color[3][32], width[3][16], dash[3][32];
    const char *p = svg;
    for (int i = 0; i < 3; i++) {
        p = strstr(p, "<path ");
        s_attr(p, "stroke", color[i], sizeof color[i]);
        s_attr(p, "stroke-width", width[i], sizeof width[i]);
        s_attr(p, "stroke-dasharray", dash[i], sizeof dash[i]);
        p++;
    }
    /* In drawing order: each narrower than the one below it, so the ones
     * below show as a border; every later one dashed, each differently, so
     * the ones below show through its gaps. */
    cr_expect_str_eq(color[0], "#2ca02c");
    cr_expect_str_eq(color[1], "#ff7f0e");
    cr_expect_str_eq(color[2], "#8c564b");
    cr_expect_gt(strtod(width[0], NULL), strtod(width[1], NULL), "%s > %s", width[0], width[1]);
    cr_expect_gt(strtod(width[1], NULL), strtod(width[2], NULL), "%s > %s", width[1], width[2]);
    cr_expect_eq(strtod(width[2], NULL), SVG_LINE_WIDTH_MIN);
    cr_expect_str_eq(dash[0], "", "the first series is solid");
    cr_expect_str_neq(dash[1], "");
    cr_expect_str_neq(dash[2], "");
    cr_expect_str_neq(dash[1], dash[2]);
    /* The legend draws each line as it is: same colour, width and dashes. */
    for (int i = 0; i < 3; i++) {
        char want[512];
        snprintf(want, sizeof want, "stroke=\"%s\" stroke-width=\"%s\"%s%s%s/><text", color[i],
                 width[i], dash[i][0] ? " stroke-dasharray=\"" : "", dash[i],
                 dash[i][0] ? "\"" : "");
        cr_expect(strstr(svg, want), "legend entry %d (%s) in %s", i, want, svg);
    }
    strbuf_fini(&b);
}

Test(svg, isolated_points_of_a_dashed_series_are_solid_dots) {
    double x[] = {0, 1, 2}, a[] = {1, 2, 3}, d[] = {5, NAN, 7};
    svg_series_t s[] = {{"a", "#111", a}, {"d", "#222", d}};
    svg_line_chart_t c = {
        .title = "T", .x_unit = "s", .y_unit = "", .x = x, .n = 3, .series = s, .n_series = 2};
    strbuf_t b;
    strbuf_init(&b);
    svg_line_chart(&b, &c);
    const char *svg = strbuf_str(&b);
    const char *dots = strstr(svg, "h0");
    cr_assert_not_null(dots, "%s", svg);
    const char *tag = dots;
    while (tag > svg && strncmp(tag, "<path ", 6) != 0)
        tag--;
    char color[16], dash[16];
    s_attr(tag, "stroke", color, sizeof color);
    s_attr(tag, "stroke-dasharray", dash, sizeof dash);
    cr_expect_str_eq(color, "#222");
    cr_expect_str_eq(dash, "", "a dot is not dashed: %s", tag);
    cr_expect_eq(s_count(svg, "h0"), 2, "both points of d are dots: %s", svg);
    strbuf_fini(&b);
}

Test(svg, stacked_bars_lay_parts_end_to_end_with_hover_texts) {
    const char *labels[] = {"GET /fast", "GET /a-name-much-longer-than-thirty-two-characters-here"};
    const double values[] = {100, 900, 0, 4000,  5000,  /* 10 ms */
                             0,   0,   0, 19000, 1000}; /* 20 ms: the longest */
    const svg_part_t parts[] = {{"DNS", "#111111"},
                                {"Connect", "#222222"},
                                {"TLS", "#333333"},
                                {"Wait", "#444444"},
                                {"Receive", "#555555"}};
    strbuf_t b;
    strbuf_init(&b);
    svg_stacked_bars(&b, &(svg_stacked_bars_t){.title = "Where <it> went",
                                               .labels = labels,
                                               .values = values,
                                               .n = 2,
                                               .parts = parts,
                                               .n_parts = 5});
    const char *s = strbuf_str(&b);
    cr_assert_eq(s_count(s, "<svg"), 1);
    cr_assert(strstr(s, "Where &lt;it&gt; went"), "the title is escaped");
    cr_assert_eq(s_count(s, "<rect x="), 5 + 2 * 5, "legend swatches and 5 parts per row");
    cr_assert(strstr(s, "<title>GET /fast: Wait 4ms (40.0%)</title>"), "%s", s);
    cr_assert(strstr(s, "<title>GET /fast: TLS 0\xc2\xb5s (0.0%)</title>"));
    cr_assert(strstr(s, ">GET /a-name-much-longer-than-thi\xe2\x80\xa6</text>"),
              "a label cut at 32 characters");
    cr_assert(strstr(s, ">20ms</text>") || strstr(s, ">15ms</text>"), "ticks in ms");
    cr_assert_null(strstr(s, "no data"));
    strbuf_fini(&b);
    strbuf_init(&b);
    svg_stacked_bars(&b, &(svg_stacked_bars_t){.title = "empty", .parts = parts, .n_parts = 5});
    cr_assert(strstr(strbuf_str(&b), "no data"));
    cr_assert_eq(s_count(strbuf_str(&b), "</svg>"), 1);
    strbuf_fini(&b);
}
