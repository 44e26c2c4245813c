/* test_strbuf: the growable NUL-terminated buffer (common/strbuf.h). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"

Test(strbuf, starts_empty_and_reads_as_empty_string) {
    strbuf_t b;
    strbuf_init(&b);
    cr_expect_null(b.data);
    cr_expect_eq(b.len, 0);
    cr_expect_eq(b.cap, 0);
    cr_expect_str_eq(strbuf_str(&b), "");
    strbuf_reset(&b); /* fine before the first append */
    cr_expect_str_eq(strbuf_str(&b), "");
    strbuf_fini(&b);
}

Test(strbuf, append_functions_concatenate) {
    strbuf_t b;
    strbuf_init(&b);
    strbuf_append(&b, "abcdef", 3);
    strbuf_append_str(&b, "-xy-");
    strbuf_append_char(&b, '!');
    strbuf_appendf(&b, "%d/%s/%.2f", 42, "z", 1.5);
    cr_expect_str_eq(strbuf_str(&b), "abc-xy-!42/z/1.50");
    cr_expect_eq(b.len, strlen("abc-xy-!42/z/1.50"));
    cr_expect_gt(b.cap, b.len);
    strbuf_fini(&b);
}

Test(strbuf, append_of_nothing_still_gives_a_string) {
    strbuf_t b;
    strbuf_init(&b);
    strbuf_append(&b, NULL, 0);
    cr_expect_not_null(b.data);
    cr_expect_eq(b.len, 0);
    cr_expect_str_eq(strbuf_str(&b), "");
    strbuf_appendf(&b, "%s", "");
    cr_expect_eq(b.len, 0);
    strbuf_fini(&b);
}

Test(strbuf, binary_data_keeps_its_length) {
    strbuf_t b;
    strbuf_init(&b);
    strbuf_append(&b, "a\0b", 3);
    cr_expect_eq(b.len, 3);
    cr_expect_eq(memcmp(b.data, "a\0b", 4), 0, "content plus the terminating NUL");
    strbuf_fini(&b);
}

Test(strbuf, grows_across_many_appends) {
    strbuf_t b;
    strbuf_init(&b);
    for (int i = 0; i < 10000; i++)
        strbuf_append_char(&b, (char)('a' + i % 26));
    cr_assert_eq(b.len, 10000);
    cr_expect_geq(b.cap, 10001);
    cr_expect_eq(b.data[10000], '\0');
    for (int i = 0; i < 10000; i++)
        cr_assert_eq(b.data[i], 'a' + i % 26, "byte %d", i);
    strbuf_fini(&b);
}

