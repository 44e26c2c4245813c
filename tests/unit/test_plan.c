/* test_plan: a scenario compiled for firing — URLs, merged headers, slots,
 * timeouts and the weighted task pick (worker/plan.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/rng.h"
#include "worker/plan.h"

static const char s_yaml[] =
    "name: plan\n"
    "host: http://example.test:8080/\n"
    "defaults:\n"
    "  timeout: 3s\n"
    "  headers: {Accept: text/plain, X-Level: default, X-Default: d}\n"
    "users:\n"
    "  - name: Reader\n"
    "    weight: 3\n"
    "    headers: {x-level: class, X-Class: reader}\n"
    "    tasks:\n"
    "      - weight: 3\n"
    "        get: /one\n"
    "      - weight: 1\n"
    "        get: /two?x=1\n"
    "        name: second\n"
    "      - weight: 6\n"
    "        get: https://other.test/abs\n"
    "        headers: {X-LEVEL: request, accept: application/json}\n"
    "        timeout: 250ms\n"
    "  - name: Writer\n"
    "    weight: 1\n"
    "    tasks:\n"
    "      - post: /items\n"
    "        json: {a: 1}\n"
    "      - post: /form\n"
    "        json: {b: 2}\n"
    "        headers: {content-type: application/vnd.x+json}\n"
    "      - name: flow\n"
    "        steps:\n"
    "          - get: /one\n"
    "          - put: /raw\n"
    "            body: text\n";

static scenario_t *s_load(const char *text) {
    scenario_errors_t errs = {0};
    scenario_t *sc = scenario_load("plan.yaml", text, strlen(text), &errs);
    for (size_t i = 0; i < errs.n; i++) cr_log_error("%s", errs.lines[i]);
    scenario_errors_fini(&errs);
    cr_assert_not_null(sc, "the test scenario does not load");
    return sc;
}

typedef struct {
    scenario_t *sc;
    wstats_t *ws;
    plan_t *plan;
} fixture_t;

static fixture_t s_build(const char *text, const char *host) {
    fixture_t f = {.sc = s_load(text), .ws = wstats_new()};
    char *err = NULL;
    f.plan = plan_new(f.sc, host, false, f.ws, &err);
    cr_assert_not_null(f.plan, "plan_new: %s", err ? err : "?");
    return f;
}

static void s_free(fixture_t *f) {
    plan_destroy(&f->plan);
    cr_expect_null(f->plan);
    wstats_destroy(&f->ws);
    scenario_destroy(&f->sc);
}

/* Value of header `name` (case-insensitive) in list, or NULL; *count gets how many lines match. */
static const char *s_header(const struct curl_slist *list, const char *name, int *count) {
    const char *found = NULL;
    size_t n = strlen(name);
    int c = 0;
    for (; list; list = list->next) {
        if (strncasecmp(list->data, name, n) == 0 && list->data[n] == ':') {
            c++;
            found = list->data + n + 2;
        }
    }
    if (count) *count = c;
    return found;
}

/* Value of merged header `name` (case-insensitive) in st->headers, or NULL; *count = matches. */
static const char *s_merged(const plan_step_t *st, const char *name, int *count) {
    const char *found = NULL;
    int c = 0;
    for (size_t i = 0; i < st->n_headers; i++) {
        if (strcasecmp(st->headers[i].name, name) == 0) {
            c++;
            found = template_constant(st->headers[i].value);
        }
    }
    if (count) *count = c;
    return found;
}

Test(plan, compiles_classes_tasks_and_steps) {
    fixture_t f = s_build(s_yaml, NULL);
    cr_assert_eq(f.plan->n_classes, 2);
    cr_expect_eq(f.plan->classes[0].cls, &f.sc->classes[0]);
    cr_assert_eq(f.plan->classes[0].n_tasks, 3);
    cr_assert_eq(f.plan->classes[1].n_tasks, 3);
    cr_expect_eq(f.plan->classes[1].tasks[2].n_steps, 2);
    cr_expect_eq(f.plan->classes[0].tasks[1].steps[0].req, &f.sc->classes[0].tasks[1].steps[0]);
    cr_expect_str_eq(f.plan->classes[1].tasks[2].steps[1].req->method, "PUT");
    cr_expect_eq(f.plan->scenario, f.sc);
    cr_expect_eq(f.plan->classes[0].on_start.n_steps, 0, "no on_start in this scenario");
    s_free(&f);
}

