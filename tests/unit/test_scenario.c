/* test_scenario: the scenario loader: examples, the model's defaults, json: bodies, errors. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/file.h"
#include "scenarios/scenario.h"
#include "tests/unit/scenario_text.h"

/* Loads text as file name `file`; fails the test, showing the errors, if it is invalid. */
static scenario_t *s_load_ok(const char *file, const char *text) {
    return scenario_text_ok(file, text, NULL);
}

/* Loads text expecting failure; returns the error lines joined by newlines (caller frees). */
static char *s_load_errors(const char *text) {
    return scenario_text_errors("t.yaml", text, NULL);
}

/* The source tree, where the examples and golden files live. */
static const char *s_source_dir(void) {
    const char *dir = getenv("BARRAGE_SOURCE_DIR");
    cr_assert_not_null(dir, "BARRAGE_SOURCE_DIR is not set (run through ctest)");
    return dir;
}

static scenario_t *s_load_example(const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/scenarios/examples/%s", s_source_dir(), name);
    scenario_errors_t errs = {0};
    scenario_t *s = scenario_load_file(path, &errs);
    for (size_t i = 0; i < errs.n; i++)
        cr_log_error("%s", errs.lines[i]);
    cr_assert_not_null(s, "%s did not load", path);
    scenario_errors_fini(&errs);
    return s;
}

/* The body of the only request of the first task of the first class. */
static const char *s_first_body(const scenario_t *s) {
    return s->classes[0].tasks[0].steps[0].body;
}

static void s_expect_request(const scenario_request_t *r, const char *method, const char *path,
                             const char *name) {
    cr_expect_str_eq(r->method, method);
    cr_expect_str_eq(r->path, path);
    cr_expect_str_eq(r->name, name);
}

Test(scenario, quickstart_example_loads) {
    scenario_t *s = s_load_example("quickstart.yaml");
    cr_expect_str_eq(s->name, "quickstart");
    cr_expect_str_eq(s->host, "http://127.0.0.1:8089");
    cr_expect_eq(s->load.users, 20);
    cr_expect_float_eq(s->load.spawn_rate, 10.0, 1e-9);
    cr_expect_eq(s->load.duration_ms, 10000);
    cr_expect_float_eq(s->load.rate, 0.0, 1e-9);
    cr_expect_eq(s->default_timeout_ms, 5000);
    cr_assert_eq(s->n_classes, 1);
    const scenario_class_t *c = &s->classes[0];
    cr_expect_str_eq(c->name, "Visitor");
    cr_expect_eq(c->think.kind, SCENARIO_THINK_BETWEEN);
    cr_expect_eq(c->think.min_ms, 100);
    cr_expect_eq(c->think.max_ms, 500);
    cr_assert_eq(c->n_tasks, 3);
    const uint32_t weights[] = {5, 2, 1};
    for (size_t i = 0; i < 3; i++) {
        cr_expect_eq(c->tasks[i].weight, weights[i]);
        cr_expect_null(c->tasks[i].name);
        cr_expect_eq(c->tasks[i].n_steps, 1);
    }
    s_expect_request(&c->tasks[0].steps[0], "GET", "/", "/");
    s_expect_request(&c->tasks[1].steps[0], "GET", "/json?bytes=512", "/json");
    s_expect_request(&c->tasks[2].steps[0], "GET", "/delay?ms=20", "/delay");
    cr_expect_eq(c->tasks[0].steps[0].pos.line, 23);
    cr_expect_eq(c->tasks[0].steps[0].pos.col, 9);
    scenario_destroy(&s);
    cr_expect_null(s);
}

Test(scenario, tour_example_fills_every_field) {
    scenario_t *s = s_load_example("tour.yaml");
    cr_expect_float_eq(s->load.spawn_rate, 2.5, 1e-9);
    cr_expect_eq(s->load.duration_ms, 90000);
    cr_expect_eq(s->default_timeout_ms, 2000);
    cr_assert_eq(s->default_headers.n, 2);
    cr_expect_str_eq(s->default_headers.items[1].name, "User-Agent");
    cr_expect_str_eq(s->default_headers.items[1].value, "barrage-tour");
    cr_assert_eq(s->n_thresholds, 2);
    cr_expect_str_eq(s->thresholds[0].text, "p95 < 300ms");
    cr_expect_null(s->thresholds[0].name);
    cr_expect_str_eq(s->thresholds[1].text, "p99 < 1s");
    cr_expect_str_eq(s->thresholds[1].name, "/delay");
    cr_expect_eq(s->thresholds[1].pos.line, 18);
    cr_expect_eq(s->thresholds[1].pos.col, 5);

    cr_assert_eq(s->n_classes, 2);
    const scenario_class_t *m = &s->classes[0];
    cr_expect_eq(m->weight, 3);
    cr_expect_eq(m->think.kind, SCENARIO_THINK_CONSTANT);
    cr_expect_eq(m->think.min_ms, 1000);
    cr_expect_str_eq(m->headers.items[0].value, "member");
    const scenario_request_t *login = &m->tasks[1].steps[0];
    cr_expect_str_eq(login->content_type, "application/json");
    cr_expect_str_eq(login->body, "{\"email\":\"member1@example.com\",\"password\":\"secret\","
                                  "\"remember\":true,\"tags\":[\"a\",\"b\"]}");
    cr_expect_eq(login->body_bytes, strlen(login->body));
    cr_expect_eq(login->timeout_ms, 500);

    const scenario_task_t *flow = &m->tasks[2];
    cr_expect_str_eq(flow->name, "login-then-private");
    cr_assert_eq(flow->n_steps, 2);
    s_expect_request(&flow->steps[0], "POST", "/login", "/login");
    cr_expect_str_eq(flow->steps[0].body,
                     "{\"email\": \"member2@example.com\", \"password\": \"secret\"}");
    cr_expect_eq(flow->steps[0].n_captures, 1);
    cr_expect_str_eq(flow->steps[0].captures[0].var, "token");
    cr_expect_null(flow->steps[0].content_type);
    cr_expect_str_eq(flow->steps[0].headers.items[0].name, "Content-Type");
    s_expect_request(&flow->steps[1], "GET", "/private", "/private");
    cr_expect_str_eq(flow->steps[1].headers.items[0].value, "Bearer {{ token }}");

    const scenario_class_t *p = &s->classes[1];
    cr_expect_eq(p->think.kind, SCENARIO_THINK_PACING);
    cr_expect_eq(p->think.min_ms, 3000);
    s_expect_request(&p->tasks[1].steps[0], "HEAD", "/", "/");
    scenario_destroy(&s);
}

