/* test_loadplan: the run's load from load: and the command line — model, ramp,
 * cap, run time (master/loadplan.h), with load.stages and --stages parsing. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <string.h>

#include "master/cli.h"
#include "master/loadplan.h"
#include "scenarios/scenario.h"

#define S 1000000ull

static scenario_t *s_scenario(const char *load) {
    char text[1024];
    snprintf(
        text, sizeof text,
        "host: http://127.0.0.1:1\nload: %s\nusers:\n  - name: U\n    tasks:\n      - get: /\n",
        load);
    scenario_errors_t errs = {0};
    scenario_t *sc = scenario_load("t.yaml", text, strlen(text), &errs);
    for (size_t i = 0; i < errs.n; i++)
        fprintf(stderr, "%s\n", errs.lines[i]);
    scenario_errors_fini(&errs);
    cr_assert_not_null(sc, "scenario with load %s", load);
    return sc;
}

/* cli_parse of "run t.yaml" plus words. */
static void s_cli(cli_opts_t *o, const char *const *words) {
    char *argv[16] = {"barrage", "run", "t.yaml"};
    int argc = 3;
    for (; words && words[argc - 3]; argc++)
        argv[argc] = (char *)words[argc - 3];
    cr_assert_eq(cli_parse(argc, argv, o), 0);
}

static int s_resolve(const char *load, const char *const *words, uint32_t workers, loadplan_t *lp) {
    scenario_t *sc = s_scenario(load);
    cli_opts_t o;
    s_cli(&o, words);
    int rc = loadplan_resolve(&o, sc, workers, lp, stderr);
    scenario_destroy(&sc);
    return rc;
}

Test(loadplan, closed_model_by_default) {
    loadplan_t lp;
    cr_assert_eq(s_resolve("{users: 5, spawn_rate: 2, duration: 10s}", NULL, 2, &lp), 0);
    cr_expect(!lp.open);
    cr_expect_eq(lp.users, 5);
    cr_expect_float_eq(lp.spawn_rate, 2, 1e-9);
    cr_expect_eq(lp.duration_ms, 10000);
    cr_expect_eq(lp.n_stages, 0);
    loadplan_fini(&lp);
}

Test(loadplan, open_model_from_rate_with_default_cap) {
    loadplan_t lp;
    cr_assert_eq(s_resolve("{rate: 300, duration: 10s}", NULL, 2, &lp), 0);
    cr_expect(lp.open);
    cr_expect_float_eq(lp.rate, 300, 1e-9);
    cr_expect_eq(lp.max_users, 600); /* twice the rate */
    loadplan_fini(&lp);
    cr_assert_eq(s_resolve("{rate: 5, duration: 10s}", NULL, 2, &lp), 0);
    cr_expect_eq(lp.max_users, LOADPLAN_MIN_DEFAULT_MAX_USERS);
    loadplan_fini(&lp);
}

Test(loadplan, rate_stages_start_from_rate_and_set_the_run_time) {
    loadplan_t lp;
    cr_assert_eq(s_resolve("{rate: 50, max_users: 40, stages: [{duration: 30s, rate: 100}, "
                           "{duration: 1m, rate: 500}]}",
                           NULL, 2, &lp),
                 0);
    cr_expect(lp.open);
    cr_expect_float_eq(lp.rate, 500, 1e-9); /* the peak */
    cr_expect_eq(lp.max_users, 40);
    cr_expect_eq(lp.duration_ms, 90000);
    cr_assert_eq(lp.n_stages, 3);
    cr_expect_eq(lp.stages[0].duration_us, 0); /* the start as a step */
    cr_expect_float_eq(lp.stages[0].target, 50, 1e-9);
    cr_expect_eq(lp.stages[2].duration_us, 60 * S);
    char *text = loadplan_stages_text(lp.stages, lp.n_stages);
    cr_expect_str_eq(text, "0s:50,30s:100,60s:500");
    free(text);
    loadplan_fini(&lp);
}

Test(loadplan, users_stages_ramp_the_closed_model) {
    loadplan_t lp;
    cr_assert_eq(
        s_resolve("{stages: [{duration: 10s, users: 20}, {duration: 5s, users: 4}]}", NULL, 2, &lp),
        0);
    cr_expect(!lp.open);
    cr_expect_eq(lp.users, 20); /* the peak, split across classes and workers */
    cr_expect_float_eq(lp.spawn_rate, 0, 1e-9);
    cr_expect_eq(lp.duration_ms, 15000);
    cr_expect_eq(lp.n_stages, 2);
    loadplan_fini(&lp);
}

