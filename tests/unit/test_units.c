/* test_units: duration parsing and formatting (common/units.h). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "common/units.h"

static uint64_t s_parse_ok(const char *text) {
    uint64_t ms = 12345;
    int rc = units_parse_duration_ms(text, &ms);
    cr_assert_eq(rc, 0, "\"%s\" should parse", text);
    return ms;
}

static void s_parse_bad(const char *text) {
    uint64_t ms = 777;
    int rc = units_parse_duration_ms(text, &ms);
    cr_assert_eq(rc, -1, "\"%s\" should be refused (got %d, %llu ms)", text, rc,
                 (unsigned long long)ms);
    cr_assert_eq(ms, 777, "a refused \"%s\" must leave *out_ms alone", text);
}

Test(units, parses_each_unit) {
    cr_assert_eq(s_parse_ok("500ms"), 500);
    cr_assert_eq(s_parse_ok("10s"), 10000);
    cr_assert_eq(s_parse_ok("2m"), 120000);
    cr_assert_eq(s_parse_ok("1h"), 3600000);
    cr_assert_eq(s_parse_ok("2000us"), 2);
    cr_assert_eq(s_parse_ok("0s"), 0);
}

Test(units, parses_compound_and_fractional) {
    cr_assert_eq(s_parse_ok("1m30s"), 90000);
    cr_assert_eq(s_parse_ok("1h2m3s"), 3723000);
    cr_assert_eq(s_parse_ok("1s500ms"), 1500);
    cr_assert_eq(s_parse_ok("1.5s"), 1500);
    cr_assert_eq(s_parse_ok("0.25s"), 250);
    cr_assert_eq(s_parse_ok("1.1s"), 1100);
    cr_assert_eq(s_parse_ok("2.5m"), 150000);
}

Test(units, bare_number_means_seconds) {
    cr_assert_eq(s_parse_ok("3"), 3000);
    cr_assert_eq(s_parse_ok("0.5"), 500);
    cr_assert_eq(s_parse_ok("1m30"), 90000);
}

Test(units, rounds_to_nearest_millisecond) {
    cr_assert_eq(s_parse_ok("1499us"), 1);
    cr_assert_eq(s_parse_ok("1500us"), 2);
    cr_assert_eq(s_parse_ok("400us"), 0);
}

Test(units, rejects_malformed) {
    s_parse_bad("");
    s_parse_bad("abc");
    s_parse_bad("10x");
    s_parse_bad("-1s");
    s_parse_bad("5 s");
    s_parse_bad(" 5s");
    s_parse_bad("5s ");
    s_parse_bad("s");
    s_parse_bad("ms");
    s_parse_bad("10sec");
    s_parse_bad("10S");
    s_parse_bad("1.2.3s");
    s_parse_bad("1.s");
    s_parse_bad("+5s");
}

Test(units, rejects_what_strtod_would_accept) {
    s_parse_bad("0x10s");
    s_parse_bad("1e3s");
    s_parse_bad("1e3");
    s_parse_bad("inf");
    s_parse_bad("nan");
}

Test(units, rejects_overflow) {
    s_parse_bad("99999999999999999999h");
    s_parse_bad("1000000000000000000000000000000000000000000000000s");
    /* 1e15 us is the documented ceiling; just above it is refused. */
    cr_assert_eq(s_parse_ok("1000000000s"), 1000000000000ull);
    s_parse_bad("1000000001s");
}

static void s_fmt(uint64_t us, const char *want) {
    char buf[32];
    memset(buf, 'x', sizeof buf);
    char *got = units_format_us(us, buf, sizeof buf);
    cr_assert_eq(got, buf, "returns buf");
    cr_assert_str_eq(buf, want, "%llu us", (unsigned long long)us);
}

Test(units, formats_each_range) {
    s_fmt(0, "0us");
    s_fmt(850, "850us");
    s_fmt(999, "999us");
    s_fmt(1000, "1.0ms");
    s_fmt(12345, "12.3ms");
    s_fmt(999949, "999.9ms");
    s_fmt(1200000, "1.20s");
    s_fmt(59994999, "59.99s");
    s_fmt(60000000, "1m00s");
    s_fmt(125000000, "2m05s");
    s_fmt(3600000000ull, "60m00s");
}

Test(units, formats_without_rounding_into_the_wrong_unit) {
    s_fmt(999999, "1.00s");
    s_fmt(59999999, "1m00s");
    s_fmt(119999999, "2m00s");
}

Test(units, formats_truncated_into_small_buffer) {
    char buf[4];
    units_format_us(123456789, buf, sizeof buf);
    cr_assert_str_eq(buf, "2m0");
    char big[64];
    cr_assert_str_eq(units_format_us(UINT64_MAX, big, sizeof big), "307445734561m50s");
}