Test(plan, urls_join_host_and_path) {
    fixture_t f = s_build(s_yaml, NULL);
    const plan_class_t *c = &f.plan->classes[0];
    /* The scenario's host ends in '/': no double slash. */
    cr_expect_str_eq(c->tasks[0].steps[0].static_url, "http://example.test:8080/one");
    cr_expect_str_eq(c->tasks[1].steps[0].static_url, "http://example.test:8080/two?x=1");
    cr_expect_str_eq(f.plan->host, "http://example.test:8080", "trailing '/' dropped");
    /* Absolute URLs are kept as written. */
    cr_expect_str_eq(c->tasks[2].steps[0].static_url, "https://other.test/abs");
    s_free(&f);
}

Test(plan, host_override_wins_with_or_without_trailing_slash) {
    const char *hosts[] = {"http://127.0.0.1:9", "http://127.0.0.1:9/", "http://127.0.0.1:9//"};
    for (size_t i = 0; i < 3; i++) {
        fixture_t f = s_build(s_yaml, hosts[i]);
        cr_expect_str_eq(f.plan->classes[0].tasks[0].steps[0].static_url, "http://127.0.0.1:9/one",
                         "host %s", hosts[i]);
        cr_expect_str_eq(f.plan->classes[0].tasks[1].steps[0].static_url,
                         "http://127.0.0.1:9/two?x=1", "host %s", hosts[i]);
        cr_expect_str_eq(f.plan->classes[0].tasks[2].steps[0].static_url, "https://other.test/abs");
        cr_expect_str_eq(f.plan->host, "http://127.0.0.1:9");
        s_free(&f);
    }
}

Test(plan, empty_host_override_uses_the_scenarios_host) {
    fixture_t f = s_build(s_yaml, "");
    cr_expect_str_eq(f.plan->classes[0].tasks[0].steps[0].static_url,
                     "http://example.test:8080/one");
    s_free(&f);
}

Test(plan, no_host_anywhere_is_an_error) {
    scenario_t *sc = s_load("users:\n  - name: U\n    tasks:\n      - get: /\n");
    cr_assert_null(sc->host);
    wstats_t *ws = wstats_new();
    char *err = NULL;
    cr_expect_null(plan_new(sc, NULL, false, ws, &err));
    cr_assert_not_null(err);
    cr_expect_not_null(strstr(err, "host"), "%s", err);
    free(err);
    err = NULL;
    cr_expect_null(plan_new(sc, "", false, ws, &err));
    free(err);
    plan_t *p = plan_new(sc, "http://h", false, ws, &err);
    cr_assert_not_null(p);
    cr_expect_str_eq(p->classes[0].tasks[0].steps[0].static_url, "http://h/");
    plan_destroy(&p);
    plan_destroy(&p); /* NULL is fine */
    plan_destroy(NULL);
    wstats_destroy(&ws);
    scenario_destroy(&sc);
}

