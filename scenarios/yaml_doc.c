/* yaml_doc: positions, diagnostics and typed readers over a libyaml document. */
#include "scenarios/yaml_doc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/suggest.h"
#include "common/units.h"
#include "common/xmalloc.h"

/* Diagnostics kept for sorting; more are only counted (the caller shows 20 anyway). */
#define S_MAX_KEPT 1000
/* Longest text quoted back in a "(got ...)" clause. */
#define S_DESCRIBE_CHARS 40

struct scenario_diag {
    scenario_pos_t pos;
    size_t seq; /* keeps reports at one position in the order they were made */
    char *msg;
};

void scenario_doc_init(scenario_doc_t *d, const char *file, yaml_document_t *doc) {
    memset(d, 0, sizeof *d);
    d->file = file;
    d->doc = doc;
}

static int s_diag_cmp(const void *pa, const void *pb) {
    const scenario_diag_t *a = pa, *b = pb;
    if (a->pos.line != b->pos.line) return a->pos.line < b->pos.line ? -1 : 1;
    if (a->pos.col != b->pos.col) return a->pos.col < b->pos.col ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

size_t scenario_doc_fini(scenario_doc_t *d, scenario_errors_t *errs) {
    if (d->n_diags > 1) qsort(d->diags, d->n_diags, sizeof d->diags[0], s_diag_cmp);
    for (size_t i = 0; i < d->n_diags; i++) {
        const scenario_diag_t *g = &d->diags[i];
        scenario_errors_add(errs, "%s:%d:%d: error: %s", d->file, g->pos.line, g->pos.col, g->msg);
        free(g->msg);
    }
    errs->dropped += d->overflow;
    size_t total = d->n_diags + d->overflow;
    free(d->diags);
    d->diags = NULL;
    d->n_diags = d->cap_diags = d->overflow = 0;
    return total;
}

static void s_verror(scenario_doc_t *d, scenario_pos_t pos, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void s_verror(scenario_doc_t *d, scenario_pos_t pos, const char *fmt, va_list ap) {
    if (d->n_diags == S_MAX_KEPT) {
        d->overflow++;
        return;
    }
    if (d->n_diags == d->cap_diags) {
        d->cap_diags = d->cap_diags ? d->cap_diags * 2 : 8;
        d->diags = xrealloc(d->diags, d->cap_diags * sizeof d->diags[0]);
    }
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0) msg = xstrdup("(diagnostic lost: out of memory)");
    d->diags[d->n_diags] = (scenario_diag_t){.pos = pos, .seq = d->n_diags, .msg = msg};
    d->n_diags++;
}

void scenario_doc_error_at(scenario_doc_t *d, scenario_pos_t pos, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    s_verror(d, pos, fmt, ap);
    va_end(ap);
}

void scenario_doc_error(scenario_doc_t *d, const yaml_node_t *n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    s_verror(d, scenario_doc_pos(n), fmt, ap);
    va_end(ap);
}

bool scenario_doc_has_errors(const scenario_doc_t *d) {
    return d->n_diags + d->overflow > 0;
}

scenario_pos_t scenario_doc_pos(const yaml_node_t *n) {
    /* libyaml marks are 0-based. */
    return (scenario_pos_t){.line = (int)n->start_mark.line + 1,
                            .col = (int)n->start_mark.column + 1};
}

/* Length of the UTF-8 encoding of code point cp. */
static size_t s_utf8_len(unsigned long cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/* Source bytes and value bytes of the backslash escape at src[i] (double-quoted). */
static void s_escape_size(const char *src, size_t i, size_t end, size_t *n_src, size_t *n_val) {
    char e = i + 1 < end ? src[i + 1] : '\0';
    size_t hex = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
    *n_src = 2 + hex;
    *n_val = 1;
    if (hex && i + 2 + hex <= end) {
        char digits[9] = {0};
        memcpy(digits, src + i + 2, hex);
        *n_val = e == 'x' ? 1 : s_utf8_len(strtoul(digits, NULL, 16));
    }
    if (e == '\n' || e == '\r') *n_val = 0; /* an escaped line break joins the lines */
}

scenario_pos_t scenario_doc_pos_in(const scenario_doc_t *d, const yaml_node_t *n, size_t offset) {
    scenario_pos_t pos = scenario_doc_pos(n);
    const char *v = scenario_doc_text(n);
    if (!v || !d->text) return pos;
    const char *src = d->text;
    size_t end = n->end_mark.index < d->text_bytes ? n->end_mark.index : d->text_bytes;
    size_t i = n->start_mark.index, k = 0, indent = 0;
    yaml_scalar_style_t style = n->data.scalar.style;
    bool block = style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE;
    if (offset > n->data.scalar.length) offset = n->data.scalar.length;
    if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
        i++, pos.col++;
    } else if (block) {
        /* Content starts on the line after the | or > indicator. */
        while (i < end && src[i] != '\n')
            i++;
        i++, pos.line++, pos.col = 1;
        while (i < end && src[i] == ' ')
            i++, indent++, pos.col++;
    }
    while (k < offset && i < end) {
        char c = src[i];
        if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE && c == '\'' && i + 1 < end &&
            src[i + 1] == '\'') {
            i += 2, k++, pos.col += 2;
        } else if (style == YAML_DOUBLE_QUOTED_SCALAR_STYLE && c == '\\') {
            size_t n_src, n_val;
            s_escape_size(src, i, end, &n_src, &n_val);
            i += n_src, k += n_val, pos.col += (int)n_src;
            if (n_val == 0) { /* "\<newline>": the text goes on after the next indentation */
                pos.line++, pos.col = 1;
                while (i < end && (src[i] == ' ' || src[i] == '\t'))
                    i++, pos.col++;
            }
        } else if (c == '\n') {
            /* A line break: kept, or folded into a space, in the value. */
            pos.line++, pos.col = 1, i++;
            if (v[k] == '\n' || v[k] == ' ') k++;
            for (size_t sp = 0;
                 i < end && (src[i] == ' ' || src[i] == '\t') && (!block || sp < indent); sp++)
                i++, pos.col++;
        } else if (c == v[k]) {
            i++, k++;
            if (((unsigned char)c & 0xC0) != 0x80) pos.col++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            i++, pos.col++; /* whitespace the value dropped around a line break */
        } else {
            break; /* lost track: stop at the best guess so far */
        }
    }
    return pos;
}

