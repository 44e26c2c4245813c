/* jsonpath: a JSONPath subset evaluated by one forward scan over raw JSON text, without a tree. */
#include "scenarios/jsonpath.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

/* Deeper nesting is treated as malformed, so hostile input cannot exhaust the stack. */
#define S_MAX_DEPTH 256
/* Larger indexes are refused at compile time; no response holds that many elements. */
#define S_MAX_INDEX 1000000000LL

typedef struct {
    bool is_index;
    char *key; /* member name (may hold NUL bytes: compare with key_len) */
    size_t key_len;
    long long index; /* negative: from the end, -1 is the last element */
} s_step_t;

struct jsonpath {
    s_step_t *steps;
    size_t n_steps;
};

/* ---- compiling ---- */

typedef struct {
    const char *text;
    size_t pos;
    size_t *err_offset;
    char *err;
    size_t err_bytes;
    jsonpath_t *p;
    size_t cap_steps;
} s_compiler_t;

static int s_fail(s_compiler_t *c, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int s_fail(s_compiler_t *c, size_t offset, const char *fmt, ...) {
    if (c->err_offset) *c->err_offset = offset;
    if (!c->err || !c->err_bytes) return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, c->err_bytes, fmt, ap);
    va_end(ap);
    return -1;
}

static s_step_t *s_add_step(s_compiler_t *c) {
    jsonpath_t *p = c->p;
    if (p->n_steps == c->cap_steps) {
        c->cap_steps = c->cap_steps ? c->cap_steps * 2 : 4;
        p->steps = xrealloc(p->steps, c->cap_steps * sizeof *p->steps);
    }
    s_step_t *s = &p->steps[p->n_steps++];
    *s = (s_step_t){0};
    return s;
}

/* .name: any bytes up to the next '.', '[' or ']'. c->pos is just after the '.'. */
static int s_compile_dot(s_compiler_t *c) {
    size_t start = c->pos;
    while (c->text[c->pos] && !strchr(".[]", c->text[c->pos]))
        c->pos++;
    if (c->pos == start) return s_fail(c, start, "expected a key name or [index] after '.'");
    s_step_t *s = s_add_step(c);
    s->key = xstrndup(c->text + start, c->pos - start);
    s->key_len = c->pos - start;
    return 0;
}

/* ['key'] or ["key"]; a backslash makes the next character literal. c->pos is at the quote. */
static int s_compile_quoted(s_compiler_t *c) {
    size_t start = c->pos;
    char quote = c->text[c->pos++];
    char *key = xmalloc(strlen(c->text + c->pos) + 1);
    size_t n = 0;
    while (c->text[c->pos] && c->text[c->pos] != quote) {
        if (c->text[c->pos] == '\\' && c->text[c->pos + 1]) c->pos++;
        key[n++] = c->text[c->pos++];
    }
    if (!c->text[c->pos]) {
        free(key);
        return s_fail(c, start, "unterminated quoted key");
    }
    c->pos++;
    key[n] = '\0';
    s_step_t *s = s_add_step(c);
    s->key = key;
    s->key_len = n;
    return 0;
}

/* [N] or [-N]. c->pos is at the '-' or first digit. */
static int s_compile_index(s_compiler_t *c) {
    size_t start = c->pos;
    bool neg = c->text[c->pos] == '-';
    if (neg) c->pos++;
    if (c->text[c->pos] < '0' || c->text[c->pos] > '9') {
        return s_fail(c, c->pos, "expected digits in the index");
    }
    long long v = 0;
    while (c->text[c->pos] >= '0' && c->text[c->pos] <= '9') {
        v = v * 10 + (c->text[c->pos++] - '0');
        if (v > S_MAX_INDEX) return s_fail(c, start, "index too large");
    }
    if (neg && v == 0) return s_fail(c, start, "index -0 is not valid (the last element is -1)");
    s_step_t *s = s_add_step(c);
    s->is_index = true;
    s->index = neg ? -v : v;
    return 0;
}

static void s_skip_blank(s_compiler_t *c) {
    while (c->text[c->pos] == ' ')
        c->pos++;
}

