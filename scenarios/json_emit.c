/* json_emit: YAML value -> compact JSON text, with YAML 1.2 core-schema scalars. */
#include "scenarios/json_emit.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "scenarios/encode.h"

#define S_MAX_DEPTH 64
#define S_MAX_BYTES (4u << 20)

typedef struct {
    scenario_doc_t *d;
    const yaml_node_t *root; /* where a too-large body is reported */
    const template_names_t *names;
    strbuf_t b;
    bool failed;  /* a problem was reported: the text is not returned */
    bool stopped; /* too deep or too large: nothing more is emitted */
} s_out_t;

static void s_put(s_out_t *o, const char *s, size_t n) {
    if (!o->stopped) strbuf_append(&o->b, s, n);
}

static void s_puts(s_out_t *o, const char *s) {
    s_put(o, s, strlen(s));
}

/* Writes string scalar n as a JSON string literal, its {{ }} parts as written
 * (the template engine JSON-escapes what they render). Each such part is
 * compiled here once, so an error points into the scalar. */
static void s_put_string(s_out_t *o, const yaml_node_t *n) {
    const char *t = scenario_doc_text(n);
    size_t len = n->data.scalar.length;
    if (scenario_has_template(t, len)) {
        template_t *check = NULL;
        if (!scenario_doc_template(o->d, n, 0, t, len, TEMPLATE_ESCAPE_JSON, o->names, &check))
            o->failed = true;
        template_destroy(&check);
    }
    if (o->stopped) return;
    strbuf_append_char(&o->b, '"');
    scenario_encode_json(&o->b, t, len);
    strbuf_append_char(&o->b, '"');
}

static size_t s_digits(const char *t) {
    return strspn(t, "0123456789");
}

/* Writes the digit run t[0..n) without leading zeros ("" and "000" become "0"). */
static void s_put_digits(s_out_t *o, const char *t, size_t n) {
    while (n > 1 && *t == '0')
        t++, n--;
    if (n == 0)
        s_put(o, "0", 1);
    else
        s_put(o, t, n);
}

/* A YAML 1.2 decimal integer or float, written in JSON's stricter grammar.
 * Returns false if t is not one. */
static bool s_put_decimal(s_out_t *o, const char *t) {
    const char *p = t;
    bool minus = *p == '-';
    if (*p == '-' || *p == '+') p++;
    size_t int_n = s_digits(p);
    const char *frac = NULL;
    size_t frac_n = 0;
    const char *q = p + int_n;
    if (*q == '.') {
        frac = q + 1;
        frac_n = s_digits(frac);
        q = frac + frac_n;
    }
    if (int_n == 0 && frac_n == 0) return false;
    const char *exp = NULL;
    if (*q == 'e' || *q == 'E') {
        exp = q;
        const char *e = q + 1 + (q[1] == '-' || q[1] == '+');
        if (s_digits(e) == 0) return false;
        q = e + s_digits(e);
    }
    if (*q) return false;
    if (minus) s_put(o, "-", 1);
    s_put_digits(o, p, int_n);
    if (frac) {
        s_put(o, ".", 1);
        if (frac_n)
            s_put(o, frac, frac_n);
        else
            s_put(o, "0", 1);
    }
    if (exp) s_puts(o, exp);
    return true;
}

/* 0x.. and 0o.. integers, written in decimal. Returns false if t is not one. */
static bool s_put_radix(s_out_t *o, const yaml_node_t *n, const char *t) {
    int base = !strncmp(t, "0x", 2) ? 16 : !strncmp(t, "0o", 2) ? 8 : 0;
    const char *set = base == 16 ? "0123456789abcdefABCDEF" : "01234567";
    if (!base || !t[2] || strspn(t + 2, set) != strlen(t + 2)) return false;
    errno = 0;
    unsigned long long v = strtoull(t + 2, NULL, base);
    if (errno == ERANGE) {
        scenario_doc_error(o->d, n, "json integer %s is too large", t);
        o->failed = true;
        return true;
    }
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", v);
    s_puts(o, buf);
    return true;
}

static bool s_is_one_of(const char *t, const char *const *words) {
    for (size_t i = 0; words[i]; i++)
        if (!strcmp(t, words[i])) return true;
    return false;
}

