/* test_describe: the plan `barrage validate` prints for the examples. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "master/cli.h"
#include "master/describe.h"
#include "master/loadplan.h"

static scenario_t *s_example(const char *name) {
    const char *dir = getenv("BARRAGE_SOURCE_DIR");
    cr_assert_not_null(dir, "BARRAGE_SOURCE_DIR is not set (run through ctest)");
    char path[4096];
    snprintf(path, sizeof path, "%s/scenarios/examples/%s", dir, name);
    scenario_errors_t errs = {0};
    scenario_t *s = scenario_load_file(path, &errs);
    for (size_t i = 0; i < errs.n; i++)
        cr_log_error("%s", errs.lines[i]);
    cr_assert_not_null(s, "%s did not load", path);
    scenario_errors_fini(&errs);
    return s;
}

/* Renders the plan of example name for users into a new string (caller frees). */
static char *s_describe(const char *name, uint32_t users) {
    scenario_t *s = s_example(name);
    char *text = NULL;
    size_t text_bytes = 0;
    FILE *out = open_memstream(&text, &text_bytes);
    describe_scenario(out, s, users);
    fclose(out);
    scenario_destroy(&s);
    return text;
}

static void s_has(const char *text, const char *line) {
    cr_expect_not_null(strstr(text, line), "missing \"%s\" in:\n%s", line, text);
}

Test(describe, saas_splits_classes_by_weight) {
    char *t = s_describe("saas.yaml", 20);
    s_has(t, "scenario:  saas-dashboard");
    s_has(t, "host:      http://127.0.0.1:8089\n");
    s_has(t, "load:      closed model, 20 users, 10 started/s, for 30s\n");
    s_has(t, "\nclass Member  weight 8  -> 16 of 20 users\n");
    s_has(t, "\nclass Admin  weight 2  -> 4 of 20 users\n");
    s_has(t, "  think:   between 200ms and 1s after each task\n");
    s_has(t, "  variables: org_id (vars), email (vars), token (capture)\n");
    s_has(t, "  on_start (once per user):\n    POST /login  (/login)\n");
    s_has(t, "        capture token <- json:$.access_token\n");
    s_has(t, "        expect status 200\n");
    s_has(t, "        expect $.token_type == bearer\n");
    /* Member's tasks weigh 5, 3 and 1 of 9. */
    s_has(t, "     55.6%  GET /private  (/private)\n");
    s_has(t, "     33.3%  GET /json?org={{ org_id }}&project={{ randint(1, 10) }}  "
             "(/orgs/{id}/projects)\n");
    s_has(t, "     11.1%  PATCH /echo  (/tasks/{id})\n");
    /* Admin's tasks weigh 2 and 1. */
    s_has(t, "     66.7%  GET /private  (/private)\n");
    s_has(t, "thresholds: p95 < 300ms\n");
    free(t);
}

Test(describe, tour_uses_the_scenario_users_by_default) {
    char *t = s_describe("tour.yaml", 0);
    s_has(t, "load:      closed model, 10 users, 2.5 started/s, for 1m30s\n");
    s_has(t, "defaults:  timeout 2s, redirects followed\n");
    s_has(t, "\nclass Member  weight 3  -> 8 of 10 users\n");
    s_has(t, "\nclass Prober  weight 1  -> 2 of 10 users\n");
    s_has(t, "  think:   pacing: a task every 3s\n");
    s_has(t, "     66.7%  GET /json?bytes=2048  (/json)\n");
    s_has(t, "     16.7%  login-then-private: 2 steps in order\n");
    s_has(t, "              1. POST /login  (/login)\n");
    s_has(t, "            p99 < 1s  (for /delay)\n");
    free(t);
}

Test(describe, tour_with_20_users) {
    char *t = s_describe("tour.yaml", 20);
    s_has(t, "\nclass Member  weight 3  -> 15 of 20 users\n");
    s_has(t, "\nclass Prober  weight 1  -> 5 of 20 users\n");
    free(t);
}

Test(describe, data_file_and_steps_with_expects) {
    char *t = s_describe("data_login.yaml", 0);
    s_has(t, "data:      users.csv: 50 rows, order unique, columns email, password, name\n");
    s_has(t, "  variables: token (capture)\n");
    free(t);
    t = s_describe("checkout.yaml", 0);
    s_has(t, "checkout-flow: 4 steps in order\n");
    s_has(t, "expect status 200 or 201\n");
    s_has(t, "expect body contains \"order_id\"\n");
    s_has(t, "expect $.paid == true\n");
    s_has(t, "expect faster than 500ms\n");
    s_has(t, "body application/x-www-form-urlencoded");
    free(t);
}

Test(describe, open_model_shows_rate) {
    char *t = s_describe("open_model.yaml", 0);
    s_has(t, "load:      open model, 200 iterations/s, at most 50 at once, for 30s\n");
    s_has(t, "\nclass Api  weight 1\n");
    free(t);
}

Test(describe, ramp_lists_its_stages) {
    char *t = s_describe("ramp.yaml", 0);
    s_has(t, "load:      open model, 10 iterations/s at the start, then 4 stages, at most 400 at "
             "once\n");
    s_has(t, "           stage 1: to 100 iterations/s over 30s\n");
    s_has(t, "           stage 4: to 0 iterations/s over 30s\n");
    free(t);
}

