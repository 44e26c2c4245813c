/* test_jsonpath: path syntax and errors, extraction over raw JSON, and robustness against
 * truncated, deep and random input (scenarios/jsonpath.h). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/jsonpath.h"
#include "common/rng.h"

static jsonpath_t *s_compile(const char *path) {
    size_t off = 0;
    char err[200] = "";
    jsonpath_t *p = jsonpath_compile(path, &off, err, sizeof err);
    cr_assert_not_null(p, "'%s' failed at %zu: %s", path, off, err);
    return p;
}

/* Evaluates over an exact-size heap copy of len bytes (no NUL after it, so a read past len
 * is caught under ASan). Returns the result (caller frees) or NULL when absent/malformed. */
static char *s_eval_n(const jsonpath_t *p, const char *json, size_t len) {
    char *copy = malloc(len ? len : 1);
    memcpy(copy, json, len);
    strbuf_t out;
    strbuf_init(&out);
    strbuf_append_str(&out, "keep:");
    int rc = jsonpath_extract(p, copy, len, &out);
    free(copy);
    char *result = NULL;
    if (rc == 0) {
        cr_assert_eq(strncmp(strbuf_str(&out), "keep:", 5), 0, "earlier content overwritten");
        result = strdup(strbuf_str(&out) + 5);
    } else {
        cr_assert_eq(rc, -1);
        cr_assert_str_eq(strbuf_str(&out), "keep:", "a failed extract left output behind");
    }
    strbuf_fini(&out);
    return result;
}

static char *s_eval(const char *path, const char *json) {
    jsonpath_t *p = s_compile(path);
    char *r = s_eval_n(p, json, strlen(json));
    jsonpath_destroy(&p);
    return r;
}

static void s_expect(const char *path, const char *json, const char *want) {
    char *got = s_eval(path, json);
    if (!want) {
        cr_expect_null(got, "%s over %s gave '%s', want absent", path, json, got);
    } else {
        cr_expect_not_null(got, "%s over %s: absent, want '%s'", path, json, want);
        if (got) cr_expect_str_eq(got, want, "%s over %s", path, json);
    }
    free(got);
}

static void s_expect_error(const char *path, size_t offset, const char *message) {
    size_t off = 999;
    char err[200] = "";
    jsonpath_t *p = jsonpath_compile(path, &off, err, sizeof err);
    cr_expect_null(p, "'%s' compiled", path);
    jsonpath_destroy(&p);
    cr_expect_str_eq(err, message, "message for '%s'", path);
    cr_expect_eq(off, offset, "offset for '%s': %zu, want %zu", path, off, offset);
}

static const char s_doc[] =
    "{\n"
    "  \"user\": {\"name\": \"Ada\", \"age\": 36,\n"
    "           \"tags\": [\"x\", \"y\", {\"k\": [1, 2, 3]}]},\n"
    "  \"items\": [{\"id\": 10}, {\"id\": 20}, {\"id\": 30}],\n"
    "  \"n\": -1.5e+10, \"t\": true, \"f\": false, \"z\": null,\n"
    "  \"obj\": {\"x\" : [1, {\"y\": 2}]}, \"empty\": [], \"eo\": {},\n"
    "  \"s\": \"caf\\u00e9 \\ud83d\\ude00 \\u20ac\\n\\t\\\"\\\\\\/ \xe2\x82\xac\"\n"
    "}\n";

Test(jsonpath, root_is_the_whole_document) {
    s_expect("$", "{\"a\":1}", "{\"a\":1}");
    s_expect("$", "  [1, 2]\n", "[1, 2]");
    s_expect("$", " \"str\" ", "str");
    s_expect("$", "42", "42");
    s_expect("$", "null", "null");
    s_expect("$", "", NULL);
    s_expect("$", "   ", NULL);
}

Test(jsonpath, nested_objects_and_arrays) {
    s_expect("$.user.name", s_doc, "Ada");
    s_expect("$.user.age", s_doc, "36");
    s_expect("$.user.tags[0]", s_doc, "x");
    s_expect("$.user.tags[1]", s_doc, "y");
    s_expect("$.user.tags[2].k[2]", s_doc, "3");
    s_expect("$.items[1].id", s_doc, "20");
    s_expect("$['user']['tags'][2][\"k\"][0]", s_doc, "1");
    s_expect("$[0]", "[[1, [2, [3]]], 4]", "[1, [2, [3]]]");
    s_expect("$[0][1][1][0]", "[[1, [2, [3]]], 4]", "3");
    s_expect("$[1]", "[[1, [2, [3]]], 4]", "4");
}