Test(scenario, open_model_example_sets_rate) {
    scenario_t *s = s_load_example("open_model.yaml");
    cr_expect_str_eq(s->name, "arrivals");
    cr_expect_eq(s->load.users, 0);
    cr_expect_float_eq(s->load.rate, 200.0, 1e-9);
    cr_expect_eq(s->load.max_users, 50);
    cr_expect_eq(s->load.duration_ms, 30000);
    cr_expect_eq(s->classes[0].think.kind, SCENARIO_THINK_NONE);
    scenario_destroy(&s);
}

Test(scenario, every_example_loads) {
    char dir_path[4096];
    snprintf(dir_path, sizeof dir_path, "%s/scenarios/examples", s_source_dir());
    DIR *dir = opendir(dir_path);
    cr_assert_not_null(dir);
    size_t loaded = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0) continue;
        scenario_t *s = s_load_example(e->d_name);
        cr_expect_gt(s->n_classes, 0);
        scenario_destroy(&s);
        loaded++;
    }
    closedir(dir);
    cr_expect_geq(loaded, 3);
}

Test(scenario, defaults_when_keys_are_left_out) {
    scenario_t *s = s_load_ok("some/dir/minimal.yaml", "users:\n  - name: U\n    tasks:\n"
                                                       "      - get: /x\n");
    cr_expect_str_eq(s->file, "some/dir/minimal.yaml");
    cr_expect_str_eq(s->name, "minimal");
    cr_expect_null(s->host);
    cr_expect_eq(s->load.users, 0);
    cr_expect_float_eq(s->load.spawn_rate, 0.0, 1e-9);
    cr_expect_eq(s->load.duration_ms, 0);
    cr_expect_float_eq(s->load.rate, 0.0, 1e-9);
    cr_expect_eq(s->load.max_users, 0);
    cr_expect_eq(s->default_timeout_ms, 10000);
    cr_expect_eq(s->default_headers.n, 0);
    cr_expect_eq(s->n_thresholds, 0);
    const scenario_class_t *c = &s->classes[0];
    cr_expect_eq(c->weight, 1);
    cr_expect_eq(c->think.kind, SCENARIO_THINK_NONE);
    cr_expect_eq(c->headers.n, 0);
    const scenario_task_t *t = &c->tasks[0];
    cr_expect_eq(t->weight, 1);
    cr_expect_null(t->name);
    const scenario_request_t *r = &t->steps[0];
    cr_expect_str_eq(r->name, "/x");
    cr_expect_neq(r->name, r->path, "name must be its own copy of the path");
    cr_expect_null(r->body);
    cr_expect_eq(r->body_bytes, 0);
    cr_expect_null(r->content_type);
    cr_expect_eq(r->timeout_ms, 0);
    cr_expect_eq(r->headers.n, 0);
    cr_expect_eq(r->pos.line, 4);
    cr_expect_eq(r->pos.col, 9);
    scenario_destroy(&s);
}

Test(scenario, default_name_strips_extension) {
    const char *text = "users: [{name: U, tasks: [{get: /}]}]\n";
    scenario_t *a = s_load_ok("b.yml", text);
    scenario_t *b = s_load_ok("noext", text);
    scenario_t *c = s_load_ok("x/.yaml", text);
    cr_expect_str_eq(a->name, "b");
    cr_expect_str_eq(b->name, "noext");
    cr_expect_str_eq(c->name, "scenario");
    scenario_destroy(&a);
    scenario_destroy(&b);
    scenario_destroy(&c);
}

Test(scenario, empty_sections_are_allowed) {
    scenario_t *s = s_load_ok("e.yaml", "load:\ndefaults:\nthresholds:\n"
                                        "users: [{name: U, headers: , tasks: [{get: /}]}]\n");
    cr_expect_eq(s->load.users, 0);
    cr_expect_eq(s->n_thresholds, 0);
    cr_expect_eq(s->classes[0].headers.n, 0);
    scenario_destroy(&s);
}