static char *s_mem_read(void *ctx, const char *name, size_t *len) {
    (void)ctx;
    static const char pem[] = "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n";
    (void)name;
    *len = strlen(pem);
    return strdup(pem);
}

Test(describe, tls_and_http_are_shown_where_they_are_set) {
    const char *yaml = "host: https://h.test\n"
                       "defaults: {tls: {ca: ca.pem, min_version: \"1.3\"}, http: \"2\"}\n"
                       "users:\n"
                       "  - name: A\n"
                       "    tasks:\n"
                       "      - {get: /a, tls: {verify: false, cert: c.pem, key: c.key}, http: h2c}\n"
                       "      - get: /b\n";
    scenario_errors_t errs = {0};
    scenario_files_t files = {.read = s_mem_read};
    scenario_t *s = scenario_load_with("t.yaml", yaml, strlen(yaml), &files, &errs);
    cr_assert_not_null(s);
    char *text = NULL;
    size_t text_bytes = 0;
    FILE *out = open_memstream(&text, &text_bytes);
    describe_scenario(out, s, 1);
    fclose(out);
    s_has(text, "\n           tls ca ca.pem, TLS >= 1.3\n           http 2\n");
    s_has(text, "(/a)\n              tls verify off, client cert c.pem, key c.key\n"
                "              http h2c\n");
    s_has(text, "GET /b  (/b)\n");
    cr_expect_null(strstr(strstr(text, "GET /b"), "tls"), "nothing of its own");
    free(text);
    scenario_destroy(&s);
}

Test(describe, connections_compression_proxy_and_resolve_are_shown_where_they_are_set) {
    const char *yaml = "host: http://h.test\n"
                       "defaults:\n"
                       "  connections: {shared: 2, streams: 10}\n"
                       "  compression: true\n"
                       "  resolve: {\"h.test:80\": 127.0.0.1}\n"
                       "users:\n"
                       "  - name: A\n"
                       "    tasks:\n"
                       "      - {get: /a, compression: [gzip], proxy: \"http://127.0.0.1:3128\"}\n"
                       "      - {get: /b, compression: false}\n"
                       "      - get: /c\n";
    scenario_errors_t errs = {0};
    scenario_t *s = scenario_load("t.yaml", yaml, strlen(yaml), &errs);
    cr_assert_not_null(s);
    char *text = NULL;
    size_t text_bytes = 0;
    FILE *out = open_memstream(&text, &text_bytes);
    describe_scenario(out, s, 1);
    fclose(out);
    s_has(text, "\n           compression all libcurl has\n"
                "           connections shared: at most 2 per host per worker, 10 HTTP/2 streams "
                "each\n"
                "           resolve h.test:80:127.0.0.1\n");
    s_has(text,
          "(/a)\n              compression gzip\n              proxy http://127.0.0.1:3128\n");
    s_has(text, "(/b)\n              compression off\n");
    cr_expect_null(strstr(strstr(text, "GET /c"), "compression"), "nothing of its own");
    free(text);
    scenario_destroy(&s);
}

/* The plan with the command line's flags (validate --rate ...): the load the
 * run would follow, not the scenario's (it said "closed model, 20 users"
 * under --rate 50). */
static char *s_describe_flags(const char *name, const char *const *words) {
    scenario_t *s = s_example(name);
    char *argv[16] = {"barrage", "validate", "x.yaml"};
    int argc = 3;
    for (; words[argc - 3]; argc++) argv[argc] = (char *)words[argc - 3];
    cli_opts_t o;
    cr_assert_eq(cli_parse(argc, argv, &o), 0);
    loadplan_t lp;
    cr_assert_eq(loadplan_check(&o, s, 1, &lp, stderr), 0);
    char *text = NULL;
    size_t text_bytes = 0;
    FILE *out = open_memstream(&text, &text_bytes);
    describe_scenario_resolved(out, s, &lp, o.host);
    fclose(out);
    loadplan_fini(&lp);
    scenario_destroy(&s);
    return text;
}

Test(describe, the_command_lines_flags_change_the_plan) {
    char *t = s_describe_flags("quickstart.yaml", (const char *const[]){"--rate", "50",
                                                                        "-t", "5s", NULL});
    s_has(t, "load:      open model, 50 iterations/s, at most 100 at once, for 5s (with the "
             "command line's flags)\n");
    s_has(t, "\nclass Visitor  weight 1\n");
    s_has(t, "  think:   between 100ms and 500ms after each task (not applied: in the open model "
             "the schedule starts iterations)\n");
    free(t);
    t = s_describe_flags("saas.yaml", (const char *const[]){"-u", "10", "-H",
                                                            "http://127.0.0.1:9", NULL});
    s_has(t, "host:      http://127.0.0.1:9\n");
    s_has(t, "load:      closed model, 10 users, 10 started/s, for 30s (with the command line's "
             "flags)\n");
    s_has(t, "\nclass Member  weight 8  -> 8 of 10 users\n");
    free(t);
    t = s_describe_flags("open_model.yaml", (const char *const[]){"-u", "5", NULL});
    s_has(t, "load:      closed model, 5 users, for 30s");
    s_has(t, "\nclass Api  weight 1  -> 5 of 5 users\n");
    free(t);
    t = s_describe_flags("quickstart.yaml", (const char *const[]){"--stages", "10s:5,5s:0", NULL});
    s_has(t, "load:      closed model, 20 users at the peak, stages 0s:20,10s:5,5s:0, for 15s");
    free(t);
}