Test(jsonpath, first_of_duplicate_keys_wins) {
    s_expect("$.a", "{\"a\": 1, \"a\": 2}", "1");
}

Test(jsonpath, quoted_keys) {
    const char *doc = "{\"key with spaces\": 1, \"a.b\": 2, \"it's\": 3, \"q\\\"k\": 4, "
                      "\"br[ack]\": 5, \"caf\\u00e9\": 6, \"\": 7, \"a\": {\"b\": 8}}";
    s_expect("$['key with spaces']", doc, "1");
    s_expect("$.key with spaces", doc, "1");
    s_expect("$[\"a.b\"]", doc, "2");
    s_expect("$.a.b", doc, "8");
    s_expect("$[\"it's\"]", doc, "3");
    s_expect("$['it\\'s']", doc, "3");
    s_expect("$['q\"k']", doc, "4");
    s_expect("$[\"q\\\"k\"]", doc, "4");
    s_expect("$['br[ack]']", doc, "5");
    s_expect("$.caf\xc3\xa9", doc, "6");
    s_expect("$['']", doc, "7");
    s_expect("$[ 'a' ][ \"b\" ]", doc, "8");
    s_expect("$.cafe", doc, NULL);
    s_expect("$['key with space']", doc, NULL);
}

Test(jsonpath, negative_index_counts_from_the_end) {
    s_expect("$[-1]", "[10, 20, 30]", "30");
    s_expect("$[-2]", "[10, 20, 30]", "20");
    s_expect("$[-3]", "[10, 20, 30]", "10");
    s_expect("$[-4]", "[10, 20, 30]", NULL);
    s_expect("$[-1]", "[]", NULL);
    s_expect("$.items[-1].id", s_doc, "30");
    s_expect("$.user.tags[-1].k[-3]", s_doc, "1");
    s_expect("$[-1][-1]", "[[1, 2], [3, [4, \"]\"]]]", "[4, \"]\"]");
}

Test(jsonpath, strings_are_unescaped_to_utf8) {
    s_expect("$.s", s_doc, "caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x82\xac\n\t\"\\/ \xe2\x82\xac");
    s_expect("$", "\"\\b\\f\\r\\u0000x\"", "\b\f\r"); /* NUL inside: the C string stops there */
    s_expect("$", "\"\\u0041\\u00DF\\uFFFF\"", "A\xc3\x9f\xef\xbf\xbf");
    s_expect("$", "\"\\uD834\\uDD1E\"", "\xf0\x9d\x84\x9e");
    /* Lone surrogates become U+FFFD. */
    s_expect("$", "\"\\ud83dx\"", "\xef\xbf\xbdx");
    s_expect("$", "\"\\ude00\"", "\xef\xbf\xbd");
    s_expect("$", "\"\\ud83d\\u0041\"",
             "\xef\xbf\xbd"
             "A");
    s_expect("$", "\"\\ud83d\\ud83d\\ude00\"", "\xef\xbf\xbd\xf0\x9f\x98\x80");
}

Test(jsonpath, scalars_and_containers_are_raw) {
    s_expect("$.n", s_doc, "-1.5e+10");
    s_expect("$.t", s_doc, "true");
    s_expect("$.f", s_doc, "false");
    s_expect("$.z", s_doc, "null");
    s_expect("$.obj", s_doc, "{\"x\" : [1, {\"y\": 2}]}");
    s_expect("$.obj.x", s_doc, "[1, {\"y\": 2}]");
    s_expect("$.empty", s_doc, "[]");
    s_expect("$.eo", s_doc, "{}");
    s_expect("$[0]", "[0.5E-3]", "0.5E-3");
    s_expect("$[0]", "[0]", "0");
}