Test(scenario, methods_are_upper_case) {
    scenario_t *s = s_load_ok("m.yaml", "users:\n  - name: U\n    tasks:\n"
                                        "      - get: /a\n      - post: /a\n      - put: /a\n"
                                        "      - patch: /a\n      - delete: /a\n"
                                        "      - head: /a\n      - options: https://h.example/a\n");
    const char *want[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
    cr_assert_eq(s->classes[0].n_tasks, 7);
    for (size_t i = 0; i < 7; i++)
        cr_expect_str_eq(s->classes[0].tasks[i].steps[0].method, want[i]);
    cr_expect_str_eq(s->classes[0].tasks[6].steps[0].path, "https://h.example/a");
    scenario_destroy(&s);
}

Test(scenario, think_forms) {
    scenario_t *s = s_load_ok("k.yaml", "users:\n"
                                        "  - {name: A, think: none, tasks: [{get: /}]}\n"
                                        "  - {name: B, think: constant 250ms, tasks: [{get: /}]}\n"
                                        "  - {name: C, think: between 1s 1m, tasks: [{get: /}]}\n"
                                        "  - {name: D, think: pacing 1.5, tasks: [{get: /}]}\n"
                                        "  - {name: E, think: between 2s 2s, tasks: [{get: /}]}\n");
    const scenario_class_t *c = s->classes;
    cr_expect_eq(c[0].think.kind, SCENARIO_THINK_NONE);
    cr_expect_eq(c[1].think.kind, SCENARIO_THINK_CONSTANT);
    cr_expect_eq(c[1].think.min_ms, 250);
    cr_expect_eq(c[1].think.max_ms, 250);
    cr_expect_eq(c[2].think.kind, SCENARIO_THINK_BETWEEN);
    cr_expect_eq(c[2].think.min_ms, 1000);
    cr_expect_eq(c[2].think.max_ms, 60000);
    cr_expect_eq(c[3].think.kind, SCENARIO_THINK_PACING);
    cr_expect_eq(c[3].think.min_ms, 1500);
    cr_expect_eq(c[4].think.min_ms, c[4].think.max_ms);
    scenario_destroy(&s);
}

Test(scenario, durations_accept_bare_seconds) {
    scenario_t *s = s_load_ok("d.yaml", "load: {duration: 90}\ndefaults: {timeout: 0.5}\n"
                                        "users: [{name: U, tasks: [{get: /, timeout: 1m30s}]}]\n");
    cr_expect_eq(s->load.duration_ms, 90000);
    cr_expect_eq(s->default_timeout_ms, 500);
    cr_expect_eq(s->classes[0].tasks[0].steps[0].timeout_ms, 90000);
    scenario_destroy(&s);
}

Test(scenario, header_values_are_text) {
    scenario_t *s = s_load_ok("h.yaml", "defaults:\n  headers: {X-Num: 42, X-Float: 1.50, "
                                        "X-Bool: true, X-Empty: }\n"
                                        "users: [{name: U, tasks: [{get: /}]}]\n");
    const scenario_headers_t *h = &s->default_headers;
    cr_assert_eq(h->n, 4);
    cr_expect_str_eq(h->items[0].name, "X-Num");
    cr_expect_str_eq(h->items[0].value, "42");
    cr_expect_str_eq(h->items[1].value, "1.50");
    cr_expect_str_eq(h->items[2].value, "true");
    cr_expect_str_eq(h->items[3].value, "");
    scenario_destroy(&s);
}

Test(scenario, json_nested_values_keep_yaml_types_and_order) {
    scenario_t *s = s_load_ok(
        "j.yaml", "users:\n  - name: U\n    tasks:\n      - post: /\n"
                  "        json: {z: 1, a: [true, null, \"s\", ~, False], n: {m: {k: -2.5e3}},"
                  " q: \"1\", e: [], o: {}, 7: x, t: 'yes', u: yes}\n");
    cr_expect_str_eq(s_first_body(s), "{\"z\":1,\"a\":[true,null,\"s\",null,false],"
                                      "\"n\":{\"m\":{\"k\":-2.5e3}},\"q\":\"1\",\"e\":[],\"o\":{},"
                                      "\"7\":\"x\",\"t\":\"yes\",\"u\":\"yes\"}");
    cr_expect_str_eq(s->classes[0].tasks[0].steps[0].content_type, "application/json");
    scenario_destroy(&s);
}

Test(scenario, json_numbers_follow_json_grammar) {
    scenario_t *s = s_load_ok("n.yaml", "users:\n  - name: U\n    tasks:\n      - post: /\n"
                                        "        json: [+1, 007, .5, -1., 0x1F, 0o17, 1E+3, -0, "
                                        "123456789012345678901234567890, 1_000, 12:30]\n");
    cr_expect_str_eq(s_first_body(s), "[1,7,0.5,-1.0,31,15,1E+3,-0,"
                                      "123456789012345678901234567890,\"1_000\",\"12:30\"]");
    scenario_destroy(&s);
}

Test(scenario, json_strings_are_escaped) {
    scenario_t *s =
        s_load_ok("s.yaml", "users:\n  - name: U\n    tasks:\n      - post: /\n"
                            "        json: {\"k\\\"q\": \"a\\\"b\\\\c\\n\\t\\x01\\u00e9\","
                            " nul: \"x\\0y\"}\n");
    const scenario_request_t *r = &s->classes[0].tasks[0].steps[0];
    const char *want = "{\"k\\\"q\":\"a\\\"b\\\\c\\n\\t\\u0001\xc3\xa9\",\"nul\":\"x\\u0000y\"}";
    cr_expect_str_eq(r->body, want);
    cr_expect_eq(r->body_bytes, strlen(want));
    scenario_destroy(&s);
}

Test(scenario, json_scalar_and_alias_bodies) {
    scenario_t *s = s_load_ok("a.yaml", "users:\n  - name: U\n    tasks:\n"
                                        "      - {post: /a, json: [&x {y: 2}, *x]}\n"
                                        "      - {post: /b, json: just text}\n"
                                        "      - {post: /c, json: 42}\n"
                                        "      - post: /d\n        json: |\n"
                                        "          two\n          lines\n");
    const scenario_task_t *t = s->classes[0].tasks;
    cr_expect_str_eq(t[0].steps[0].body, "[{\"y\":2},{\"y\":2}]");
    cr_expect_str_eq(t[1].steps[0].body, "\"just text\"");
    cr_expect_str_eq(t[2].steps[0].body, "42");
    cr_expect_str_eq(t[3].steps[0].body, "\"two\\nlines\\n\"");
    scenario_destroy(&s);
}

Test(scenario, raw_body_keeps_its_bytes) {
    scenario_t *s = s_load_ok("b.yaml", "users:\n  - name: U\n    tasks:\n      - post: /\n"
                                        "        body: \"a\\0b\"\n");
    const scenario_request_t *r = &s->classes[0].tasks[0].steps[0];
    cr_expect_eq(r->body_bytes, 3);
    cr_expect_eq(memcmp(r->body, "a\0b", 4), 0);
    cr_expect_null(r->content_type);
    scenario_destroy(&s);
}

Test(scenario, recursive_and_exploding_aliases_are_errors) {
    char *deep = s_load_errors("users:\n  - name: U\n    tasks:\n      - post: /\n"
                               "        json: &r {a: [*r]}\n");
    cr_expect(strstr(deep, "json nests deeper than 64 levels"), "%s", deep);
    free(deep);
    /* Nine levels of nine aliases: 9^9 copies unless the emitter stops early. */
    char text[4096] = "users:\n  - name: U\n    tasks:\n      - post: /\n        json:\n"
                      "          a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (int k = 'b'; k <= 'j'; k++) {
        char line[128];
        snprintf(line, sizeof line,
                 "          %c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", k, k, k - 1,
                 k - 1, k - 1, k - 1, k - 1, k - 1, k - 1, k - 1, k - 1);
        strcat(text, line);
    }
    char *big = s_load_errors(text);
    cr_expect_str_eq(big, "t.yaml:6:11: error: json body is larger than 4 MiB (aliases "
                          "repeating a large value?)\n");
    free(big);
}

