/* test_strbuf: the growable NUL-terminated buffer (common/strbuf.h). */
#include <criterion/criterion.h>
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
