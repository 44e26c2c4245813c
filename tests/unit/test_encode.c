/* test_encode: the one percent-encoding (checked byte for byte against libcurl's
 * curl_easy_escape) and the template-keeping form and JSON encodings (scenarios/encode.h). */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <string.h>

#include "scenarios/encode.h"

/* What curl_easy_escape makes of s (len bytes); caller frees with curl_free. */
static char *s_curl_escape(const char *s, size_t len) {
    CURL *c = curl_easy_init();
    cr_assert_not_null(c, "curl_easy_init");
    char *got = curl_easy_escape(c, s, (int)len);
    cr_assert_not_null(got, "curl_easy_escape");
    curl_easy_cleanup(c);
    return got;
}

static void s_expect_like_curl(const char *s, size_t len) {
    strbuf_t b;
    strbuf_init(&b);
    scenario_encode_percent(&b, s, len);
    char *want = s_curl_escape(s, len);
    cr_expect_eq(b.len, strlen(want), "length for %zu bytes starting 0x%02x", len,
                 len ? (unsigned char)s[0] : 0u);
    cr_expect_str_eq(strbuf_str(&b), want);
    curl_free(want);
    strbuf_fini(&b);
}

Test(encode, every_byte_is_encoded_as_curl_easy_escape_does) {
    for (unsigned v = 0; v < 256; v++) {
        char c = (char)v;
        s_expect_like_curl(&c, 1);
    }
}

Test(encode, all_bytes_in_one_string_match_curl) {
    char all[256];
    for (unsigned v = 0; v < 256; v++)
        all[v] = (char)v;
    s_expect_like_curl(all, sizeof all);
}

Test(encode, strings_match_curl) {
    static const char *const cases[] = {
        "",
        "plain",
        "a b&c=d/e?f+g%-._~AZaz09",
        "*'()!$,;:@[]#",
        "caf\xc3\xa9 \xe2\x82\xac",
        "{{ user_id }}",
        "100%",
        "  leading and trailing  ",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        s_expect_like_curl(cases[i], strlen(cases[i]));
    s_expect_like_curl("nul\0inside", 10);
}

Test(encode, the_rule_in_examples) {
    strbuf_t b;
    strbuf_init(&b);
    scenario_encode_percent(&b, "a b*~", 5);
    cr_expect_str_eq(strbuf_str(&b), "a%20b%2A~", "space is %%20, * is encoded, ~ is kept");
    strbuf_fini(&b);
}

Test(encode, appends_to_what_is_there) {
    strbuf_t b;
    strbuf_init(&b);
    strbuf_append_str(&b, "q=");
    scenario_encode_percent(&b, "x y", 3);
    cr_expect_str_eq(strbuf_str(&b), "q=x%20y");
    strbuf_fini(&b);
}

Test(encode, form_keeps_templates_only_when_asked) {
    strbuf_t b;
    strbuf_init(&b);
    const char *s = "a b{{ choice('x}}y', \"}}\") }}&c";
    scenario_encode_form(&b, s, strlen(s), true);
    cr_expect_str_eq(strbuf_str(&b), "a%20b{{ choice('x}}y', \"}}\") }}%26c");
    strbuf_reset(&b);
    scenario_encode_form(&b, "{{x}} y", 7, false);
    cr_expect_str_eq(strbuf_str(&b), "%7B%7Bx%7D%7D%20y");
    strbuf_reset(&b);
    scenario_encode_form(&b, "a {{ unclosed", 13, true);
    cr_expect_str_eq(strbuf_str(&b), "a%20{{ unclosed", "an unclosed {{ is copied to the end");
    strbuf_fini(&b);
}

Test(encode, json_escapes_literals_and_keeps_templates) {
    strbuf_t b;
    strbuf_init(&b);
    const char *s = "\"q\"\n{{ env('A\"B') }}\\\x01";
    scenario_encode_json(&b, s, strlen(s));
    cr_expect_str_eq(strbuf_str(&b), "\\\"q\\\"\\n{{ env('A\"B') }}\\\\\\u0001");
    strbuf_fini(&b);
}

/* What Python's requests.utils.requote_uri makes of these (checked with requests
 * 2.28), but for a '%' that starts no escape: requests leaves it (an invalid
 * URL), barrage writes %25; and requests also decodes %41 to A (the same URL). */
Test(encode, url_quotes_what_a_url_cannot_hold_as_requests_does) {
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"/a b", "/a%20b"},
        {"/p?q=1&r=a b#frag", "/p?q=1&r=a%20b#frag"},
        {"http://h:1/x;y=[1]@!$'()*+,~", "http://h:1/x;y=[1]@!$'()*+,~"},
        {"50%", "50%25"},
        {"%41%4", "%41%254"},
        {"\"<>\\^`{|}", "%22%3C%3E%5C%5E%60%7B%7C%7D"},
        {"\xc3\xa4\x7f\t", "%C3%A4%7F%09"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        strbuf_t b;
        strbuf_init(&b);
        scenario_encode_url(&b, cases[i].in, strlen(cases[i].in), false);
        cr_expect_str_eq(strbuf_str(&b), cases[i].out, "%s", cases[i].in);
        strbuf_fini(&b);
    }
    strbuf_t b;
    strbuf_init(&b);
    const char *t = "/a b/{{ x y }}/c d";
    scenario_encode_url(&b, t, strlen(t), true);
    cr_expect_str_eq(strbuf_str(&b), "/a%20b/{{ x y }}/c%20d", "templates kept");
    strbuf_fini(&b);
}

Test(encode, template_bounds) {
    const char *s = "x{{ 'a}}b' }}y";
    cr_expect(scenario_has_template(s, strlen(s)));
    cr_expect_eq(scenario_template_end(s, strlen(s), 1), strlen(s) - 1);
    cr_expect_not(scenario_has_template("{ {x} }", 7));
    cr_expect_eq(scenario_template_end("{{ 'open", 8, 0), 8, "an unclosed string runs to the end");
}