Test(plan, headers_defaults_then_class_then_request) {
    fixture_t f = s_build(s_yaml, NULL);
    int n;
    /* Task 0: defaults and class only. */
    const plan_step_t *st = &f.plan->classes[0].tasks[0].steps[0];
    cr_expect_not(st->dynamic_headers);
    cr_expect_str_eq(s_merged(st, "X-Level", &n), "class");
    cr_expect_eq(n, 1, "one X-Level, the class's (names match case-insensitively)");
    cr_expect_eq(st->n_headers, 4); /* Accept, X-Level, X-Default, X-Class */
    const struct curl_slist *h = st->static_headers;
    cr_expect_str_eq(s_header(h, "X-Level", &n), "class");
    cr_expect_eq(n, 1);
    cr_expect_str_eq(s_header(h, "Accept", &n), "text/plain");
    cr_expect_str_eq(s_header(h, "X-Default", &n), "d");
    cr_expect_str_eq(s_header(h, "X-Class", &n), "reader");
    cr_expect_null(s_header(h, "Content-Type", &n));
    /* Task 2: the request overrides both levels. */
    st = &f.plan->classes[0].tasks[2].steps[0];
    cr_expect_str_eq(s_merged(st, "x-level", &n), "request");
    h = st->static_headers;
    cr_expect_str_eq(s_header(h, "X-Level", &n), "request");
    cr_expect_eq(n, 1);
    cr_expect_str_eq(s_header(h, "Accept", &n), "application/json");
    cr_expect_eq(n, 1);
    cr_expect_str_eq(s_header(h, "X-Default", &n), "d");
    cr_expect_str_eq(s_header(h, "X-Class", &n), "reader");
    /* Writer has no class headers: defaults only. */
    h = f.plan->classes[1].tasks[2].steps[0].static_headers;
    cr_expect_str_eq(s_header(h, "X-Level", &n), "default");
    cr_expect_null(s_header(h, "X-Class", &n));
    s_free(&f);
}

Test(plan, json_body_gets_content_type_unless_set) {
    fixture_t f = s_build(s_yaml, NULL);
    int n;
    const plan_step_t *st = &f.plan->classes[1].tasks[0].steps[0];
    cr_expect_str_eq(s_header(st->static_headers, "Content-Type", &n), "application/json");
    cr_expect_eq(n, 1);
    cr_expect_not_null(st->static_body);
    cr_expect_str_eq(st->static_body, "{\"a\":1}");
    cr_expect_eq(st->static_body_bytes, strlen("{\"a\":1}"));
    cr_expect_not(st->dynamic_body);
    st = &f.plan->classes[1].tasks[1].steps[0];
    cr_expect_str_eq(s_header(st->static_headers, "Content-Type", &n), "application/vnd.x+json");
    cr_expect_eq(n, 1, "the request's own Content-Type replaces the json default");
    /* A raw body: no Content-Type is invented. */
    st = &f.plan->classes[1].tasks[2].steps[1];
    cr_expect_null(s_header(st->static_headers, "Content-Type", &n));
    cr_expect_eq(st->static_body_bytes, 4);
    cr_expect_eq(memcmp(st->static_body, "text", 4), 0);
    /* No body at all. */
    cr_expect_null(f.plan->classes[0].tasks[0].steps[0].static_body);
    /* Room for every step's headers plus a Content-Type. */
    cr_expect_geq(f.plan->classes[0].max_headers, 5);
    s_free(&f);
}

Test(plan, no_headers_gives_null_list) {
    fixture_t f =
        s_build("host: http://h\nusers:\n  - name: U\n    tasks:\n      - get: /\n", NULL);
    cr_expect_null(f.plan->classes[0].tasks[0].steps[0].static_headers);
    cr_expect_eq(f.plan->classes[0].tasks[0].steps[0].n_headers, 0);
    s_free(&f);
}

Test(plan, query_makes_the_url_dynamic) {
    fixture_t f = s_build("host: http://h\n"
                          "users:\n"
                          "  - name: U\n"
                          "    tasks:\n"
                          "      - get: /search\n"
                          "        query: {q: barrage, page: 2}\n",
                          NULL);
    const plan_step_t *st = &f.plan->classes[0].tasks[0].steps[0];
    cr_expect_eq(st->req->n_query, 2);
    cr_expect_null(st->static_url, "rendered per request, with its query");
    s_free(&f);
}

