/* fuzz_jsonpath: jsonpath_compile and jsonpath_extract. Input: a path up to
 * the first newline, then the JSON text. The path is also compiled alone
 * (whatever it holds), and fixed paths run over the JSON too.
 * Oracles: a failed extract leaves the output as it was; and when jansson
 * accepts the whole document (no duplicate keys, not deeply nested), "$",
 * "$[0]", "$[-1]" and the first member's key extract exactly jansson's value
 * (strings unescaped, anything else as text that parses to the same value). */
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/jsonpath.h"
#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "tests/fuzz/fuzz.h"

#define S_PREFIX "prefix"

/* Extracts with p; checks that a failure appends nothing. Returns extract's result. */
static int s_extract(const jsonpath_t *p, const char *json, size_t len, strbuf_t *out) {
    strbuf_reset(out);
    strbuf_append_str(out, S_PREFIX);
    int rc = jsonpath_extract(p, json, len, out);
    if (rc != 0 && (out->len != strlen(S_PREFIX) || strcmp(strbuf_str(out), S_PREFIX) != 0))
        abort();
    return rc;
}

static int s_extract_text(const char *path, const char *json, size_t len, strbuf_t *out) {
    jsonpath_t *p = jsonpath_compile(path, NULL, NULL, 0);
    if (!p) abort(); /* the fixed paths are valid */
    int rc = s_extract(p, json, len, out);
    jsonpath_destroy(&p);
    return rc;
}

/* The extracted text (after the prefix) matches jansson's value v. */
static bool s_same(const json_t *v, const strbuf_t *out) {
    const char *got = strbuf_str(out) + strlen(S_PREFIX);
    size_t got_len = out->len - strlen(S_PREFIX);
    if (json_is_string(v))
        return got_len == json_string_length(v) && memcmp(got, json_string_value(v), got_len) == 0;
    json_t *parsed = json_loadb(got, got_len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    bool same = parsed && json_equal(parsed, (json_t *)v);
    json_decref(parsed);
    return same;
}

static void s_expect_value(const char *path, const json_t *v, const char *json, size_t len,
                           strbuf_t *out) {
    if (s_extract_text(path, json, len, out) != 0 || !s_same(v, out)) abort();
}

/* "$['key']" with the quote and backslash escaped; NULL if key has a NUL. */
static char *s_key_path(const char *key, size_t key_len) {
    if (memchr(key, '\0', key_len)) return NULL;
    char *path = xmalloc(2 * key_len + 6);
    size_t n = 0;
    memcpy(path, "$['", 3);
    n = 3;
    for (size_t i = 0; i < key_len; i++) {
        if (key[i] == '\'' || key[i] == '\\') path[n++] = '\\';
        path[n++] = key[i];
    }
    memcpy(path + n, "']", 3);
    return path;
}

static bool s_shallow(const char *json, size_t len) {
    size_t opens = 0;
    for (size_t i = 0; i < len; i++) opens += json[i] == '[' || json[i] == '{';
    return opens < 200;
}

/* Differential checks against jansson on a document it accepts. */
static void s_oracle(const char *json, size_t len, strbuf_t *out) {
    /* jansson skips raw NUL bytes instead of rejecting them: no reference then. */
    if (!s_shallow(json, len) || memchr(json, '\0', len)) return;
    json_t *doc =
        json_loadb(json, len, JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, NULL);
    if (!doc) return;
    s_expect_value("$", doc, json, len, out);
    if (json_is_array(doc) && json_array_size(doc) > 0) {
        s_expect_value("$[0]", json_array_get(doc, 0), json, len, out);
        s_expect_value("$[-1]", json_array_get(doc, json_array_size(doc) - 1), json, len, out);
    } else if (json_is_object(doc) && json_object_size(doc) > 0) {
        void *it = json_object_iter(doc);
        const char *key = json_object_iter_key(it);
        char *path = s_key_path(key, json_object_iter_key_len(it));
        if (path) s_expect_value(path, json_object_iter_value(it), json, len, out);
        free(path);
    }
    json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *nl = memchr(data, '\n', size);
    size_t path_len = nl ? (size_t)(nl - (const char *)data) : size;
    char *path = xstrndup((const char *)data, path_len);
    /* The JSON as an exact-size copy, so reading past its end is caught. */
    size_t json_len = nl ? size - path_len - 1 : 0;
    char *json = xmalloc(json_len ? json_len : 1);
    if (json_len) memcpy(json, nl + 1, json_len);
    strbuf_t out;
    strbuf_init(&out);
    size_t err_offset = 0;
    char err[128];
    jsonpath_t *p = jsonpath_compile(path, &err_offset, err, sizeof err);
    if (!p && err_offset > strlen(path)) abort(); /* the error points into the path */
    if (p) s_extract(p, json, json_len, &out);
    jsonpath_destroy(&p);
    s_oracle(json, json_len, &out);
    strbuf_fini(&out);
    free(json);
    free(path);
    return 0;
}