/* [...]: c->pos is just after the '['. */
static int s_compile_bracket(s_compiler_t *c) {
    s_skip_blank(c);
    char ch = c->text[c->pos];
    int rc;
    if (ch == '\'' || ch == '"') {
        rc = s_compile_quoted(c);
    } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
        rc = s_compile_index(c);
    } else {
        return s_fail(c, c->pos, "expected a quoted key or an integer index after '['");
    }
    if (rc < 0) return -1;
    s_skip_blank(c);
    if (c->text[c->pos] != ']') return s_fail(c, c->pos, "expected ']'");
    c->pos++;
    return 0;
}

static int s_compile(s_compiler_t *c) {
    if (c->text[0] != '$') return s_fail(c, 0, "a JSONPath starts with '$'");
    c->pos = 1;
    while (c->text[c->pos]) {
        char ch = c->text[c->pos++];
        int rc;
        if (ch == '.') {
            rc = s_compile_dot(c);
        } else if (ch == '[') {
            rc = s_compile_bracket(c);
        } else {
            return s_fail(c, c->pos - 1, "expected '.' or '[' (got '%c')", ch);
        }
        if (rc < 0) return -1;
    }
    return 0;
}

jsonpath_t *jsonpath_compile(const char *text, size_t *err_offset, char *err, size_t err_bytes) {
    s_compiler_t c = {.text = text, .err_offset = err_offset, .err = err, .err_bytes = err_bytes};
    c.p = xcalloc(1, sizeof *c.p);
    if (s_compile(&c) < 0) {
        jsonpath_destroy(&c.p);
        return NULL;
    }
    return c.p;
}

void jsonpath_destroy(jsonpath_t **p) {
    if (!p || !*p) return;
    for (size_t i = 0; i < (*p)->n_steps; i++)
        free((*p)->steps[i].key);
    free((*p)->steps);
    free(*p);
    *p = NULL;
}

/* ---- scanning ---- */

typedef struct {
    const char *s;
    size_t len;
    size_t pos;
} s_scan_t;

/* The next byte, or -1 at the end of the input. */
static int s_peek(const s_scan_t *sc) {
    return sc->pos < sc->len ? (unsigned char)sc->s[sc->pos] : -1;
}

static void s_ws(s_scan_t *sc) {
    while (sc->pos < sc->len) {
        char c = sc->s[sc->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        sc->pos++;
    }
}

/* Consumes c (after whitespace) or fails. */
static int s_expect(s_scan_t *sc, char c) {
    s_ws(sc);
    if (s_peek(sc) != (unsigned char)c) return -1;
    sc->pos++;
    return 0;
}

static int s_hex4(s_scan_t *sc, uint32_t *out) {
    if (sc->len - sc->pos < 4) return -1;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = sc->s[sc->pos++];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0) return -1;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return 0;
}

static size_t s_utf8(uint32_t cp, char out[4]) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* \uXXXX after the "\u": joins a surrogate pair; a lone surrogate becomes U+FFFD. */
static int s_unicode_escape(s_scan_t *sc, char out[4], size_t *n) {
    uint32_t cp;
    if (s_hex4(sc, &cp) < 0) return -1;
    if (cp >= 0xd800 && cp <= 0xdbff) {
        size_t save = sc->pos;
        uint32_t low;
        if (sc->len - sc->pos >= 6 && sc->s[sc->pos] == '\\' && sc->s[sc->pos + 1] == 'u') {
            sc->pos += 2;
            if (s_hex4(sc, &low) < 0) return -1;
            if (low >= 0xdc00 && low <= 0xdfff) {
                *n = s_utf8(0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00), out);
                return 1;
            }
        }
        sc->pos = save; /* not a pair: the next escape stands on its own */
        cp = 0xfffd;
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
        cp = 0xfffd;
    }
    *n = s_utf8(cp, out);
    return 1;
}

/* Decodes the next character of a string whose opening quote was consumed: 1 with its
 * UTF-8 bytes in out, 0 at the closing quote (consumed), -1 if malformed or truncated. */
