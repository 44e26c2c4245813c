/* requests: one HTTP request — method and path, headers, query, body
 * (json:, form: or body:), timeout, redirects, captures and expects. */
#include "scenarios/requests.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "scenarios/encode.h"
#include "scenarios/json_emit.h"
#include "scenarios/tls.h"
#include "scenarios/transport.h"

#define S_METHOD_LIST "get, post, put, patch, delete, head or options"
#define S_CAPTURE_FORMS                                                                           \
    "\"json:$.access_token\", \"header:X-Token\", \"regex:id=(\\d+)\" or \"cookie:session\""

const char *const scenario_request_keys[SCENARIO_RQ_N_KEYS + 1] = {
    "name",    "get",    "post",    "put",     "patch",
    "delete",  "head",   "options", "headers", "query",
    "json",    "form",   "body",    "timeout", "follow_redirects",
    "capture", "expect", "tls",     "http",    "compression",
    "proxy",   NULL,
};

bool scenario_is_var_name(const char *name) {
    static const char *const builtins[] = {"row", "seq", "user_id", "worker_id", NULL};
    if (!name || !(isalpha((unsigned char)*name) || *name == '_')) return false;
    for (const char *c = name; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_') return false;
    for (size_t i = 0; builtins[i]; i++)
        if (!strcmp(name, builtins[i])) return false;
    return true;
}

long scenario_var_index(const char *const *vars, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(vars[i], name)) return (long)i;
    return -1;
}

static void s_expect_fini(scenario_expect_t *e) {
    free(e->statuses);
    free(e->body_contains);
    for (size_t i = 0; i < e->n_json; i++) {
        free(e->json[i].path_text);
        jsonpath_destroy(&e->json[i].path);
        free(e->json[i].equals);
    }
    free(e->json);
}

void scenario_request_fini(scenario_request_t *r) {
    free(r->method);
    free(r->path);
    template_destroy(&r->tpath);
    free(r->name);
    scenario_doc_headers_fini(&r->headers);
    for (size_t i = 0; i < r->n_query; i++) {
        free(r->query[i].name);
        free(r->query[i].value);
        template_destroy(&r->query[i].tvalue);
    }
    free(r->query);
    free(r->body);
    template_destroy(&r->tbody);
    free(r->content_type);
    for (size_t i = 0; i < r->n_captures; i++) {
        scenario_capture_t *c = &r->captures[i];
        free(c->var);
        free(c->expr);
        jsonpath_destroy(&c->json);
        pcre2_code_free(c->regex);
        pcre2_match_data_free(c->regex_match);
        pcre2_match_context_free(c->regex_limits);
    }
    free(r->captures);
    s_expect_fini(&r->expect);
    scenario_compression_fini(&r->compression);
    free(r->proxy);
    memset(r, 0, sizeof *r);
}

/* The method key of a request: reports none or several; returns its index or -1. */
static int s_method(scenario_doc_t *d, const yaml_node_t *m, const scenario_field_t *f,
                    const char *what) {
    int first = -1;
    for (int i = SCENARIO_RQ_METHOD; i < SCENARIO_RQ_METHOD + SCENARIO_RQ_N_METHODS; i++) {
        if (f[i].key && (first < 0 || scenario_doc_before(f[i].key, f[first].key))) first = i;
    }
    if (first < 0) {
        scenario_doc_error(d, m, "%s has no method (expected one of " S_METHOD_LIST ")", what);
        return -1;
    }
    bool several = false;
    for (int i = SCENARIO_RQ_METHOD; i < SCENARIO_RQ_METHOD + SCENARIO_RQ_N_METHODS; i++) {
        if (i == first || !f[i].key) continue;
        scenario_doc_error(d, f[i].key, "%s has both '%s' and '%s' (expected exactly one method)",
                           what, scenario_request_keys[first], scenario_request_keys[i]);
        several = true;
    }
    return several ? -1 : first;
}

