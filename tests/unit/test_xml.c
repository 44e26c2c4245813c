/* test_xml: the one markup escaper of the reports (report/xml.h). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "report/xml.h"

static char *s_escaped(const char *s) {
    strbuf_t b;
    strbuf_init(&b);
    strbuf_append_str(&b, "[");
    xml_escape(&b, s);
    strbuf_append_str(&b, "]");
    char *out = strdup(strbuf_str(&b));
    strbuf_fini(&b);
    return out;
}

static void s_expect(const char *in, const char *want) {
    char *got = s_escaped(in);
    cr_expect_str_eq(got, want, "escaping \"%s\"", in ? in : "(null)");
    free(got);
}

Test(xml, markup_and_quotes) {
    s_expect("a<b>&\"c'd", "[a&lt;b&gt;&amp;&quot;c&#39;d]");
    s_expect("&amp;", "[&amp;amp;]");
}

Test(xml, whitespace_controls_are_character_references) {
    s_expect("a\tb\nc\rd", "[a&#9;b&#10;c&#13;d]");
}

Test(xml, other_controls_become_replacement_characters) {
    s_expect("a\x01"
             "b\x1f"
             "c\x7f"
             "d",
             "[a\xef\xbf\xbd"
             "b\xef\xbf\xbd"
             "c\xef\xbf\xbd"
             "d]");
}

Test(xml, utf8_and_plain_text_are_copied) {
    s_expect("caf\xc3\xa9 \xe2\x82\xac /orgs/{id}?q=1",
             "[caf\xc3\xa9 \xe2\x82\xac /orgs/{id}?q=1]");
}

Test(xml, null_and_empty_append_nothing) {
    s_expect(NULL, "[]");
    s_expect("", "[]");
}