Test(strbuf, appendf_past_256_bytes) {
    char big[1000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    strbuf_t b;
    strbuf_init(&b);
    strbuf_append_str(&b, "<");
    strbuf_appendf(&b, "%s|%d", big, 7);
    strbuf_append_char(&b, '>');
    cr_assert_eq(b.len, 1 + 999 + 2 + 1);
    cr_expect_eq(b.data[0], '<');
    cr_expect_eq(strspn(b.data + 1, "q"), 999);
    cr_expect_str_eq(b.data + 1000, "|7>");
    /* Exactly at the 256-byte boundary of the internal small buffer. */
    strbuf_reset(&b);
    strbuf_appendf(&b, "%.255s", big);
    cr_expect_eq(b.len, 255);
    strbuf_appendf(&b, "%.256s", big);
    cr_expect_eq(b.len, 511);
    cr_expect_eq(strspn(strbuf_str(&b), "q"), 511);
    strbuf_fini(&b);
}

Test(strbuf, reset_keeps_memory) {
    strbuf_t b;
    strbuf_init(&b);
    strbuf_append_str(&b, "hello, world, a fairly long string to force some growth");
    char *data = b.data;
    size_t cap = b.cap;
    strbuf_reset(&b);
    cr_expect_eq(b.len, 0);
    cr_expect_str_eq(strbuf_str(&b), "");
    cr_expect_eq(b.data, data);
    cr_expect_eq(b.cap, cap);
    strbuf_append_str(&b, "again");
    cr_expect_str_eq(strbuf_str(&b), "again");
    cr_expect_eq(b.data, data, "appending within capacity does not reallocate");
    strbuf_fini(&b);
}

Test(strbuf, fini_releases_and_zeroes) {
    strbuf_t b;
    strbuf_init(&b);
    strbuf_append_str(&b, "x");
    strbuf_fini(&b);
    cr_expect_null(b.data);
    cr_expect_eq(b.len, 0);
    cr_expect_eq(b.cap, 0);
    strbuf_fini(&b); /* twice is harmless */
    strbuf_append_str(&b, "reusable");
    cr_expect_str_eq(strbuf_str(&b), "reusable");
    strbuf_fini(&b);
}

static void s_vappend(strbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void s_vappend(strbuf_t *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    strbuf_vappendf(b, fmt, ap);
    va_end(ap);
}

Test(strbuf, vappendf_formats_a_va_list_of_any_size) {
    char big[600];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    strbuf_t b;
    strbuf_init(&b);
    s_vappend(&b, "%d-%s", 5, "x");
    cr_expect_str_eq(strbuf_str(&b), "5-x");
    s_vappend(&b, "[%s]", big);
    cr_expect_eq(b.len, 3 + 2 + 599);
    cr_expect_eq(strspn(b.data + 4, "z"), 599);
    cr_expect_str_eq(b.data + 603, "]");
    strbuf_fini(&b);
}

Test(strbuf, json_escapes_quotes_backslashes_and_control_bytes) {
    strbuf_t b;
    strbuf_init(&b);
    const char in[] = "say \"hi\" \\ now\nthen\r\t\b\f\x01\x1f\x7f caf\xc3\xa9";
    strbuf_append_json(&b, in, sizeof in - 1);
    cr_expect_str_eq(strbuf_str(&b),
                     "say \\\"hi\\\" \\\\ now\\nthen\\r\\t\\b\\f\\u0001\\u001f\x7f caf\xc3\xa9");
    strbuf_reset(&b);
    strbuf_append_json(&b, "a\0b", 3);
    cr_expect_str_eq(strbuf_str(&b), "a\\u0000b", "a NUL inside is escaped, not the end");
    strbuf_reset(&b);
    strbuf_append_json(&b, "", 0);
    cr_expect_eq(b.len, 0);
    strbuf_fini(&b);
}

Test(strbuf, json_escape_of_every_byte) {
    strbuf_t b;
    strbuf_init(&b);
    for (unsigned v = 0; v < 256; v++) {
        char c = (char)v;
        strbuf_reset(&b);
        strbuf_append_json(&b, &c, 1);
        if (v == '"' || v == '\\')
            cr_expect(b.len == 2 && b.data[0] == '\\' && b.data[1] == c, "byte 0x%02x", v);
        else if (v < 0x20)
            cr_expect(b.len == 2 || (b.len == 6 && !strncmp(b.data, "\\u00", 4)), "byte 0x%02x", v);
        else
            cr_expect(b.len == 1 && b.data[0] == c, "byte 0x%02x is copied", v);
    }
    strbuf_fini(&b);
}

Test(strbuf, reserve_and_commit_write_in_place) {
    strbuf_t b;
    strbuf_init(&b);
    strbuf_append_str(&b, "ab");
    char *p = strbuf_reserve(&b, 1000);
    cr_assert_geq(strbuf_room(&b), 1000);
    cr_expect_eq(p, b.data + 2);
    memset(p, 'x', 1000);
    strbuf_commit(&b, 1000);
    cr_expect_eq(b.len, 1002);
    cr_expect_eq(b.data[1002], '\0', "commit terminates the content");
    cr_expect_eq(strspn(b.data + 2, "x"), 1000);
    strbuf_commit(&b, 0);
    cr_expect_eq(b.len, 1002);
    strbuf_fini(&b);
    cr_expect_eq(strbuf_room(&b), 0);
    strbuf_commit(&b, 0);
    cr_expect_str_eq(strbuf_str(&b), "", "a commit of nothing on a new buffer");
    strbuf_fini(&b);
}

Test(strbuf, drop_front_keeps_the_rest) {
    strbuf_t b;
    strbuf_init(&b);
    strbuf_drop_front(&b, 3); /* fine on an empty buffer */
    strbuf_append_str(&b, "request1request2");
    strbuf_drop_front(&b, 8);
    cr_expect_str_eq(strbuf_str(&b), "request2");
    cr_expect_eq(b.len, 8);
    strbuf_drop_front(&b, 0);
    cr_expect_str_eq(strbuf_str(&b), "request2");
    strbuf_drop_front(&b, 100);
    cr_expect_eq(b.len, 0);
    cr_expect_str_eq(strbuf_str(&b), "");
    strbuf_fini(&b);
}

Test(strbuf, reset_capped_frees_only_a_grown_buffer) {
    strbuf_t b;
    strbuf_init(&b);
    strbuf_append_str(&b, "small");
    char *data = b.data;
    strbuf_reset_capped(&b, 1024);
    cr_expect_eq(b.data, data, "kept: within the cap");
    cr_expect_str_eq(strbuf_str(&b), "");
    memset(strbuf_reserve(&b, 5000), 'y', 5000);
    strbuf_commit(&b, 5000);
    strbuf_reset_capped(&b, 1024);
    cr_expect_null(b.data, "released: it grew past the cap");
    cr_expect_eq(b.cap, 0);
    strbuf_append_str(&b, "again");
    cr_expect_str_eq(strbuf_str(&b), "again");
    strbuf_fini(&b);
}

Test(strbuf, detach_hands_over_the_string) {
    strbuf_t b;
    strbuf_init(&b);
    size_t len = 99;
    char *s = strbuf_detach(&b, &len);
    cr_expect_str_eq(s, "", "an empty buffer detaches as \"\"");
    cr_expect_eq(len, 0);
    free(s);
    strbuf_append_str(&b, "owned");
    s = strbuf_detach(&b, &len);
    cr_expect_str_eq(s, "owned");
    cr_expect_eq(len, 5);
    cr_expect_null(b.data, "the buffer is empty again");
    cr_expect_eq(b.len, 0);
    free(s);
    strbuf_append_str(&b, "x");
    s = strbuf_detach(&b, NULL);
    cr_expect_str_eq(s, "x");
    free(s);
    strbuf_fini(&b);
}

Test(strbuf, json_string_is_quoted_escaped_or_null) {
    strbuf_t b;
    strbuf_init(&b);
    strbuf_append_json_string(&b, "a \"q\"\n");
    strbuf_append_char(&b, ',');
    strbuf_append_json_string(&b, NULL);
    strbuf_append_char(&b, ',');
    strbuf_append_json_string(&b, "");
    cr_expect_str_eq(strbuf_str(&b), "\"a \\\"q\\\"\\n\",null,\"\"");
    strbuf_fini(&b);
}

Test(strbuf, json_number_has_15_digits_and_null_for_non_finite) {
    strbuf_t b;
    strbuf_init(&b);
    strbuf_append_json_number(&b, 0.1);
    strbuf_append_char(&b, ',');
    strbuf_append_json_number(&b, 12.345678901234567);
    strbuf_append_char(&b, ',');
    strbuf_append_json_number(&b, NAN);
    strbuf_append_char(&b, ',');
    strbuf_append_json_number(&b, -INFINITY);
    cr_expect_str_eq(strbuf_str(&b), "0.1,12.3456789012346,null,null");
    strbuf_fini(&b);
}