/* The value of a method key: a path or an absolute http(s) URL, a template. */
static void s_path(scenario_doc_t *d, const yaml_node_t *n, const char *method,
                   const template_names_t *names, scenario_request_t *r) {
    char *path = NULL;
    if (!scenario_doc_string(d, n, method, &path)) return;
    if (path[0] != '/' && strncmp(path, "http://", 7) && strncmp(path, "https://", 8)) {
        char got[96];
        scenario_doc_error(d, n, "%s must be a path starting with / or an http(s):// URL (got %s)",
                           method, scenario_doc_describe(n, got, sizeof got));
        free(path);
        return;
    }
    r->path = path; /* as written: the stats name without name: */
    /* Errors point into the path as written; then its literal text is encoded
     * here, what its {{ }} parts render by the engine (TEMPLATE_ESCAPE_URL). */
    size_t len = strlen(path);
    if (!scenario_doc_template(d, n, 0, path, len, TEMPLATE_ESCAPE_URL, names, &r->tpath)) return;
    strbuf_t url;
    strbuf_init(&url);
    scenario_encode_url(&url, path, len, true);
    if (url.len != len) {
        template_error_t err;
        template_destroy(&r->tpath);
        r->tpath = template_compile(strbuf_str(&url), url.len, TEMPLATE_ESCAPE_URL, names, &err);
        if (!r->tpath) scenario_doc_error(d, n, "%s", err.message);
    }
    strbuf_fini(&url);
}

/* A scalar's text for query and form values: null means empty. NULL (reported) otherwise. */
static const char *s_param_text(scenario_doc_t *d, const char *what, const yaml_node_t *key,
                                const yaml_node_t *value) {
    char got[96];
    if (value->type == YAML_SCALAR_NODE)
        return scenario_doc_is_null(value) ? "" : scenario_doc_text(value);
    scenario_doc_error(d, value, "%s '%s' must be a string or a number (got %s)", what,
                       scenario_doc_text(key), scenario_doc_describe(value, got, sizeof got));
    return NULL;
}

/* Checks value (a template as written) and appends it form-encoded: its
 * literal text encoded here, what its {{ }} parts render by the engine (so
 * the text is compiled with TEMPLATE_ESCAPE_FORM). Errors point into the value
 * as written. Returns false (reported) if it does not compile. */
static bool s_form_value(scenario_doc_t *d, const yaml_node_t *n, const char *text,
                         const template_names_t *names, strbuf_t *encoded) {
    template_t *t = NULL;
    size_t len = strlen(text);
    if (!scenario_doc_template(d, n, 0, text, len, TEMPLATE_ESCAPE_FORM, names, &t)) return false;
    template_destroy(&t);
    scenario_encode_form(encoded, text, len, true);
    return true;
}

/* Checks the keys of a mapping of name: scalar (query: or form:); counts bad ones in *bad.
 * Returns its size. */
static size_t s_pairs(scenario_doc_t *d, const yaml_node_t *n, const char *what, size_t *bad) {
    char got[96];
    *bad = 0;
    if (scenario_doc_is_null(n)) return 0;
    if (n->type != YAML_MAPPING_NODE) {
        scenario_doc_error(d, n, "%s must be a mapping of name: value (got %s)", what,
                           scenario_doc_describe(n, got, sizeof got));
        *bad = 1;
        return 0;
    }
    size_t total = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    for (size_t i = 0; i < total; i++) {
        const yaml_node_t *key = scenario_doc_node(d, n->data.mapping.pairs.start[i].key);
        if (!scenario_doc_text(key) || !*scenario_doc_text(key)) {
            scenario_doc_error(d, key, "%s names must be non-empty strings (got %s)", what,
                               scenario_doc_describe(key, got, sizeof got));
            (*bad)++;
        } else if (scenario_doc_duplicate(d, n, i)) {
            (*bad)++;
        }
    }
    return total;
}