Test(plan, templated_header_makes_headers_dynamic) {
    fixture_t f = s_build("host: http://h\n"
                          "users:\n"
                          "  - name: U\n"
                          "    vars: {token: abc}\n"
                          "    tasks:\n"
                          "      - get: /private\n"
                          "        headers: {Authorization: \"Bearer {{ token }}\", X-Const: c}\n",
                          NULL);
    const plan_step_t *st = &f.plan->classes[0].tasks[0].steps[0];
    cr_expect(st->dynamic_headers);
    cr_expect_null(st->static_headers, "rendered per request");
    cr_expect_eq(st->n_headers, 2);
    cr_expect_str_eq(s_merged(st, "X-Const", NULL), "c");
    cr_expect_str_eq(st->static_url, "http://h/private", "the URL stays constant");
    s_free(&f);
}

Test(plan, on_start_expects_and_captures_compile_to_reasons) {
    fixture_t f = s_build("host: http://h\n"
                          "users:\n"
                          "  - name: U\n"
                          "    on_start:\n"
                          "      - post: /login\n"
                          "        json: {user: a}\n"
                          "        capture: {token: \"json:$.token\"}\n"
                          "    tasks:\n"
                          "      - get: /private\n"
                          "        headers: {Authorization: \"Bearer {{ token }}\"}\n"
                          "        follow_redirects: false\n"
                          "        expect:\n"
                          "          status: [200, 201, 204]\n"
                          "          body_contains: welcome\n"
                          "          json: {\"$.ok\": true}\n"
                          "          max_duration: 500ms\n",
                          NULL);
    const plan_class_t *c = &f.plan->classes[0];
    cr_assert_eq(c->on_start.n_steps, 1);
    const plan_step_t *login = &c->on_start.steps[0];
    cr_expect_str_eq(login->static_url, "http://h/login");
    cr_expect(login->keep_body, "a json: capture reads the body");
    cr_expect_str_eq(login->why_capture[0], "token from json:$.token: not found");
    cr_expect_null(login->why_status);
    cr_expect_eq(login->slot, wstats_slot(f.ws, "POST", "/login"), "on_start is counted too");
    const plan_step_t *st = &c->tasks[0].steps[0];
    cr_expect_eq(st->follow_redirects, 0);
    cr_expect(st->keep_body);
    cr_expect_str_eq(st->why_status, "status 200, 201 or 204 expected");
    cr_expect_str_eq(st->why_body, "body lacks \"welcome\"");
    cr_expect_str_eq(st->why_json[0], "$.ok is not true");
    cr_expect_str_eq(st->why_duration, "slower than 500 ms");
    s_free(&f);
}

Test(plan, slots_are_registered_per_method_and_name) {
    fixture_t f = s_build(s_yaml, NULL);
    const plan_class_t *r = &f.plan->classes[0], *w = &f.plan->classes[1];
    cr_expect_eq(r->tasks[0].steps[0].slot, wstats_slot(f.ws, "GET", "/one"));
    cr_expect_eq(r->tasks[1].steps[0].slot, wstats_slot(f.ws, "GET", "second"), "name: wins");
    cr_expect_eq(w->tasks[0].steps[0].slot, wstats_slot(f.ws, "POST", "/items"));
    /* The same (method, name) in another class shares the slot. */
    cr_expect_eq(w->tasks[2].steps[0].slot, r->tasks[0].steps[0].slot);
    cr_expect_neq(w->tasks[2].steps[1].slot, r->tasks[0].steps[0].slot);
    s_free(&f);
}

Test(plan, timeouts_and_redirects_come_from_request_or_defaults) {
    fixture_t f = s_build(s_yaml, NULL);
    cr_expect_eq(f.plan->classes[0].tasks[0].steps[0].timeout_ms, 3000);
    cr_expect_eq(f.plan->classes[0].tasks[2].steps[0].timeout_ms, 250);
    cr_expect_eq(f.plan->classes[0].tasks[0].steps[0].follow_redirects, 1, "default: follow");
    s_free(&f);
}

