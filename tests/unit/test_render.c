/* test_render: a plan step rendered into a user's reused buffers — URL with the
 * query percent-encoded by the one rule (scenarios/encode.h), headers, bodies
 * (worker/render.h). */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <string.h>

#include "common/rng.h"
#include "worker/plan.h"
#include "worker/render.h"

typedef struct {
    scenario_t *sc;
    wstats_t *ws;
    plan_t *plan;
    vuser_t u;
    rng_t rng;
} fixture_t;

static void s_build(fixture_t *f, const char *yaml) {
    scenario_errors_t errs = {0};
    f->sc = scenario_load("render.yaml", yaml, strlen(yaml), &errs);
    for (size_t i = 0; i < errs.n; i++)
        cr_log_error("%s", errs.lines[i]);
    scenario_errors_fini(&errs);
    cr_assert_not_null(f->sc, "the test scenario does not load");
    f->ws = wstats_new();
    char *err = NULL;
    f->plan = plan_new(f->sc, NULL, false, f->ws, &err);
    cr_assert_not_null(f->plan, "plan_new: %s", err ? err : "?");
    f->u =
        (vuser_t){.cls = &f->plan->classes[0], .host = f->plan->host, .user_id = 7, .worker_id = 1};
    f->u.easy = curl_easy_init();
    cr_assert_not_null(f->u.easy, "curl_easy_init");
    rng_seed(&f->rng, 1);
    render_user_init(&f->u);
    render_vars(&f->u, &f->rng);
}

static void s_free(fixture_t *f) {
    render_user_fini(&f->u);
    curl_easy_cleanup(f->u.easy);
    plan_destroy(&f->plan);
    wstats_destroy(&f->ws);
    scenario_destroy(&f->sc);
}

static const plan_step_t *s_step(const fixture_t *f, size_t task) {
    return &f->plan->classes[0].tasks[task].steps[0];
}

static const char s_yaml[] = "host: http://h.test/\n"
                             "users:\n"
                             "  - name: A\n"
                             "    vars: {who: \"a b\", quote: 'say \"hi\"'}\n"
                             "    tasks:\n"
                             "      - get: \"/s?x=1\"\n"
                             "        query: {\"q name\": \"{{ who }}~*\", id: \"{{ user_id }}\"}\n"
                             "      - post: /j\n"
                             "        json: {u: \"{{ quote }}\", n: 1}\n"
                             "        headers: {X-User: \"u{{ user_id }}\", X-Plain: p}\n";

Test(render, query_names_and_values_are_percent_encoded) {
    fixture_t f;
    s_build(&f, s_yaml);
    render_step(&f.u, s_step(&f, 0), &f.rng);
    /* Name encoded here, literal "~*" at load, the variable's "a b" by the template. */
    cr_expect_str_eq(strbuf_str(&f.u.url), "http://h.test/s?x=1&q%20name=a%20b~%2A&id=7");
    s_free(&f);
}

/* A value with a space in a path was sent as is, and curl refused every such
 * request ("URL using bad/illegal format"); requests (Locust) quotes it. */
Test(render, a_path_holds_what_a_url_cannot_percent_encoded) {
    fixture_t f;
    s_build(&f, "host: http://h.test\n"
                "users:\n"
                "  - name: A\n"
                "    vars: {name: \"Bo 1\", next: \"/items?page=2&k=%41\", odd: '50% \"<x>\"'}\n"
                "    tasks:\n"
                "      - get: \"/u/{{ name }}/a b{{ next }}/{{ odd }}\"\n"
                "      - get: \"/plain/{{ user_id }}\"\n");
    render_step(&f.u, s_step(&f, 0), &f.rng);
    cr_expect_str_eq(strbuf_str(&f.u.url),
                     "http://h.test/u/Bo%201/a%20b/items?page=2&k=%41/50%25%20%22%3Cx%3E%22");
    render_step(&f.u, s_step(&f, 1), &f.rng);
    cr_expect_str_eq(strbuf_str(&f.u.url), "http://h.test/plain/7");
    s_free(&f);
}

/* A GET with a body went out as POST: curl's POSTFIELDS makes a POST unless told. */
Test(render, the_method_is_kept_whatever_the_body) {
    cr_expect_null(render_custom_method("GET", false));
    cr_expect_str_eq(render_custom_method("GET", true), "GET");
    cr_expect_null(render_custom_method("POST", true));
    cr_expect_null(render_custom_method("POST", false));
    cr_expect_null(render_custom_method("HEAD", false));
    cr_expect_str_eq(render_custom_method("DELETE", true), "DELETE");
    cr_expect_str_eq(render_custom_method("DELETE", false), "DELETE");
    cr_expect_str_eq(render_custom_method("OPTIONS", false), "OPTIONS");
    cr_expect_str_eq(render_custom_method("PATCH", true), "PATCH");
    cr_expect_str_eq(render_custom_method("PUT", true), "PUT");
}