/* A plain scalar that is not a string in YAML's core schema; returns false for strings. */
static bool s_plain_typed(s_out_t *o, const yaml_node_t *n) {
    static const char *const trues[] = {"true", "True", "TRUE", NULL};
    static const char *const falses[] = {"false", "False", "FALSE", NULL};
    static const char *const specials[] = {".inf",  ".Inf",  ".INF",  "+.inf", "+.Inf",
                                           "+.INF", "-.inf", "-.Inf", "-.INF", ".nan",
                                           ".NaN",  ".NAN",  NULL};
    const char *t = scenario_doc_text(n);
    if (scenario_doc_is_null(n)) {
        s_puts(o, "null");
    } else if (s_is_one_of(t, trues)) {
        s_puts(o, "true");
    } else if (s_is_one_of(t, falses)) {
        s_puts(o, "false");
    } else if (s_is_one_of(t, specials)) {
        scenario_doc_error(o->d, n,
                           "json cannot hold %s (JSON has no infinity or NaN; quote it "
                           "for a string)",
                           t);
        o->failed = true;
    } else {
        return s_put_decimal(o, t) || s_put_radix(o, n, t);
    }
    return true;
}

static void s_scalar(s_out_t *o, const yaml_node_t *n) {
    if (scenario_doc_is_plain(n) && s_plain_typed(o, n)) return;
    s_put_string(o, n);
}

static void s_value(s_out_t *o, const yaml_node_t *n, int depth);

static void s_mapping(s_out_t *o, const yaml_node_t *n, int depth) {
    char got[96];
    s_put(o, "{", 1);
    const yaml_node_pair_t *pairs = n->data.mapping.pairs.start;
    size_t count = (size_t)(n->data.mapping.pairs.top - pairs);
    for (size_t i = 0; i < count && !o->stopped; i++) {
        const yaml_node_t *key = scenario_doc_node(o->d, pairs[i].key);
        if (key->type != YAML_SCALAR_NODE) {
            scenario_doc_error(o->d, key, "json object keys must be strings (got %s)",
                               scenario_doc_describe(key, got, sizeof got));
            o->failed = true;
            continue;
        }
        if (scenario_doc_duplicate(o->d, n, i)) {
            o->failed = true;
            continue;
        }
        if (i > 0) s_put(o, ",", 1);
        s_put_string(o, key);
        s_put(o, ":", 1);
        s_value(o, scenario_doc_node(o->d, pairs[i].value), depth + 1);
    }
    s_put(o, "}", 1);
}

static void s_sequence(s_out_t *o, const yaml_node_t *n, int depth) {
    s_put(o, "[", 1);
    size_t count = scenario_doc_len(n);
    for (size_t i = 0; i < count && !o->stopped; i++) {
        if (i > 0) s_put(o, ",", 1);
        s_value(o, scenario_doc_item(o->d, n, i), depth + 1);
    }
    s_put(o, "]", 1);
}

static void s_value(s_out_t *o, const yaml_node_t *n, int depth) {
    if (o->stopped) return;
    if (depth > S_MAX_DEPTH) {
        scenario_doc_error(o->d, n, "json nests deeper than %d levels (a recursive alias?)",
                           S_MAX_DEPTH);
        o->failed = o->stopped = true;
        return;
    }
    if (n->type == YAML_MAPPING_NODE)
        s_mapping(o, n, depth);
    else if (n->type == YAML_SEQUENCE_NODE)
        s_sequence(o, n, depth);
    else
        s_scalar(o, n);
    /* Aliases can repeat a subtree exponentially ("billion laughs"): cap the text. */
    if (o->b.len > S_MAX_BYTES && !o->stopped) {
        scenario_doc_error(o->d, o->root,
                           "json body is larger than %u MiB (aliases repeating "
                           "a large value?)",
                           S_MAX_BYTES >> 20);
        o->failed = o->stopped = true;
    }
}

char *scenario_json_emit(scenario_doc_t *d, const yaml_node_t *n, const template_names_t *names,
                         size_t *out_bytes) {
    s_out_t o = {.d = d, .root = n, .names = names};
    strbuf_init(&o.b);
    s_value(&o, n, 0);
    if (o.failed) {
        strbuf_fini(&o.b);
        return NULL;
    }
    return strbuf_detach(&o.b, out_bytes);
}