Test(plan, cumulative_weights) {
    fixture_t f = s_build(s_yaml, NULL);
    const plan_class_t *c = &f.plan->classes[0];
    cr_expect_eq(c->cum_weight[0], 3);
    cr_expect_eq(c->cum_weight[1], 4);
    cr_expect_eq(c->cum_weight[2], 10);
    cr_expect_eq(c->total_weight, 10);
    cr_expect_eq(f.plan->classes[1].total_weight, 3, "tasks default to weight 1");
    s_free(&f);
}

Test(plan, pick_boundaries) {
    fixture_t f = s_build(s_yaml, NULL);
    const plan_class_t *c = &f.plan->classes[0];
    cr_expect_eq(plan_pick(c, 0), &c->tasks[0]);
    cr_expect_eq(plan_pick(c, 2), &c->tasks[0]);
    cr_expect_eq(plan_pick(c, 3), &c->tasks[1]);
    cr_expect_eq(plan_pick(c, 4), &c->tasks[2]);
    cr_expect_eq(plan_pick(c, 9), &c->tasks[2]);
    cr_expect_eq(plan_pick(c, 10), &c->tasks[0], "random is taken modulo the total");
    cr_expect_eq(plan_pick(c, UINT64_MAX), &c->tasks[2], "UINT64_MAX %% 10 == 5");
    s_free(&f);
}

Test(plan, pick_skips_zero_weight_tasks) {
    uint64_t cum[] = {0, 5, 5, 6};
    plan_task_t tasks[4];
    plan_class_t c = {.tasks = tasks, .n_tasks = 4, .cum_weight = cum, .total_weight = 6};
    for (uint64_t x = 0; x < 5; x++)
        cr_expect_eq(plan_pick(&c, x), &tasks[1], "x=%llu", (unsigned long long)x);
    cr_expect_eq(plan_pick(&c, 5), &tasks[3]);
    plan_class_t none = {.tasks = tasks, .n_tasks = 1, .cum_weight = cum, .total_weight = 0};
    cr_expect_null(plan_pick(&none, 7), "no task has weight");
}

Test(plan, pick_follows_weights_over_many_draws) {
    enum { DRAWS = 100000 };
    fixture_t f = s_build(s_yaml, NULL);
    const plan_class_t *c = &f.plan->classes[0];
    rng_t r;
    rng_seed(&r, 8);
    int counts[3] = {0};
    for (int i = 0; i < DRAWS; i++) counts[plan_pick(c, rng_next(&r)) - c->tasks]++;
    const double want[3] = {0.3, 0.1, 0.6};
    for (int t = 0; t < 3; t++) {
        double share = (double)counts[t] / DRAWS;
        cr_expect_float_eq(share, want[t], 0.01, "task %d: %.4f", t, share);
    }
    s_free(&f);
}

/* ---- transport: TLS and HTTP version per step ---- */

#define T_CA "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n"
#define T_KEY "-----BEGIN PRIVATE KEY-----\nk\n-----END PRIVATE KEY-----\n"

static char *s_mem_read(void *ctx, const char *name, size_t *len) {
    (void)ctx;
    const char *data = !strcmp(name, "ca.pem")  ? T_CA
                       : !strcmp(name, "c.key") ? T_KEY
                       : !strcmp(name, "c.pem") ? T_CA
                                                : NULL;
    if (!data) return NULL;
    *len = strlen(data);
    return strdup(data);
}

static const char s_tls_yaml[] =
    "host: https://example.test\n"
    "defaults: {tls: {ca: ca.pem, min_version: \"1.3\"}, http: \"2\"}\n"
    "users:\n"
    "  - name: A\n"
    "    tasks:\n"
    "      - {get: /a, name: same}\n"
    "      - {get: /b, name: same2}\n"
    "      - {get: /c, name: mtls, tls: {cert: c.pem, key: c.key, verify: false}}\n"
    "      - {get: /d, name: h2c, http: h2c}\n"
    "      - {get: /e, name: mixed}\n"
    "      - {get: /f, name: mixed, http: \"1.1\"}\n";