Test(scenario, errors_come_in_file_order) {
    char *out = s_load_errors("users:\n  - name: U\n    weight: -1\n    tasks: []\n"
                              "load: {users: x}\n");
    cr_expect_str_eq(out, "t.yaml:3:13: error: weight must be an integer >= 0 (got -1)\n"
                          "t.yaml:4:12: error: tasks must list at least one task\n"
                          "t.yaml:5:15: error: users must be an integer >= 1 (got 'x')\n");
    free(out);
}

Test(scenario, empty_text_is_an_error) {
    scenario_errors_t errs = {0};
    cr_expect_null(scenario_load("e.yaml", "", 0, &errs));
    cr_assert_eq(errs.n, 1);
    cr_expect_str_eq(errs.lines[0],
                     "e.yaml:1:1: error: empty file (expected a mapping with at least users:)");
    scenario_errors_fini(&errs);
    cr_expect_null(scenario_load("n.yaml", NULL, 0, &errs));
    cr_expect_eq(errs.n, 1);
    scenario_errors_fini(&errs);
}

Test(scenario, too_many_errors_are_counted) {
    char text[2048] = "load:\n";
    for (int i = 0; i < 30; i++) {
        char line[32];
        snprintf(line, sizeof line, "  k%d: 1\n", i);
        strcat(text, line);
    }
    scenario_errors_t errs = {0};
    cr_expect_null(scenario_load("many.yaml", text, strlen(text), &errs));
    /* 30 unknown keys plus the missing users: */
    cr_expect_eq(errs.n, SCENARIO_MAX_ERRORS);
    cr_expect_eq(errs.dropped, 31 - SCENARIO_MAX_ERRORS);
    cr_expect_str_eq(errs.lines[0], "many.yaml:1:1: error: missing key 'users' (expected a list "
                                    "of user classes)");
    scenario_errors_fini(&errs);
    cr_expect_eq(errs.n, 0);
    cr_expect_eq(errs.dropped, 0);
}

Test(scenario, errors_append_to_existing_lines) {
    scenario_errors_t errs = {0};
    scenario_errors_add(&errs, "first: error: %s", "earlier");
    cr_expect_null(scenario_load("x.yaml", "[]", 2, &errs));
    cr_assert_eq(errs.n, 2);
    cr_expect_str_eq(errs.lines[0], "first: error: earlier");
    cr_expect_str_eq(errs.lines[1], "x.yaml:1:1: error: the top level must be a mapping (got a "
                                    "sequence)");
    scenario_errors_fini(&errs);
}

Test(scenario, errors_add_counts_overflow) {
    scenario_errors_t errs = {0};
    for (int i = 0; i < SCENARIO_MAX_ERRORS + 5; i++)
        scenario_errors_add(&errs, "line %d", i);
    cr_expect_eq(errs.n, SCENARIO_MAX_ERRORS);
    cr_expect_eq(errs.dropped, 5);
    cr_expect_str_eq(errs.lines[SCENARIO_MAX_ERRORS - 1], "line 19");
    scenario_errors_fini(&errs);
    scenario_errors_add(&errs, "again");
    cr_expect_eq(errs.n, 1);
    scenario_errors_fini(&errs);
}

Test(scenario, unreadable_file_is_one_error) {
    scenario_errors_t errs = {0};
    cr_expect_null(scenario_load_file("/nonexistent/x.yaml", &errs));
    cr_assert_eq(errs.n, 1);
    cr_expect_str_eq(errs.lines[0],
                     "/nonexistent/x.yaml: error: cannot read: No such file or directory");
    scenario_errors_fini(&errs);
    cr_expect_null(scenario_load_file("/", &errs));
    cr_assert_eq(errs.n, 1);
    cr_expect_str_eq(errs.lines[0], "/: error: cannot read: Is a directory");
    scenario_errors_fini(&errs);
}

Test(scenario, destroy_accepts_null) {
    scenario_t *s = NULL;
    scenario_destroy(&s);
    scenario_destroy(NULL);
    cr_expect_null(s);
}

/* Reads a whole file into a new string (caller frees), or NULL. */
static char *s_read(const char *path) {
    size_t len = 0;
    return file_read(path, (size_t)1 << 30, &len);
}

