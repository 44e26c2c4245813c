/* test_servertiming: the Server-Timing header parser. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/rng.h"
#include "worker/servertiming.h"

typedef struct {
    char names[8][32];
    double durs[8];
    int n;
} seen_t;

static void s_collect(const char *name, size_t len, double dur_ms, void *arg) {
    seen_t *s = arg;
    if (s->n >= 8) return;
    snprintf(s->names[s->n], sizeof s->names[0], "%.*s", (int)len, name);
    s->durs[s->n++] = dur_ms;
}

static int s_parse(const char *v, seen_t *s) {
    memset(s, 0, sizeof *s);
    return servertiming_parse(v, strlen(v), s_collect, s);
}

Test(servertiming, metrics_with_dur) {
    seen_t s;
    cr_assert_eq(s_parse("db;dur=12.3, total;dur=20", &s), 2);
    cr_expect_str_eq(s.names[0], "db");
    cr_expect_float_eq(s.durs[0], 12.3, 1e-9);
    cr_expect_str_eq(s.names[1], "total");
    cr_expect_float_eq(s.durs[1], 20.0, 1e-9);
}

Test(servertiming, metrics_without_dur_are_skipped) {
    seen_t s;
    cr_assert_eq(s_parse("miss, cache;desc=\"Cache Read\", app;dur=0.25", &s), 1);
    cr_expect_str_eq(s.names[0], "app");
}

Test(servertiming, quoted_values_hold_commas_and_semicolons) {
    seen_t s;
    cr_assert_eq(s_parse("db;desc=\"a, b; c \\\" d\";dur=7, x;dur=1", &s), 2);
    cr_expect_str_eq(s.names[0], "db");
    cr_expect_float_eq(s.durs[0], 7.0, 1e-9);
}

Test(servertiming, whitespace_and_case) {
    seen_t s;
    cr_assert_eq(s_parse("  db ; DUR = 3 ,\tapp;dur=4  ", &s), 2);
    cr_expect_float_eq(s.durs[0], 3.0, 1e-9);
}

Test(servertiming, the_demo_targets_header) {
    seen_t s;
    cr_assert_eq(s_parse("app;dur=0.042", &s), 1);
    cr_expect_float_eq(s.durs[0], 0.042, 1e-9);
}

Test(servertiming, malformed_values) {
    seen_t s;
    cr_expect_eq(s_parse(";dur=1", &s), -1);
    cr_expect_eq(s_parse("db;dur=1,,", &s), -1);
    cr_expect_eq(s_parse("db;desc=\"open", &s), -1);
    cr_expect_eq(s_parse("db;dur=1 junk", &s), -1);
    cr_expect_eq(s.n, 1, "metrics before the problem are still reported");
    cr_expect_eq(s_parse("db;dur=-5", &s), 0, "a negative dur is ignored");
    cr_expect_eq(s_parse("db;dur=abc", &s), 0);
    cr_expect_eq(s_parse("", &s), 0);
}

Test(servertiming, never_reads_past_len) {
    /* Exact-size heap copies without NUL: ASan catches any overread. */
    const char *v = "db;dur=12.3;desc=\"x\", total;dur=20";
    size_t n = strlen(v);
    for (size_t cut = 0; cut <= n; cut++) {
        char *copy = malloc(cut ? cut : 1);
        memcpy(copy, v, cut);
        seen_t s = {0};
        servertiming_parse(copy, cut, s_collect, &s);
        free(copy);
    }
    rng_t r;
    rng_seed(&r, 42);
    for (int i = 0; i < 20000; i++) {
        size_t len = (size_t)rng_range(&r, 0, 40);
        char *buf = malloc(len ? len : 1);
        static const char alphabet[] = "ab;=,\" \\d1.u";
        for (size_t k = 0; k < len; k++) buf[k] = alphabet[rng_range(&r, 0, sizeof alphabet - 2)];
        seen_t s = {0};
        servertiming_parse(buf, len, s_collect, &s);
        free(buf);
    }
}

Test(servertiming, absurd_durations_are_ignored) {
    /* Found by fuzz_servertiming: 1e308 ms overflowed the engine's conversion to us. */
    seen_t s;
    cr_assert_eq(s_parse("a;dur=1e308, b;dur=1000000001, c;dur=1000000000", &s), 1);
    cr_expect_str_eq(s.names[0], "c");
}