Test(loadplan, command_line_picks_the_model) {
    loadplan_t lp;
    const char *rate[] = {"--rate", "40", "--max-users", "9", NULL};
    cr_assert_eq(s_resolve("{users: 5, duration: 10s}", rate, 2, &lp), 0);
    cr_expect(lp.open);
    cr_expect_float_eq(lp.rate, 40, 1e-9);
    cr_expect_eq(lp.max_users, 9);
    loadplan_fini(&lp);
    const char *users[] = {"-u", "7", NULL};
    cr_assert_eq(
        s_resolve("{rate: 100, stages: [{duration: 5s, rate: 10}, {duration: 2s, rate: 1}]}", users,
                  2, &lp),
        0);
    cr_expect(!lp.open);
    cr_expect_eq(lp.users, 7);
    cr_expect_eq(lp.n_stages, 0);       /* the scenario's rate stages belong to the other model */
    cr_expect_eq(lp.duration_ms, 7000); /* the replaced stages still set the run time */
    loadplan_fini(&lp);
}

Test(loadplan, command_line_stages_follow_the_model) {
    loadplan_t lp;
    const char *open[] = {"--rate", "10", "--stages", "10s:100,20s:0", "-t", "1m", NULL};
    cr_assert_eq(s_resolve("{users: 5, duration: 10s}", open, 1, &lp), 0);
    cr_expect(lp.open);
    cr_expect_float_eq(lp.rate, 100, 1e-9);
    cr_expect_eq(lp.duration_ms, 60000); /* -t wins over the stages' 30 s */
    cr_expect_eq(lp.n_stages, 3);
    loadplan_fini(&lp);
    const char *closed[] = {"--stages", "5s:10", NULL};
    cr_assert_eq(s_resolve("{users: 2, duration: 10s}", closed, 1, &lp), 0);
    cr_expect(!lp.open);
    cr_expect_eq(lp.users, 10);
    cr_expect_eq(lp.duration_ms, 5000);
    cr_expect_eq(lp.n_stages, 2);
    loadplan_fini(&lp);
}

Test(loadplan, refusals, .init = cr_redirect_stderr) {
    loadplan_t lp;
    const char *cap[] = {"--max-users", "5", NULL};
    cr_expect_eq(s_resolve("{users: 2, duration: 10s}", cap, 1, &lp), -1);
    const char *fractional[] = {"--stages", "5s:2.5", NULL};
    cr_expect_eq(s_resolve("{users: 2, duration: 10s}", fractional, 1, &lp), -1);
    const char *zero[] = {"--stages", "5s:0", NULL};
    cr_expect_eq(s_resolve("{users: 2, duration: 10s}", zero, 1, &lp), 0); /* starts at 2 */
    loadplan_fini(&lp);
    const char *nothing[] = {"--rate", "1", NULL};
    cr_expect_eq(s_resolve("{rate: 5, max_users: 3}", nothing, 1, &lp), -1); /* no run time */
    cr_expect_eq(s_resolve("{rate: 5, max_users: 3, duration: 1s}", NULL, 4, &lp), -1);
    /* -r in the open model was silently ignored. */
    const char *open_spawn[] = {"--rate", "10", "-r", "3", NULL};
    cr_expect_eq(s_resolve("{users: 2, duration: 10s}", open_spawn, 1, &lp), -1);
    const char *spawn_of_open[] = {"-r", "3", NULL};
    cr_expect_eq(s_resolve("{rate: 5, duration: 10s}", spawn_of_open, 1, &lp), -1);
    const char *spawn[] = {"-r", "3", "--stages", "5s:10", NULL};
    cr_expect_eq(s_resolve("{users: 2}", spawn, 1, &lp), -1);
}

/* validate's checks: the same refusals, but a run time and a host may still
 * come from the command line of the run. */