Test(jsonpath, absent_paths) {
    s_expect("$.nope", s_doc, NULL);
    s_expect("$.user.name.first", s_doc, NULL);
    s_expect("$.items[3]", s_doc, NULL);
    s_expect("$.items.id", s_doc, NULL);
    s_expect("$.user[0]", s_doc, NULL);
    s_expect("$.t.x", s_doc, NULL);
    s_expect("$.eo.a", s_doc, NULL);
    s_expect("$.empty[0]", s_doc, NULL);
    s_expect("$[0]", "{\"0\": 1}", NULL);
}

Test(jsonpath, results_append_to_the_buffer) {
    jsonpath_t *p = s_compile("$.a");
    strbuf_t out;
    strbuf_init(&out);
    cr_assert_eq(jsonpath_extract(p, "{\"a\": \"x\"}", 10, &out), 0);
    cr_assert_eq(jsonpath_extract(p, "{\"a\": 7}", 8, &out), 0);
    cr_expect_str_eq(strbuf_str(&out), "x7");
    cr_expect_eq(out.len, 2);
    strbuf_fini(&out);
    jsonpath_destroy(&p);
    jsonpath_destroy(&p);
    jsonpath_destroy(NULL);
}

Test(jsonpath, compile_errors_with_offsets) {
    s_expect_error("", 0, "a JSONPath starts with '$'");
    s_expect_error("a.b", 0, "a JSONPath starts with '$'");
    s_expect_error("$.", 2, "expected a key name or [index] after '.'");
    s_expect_error("$..a", 2, "expected a key name or [index] after '.'");
    s_expect_error("$.a.", 4, "expected a key name or [index] after '.'");
    s_expect_error("$[", 2, "expected a quoted key or an integer index after '['");
    s_expect_error("$[*]", 2, "expected a quoted key or an integer index after '['");
    s_expect_error("$['abc", 2, "unterminated quoted key");
    s_expect_error("$.a[\"b]", 4, "unterminated quoted key");
    s_expect_error("$[1", 3, "expected ']'");
    s_expect_error("$['a' x]", 6, "expected ']'");
    s_expect_error("$[-]", 3, "expected digits in the index");
    s_expect_error("$[-0]", 2, "index -0 is not valid (the last element is -1)");
    s_expect_error("$[99999999999]", 2, "index too large");
    s_expect_error("$a", 1, "expected '.' or '[' (got 'a')");
    s_expect_error("$.a]", 3, "expected '.' or '[' (got ']')");
    /* Error outputs are optional. */
    cr_expect_null(jsonpath_compile("x", NULL, NULL, 0));
}

Test(jsonpath, malformed_json_fails) {
    const char *bad[] = {
        "{\"a\":}",        "{\"a\" 1}",         "{\"b\":1,}",          "{a:1}",
        "[1,,2]",          "{\"a\":tru}",       "{\"a\":nul}",         "\"unterminated",
        "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":01}",
        "{\"a\":1.}",      "{\"a\":1e}",        "{\"a\":-}",           "{\"a\":\"x\ny\"}",
        "{\"a\":1 2}",     "{\"a\":[1}",        "{\"a\":{\"b\":1]}",   "{\"a\":+1}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *got = s_eval("$.a", bad[i]);
        cr_expect_null(got, "%s gave '%s'", bad[i], got);
        free(got);
        got = s_eval("$", bad[i]);
        cr_expect_null(got, "$ over %s gave '%s'", bad[i], got);
        free(got);
    }
    /* Malformed text before the member is on the way; after it, it is not read. */
    s_expect("$.b", "{\"x\": [1,}, \"b\": 1}", NULL);
    s_expect("$.a", "{\"a\": 1, \"b\": }", "1");
    s_expect("$", "{\"a\": 1,}", NULL);
    s_expect("$", "{} x", NULL);
    s_expect("$", "1 2", NULL);
}

Test(jsonpath, every_truncation_fails_or_gives_the_right_value) {
    const char *paths[] = {"$",
                           "$.user.name",
                           "$.user.age",
                           "$.user.tags[-1].k[-1]",
                           "$.items[2].id",
                           "$.n",
                           "$.t",
                           "$.z",
                           "$.obj",
                           "$.s",
                           "$.eo",
                           "$.empty"};
    size_t len = strlen(s_doc);
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        jsonpath_t *p = s_compile(paths[i]);
        char *full = s_eval_n(p, s_doc, len);
        cr_assert_not_null(full, "%s absent from the whole document", paths[i]);
        size_t failed = 0;
        for (size_t cut = 0; cut < len; cut++) {
            char *got = s_eval_n(p, s_doc, cut);
            if (got) {
                cr_assert_str_eq(got, full, "%s over the first %zu bytes", paths[i], cut);
            } else {
                failed++;
            }
            free(got);
        }
        cr_expect_gt(failed, 0, "%s never failed", paths[i]);
        free(full);
        jsonpath_destroy(&p);
    }
}