Test(render, headers_and_json_bodies_render_per_user) {
    fixture_t f;
    s_build(&f, s_yaml);
    const plan_step_t *st = s_step(&f, 1);
    cr_assert(st->dynamic_body && st->dynamic_headers);
    render_step(&f.u, st, &f.rng);
    cr_expect_str_eq(strbuf_str(&f.u.body), "{\"u\":\"say \\\"hi\\\"\",\"n\":1}");
    /* header_text holds NUL-separated lines; the list nodes point at them. */
    const struct curl_slist *h = f.u.header_nodes;
    cr_assert_not_null(h);
    bool user = false, type = false;
    for (; h; h = h->next) {
        user |= strcmp(h->data, "X-User: u7") == 0;
        type |= strcmp(h->data, "Content-Type: application/json") == 0;
    }
    cr_expect(user, "the templated header is rendered");
    cr_expect(type, "json: adds its Content-Type");
    s_free(&f);
}

Test(render, set_var_changes_what_renders_and_buffers_are_reused) {
    fixture_t f;
    s_build(&f, s_yaml);
    render_set_var(&f.u, 0, "x&y", 3);
    render_step(&f.u, s_step(&f, 0), &f.rng);
    cr_expect_str_eq(strbuf_str(&f.u.url), "http://h.test/s?x=1&q%20name=x%26y~%2A&id=7");
    const char *data = f.u.url.data;
    size_t cap = f.u.url.cap;
    for (int i = 0; i < 100; i++)
        render_step(&f.u, s_step(&f, 0), &f.rng);
    cr_expect_eq(f.u.url.data, data, "the URL buffer is reused, not reallocated");
    cr_expect_eq(f.u.url.cap, cap);
    render_set_var(&f.u, 99, "ignored", 7); /* a slot past the class's: no effect */
    s_free(&f);
}

Test(render, a_refused_option_is_returned_and_the_step_stays_unconfigured) {
    fixture_t f;
    s_build(&f, "host: http://h.test/\n"
                "users:\n"
                "  - name: A\n"
                "    tasks:\n"
                "      - post: /p\n"
                "        body: fixed\n");
    const plan_step_t *st = s_step(&f, 0);
    cr_assert(!st->dynamic_body && st->static_body);
    /* curl refuses a body size below -1 (CURLE_BAD_FUNCTION_ARGUMENT): the error
     * comes back, and the step's options are set again next time instead of
     * being taken as set. */
    plan_step_t bad = *st;
    bad.static_body_bytes = (size_t)-2;
    cr_expect_eq(render_step(&f.u, &bad, &f.rng), CURLE_BAD_FUNCTION_ARGUMENT);
    cr_expect_null(f.u.configured);
    cr_expect_eq(render_step(&f.u, st, &f.rng), CURLE_OK);
    cr_expect_eq(f.u.configured, st);
    s_free(&f);
}

/* TLS and HTTP version options are set when they change, not at every step. */
Test(render, transport_options_are_set_only_when_they_change) {
    fixture_t f = {0};
    s_build(&f, "host: https://h.test\n"
                "defaults: {http: \"2\"}\n"
                "users:\n"
                "  - name: A\n"
                "    tasks:\n"
                "      - get: /a\n"
                "      - get: /b\n"
                "      - {get: /c, http: h2c, tls: {verify: false}}\n");
    cr_expect_null(f.u.transport, "nothing set yet");
    cr_assert_eq(render_step(&f.u, s_step(&f, 0), &f.rng), CURLE_OK);
    cr_expect_eq(f.u.transport, &s_step(&f, 0)->transport);
    cr_assert_eq(render_step(&f.u, s_step(&f, 1), &f.rng), CURLE_OK);
    cr_expect_eq(f.u.transport, &s_step(&f, 0)->transport, "the same options: kept");
    cr_assert_eq(render_step(&f.u, s_step(&f, 2), &f.rng), CURLE_OK);
    cr_expect_eq(f.u.transport, &s_step(&f, 2)->transport);
    cr_assert_eq(render_step(&f.u, s_step(&f, 0), &f.rng), CURLE_OK);
    cr_expect_eq(f.u.transport, &s_step(&f, 0)->transport, "and back");
    cr_expect_eq(f.u.curl_error[0], '\0', "each request starts without a message");
    s_free(&f);
}