static int s_name_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Checks one tests/scenarios/bad_X.yaml against bad_X.expected; returns true if equal. */
static bool s_golden(const char *yaml_rel) {
    char expected_rel[512];
    snprintf(expected_rel, sizeof expected_rel, "%.*s.expected",
             (int)(strlen(yaml_rel) - strlen(".yaml")), yaml_rel);
    char *want = s_read(expected_rel);
    cr_assert_not_null(want, "missing %s", expected_rel);
    scenario_errors_t errs = {0};
    scenario_t *s = scenario_load_file(yaml_rel, &errs);
    char *got = NULL;
    size_t got_bytes = 0;
    FILE *m = open_memstream(&got, &got_bytes);
    for (size_t i = 0; i < errs.n; i++)
        fprintf(m, "%s\n", errs.lines[i]);
    fclose(m);
    bool same = s == NULL && errs.dropped == 0 && strcmp(got, want) == 0;
    cr_expect(same, "%s:\n--- expected\n%s--- got\n%s", yaml_rel, want, got);
    scenario_destroy(&s);
    scenario_errors_fini(&errs);
    free(got);
    free(want);
    return same;
}

Test(scenario, bad_files_match_golden_errors) {
    /* Relative names, so the expected lines read "tests/scenarios/bad_X.yaml:L:C: ...". */
    cr_assert_eq(chdir(s_source_dir()), 0);
    DIR *dir = opendir("tests/scenarios");
    cr_assert_not_null(dir);
    char *names[256];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(dir)) && n < 256;) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, "bad_", 4) != 0 || len < 6 ||
            strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        names[n++] = strdup(e->d_name);
    }
    closedir(dir);
    qsort(names, n, sizeof names[0], s_name_cmp);
    size_t passed = 0;
    for (size_t i = 0; i < n; i++) {
        char rel[512];
        snprintf(rel, sizeof rel, "tests/scenarios/%s", names[i]);
        passed += s_golden(rel);
        free(names[i]);
    }
    cr_expect_geq(n, 12, "only %zu bad_*.yaml files", n);
    cr_expect_eq(passed, n, "%zu of %zu golden files differ", n - passed, n);
}

/* ---- the full language: templates, vars, captures, expects, query, form, data ---- */

/* Renders t with no variables and seq starting at 0. Returns a new string (caller frees). */
static char *s_render(const template_t *t) {
    uint64_t seq = 0;
    template_ctx_t ctx = {.seq = &seq, .user_id = 7};
    strbuf_t b;
    strbuf_init(&b);
    template_render(t, &ctx, &b);
    char *out = strdup(strbuf_str(&b));
    strbuf_fini(&b);
    return out;
}

Test(scenario, variables_are_vars_then_captures_in_order) {
    scenario_t *s = s_load_ok(
        "v.yaml", "users:\n"
                  "  - name: A\n"
                  "    vars: {org: \"{{ choice(1, 2) }}\", slug: \"o-{{ org }}\"}\n"
                  "    headers: {Authorization: \"Bearer {{ token }}\"}\n"
                  "    on_start:\n"
                  "      - post: /login\n"
                  "        capture: {token: \"json:$.access_token\"}\n"
                  "    tasks:\n"
                  "      - name: flow\n"
                  "        steps:\n"
                  "          - get: \"/o/{{ slug }}/{{ id }}\"\n"
                  "            capture: {id: \"regex:id=([0-9]+)\", org: \"header:X-Org\"}\n");
    const scenario_class_t *c = &s->classes[0];
    cr_assert_eq(c->n_vars, 4);
    cr_expect_eq(c->n_var_defs, 2);
    const char *names[] = {"org", "slug", "token", "id"};
    for (size_t i = 0; i < 4; i++)
        cr_expect_str_eq(c->var_names[i], names[i]);
    cr_expect_not_null(c->var_defs[0]);
    cr_expect_not(template_is_constant(c->var_defs[1]));
    cr_expect_not(template_is_constant(c->headers.items[0].tvalue));
    cr_assert_eq(c->n_on_start, 1);
    const scenario_capture_t *tok = &c->on_start[0].captures[0];
    cr_expect_eq(tok->kind, SCENARIO_CAPTURE_JSON);
    cr_expect_str_eq(tok->expr, "$.access_token");
    cr_expect_eq(tok->slot, 2);
    cr_expect_not_null(tok->json);
    const scenario_request_t *r = &c->tasks[0].steps[0];
    cr_assert_eq(r->n_captures, 2);
    cr_expect_eq(r->captures[0].kind, SCENARIO_CAPTURE_REGEX);
    cr_expect_not_null(r->captures[0].regex);
    cr_expect_not_null(r->captures[0].regex_match);
    cr_expect_not_null(r->captures[0].regex_limits);
    cr_expect_eq(r->captures[0].slot, 3);
    cr_expect_eq(r->captures[1].kind, SCENARIO_CAPTURE_HEADER);
    cr_expect_str_eq(r->captures[1].expr, "X-Org");
    cr_expect_eq(r->captures[1].slot, 0); /* a capture may overwrite a var */
    cr_expect_eq(r->captures[0].pos.line, 12);
    cr_expect_not(template_is_constant(r->tpath));
    scenario_destroy(&s);
}

/* Matches a capture's compiled regex on subject (len bytes); PCRE2's return code. */
static int s_regex_match(const scenario_capture_t *c, const char *subject, size_t len) {
    return pcre2_match(c->regex, (PCRE2_SPTR)subject, len, 0, 0, c->regex_match,
                       c->regex_limits);
}

