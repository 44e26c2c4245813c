/* xml: markup escaping for the JUnit, HTML and SVG outputs. */
#include "report/xml.h"

void xml_escape(strbuf_t *b, const char *s) {
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '&':
            strbuf_append_str(b, "&amp;");
            break;
        case '<':
            strbuf_append_str(b, "&lt;");
            break;
        case '>':
            strbuf_append_str(b, "&gt;");
            break;
        case '"':
            strbuf_append_str(b, "&quot;");
            break;
        case '\'':
            strbuf_append_str(b, "&#39;");
            break;
        case '\t':
        case '\n':
        case '\r':
            strbuf_appendf(b, "&#%d;", *p);
            break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                strbuf_append_str(b, "\xef\xbf\xbd");
            else
                strbuf_append_char(b, (char)*p);
            break;
        }
    }
}