static void s_query(scenario_doc_t *d, const yaml_node_t *n, const template_names_t *names,
                    scenario_request_t *r) {
    size_t bad, total = s_pairs(d, n, "query", &bad);
    if (bad || !total) return;
    r->query = xcalloc(total, sizeof r->query[0]);
    for (size_t i = 0; i < total; i++) {
        const yaml_node_pair_t *pair = &n->data.mapping.pairs.start[i];
        const yaml_node_t *key = scenario_doc_node(d, pair->key);
        const yaml_node_t *value = scenario_doc_node(d, pair->value);
        const char *text = s_param_text(d, "query parameter", key, value);
        if (!text) continue;
        strbuf_t enc;
        strbuf_init(&enc);
        template_error_t err;
        scenario_param_t *p = &r->query[r->n_query];
        if (s_form_value(d, value, text, names, &enc)) {
            p->tvalue =
                template_compile(strbuf_str(&enc), enc.len, TEMPLATE_ESCAPE_FORM, names, &err);
            if (!p->tvalue) scenario_doc_error(d, value, "%s", err.message);
        }
        strbuf_fini(&enc);
        if (!p->tvalue) continue;
        p->name = xstrdup(scenario_doc_text(key));
        p->value = xstrdup(text);
        r->n_query++;
    }
}

/* form: {k: v} -> the body "k1=v1&k2=v2", names and literal text form-encoded here. */
static void s_form(scenario_doc_t *d, const yaml_node_t *n, const template_names_t *names,
                   scenario_request_t *r) {
    size_t bad, total = s_pairs(d, n, "form", &bad);
    if (bad) return;
    strbuf_t body;
    strbuf_init(&body);
    bool ok = true;
    for (size_t i = 0; i < total; i++) {
        const yaml_node_pair_t *pair = &n->data.mapping.pairs.start[i];
        const yaml_node_t *key = scenario_doc_node(d, pair->key);
        const yaml_node_t *value = scenario_doc_node(d, pair->value);
        const char *text = s_param_text(d, "form field", key, value);
        if (!text) {
            ok = false;
            continue;
        }
        if (i > 0) strbuf_append_char(&body, '&');
        const char *name = scenario_doc_text(key);
        scenario_encode_form(&body, name, strlen(name), false);
        strbuf_append_char(&body, '=');
        ok &= s_form_value(d, value, text, names, &body);
    }
    if (ok) {
        template_error_t err;
        r->tbody = template_compile(strbuf_str(&body), body.len, TEMPLATE_ESCAPE_FORM, names, &err);
        if (!r->tbody) scenario_doc_error(d, n, "%s", err.message);
    }
    if (r->tbody) {
        r->body = xstrdup(strbuf_str(&body));
        r->body_bytes = body.len;
        r->content_type = xstrdup("application/x-www-form-urlencoded");
    }
    strbuf_fini(&body);
}

static void s_json(scenario_doc_t *d, const yaml_node_t *n, const template_names_t *names,
                   scenario_request_t *r) {
    size_t bytes = 0;
    char *text = scenario_json_emit(d, n, names, &bytes);
    if (!text) return;
    template_error_t err;
    r->tbody = template_compile(text, bytes, TEMPLATE_ESCAPE_JSON, names, &err);
    if (!r->tbody) {
        /* Each string was compiled alone already; this is only a safety net. */
        scenario_doc_error(d, n, "%s", err.message);
        free(text);
        return;
    }
    r->body = text;
    r->body_bytes = bytes;
    r->content_type = xstrdup("application/json");
}

static void s_raw_body(scenario_doc_t *d, const yaml_node_t *body, const template_names_t *names,
                       scenario_request_t *r) {
    char got[96];
    const char *t = scenario_doc_text(body);
    if (!t || (scenario_doc_is_null(body) && !*t)) {
        scenario_doc_error(d, body,
                           "body must be a string (got %s; use json: for a structured body)",
                           scenario_doc_describe(body, got, sizeof got));
        return;
    }
    /* Block and quoted scalars may hold NULs ("\0"): copy by length. */
    size_t len = body->data.scalar.length;
    if (!scenario_doc_template(d, body, 0, t, len, TEMPLATE_ESCAPE_NONE, names, &r->tbody)) return;
    r->body_bytes = len;
    r->body = xmalloc(len + 1);
    memcpy(r->body, t, len);
    r->body[len] = '\0';
}