Test(scenario, capture_regex_is_pcre2_with_posix_newline_rules) {
    scenario_t *s = s_load_ok("r.yaml", "users:\n"
                                        "  - name: A\n"
                                        "    tasks:\n"
                                        "      - get: /\n"
                                        "        capture: {a: \"regex:id=(\\\\d+)\", b: 'regex:x.y$',\n"
                                        "                  z: \"regex:a\\0b\"}\n");
    const scenario_request_t *r = &s->classes[0].tasks[0].steps[0];
    cr_assert_eq(r->n_captures, 3);
    /* \d is a digit (in POSIX ERE it was a 'd'). */
    cr_expect_eq(s_regex_match(&r->captures[0], "id=42", 5), 2);
    cr_expect_eq(s_regex_match(&r->captures[0], "id=d", 4), PCRE2_ERROR_NOMATCH);
    /* '.' matches a newline; '$' is only the end of the subject. */
    cr_expect_eq(s_regex_match(&r->captures[1], "x\ny", 3), 1);
    cr_expect_eq(s_regex_match(&r->captures[1], "xzy\n", 4), PCRE2_ERROR_NOMATCH);
    /* A NUL in the YAML string stays in the pattern: it is compiled with its length. */
    cr_expect_eq(s_regex_match(&r->captures[2], "a\0b", 3), 1);
    cr_expect_eq(s_regex_match(&r->captures[2], "ab", 2), PCRE2_ERROR_NOMATCH);
    scenario_destroy(&s);
}

Test(scenario, constant_templates_render_as_written) {
    scenario_t *s = s_load_ok("c.yaml", "defaults: {headers: {X-A: plain}}\n"
                                        "users: [{name: A, tasks: [{get: /a?b=1, body: raw}]}]\n");
    const scenario_request_t *r = &s->classes[0].tasks[0].steps[0];
    cr_expect_str_eq(template_constant(r->tpath), "/a?b=1");
    cr_expect_str_eq(template_constant(r->tbody), "raw");
    cr_expect_str_eq(template_constant(s->default_headers.items[0].tvalue), "plain");
    cr_expect_null(r->content_type);
    cr_expect_eq(r->follow_redirects, -1);
    cr_expect(s->default_follow_redirects);
    scenario_destroy(&s);
}

Test(scenario, form_bodies_encode_names_and_literal_text) {
    scenario_t *s =
        s_load_ok("f.yaml", "users: [{name: A, tasks: [{post: /echo, form: "
                            "{\"user name\": \"a b&c\", id: \"x {{ seq }}&\", n: 3}}]}]\n");
    const scenario_request_t *r = &s->classes[0].tasks[0].steps[0];
    cr_expect_str_eq(r->content_type, "application/x-www-form-urlencoded");
    cr_expect_str_eq(r->body, "user%20name=a%20b%26c&id=x%20{{ seq }}%26&n=3");
    cr_expect_eq(r->body_bytes, strlen(r->body));
    char *out = s_render(r->tbody);
    cr_expect_str_eq(out, "user%20name=a%20b%26c&id=x%201%26&n=3");
    free(out);
    scenario_destroy(&s);
}

Test(scenario, query_values_are_form_encoded_templates) {
    scenario_t *s = s_load_ok("q.yaml", "users: [{name: A, tasks: [{get: /s, query: "
                                        "{q: \"a b&c\", id: \"{{ user_id }}\", empty: }}]}]\n");
    const scenario_request_t *r = &s->classes[0].tasks[0].steps[0];
    cr_assert_eq(r->n_query, 3);
    cr_expect_str_eq(r->query[0].name, "q");
    cr_expect_str_eq(r->query[0].value, "a b&c");
    char *out = s_render(r->query[0].tvalue);
    cr_expect_str_eq(out, "a%20b%26c");
    free(out);
    out = s_render(r->query[1].tvalue);
    cr_expect_str_eq(out, "7");
    free(out);
    cr_expect_str_eq(r->query[2].value, "");
    scenario_destroy(&s);
}

Test(scenario, json_bodies_keep_expressions_as_written) {
    scenario_t *s = s_load_ok("j.yaml", "users: [{name: A, tasks: [{post: /echo, json: "
                                        "{a: \"q\\\"{{ choice(\\\"x y\\\") }}\", n: 1}}]}]\n");
    const scenario_request_t *r = &s->classes[0].tasks[0].steps[0];
    cr_expect_str_eq(r->body, "{\"a\":\"q\\\"{{ choice(\"x y\") }}\",\"n\":1}");
    cr_expect_str_eq(r->content_type, "application/json");
    char *out = s_render(r->tbody);
    cr_expect_str_eq(out, "{\"a\":\"q\\\"x y\",\"n\":1}");
    free(out);
    scenario_destroy(&s);
}

Test(scenario, expects_and_redirects) {
    scenario_t *s =
        s_load_ok("e.yaml", "defaults: {follow_redirects: false}\n"
                            "users: [{name: A, tasks: [{get: /, follow_redirects: true,\n"
                            "  expect: {status: [200, 201], body_contains: ok,\n"
                            "           json: {\"$.a\": 3, \"$.b\": ~, \"$.c\": 'x y'},\n"
                            "           max_duration: 1.5s}}]}]\n");
    cr_expect_not(s->default_follow_redirects);
    const scenario_request_t *r = &s->classes[0].tasks[0].steps[0];
    cr_expect_eq(r->follow_redirects, 1);
    const scenario_expect_t *e = &r->expect;
    cr_assert_eq(e->n_statuses, 2);
    cr_expect_eq(e->statuses[1], 201);
    cr_expect_str_eq(e->body_contains, "ok");
    cr_assert_eq(e->n_json, 3);
    cr_expect_str_eq(e->json[0].path_text, "$.a");
    cr_expect_str_eq(e->json[0].equals, "3");
    cr_expect_str_eq(e->json[1].equals, "null");
    cr_expect_str_eq(e->json[2].equals, "x y");
    cr_expect_not_null(e->json[2].path);
    cr_expect_eq(e->max_duration_ms, 1500);
    scenario_destroy(&s);
}

/* An in-memory file system for scenario_load_with: ctx is a "name\0content\0..." list. */
static char *s_mem_read(void *ctx, const char *name, size_t *len) {
    for (const char *p = ctx; *p; p += strlen(p) + 1) {
        const char *content = p + strlen(p) + 1;
        if (!strcmp(p, name)) {
            *len = strlen(content);
            return strdup(content);
        }
        p = content;
    }
    errno = ENOENT;
    return NULL;
}