static fixture_t s_build_tls(bool no_verify) {
    scenario_errors_t errs = {0};
    scenario_files_t files = {.read = s_mem_read};
    fixture_t f = {.sc =
                       scenario_load_with("t.yaml", s_tls_yaml, strlen(s_tls_yaml), &files, &errs),
                   .ws = wstats_new()};
    for (size_t i = 0; i < errs.n; i++)
        cr_log_error("%s", errs.lines[i]);
    scenario_errors_fini(&errs);
    cr_assert_not_null(f.sc);
    char *err = NULL;
    f.plan = plan_new(f.sc, NULL, no_verify, f.ws, &err);
    cr_assert_not_null(f.plan);
    return f;
}

static const plan_transport_t *s_transport(const fixture_t *f, size_t task) {
    return &f->plan->classes[0].tasks[task].steps[0].transport;
}

Test(plan, transport_follows_the_scenario_key_by_key) {
    fixture_t f = s_build_tls(false);
    const plan_transport_t *a = s_transport(&f, 0), *c = s_transport(&f, 2);
    cr_expect_eq(a->verify, 1);
    cr_expect_eq(a->ca.data, f.sc->default_tls.ca.data, "the scenario's bytes, not a copy");
    cr_expect_eq(a->ca.len, strlen(T_CA));
    cr_expect_eq(a->ca.flags, CURL_BLOB_NOCOPY);
    cr_expect_null(a->cert.data);
    cr_expect_null(a->key.data);
    cr_expect_eq(a->ssl_version, CURL_SSLVERSION_TLSv1_3);
    cr_expect_eq(a->http_version, CURL_HTTP_VERSION_2TLS);
    cr_expect_eq(c->verify, 0);
    cr_expect_eq(c->ca.data, a->ca.data, "ca from the defaults");
    cr_expect_eq(c->cert.len, strlen(T_CA));
    cr_expect_eq(c->key.len, strlen(T_KEY));
    cr_expect_eq(s_transport(&f, 3)->http_version, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
    cr_expect_eq(s_transport(&f, 5)->http_version, CURL_HTTP_VERSION_1_1);
    s_free(&f);
}

Test(plan, equal_transports_compare_equal_so_render_sets_nothing) {
    fixture_t f = s_build_tls(false);
    cr_expect(plan_transport_equal(s_transport(&f, 0), s_transport(&f, 1)));
    cr_expect_not(plan_transport_equal(s_transport(&f, 0), s_transport(&f, 2)), "verify, cert");
    cr_expect_not(plan_transport_equal(s_transport(&f, 0), s_transport(&f, 3)), "http version");
    plan_transport_t t = *s_transport(&f, 0);
    t.ssl_version = CURL_SSLVERSION_DEFAULT;
    cr_expect_not(plan_transport_equal(&t, s_transport(&f, 0)), "min version");
    t = *s_transport(&f, 0);
    t.no_reuse = !t.no_reuse;
    cr_expect_not(plan_transport_equal(&t, s_transport(&f, 0)), "connection reuse");
    s_free(&f);
}

Test(plan, tls_no_verify_turns_verification_off_everywhere) {
    fixture_t f = s_build_tls(true);
    for (size_t t = 0; t < f.plan->classes[0].n_tasks; t++)
        cr_expect_eq(s_transport(&f, t)->verify, 0, "task %zu", t);
    cr_expect_not_null(s_transport(&f, 0)->ca.data, "the rest stays");
    s_free(&f);
}

Test(plan, h2c_reuses_connections_from_libcurl_8) {
    cr_expect_not(plan_h2c_reuse_works(0x075801), "7.88.1 (Debian 12): curl #10634");
    cr_expect_not(plan_h2c_reuse_works(0x07ffff));
    cr_expect(plan_h2c_reuse_works(0x080000));
    cr_expect(plan_h2c_reuse_works(0x080a01));
    scenario_errors_t errs = {0};
    scenario_files_t files = {.read = s_mem_read};
    scenario_t *sc = scenario_load_with("t.yaml", s_tls_yaml, strlen(s_tls_yaml), &files, &errs);
    cr_assert_not_null(sc);
    const scenario_request_t *h2c = &sc->classes[0].tasks[3].steps[0];
    cr_expect(plan_transport(sc, h2c, false, false).no_reuse);
    cr_expect_not(plan_transport(sc, h2c, false, true).no_reuse);
    cr_expect_not(plan_transport(sc, &sc->classes[0].tasks[0].steps[0], false, false).no_reuse,
                  "only h2c");
    scenario_destroy(&sc);
}

Test(plan, asked_versions_travel_as_the_wires) {
    cr_expect_eq(plan_asked(SCENARIO_HTTP_1_1), PROTO_ASKED_1_1);
    cr_expect_eq(plan_asked(SCENARIO_HTTP_2), PROTO_ASKED_2);
    cr_expect_eq(plan_asked(SCENARIO_HTTP_H2C), PROTO_ASKED_H2C);
    cr_expect_eq(plan_asked(SCENARIO_HTTP_UNSET), PROTO_ASKED_NONE);
    /* A slot whose requests ask for different versions says none. */
    fixture_t f = s_build_tls(false);
    proto_stats_t st = {0};
    /* Every slot reports once it has a request. */
    for (size_t t = 0; t < f.plan->classes[0].n_tasks; t++)
        wstats_record(f.ws, f.plan->classes[0].tasks[t].steps[0].slot, 10, 0, NULL);
    wstats_snapshot(f.ws, &st);
    cr_assert_eq(st.n_stats, 5);
    const char *names[] = {"same", "same2", "mtls", "h2c", "mixed"};
    const uint32_t asked[] = {PROTO_ASKED_2, PROTO_ASKED_2, PROTO_ASKED_2, PROTO_ASKED_H2C,
                              PROTO_ASKED_NONE};
    for (size_t i = 0; i < 5; i++) {
        cr_expect_str_eq(st.stats[i].name, names[i]);
        cr_expect_eq(st.stats[i].http_asked, asked[i], "%s", names[i]);
    }
    wstats_snapshot_done(f.ws, &st);
    s_free(&f);
}

/* --- connections:, compression:, proxy:, resolve: -------------------------------------- */

static const char s_transport_yaml[] =
    "host: http://example.test\n"
    "defaults:\n"
    "  compression: true\n"
    "  proxy: http://127.0.0.1:3128\n"
    "  resolve: {\"example.test:80\": 127.0.0.1, \"v6.test:443\": \"::1\"}\n"
    "users:\n"
    "  - name: A\n"
    "    tasks:\n"
    "      - {get: /a}\n"
    "      - {get: /b}\n"
    "      - {get: /c, compression: false}\n"
    "      - {get: /d, compression: [gzip, br], proxy: socks5h://127.0.0.1:1080}\n"
    "      - {get: /e, proxy: socks5h://127.0.0.1:1080}\n";

Test(plan, compression_and_proxy_per_step_as_libcurl_takes_them) {
    fixture_t f = s_build(s_transport_yaml, NULL);
    const plan_transport_t *a = s_transport(&f, 0), *c = s_transport(&f, 2),
                           *d = s_transport(&f, 3), *e = s_transport(&f, 4);
    cr_expect_str_eq(a->accept_encoding, "", "true: every encoding libcurl decodes");
    cr_expect_str_eq(a->proxy, "http://127.0.0.1:3128");
    cr_expect_null(c->accept_encoding, "false: no Accept-Encoding at all");
    cr_expect_str_eq(d->accept_encoding, "gzip, br");
    cr_expect_str_eq(d->proxy, "socks5h://127.0.0.1:1080");
    cr_expect_not(a->no_reuse, "per_user reuses");
    cr_expect(plan_transport_equal(a, s_transport(&f, 1)), "steps alike set nothing");
    cr_expect_not(plan_transport_equal(a, c), "compression on, then off");
    cr_expect_not(plan_transport_equal(c, a), "and back");
    cr_expect_not(plan_transport_equal(a, e), "another proxy");
    cr_expect(plan_transport_equal(d, d));
    plan_transport_t t = *d;
    t.proxy = "socks5h://127.0.0.1:1080"; /* another pointer, the same text */
    t.accept_encoding = "gzip, br";
    cr_expect(plan_transport_equal(&t, d), "strings compare by content");
    s_free(&f);
}

Test(plan, without_keys_no_proxy_no_compression_no_resolve) {
    fixture_t f = s_build("host: http://x.test\nusers: [{name: A, tasks: [{get: /}]}]\n", NULL);
    const plan_transport_t *a = s_transport(&f, 0);
    cr_expect_null(a->accept_encoding);
    cr_expect_null(a->proxy);
    cr_expect_null(f.plan->resolve);
    s_free(&f);
}

Test(plan, resolve_becomes_one_curl_list_for_every_user) {
    fixture_t f = s_build(s_transport_yaml, NULL);
    const struct curl_slist *r = f.plan->resolve;
    cr_assert_not_null(r);
    cr_expect_str_eq(r->data, "example.test:80:127.0.0.1");
    cr_assert_not_null(r->next);
    cr_expect_str_eq(r->next->data, "v6.test:443:[::1]");
    cr_expect_null(r->next->next);
    s_free(&f);
}

Test(plan, the_pool_follows_connections) {
    scenario_connections_t c = {.mode = SCENARIO_CONN_PER_USER};
    plan_pool_t p = plan_pool(&c);
    cr_expect(p.own_pool, "per_user: each user its own pool");
    cr_expect(p.fresh_first, "and its own first connection");
    cr_expect_eq(p.max_host_connections, 0);
    c.mode = SCENARIO_CONN_NEW;
    p = plan_pool(&c);
    cr_expect(p.own_pool);
    cr_expect_not(p.fresh_first, "new: the step's no_reuse does it");
    cr_expect_eq(p.max_host_connections, 0);
    c = (scenario_connections_t){.mode = SCENARIO_CONN_SHARED, .shared = 3, .streams = 50};
    p = plan_pool(&c);
    cr_expect_not(p.own_pool, "shared: the multi's common pool");
    cr_expect_not(p.fresh_first, "a new user takes a pooled connection");
    cr_expect_eq(p.max_host_connections, 3);
    cr_expect_eq(p.max_streams, 50);
}

Test(plan, connections_new_forbids_reuse_on_every_step_and_shared_does_not) {
    fixture_t f = s_build("host: http://x.test\ndefaults: {connections: new}\n"
                          "users: [{name: A, tasks: [{get: /a}, {get: /b, http: \"2\"}]}]\n",
                          NULL);
    cr_expect(s_transport(&f, 0)->no_reuse);
    cr_expect(s_transport(&f, 1)->no_reuse);
    cr_expect(f.plan->pool.own_pool);
    s_free(&f);
    f = s_build("host: http://x.test\ndefaults: {connections: {shared: 2, streams: 8}}\n"
                "users: [{name: A, tasks: [{get: /a, http: \"2\"}]}]\n",
                NULL);
    cr_expect_not(s_transport(&f, 0)->no_reuse);
    cr_expect_not(f.plan->pool.own_pool);
    cr_expect_eq(f.plan->pool.max_host_connections, 2);
    cr_expect_eq(f.plan->pool.max_streams, 8);
    s_free(&f);
}

Test(plan, only_a_shared_pool_gets_a_deadline_past_the_timeout) {
    plan_pool_t own = {.own_pool = true, .fresh_first = true};
    plan_pool_t shared = {.max_host_connections = 2};
    cr_expect_eq(plan_wait_deadline_us(&own, 1000000, 150), 0, "curl times out its own");
    cr_expect_eq(plan_wait_deadline_us(&shared, 1000000, 150),
                 1000000 + (150 + PLAN_WAIT_GRACE_MS) * 1000u);
    cr_expect_eq(plan_wait_deadline_us(&shared, 1000000, 0), 0, "no timeout, no deadline");
}