bool scenario_doc_template(scenario_doc_t *d, const yaml_node_t *n, size_t base, const char *text,
                           size_t len, template_escape_t escape, const template_names_t *names,
                           template_t **out) {
    template_error_t err = {0};
    *out = template_compile(text, len, escape, names, &err);
    if (*out) return true;
    if (d->mute_row_errors && strstr(err.message, "row")) return false;
    scenario_doc_error_at(d, scenario_doc_pos_in(d, n, base + err.offset), "%s", err.message);
    return false;
}

bool scenario_doc_before(const yaml_node_t *a, const yaml_node_t *b) {
    return a->start_mark.index < b->start_mark.index;
}

yaml_node_t *scenario_doc_node(const scenario_doc_t *d, int index) {
    return yaml_document_get_node(d->doc, index);
}

size_t scenario_doc_len(const yaml_node_t *seq) {
    return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *scenario_doc_item(const scenario_doc_t *d, const yaml_node_t *seq, size_t i) {
    return scenario_doc_node(d, seq->data.sequence.items.start[i]);
}

const char *scenario_doc_text(const yaml_node_t *n) {
    return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

bool scenario_doc_is_plain(const yaml_node_t *n) {
    return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

bool scenario_doc_is_null(const yaml_node_t *n) {
    if (!scenario_doc_is_plain(n)) return false;
    const char *t = scenario_doc_text(n);
    return !*t || !strcmp(t, "~") || !strcmp(t, "null") || !strcmp(t, "Null") || !strcmp(t, "NULL");
}

/* True for text made only of number characters that strtod reads whole (no inf/nan/hex). */
static bool s_looks_numeric(const char *t) {
    if (!*t || strspn(t, "0123456789+-.eE") != strlen(t)) return false;
    char *end;
    (void)strtod(t, &end);
    return *end == '\0';
}

const char *scenario_doc_describe(const yaml_node_t *n, char *buf, size_t buf_bytes) {
    const char *t = scenario_doc_text(n);
    const char *as_is = NULL; /* shown without quotes */
    if (n->type == YAML_MAPPING_NODE)
        as_is = "a mapping";
    else if (n->type == YAML_SEQUENCE_NODE)
        as_is = "a sequence";
    else if (scenario_doc_is_plain(n) && !*t)
        as_is = "nothing";
    else if (scenario_doc_is_plain(n) && (s_looks_numeric(t) || scenario_doc_is_null(n)) &&
             strlen(t) <= S_DESCRIBE_CHARS)
        as_is = t;
    if (as_is) {
        snprintf(buf, buf_bytes, "%s", as_is);
        return buf;
    }
    /* Quote the text, showing line breaks as \n and cutting long values. */
    char shown[S_DESCRIBE_CHARS * 2 + 8];
    size_t o = 0;
    for (size_t i = 0; t[i] && o < sizeof shown - 5; i++) {
        if (i == S_DESCRIBE_CHARS) {
            memcpy(shown + o, "...", 3);
            o += 3;
            break;
        }
        if (t[i] == '\n') {
            shown[o++] = '\\';
            shown[o++] = 'n';
        } else {
            shown[o++] = (unsigned char)t[i] < 0x20 ? '?' : t[i];
        }
    }
    shown[o] = '\0';
    snprintf(buf, buf_bytes, "'%s'", shown);
    return buf;
}

/* The known key closest to an unknown one, if it is close enough to be a typo. */
static const char *s_suggest(const char *unknown, const char *const *keys) {
    /* Short words are one or two edits from almost anything: demand a closer match. */
    size_t limit = strlen(unknown) <= 4 ? 1 : 2;
    const char *best = NULL;
    size_t best_dist = SIZE_MAX;
    suggest_closest(unknown, strlen(unknown), keys, SIZE_MAX, &best, &best_dist);
    return best_dist <= limit ? best : NULL;
}

static void s_unknown_key(scenario_doc_t *d, const yaml_node_t *key, const char *where,
                          const char *const *keys) {
    const char *name = scenario_doc_text(key);
    const char *guess = s_suggest(name, keys);
    if (guess) {
        scenario_doc_error(d, key, "unknown key '%s' %s (did you mean '%s'?)", name, where, guess);
        return;
    }
    char list[512];
    size_t o = 0, n = 0;
    while (keys[n])
        n++;
    list[0] = '\0';
    for (size_t i = 0; i < n && o < sizeof list; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", sep, keys[i]);
    }
    scenario_doc_error(d, key, "unknown key '%s' %s (expected %s)", name, where, list);
}

bool scenario_doc_duplicate(scenario_doc_t *d, const yaml_node_t *m, size_t before) {
    const yaml_node_pair_t *pairs = m->data.mapping.pairs.start;
    const yaml_node_t *key = scenario_doc_node(d, pairs[before].key);
    const char *name = scenario_doc_text(key);
    if (!name) return false;
    for (size_t i = 0; i < before; i++) {
        const yaml_node_t *k = scenario_doc_node(d, pairs[i].key);
        const char *t = scenario_doc_text(k);
        if (t && !strcmp(t, name)) {
            scenario_pos_t first = scenario_doc_pos(k);
            scenario_doc_error(d, key, "duplicate key '%s' (first at %d:%d)", name, first.line,
                               first.col);
            return true;
        }
    }
    return false;
}

/* Index of key in the NULL-terminated keys, or -1. */
static int s_key_index(const char *const *keys, const char *key) {
    for (int i = 0; keys[i]; i++)
        if (!strcmp(keys[i], key)) return i;
    return -1;
}

bool scenario_doc_fields(scenario_doc_t *d, yaml_node_t *m, const char *what, const char *where,
                         const char *const *keys, scenario_field_t *out) {
    for (size_t i = 0; keys[i]; i++)
        out[i] = (scenario_field_t){0};
    char got[96];
    if (m->type != YAML_MAPPING_NODE) {
        scenario_doc_error(d, m, "%s must be a mapping (got %s)", what,
                           scenario_doc_describe(m, got, sizeof got));
        return false;
    }
    size_t n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
    for (size_t i = 0; i < n; i++) {
        const yaml_node_pair_t *pair = &m->data.mapping.pairs.start[i];
        yaml_node_t *key = scenario_doc_node(d, pair->key);
        const char *name = scenario_doc_text(key);
        if (!name) {
            scenario_doc_error(d, key, "keys must be strings (got %s)",
                               scenario_doc_describe(key, got, sizeof got));
            continue;
        }
        if (scenario_doc_duplicate(d, m, i)) continue;
        int k = s_key_index(keys, name);
        if (k < 0) {
            s_unknown_key(d, key, where, keys);
            continue;
        }
        out[k] = (scenario_field_t){.key = key, .value = scenario_doc_node(d, pair->value)};
    }
    return true;
}

bool scenario_doc_string(scenario_doc_t *d, const yaml_node_t *n, const char *what, char **out) {
    char got[96];
    const char *t = scenario_doc_text(n);
    if (!t || scenario_doc_is_null(n)) {
        scenario_doc_error(d, n, "%s must be a string (got %s)", what,
                           scenario_doc_describe(n, got, sizeof got));
        return false;
    }
    if (!*t) {
        scenario_doc_error(d, n, "%s must not be empty", what);
        return false;
    }
    *out = xstrdup(t);
    return true;
}

bool scenario_doc_uint(scenario_doc_t *d, const yaml_node_t *n, const char *what, uint32_t min,
                       uint32_t *out) {
    char got[96];
    const char *t = scenario_doc_text(n);
    size_t digits = t ? strspn(t + (*t == '-' || *t == '+'), "0123456789") : 0;
    if (!t || digits == 0 || digits != strlen(t + (*t == '-' || *t == '+'))) {
        scenario_doc_error(d, n, "%s must be an integer >= %u (got %s)", what, min,
                           scenario_doc_describe(n, got, sizeof got));
        return false;
    }
    errno = 0;
    long long v = strtoll(t, NULL, 10);
    if (errno == ERANGE && v < 0) v = -1;
    if (v < (long long)min) {
        scenario_doc_error(d, n, "%s must be an integer >= %u (got %s)", what, min, t);
        return false;
    }
    if (errno == ERANGE || v > (long long)UINT32_MAX) {
        scenario_doc_error(d, n, "%s must be at most %u (got %s)", what, UINT32_MAX, t);
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

bool scenario_doc_positive(scenario_doc_t *d, const yaml_node_t *n, const char *what, double *out) {
    char got[96];
    const char *t = scenario_doc_text(n);
    if (!t || !s_looks_numeric(t)) {
        scenario_doc_error(d, n, "%s must be a number > 0 (got %s)", what,
                           scenario_doc_describe(n, got, sizeof got));
        return false;
    }
    double v = strtod(t, NULL);
    if (!(v > 0) || v > 1e15) {
        scenario_doc_error(d, n, "%s must be %s (got %s)", what, v > 0 ? "<= 1e15" : "> 0", t);
        return false;
    }
    *out = v;
    return true;
}

bool scenario_doc_bool(scenario_doc_t *d, const yaml_node_t *n, const char *what, bool *out) {
    char got[96];
    const char *t = scenario_doc_is_plain(n) ? scenario_doc_text(n) : NULL;
    if (t && (!strcmp(t, "true") || !strcmp(t, "True") || !strcmp(t, "TRUE"))) {
        *out = true;
        return true;
    }
    if (t && (!strcmp(t, "false") || !strcmp(t, "False") || !strcmp(t, "FALSE"))) {
        *out = false;
        return true;
    }
    scenario_doc_error(d, n, "%s must be true or false (got %s)", what,
                       scenario_doc_describe(n, got, sizeof got));
    return false;
}

bool scenario_doc_duration(scenario_doc_t *d, const yaml_node_t *n, const char *what,
                           uint64_t *out_ms) {
    char got[96];
    const char *t = scenario_doc_text(n);
    if (!t || scenario_doc_is_null(n)) {
        scenario_doc_error(d, n, "%s must be a duration like 500ms, 10s, 2m, 1h (got %s)", what,
                           scenario_doc_describe(n, got, sizeof got));
        return false;
    }
    uint64_t ms = 0;
    if (units_parse_duration_ms(t, &ms) != 0) {
        scenario_doc_error(d, n, "bad duration %s (expected e.g. 500ms, 10s, 2m, 1h)",
                           scenario_doc_describe(n, got, sizeof got));
        return false;
    }
    if (ms == 0) {
        scenario_doc_error(d, n, "%s must be > 0 (got %s)", what, t);
        return false;
    }
    *out_ms = ms;
    return true;
}

/* RFC 9110 token: the characters a header name may use. */
static bool s_is_token(const char *t) {
    return *t && strspn(t, "!#$%&'*+-.^_`|~0123456789"
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(t);
}

/* Reads one "name: value" pair into h; false (reported) if it is not a valid header. */
static bool s_header(scenario_doc_t *d, const yaml_node_t *key, const yaml_node_t *value,
                     const template_names_t *names, scenario_header_t *h) {
    char got[96];
    const char *name = scenario_doc_text(key);
    const char *text = scenario_doc_text(value);
    if (!s_is_token(name)) {
        scenario_doc_error(d, key,
                           "bad header name %s (expected letters, digits and -_.!#$%%&'*+^`|~)",
                           scenario_doc_describe(key, got, sizeof got));
        return false;
    }
    if (!text) {
        scenario_doc_error(d, value, "header '%s' must be a string (got %s)", name,
                           scenario_doc_describe(value, got, sizeof got));
        return false;
    }
    if (strpbrk(text, "\r\n")) {
        scenario_doc_error(d, value, "header '%s' must not contain a line break", name);
        return false;
    }
    template_t *t = NULL;
    if (!scenario_doc_template(d, value, 0, text, value->data.scalar.length, TEMPLATE_ESCAPE_NONE,
                               names, &t))
        return false;
    h->name = xstrdup(name);
    h->value = xstrdup(text); /* `X-Empty:` is an empty value */
    h->tvalue = t;
    return true;
}

bool scenario_doc_headers(scenario_doc_t *d, yaml_node_t *n, const template_names_t *names,
                          scenario_headers_t *out) {
    char got[96];
    out->n = 0;
    out->items = NULL;
    if (scenario_doc_is_null(n)) return true;
    if (n->type != YAML_MAPPING_NODE) {
        scenario_doc_error(d, n, "headers must be a mapping of name: value (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return false;
    }
    size_t total = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    out->items = xcalloc(total, sizeof out->items[0]);
    bool ok = true;
    for (size_t i = 0; i < total; i++) {
        const yaml_node_pair_t *pair = &n->data.mapping.pairs.start[i];
        const yaml_node_t *key = scenario_doc_node(d, pair->key);
        if (!scenario_doc_text(key)) {
            scenario_doc_error(d, key, "keys must be strings (got %s)",
                               scenario_doc_describe(key, got, sizeof got));
            ok = false;
            continue;
        }
        if (!scenario_doc_duplicate(d, n, i) &&
            s_header(d, key, scenario_doc_node(d, pair->value), names, &out->items[out->n]))
            out->n++;
        else
            ok = false;
    }
    return ok;
}

void scenario_doc_headers_fini(scenario_headers_t *h) {
    for (size_t i = 0; i < h->n; i++) {
        free(h->items[i].name);
        free(h->items[i].value);
        template_destroy(&h->items[i].tvalue);
    }
    free(h->items);
    h->items = NULL;
    h->n = 0;
}