static scenario_t *s_load_data(const char *csv, scenario_errors_t *errs) {
    static char fs[4096];
    size_t n = (size_t)snprintf(fs, sizeof fs, "u.csv%c%s", '\0', csv);
    fs[n + 1] = '\0';
    fs[n + 2] = '\0';
    scenario_files_t files = {.read = s_mem_read, .ctx = fs};
    const char *text = "data: {file: u.csv, order: random}\n"
                       "users: [{name: A, tasks: [{get: \"/u/{{ row.email }}\"}]}]\n";
    return scenario_load_with("d.yaml", text, strlen(text), &files, errs);
}

Test(scenario, data_files_are_rfc4180_csv) {
    scenario_errors_t errs = {0};
    scenario_t *s =
        s_load_data("email,\"pass word\"\r\na@x.com,\"p,1\"\r\n\"b\"\"q\",\"two\nlines\"", &errs);
    for (size_t i = 0; i < errs.n; i++)
        cr_log_error("%s", errs.lines[i]);
    cr_assert_not_null(s);
    const scenario_data_t *d = s->data;
    cr_expect_str_eq(d->file, "u.csv");
    cr_expect_eq(d->order, SCENARIO_DATA_RANDOM);
    cr_assert_eq(d->n_columns, 2);
    cr_expect_str_eq(d->columns[1], "pass word");
    cr_assert_eq(d->n_rows, 2);
    cr_expect_str_eq(d->fields[1], "p,1");
    cr_expect_str_eq(d->fields[2], "b\"q");
    cr_expect_str_eq(d->fields[3], "two\nlines");
    cr_expect(template_uses_row(s->classes[0].tasks[0].steps[0].tpath));
    cr_expect_eq(d->pos.line, 1);
    scenario_destroy(&s);
    scenario_errors_fini(&errs);
}

/* Excel's "CSV UTF-8" starts with a byte order mark: it made the first column
 * "\xEF\xBB\xBFemail", and row.email an unknown column. */
Test(scenario, a_byte_order_mark_is_not_part_of_the_first_column) {
    scenario_errors_t errs = {0};
    scenario_t *s = s_load_data("\xEF\xBB\xBF" "email,name\r\na@x,Al\r\n", &errs);
    for (size_t i = 0; i < errs.n; i++)
        cr_log_error("%s", errs.lines[i]);
    cr_assert_not_null(s);
    cr_expect_str_eq(s->data->columns[0], "email");
    cr_expect_str_eq(s->data->fields[0], "a@x");
    scenario_destroy(&s);
    scenario_errors_fini(&errs);
    /* An unknown column far from every name lists them. */
    s = s_load_data("mail_address,name\nx,y\n", &errs);
    cr_expect_null(s);
    cr_assert_eq(errs.n, 1);
    cr_expect_str_eq(errs.lines[0], "d.yaml:2:44: error: unknown column 'email' (the data file's "
                                    "columns: mail_address, name)");
    scenario_errors_fini(&errs);
}