static char *s_nested(size_t depth, const char *inner) {
    size_t n = strlen(inner);
    char *s = malloc(2 * depth + n + 1);
    memset(s, '[', depth);
    memcpy(s + depth, inner, n);
    memset(s + depth + n, ']', depth);
    s[2 * depth + n] = '\0';
    return s;
}

Test(jsonpath, nesting_is_depth_limited) {
    jsonpath_t *root = s_compile("$");
    jsonpath_t *first = s_compile("$[0]");

    char *ok = s_nested(200, "1");
    char *got = s_eval_n(root, ok, strlen(ok));
    cr_expect_str_eq(got, ok);
    free(got);
    strbuf_t path;
    strbuf_init(&path);
    strbuf_append_char(&path, '$');
    for (int i = 0; i < 200; i++)
        strbuf_append_str(&path, "[0]");
    jsonpath_t *deep = s_compile(strbuf_str(&path));
    got = s_eval_n(deep, ok, strlen(ok));
    cr_expect_str_eq(got, "1");
    free(got);
    jsonpath_destroy(&deep);
    free(ok);

    char *too_deep = s_nested(300, "1");
    cr_expect_null(s_eval_n(root, too_deep, strlen(too_deep)));
    cr_expect_null(s_eval_n(first, too_deep, strlen(too_deep)));
    for (int i = 200; i < 300; i++)
        strbuf_append_str(&path, "[0]");
    deep = s_compile(strbuf_str(&path));
    cr_expect_null(s_eval_n(deep, too_deep, strlen(too_deep)));
    jsonpath_destroy(&deep);
    free(too_deep);

    /* Hostile: a million opening brackets, never closed. */
    size_t n = 1000000;
    char *hostile = malloc(n);
    memset(hostile, '[', n);
    cr_expect_null(s_eval_n(root, hostile, n));
    cr_expect_null(s_eval_n(first, hostile, n));
    memset(hostile, '{', n);
    cr_expect_null(s_eval_n(root, hostile, n));
    free(hostile);

    strbuf_fini(&path);
    jsonpath_destroy(&root);
    jsonpath_destroy(&first);
}

Test(jsonpath, random_garbage_never_crashes) {
    static const char alphabet[] = "{}[]\"\\,:0123456789-+.eEtruefalsnul u \n";
    const char *paths[] = {"$", "$.a", "$[0]", "$[-1]", "$.a[0].b", "$['a'][-2]", "$.user.tags[2]"};
    jsonpath_t *ps[sizeof paths / sizeof paths[0]];
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        ps[i] = s_compile(paths[i]);
    rng_t rng;
    rng_seed(&rng, 20240601);
    size_t doc_len = strlen(s_doc), successes = 0;
    for (int round = 0; round < 10000; round++) {
        size_t len;
        char *buf;
        if (round % 2) {
            /* Pure noise, mostly JSON punctuation so the scanner gets somewhere. */
            len = rng_range(&rng, 0, 256);
            buf = malloc(len ? len : 1);
            for (size_t i = 0; i < len; i++) {
                buf[i] = rng_range(&rng, 0, 9) ? alphabet[rng_range(&rng, 0, sizeof alphabet - 2)]
                                               : (char)rng_next(&rng);
            }
        } else {
            /* The valid document with a few bytes changed. */
            len = doc_len;
            buf = malloc(len);
            memcpy(buf, s_doc, len);
            for (int k = (int)rng_range(&rng, 1, 4); k > 0; k--) {
                buf[rng_range(&rng, 0, len - 1)] = (char)rng_next(&rng);
            }
        }
        for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
            char *got = s_eval_n(ps[i], buf, len);
            successes += got != NULL;
            free(got);
        }
        free(buf);
    }
    cr_expect_gt(successes, 0, "the mutated documents never matched: the test tests nothing");
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++)
        jsonpath_destroy(&ps[i]);
}
