/* template: compiles {{ expression }} strings once into segments; renders without allocating. */
#include "scenarios/template.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/suggest.h"
#include "common/xmalloc.h"
#include "scenarios/encode.h"

typedef enum {
    S_LITERAL, /* pool text, never escaped */
    S_STRING,  /* pool text (env value), escaped */
    S_VAR,     /* a: slot */
    S_ROW,     /* a: column */
    S_USER_ID,
    S_WORKER_ID,
    S_SEQ,
    S_RANDINT, /* lo..hi */
    S_CHOICE,  /* a: first option in strs, b: count */
    S_UUID,
    S_RANDOM,
} s_kind_t;

typedef struct {
    s_kind_t kind;
    size_t a, b; /* S_LITERAL / S_STRING: offset and length in the pool */
    int64_t lo, hi;
} s_seg_t;

typedef struct {
    size_t off, len; /* in the pool */
} s_str_t;

struct template {
    template_escape_t escape;
    s_seg_t *segs;
    size_t n_segs;
    s_str_t *strs; /* choice options */
    size_t n_strs;
    char *pool; /* every literal span, env value and choice option; NUL-terminated */
    bool uses_row;
};

/* One literal argument of a call. */
typedef struct {
    bool is_int;
    int64_t num;
    size_t at;       /* offset of the argument in the text */
    size_t off, len; /* its text (integers as written, strings unquoted) in the parser's scratch */
} s_arg_t;

typedef struct {
    const char *text;
    size_t len;
    size_t pos;
    const template_names_t *names;
    template_error_t *err;
    template_t *t;
    strbuf_t pool;
    strbuf_t scratch; /* argument text of the call being parsed */
    s_arg_t *args;
    size_t n_args, cap_args;
    size_t cap_segs, cap_strs;
} s_parser_t;

static const char *const s_builtins[] = {"user_id", "worker_id", "seq",    "uuid",
                                         "randint", "choice",    "random", "env", NULL};