Test(loadplan, check_skips_only_what_a_run_may_still_be_told, .init = cr_redirect_stderr) {
    cli_opts_t o;
    s_cli(&o, NULL);
    scenario_t *sc = s_scenario("{rate: 5, max_users: 3}");
    loadplan_t lp;
    cr_expect_eq(loadplan_resolve(&o, sc, 1, &lp, stderr), -1, "no run time");
    cr_expect_eq(loadplan_check(&o, sc, 1, NULL, stderr), 0);
    cr_expect_eq(loadplan_check(&o, sc, 4, NULL, stderr), -1, "max_users below the workers");
    loadplan_t filled = {.users = 7};
    cr_expect_eq(loadplan_check(&o, sc, 4, &filled, stderr), -1);
    cr_expect_eq(filled.users, 0, "zeroed on failure");
    cr_expect_null(filled.stages);
    loadplan_fini(&filled);
    scenario_destroy(&sc);
    const char *cap[] = {"--max-users", "5", NULL};
    s_cli(&o, cap);
    sc = s_scenario("{users: 2}");
    cr_expect_eq(loadplan_check(&o, sc, 1, NULL, stderr), -1, "--max-users in the closed model");
    scenario_destroy(&sc);
}

Test(loadplan, cli_rejects_bad_load_flags, .init = cr_redirect_stderr) {
    cli_opts_t o;
    char *both[] = {"barrage", "run", "t.yaml", "-u", "3", "--rate", "5"};
    cr_expect_eq(cli_parse(7, both, &o), -1);
    char *rate[] = {"barrage", "run", "t.yaml", "--rate", "0"};
    cr_expect_eq(cli_parse(5, rate, &o), -1);
    char *cap[] = {"barrage", "run", "t.yaml", "--max-users", "0"};
    cr_expect_eq(cli_parse(5, cap, &o), -1);
    char *stages[] = {"barrage", "run", "t.yaml", "--stages", "30s:100,1x:5"};
    cr_expect_eq(cli_parse(5, stages, &o), -1);
}

Test(loadplan, stages_text_parses) {
    scenario_stage_t *st = NULL;
    size_t n = 0;
    char err[200];
    cr_assert_eq(scenario_stages_parse("30s:100,1m:500,500ms:0", &st, &n, err, sizeof err), 0);
    cr_assert_eq(n, 3);
    cr_expect_eq(st[0].duration_ms, 30000);
    cr_expect_float_eq(st[0].target, 100, 1e-9);
    cr_expect_eq(st[1].duration_ms, 60000);
    cr_expect_eq(st[2].duration_ms, 500);
    cr_expect_float_eq(st[2].target, 0, 1e-9);
    free(st);
    cr_expect_eq(scenario_stages_parse("30s", &st, &n, err, sizeof err), -1);
    cr_expect_str_eq(err, "stage 1: expected DURATION:TARGET like 30s:100 (got '30s')");
    cr_expect_eq(scenario_stages_parse("30s:1,0s:5", &st, &n, err, sizeof err), -1);
    cr_expect_str_eq(err, "stage 2: bad duration '0s' (expected e.g. 500ms, 30s, 2m)");
    cr_expect_eq(scenario_stages_parse("30s:-1", &st, &n, err, sizeof err), -1);
    cr_expect_str_eq(err, "stage 1: target must be a number >= 0 (got '-1')");
    cr_expect_eq(scenario_stages_parse("", &st, &n, err, sizeof err), -1);
    cr_expect_eq(scenario_stages_parse("30s:1,", &st, &n, err, sizeof err), -1);
}

Test(loadplan, scenario_stages_load) {
    scenario_t *sc = s_scenario("{users: 3, stages: [{duration: 30s, users: 10}, "
                                "{duration: 10s, users: 0}]}");
    cr_expect_eq(sc->load.stages_kind, SCENARIO_STAGES_USERS);
    cr_assert_eq(sc->load.n_stages, 2);
    cr_expect_eq(sc->load.stages[0].duration_ms, 30000);
    cr_expect_float_eq(sc->load.stages[1].target, 0, 1e-9);
    cr_expect_eq(sc->load.stages[1].pos.line, 2);
    scenario_destroy(&sc);
}

Test(loadplan, with_the_web_a_run_may_have_no_run_time) {
    loadplan_t lp;
    const char *web[] = {"--web", NULL};
    cr_assert_eq(s_resolve("{users: 4}", web, 1, &lp), 0);
    cr_expect_eq(lp.duration_ms, 0, "until stopped");
    cr_expect_eq(lp.users, 4);
    loadplan_fini(&lp);
}
