/* test_runplan: what a run takes from the scenario file and the command
 * line, made again at each web start (master/runplan.h). */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "master/runplan.h"

static char s_path[64];

static void s_write(const char *yaml) {
    FILE *f = fopen(s_path, "w");
    cr_assert_not_null(f);
    fputs(yaml, f);
    fclose(f);
}

static void s_setup(void) {
    strcpy(s_path, "/tmp/test_runplan_XXXXXX");
    int fd = mkstemp(s_path);
    cr_assert_geq(fd, 0);
    close(fd);
}

static void s_teardown(void) {
    unlink(s_path);
}

static const char *s_yaml(int users) {
    static char buf[512];
    snprintf(buf, sizeof buf,
             "name: shop\n"
             "host: http://127.0.0.1:1\n"
             "load: {users: %d, spawn_rate: 2, duration: 5s}\n"
             "thresholds: ['p95<300ms']\n"
             "users:\n"
             "  - name: Reader\n"
             "    tasks:\n"
             "      - {get: /}\n",
             users);
    return buf;
}

static void s_cli(cli_opts_t *o, bool web) {
    char *argv[] = {"barrage", "run", s_path, "--threshold", "failure_rate<1%", web ? "--web" : NULL,
                    NULL};
    cr_assert_eq(cli_parse(web ? 6 : 5, argv, o), 0);
}

Test(runplan, loads_the_scenario_its_load_and_thresholds, .init = s_setup, .fini = s_teardown) {
    s_write(s_yaml(6));
    cli_opts_t o;
    s_cli(&o, false);
    runplan_t *p = runplan_load(&o, 2, stderr);
    cr_assert_not_null(p);
    cr_expect_str_eq(p->scenario->name, "shop");
    cr_expect_eq(p->n_checks, 2, "the scenario's, then the command line's");
    cr_expect_eq(strlen(p->sha256), 64);
    conduct_opts_t co = {0};
    runplan_apply(p, &o, &co);
    cr_expect_eq(co.users, 6);
    cr_expect_float_eq(co.spawn_rate, 2.0, 1e-12);
    cr_expect_eq(co.duration_ms, 5000);
    cr_expect_eq(co.scenario, p->scenario);
    cr_expect_str_eq(co.scenario_name, s_path);
    cr_expect_eq(co.scenario_sha256, p->sha256);
    cr_expect(strstr(co.scenario_text, "name: shop") == co.scenario_text);
    cr_expect_null(co.host, "no -H");
    runplan_destroy(&p);
    cr_expect_null(p);
    runplan_destroy(&p);
}

Test(runplan, a_reload_picks_up_an_edited_scenario, .init = s_setup, .fini = s_teardown) {
    s_write(s_yaml(6));
    cli_opts_t o;
    s_cli(&o, true);
    runplan_t *a = runplan_load(&o, 1, stderr);
    cr_assert_not_null(a);
    s_write(s_yaml(9));
    runplan_t *b = runplan_load(&o, 1, stderr);
    cr_assert_not_null(b);
    cr_expect_eq(b->load.users, 9);
    cr_expect_eq(a->load.users, 6, "the plan in use is untouched");
    cr_expect_str_neq(a->sha256, b->sha256);
    runplan_destroy(&a);
    runplan_destroy(&b);
}

Test(runplan, a_scenario_that_no_longer_loads_says_where, .init = s_setup, .fini = s_teardown) {
    cr_redirect_stderr();
    s_write("name: shop\nhost: http://127.0.0.1:1\nload: {users: 2, duration: 1s}\nusers: 5\n");
    cli_opts_t o;
    s_cli(&o, false);
    cr_expect_null(runplan_load(&o, 1, stderr));
    fflush(stderr);
    char want[128];
    snprintf(want, sizeof want, "%s:4:", s_path);
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, cr_get_redirected_stderr());
    text[n] = '\0';
    cr_expect_not_null(strstr(text, want), "file:line:column: %s", text);
    cr_expect_not_null(strstr(text, "error:"), "%s", text);
}

Test(runplan, errors_go_where_they_are_sent, .init = s_setup, .fini = s_teardown) {
    s_write("name: shop\nhost: http://127.0.0.1:1\nload: {users: 2, duration: 1s}\nusers: 5\n");
    cli_opts_t o;
    s_cli(&o, false);
    char *text = NULL;
    size_t len = 0;
    FILE *err = open_memstream(&text, &len);
    cr_assert_not_null(err);
    cr_expect_null(runplan_load(&o, 1, err));
    cr_assert_eq(fclose(err), 0);
    char want[128];
    snprintf(want, sizeof want, "%s:4:", s_path);
    cr_expect_not_null(strstr(text, want), "the scenario's error with its place: %s", text);
    free(text);
}

static const char *s_two_classes(const char *load) {
    static char buf[512];
    snprintf(buf, sizeof buf,
             "name: shop\n"
             "host: http://127.0.0.1:1\n"
             "load: %s\n"
             "users:\n"
             "  - name: Reader\n"
             "    weight: 3\n"
             "    tasks:\n"
             "      - {get: /}\n"
             "  - name: Writer\n"
             "    tasks:\n"
             "      - {post: /w}\n",
             load);
    return buf;
}