static int s_string_next(s_scan_t *sc, char out[4], size_t *n) {
    int c = s_peek(sc);
    if (c < 0x20) return -1; /* the end (-1) or a raw control character */
    sc->pos++;
    if (c == '"') return 0;
    *n = 1;
    if (c != '\\') {
        out[0] = (char)c;
        return 1;
    }
    c = s_peek(sc);
    if (c < 0) return -1;
    sc->pos++;
    if (c == 'u') return s_unicode_escape(sc, out, n);
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *hit = memchr(from, c, sizeof from - 1);
    if (!hit) return -1;
    out[0] = to[hit - from];
    return 1;
}

static int s_skip_string(s_scan_t *sc) {
    if (s_peek(sc) != '"') return -1;
    sc->pos++;
    char buf[4];
    size_t n;
    int rc;
    while ((rc = s_string_next(sc, buf, &n)) == 1)
        continue;
    return rc;
}

static bool s_digit(int c) {
    return c >= '0' && c <= '9';
}

static int s_skip_digits(s_scan_t *sc) {
    if (!s_digit(s_peek(sc))) return -1;
    while (s_digit(s_peek(sc)))
        sc->pos++;
    return 0;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int s_skip_number(s_scan_t *sc) {
    if (s_peek(sc) == '-') sc->pos++;
    if (s_peek(sc) == '0') {
        sc->pos++;
    } else if (s_skip_digits(sc) < 0) {
        return -1;
    }
    if (s_peek(sc) == '.') {
        sc->pos++;
        if (s_skip_digits(sc) < 0) return -1;
    }
    if (s_peek(sc) == 'e' || s_peek(sc) == 'E') {
        sc->pos++;
        if (s_peek(sc) == '+' || s_peek(sc) == '-') sc->pos++;
        if (s_skip_digits(sc) < 0) return -1;
    }
    return 0;
}

static int s_skip_word(s_scan_t *sc, const char *word) {
    size_t n = strlen(word);
    if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, word, n) != 0) return -1;
    sc->pos += n;
    return 0;
}

static int s_skip_value(s_scan_t *sc, int depth);

/* An object or array, the scanner at its '{' or '['. */
static int s_skip_container(s_scan_t *sc, int depth) {
    char close = sc->s[sc->pos] == '{' ? '}' : ']';
    sc->pos++;
    s_ws(sc);
    if (s_peek(sc) == (unsigned char)close) {
        sc->pos++;
        return 0;
    }
    for (;;) {
        if (close == '}') {
            s_ws(sc);
            if (s_skip_string(sc) < 0 || s_expect(sc, ':') < 0) return -1;
        }
        s_ws(sc);
        if (s_skip_value(sc, depth + 1) < 0) return -1;
        s_ws(sc);
        int c = s_peek(sc);
        if (c != close && c != ',') return -1;
        sc->pos++;
        if (c == close) return 0;
    }
}

/* Skips (and checks) one value; the scanner is at its first byte. */
static int s_skip_value(s_scan_t *sc, int depth) {
    if (depth > S_MAX_DEPTH) return -1;
    switch (s_peek(sc)) {
    case '{':
    case '[':
        return s_skip_container(sc, depth);
    case '"':
        return s_skip_string(sc);
    case 't':
        return s_skip_word(sc, "true");
    case 'f':
        return s_skip_word(sc, "false");
    case 'n':
        return s_skip_word(sc, "null");
    default:
        return s_skip_number(sc);
    }
}

/* ---- evaluating ---- */

/* Compares the string at the scanner (its '"') with key, consuming it: 1 equal, 0 not, -1 bad. */
static int s_key_equals(s_scan_t *sc, const char *key, size_t key_len) {
    if (s_peek(sc) != '"') return -1;
    sc->pos++;
    size_t matched = 0;
    bool equal = true;
    char buf[4];
    size_t n;
    int rc;
    while ((rc = s_string_next(sc, buf, &n)) == 1) {
        if (equal && matched + n <= key_len && memcmp(key + matched, buf, n) == 0) {
            matched += n;
        } else {
            equal = false;
        }
    }
    if (rc < 0) return -1;
    return equal && matched == key_len;
}