Test(scenario, bad_data_files_name_the_csv_line) {
    const char *cases[][2] = {
        {"", "d.yaml:1:14: error: u.csv:1: the file is empty (expected a header row)"},
        {"a,b\n", "d.yaml:1:14: error: u.csv:1: no rows after the header row"},
        {"a,b\n1,2\n3\n", "d.yaml:1:14: error: u.csv:3: row has 1 field, the header has 2"},
        {"a,b\n1,\"2\n\n", "d.yaml:1:14: error: u.csv:2: quoted field is never closed"},
        {"a,a\n1,2\n", "d.yaml:1:14: error: u.csv:1: column 'a' appears twice in the header"},
        {"a,b\n\"1\"x,2\n",
         "d.yaml:1:14: error: u.csv:2: text after a quoted field (expected , or a line end)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scenario_errors_t errs = {0};
        scenario_t *s = s_load_data(cases[i][0], &errs);
        cr_expect_null(s);
        cr_assert_eq(errs.n, 1, "case %zu", i);
        cr_expect_str_eq(errs.lines[0], cases[i][1]);
        scenario_errors_fini(&errs);
    }
}

Test(scenario, missing_data_file_is_reported_at_its_name) {
    scenario_files_t files = {.read = s_mem_read, .ctx = (void *)"\0"};
    const char *text = "host: http://127.0.0.1:8089\n"
                       "data:\n"
                       "  file:   users.csv\n"
                       "users: [{name: A, tasks: [{get: \"/{{ row.x }}\"}]}]\n";
    scenario_errors_t errs = {0};
    cr_expect_null(scenario_load_with("x.yaml", text, strlen(text), &files, &errs));
    cr_assert_eq(errs.n, 1);
    cr_expect_str_eq(
        errs.lines[0],
        "x.yaml:3:11: error: cannot read data file 'users.csv': No such file or directory");
    scenario_errors_fini(&errs);
}

Test(scenario, data_login_example_reads_its_csv) {
    scenario_t *s = s_load_example("data_login.yaml");
    cr_assert_not_null(s->data);
    cr_expect_eq(s->data->order, SCENARIO_DATA_UNIQUE);
    cr_expect_eq(s->data->n_rows, 50);
    cr_expect_eq(s->data->n_columns, 3);
    cr_expect_str_eq(s->data->fields[0], "user1@example.com");
    scenario_destroy(&s);
}

Test(scenario, template_errors_point_into_quoted_and_block_scalars) {
    char *got = s_load_errors("users:\n"
                              "  - name: A\n"
                              "    tasks:\n"
                              "      - get: \"/a\\u00e9b/{{ nope }}\"\n"
                              "      - post: /x\n"
                              "        body: >\n"
                              "          one\n"
                              "          two {{ nope2 }}\n");
    cr_expect_str_eq(got, "t.yaml:4:28: error: unknown variable 'nope'\n"
                          "t.yaml:8:18: error: unknown variable 'nope2'\n");
    free(got);
}

/* One source of truth: the scenario keeps the bytes it parsed. */
Test(scenario, keeps_the_exact_text_it_parsed) {
    const char *text = "# a comment the model drops\n"
                       "users: [{name: A, tasks: [{get: /}]}]   \n";
    scenario_t *s = s_load_ok("k.yaml", text);
    size_t len = 0;
    const char *kept = scenario_text(s, &len);
    cr_assert_eq(len, strlen(text));
    cr_expect_neq(kept, text, "a copy, not the caller's buffer");
    cr_expect_eq(memcmp(kept, text, len), 0);
    cr_expect_eq(kept[len], '\0');
    cr_expect_eq(scenario_n_files(s), 0);
    scenario_file_t none = scenario_file(s, 0);
    cr_expect_null(none.name, "past the end: an empty entry");
    cr_expect_null(none.data);
    scenario_destroy(&s);
}

Test(scenario, keeps_the_file_and_data_bytes_it_read) {
    char yaml[4096], csv[4096];
    snprintf(yaml, sizeof yaml, "%s/scenarios/examples/data_login.yaml", s_source_dir());
    snprintf(csv, sizeof csv, "%s/scenarios/examples/users.csv", s_source_dir());
    char *want_yaml = s_read(yaml), *want_csv = s_read(csv);
    cr_assert(want_yaml && want_csv);
    scenario_t *s = s_load_example("data_login.yaml");
    size_t len = 0;
    const char *kept = scenario_text(s, &len);
    cr_expect_eq(len, strlen(want_yaml));
    cr_expect_str_eq(kept, want_yaml);
    cr_assert_eq(scenario_n_files(s), 1);
    scenario_file_t f = scenario_file(s, 0);
    cr_expect_str_eq(f.name, s->data->file, "named as written in the scenario");
    cr_expect_eq(f.data_bytes, strlen(want_csv));
    cr_expect_eq(memcmp(f.data, want_csv, f.data_bytes), 0);
    scenario_destroy(&s);
    free(want_yaml);
    free(want_csv);
}

Test(scenario, keeps_the_data_bytes_a_reader_gave) {
    const char *csv = "email,\"pass word\"\r\na@x.com,\"p,1\"\r\n";
    scenario_errors_t errs = {0};
    scenario_t *s = s_load_data(csv, &errs);
    cr_assert_not_null(s);
    cr_assert_eq(scenario_n_files(s), 1);
    scenario_file_t f = scenario_file(s, 0);
    cr_expect_str_eq(f.name, "u.csv");
    cr_assert_eq(f.data_bytes, strlen(csv));
    cr_expect_eq(memcmp(f.data, csv, f.data_bytes), 0, "the CRLFs and quotes as read");
    scenario_destroy(&s);
    scenario_errors_fini(&errs);
}

Test(scenario, sha256_is_of_the_text_it_parsed) {
    scenario_t *s = s_load_ok("h.yaml", "users: [{name: A, tasks: [{get: /}]}]\n");
    char *hex = scenario_sha256_hex(s);
    cr_assert_not_null(hex);
    /* printf 'users: [{name: A, tasks: [{get: /}]}]\n' | sha256sum */
    cr_expect_str_eq(hex, "c3fd13c7bb13a47a7829e2481df184ab1277667fd9da6eeffe0e142fb7817624");
    free(hex);
    scenario_destroy(&s);
}

Test(scenario, thresholds_may_abort_after_a_delay) {
    scenario_t *s = s_load_ok("a.yaml", "host: http://h\n"
                                        "thresholds:\n"
                                        "  - {check: \"failure_rate < 1%\", abort: true, delay: 2s}\n"
                                        "  - {name: /x, check: \"p95 < 300ms over 30s\", abort: true}\n"
                                        "  - p99 < 1s\n"
                                        "users:\n  - name: U\n    tasks:\n      - get: /x\n");
    cr_assert_eq(s->n_thresholds, 3);
    cr_expect(s->thresholds[0].abort);
    cr_expect_eq(s->thresholds[0].delay_ms, 2000);
    cr_expect(s->thresholds[1].abort);
    cr_expect_eq(s->thresholds[1].delay_ms, 0);
    cr_expect_str_eq(s->thresholds[1].text, "p95 < 300ms over 30s");
    cr_expect_not(s->thresholds[2].abort);
    scenario_destroy(&s);
    char *e = s_load_errors("thresholds:\n  - {check: \"p95 < 1s\", delay: 5s}\n"
                            "  - {check: \"p95 < 1s\", abort: maybe}\n");
    cr_expect(strstr(e, "t.yaml:2:32: error: delay applies to a threshold with abort: true"), "%s",
              e);
    cr_expect(strstr(e, "t.yaml:3:32: error: abort must be"), "%s", e);
    free(e);
}

Test(scenario, on_stop_is_a_list_of_requests_run_when_a_user_stops) {
    scenario_t *s = s_load_ok("s.yaml", "host: http://h\n"
                                        "users:\n"
                                        "  - name: U\n"
                                        "    on_stop:\n"
                                        "      - {post: /logout, name: logout}\n"
                                        "      - {get: /bye, capture: {x: \"header:X\"}}\n"
                                        "    tasks: [{get: /}]\n");
    cr_assert_eq(s->classes[0].n_on_stop, 2);
    cr_expect_str_eq(s->classes[0].on_stop[0].name, "logout");
    cr_expect_str_eq(s->classes[0].on_stop[1].method, "GET");
    scenario_destroy(&s);
    char *e = s_load_errors("host: http://h\nusers:\n  - name: U\n    on_stop: {get: /}\n"
                            "    tasks: [{get: /}]\n");
    cr_expect(strstr(e, "t.yaml:4:14: error: on_stop must be a list of requests"), "%s", e);
    free(e);
}