static void s_body(scenario_doc_t *d, const scenario_field_t *f, const template_names_t *names,
                   scenario_request_t *r) {
    static const int kinds[] = {SCENARIO_RQ_JSON, SCENARIO_RQ_FORM, SCENARIO_RQ_BODY};
    int first = -1;
    bool several = false;
    for (size_t i = 0; i < 3; i++) {
        int k = kinds[i];
        if (f[k].key && (first < 0 || scenario_doc_before(f[k].key, f[first].key))) first = k;
    }
    for (size_t i = 0; first >= 0 && i < 3; i++) {
        int k = kinds[i];
        if (k == first || !f[k].key) continue;
        scenario_doc_error(d, f[k].key, "%s and %s cannot be combined (a request has one body)",
                           scenario_request_keys[first], scenario_request_keys[k]);
        several = true;
    }
    if (first < 0 || several) return;
    if (first == SCENARIO_RQ_JSON)
        s_json(d, f[first].value, names, r);
    else if (first == SCENARIO_RQ_FORM)
        s_form(d, f[first].value, names, r);
    else
        s_raw_body(d, f[first].value, names, r);
}

/* PCRE2 allocates through xmalloc: out of memory aborts, as everywhere else. */
static void *s_pcre2_malloc(PCRE2_SIZE size_bytes, void *data) {
    (void)data;
    return xmalloc(size_bytes);
}

static void s_pcre2_free(void *p, void *data) {
    (void)data;
    free(p);
}

/* A regex: capture: compiled from the scalar's bytes after the prefix (a NUL in them
 * stays in the pattern), with its match data (groups 0 and 1: check.c reads group 1,
 * or 0 without groups) and its limits. A compile error is reported at its column. */