Test(runplan, picking_classes_zeroes_the_others_weights, .init = s_setup, .fini = s_teardown) {
    s_write(s_two_classes("{users: 4, duration: 5s}"));
    cli_opts_t o;
    s_cli(&o, true);
    runplan_t *p = runplan_load(&o, 1, stderr);
    cr_assert_not_null(p);
    char *why = NULL;
    cr_assert_eq(runplan_pick_classes(p, NULL, 0, &why), 0, "none named: all take part");
    cr_expect_eq(p->scenario->classes[0].weight, 3);
    const char *both[] = {"Writer", "Reader"};
    cr_assert_eq(runplan_pick_classes(p, both, 2, &why), 0);
    cr_expect_eq(p->scenario->classes[1].weight, 1);
    const char *bad[] = {"Writer", "Admin"};
    cr_assert_eq(runplan_pick_classes(p, bad, 2, &why), -1);
    cr_expect_not_null(strstr(why, "unknown user class 'Admin'"), "%s", why);
    cr_expect_not_null(strstr(why, "'Reader', 'Writer'"), "names what it has: %s", why);
    free(why);
    cr_expect_eq(p->scenario->classes[0].weight, 3, "a refused pick changes nothing");
    const char *one[] = {"Writer"};
    cr_assert_eq(runplan_pick_classes(p, one, 1, &why), 0);
    cr_expect_eq(p->scenario->classes[0].weight, 0);
    cr_expect_eq(p->scenario->classes[1].weight, 1);
    runplan_destroy(&p);
}

Test(runplan, the_open_model_takes_every_class, .init = s_setup, .fini = s_teardown) {
    s_write(s_two_classes("{rate: 5, duration: 5s}"));
    cli_opts_t o;
    s_cli(&o, true);
    runplan_t *p = runplan_load(&o, 1, stderr);
    cr_assert_not_null(p);
    char *why = NULL;
    const char *one[] = {"Writer"};
    cr_assert_eq(runplan_pick_classes(p, one, 1, &why), -1);
    cr_expect_not_null(strstr(why, "closed model only"), "%s", why);
    free(why);
    const char *both[] = {"Reader", "Writer"};
    cr_assert_eq(runplan_pick_classes(p, both, 2, &why), 0, "all of them is every class");
    runplan_destroy(&p);
}

/* Thresholds are checked before a run (and by validate, with out NULL): one
 * that does not parse, or names a stats name no request has, is refused with
 * its place, instead of failing as "no requests" after the run. */
Test(runplan, thresholds_that_do_not_parse_or_name_no_request_are_refused, .init = s_setup,
     .fini = s_teardown) {
    s_write("name: shop\nhost: http://127.0.0.1:1\nload: {users: 2, duration: 1s}\n"
            "thresholds:\n"
            "  - {name: /cart, check: 'p95 < 1s'}\n"
            "  - {name: /crat, check: 'p95 < 1s'}\n"
            "  - 'p95 <'\n"
            "users:\n"
            "  - name: Reader\n"
            "    on_start: [{post: /login, name: login}]\n"
            "    tasks:\n"
            "      - {get: /cart}\n"
            "      - {name: flow, steps: [{get: /a, name: step-a}, {get: /b}]}\n");
    char *argv[] = {"barrage", "run", s_path, "--threshold", "/nope:p99<1s", "--threshold",
                    "step-a:p99<1s", NULL};
    cli_opts_t o;
    cr_assert_eq(cli_parse(7, argv, &o), 0);
    scenario_t *sc = runplan_load_scenario(s_path, stderr);
    cr_assert_not_null(sc);
    char *text = NULL;
    size_t len = 0;
    FILE *err = open_memstream(&text, &len);
    cr_assert_not_null(err);
    thresholds_check_t *checks = (thresholds_check_t *)1;
    size_t n = 99;
    cr_expect_eq(runplan_parse_checks(sc, &o, &checks, &n, err), -1);
    cr_assert_eq(fclose(err), 0);
    cr_expect_null(checks);
    cr_expect_eq(n, 0);
    char want[256];
    snprintf(want, sizeof want,
             "%s:6:5: error: threshold 'p95 < 1s': no request is named '/crat' (the names are "
             "'login', '/cart', 'step-a', '/b')\n",
             s_path);
    cr_expect_not_null(strstr(text, want), "%s", text);
    snprintf(want, sizeof want, "%s:7:5: error: threshold 'p95 <': expected a value", s_path);
    cr_expect_not_null(strstr(text, want), "%s", text);
    cr_expect_not_null(strstr(text, "barrage: error: --threshold '/nope:p99<1s': no request is "
                                    "named '/nope'"),
                       "%s", text);
    cr_expect_null(strstr(text, "named '/cart'"), "/cart exists: %s", text);
    cr_expect_null(strstr(text, "named 'step-a'"), "a step's name is a stats name: %s", text);
    free(text);
    /* The good ones parse. */
    char *good[] = {"barrage", "run", s_path, "--threshold", "step-a:p99<1s", NULL};
    cr_assert_eq(cli_parse(5, good, &o), 0);
    scenario_destroy(&sc);
    s_write("name: shop\nhost: http://127.0.0.1:1\n"
            "thresholds: [{name: /cart, check: 'p95 < 1s'}, 'rps > 1']\n"
            "users:\n  - name: R\n    tasks:\n      - {get: /cart}\n"
            "      - {get: /a, name: step-a}\n");
    sc = runplan_load_scenario(s_path, stderr);
    cr_assert_not_null(sc);
    cr_expect_eq(runplan_parse_checks(sc, &o, &checks, &n, stderr), 0);
    cr_expect_eq(n, 3);
    for (size_t i = 0; i < n; i++) thresholds_check_fini(&checks[i]);
    free(checks);
    cr_expect_eq(runplan_parse_checks(sc, &o, NULL, NULL, stderr), 0, "validate's use");
    scenario_destroy(&sc);
}