static int s_fail(s_parser_t *p, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int s_fail(s_parser_t *p, size_t offset, const char *fmt, ...) {
    p->err->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
    va_end(ap);
    return -1;
}

/* A byte for a message: 'x', or a description when it is not printable. */
static const char *s_show(const s_parser_t *p, char buf[16]) {
    if (p->pos >= p->len) return "the end of the text";
    unsigned char c = (unsigned char)p->text[p->pos];
    if (c > 0x20 && c < 0x7f) {
        snprintf(buf, 16, "'%c'", c);
    } else {
        snprintf(buf, 16, "byte 0x%02x", c);
    }
    return buf;
}

static bool s_is_ident_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool s_is_ident(char c) {
    return s_is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool s_is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void s_skip_space(s_parser_t *p) {
    while (p->pos < p->len && s_is_space(p->text[p->pos]))
        p->pos++;
}

static bool s_at(const s_parser_t *p, char c) {
    return p->pos < p->len && p->text[p->pos] == c;
}

static bool s_word_is(const char *s, size_t n, const char *word) {
    return strlen(word) == n && memcmp(s, word, n) == 0;
}

/* The suggestion for a misspelt name, or NULL when nothing is close enough to be a typo. */
static const char *s_suggest(const char *name, size_t len, const char *const *a, size_t na,
                             const char *const *b, size_t nb) {
    const char *best = NULL;
    size_t best_dist = SIZE_MAX;
    suggest_closest(name, len, a, na, &best, &best_dist);
    suggest_closest(name, len, b, nb, &best, &best_dist);
    return best_dist <= 2 ? best : NULL;
}

static s_seg_t *s_add_seg(s_parser_t *p, s_kind_t kind) {
    template_t *t = p->t;
    if (t->n_segs == p->cap_segs) {
        p->cap_segs = p->cap_segs ? p->cap_segs * 2 : 4;
        t->segs = xrealloc(t->segs, p->cap_segs * sizeof *t->segs);
    }
    s_seg_t *s = &t->segs[t->n_segs++];
    *s = (s_seg_t){.kind = kind};
    return s;
}

/* Adds pool text as a segment of the given kind. */
static void s_add_text(s_parser_t *p, s_kind_t kind, const char *s, size_t n) {
    s_seg_t *seg = s_add_seg(p, kind);
    seg->a = p->pool.len;
    seg->b = n;
    strbuf_append(&p->pool, s, n);
}

static void s_add_option(s_parser_t *p, const char *s, size_t n) {
    template_t *t = p->t;
    if (t->n_strs == p->cap_strs) {
        p->cap_strs = p->cap_strs ? p->cap_strs * 2 : 4;
        t->strs = xrealloc(t->strs, p->cap_strs * sizeof *t->strs);
    }
    t->strs[t->n_strs++] = (s_str_t){.off = p->pool.len, .len = n};
    strbuf_append(&p->pool, s, n);
}

/* An optionally negative decimal integer that fits int64_t. */
static int s_parse_int(s_parser_t *p, s_arg_t *arg) {
    size_t start = p->pos;
    bool neg = s_at(p, '-');
    if (neg) p->pos++;
    if (p->pos >= p->len || p->text[p->pos] < '0' || p->text[p->pos] > '9') {
        return s_fail(p, p->pos, "expected digits after '-'");
    }
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, v = 0;
    while (p->pos < p->len && p->text[p->pos] >= '0' && p->text[p->pos] <= '9') {
        uint64_t d = (uint64_t)(p->text[p->pos] - '0');
        if (v > (limit - d) / 10) return s_fail(p, start, "integer out of range");
        v = v * 10 + d;
        p->pos++;
    }
    arg->is_int = true;
    arg->num = !neg ? (int64_t)v : v == limit ? INT64_MIN : -(int64_t)v;
    strbuf_append(&p->scratch, p->text + start, p->pos - start);
    return 0;
}

/* A 'single' or "double" quoted string; \' \" \\ stand for the quote or backslash, any
 * other backslash is kept as written (so regex-like text survives). */
static int s_parse_string(s_parser_t *p) {
    size_t start = p->pos;
    char quote = p->text[p->pos++];
    while (p->pos < p->len && p->text[p->pos] != quote) {
        char c = p->text[p->pos++];
        if (c == '\\' && p->pos < p->len) {
            char next = p->text[p->pos];
            if (next == '\'' || next == '"' || next == '\\') c = next, p->pos++;
        }
        strbuf_append_char(&p->scratch, c);
    }
    if (p->pos >= p->len) return s_fail(p, start, "unterminated string");
    p->pos++;
    return 0;
}

static int s_parse_arg(s_parser_t *p) {
    if (p->n_args == p->cap_args) {
        p->cap_args = p->cap_args ? p->cap_args * 2 : 4;
        p->args = xrealloc(p->args, p->cap_args * sizeof *p->args);
    }
    s_arg_t *arg = &p->args[p->n_args];
    *arg = (s_arg_t){.at = p->pos, .off = p->scratch.len};
    char c = p->pos < p->len ? p->text[p->pos] : '\0';
    int rc;
    if (c == '-' || (c >= '0' && c <= '9')) {
        rc = s_parse_int(p, arg);
    } else if (c == '\'' || c == '"') {
        rc = s_parse_string(p);
    } else {
        char buf[16];
        return s_fail(p, p->pos, "expected an integer or a quoted string (got %s)", s_show(p, buf));
    }
    if (rc < 0) return -1;
    arg->len = p->scratch.len - arg->off;
    p->n_args++;
    return 0;
}

/* Parses "(arg, ...)" into p->args; p->pos is at '('. */
static int s_parse_args(s_parser_t *p, const char *fn, int fn_len) {
    p->n_args = 0;
    strbuf_reset(&p->scratch);
    p->pos++;
    s_skip_space(p);
    if (s_at(p, ')')) {
        p->pos++;
        return 0;
    }
    for (;;) {
        if (s_parse_arg(p) < 0) return -1;
        s_skip_space(p);
        if (s_at(p, ')')) break;
        if (!s_at(p, ',')) {
            char buf[16];
            return s_fail(p, p->pos, "expected ',' or ')' in the arguments of %.*s (got %s)",
                          fn_len, fn, s_show(p, buf));
        }
        p->pos++;
        s_skip_space(p);
    }
    p->pos++;
    return 0;
}

static int s_call_randint(s_parser_t *p, size_t name_at) {
    if (p->n_args != 2)
        return s_fail(p, name_at, "randint needs two integers (got %zu)", p->n_args);
    for (size_t i = 0; i < 2; i++) {
        if (!p->args[i].is_int) {
            return s_fail(p, p->args[i].at, "randint needs two integers (got a string)");
        }
    }
    int64_t lo = p->args[0].num, hi = p->args[1].num;
    if (lo > hi) {
        return s_fail(p, p->args[0].at, "randint needs a <= b (got %lld > %lld)", (long long)lo,
                      (long long)hi);
    }
    s_seg_t *seg = s_add_seg(p, S_RANDINT);
    seg->lo = lo;
    seg->hi = hi;
    return 0;
}

static int s_call_choice(s_parser_t *p, size_t name_at) {
    if (p->n_args == 0) return s_fail(p, name_at, "choice needs at least one argument");
    size_t first = p->t->n_strs;
    for (size_t i = 0; i < p->n_args; i++) {
        /* strbuf_str: scratch has no storage yet when every argument is '' */
        s_add_option(p, strbuf_str(&p->scratch) + p->args[i].off, p->args[i].len);
    }
    s_seg_t *seg = s_add_seg(p, S_CHOICE);
    seg->a = first;
    seg->b = p->n_args;
    return 0;
}

/* env is read now, once: a render must not depend on getenv's cost or on later changes. */
static int s_call_env(s_parser_t *p, size_t name_at) {
    if (p->n_args != 1) {
        return s_fail(p, name_at, "env needs one quoted variable name (got %zu arguments)",
                      p->n_args);
    }
    const s_arg_t *arg = &p->args[0];
    if (arg->is_int) return s_fail(p, arg->at, "env needs a quoted variable name (got an integer)");
    if (arg->len == 0) return s_fail(p, arg->at, "env needs a variable name (got '')");
    char *name = xstrndup(strbuf_str(&p->scratch) + arg->off, arg->len);
    const char *value = getenv(name);
    if (!value) {
        s_fail(p, arg->at, "env: %s is not set", name);
        free(name);
        return -1;
    }
    free(name);
    s_add_text(p, S_STRING, value, strlen(value));
    return 0;
}

/* name(args): p->pos is at '('. */
static int s_parse_call(s_parser_t *p, size_t name_at, size_t name_len) {
    const char *name = p->text + name_at;
    int n = (int)name_len;
    bool known = false;
    for (size_t i = 0; s_builtins[i]; i++)
        known |= s_word_is(name, name_len, s_builtins[i]);
    if (!known) {
        return s_fail(p, name_at,
                      "unknown function '%.*s' (expected randint, choice, random, uuid, seq, "
                      "user_id, worker_id or env)",
                      n, name);
    }
    if (s_parse_args(p, name, n) < 0) return -1;
    if (s_word_is(name, name_len, "randint")) return s_call_randint(p, name_at);
    if (s_word_is(name, name_len, "choice")) return s_call_choice(p, name_at);
    if (s_word_is(name, name_len, "env")) return s_call_env(p, name_at);
    if (p->n_args > 0) {
        return s_fail(p, p->args[0].at, "%.*s takes no arguments (got %zu)", n, name, p->n_args);
    }
    s_kind_t kind = s_word_is(name, name_len, "uuid")      ? S_UUID
                    : s_word_is(name, name_len, "random")  ? S_RANDOM
                    : s_word_is(name, name_len, "seq")     ? S_SEQ
                    : s_word_is(name, name_len, "user_id") ? S_USER_ID
                                                           : S_WORKER_ID;
    s_add_seg(p, kind);
    return 0;
}

static bool s_is_column_char(char c) {
    return s_is_ident(c) || c == '-';
}

/* row.COLUMN: p->pos is at the '.' after "row" (at row_at). */
static int s_parse_row(s_parser_t *p, size_t row_at) {
    size_t col_at = ++p->pos;
    while (p->pos < p->len && s_is_column_char(p->text[p->pos]))
        p->pos++;
    size_t col_len = p->pos - col_at;
    const char *col = p->text + col_at;
    if (col_len == 0) return s_fail(p, col_at, "expected a column name after 'row.'");
    const template_names_t *nm = p->names;
    if (!nm || !nm->columns) {
        return s_fail(p, row_at, "row.%.*s needs a data file (data: {file: ...})", (int)col_len,
                      col);
    }
    for (size_t i = 0; i < nm->n_columns; i++) {
        if (s_word_is(col, col_len, nm->columns[i])) {
            s_add_seg(p, S_ROW)->a = i;
            p->t->uses_row = true;
            return 0;
        }
    }
    const char *guess = s_suggest(col, col_len, nm->columns, nm->n_columns, NULL, 0);
    if (guess) {
        return s_fail(p, col_at, "unknown column '%.*s' (did you mean '%s'?)", (int)col_len, col,
                      guess);
    }
    char list[160];
    size_t at = 0;
    list[0] = '\0';
    for (size_t i = 0; i < nm->n_columns && at < sizeof list; i++)
        at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", i ? ", " : "", nm->columns[i]);
    if (at >= sizeof list) memcpy(list + sizeof list - 4, "...", 4);
    return s_fail(p, col_at, "unknown column '%.*s' (the data file's columns: %s)", (int)col_len,
                  col, list);
}

/* A bare name: a user variable, or user_id / worker_id / seq. Variables win: the scenario
 * declared them on purpose. */
static int s_parse_name(s_parser_t *p, size_t name_at, size_t name_len) {
    const char *name = p->text + name_at;
    int n = (int)name_len;
    const template_names_t *nm = p->names;
    for (size_t i = 0; nm && i < nm->n_vars; i++) {
        if (s_word_is(name, name_len, nm->vars[i])) {
            s_add_seg(p, S_VAR)->a = i;
            return 0;
        }
    }
    static const struct {
        const char *name;
        s_kind_t kind;
    } bare[] = {{"user_id", S_USER_ID}, {"worker_id", S_WORKER_ID}, {"seq", S_SEQ}};
    for (size_t i = 0; i < sizeof bare / sizeof bare[0]; i++) {
        if (s_word_is(name, name_len, bare[i].name)) {
            s_add_seg(p, bare[i].kind);
            return 0;
        }
    }
    for (size_t i = 0; s_builtins[i]; i++) {
        if (s_word_is(name, name_len, s_builtins[i])) {
            return s_fail(p, name_at, "%.*s is a function: write %.*s(...)", n, name, n, name);
        }
    }
    const char *guess =
        s_suggest(name, name_len, nm ? nm->vars : NULL, nm ? nm->n_vars : 0, s_builtins, SIZE_MAX);
    if (guess)
        return s_fail(p, name_at, "unknown variable '%.*s' (did you mean '%s'?)", n, name, guess);
    return s_fail(p, name_at, "unknown variable '%.*s'", n, name);
}

/* One {{ expression }}: p->pos is just after the "{{" at open. */
static int s_parse_expr(s_parser_t *p, size_t open) {
    s_skip_space(p);
    if (p->pos + 1 < p->len && p->text[p->pos] == '}' && p->text[p->pos + 1] == '}') {
        return s_fail(p, open, "empty expression in '{{ }}'");
    }
    char buf[16];
    if (p->pos >= p->len || !s_is_ident_start(p->text[p->pos])) {
        return s_fail(p, p->pos, "expected a variable or function name (got %s)", s_show(p, buf));
    }
    size_t name_at = p->pos;
    while (p->pos < p->len && s_is_ident(p->text[p->pos]))
        p->pos++;
    size_t name_len = p->pos - name_at;
    int rc;
    if (s_word_is(p->text + name_at, name_len, "row") && s_at(p, '.')) {
        rc = s_parse_row(p, name_at);
    } else {
        s_skip_space(p);
        rc = s_at(p, '(') ? s_parse_call(p, name_at, name_len) : s_parse_name(p, name_at, name_len);
    }
    if (rc < 0) return -1;
    s_skip_space(p);
    if (p->pos + 1 >= p->len || p->text[p->pos] != '}' || p->text[p->pos + 1] != '}') {
        return s_fail(p, p->pos, "expected '}}' after the expression (got %s)", s_show(p, buf));
    }
    p->pos += 2;
    return 0;
}

static int s_parse(s_parser_t *p) {
    while (p->pos < p->len) {
        const char *rest = p->text + p->pos;
        const char *open = memmem(rest, p->len - p->pos, "{{", 2);
        size_t lit_len = open ? (size_t)(open - rest) : p->len - p->pos;
        if (lit_len) s_add_text(p, S_LITERAL, rest, lit_len);
        if (!open) break;
        size_t open_at = (size_t)(open - p->text);
        if (!memmem(open + 2, p->len - open_at - 2, "}}", 2)) {
            return s_fail(p, open_at, "unterminated '{{' (no matching '}}')");
        }
        p->pos = open_at + 2;
        if (s_parse_expr(p, open_at) < 0) return -1;
    }
    return 0;
}

template_t *template_compile(const char *text, size_t len, template_escape_t escape,
                             const template_names_t *names, template_error_t *err) {
    template_error_t spare;
    s_parser_t p = {.text = text, .len = len, .names = names, .err = err ? err : &spare};
    p.t = xcalloc(1, sizeof *p.t);
    p.t->escape = escape;
    strbuf_init(&p.pool);
    strbuf_init(&p.scratch);
    int rc = s_parse(&p);
    strbuf_append(&p.pool, "", 0); /* the pool is never NULL, even for "" */
    p.t->pool = p.pool.data;
    strbuf_fini(&p.scratch);
    free(p.args);
    if (rc < 0) {
        template_destroy(&p.t);
        return NULL;
    }
    return p.t;
}

void template_destroy(template_t **t) {
    if (!t || !*t) return;
    free((*t)->segs);
    free((*t)->strs);
    free((*t)->pool);
    free(*t);
    *t = NULL;
}

bool template_is_constant(const template_t *t) {
    return t->n_segs == 0 || (t->n_segs == 1 && t->segs[0].kind == S_LITERAL);
}

const char *template_constant(const template_t *t) {
    /* A constant template's pool holds exactly its text. */
    return template_is_constant(t) ? t->pool : NULL;
}

static void s_put(const template_t *t, strbuf_t *out, const char *s, size_t n) {
    switch (t->escape) {
    case TEMPLATE_ESCAPE_JSON:
        strbuf_append_json(out, s, n);
        break;
    case TEMPLATE_ESCAPE_FORM:
        scenario_encode_percent(out, s, n);
        break;
    case TEMPLATE_ESCAPE_URL:
        scenario_encode_url(out, s, n, false);
        break;
    default:
        strbuf_append(out, s, n);
        break;
    }
}

/* Digits and '-' need no escaping in any context. */
static void s_put_u64(strbuf_t *out, uint64_t v, bool neg) {
    char buf[24];
    size_t i = sizeof buf;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (neg) buf[--i] = '-';
    strbuf_append(out, buf + i, sizeof buf - i);
}

static void s_put_i64(strbuf_t *out, int64_t v) {
    if (v < 0) {
        s_put_u64(out, 0 - (uint64_t)v, true);
    } else {
        s_put_u64(out, (uint64_t)v, false);
    }
}

/* RFC 4122 version 4: 122 random bits, version nibble 4, variant bits 10. */
static void s_put_uuid(strbuf_t *out, rng_t *rng) {
    static const char hex[] = "0123456789abcdef";
    unsigned char b[16];
    uint64_t r[2] = {rng_next(rng), rng_next(rng)};
    for (size_t i = 0; i < 16; i++)
        b[i] = (unsigned char)(r[i / 8] >> (8 * (i % 8)));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    char s[36];
    size_t o = 0;
    for (size_t i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) s[o++] = '-';
        s[o++] = hex[b[i] >> 4];
        s[o++] = hex[b[i] & 15];
    }
    strbuf_append(out, s, sizeof s);
}

/* A uniform double in [0, 1) (53 random bits) written as Python's repr writes a float: the
 * fewest significant digits that read back as the same double, exponent form below 1e-4
 * ("5e-05"), and "0.0" for zero. %g has those rules; the loop finds the fewest digits. */
static void s_put_random(strbuf_t *out, rng_t *rng) {
    double x = rng_unit(rng);
    if (x == 0.0) {
        strbuf_append(out, "0.0", 3);
        return;
    }
    char buf[32];
    int n = 0;
    for (int digits = 1; digits <= 17; digits++) {
        n = snprintf(buf, sizeof buf, "%.*g", digits, x);
        if (strtod(buf, NULL) == x) break;
    }
    strbuf_append(out, buf, (size_t)n);
}

static void s_put_field(const template_t *t, strbuf_t *out, const char *const *vals,
                        const size_t *lens, size_t i) {
    const char *v = vals ? vals[i] : NULL;
    if (!v) return; /* NULL renders as "" */
    s_put(t, out, v, lens ? lens[i] : strlen(v));
}

static void s_render_seg(const template_t *t, const s_seg_t *s, const template_ctx_t *ctx,
                         strbuf_t *out) {
    switch (s->kind) {
    case S_LITERAL:
        strbuf_append(out, t->pool + s->a, s->b);
        break;
    case S_STRING:
        s_put(t, out, t->pool + s->a, s->b);
        break;
    case S_VAR:
        s_put_field(t, out, ctx->values, ctx->value_lens, s->a);
        break;
    case S_ROW:
        s_put_field(t, out, ctx->row, ctx->row_lens, s->a);
        break;
    case S_USER_ID:
        s_put_u64(out, ctx->user_id, false);
        break;
    case S_WORKER_ID:
        s_put_u64(out, ctx->worker_id, false);
        break;
    case S_SEQ:
        s_put_u64(out, ctx->seq ? ++*ctx->seq : 0, false);
        break;
    case S_RANDINT: {
        /* Unsigned arithmetic: hi - lo may exceed INT64_MAX. */
        uint64_t r = rng_range(ctx->rng, 0, (uint64_t)s->hi - (uint64_t)s->lo);
        s_put_i64(out, (int64_t)((uint64_t)s->lo + r));
        break;
    }
    case S_CHOICE: {
        const s_str_t *opt = &t->strs[s->a + rng_range(ctx->rng, 0, s->b - 1)];
        s_put(t, out, t->pool + opt->off, opt->len);
        break;
    }
    case S_UUID:
        s_put_uuid(out, ctx->rng);
        break;
    case S_RANDOM:
        s_put_random(out, ctx->rng);
        break;
    }
}

void template_render(const template_t *t, const template_ctx_t *ctx, strbuf_t *out) {
    for (size_t i = 0; i < t->n_segs; i++)
        s_render_seg(t, &t->segs[i], ctx, out);
}

void template_each_var(const template_t *t, void (*fn)(size_t slot, void *arg), void *arg) {
    for (size_t i = 0; i < t->n_segs; i++) {
        if (t->segs[i].kind == S_VAR) fn(t->segs[i].a, arg);
    }
}

bool template_uses_row(const template_t *t) {
    return t->uses_row;
}