static bool s_regex(scenario_doc_t *d, const yaml_node_t *value, size_t prefix,
                    scenario_capture_t *c) {
    pcre2_general_context *gc = pcre2_general_context_create(s_pcre2_malloc, s_pcre2_free, NULL);
    pcre2_compile_context *cc = pcre2_compile_context_create(gc);
    int err = 0;
    PCRE2_SIZE off = 0;
    c->regex = pcre2_compile((PCRE2_SPTR)scenario_doc_text(value) + prefix,
                             value->data.scalar.length - prefix, SCENARIO_REGEX_OPTIONS, &err,
                             &off, cc);
    pcre2_compile_context_free(cc);
    if (!c->regex) {
        PCRE2_UCHAR msg[200];
        if (pcre2_get_error_message(err, msg, sizeof msg) < 0)
            snprintf((char *)msg, sizeof msg, "PCRE2 error %d", err);
        scenario_doc_error_at(d, scenario_doc_pos_in(d, value, prefix + off),
                              "bad regex in capture '%s': %s", c->var, (const char *)msg);
        pcre2_general_context_free(gc);
        return false;
    }
    c->regex_match = pcre2_match_data_create(2, gc);
    c->regex_limits = pcre2_match_context_create(gc);
    pcre2_general_context_free(gc);
    pcre2_set_match_limit(c->regex_limits, SCENARIO_REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(c->regex_limits, SCENARIO_REGEX_DEPTH_LIMIT);
    pcre2_set_heap_limit(c->regex_limits, SCENARIO_REGEX_HEAP_LIMIT_KIB);
    return true;
}

/* The part of a capture value after its "kind:" prefix: compiled per kind. */
static bool s_capture_expr(scenario_doc_t *d, const yaml_node_t *value, size_t prefix,
                           scenario_capture_t *c) {
    char msg[200];
    const char *name = c->var;
    if (!*c->expr) {
        scenario_doc_error(d, value, "capture '%s' has nothing after '%.*s'", name, (int)prefix,
                           scenario_doc_text(value));
        return false;
    }
    if (c->kind == SCENARIO_CAPTURE_JSON) {
        size_t off = 0;
        c->json = jsonpath_compile(c->expr, &off, msg, sizeof msg);
        if (!c->json)
            scenario_doc_error_at(d, scenario_doc_pos_in(d, value, prefix + off),
                                  "bad JSON path in capture '%s': %s", name, msg);
        return c->json != NULL;
    }
    if (c->kind == SCENARIO_CAPTURE_HEADER) {
        if (strpbrk(c->expr, " \t\r\n:")) {
            scenario_doc_error_at(d, scenario_doc_pos_in(d, value, prefix),
                                  "bad header name '%s' in capture '%s'", c->expr, name);
            return false;
        }
        return true;
    }
    if (c->kind == SCENARIO_CAPTURE_COOKIE) {
        if (strpbrk(c->expr, " \t\r\n;=,\"")) {
            scenario_doc_error_at(d, scenario_doc_pos_in(d, value, prefix),
                                  "bad cookie name '%s' in capture '%s'", c->expr, name);
            return false;
        }
        return true;
    }
    return s_regex(d, value, prefix, c);
}

const char *scenario_capture_kind_name(scenario_capture_kind_t kind) {
    static const char *const names[] = {"json", "header", "regex", "cookie"};
    return (size_t)kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

/* One "var: kind:expr" pair of capture:. Returns false (reported) if unusable. */
static bool s_capture(scenario_doc_t *d, const yaml_node_t *key, const yaml_node_t *value,
                      const template_names_t *names, scenario_capture_t *c) {
    static const char *const prefixes[] = {"json:", "header:", "regex:", "cookie:"};
    char got[96];
    const char *name = scenario_doc_text(key);
    if (!scenario_is_var_name(name)) {
        scenario_doc_error(d, key,
                           "bad capture variable %s (expected letters, digits and _, not "
                           "row, seq, user_id or worker_id)",
                           scenario_doc_describe(key, got, sizeof got));
        return false;
    }
    const char *t = scenario_doc_text(value);
    if (!t || scenario_doc_is_null(value)) {
        scenario_doc_error(d, value,
                           "capture '%s' must be a string like " S_CAPTURE_FORMS " (got %s)", name,
                           scenario_doc_describe(value, got, sizeof got));
        return false;
    }
    int kind = -1;
    for (int i = 0; i < 4 && kind < 0; i++)
        if (!strncmp(t, prefixes[i], strlen(prefixes[i]))) kind = i;
    if (kind < 0) {
        scenario_doc_error(d, value,
                           "capture '%s' must start with json:, header:, regex: or cookie: (got %s)",
                           name,
                           scenario_doc_describe(value, got, sizeof got));
        return false;
    }
    size_t prefix = strlen(prefixes[kind]);
    c->var = xstrdup(name);
    c->kind = (scenario_capture_kind_t)kind;
    c->expr = xstrdup(t + prefix);
    c->pos = scenario_doc_pos(key);
    long slot = scenario_var_index(names->vars, names->n_vars, name);
    c->slot = slot < 0 ? 0 : (size_t)slot; /* always found: the class collected every target */
    return s_capture_expr(d, value, prefix, c);
}

static void s_captures(scenario_doc_t *d, const yaml_node_t *n, const template_names_t *names,
                       scenario_request_t *r) {
    char got[96];
    if (scenario_doc_is_null(n)) return;
    if (n->type != YAML_MAPPING_NODE) {
        scenario_doc_error(d, n, "capture must be a mapping of variable: source (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return;
    }
    size_t total = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    r->captures = xcalloc(total ? total : 1, sizeof r->captures[0]);
    for (size_t i = 0; i < total; i++) {
        const yaml_node_pair_t *pair = &n->data.mapping.pairs.start[i];
        const yaml_node_t *key = scenario_doc_node(d, pair->key);
        if (!scenario_doc_text(key)) {
            scenario_doc_error(d, key, "keys must be strings (got %s)",
                               scenario_doc_describe(key, got, sizeof got));
            continue;
        }
        if (scenario_doc_duplicate(d, n, i)) continue;
        scenario_capture_t *c = &r->captures[r->n_captures];
        bool ok = s_capture(d, key, scenario_doc_node(d, pair->value), names, c);
        r->n_captures++; /* kept even when bad: freed with the request */
        (void)ok;
    }
}

void scenario_request_capture_names(const scenario_doc_t *d, const yaml_node_t *m, char ***vars,
                                    size_t *n_vars) {
    if (m->type != YAML_MAPPING_NODE) return;
    const yaml_node_pair_t *pairs = m->data.mapping.pairs.start;
    size_t count = (size_t)(m->data.mapping.pairs.top - pairs);
    for (size_t i = 0; i < count; i++) {
        const char *key = scenario_doc_text(scenario_doc_node(d, pairs[i].key));
        const yaml_node_t *value = scenario_doc_node(d, pairs[i].value);
        if (!key || strcmp(key, "capture") != 0 || value->type != YAML_MAPPING_NODE) continue;
        const yaml_node_pair_t *cp = value->data.mapping.pairs.start;
        size_t n_cp = (size_t)(value->data.mapping.pairs.top - cp);
        for (size_t k = 0; k < n_cp; k++) {
            const char *var = scenario_doc_text(scenario_doc_node(d, cp[k].key));
            if (!scenario_is_var_name(var) ||
                scenario_var_index((const char *const *)*vars, *n_vars, var) >= 0)
                continue;
            *vars = xrealloc(*vars, (*n_vars + 1) * sizeof **vars);
            (*vars)[(*n_vars)++] = xstrdup(var);
        }
    }
}

/* expect.status: one status or a list, each 100..599. */
static void s_statuses(scenario_doc_t *d, const yaml_node_t *n, scenario_expect_t *e) {
    size_t total = n->type == YAML_SEQUENCE_NODE ? scenario_doc_len(n) : 1;
    if (n->type == YAML_SEQUENCE_NODE && total == 0) {
        scenario_doc_error(d, n, "status must list at least one HTTP status");
        return;
    }
    e->statuses = xcalloc(total, sizeof e->statuses[0]);
    for (size_t i = 0; i < total; i++) {
        const yaml_node_t *item = n->type == YAML_SEQUENCE_NODE ? scenario_doc_item(d, n, i) : n;
        uint32_t v = 0;
        char got[96];
        const char *t = scenario_doc_text(item);
        size_t digits = t ? strspn(t, "0123456789") : 0;
        if (!t || !digits || digits != strlen(t) || digits > 3 || (v = (uint32_t)atoi(t)) < 100 ||
            v > 599) {
            scenario_doc_error(d, item, "status must be an HTTP status from 100 to 599 (got %s)",
                               scenario_doc_describe(item, got, sizeof got));
            continue;
        }
        e->statuses[e->n_statuses++] = (int)v;
    }
}

/* expect.json: {"$.path": value}, values compared as text. */
static void s_expect_json(scenario_doc_t *d, const yaml_node_t *n, scenario_expect_t *e) {
    char got[96], msg[200];
    if (n->type != YAML_MAPPING_NODE) {
        scenario_doc_error(d, n, "expect json must be a mapping of \"$.path\": value (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return;
    }
    size_t total = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    e->json = xcalloc(total ? total : 1, sizeof e->json[0]);
    for (size_t i = 0; i < total; i++) {
        const yaml_node_pair_t *pair = &n->data.mapping.pairs.start[i];
        const yaml_node_t *key = scenario_doc_node(d, pair->key);
        const yaml_node_t *value = scenario_doc_node(d, pair->value);
        const char *path = scenario_doc_text(key);
        if (!path) {
            scenario_doc_error(d, key, "keys must be strings (got %s)",
                               scenario_doc_describe(key, got, sizeof got));
            continue;
        }
        if (scenario_doc_duplicate(d, n, i)) continue;
        if (value->type != YAML_SCALAR_NODE) {
            scenario_doc_error(d, value, "expected value of '%s' must be a scalar (got %s)", path,
                               scenario_doc_describe(value, got, sizeof got));
            continue;
        }
        size_t off = 0;
        jsonpath_t *p = jsonpath_compile(path, &off, msg, sizeof msg);
        if (!p) {
            scenario_doc_error_at(d, scenario_doc_pos_in(d, key, off), "bad JSON path: %s", msg);
            continue;
        }
        scenario_expect_json_t *j = &e->json[e->n_json++];
        j->path_text = xstrdup(path);
        j->path = p;
        j->equals = xstrdup(scenario_doc_is_null(value) ? "null" : scenario_doc_text(value));
    }
}

static void s_expect(scenario_doc_t *d, yaml_node_t *n, scenario_expect_t *e) {
    static const char *const keys[] = {"status", "body_contains", "json", "max_duration", NULL};
    enum { STATUS, BODY_CONTAINS, JSON, MAX_DURATION };
    scenario_field_t f[4];
    if (scenario_doc_is_null(n) || !scenario_doc_fields(d, n, "expect", "in expect", keys, f))
        return;
    if (f[STATUS].value) s_statuses(d, f[STATUS].value, e);
    if (f[BODY_CONTAINS].value)
        scenario_doc_string(d, f[BODY_CONTAINS].value, "body_contains", &e->body_contains);
    if (f[JSON].value) s_expect_json(d, f[JSON].value, e);
    if (f[MAX_DURATION].value)
        scenario_doc_duration(d, f[MAX_DURATION].value, "max_duration", &e->max_duration_ms);
}

void scenario_request_read(scenario_doc_t *d, const yaml_node_t *m, const scenario_field_t *f,
                           const char *what, const template_names_t *names, scenario_request_t *r) {
    r->pos = scenario_doc_pos(m);
    r->follow_redirects = -1;
    r->tls.verify = -1;
    r->compression.set = -1;
    int method = s_method(d, m, f, what);
    if (method >= 0) {
        s_path(d, f[method].value, scenario_request_keys[method], names, r);
        r->method = xstrdup(scenario_request_keys[method]);
        for (char *c = r->method; *c; c++)
            *c = (char)toupper((unsigned char)*c);
    }
    if (f[SCENARIO_RQ_NAME].value)
        scenario_doc_string(d, f[SCENARIO_RQ_NAME].value, "name", &r->name);
    else if (r->path)
        r->name = xstrdup(r->path);
    if (f[SCENARIO_RQ_HEADERS].value)
        scenario_doc_headers(d, f[SCENARIO_RQ_HEADERS].value, names, &r->headers);
    if (f[SCENARIO_RQ_QUERY].value) s_query(d, f[SCENARIO_RQ_QUERY].value, names, r);
    s_body(d, f, names, r);
    /* curl sends no body with HEAD: one written would be dropped without a word. */
    static const int bodies[] = {SCENARIO_RQ_JSON, SCENARIO_RQ_FORM, SCENARIO_RQ_BODY};
    for (size_t i = 0; r->method && !strcmp(r->method, "HEAD") && i < 3; i++)
        if (f[bodies[i]].key)
            scenario_doc_error(d, f[bodies[i]].key,
                               "head sends no body (a HEAD request has none; drop %s or use "
                               "another method)",
                               scenario_request_keys[bodies[i]]);
    if (f[SCENARIO_RQ_TIMEOUT].value)
        scenario_doc_duration(d, f[SCENARIO_RQ_TIMEOUT].value, "timeout", &r->timeout_ms);
    bool follow = true;
    if (f[SCENARIO_RQ_FOLLOW_REDIRECTS].value &&
        scenario_doc_bool(d, f[SCENARIO_RQ_FOLLOW_REDIRECTS].value, "follow_redirects", &follow))
        r->follow_redirects = follow ? 1 : 0;
    if (f[SCENARIO_RQ_CAPTURE].value) s_captures(d, f[SCENARIO_RQ_CAPTURE].value, names, r);
    if (f[SCENARIO_RQ_EXPECT].value) s_expect(d, f[SCENARIO_RQ_EXPECT].value, &r->expect);
    if (f[SCENARIO_RQ_TLS].value) {
        scenario_tls_read(d, f[SCENARIO_RQ_TLS].value, &r->tls);
        scenario_tls_check_pair(d, f[SCENARIO_RQ_TLS].value, &r->tls, &d->sc->default_tls);
    }
    if (f[SCENARIO_RQ_HTTP].value) scenario_http_read(d, f[SCENARIO_RQ_HTTP].value, &r->http);
    if (f[SCENARIO_RQ_COMPRESSION].value)
        scenario_compression_read(d, f[SCENARIO_RQ_COMPRESSION].value, &r->compression);
    if (f[SCENARIO_RQ_PROXY].value) scenario_proxy_read(d, f[SCENARIO_RQ_PROXY].value, &r->proxy);
}