/* Moves from an object (scanner at '{') to the value of its first member named key. */
static int s_enter_key(s_scan_t *sc, const s_step_t *step, int depth) {
    if (s_peek(sc) != '{') return -1;
    sc->pos++;
    s_ws(sc);
    if (s_peek(sc) == '}') return -1;
    for (;;) {
        s_ws(sc);
        int eq = s_key_equals(sc, step->key, step->key_len);
        if (eq < 0 || s_expect(sc, ':') < 0) return -1;
        s_ws(sc);
        if (eq) return 0;
        if (s_skip_value(sc, depth + 1) < 0 || s_expect(sc, ',') < 0) return -1;
    }
}

/* The number of elements of the array at the scanner (at '['), or -1 if malformed. */
static long long s_count(s_scan_t sc, int depth) {
    sc.pos++;
    s_ws(&sc);
    if (s_peek(&sc) == ']') return 0;
    for (long long n = 1;; n++) {
        s_ws(&sc);
        if (s_skip_value(&sc, depth + 1) < 0) return -1;
        s_ws(&sc);
        int c = s_peek(&sc);
        if (c != ']' && c != ',') return -1;
        sc.pos++;
        if (c == ']') return n;
    }
}

/* Moves from an array (scanner at '[') to its element step->index. A negative index needs
 * the length first: the array is scanned twice rather than buffering offsets. */
static int s_enter_index(s_scan_t *sc, const s_step_t *step, int depth) {
    if (s_peek(sc) != '[') return -1;
    long long k = step->index;
    if (k < 0) {
        long long n = s_count(*sc, depth);
        if (n < 0 || n + k < 0) return -1;
        k += n;
    }
    sc->pos++;
    s_ws(sc);
    if (s_peek(sc) == ']') return -1;
    for (long long i = 0; i < k; i++) {
        s_ws(sc);
        if (s_skip_value(sc, depth + 1) < 0 || s_expect(sc, ',') < 0) return -1;
    }
    s_ws(sc);
    return 0;
}

/* After a value: inside a container comes ',', '}' or ']', after the document nothing.
 * Checking it catches a number cut short by truncation ("12" of "123"). */
static int s_check_end(s_scan_t *sc, int depth) {
    s_ws(sc);
    int c = s_peek(sc);
    if (depth > 0) return c == ',' || c == '}' || c == ']' ? 0 : -1;
    return c == -1 ? 0 : -1;
}

/* Appends the value at the scanner: strings unescaped, anything else as written. */
static int s_emit(s_scan_t *sc, int depth, strbuf_t *out) {
    if (s_peek(sc) == '"') {
        sc->pos++;
        char buf[4];
        size_t n;
        int rc;
        while ((rc = s_string_next(sc, buf, &n)) == 1)
            strbuf_append(out, buf, n);
        return rc < 0 ? -1 : s_check_end(sc, depth);
    }
    size_t start = sc->pos;
    if (s_skip_value(sc, depth) < 0) return -1;
    size_t end = sc->pos;
    if (s_check_end(sc, depth) < 0) return -1;
    strbuf_append(out, sc->s + start, end - start);
    return 0;
}

int jsonpath_extract(const jsonpath_t *p, const char *json, size_t len, strbuf_t *out) {
    s_scan_t sc = {.s = json, .len = len, .pos = 0};
    s_ws(&sc);
    int depth = 0;
    for (size_t i = 0; i < p->n_steps; i++, depth++) {
        if (depth >= S_MAX_DEPTH) return -1;
        const s_step_t *step = &p->steps[i];
        int rc = step->is_index ? s_enter_index(&sc, step, depth) : s_enter_key(&sc, step, depth);
        if (rc < 0) return -1;
    }
    size_t saved = out->len;
    if (s_emit(&sc, depth, out) < 0) {
        /* Take back a partly unescaped string. */
        out->len = saved;
        if (out->data) out->data[saved] = '\0';
        return -1;
    }
    return 0;
}
