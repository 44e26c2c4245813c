/* encode: form and JSON string encodings that leave {{ }} parts as written. */
#include "scenarios/encode.h"

#include <string.h>

size_t scenario_template_end(const char *s, size_t len, size_t open) {
    size_t i = open + 2;
    while (i < len) {
        char c = s[i];
        if (c == '\'' || c == '"') {
            const char *close = memchr(s + i + 1, c, len - i - 1);
            if (!close) return len;
            i = (size_t)(close - s) + 1;
        } else if (c == '}' && i + 1 < len && s[i + 1] == '}') {
            return i + 2;
        } else {
            i++;
        }
    }
    return len;
}

/* Index of the next "{{" at or after from, or len. */
static size_t s_next_open(const char *s, size_t len, size_t from) {
    for (size_t i = from; i + 1 < len; i++)
        if (s[i] == '{' && s[i + 1] == '{') return i;
    return len;
}

bool scenario_has_template(const char *s, size_t len) {
    return s_next_open(s, len, 0) < len;
}

/* RFC 3986 unreserved: ALPHA DIGIT - . _ ~ (what curl_easy_escape keeps). */
static bool s_unreserved(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/* Appends s with every byte keep(s, len, i) refuses as %XX. */
static void s_escape(strbuf_t *out, const char *s, size_t len,
                     bool (*keep)(const char *s, size_t len, size_t i)) {
    static const char hex[] = "0123456789ABCDEF";
    size_t run = 0; /* start of the kept bytes not yet appended */
    for (size_t i = 0; i < len; i++) {
        if (keep(s, len, i)) continue;
        unsigned char c = (unsigned char)s[i];
        strbuf_append(out, s + run, i - run);
        char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
        strbuf_append(out, esc, 3);
        run = i + 1;
    }
    strbuf_append(out, s + run, len - run);
}

static bool s_form_safe(const char *s, size_t len, size_t i) {
    (void)len;
    return s_unreserved((unsigned char)s[i]);
}

void scenario_encode_percent(strbuf_t *out, const char *s, size_t len) {
    s_escape(out, s, len, s_form_safe);
}

static bool s_hex(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* What a URL may hold as it is (scenarios/encode.h, scenario_encode_url). */
static bool s_url_safe(const char *s, size_t len, size_t i) {
    unsigned char c = (unsigned char)s[i];
    if (s_unreserved(c) || (c && strchr("!#$&'()*+,/:;=?@[]", c))) return true;
    return c == '%' && i + 2 < len && s_hex((unsigned char)s[i + 1]) &&
           s_hex((unsigned char)s[i + 2]);
}

static void s_url_literal(strbuf_t *out, const char *s, size_t len) {
    s_escape(out, s, len, s_url_safe);
}

/* Splits s into literal runs (passed to literal) and {{ }} parts (copied). */
static void s_split(strbuf_t *out, const char *s, size_t len, bool keep_templates,
                    void (*literal)(strbuf_t *, const char *, size_t)) {
    size_t i = 0;
    while (i < len) {
        size_t open = keep_templates ? s_next_open(s, len, i) : len;
        literal(out, s + i, open - i);
        if (open == len) break;
        size_t end = scenario_template_end(s, len, open);
        strbuf_append(out, s + open, end - open);
        i = end;
    }
}

void scenario_encode_form(strbuf_t *out, const char *s, size_t len, bool keep_templates) {
    s_split(out, s, len, keep_templates, scenario_encode_percent);
}

void scenario_encode_url(strbuf_t *out, const char *s, size_t len, bool keep_templates) {
    s_split(out, s, len, keep_templates, s_url_literal);
}

void scenario_encode_json(strbuf_t *out, const char *s, size_t len) {
    s_split(out, s, len, true, strbuf_append_json);
}
